#!/bin/sh
#
# Copyright (c) 2026 The opensmtpd-kit authors
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
#
# Protocol tests of filter-submission against a hostile client: the ways
# around the policy that an attacker found, each in its whole class.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/proto/filterlib.sh"

sqlite3 "$DB" <<'EOSQL'
INSERT INTO users VALUES ('jane@example.com', '$2b$10$x', 1);
INSERT INTO users VALUES ('jane+sales@example.com', '$2b$10$x', 1);
EOSQL

S1=0000000000000001
S2=0000000000000002
S3=0000000000000003
S4=0000000000000004

b64() { printf "$1" | base64_line; }

# --- the envelope sender is judged as smtpd derives it: all up to the
# first ':' of the local part is dropped, no domain is smtpd's host name
ANN="reject|553 5.7.1 <ann@example.com>: Sender address rejected: not owned by user bob@example.com"
SENDERS="a1|mail-from|bob+x:ann@example.com|a ':' in the local part: the address after it is judged|$ANN
a2|mail-from|x:bob@example.com|x:bob is bob|proceed
a3|mail-from|@a.example,@b.example:ann@example.com|a source route: the address after it is judged|$ANN
a4|mail-from|bob:|<bob:> is the null sender for smtpd|proceed
a5|mail-from|a:b:bob@example.com|a second ':' is refused as smtpd refuses it|~^reject\|553 5\.1\.7[ ]
a6|mail-from|ann|no domain: smtpd's host name, then judged|$ANN
a7|mail-from|bob|no domain, own address|proceed
a8|mail-from|x:ann|route and no domain together|$ANN
a9|mail-from|bob@EXAMPLE.com|domain in upper case|proceed"
run "" "$(connect $S1 1)
$(greeting $S1 example.com)
$(tls $S1)
$(authok $S1 bob@example.com)
$(requests $S1 "$SENDERS")"
replies "$SENDERS"

NOTIN="reject|553 5.7.1 <bob@example.com>: Sender address rejected: not logged in"
MX="b1|mail-from|x:bob@example.com|mx: x:bob is bob, not logged in|$NOTIN
b2|mail-from|stranger+x:bob@example.com|mx: any prefix before ':' is dropped|$NOTIN
b3|mail-from|bob:stranger@remote.example|mx: a local name before ':' does not make it local|proceed
b4|rcpt-to|x:user@remote.example|mx: relay through a ':' prefix refused|reject|554 5.7.1 <x:user@remote.example>: Relay access denied
b5|rcpt-to|remote.example:bob@example.com|mx: a ':' prefix before a local address: local|proceed
b6|rcpt-to|someone|mx: no domain is smtpd's own host: not relaying|proceed
b7|rcpt-to|x:someone|mx: the same after a ':' prefix|proceed"
run "mode mx" "$(connect $S1 7)
$(greeting $S1 mx.example.net)
$(requests $S1 "$MX")
$(connect $S2 8)
$(greeting $S2 example.com)
$(phase $S2 mail-from 00000000000000b8 'bob')
$(phase $S2 mail-from 00000000000000b9 'x:team')
$(connect $S3 9)
$(phase $S3 mail-from 00000000000000ba 'bob')
$(phase $S3 rcpt-to 00000000000000bb 'someone')
$(phase $S3 mail-from 00000000000000bc 'stranger@remote.example')"
replies "$MX"
expect_eq "mx: bare local part completed with the host name, not logged in" \
    "$NOTIN" "$(reply 00000000000000b8)"
expect_eq "mx: an alias the same way" \
    "reject|553 5.7.1 <team@example.com>: Sender address rejected: not logged in" \
    "$(reply 00000000000000b9)"
expect_eq "mx: bare local part and no greeting seen: temporary failure" \
    "reject|451 4.3.0 <bob>: Sender address has no domain and the server name is not known; try again" \
    "$(reply 00000000000000ba)"
expect_eq "mx: bare recipient and no greeting seen: temporary failure" \
    "reject|451 4.3.0 <someone>: Recipient address has no domain and the server name is not known; try again" \
    "$(reply 00000000000000bb)"
