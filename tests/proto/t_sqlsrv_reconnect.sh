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
# A reconnection from inside the sandbox reads what libpq reads: the
# password in a file named by PGPASSFILE, outside the directories of
# the configuration and the database.  table-sqlite and
# filter-submission connect at start (before the sandbox), then
# PostgreSQL (tests/proto/sqlsrv.sh) stops and starts again: lookups
# must come back to answers by themselves, over the Unix socket and
# over TCP, within a few seconds.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"

T=$(mktemp -d /tmp/t_sqlsrv_reconnect.XXXXXX) || exit 1
. "$TOP/tests/proto/table_fixture.sh"
. "$TOP/tests/proto/sqlsrv.sh"
FILTER=$TOP/filter-submission/filter-submission
trap 'srv_pg_stop' EXIT
trap 'srv_pg_stop; exit 1' INT TERM

srv_pg_start
ok "PostgreSQL runs on $PGSOCK and 127.0.0.1:$PGPORT"
srv_pg_sql "$SRV_SCHEMA_PG
INSERT INTO domains VALUES ('example.com');
INSERT INTO users VALUES ('bob@example.com', 'x', 1);
GRANT SELECT ON ALL TABLES IN SCHEMA public TO kit;" >"$T/load.log" 2>&1 ||
    srv_abort "PostgreSQL: load: $(tail -n 3 "$T/load.log")"

# The configuration in one directory, the password in another: libpq's
# password file, \ and : escaped; mode 0600, or libpq ignores it.
mkdir "$T/conf" "$T/secret"
printf '*:*:*:kit:%s\n' "$(printf '%s' "$SRVPW" |
    sed -e 's/\\/\\\\/g' -e 's/:/\\:/g')" > "$T/secret/pgpass"
chmod 600 "$T/secret/pgpass"
PGPASSFILE=$T/secret/pgpass
export PGPASSFILE
printf 'conninfo host=%s port=%s dbname=kit user=kit\n' "$PGSOCK" \
    "$PGPORT" > "$T/conf/sock.conf"
printf 'conninfo host=127.0.0.1 port=%s dbname=kit user=kit\n' \
    "$PGPORT" > "$T/conf/tcp.conf"
for c in sock tcp; do
	printf 'query_timeout 1000\nconnect_timeout 2\n' >> "$T/conf/$c.conf"
	chmod 600 "$T/conf/$c.conf"
done

srv_cmd pg-stop "srv_pg_stop"
srv_cmd pg-start "srv_pg_start"

# The sandbox must be in place, or the test proves nothing: on Linux
# Landlock (an ABI before 4 restricts files all the same), elsewhere
# pledge and unveil.
sandboxed()
{
	if grep -q 'restrictions after start-up' "$LOG" &&
	    ! grep -q 'restrictions after start-up: Landlock ABI' "$LOG"; then
		fail "$1: the sandbox is not in place:" \
		    "$(grep 'restrictions after start-up' "$LOG")"
	else
		ok "$1 runs in its sandbox"
	fi
}

# ms: the clock in milliseconds, into a file.
STAMP='date +%s%3N >'

# ------------------------------------------------------------ the table
# poll: lookups a quarter of a second apart, the clock after each; one
# must be found (the back-off is 8 s at most).
POLL=""
for i in $(seq 1 40); do
	POLL="$POLL
check domain example.com
!$STAMP $T/clock/p$i
!sleep 0.25"
done

