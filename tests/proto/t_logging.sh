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
# What filter-submission writes to syslog, as a daemon does (no -d), read
# from its /dev/log (tests/devlog.sh): the refusals and every AUTH
# result at notice, one line per message smtpd accepted at info, and the
# commands it let through only with -v, at debug.  Exactly those lines,
# in order.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/proto/filterlib.sh"
. "$TOP/tests/devlog.sh"
. "$TOP/tests/fail2ban.sh"

S1=0000000000000001
S2=0000000000000002
S3=0000000000000003
M1=0badf00d
M2=0badf00e
M3=0badf00f

if ! devlog_start "$T/log"; then
	fail "a syslog reader and a mount namespace (root, or unshare -r)"
	filter_done
	exit
fi

# slog FLAGS CONF INPUT: run the filter as smtpd does, with FLAGS; its
# syslog lines in $SLOG ("priority text", the pid taken out), its output
# in $OUT
slog()
{
	printf 'table %s\n%s\n' "$T/sqlite.conf" "$2" > "$T/f.conf"
	: >"$T/log/syslog"
	# shellcheck disable=SC2086
	OUT=$(printf '%s\n%s\n' "$HS" "$3" |
	    devlog_run "$FILTER" $1 -f "$T/f.conf" 2>"$T/stderr")
	devlog_sync || fail "the reader wrote what was sent"
	SLOG=$(sed -n 's/^mail\.\([a-z]*\) filter-submission\[[0-9]*\]: /\1 /p' \
	    "$T/log/syslog")
}

# A submission session: a failed AUTH, a passed one, a message to two
# recipients of which smtpd took both (a third it refused itself), a
# sender the login does not own, a second message that smtpd rolled
# back after DATA (no tx-commit), then a null-sender message.
SESSION="$(connect $S1 1)
$(conphase $S1 00000000000000a0 1)
$(tls $S1)
$(phase $S1 auth 00000000000000a1 'PLAIN AGJvYkBleGFtcGxlLmNvbQB4')
$(authfail $S1 bob@example.com)
$(phase $S1 auth 00000000000000a2 'PLAIN AGJvYkBleGFtcGxlLmNvbQBz')
$(authok $S1 Bob@Example.COM)
$(phase $S1 mail-from 00000000000000a3 bob@example.com)
$(txmail $S1 $M1 bob@example.com)
$(phase $S1 rcpt-to 00000000000000a4 x@remote.example)
$(txrcpt $S1 $M1 x@remote.example)
$(phase $S1 rcpt-to 00000000000000a5 y@remote.example)
$(txrcpt $S1 $M1 y@remote.example)
$(phase $S1 rcpt-to 00000000000000a6 nobody@example.com)
$(txrcpt $S1 $M1 nobody@example.com permfail)
$(phase $S1 data-line 00000000000000a7 'From: Bob <bob@example.com>')
$(phase $S1 data-line 00000000000000a7 '')
$(phase $S1 data-line 00000000000000a7 'hello')
$(phase $S1 data-line 00000000000000a7 '.')
$(phase $S1 commit 00000000000000a8 '')
$(txcommit $S1 $M1 4321)
$(phase $S1 mail-from 00000000000000a9 ann@example.com)
$(phase $S1 mail-from 00000000000000aa bob@example.com)
$(txmail $S1 $M2 bob@example.com)
$(phase $S1 rcpt-to 00000000000000ab x@remote.example)
$(txrcpt $S1 $M2 x@remote.example)
$(phase $S1 mail-from 00000000000000ac '')
$(txmail $S1 $M3 '')
$(phase $S1 rcpt-to 00000000000000ad x@remote.example)
$(txrcpt $S1 $M3 x@remote.example)
$(phase $S1 data-line 00000000000000ae 'From: Bob <bob@example.com>')
$(phase $S1 data-line 00000000000000ae '')
$(phase $S1 data-line 00000000000000ae '.')
$(phase $S1 commit 00000000000000af '')
$(txcommit $S1 $M3 77)
$(disconnect $S1)"