expect_eq "mx: a full address without a greeting is judged as usual" \
    "proceed" "$(reply 00000000000000bc)"

# --- failed AUTH: failures inside a session count; past the limit AUTH
# ends the session (421) whatever its form, and no AUTH can succeed
TOK_BOB=$(b64 '\0bob@example.com\0secret')
TOK_ANN=$(b64 '\0ann@example.com\0secret')
run "auth_fail_limit 3" "$(tlsconnect $S1 1)
$(phase $S1 auth 00000000000000c1 "PLAIN $TOK_BOB")
$(authfail $S1 bob@example.com)
$(phase $S1 auth 00000000000000c2 "PLAIN $TOK_ANN")
$(authfail $S1 ann@example.com)
$(phase $S1 auth 00000000000000c3 "LOGIN $(b64 nobody@example.com)")
$(authfail $S1 nobody@example.com)
$(phase $S1 auth 00000000000000c4 "PLAIN $TOK_ANN")
$(phase $S1 auth 00000000000000c5 'LOGIN')
$(phase $S1 auth 00000000000000c6 'PLAIN')
$(connect $S2 1)
$(conphase $S2 00000000000000c7 1)"
expect_eq "AUTH below the limit proceeds" "proceed" "$(reply 00000000000000c3)"
for t in c4 c5 c6; do
	expect_eq "AUTH past the limit in the session ($t): 421, session ended" \
	    "reject|421 4.7.0 Error: too many failed AUTH attempts from 192.0.2.1" \
	    "$(reply 00000000000000$t)"
done
expect_eq "the client is turned away at its next connection" \
    "reject|421 4.7.0 Error: too many failed AUTH attempts from 192.0.2.1" \
    "$(reply 00000000000000c7)"
expect_nomatch "AUTH arguments never logged" "$TOK_BOB|$TOK_ANN" \
    "$(cat "$LOG")"

# the login is counted whatever its case and extension, over clients.
# One client's failures never lock its owner out: past twice the limit
# (a distributed attack) the login is closed, with a temporary 454 under
# rule auth-lockout, to the networks it never passed from; the networks
# it passed from and the exempt ones still log in.  Nothing is handed to
# table-sqlite, which would refuse the owner too.
LOCKS=$(dirname "$DB")/authlock
mkdir -p "$LOCKS"
S5=0000000000000005
S6=0000000000000006
S7=0000000000000007
S8=0000000000000008
run "auth_fail_limit 3
auth_fail_exempt 192.0.2.200" "$(tlsconnect $S1 11)
$(authfail $S1 Bob@Example.COM)
$(authfail $S1 bob+1@example.com)
$(authfail $S1 BOB+x@EXAMPLE.com)
$(phase $S1 auth 00000000000000d0 "PLAIN $(b64 '\0bob@example.com\0secret')")
$(tlsconnect $S4 14)
$(phase $S4 auth 00000000000000d1 "PLAIN $(b64 '\0BOB+y@example.com\0secret')")
$(phase $S4 auth 00000000000000d2 "LOGIN $(b64 bob@example.com)")
$(phase $S4 auth 00000000000000d3 'LOGIN')
$(authok $S4 bob@example.com)
$(phase $S4 mail-from 00000000000000d4 bob@example.com)
$(tlsconnect $S2 12)
$(authfails $S2 bob@example.com 2)
$(tlsconnect $S3 13)
$(authfail $S3 bob@example.com)
$(tlsconnect $S5 15)
$(phase $S5 auth 00000000000000d5 "PLAIN $(b64 '\0bob@example.com\0secret')")
$(phase $S5 auth 00000000000000d6 "PLAIN $(b64 'authz\0Bob+Z@example.com\0s')")
$(phase $S5 auth 00000000000000d7 'LOGIN')
$(phase $S5 auth 00000000000000d8 "PLAIN $TOK_ANN")
$(tlsconnect $S6 14)
$(phase $S6 auth 00000000000000d9 "PLAIN $(b64 '\0bob@example.com\0secret')")
$(phase $S6 auth 00000000000000da 'LOGIN')
$(tlsconnect $S7 200)
$(phase $S7 auth 00000000000000db "PLAIN $(b64 '\0bob@example.com\0secret')")
$(phase $S7 auth 00000000000000dc 'LOGIN')
$(connect $S8 15)
$(conphase $S8 00000000000000dd 15)"
expect_eq "the failing client itself: 421, its own doing" \
    "reject|421 4.7.0 Error: too many failed AUTH attempts from 192.0.2.11" \
    "$(reply 00000000000000d0)"
