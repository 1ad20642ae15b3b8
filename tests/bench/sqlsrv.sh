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
# table-sqlite on PostgreSQL and MariaDB: a million users in each
# (tests/proto/sqlsrv.sh starts the servers, Unix sockets), credentials
# lookups of random logins (10% misses), round trip p50 and p99 one at a
# time, and lookups per second pipelined BENCH_DEPTH deep.  Debian's
# opensmtpd-table-postgres and opensmtpd-table-mysql as the anchor when
# BENCH_ANCHOR_PG and BENCH_ANCHOR_MY name their binaries (they need an
# smtpd 7.6 system: Debian 13).
#	BENCH_ROWS (1000000), BENCH_SEQ_N (20000), BENCH_PIPE_N (200000),
#	BENCH_DEPTH (64)

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
ROWS=${BENCH_ROWS:-1000000}
SEQ_N=${BENCH_SEQ_N:-20000}
PIPE_N=${BENCH_PIPE_N:-200000}
DEPTH=${BENCH_DEPTH:-64}
DRIVE=$TOP/tests/tools/tabledrive
TABLE=$TOP/table-sqlite/table-sqlite
T=$(mktemp -d /tmp/bench_sqlsrv.XXXXXX) || exit 1
. "$TOP/tests/proto/sqlsrv.sh"
trap 'srv_pg_stop; srv_my_stop' EXIT
trap 'srv_pg_stop; srv_my_stop; exit 1' INT TERM

srv_pg_start
srv_my_start
HASH='$2b$10$aaoh3lzC57FyvWf9Xofn1ug/Gw21WfBGMvq/vo7/dQp14O0oFt6F6'
psql -X -q -v ON_ERROR_STOP=1 -h "$PGSOCK" -p "$PGPORT" -U postgres -d kit \
    >"$T/pgload.log" 2>&1 <<EOSQL || srv_abort "PostgreSQL: load failed"
CREATE TABLE users (login TEXT PRIMARY KEY, password TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1);
INSERT INTO users SELECT 'user' || i || '@example.com', '$HASH', 1
    FROM generate_series(1, $ROWS) AS i;
GRANT SELECT ON users TO kit;
ANALYZE users;
EOSQL
mysql --no-defaults --socket="$MYSOCK" -u root kit \
    >"$T/myload.log" 2>&1 <<EOSQL || srv_abort "MariaDB: load failed"
CREATE TABLE users (login VARCHAR(255) PRIMARY KEY,
    password VARCHAR(255) NOT NULL, active INT NOT NULL DEFAULT 1)
    COLLATE utf8mb4_bin;
INSERT INTO users SELECT CONCAT('user', seq, '@example.com'), '$HASH', 1
    FROM seq_1_to_$ROWS;
EOSQL
awk -v n="$ROWS" 'BEGIN { srand(1); for (i = 0; i < 10000; i++) {
	k = int(rand() * n) + 1
	if (i % 10 == 0) k += n
	printf "lookup credentials user%d@example.com\n", k } }' > "$T/keys"

Q='SELECT login, password FROM users WHERE login = $1 AND active = 1'
printf 'conninfo host=%s port=%s dbname=kit user=postgres\nquery_credentials %s\n' \
    "$PGSOCK" "$PGPORT" "$Q" > "$T/pg.conf"
printf 'socket %s\nusername root\ndatabase kit\nquery_credentials %s\n' \
    "$MYSOCK" "$(echo "$Q" | sed 's/\$1/?/')" > "$T/my.conf"

# run NAME CONF COMMAND...: p50 and p99 one at a time, then pipelined.
run()
{
	name=$1
	shift
	seq=$("$DRIVE" -V 7.8.0p1 -b "$T/keys" -n "$SEQ_N" -P 1 -- "$@" 2>&1 |
	    tail -n 1)
	pipe=$("$DRIVE" -V 7.8.0p1 -b "$T/keys" -n "$PIPE_N" -P "$DEPTH" -- \
	    "$@" 2>&1 | tail -n 1)
	p50=$(echo "$seq" | sed -n 's/.*p50_us \([0-9.]*\).*/\1/p')
	p99=$(echo "$seq" | sed -n 's/.*p99_us \([0-9.]*\).*/\1/p')
	ps=$(echo "$pipe" | sed -n 's/.*per_s \([0-9.]*\).*/\1/p')
	e1=$(echo "$seq" | sed -n 's/.*errors \([0-9]*\).*/\1/p')
	e2=$(echo "$pipe" | sed -n 's/.*errors \([0-9]*\).*/\1/p')
	printf '%-26s p50 %7s us  p99 %7s us  pipelined %7s lookups/s  errors %s\n' \
	    "$name" "${p50:--}" "${p99:--}" "${ps:--}" "$((${e1:-0} + ${e2:-0}))"
	[ -n "$p50" ] || echo "  ($seq)"
	[ -n "$ps" ] || echo "  ($pipe)"
}

echo "credentials lookups, $ROWS users, $(nproc) CPUs"
run "kit on PostgreSQL" "$TABLE" "$T/pg.conf"
[ -n "$BENCH_ANCHOR_PG" ] && run "table-postgres (Debian)" \
    "$BENCH_ANCHOR_PG" "$T/pg.conf"
run "kit on MariaDB" "$TABLE" "$T/my.conf"
[ -n "$BENCH_ANCHOR_MY" ] && run "table-mysql (Debian)" \
    "$BENCH_ANCHOR_MY" "$T/my.conf"
srv_pg_stop
srv_my_stop
rm -rf "$T"
