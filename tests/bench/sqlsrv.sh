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
# time, and lookups per second pipelined BENCH_DEPTH deep, against the
# anchors: Debian 13's opensmtpd-table-postgres 1.1.1 and
# opensmtpd-table-mysql 1.2.1, with the same configuration file, the
# same database and the same query, in the same run, in turns; and
# round by round, how often ours was at or under the anchor's round
# that ran beside it, and the median of those ratios.
#
# The anchors need an smtpd 7.6 system: they run in an overlay of the
# Debian 13 root of tests/e2e/provision.sh (the root itself is never
# written), where apt-get download fetches them (kept in
# tests/bench/out/anchor-debs) and dpkg-deb -x unpacks them; our table
# runs there too, on the same libpq and libmariadb.  Not root, or no
# root: our table alone, on this host.  Figures only: it never fails on
# a missed target.
#
# On two cores a round trip is mostly cores waking up, and a run's
# latencies drift with the host by more than the two tables differ: the
# verdict is taken from the rounds in pairs (ours and the anchor's
# beside it), as the median of their ratios with its 95% confidence
# interval (the sign test's, from the order statistics).  "under": the
# whole interval is under 100%; "at": it holds 100%, no difference that
# this run can tell; "over": the whole interval is above, the target
# missed.  Fewer than 6 rounds give no interval: the medians decide.
#	BENCH_ROWS (1000000), BENCH_SEQ_N (10000), BENCH_PIPE_N (40000),
#	BENCH_DEPTH (64), BENCH_REPS (15) rounds of which the median is
#	shown, BENCH_TABLE (table-sqlite/table-sqlite) the table measured

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/bench/lib.sh"
ROWS=${BENCH_ROWS:-1000000}
SEQ_N=${BENCH_SEQ_N:-10000}
PIPE_N=${BENCH_PIPE_N:-40000}
DEPTH=${BENCH_DEPTH:-64}
REPS=${BENCH_REPS:-15}
DRIVE=$TOP/tests/tools/tabledrive
OURS=${BENCH_TABLE:-$TOP/table-sqlite/table-sqlite}
OUT=$TOP/tests/bench/out
T=$(mktemp -d /tmp/bench_sqlsrv.XXXXXX) || exit 1
# A million rows in memory, as on a server: lookups, not InnoDB misses.
SRV_MY_POOL=256M
. "$TOP/tests/proto/sqlsrv.sh"
HOLDER=""
OV=""
RUN=""
NOANCHOR=""
ANCHOR_PG=""
ANCHOR_MY=""

ov_stop()
{
	if [ -n "$HOLDER" ]; then
		kill "$HOLDER" 2>/dev/null
		wait "$HOLDER" 2>/dev/null
	fi
	HOLDER=""
	[ -n "$OV" ] && rm -rf "$OV"
	OV=""
}

cleanup()
{
	srv_pg_stop
	srv_my_stop
	ov_stop
	rm -rf "$T"
}
trap cleanup EXIT
trap 'cleanup; exit 1' INT TERM