for t in d1 d2 d3; do
	expect_eq "3 failures of a login from one client: the owner from another logs in ($t)" \
	    "proceed" "$(reply 00000000000000$t)"
done
expect_eq "and sends" "proceed" "$(reply 00000000000000d4)"
for t in d5 d6 d7; do
	expect_eq "6 failures from 3 clients: a new network is refused for now ($t)" \
	    "reject|454 4.7.0 Temporary authentication failure, try again later" \
	    "$(reply 00000000000000$t)"
done
expect_eq "another login from that network proceeds" "proceed" \
    "$(reply 00000000000000d8)"
for t in d9 da; do
	expect_eq "the network the owner passed from still logs in ($t)" \
	    "proceed" "$(reply 00000000000000$t)"
done
for t in db dc; do
	expect_eq "an auth_fail_exempt client still logs in ($t)" \
	    "proceed" "$(reply 00000000000000$t)"
done
expect_eq "the new network is not turned away at connection" "proceed" \
    "$(reply 00000000000000dd)"
expect_eq "refusals of another's doing are logged under auth-lockout" 3 \
    "$(grep -c 'client=192\.0\.2\.15 login=- rule=auth-lockout address=- result=reject reply="454 4\.7\.0 ' "$LOG")"
expect_eq "and none of them under auth-limit" 0 \
    "$(grep -c 'client=192\.0\.2\.1[45] .*rule=auth-limit' "$LOG")"
expect_eq "no lockout is handed to the table" 0 "$(ls "$LOCKS" | wc -l)"

# a temporary failure of the server is not a failed password
run "auth_fail_limit 3" "$(tlsconnect $S1 1)
$(autherror $S1 bob@example.com)
$(autherror $S1 bob@example.com)
$(autherror $S1 bob@example.com)
$(autherror $S1 bob@example.com)
$(authfails $S1 bob@example.com 2)
$(phase $S1 auth 00000000000000e1 "PLAIN $TOK_BOB")"
expect_eq "temporary failures are not counted" "proceed" \
    "$(reply 00000000000000e1)"

# exempt clients have no count of their own; sessions and logins do
run "auth_fail_limit 2
auth_fail_exempt 192.0.2.0/28, ::1 local" "$(tlsconnect $S1 5)
$(authfail $S1 a1@example.com)
$(authfail $S1 a2@example.com)
$(phase $S1 auth 00000000000000f1 "PLAIN $TOK_BOB")
$(connect $S2 5)
$(conphase $S2 00000000000000f2 5)
$(tls $S2)
$(phase $S2 auth 00000000000000f3 "PLAIN $TOK_BOB")
$(authfail $S2 a3@example.com)
$(tlsconnect $S3 5)
$(authfail $S3 a3@example.com)
$(phase $S3 auth 00000000000000f4 "PLAIN $(b64 '\0a3@example.com\0x')")
$(tlsconnect $S4 20)
$(authfail $S4 a4@example.com)
$(authfail $S4 a5@example.com)
$(conphase $S4 00000000000000f5 20)"
expect_eq "exempt client: the session limit still holds" \
    "reject|421 4.7.0 Error: too many failed AUTH attempts from 192.0.2.5" \
    "$(reply 00000000000000f1)"
expect_eq "exempt client: not turned away at connection" "proceed" \
    "$(reply 00000000000000f2)"
expect_eq "exempt client: a new session may AUTH" "proceed" \
    "$(reply 00000000000000f3)"