for V in 0.7 0.6; do
slog "" "" "$SESSION"
expect_eq "$V: the accepted message passed the filter" "proceed" \
    "$(printf '%s\n' "$OUT" | grep '|00000000000000a8|' | sed 's/.*|//')"
expect_eq "$V: exactly the lines an admin reads, at their priorities" \
"notice session=$S1 client=192.0.2.1 event=auth result=fail login=bob@example.com
notice session=$S1 client=192.0.2.1 event=auth result=pass login=bob@example.com
info session=$S1 client=192.0.2.1 event=message result=accept login=bob@example.com from=<bob@example.com> rcpt=2 size=4321 msgid=$M1
notice session=$S1 client=192.0.2.1 login=bob@example.com rule=sender-login address=<ann@example.com> result=reject reply=\"553 5.7.1 <ann@example.com>: Sender address rejected: not owned by user bob@example.com\"
info session=$S1 client=192.0.2.1 event=message result=accept login=bob@example.com from=<> rcpt=1 size=77 msgid=$M3" \
    "$SLOG"
expect_eq "$V: nothing on standard error (smtpd logs it as errors)" "" \
    "$(cat "$T/stderr")"

slog -v "" "$SESSION"
expect_eq "$V: -v: each command let through, at debug" \
"debug session=$S1 client=192.0.2.1 login=- rule=connect address=- result=proceed reply=-
debug session=$S1 client=192.0.2.1 login=- rule=auth address=- result=proceed reply=-
notice session=$S1 client=192.0.2.1 event=auth result=fail login=bob@example.com
debug session=$S1 client=192.0.2.1 login=- rule=auth address=- result=proceed reply=-
notice session=$S1 client=192.0.2.1 event=auth result=pass login=bob@example.com
debug session=$S1 client=192.0.2.1 login=bob@example.com rule=sender-login address=<bob@example.com> result=proceed reply=-
debug session=$S1 client=192.0.2.1 login=bob@example.com rule=relay-auth address=<x@remote.example> result=proceed reply=-
debug session=$S1 client=192.0.2.1 login=bob@example.com rule=relay-auth address=<y@remote.example> result=proceed reply=-
debug session=$S1 client=192.0.2.1 login=bob@example.com rule=relay-auth address=<nobody@example.com> result=proceed reply=-
debug session=$S1 client=192.0.2.1 login=bob@example.com rule=header address=- result=proceed reply=-
info session=$S1 client=192.0.2.1 event=message result=accept login=bob@example.com from=<bob@example.com> rcpt=2 size=4321 msgid=$M1" \
    "$(printf '%s\n' "$SLOG" | grep ' session=' | sed -n '1,11p')"
expect_eq "$V: -v: the refusal still at notice, the rest at debug" \
    "notice 1