# ov_start: the overlay of the Debian 13 root, held by a process of its
# own mount namespace (e2e_hold, as tests/e2e/t_readme.sh), $T bound at the
# same path inside so that sockets and files have one name.  Sets RUN
# (how a table starts there), ANCHOR_PG and ANCHOR_MY; or NOANCHOR.
ov_start()
{
	if [ "$(id -u)" -ne 0 ]; then
		NOANCHOR="not run as root (the anchors run in a chroot)"
		return
	fi
	mkdir -p "$OUT" || return
	if ! root=$(sh "$TOP/tests/e2e/provision.sh" \
	    2>"$OUT/provision-sql.log"); then
		NOANCHOR="no Debian 13 root: $(tail -n 1 "$OUT/provision-sql.log")"
		return
	fi
	OV=$(mktemp -d /tmp/bench_ov.XXXXXX) || return
	if ! e2e_hold "$root" "$OV/root" "$OV" <<EOF
mkdir -p "$OV/root$T"
mount --bind "$T" "$OV/root$T"
EOF
	then
		NOANCHOR="no overlay: $(cat "$OV/hold.log")"
		HOLDER=""
		return
	fi
	RUN="nsenter -t $HOLDER -m chroot $OV/root"
	missing=$($RUN ldd "$T/bin/table-sqlite" 2>&1 |
	    awk '/not found/ { print $1 }' | sort -u | tr '\n' ' ')
	if [ -n "$missing" ]; then
		NOANCHOR="libraries missing in $root: $missing"
		RUN=""
		return
	fi
	debs=$OUT/anchor-debs
	mkdir -p "$debs"
	if ! ls "$debs"/opensmtpd-table-postgres_*.deb \
	    "$debs"/opensmtpd-table-mysql_*.deb >/dev/null 2>&1; then
		rm -f "$debs"/*.deb
		$RUN sh -c 'mkdir -p /tmp/debs && cd /tmp/debs &&
		    { apt-get download opensmtpd-table-postgres \
		    opensmtpd-table-mysql || { apt-get update -q &&
		    apt-get download opensmtpd-table-postgres \
		    opensmtpd-table-mysql; }; }' >"$OUT/anchor-debs.log" 2>&1
		cp "$OV"/up/tmp/debs/*.deb "$debs/" 2>/dev/null
	fi
	for d in "$debs"/*.deb; do
		[ -f "$d" ] || break
		nsenter -t "$HOLDER" -m dpkg-deb -x "$d" "$OV/root/opt/anchor" ||
		    break
		echo "bench: anchor $(dpkg-deb -f "$d" Package)" \
		    "$(dpkg-deb -f "$d" Version)"
	done
	ANCHOR_PG=/opt/anchor/usr/libexec/opensmtpd/table-postgres
	ANCHOR_MY=/opt/anchor/usr/libexec/opensmtpd/table-mysql
	if ! $RUN test -x "$ANCHOR_PG" || ! $RUN test -x "$ANCHOR_MY"; then
		NOANCHOR="cannot download the anchors: $(tail -n 1 \
		    "$OUT/anchor-debs.log" 2>/dev/null)"
		ANCHOR_PG=""
		ANCHOR_MY=""
	fi
	# The anchor names no socket: libmariadb's default one links to ours.
	$RUN sh -c "mkdir -p /run/mysqld && ln -sf '$MYSOCK' \\
	    /run/mysqld/mysqld.sock"
}

mkdir -p "$T/bin" && cp "$OURS" "$T/bin/table-sqlite" || exit 1
srv_dirs
ov_start
[ -n "$NOANCHOR" ] && echo "bench: no anchors: $NOANCHOR"

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
EOSQL
# As after any bulk load: the table vacuumed and analysed, the dirty
# pages written, so that autovacuum and the checkpointer do not run
# beside the rounds.
psql -X -q -h "$PGSOCK" -p "$PGPORT" -U postgres -d kit -c \
    'VACUUM (ANALYZE) users' -c CHECKPOINT >>"$T/pgload.log" 2>&1 ||
    srv_abort "PostgreSQL: VACUUM failed"
mysql --no-defaults --socket="$MYSOCK" -u root kit \
    >"$T/myload.log" 2>&1 <<EOSQL || srv_abort "MariaDB: load failed"
CREATE TABLE users (login VARCHAR(255) PRIMARY KEY,
    password VARCHAR(255) NOT NULL, active INT NOT NULL DEFAULT 1)
    COLLATE utf8mb4_bin;
INSERT INTO users SELECT CONCAT('user', seq, '@example.com'), '$HASH', 1
    FROM seq_1_to_$ROWS;
ANALYZE TABLE users;
EOSQL
awk -v n="$ROWS" 'BEGIN { srand(1); for (i = 0; i < 10000; i++) {
	k = int(rand() * n) + 1
	if (i % 10 == 0) k += n
	printf "lookup credentials user%d@example.com\n", k } }' > "$T/keys"

# One file per engine, read alike by both tables.  MariaDB: host
# localhost is the default socket, which the overlay links to ours; on
# this host alone, our table is told the socket.
Q='SELECT login, password FROM users WHERE login = $1 AND active = 1'
printf 'conninfo host=%s port=%s dbname=kit user=postgres\nquery_credentials %s\n' \
    "$PGSOCK" "$PGPORT" "$Q" > "$T/pg.conf"
if [ -n "$RUN" ]; then
	echo "host localhost" > "$T/my.conf"
else
	echo "socket $MYSOCK" > "$T/my.conf"
fi
printf 'username root\ndatabase kit\nquery_credentials %s\n' \
    "$(echo "$Q" | sed 's/\$1/?/')" >> "$T/my.conf"
chmod 600 "$T/pg.conf" "$T/my.conf"

# once NAME N DEPTH COMMAND...: one run, its last line to $T/NAME.log,
# and the CPU time the table used (its shell's times(1) for children),
# in microseconds per lookup, to $T/NAME.cpu.
once()
{
	o_name=$1 o_n=$2 o_depth=$3
	shift 3
	rm -f "$T/times"
	"$DRIVE" -V 7.8.0p1 -b "$T/keys" -n "$o_n" -P "$o_depth" -- \
	    sh -c '"$@"; times > '"$T/times" sh "$@" \
	    2>&1 | tail -n 1 >> "$T/$o_name.log"
	awk -v n="$o_n" 'NR == 2 {
		for (i = 1; i <= 2; i++) {
			split($i, t, "m"); s += t[1] * 60 + t[2] + 0
		}
		printf "%.1f\n", s * 1e6 / n
	}' "$T/times" >> "$T/$o_name.cpu" 2>/dev/null
}

# show NAME LABEL: the medians of the rounds of NAME into $T/NAME.res
# ("p50 p99 per_s"), and a line with the load average now.
show()
{
	awk -v label="$2" -v res="$T/$1.res" -v cpu="$T/$1.pipe.cpu" \
	    -v load="$(cut -d " " -f 1-3 /proc/loadavg)" "$MED_AWK"'
	function mid(a, n) {
		return n ? med(a, n) : "-"
	}
	/p50_us/ && FILENAME ~ /seq/ {
		ns++
		for (i = 1; i < NF; i++) {
			if ($i == "p50_us") p50[ns] = $(i + 1)
			if ($i == "p99_us") p99[ns] = $(i + 1)
			if ($i == "errors") err += $(i + 1)
		}
		next
	}
	/per_s/ && FILENAME ~ /pipe/ {
		np++
		for (i = 1; i < NF; i++) {
			if ($i == "per_s") ps[np] = $(i + 1)
			if ($i == "errors") err += $(i + 1)
		}
		next
	}
	{ bad = bad "  (" $0 ")\n" }
	END {
		while ((getline l < cpu) > 0)
			cu[++nc] = l + 0
		a = mid(p50, ns); b = mid(p99, ns); c = mid(ps, np)
		printf "%-24s p50 %6s us  p99 %7s us  pipelined %6s/s" \
		    "  cpu %5s us/lookup  errors %d  load %s\n", label, a, b,
		    c, mid(cu, nc), err, load
		printf "%s", bad
		print a, b, c > res
	}' "$T/$1.seq.log" "$T/$1.pipe.log"
}

# verdict NAME: ours (kitNAME) against the anchor (NAME) at p50 and p99,
# round by round: each of our rounds beside the anchor's that ran next
# to it, which a load that comes and goes touches alike.
verdict()
{
	awk '
	NR == FNR { aps = $3; next }
	{ kps = $3 }
	END {
		if (aps + 0 > 0 && kps != "-")
			printf "  pipelined: %.0f%% of the anchor\n",
			    100 * kps / aps
	}' "$T/$1.res" "$T/kit$1.res"
	awk "$MED_AWK"'
	# ci(r, n): the sign test interval of the median of r[1..n],
	# sorted: the largest k with 2 P(X < k) <= 0.05, X ~ B(n, 1/2);
	# sets lo and hi, or returns 0 when n is too small for one.
	function ci(r, n,   k, p, cum, i) {
		p = 0.5 ^ n
		cum = 0
		for (k = 0; k < n; k++) {
			if (2 * (cum + p) > 0.05)
				break
			cum += p
			p = p * (n - k) / (k + 1)
		}
		if (k == 0)
			return 0
		lo = r[k]
		hi = r[n - k + 1]
		return 1
	}
	function judge(what, r, n, w,   m) {
		m = med(r, n)
		if (!ci(r, n)) {
			printf "  target %s: %s (median of %d paired ratios " \
			    "%.0f%%, at or under in %d; too few rounds for " \
			    "an interval)\n", what, m <= 1 ? "met" : "MISSED",
			    n, 100 * m, w
			return
		}
		printf "  target %s: %s: paired ratio %.0f%%, 95%% " \
		    "interval %.0f-%.0f%%, at or under in %d of %d rounds\n",
		    what, hi < 1 ? "met, under the anchor" : lo <= 1 ? \
		    "met, at the anchor (no difference this run can tell)" : \
		    "MISSED, over the anchor", 100 * m, 100 * lo, 100 * hi,
		    w, n
	}
	FNR == 1 { f++ }
	/p50_us/ {
		n[f]++
		for (i = 1; i < NF; i++) {
			if ($i == "p50_us") v50[f, n[f]] = $(i + 1)
			if ($i == "p99_us") v99[f, n[f]] = $(i + 1)
		}
	}
	END {
		m = n[1] < n[2] ? n[1] : n[2]
		if (m == 0)
			exit
		for (i = 1; i <= m; i++) {
			if (v50[1, i] + 0 == 0 || v99[1, i] + 0 == 0)
				exit
			w50 += v50[2, i] + 0 <= v50[1, i] + 0
			w99 += v99[2, i] + 0 <= v99[1, i] + 0
			r50[i] = v50[2, i] / v50[1, i]
			r99[i] = v99[2, i] / v99[1, i]
		}
		judge("p50", r50, m, w50)
		judge("p99", r99, m, w99)
	}' "$T/$1.seq.log" "$T/kit$1.seq.log"
}

# answers LABEL COMMAND...: a hit and a miss, which must be found and
# not found, or the figures are not of lookups.
answers()
{
	a_label=$1
	shift
	a_got=$(printf 'lookup credentials user1@example.com\nlookup credentials user0@example.com\n' |
	    "$DRIVE" -V 7.8.0p1 -- "$@" 2>&1 | tr '\n' ' ')
	case $a_got in
	*"user1@example.com:$HASH"*)
		case $a_got in
		*"$HASH"*"$HASH"*) ;;
		*) return 0 ;;
		esac ;;
	esac
	echo "bench: $a_label answers wrongly: $a_got"
}

# engine NAME CONF ANCHOR LABEL: REPS rounds, ours and the anchor in
# turn so that a load that comes and goes touches both alike.
engine()
{
	answers "kit on $4" $RUN "$T/bin/table-sqlite" "$2"
	[ -n "$3" ] && answers "$5" $RUN "$3" "$2"
	e_i=0
	while [ "$e_i" -lt "$REPS" ]; do
		# Who goes first changes each round.
		[ -n "$3" ] && [ $((e_i % 2)) -eq 1 ] &&
		    once "$1.seq" "$SEQ_N" 1 $RUN "$3" "$2"
		once "kit$1.seq" "$SEQ_N" 1 $RUN "$T/bin/table-sqlite" "$2"
		[ -n "$3" ] && [ $((e_i % 2)) -eq 0 ] &&
		    once "$1.seq" "$SEQ_N" 1 $RUN "$3" "$2"
		[ -n "$3" ] && [ $((e_i % 2)) -eq 1 ] &&
		    once "$1.pipe" "$PIPE_N" "$DEPTH" $RUN "$3" "$2"
		once "kit$1.pipe" "$PIPE_N" "$DEPTH" $RUN \
		    "$T/bin/table-sqlite" "$2"
		[ -n "$3" ] && [ $((e_i % 2)) -eq 0 ] &&
		    once "$1.pipe" "$PIPE_N" "$DEPTH" $RUN "$3" "$2"
		e_i=$((e_i + 1))
	done
	show "kit$1" "kit on $4"
	if [ -n "$3" ]; then
		show "$1" "$5 (Debian)"
		verdict "$1"
	fi
}

echo "credentials lookups, $ROWS users, $(nproc) CPUs; median of $REPS" \
    "rounds of $SEQ_N round trips and $PIPE_N lookups $DEPTH deep"
engine pg "$T/pg.conf" "$ANCHOR_PG" PostgreSQL table-postgres
engine my "$T/my.conf" "$ANCHOR_MY" MariaDB table-mysql