expect_eq "exempt client: a login others failed is still open to it" \
    "proceed" "$(reply 00000000000000f4)"
expect_eq "a client outside the exempt network is counted" \
    "reject|421 4.7.0 Error: too many failed AUTH attempts from 192.0.2.20" \
    "$(reply 00000000000000f5)"

check_conf "auth_fail_exempt 192.0.2.0/33"
expect_eq "a bad exempt network is a configuration error" "1" "$RC"
expect_match "and says which" "auth_fail_exempt: 192.0.2.0/33: bad prefix" \
    "$ERR"

# SIGUSR1 lifts every lockout, without a restart
printf 'table %s\nauth_fail_limit 2\n' "$T/sqlite.conf" > "$T/f.conf"
# a lockout an earlier version left for the table, still in force
touch_in 3600 "$LOCKS/$(printf %s old@example.com | sha256_hex)"
rm -f "$T/in" "$T/out"
mkfifo "$T/in"
"$FILTER" -d -f "$T/f.conf" < "$T/in" > "$T/out" 2>"$LOG" &
FPID=$!
exec 3>"$T/in"
# wait_for PATTERN FILE: until FILE has a line matching PATTERN (10 s)
wait_for()
{
	n=0
	while ! grep -q -- "$1" "$2" 2>/dev/null; do
		[ $n -ge 100 ] && return 1
		sleep 0.1
		n=$((n + 1))
	done
}
printf '%s\n%s\n%s\n%s\n%s\n%s\n' "$HS" "$(connect $S1 30)" "$(tls $S1)" \
    "$(authfail $S1 x@example.com)" "$(authfail $S1 y@example.com)" \
    "$(phase $S1 connect 0000000000000101 'rdns|192.0.2.30')" >&3
wait_for '|0000000000000101|' "$T/out"
expect_match "locked out before SIGUSR1" \
    "0000000000000101\|reject\|421 4.7.0" "$(cat "$T/out")"
kill -USR1 "$FPID"
wait_for 'counts cleared' "$LOG"
printf '%s\n%s\n' "$(connect $S2 30)" \
    "$(phase $S2 connect 0000000000000102 'rdns|192.0.2.30')" >&3
wait_for '|0000000000000102|' "$T/out"
expect_match "after SIGUSR1 the client may connect" \
    "0000000000000102\|proceed" "$(cat "$T/out")"
expect_match "the lifting is logged" "every lockout is lifted" "$(cat "$LOG")"
expect_eq "SIGUSR1 removes the lockouts of the table too" 0 \
    "$(ls "$LOCKS" | wc -l)"
expect_alive "the filter still runs after SIGUSR1" "$FPID"
exec 3>&-
wait "$FPID"

# --- recipient_delimiter: an address with an extension that is an
# account of its own is not its base address's
run "" "$(loggedin $S1 1 jane@example.com)
$(phase $S1 mail-from 0000000000000111 'jane+sales@example.com')
$(phase $S1 mail-from 0000000000000113 'Jane+Sales@Example.com')
$(message $S1 jane+news@example.com 0000000000000112 0000000000000114 \
    0000000000000115 'From: jane+sales@example.com' '')
$(loggedin $S2 2 jane+sales@example.com)
$(phase $S2 mail-from 0000000000000116 'jane+sales@example.com')
$(phase $S2 mail-from 0000000000000117 'jane@example.com')"
expect_eq "delimiter: an extension that is another account is refused" \
    "reject|553 5.7.1 <jane+sales@example.com>: Sender address rejected: not owned by user jane@example.com" \
    "$(reply 0000000000000111)"
expect_eq "delimiter: an extension nobody owns is the base address" \
    "proceed" "$(reply 0000000000000112)"
expect_eq "delimiter: case does not make it another address" \
    "reject|553 5.7.1 <Jane+Sales@example.com>: Sender address rejected: not owned by user jane@example.com" \
    "$(reply 0000000000000113)"
expect_eq "delimiter: the same in From:" \
    "reject|550 5.7.1 <jane+sales@example.com>: From address rejected: not owned by user jane@example.com" \
    "$(reply 0000000000000115)"
