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
# The fail2ban filter of contrib/fail2ban, run by fail2ban-regex on what
# filter-submission logs: lines it writes here for failed AUTHs, the
# failed-AUTH limit and relay refusals, hostile logins and addresses
# among them, and lines the end-to-end tests collected from a real smtpd
# (fail2ban_e2e.log, from tests/e2e/t_hostile.sh, which also runs the
# filter on its own lines).  A ban goes to the client's address and to
# no address a client wrote.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
needs fail2ban-regex
. "$TOP/tests/proto/filterlib.sh"
. "$TOP/tests/fail2ban.sh"

S1=0000000000000001
S2=0000000000000002
S3=0000000000000003
S4=0000000000000004

b64() { printf "$1" | base64_line; }

# Logins that try to forge a field, a line, or to push the marker out of
# a line cut at its length: each fails from 192.0.2.1.
LONG=$(printf '%0250d' 0 | tr 0 '"')
run "auth_fail_limit 4" "$(connect $S1 1)
$(tls $S1)
$(authfail $S1 'x client=203.0.113.9')
$(authfail $S1 'x" client=203.0.113.9 event=auth result=fail login="y')
$(authfail $S1 'x\\nsession=0000000000000009 client=203.0.113.9 event=auth result=fail login=y')
$(authfail $S1 "$LONG")
$(phase $S1 auth 00000000000000a1 "PLAIN $(b64 '\0bob@example.com\0x')")
$(connect $S2 1)
$(conphase $S2 00000000000000a2 1)
$(connect $S4 3)
$(tls $S4)
$(authfail $S4 ann@example.com)"
expect_eq "the 5th AUTH is past the limit" \
    "reject|421 4.7.0 Error: too many failed AUTH attempts from 192.0.2.1" \
    "$(reply 00000000000000a1)"
f2b_syslog <"$LOG" >"$T/mail.log"
run "mode mx" "$(connect $S3 2)
$(phase $S3 rcpt-to 00000000000000a3 'x" result=reject client=203.0.113.7 reply="y:u@remote.test')
$(phase $S3 mail-from 00000000000000a4 'x client=203.0.113.8:bob@example.com')"
f2b_syslog <"$LOG" >>"$T/mail.log"
expect_eq "mx: a relay with a forged log line refused" \
    "reject|554 5.7.1 <x\" result=reject client=203.0.113.7 reply=\"y:u@remote.test>: Relay access denied" \
    "$(reply 00000000000000a3)"
expect_eq "mx: a local sender without AUTH refused" \
    "reject|553 5.7.1 <bob@example.com>: Sender address rejected: not logged in" \
    "$(reply 00000000000000a4)"
expect_eq "one failed-AUTH line per failure" 5 \
    "$(grep -c 'event=auth result=fail' "$T/mail.log")"
expect_eq "the login last on the line, the marker before it" 5 \
    "$(grep -c ': session=[0-9a-f]* client=192\.0\.2\.[13] event=auth result=fail login=' "$T/mail.log")"
expect_nomatch "no hostile login splits a line" \
    '^session=|[^\\]"[^ ]* client=203' "$(cat "$T/mail.log")"
expect_f2b "normal: 4 failures and 2 refusals of 192.0.2.1, 1 failure of 192.0.2.3" \
    "$T/mail.log" normal "6 192.0.2.1
1 192.0.2.3"
expect_f2b "aggressive: and the relay and sender of 192.0.2.2, once for its session" \
    "$T/mail.log" aggressive "6 192.0.2.1
1 192.0.2.2
1 192.0.2.3"
expect_match "the second refusal of the session is logged as a repeat" \
    "client=192\.0\.2\.2 login=- rule=sender-login .*result=repeat reply=\"553 " \
    "$(cat "$T/mail.log")"

# One message of a peer MTA to five recipients we do not serve (a domain
# whose MX points at us): one count, in two sessions two
rcpts()
{
	for r in 1 2 3 4 5; do
		phase "$1" rcpt-to "0000000000000$2$r" "u$r@remote.test"
	done
}
run "mode mx" "$(connect $S1 40)
$(phase $S1 mail-from 00000000000000c0 'list@remote.test')
$(rcpts $S1 c1)
$(phase $S1 mail-from 00000000000000c6 'list@remote.test')
$(rcpts $S1 c7)
$(connect $S2 40)
$(rcpts $S2 d1)"
f2b_syslog <"$LOG" >"$T/peer.log"
expect_eq "peer MTA: each recipient refused" 15 \
    "$(grep -c 'rule=relay .*reply="554 5\.7\.1' "$T/peer.log")"
