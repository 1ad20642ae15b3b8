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
# Protocol tests of filter-submission: smtpd's side of the conversation
# is played from scripts, for protocols 0.7 and 0.6, and every answer is
# checked by its token.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/proto/filterlib.sh"

S1=0000000000000001
S2=0000000000000002
S3=0000000000000003

# --- registration
run "" ""
expect_eq "submission mode registers what its rules need" \
"register|report|smtp-in|link-connect register|report|smtp-in|link-disconnect register|report|smtp-in|link-greeting register|report|smtp-in|link-tls register|report|smtp-in|link-auth register|report|smtp-in|tx-mail register|report|smtp-in|tx-rcpt register|report|smtp-in|tx-commit register|filter|smtp-in|connect register|filter|smtp-in|auth register|filter|smtp-in|mail-from register|filter|smtp-in|rcpt-to register|filter|smtp-in|data-line register|filter|smtp-in|commit register|ready" \
    "$(echo $OUT)"
run "mode mx
auth_fail_limit 0" ""
expect_nomatch "mx mode without header check skips data-line" "data-line" "$OUT"
expect_nomatch "no auth phase when nothing needs it" "filter\|smtp-in\|auth" "$OUT"

for V in 0.7 0.6; do
# --- submission: TLS, then AUTH, then ownership; -v: the accepts too
RUNFLAGS=-dv
run "" "$(connect $S1 1)
$(phase $S1 auth 00000000000000a1 'PLAIN AHNlY3JldA==')
$(phase $S1 mail-from 00000000000000a2 bob@example.com)
$(tls $S1)
$(phase $S1 mail-from 00000000000000a3 bob@example.com)
$(phase $S1 rcpt-to 00000000000000a4 x@remote.example)
$(authok $S1 Bob@Example.COM)
$(phase $S1 mail-from 00000000000000a5 bob@example.com)
$(phase $S1 mail-from 00000000000000a6 Bob+news@EXAMPLE.com)
$(phase $S1 mail-from 00000000000000a7 team@example.com)
$(phase $S1 mail-from 00000000000000a8 anyone@example.org)
$(phase $S1 mail-from 00000000000000a9 ann@example.com)
$(phase $S1 mail-from 00000000000000aa other@example.com)
$(phase $S1 mail-from 00000000000000ab '')
$(phase $S1 mail-from 00000000000000ac '@hop.example:bob@example.com')
$(phase $S1 rcpt-to 00000000000000ad x@remote.example)
$(disconnect $S1)
$(phase $S1 mail-from 00000000000000ae bob@example.com)"
RUNFLAGS=
expect_eq "$V: AUTH before STARTTLS" \
    "reject|530 5.7.0 Must issue a STARTTLS command first" \
    "$(reply 00000000000000a1)"
expect_eq "$V: MAIL before STARTTLS" \
    "reject|530 5.7.0 Must issue a STARTTLS command first" \
    "$(reply 00000000000000a2)"
expect_eq "$V: MAIL without AUTH" "reject|530 5.7.0 Authentication required" \
    "$(reply 00000000000000a3)"
expect_eq "$V: RCPT without AUTH" "reject|530 5.7.0 Authentication required" \
    "$(reply 00000000000000a4)"
expect_eq "$V: own address" "proceed" "$(reply 00000000000000a5)"
expect_eq "$V: own address, other case, extension" "proceed" \
    "$(reply 00000000000000a6)"
expect_eq "$V: alias pointing to the login" "proceed" \
    "$(reply 00000000000000a7)"
expect_eq "$V: domain grant" "proceed" "$(reply 00000000000000a8)"
expect_eq "$V: another user's address" \
    "reject|553 5.7.1 <ann@example.com>: Sender address rejected: not owned by user bob@example.com" \
    "$(reply 00000000000000a9)"
expect_eq "$V: catch-all does not grant the domain" \
    "reject|553 5.7.1 <other@example.com>: Sender address rejected: not owned by user bob@example.com" \
    "$(reply 00000000000000aa)"