expect_eq "delimiter: the account itself may" "proceed" \
    "$(reply 0000000000000116)"
expect_eq "delimiter: and not as its base address" \
    "reject|553 5.7.1 <jane@example.com>: Sender address rejected: not owned by user jane+sales@example.com" \
    "$(reply 0000000000000117)"

# --- the null sender counts against the login's messages_per_hour
run "messages_per_hour 2" "$(loggedin $S1 1 bob@example.com)
$(phase $S1 mail-from 0000000000000121 '')
$(phase $S1 mail-from 0000000000000122 'x:')
$(phase $S1 mail-from 0000000000000123 '')
$(phase $S1 mail-from 0000000000000124 'bob@example.com')"
expect_eq "null sender 1 of 2" "proceed" "$(reply 0000000000000121)"
expect_eq "null sender 2 of 2 (<x:> is <> too)" "proceed" \
    "$(reply 0000000000000122)"
expect_eq "null sender 3 of 2 refused" \
    "reject|450 4.7.1 Error: too much mail from bob@example.com" \
    "$(reply 0000000000000123)"
expect_eq "and the login's other mail too" \
    "reject|450 4.7.1 Error: too much mail from bob@example.com" \
    "$(reply 0000000000000124)"

# --- log lines: no value can end its field or forge another
EVIL='x" result=proceed client=203.0.113.7 reply="y@remote.example'
RUNFLAGS=-dv
run "mode mx" "$(connect $S1 7)
$(greeting $S1 mx.example.net)
$(phase $S1 rcpt-to 0000000000000131 "$EVIL")
$(phase $S1 mail-from 0000000000000132 "a=b result=proceed@remote.example")
$(tls $S1)
$(authok $S1 'ev\\040il=x\\042@example.com')
$(phase $S1 rcpt-to 0000000000000133 'x@remote.example')"
RUNFLAGS=
L=$(grep 'rule=relay ' "$LOG" | head -n 1)
expect_eq "one client= field per line" "1" \
    "$(printf '%s\n' "$L" | grep -o 'client=' | wc -l | tr -d ' ')"
expect_eq "one result= field per line" "1" \
    "$(printf '%s\n' "$L" | grep -o 'result=' | wc -l | tr -d ' ')"
expect_match "and it is the real one" " result=reject reply=" "$L"
expect_nomatch "no quote inside a value" 'reply="[^"]*"[^"]*"' "$L"
L=$(grep '0000000000000132\|a\\x3db' "$LOG" | head -n 1)
expect_eq "'=' in an address escaped" "1" \
    "$(printf '%s\n' "$L" | grep -o 'result=' | wc -l | tr -d ' ')"
L=$(grep 'rule=relay-auth' "$LOG" | head -n 1)
expect_match "a login with space, '=' and quote escaped" \
    'login=ev\\x20il\\x3dx\\x22@example.com ' "$L"
L=$(grep 'event=auth result=pass' "$LOG" | head -n 1)
expect_match "and so in the line of its AUTH" \
    ' event=auth result=pass login=ev\\x20il\\x3dx\\x22@example.com$' "$L"