expect_f2b "peer MTA: aggressive counts one per session, far from maxretry" \
    "$T/peer.log" aggressive "2 192.0.2.40"

# Refusals caused by others' failures match nothing: a login closed to
# new networks (auth-lockout), the /64 of a client that never failed
# (auth-network).  fd00:1::2 fails; fd00:1::3, in its /64, never did.
c6() { echo "report|$V|1.0|smtp-in|link-connect|$1|rdns|pass|[$2]:4242|[fd00:1::1]:587"; }
run "auth_fail_limit 2" "$(connect $S1 50)
$(tls $S1)
$(authfail $S1 ceo@example.com)
$(authfail $S1 ceo@example.com)
$(connect $S2 51)
$(tls $S2)
$(authfail $S2 ceo@example.com)
$(authfail $S2 ceo@example.com)
$(connect $S3 52)
$(tls $S3)
$(phase $S3 auth 00000000000000e1 "PLAIN $(b64 '\0ceo@example.com\0right')")
$(phase $S3 auth 00000000000000e2 'LOGIN')
$(phase $S3 mail-from 00000000000000e6 'ceo@example.com')
$(connect 0000000000000014 52)
$(tls 0000000000000014)
$(phase 0000000000000014 auth 00000000000000e7 "PLAIN $(b64 '\0ceo@example.com\0right')")
$(phase 0000000000000014 mail-from 00000000000000e8 'ceo@example.com')
$(c6 $S4 fd00:1::2)
$(tls $S4)
$(authfail $S4 x@example.com)
$(authfail $S4 x@example.com)
$(c6 0000000000000011 fd00:1::3)
$(phase 0000000000000011 connect 00000000000000e3 'rdns|fd00:1::3')
$(c6 0000000000000012 fd00:1::3)
$(phase 0000000000000012 connect 00000000000000e4 'rdns|fd00:1::3')
$(c6 0000000000000013 fd00:1::2)
$(phase 0000000000000013 connect 00000000000000e5 'rdns|fd00:1::2')"
f2b_syslog <"$LOG" >"$T/others.log"
expect_eq "a login closed to a new network: temporary" \
    "reject|454 4.7.0 Temporary authentication failure, try again later" \
    "$(reply 00000000000000e1)"
expect_eq "fd00:1::3, its /64 past the limit: temporary, not its doing" \
    "reject|421 4.7.0 Too many failed AUTH attempts from your network, try again later" \
    "$(reply 00000000000000e4)"
expect_eq "fd00:1::2 itself: its own doing" \
    "reject|421 4.7.0 Error: too many failed AUTH attempts from fd00:1::2" \
    "$(reply 00000000000000e5)"
expect_eq "the owner, refused AUTH for others' doing, sends without it" \
    "reject|530 5.7.0 Authentication required" \
    "$(reply 00000000000000e8)"
expect_match "that refusal follows from ours: not counted" \
    "client=192\.0\.2\.52 login=- rule=auth .*result=repeat reply=\"530 " \
    "$(cat "$T/others.log")"
expect_eq "the refusals of others' doing are logged" 5 \
    "$(grep -c 'rule=auth-\(lockout\|network\) address=- result=reject' "$T/others.log")"
for mode in normal aggressive; do
	expect_f2b "$mode: only the clients' own failures and refusals" \
	    "$T/others.log" $mode "2 192.0.2.50
2 192.0.2.51
3 fd00:1::2"
done

# What a client that logs in and sends is logged with, with -v too: an
# AUTH passed, an AUTH in error, the commands let through, the accepted
# messages, a login written like a failure.  Nothing counts.
RUNFLAGS=-dv
run "mode mx" "$(connect $S1 60)
$(tls $S1)
$(phase $S1 auth 00000000000000f1 'PLAIN AGJvYkBleGFtcGxlLmNvbQBz')
$(autherror $S1 bob@example.com)
$(authok $S1 'x\\040result=fail\\040login=y@example.com')
$(phase $S1 mail-from 00000000000000f2 '')
$(txmail $S1 0badf00d '')
$(phase $S1 rcpt-to 00000000000000f3 u@remote.test)
$(txrcpt $S1 0badf00d u@remote.test)
$(txcommit $S1 0badf00d 100)
$(connect $S2 61)
$(phase $S2 mail-from 00000000000000f4 list@remote.test)
$(txmail $S2 0badf00e list@remote.test)
$(phase $S2 rcpt-to 00000000000000f5 bob@example.com)
$(txrcpt $S2 0badf00e bob@example.com)
$(txcommit $S2 0badf00e 200)"
RUNFLAGS=
f2b_syslog <"$LOG" >"$T/sent.log"
expect_eq "sent: an AUTH passed, one in error, two messages, 5 commands" \
    "1 1 2 5" \
    "$(grep -c 'event=auth result=pass' "$T/sent.log") $(grep -c 'event=auth result=error' "$T/sent.log") $(grep -c 'event=message result=accept' "$T/sent.log") $(grep -c 'result=proceed' "$T/sent.log")"