expect_eq "$V: null sender after AUTH" "proceed" "$(reply 00000000000000ab)"
expect_eq "$V: source route stripped before the check" "proceed" \
    "$(reply 00000000000000ac)"
expect_eq "$V: relay after AUTH" "proceed" "$(reply 00000000000000ad)"
expect_eq "$V: session gone after disconnect: 451" \
    "reject|451 4.3.0 Session state unknown, try again" \
    "$(reply 00000000000000ae)"
expect_file_match "$V: decisions logged as key=value" \
    "session=$S1 client=192.0.2.1 login=bob@example.com rule=sender-login address=<ann@example.com> result=reject reply=\"553 5.7.1" \
    "$LOG"
expect_nomatch "$V: AUTH argument never logged" "AHNlY3JldA" "$(cat "$LOG")"
# the format filter-submission(8) documents, every field, in order
expect_file_match "$V: a refusal, as documented" \
    "^filter-submission: session=$S1 client=192\.0\.2\.1 login=bob@example\.com rule=sender-login address=<ann@example\.com> result=reject reply=\"553 5\.7\.1 <ann@example\.com>: Sender address rejected: not owned by user bob@example\.com\"$" \
    "$LOG"
expect_file_match "$V: an accept: reply -" \
    "^filter-submission: session=$S1 client=192\.0\.2\.1 login=bob@example\.com rule=sender-login address=<bob@example\.com> result=proceed reply=-$" \
    "$LOG"
expect_file_match "$V: no login, no address: -, without brackets" \
    "^filter-submission: session=$S1 client=192\.0\.2\.1 login=- rule=tls address=- result=reject reply=\"530 5\.7\.0 Must issue a STARTTLS command first\"$" \
    "$LOG"
expect_file_match "$V: the null sender: <>" \
    "^filter-submission: session=$S1 client=192\.0\.2\.1 login=bob@example\.com rule=null-sender address=<> result=proceed reply=-$" \
    "$LOG"
done
V=0.7

# --- the visible sender
D=00000000000000d1
# bob MAIL COMMIT LINE...: a message of bob's, its tokens 00000000000000MAIL,
# $D and 00000000000000COMMIT
bob()
{
	b_mail=$1
	b_commit=$2
	shift 2
	message $S1 bob@example.com 00000000000000$b_mail $D \
	    00000000000000$b_commit "$@"
}
run "" "$(loggedin $S1 1 bob@example.com)
$(bob b1 b2 'From: Bob <bob@example.com>' 'Subject: a | pipe' '' \
    '..leading dot')
$(bob b3 b4 'from: Ann' '   <ann@example.com>' '')
$(bob b5 b6 'From: bob@example.com' 'Sender: Ann <ann@example.com>')
$(bob b7 b8 'From: "ceo@bank.example" <bob@example.com>' '')
$(bob b9 ba 'From: <bob@example.com' '')
$(bob bb bc 'From: Team <team@example.com>, Sales <x@example.org>' '' \
    'From: ann@example.com')"
expect_eq "own From: accepted at commit" "proceed" "$(reply 00000000000000b2)"
expect_eq "data lines echoed unchanged, '|' and dots included" \
"filter-dataline|$S1|$D|From: Bob <bob@example.com> filter-dataline|$S1|$D|Subject: a | pipe filter-dataline|$S1|$D| filter-dataline|$S1|$D|..leading dot filter-dataline|$S1|$D|." \
    "$(printf '%s\n' "$OUT" | grep "^filter-dataline" | head -5 | tr '\n' ' ' | sed 's/ $//')"
expect_eq "folded From: of another user refused" \
    "reject|550 5.7.1 <ann@example.com>: From address rejected: not owned by user bob@example.com" \
    "$(reply 00000000000000b4)"
expect_eq "Sender: of another user refused" \
    "reject|550 5.7.1 <ann@example.com>: Sender address rejected: not owned by user bob@example.com" \
    "$(reply 00000000000000b6)"