# --- the visible sender: what a reader shows, decoded as it would be
# bob N FROM-LINE...: a message of bob's with these header lines; its
# commit token is 00000000000002NN
bob()
{
	n=$1
	shift
	message $S1 bob@example.com 00000000000001$n 00000000000003$n \
	    00000000000002$n "$@" '' body
}
FW=$(printf '\357\275\203\357\275\205\357\275\217\357\274\240\357\275\202\357\275\201\357\275\216\357\275\213\357\274\216\357\275\224\357\275\205\357\275\223\357\275\224')
CR=$(printf '\r')
LONGNAME=$(awk 'BEGIN { for (i = 0; i < 1200; i++) printf "word "; }')
LONGQ=$(awk 'BEGIN { for (i = 0; i < 1200; i++) printf "word "; }')
MANY=$(awk 'BEGIN { for (i = 0; i < 70; i++) printf "a%d@b.test ", i; }')
run "" "$(loggedin $S1 1 bob@example.com)
$(bob 10 'From: "ceo\\@bank.test" <bob@example.com>')
$(bob 11 'From: =?utf-8?q?ceo?= =?utf-8?q?=40bank.test?= <bob@example.com>')
$(bob 12 'From: =?utf-16?b?/v8AYwBlAG8AQABiAGEAbgBrAC4AdABlAHMAdA==?= <bob@example.com>')
$(bob 13 'From: =?utf-7?q?ceo+AEA-bank.test?= <bob@example.com>')
$(bob 14 "From: $FW <bob@example.com>")
$(bob 15 'From: bob@example.com (ceo@bank.test)')
$(bob 16 "From: \"$LONGQ ceo@bank.test\" <bob@example.com>")
$(bob 24 "From: $LONGNAME <bob@example.com>")
$(bob 17 "From: $MANY <bob@example.com>")
$(bob 18 'From: =?x-unknown?q?ceo?= <bob@example.com>')
$(bob 19 "X-A: a${CR}From: ceo@bank.test" 'From: bob@example.com')
$(bob 20 'From: Bob <bob@example.com>' "X-B: b${CR}")
$(bob 21 'From: Bob <bob@example.com>' 'Subject: ok')
$(bob 22 "From: ceo@b$(printf '\320\260')nk.test <bob@example.com>")
$(bob 23 'From: =?utf-8?q?Team?= (=?utf-8?q?team=40example.com?=) <bob@example.com>')"
for t in 10 11 12 13 14 15; do
	expect_eq "display name $t: the address a reader shows is judged" \
	    "reject|550 5.7.1 <ceo@bank.test>: From display name rejected: not owned by user bob@example.com" \
	    "$(reply 00000000000002$t)"
done
expect_eq "a name too long to scan whole: the address past it still seen" \
    "reject|550 5.7.1 <ceo@bank.test>: From display name rejected: not owned by user bob@example.com" \
    "$(reply 0000000000000216)"
expect_eq "a name of too many words to parse: refused" \
    "reject|550 5.7.1 From: header rejected: header too complex" \
    "$(reply 0000000000000224)"
expect_eq "more than 64 address-like strings: refused" \
    "reject|550 5.7.1 From: header rejected: too many addresses in display names" \
    "$(reply 0000000000000217)"
expect_eq "a charset that cannot be decoded: refused" \
    "reject|550 5.7.1 From: header rejected: encoded word in an unknown charset" \
    "$(reply 0000000000000218)"
expect_eq "a bare CR hiding a From: header: refused" \
    "reject|550 5.7.1 Message header rejected: bare CR in the header section" \
    "$(reply 0000000000000219)"
expect_eq "a bare CR anywhere in the header section: refused" \
    "reject|550 5.7.1 Message header rejected: bare CR in the header section" \
    "$(reply 0000000000000220)"
expect_eq "a clean message still accepted" "proceed" \
    "$(reply 0000000000000221)"
expect_eq "a look-alike domain: refused" \
    "reject|550 5.7.1 <ceo@b??nk.test>: From display name rejected: not owned by user bob@example.com" \
    "$(reply 0000000000000222)"
expect_eq "an owned address shown in a comment: accepted" "proceed" \
    "$(reply 0000000000000223)"

# --- header memory per login and per client: one of each cannot take
# what everyone shares
held_headers 41 8192 '"198.51.100." (i + 1)' 'i < 40 ? "bob" : "ann"' \
    '4096 + i' > "$T/login.in"
printf 'table %s\nmessages_per_hour 0\n' "$T/sqlite.conf" > "$T/f.conf"
OUT=$( (printf '%s\n' "$HS"; cat "$T/login.in") | "$FILTER" -d -f "$T/f.conf" 2>"$LOG")
expect_eq "one login holds at most 512 kB of headers: 32 accepted" 32 \
    "$(printf '%s\n' "$OUT" | grep -cE '^filter-result\|0000000000002[0-9a-f]*\|00000000000010([01][0-9a-f]|2[0-7])\|proceed$')"