for c in sock tcp; do
	: > "$LOG"
	rm -rf "$T/clock"
	mkdir "$T/clock"
	OUT=$(printf 'check domain example.com
!sh %s
check domain example.com
!sh %s
!%s %s
%s
alive\n' "$T/pg-stop" "$T/pg-start" "$STAMP" "$T/clock/p0" "$POLL" |
	    "$DRIVE" -t 20000 -V 7.6.0 -- "$TABLE" -dv "$T/conf/$c.conf" \
	    2>>"$LOG")
	sandboxed "table-sqlite ($c)"
	expect_match "table ($c): the password file is kept readable" \
	    "readable for reconnections: $T/secret/pgpass" "$(cat "$LOG")"
	expect_eq "table ($c): found, connected at start without a password" \
	    "check-result|ID|found" "$(nth 7)"
	expect_match "table ($c): server stopped: a temporary error" \
	    '^check-result\|ID\|error\|' "$(nth 8)"
	first=$(printf '%s\n' "$OUT" | sed -n '9,$p' |
	    grep -n '^check-result|ID|found$' | head -n 1 | cut -d : -f 1)
	if [ -n "$first" ]; then
		d=$(( $(cat "$T/clock/p$first") - $(cat "$T/clock/p0") ))
		if [ "$d" -le 10000 ]; then
			ok "table ($c): found again $d ms after the restart" \
			    "(lookup $first), the password read from PGPASSFILE"
		else
			fail "table ($c): found again only after $d ms"
		fi
	else
		fail "table ($c): never found again after the restart:" \
		    "$(grep -v '^check-result|ID|found$' "$LOG" | tail -n 2)"
	fi
	expect_eq "table ($c): runs on" "alive" "$(printf '%s\n' "$OUT" |
	    tail -n 1)"
done

# ----------------------------------------------------------- the filter
# The filter on the same table: sender_check asks the database at each
# MAIL FROM (a sender that bob does not own: 553; the
# database down: 451).  Driven through a FIFO, answer by answer.
FLOG=$T/filter.log
mkfifo "$T/fin" "$T/fout"
printf 'table %s\nsender_check yes\n' "$T/conf/sock.conf" > "$T/conf/f.conf"
# mailfrom N: send MAIL FROM with token N, print the filter's answer
mailfrom()
{
	printf 'filter|0.7|1.0|smtp-in|mail-from|0000000000000001|%016x|nobody@example.com\n' \
	    "$1" >&3
	IFS= read -r ans <&4 || ans="(closed)"
	echo "$ans" | sed 's/^filter-result|[0-9a-f]*|[0-9a-f]*|//'
}
"$FILTER" -dv -f "$T/conf/f.conf" <"$T/fin" >"$T/fout" 2>"$FLOG" &
FPID=$!
exec 3>"$T/fin" 4<"$T/fout"
# A filter that hangs is killed, so that each read below ends.
(sleep 120; kill "$FPID") >/dev/null 2>&1 3>&- 4<&- &
WPID=$!
{
	echo 'config|smtpd-version|7.6.0'
	echo 'config|subsystem|smtp-in'
	echo 'config|ready'
	echo 'report|0.7|1.0|smtp-in|link-connect|0000000000000001|rdns|pass|192.0.2.1:4242|192.0.2.25:587'
	echo 'report|0.7|1.0|smtp-in|link-tls|0000000000000001|TLSv1.3:TLS_AES_256_GCM_SHA384:256'
	echo 'report|0.7|1.0|smtp-in|link-auth|0000000000000001|pass|bob@example.com'
} >&3
# The registration: up to "register|ready".
while IFS= read -r l <&4; do
	[ "$l" = "register|ready" ] && break
done
# The server's processes must not hold the filter's FIFOs open.
r1=$(mailfrom 1)
sh "$T/pg-stop" 3>&- 4<&-
r2=$(mailfrom 2)
sh "$T/pg-start" 3>&- 4<&-
t0=$(date +%s%3N)
i=0
r3=""
while [ $i -lt 60 ]; do
	i=$((i + 1))
	r3=$(mailfrom $((i + 2)))
	case $r3 in
	reject\|553*) break ;;
	\(closed\)) break ;;
	esac
	sleep 0.25
done
t1=$(date +%s%3N)
exec 3>&- 4<&-
wait "$FPID"
kill "$WPID" 2>/dev/null
LOG=$FLOG
sandboxed "filter-submission"
expect_match "filter: the sender is checked in the database, connected" \
    '^reject\|553 ' "$r1"
expect_match "filter: server stopped: a temporary failure" \
    '^reject\|451 ' "$r2"
if expr "$r3" : 'reject|553 ' >/dev/null; then
	ok "filter: answers from the database again $((t1 - t0)) ms after" \
	    "the restart (request $i), the password read from PGPASSFILE"
else
	fail "filter: never answered from the database again: [$r3]" \
	    "$(tail -n 2 "$FLOG")"
fi

srv_pg_stop
test_done "$T"