expect_eq "address in the display name refused" \
    "reject|550 5.7.1 <ceo@bank.example>: From display name rejected: not owned by user bob@example.com" \
    "$(reply 00000000000000b8)"
expect_match "unparsable From: refused" \
    "^reject\|550 5.7.1 From: header rejected: (bad|unterminated) angle address" \
    "$(reply 00000000000000ba)"
expect_eq "alias and grant in From:, body From: ignored" "proceed" \
    "$(reply 00000000000000bc)"

# --- message lines as smtpd passes them: a CR inside, the longest line
CR=$(printf 'a\rb')
LONG=$(awk 'BEGIN { x = "yyyyyyyyyy"; while (length(x) < 65534) x = x x
    print substr(x, 1, 65534) }')
run "" "$(loggedin $S1 1 bob@example.com)
$(phase $S1 mail-from 00000000000000e1 bob@example.com)
$(phase $S1 data-line $D "Subject: $CR")
$(phase $S1 data-line $D "$LONG")
$(phase $S1 data-line $D '.')"
expect_eq "CR inside a message line echoed as is" \
    "filter-dataline|$S1|$D|Subject: $CR" \
    "$(printf '%s\n' "$OUT" | grep "^filter-dataline" | sed -n 1p)"
expect_eq "65,534-byte message line (smtpd's longest) echoed" \
    "filter-dataline|$S1|$D|$LONG" \
    "$(printf '%s\n' "$OUT" | grep "^filter-dataline" | sed -n 2p)"
expect_eq "and the end of the message" "filter-dataline|$S1|$D|." \
    "$(printf '%s\n' "$OUT" | grep "^filter-dataline" | sed -n 3p)"

# --- header memory is bounded over all sessions: 520 sessions of 20
# logins from 10 clients each hold a From: header of 15,000 bytes at
# once; 8 MiB holds 512 of them, the rest are refused with a temporary
# failure, never accepted
i=0
while [ $i -lt 20 ]; do
	sqlite3 "$DB" "INSERT INTO users VALUES ('u$i@example.com', 'x', 1);"
	i=$((i + 1))
done
held_headers 520 4096 '"192.0.2." (i % 10 + 1)' '"u" (i % 20)' 243 \
    > "$T/many.in"
printf 'table %s\nmode submission\nmessages_per_hour 0\n' "$T/sqlite.conf" > "$T/f.conf"
OUT=$( (printf '%s\n' "$HS"; cat "$T/many.in") | "$FILTER" -d -f "$T/f.conf" 2>"$LOG")
expect_eq "512 sessions with a 15,000-byte From: accepted" 512 \
    "$(printf '%s\n' "$OUT" | grep -c '|00000000000000f3|proceed$')"
expect_eq "past 8 MiB of headers held: 451, never accepted" 8 \
    "$(printf '%s\n' "$OUT" | grep -c '|00000000000000f3|reject|451 4.3.0 Temporary failure checking the message headers$')"
expect_file_match "and logged" "no room for more" "$LOG"

# --- limits
run "recipients_per_message 2
messages_per_hour 2
auth_fail_limit 3" "$(tlsconnect $S1 1)
$(authfails $S1 ann@example.com 2)
$(phase $S1 auth 00000000000000c1 'LOGIN')
$(authfail $S1 ann@example.com)
$(phase $S1 auth 00000000000000c2 'LOGIN')
$(phase $S1 auth 00000000000000cb 'PLAIN AHNlY3JldA==')
$(conphase $S3 00000000000000cc 1)
$(conphase $S3 00000000000000cd 3)
$(tlsconnect $S2 2)
$(phase $S2 auth 00000000000000c3 'LOGIN')
$(authok $S2 bob@example.com)
$(phase $S2 mail-from 00000000000000c4 bob@example.com)
$(phase $S2 rcpt-to 00000000000000c5 a@remote.example)
$(phase $S2 rcpt-to 00000000000000c6 b@remote.example)
$(phase $S2 rcpt-to 00000000000000c7 c@remote.example)
$(phase $S2 mail-from 00000000000000c8 bob@example.com)
$(phase $S2 rcpt-to 00000000000000c9 c@remote.example)
$(phase $S2 mail-from 00000000000000ca bob@example.com)"
expect_eq "AUTH allowed below the failure limit" "proceed" \
    "$(reply 00000000000000c1)"