for mode in normal aggressive; do
	expect_f2b "sent, $mode: nothing counts" "$T/sent.log" $mode ""
done

# journalmatch: only lines journald says filter-submission wrote
JM=$(sed -n 's/^journalmatch *= *//p' "$F2B_FILTER")
expect_match "journalmatch: the process's name, which journald sets" \
    "(^| )_COMM=filter-submissi( |$)" "$JM"
expect_match "journalmatch: and smtpd's unit, which no user can log from" \
    "(^| )_SYSTEMD_UNIT=opensmtpd\.service( |$)" "$JM"
expect_nomatch "journalmatch: no alternative a forged line could take" \
    "\+" "$JM"

# warn_only and soft_bounce: the admin wants no refusal; nothing banned
run "mode mx
auth_fail_limit 1
warn_only yes" "$(connect $S1 1)
$(authfail $S1 bob@example.com)
$(phase $S1 auth 00000000000000b1 "PLAIN $(b64 '\0bob@example.com\0x')")
$(connect $S2 2)
$(phase $S2 rcpt-to 00000000000000b2 'u@remote.test')"
f2b_syslog <"$LOG" >"$T/warn.log"
expect_match "warn_only: the limit logged as warn" \
    "rule=auth-limit .*result=warn" "$(cat "$T/warn.log")"
expect_f2b "warn_only: the failure alone counts" "$T/warn.log" aggressive \
    "1 192.0.2.1"
run "mode mx
soft_bounce yes" "$(connect $S2 2)
$(phase $S2 rcpt-to 00000000000000b3 'u@remote.test')"
f2b_syslog <"$LOG" >"$T/soft.log"
expect_match "soft_bounce: the relay refused with 454" \
    "rule=relay .*result=reject reply=\"454 " "$(cat "$T/soft.log")"
expect_f2b "soft_bounce: a temporary refusal bans nobody" "$T/soft.log" \
    aggressive ""

# Forged lines: another program's, one without the tag, a date a client
# wrote
cat >"$T/forged.log" <<'EOL'
Nov 25 18:40:00 mx1 smtpd[1]: session=0000000000000001 client=203.0.113.1 event=auth result=fail login=x
Nov 25 18:40:00 mx1 session=0000000000000001 client=203.0.113.2 event=auth result=fail login=x
Nov 25 18:40:00 mx1 cron[2]: filter-submission[3]: session=0000000000000001 client=203.0.113.3 event=auth result=fail login=x
Nov 25 18:40:00 mx1 filter-submission[3]: x session=0000000000000001 client=203.0.113.4 event=auth result=fail login=x
EOL
expect_f2b "lines not filter-submission's own match nothing" \
    "$T/forged.log" aggressive ""

# What a real smtpd made filter-submission log (tests/e2e/t_hostile.sh)
cp "$TOP/tests/proto/fail2ban_e2e.log" "$T/e2e.log"
expect_eq "e2e: the lines of 14 failed AUTHs" 14 \
    "$(grep -c 'event=auth result=fail' "$T/e2e.log")"
expect_f2b "e2e: every match is the client's, 127.0.0.1" "$T/e2e.log" \
    normal "17 127.0.0.1"
expect_f2b "e2e: aggressive adds the refused relays" "$T/e2e.log" \
    aggressive "21 127.0.0.1"
expect_match "e2e: hostile logins and a forged relay line in the log" \
    "203\.0\.113\.7.*203\.0\.113\.9|203\.0\.113\.9.*203\.0\.113\.7" \
    "$(tr '\n' ' ' <"$T/e2e.log")"
expect_nomatch "e2e: the forged addresses are not banned" \
    "203\.0\.113\." "$(f2b_ips "$T/e2e.log" aggressive)"

filter_done