expect_eq "its 8 sessions beyond: 451, never accepted" 8 \
    "$(printf '%s\n' "$OUT" | grep -c '|reject|451 4.3.0 Temporary failure checking the message headers$')"
expect_eq "another login meanwhile: accepted" "proceed" \
    "$(reply 0000000000001028)"

held_headers 81 12288 '"198.51.100." (i < 80 ? 7 : 8)' \
    'i < 80 ? "u" (i % 4) : "ann"' '8192 + i' > "$T/client.in"
i=0
while [ $i -lt 4 ]; do
	sqlite3 "$DB" "INSERT INTO users VALUES ('u$i@example.com', 'x', 1);"
	i=$((i + 1))
done
OUT=$( (printf '%s\n' "$HS"; cat "$T/client.in") | "$FILTER" -d -f "$T/f.conf" 2>"$LOG")
expect_eq "one client holds at most 1 MB of headers: 64 accepted" 64 \
    "$(printf '%s\n' "$OUT" | grep -c '^filter-result|00000000000030[0-9a-f]*|00000000000020[0-4][0-9a-f]|proceed$')"
expect_eq "its 16 sessions beyond: 451, never accepted" 16 \
    "$(printf '%s\n' "$OUT" | grep -c '|reject|451 4.3.0 Temporary failure checking the message headers$')"
expect_eq "another client meanwhile: accepted" "proceed" \
    "$(reply 0000000000002050)"

# --- header scanning is linear: 1,000 messages, each with a From: of
# 16 kB of "=?x?x?x" (16 MB), take well under the 4.6 s they took when
# each cost time quadratic in its length
awk 'BEGIN { x = "=?x?x?x"; while (length(x) < 16000) x = x x
    x = substr(x, 1, 16000)
    print "report|0.7|1.0|smtp-in|link-connect|0000000000000001|rdns|pass|192.0.2.1:1|192.0.2.25:587"
    print "report|0.7|1.0|smtp-in|link-tls|0000000000000001|TLSv1.3:X:256"
    print "report|0.7|1.0|smtp-in|link-auth|0000000000000001|pass|bob@example.com"
    for (i = 0; i < 1000; i++) {
	print "filter|0.7|1.0|smtp-in|mail-from|0000000000000001|0000000000000501|bob@example.com"
	printf "filter|0.7|1.0|smtp-in|data-line|0000000000000001|0000000000000502|From: %s <bob@example.com>\n", x
	print "filter|0.7|1.0|smtp-in|data-line|0000000000000001|0000000000000502|"
	print "filter|0.7|1.0|smtp-in|data-line|0000000000000001|0000000000000502|."
	print "filter|0.7|1.0|smtp-in|commit|0000000000000001|0000000000000503|"
    } }' \
    > "$T/cpu.in"
printf 'table %s\n' "$T/sqlite.conf" > "$T/f.conf"
(printf '%s\n' "$HS"; cat "$T/cpu.in") > "$T/cpu.all"
# the CPU time of the children, from the shell's times (POSIX): its
# second line, user and system time as "NmS.FFFs"
CPU=$(sh -c "cat \"$T/cpu.all\" | \"$FILTER\" -d -f \"$T/f.conf\" \
    > \"$T/cpu.out\" 2>\"$LOG\" && times" | awk 'NR == 2 {
	t = 0
	for (i = 1; i <= 2; i++) {
		split($i, p, "m")
		sub("s$", "", p[2])
		t += p[1] * 60 + p[2]
	}
	printf "%d\n", t * 1000 }')
expect_eq "1,000 From: headers of \"=?x?x?x\": each answered proceed" 1000 \
    "$(grep -c '^filter-result|0000000000000001|0000000000000503|proceed$' "$T/cpu.out")"
if [ -n "$CPU" ] && [ "$CPU" -lt 2000 ]; then
	ok "1,000 headers of \"=?x?x?x\" took $CPU ms of CPU (< 2000)"
else
	fail "1,000 headers of \"=?x?x?x\" took ${CPU:-?} ms of CPU (>= 2000)"
fi

filter_done