expect_eq "AUTH refused at the failure limit, the session ended (421)" \
    "reject|421 4.7.0 Error: too many failed AUTH attempts from 192.0.2.1" \
    "$(reply 00000000000000c2)"
expect_eq "AUTH with credentials on the line refused past the limit too" \
    "reject|421 4.7.0 Error: too many failed AUTH attempts from 192.0.2.1" \
    "$(reply 00000000000000cb)"
expect_eq "a new connection from the address refused at the limit" \
    "reject|421 4.7.0 Error: too many failed AUTH attempts from 192.0.2.1" \
    "$(reply 00000000000000cc)"
expect_eq "a new connection from another address accepted" "proceed" \
    "$(reply 00000000000000cd)"
expect_eq "the limit is per client address" "proceed" \
    "$(reply 00000000000000c3)"
expect_eq "recipient 2 of 2 accepted" "proceed" "$(reply 00000000000000c6)"
expect_eq "recipient 3 of 2 refused" \
    "reject|452 4.5.3 Error: too many recipients" "$(reply 00000000000000c7)"
expect_eq "a new transaction counts anew" "proceed" "$(reply 00000000000000c9)"
expect_eq "message 3 of 2 this hour refused" \
    "reject|450 4.7.1 Error: too much mail from bob@example.com" \
    "$(reply 00000000000000ca)"

# --- mx mode: relay control and unauthenticated senders
# relays COMMAND...: COMMAND TOKEN ADDRESS for each recipient the mx
# filter must not relay to
relays()
{
	for t in e7:x@remote.example e8:x%remote.example@example.com \
	    e9:remote.example!x@example.com 'ea:"x@remote.example"@example.com' \
	    eb:@example.com:x@remote.example ec:x@remote.example@example.com \
	    ed:x@example.com. 'ee:x@[192.0.2.9]'; do
		"$@" 00000000000000${t%%:*} "${t#*:}"
	done
}
# refused TOKEN ADDRESS: the request TOKEN, RCPT TO:<ADDRESS>, refused
refused()
{
	expect_eq "mx: relay refused for <$2>" \
	    "reject|554 5.7.1 <$2>: Relay access denied" "$(reply $1)"
}
run "mode mx" "$(connect $S1 7)
$(greeting $S1 mx.example.net)
$(phase $S1 mail-from 00000000000000e1 stranger@remote.example)
$(phase $S1 mail-from 00000000000000e2 Bob@Example.com)
$(phase $S1 mail-from 00000000000000e3 team@example.com)
$(phase $S1 mail-from 00000000000000e4 '')
$(phase $S1 rcpt-to 00000000000000e5 bob@example.com)
$(phase $S1 rcpt-to 00000000000000e6 someone@EXAMPLE.COM)
$(relays phase $S1 rcpt-to)
$(phase $S1 rcpt-to 00000000000000ef 'postmaster')
$(tls $S1)
$(authok $S1 bob@example.com)
$(phase $S1 mail-from 00000000000000f1 ann@example.com)
$(phase $S1 rcpt-to 00000000000000f2 x@remote.example)"
expect_eq "mx: stranger may send" "proceed" "$(reply 00000000000000e1)"
expect_eq "mx: a local login's address needs AUTH" \
    "reject|553 5.7.1 <Bob@example.com>: Sender address rejected: not logged in" \
    "$(reply 00000000000000e2)"
expect_eq "mx: an alias of a login too" \
    "reject|553 5.7.1 <team@example.com>: Sender address rejected: not logged in" \
    "$(reply 00000000000000e3)"