debug 5
info 1" \
    "$(printf '%s\n' "$SLOG" | grep ' session=' | sed -n '12,$p' | awk '{ n[$1]++ }
    END { printf "notice %d\ndebug %d\ninfo %d\n", n["notice"], n["debug"],
    n["info"] }')"
done
V=0.7

# An MX: a peer without AUTH, a refused relay, then a message from a
# remote sender; smtpd's error and a refused sender.
slog "" "mode mx" "$(connect $S2 9)
$(phase $S2 rcpt-to 00000000000000b1 u@remote.test)
$(phase $S2 mail-from 00000000000000b2 list@remote.test)
$(txmail $S2 $M1 list@remote.test)
$(phase $S2 rcpt-to 00000000000000b3 bob@example.com)
$(txrcpt $S2 $M1 bob@example.com)
$(txcommit $S2 $M1 1000)
$(phase $S2 mail-from 00000000000000b4 other@remote.test)
$(txmail $S2 $M2 other@remote.test tempfail)
$(txcommit $S2 $M2 5)
$(connect $S3 10)
$(tls $S3)
$(autherror $S3 ann@example.com)
$(disconnect $S2)
$(disconnect $S3)"
expect_eq "mx: a relay refused, a message without login, an AUTH error" \
"notice session=$S2 client=192.0.2.9 login=- rule=relay address=<u@remote.test> result=reject reply=\"554 5.7.1 <u@remote.test>: Relay access denied\"
info session=$S2 client=192.0.2.9 event=message result=accept login=- from=<list@remote.test> rcpt=1 size=1000 msgid=$M1
notice session=$S3 client=192.0.2.10 event=auth result=error login=ann@example.com" \
    "$SLOG"

# The sender as smtpd takes it, as the filter judged it: a route, or
# no domain (smtpd's host name added)
slog "" "mode mx" "$(connect $S2 9)
$(greeting $S2 mx.example.com)
$(txmail $S2 $M1 '@hop.test:List@Remote.TEST')
$(txrcpt $S2 $M1 bob@example.com)
$(txcommit $S2 $M1 10)
$(txmail $S2 $M2 'x:ann')
$(txrcpt $S2 $M2 bob@example.com)
$(txcommit $S2 $M2 20)"
expect_eq "mx: the sender smtpd derives" \
"info session=$S2 client=192.0.2.9 event=message result=accept login=- from=<List@remote.test> rcpt=1 size=10 msgid=$M1
info session=$S2 client=192.0.2.9 event=message result=accept login=- from=<ann@mx.example.com> rcpt=1 size=20 msgid=$M2" \
    "$SLOG"

# A sender written to forge fields ('=' is allowed in an address):
# escaped like every value.
slog "" "mode mx" "$(connect $S2 9)
$(phase $S2 mail-from 00000000000000c1 'x=1_rcpt=9_size=0@remote.test')
$(txmail $S2 $M1 'x=1_rcpt=9_size=0@remote.test')
$(phase $S2 rcpt-to 00000000000000c2 bob@example.com)
$(txrcpt $S2 $M1 bob@example.com)
$(txcommit $S2 $M1 1000)"
expect_eq "mx: a hostile sender cannot forge a field" \
    "info session=$S2 client=192.0.2.9 event=message result=accept login=- from=<x\\x3d1_rcpt\\x3d9_size\\x3d0@remote.test> rcpt=1 size=1000 msgid=$M1" \
    "$SLOG"

# A line is not held back until more input comes: with smtpd quiet
# (its end of the pipe open, nothing more sent), the failed AUTH reaches
# syslog, where fail2ban waits for it.
: >"$T/log/syslog"
printf 'table %s\n' "$T/sqlite.conf" > "$T/f.conf"
{
	printf '%s\n%s\n%s\n%s\n' "$HS" "$(connect $S3 11)" "$(tls $S3)" \
	    "$(authfail $S3 carol@example.com)"
	i=0
	while [ ! -e "$T/seen" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
} | devlog_run "$FILTER" -f "$T/f.conf" >/dev/null 2>&1 &
QUIET=$!
i=0
while ! grep -q 'result=fail login=carol' "$T/log/syslog" &&
    [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ -e "$T/seen" ]; then
	fail "the filter ended before the test saw its line"
else
	expect_match "a line logged while smtpd is quiet reaches syslog" \
	    "client=192\.0\.2\.11 event=auth result=fail login=carol@example\.com" \
	    "$(cat "$T/log/syslog")"
fi
: >"$T/seen"
wait "$QUIET"

# fail2ban: of all these, only the failed AUTH and the relay refusal
# (aggressive) count; no accepted message, no AUTH passed or in error
slog "" "" "$SESSION"
printf '%s\n' "$(sed -n 's/^mail\.[a-z]* //p' "$T/log/syslog")" |
    sed 's/^/Nov 25 18:40:00 mx1 /' >"$T/f2b.log"
expect_eq "fail2ban: the lines of a session that sent mail" 5 \
    "$(grep -c 'filter-submission\[[0-9]*\]: session=' "$T/f2b.log")"
for mode in normal aggressive; do
	expect_f2b "fail2ban $mode: the failed AUTH alone counts" \
	    "$T/f2b.log" $mode "1 192.0.2.1"
done

devlog_stop
filter_done