expect_eq "mx: null sender accepted" "proceed" "$(reply 00000000000000e4)"
expect_eq "mx: local recipient" "proceed" "$(reply 00000000000000e5)"
expect_eq "mx: local domain in upper case" "proceed" "$(reply 00000000000000e6)"
relays refused
expect_eq "mx: bare local part is for smtpd's own host name" "proceed" \
    "$(reply 00000000000000ef)"
expect_eq "mx: authenticated sender still matched" \
    "reject|553 5.7.1 <ann@example.com>: Sender address rejected: not owned by user bob@example.com" \
    "$(reply 00000000000000f1)"
expect_eq "mx: authenticated relay" "proceed" "$(reply 00000000000000f2)"

# --- fail closed: the database goes away
mv "$DB" "$DB.away"
run "" "$(loggedin $S1 1 bob@example.com)
$(phase $S1 mail-from 0000000000000101 bob@example.com)"
expect_eq "database missing: temporary failure, not an accept" \
    "reject|451 4.3.0 <bob@example.com>: Temporary lookup failure" \
    "$(reply 0000000000000101)"
mv "$DB.away" "$DB"

# --- hostile input: nothing makes it exit, every request is answered
BIG=$(head -c 100000 /dev/zero | tr '\0' 'a')
run "max_sessions 16" "$(connect $S1 1)
garbage
report|0.7|1.0|smtp-in|link-connect|nothex|a|b|c|d
filter|0.9|1.0|smtp-in|mail-from|$S1|0000000000000201|x@y
filter|0.7|1.0|smtp-in|mail-from|$S1|0000000000000202
filter|0.7|1.0|smtp-in|no-such-phase|$S1|0000000000000203|x
report|0.7|1.0|smtp-in|link-auth|$S1
report|0.7|1.0|smtp-in|link-tls|$S3|x
filter|0.7|1.0|smtp-in|mail-from|$S1|0000000000000204|$BIG
$(phase $S3 data-line 0000000000000205 'orphan line')
$(phase $S3 commit 0000000000000206 '')
$(i=16; while [ $i -lt 40 ]; do connect 00000000000000$i 3; i=$((i + 1)); done)
$(phase $S1 mail-from 0000000000000207 bob@example.com)
$(phase 0000000000000039 mail-from 0000000000000208 bob@example.com)"
expect_eq "bad version: answered" "reject|451 4.3.0 Temporary failure" \
    "$(reply 0000000000000201)"
expect_eq "missing parameter: answered" "reject|451 4.3.0 Temporary failure" \
    "$(reply 0000000000000202)"
expect_eq "unknown phase: answered" "reject|451 4.3.0 Temporary failure" \
    "$(reply 0000000000000203)"
expect_eq "data line of an unknown session still echoed" \
    "filter-dataline|$S3|0000000000000205|orphan line" \
    "$(printf '%s\n' "$OUT" | grep '^filter-dataline')"
expect_eq "commit of an unknown session: 451" \
    "reject|451 4.3.0 Session state unknown, try again" \
    "$(reply 0000000000000206)"
expect_eq "oldest session dropped past max_sessions: 451" \
    "reject|451 4.3.0 Session state unknown, try again" \
    "$(reply 0000000000000207)"
expect_eq "newest session still known" \
    "reject|530 5.7.0 Must issue a STARTTLS command first" \
    "$(reply 0000000000000208)"
expect_eq "exit status after all of it is 0 (EOF)" "0" "$RC"
expect_file_match "bad lines logged" "bad line|bad filter request" "$LOG"

# --- configuration
check_conf "mode nonsense"
expect_eq "-n on a bad configuration: exit 1" "1" "$RC"
expect_match "and says what and where" "check.conf:2: mode: nonsense is not" \
    "$ERR"
check_conf ""
expect_eq "-n on a good configuration: exit 0" "0" "$RC"

filter_done
