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
# make bench: table-sqlite against the anchor (Debian's
# opensmtpd-table-sqlite 1.0.1), the floor (tests/tools/tablefloor: the
# same protocol code, no SQLite) and the limit (tests/tools/sqlitelimit:
# the same lookups in one process), on 1M-row databases.  Then the same
# round trips in the legacy protocol of smtpd 6.6 to 7.5, against the
# anchor for that protocol (OpenSMTPD-extras 6.7.1's table-sqlite, Debian
# 12's opensmtpd-extras) and the floor, in the smtpd 7.4 root.  It prints
# figures and says per target whether it is met; it never fails on a
# missed target.
#
# The anchor is a trixie package; it runs in the root that
# tests/e2e/provision.sh builds, and so do our table, the floor and the
# limit, on the root's SQLite, for fairness.  Without that root (not root,
# no debootstrap, no mirror) the anchor is not measured and the rest runs
# on this host.
#
# Environment: BENCH_SEQ_N (20000) round trips per latency run,
# BENCH_PIPE_N (200000) lookups per pipelined run, BENCH_DEPTH (64),
# BENCH_REPS (3) rounds, of which the median is shown, BENCH_TABLE
# (table-sqlite/table-sqlite) the table to measure as "ours", e.g. a
# build with a change to try.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/bench/lib.sh"
cd "$TOP" || exit 1
OUT=$TOP/tests/bench/out
SEQ_N=${BENCH_SEQ_N:-20000}
PIPE_N=${BENCH_PIPE_N:-200000}
DEPTH=${BENCH_DEPTH:-64}
REPS=${BENCH_REPS:-3}
DRIVE=$TOP/tests/tools/tabledrive
OURS=${BENCH_TABLE:-table-sqlite/table-sqlite}
START=$(date +%s)
LOAD0=$(cut -d " " -f 1-3 /proc/loadavg 2>/dev/null)

mkdir -p "$OUT" || exit 1
rm -f "$OUT"/*.log "$OUT"/*.res "$OUT"/*.rss "$OUT"/*.writes \
    "$OUT"/massif.* "$OUT/stop" "$OUT/writer.count"

for f in "$OURS" tests/tools/tabledrive \
    tests/tools/tablefloor tests/tools/sqlitelimit; do
	[ -x "$f" ] || { echo "bench: $f is not built; run make bench" >&2;
	    exit 1; }
done
command -v sqlite3 >/dev/null ||
    { echo "bench: sqlite3(1) is needed" >&2; exit 1; }

# The root for the anchor.
ROOT=""
NOANCHOR=""
if [ "$(id -u)" -ne 0 ]; then
	NOANCHOR="not run as root (the anchor runs in a chroot)"
elif ! ROOT=$(sh tests/e2e/provision.sh 2>"$OUT/provision.log"); then
	ROOT=""
	NOANCHOR="no trixie root: $(tail -n 1 "$OUT/provision.log")"
elif [ ! -x "$ROOT/usr/libexec/opensmtpd/table-sqlite" ]; then
	NOANCHOR="no /usr/libexec/opensmtpd/table-sqlite in $ROOT"
	ROOT=""
fi

# DATA: where the files are on this host; IN: the same seen by the
# processes measured; RUN: how they are started.
if [ -n "$ROOT" ]; then
	DATA=$ROOT/var/tmp/kit-bench
	IN=/var/tmp/kit-bench
	RUN="chroot $ROOT"
else
	DATA=$OUT/data
	IN=$DATA
	RUN=""
fi

echo "bench: databases in $DATA (made once, about 15 s)"
sh tests/bench/gen.sh "$DATA" lib/schema.sql ||
    { echo "bench: cannot make the databases" >&2; exit 1; }
mkdir -p "$DATA/bin" &&
    cp "$OURS" tests/tools/tablefloor \
    tests/tools/sqlitelimit "$DATA/bin/" || exit 1
TABLE=$IN/bin/table-sqlite
FLOOR=$IN/bin/tablefloor
LIMIT=$IN/bin/sqlitelimit
ANCHOR=/usr/libexec/opensmtpd/table-sqlite
if [ -n "$ROOT" ]; then
	missing=$(chroot "$ROOT" ldd "$TABLE" "$FLOOR" "$LIMIT" 2>&1 |
	    awk '/not found/ { print $1 }' | sort -u | tr '\n' ' ')
	if [ -n "$missing" ]; then
		echo "bench: libraries missing in $ROOT: $missing" >&2
		exit 1
	fi
fi

# Configurations: the anchor's schema and queries (from its manual) for
# both tables; the default schema (dbpath only) for ours.
writeconf()
{
	cat > "${3:-$DATA}/$1.conf" <<EOF
dbpath ${4:-$IN}/$2
query_alias SELECT destination FROM virtuals WHERE email=?;
query_credentials SELECT email, password FROM credentials WHERE email=?;
query_domain SELECT domain FROM domains WHERE domain=?;
EOF
}
writeconf anchor anchor.db
writeconf anchorw anchorw.db
echo "dbpath $IN/kit.db" > "$DATA/kit.conf"
echo "dbpath $IN/kitw.db" > "$DATA/kitw.conf"

# once NAME KEYS N DEPTH COMMAND...: one run, its line appended to
# $OUT/NAME.log.  LEGACY=-L plays smtpd before 7.6.
once()
{
	o_name=$1 o_keys=$2 o_n=$3 o_depth=$4
	shift 4
	echo "want $o_n" >> "$OUT/$o_name.log"
	"$DRIVE" $LEGACY -V 7.8.0p1 -b "$DATA/$o_keys" -n "$o_n" \
	    -P "$o_depth" -- "$@" >> "$OUT/$o_name.log" 2>&1
}

# summary NAME: the median of each figure of the runs of NAME into
# $OUT/NAME.res as "errors E lost L dead D p50 X p99 Y per_s Z"; errors,
# lost (requests not answered: the table died or hung) and dead (runs
# that got no answer at all) are sums over the runs, which leave dead
# runs out of the medians.
summary()
{
	awk "$MED_AWK"'
	/^want/ { want += $2 }
	/^requests 0 / { dead++; next }
	/^requests/ {
		n++; err += $4; got += $2
		for (i = 1; i < NF; i++) {
			if ($i == "p50_us") p50[n] = $(i + 1)
			if ($i == "p99_us") p99[n] = $(i + 1)
			if ($i == "per_s") ps[n] = $(i + 1)
		}
	}
	END {
		lost = want - got
		if (n == 0) {
			printf "errors 0 lost %d dead %d p50 - p99 - per_s -\n",
			    lost, dead
			exit
		}
		printf "errors %d lost %d dead %d p50 %s p99 %s per_s %s\n",
		    err, lost, dead + 0,
		    (1 in p50) ? med(p50, n) : "-",
		    (1 in p99) ? med(p99, n) : "-", med(ps, n)
	}' "$OUT/$1.log" > "$OUT/$1.res"
}

# contenders SUFFIX N DEPTH [w]: one run of each table, in turn, so that
# a load that comes and goes on this host touches them alike.  With w,
# the tables reading the WAL copies (and no floor).
contenders()
{
	if [ -z "$4" ]; then
		once "floor.$1" anchor.keys "$2" "$3" $RUN "$FLOOR"
		once "kit.$1" kit.keys "$2" "$3" $RUN "$TABLE" "$IN/kit.conf"
	fi
	once "ours.$1" anchor.keys "$2" "$3" $RUN "$TABLE" \
	    "$IN/anchor$4.conf"
	if [ -n "$ROOT" ]; then
		once "anchor.$1" anchor.keys "$2" "$3" $RUN "$ANCHOR" \
		    "$IN/anchor$4.conf"
	fi
}

# rounds PREFIX [w]: REPS rounds of round trips and of pipelined runs.
rounds()
{
	r_i=0
	while [ "$r_i" -lt "$REPS" ]; do
		contenders "${1}seq" "$SEQ_N" 1 "$2"
		contenders "${1}pipe" "$PIPE_N" "$DEPTH" "$2"
		r_i=$((r_i + 1))
	done
	for r_f in "$OUT"/*."${1}"seq.log "$OUT"/*."${1}"pipe.log; do
		[ -f "$r_f" ] && summary "$(basename "$r_f" .log)"
	done
}

echo "bench: latency ($SEQ_N round trips) and pipelined lookups" \
    "($PIPE_N, depth $DEPTH), $REPS rounds"
rounds ""

# Memory: a pipelined run of each table under a sampler, not timed.
"$DRIVE" -V 7.8.0p1 -b "$DATA/anchor.keys" -n "$PIPE_N" -P "$DEPTH" -- sh \
    tests/bench/rss.sh "$OUT/ours.rss" $RUN "$TABLE" "$IN/anchor.conf" \
    > "$OUT/rss.log" 2>&1
if [ -n "$ROOT" ]; then
	"$DRIVE" -V 7.8.0p1 -b "$DATA/anchor.keys" -n "$PIPE_N" -P "$DEPTH" -- sh \
	    tests/bench/rss.sh "$OUT/anchor.rss" $RUN "$ANCHOR" \
	    "$IN/anchor.conf" >> "$OUT/rss.log" 2>&1
fi

echo "bench: in-process limit"
$RUN "$LIMIT" -n "$PIPE_N" -b "$IN/anchor.keys" "$IN/anchor.conf" \
    > "$OUT/limit.log" 2>&1
$RUN "$LIMIT" -n "$PIPE_N" -b "$IN/kit.keys" "$IN/kit.conf" \
    > "$OUT/limit-kit.log" 2>&1
$RUN "$LIMIT" -e "$IN/kit.conf" > "$OUT/plan-kit.log" 2>&1
$RUN "$LIMIT" -e "$IN/anchor.conf" > "$OUT/plan-anchor.log" 2>&1

# Heap: valgrind massif on this host (same code, the host's SQLite),
# peak of malloc'd bytes plus malloc overhead, during a pipelined run.
if command -v valgrind >/dev/null; then
	echo "bench: heap (valgrind massif)"
	sed "s|^dbpath .*/|dbpath $DATA/|" "$DATA/anchor.conf" \
	    > "$DATA/anchor.conf.host"
	"$DRIVE" -V 7.8.0p1 -t 30000 -b "$DATA/anchor.keys" -n 20000 -P "$DEPTH" -- \
	    valgrind -q --tool=massif --massif-out-file="$OUT/massif.out" \
	    "$OURS" "$DATA/anchor.conf.host" \
	    > "$OUT/massif.log" 2>&1
fi

# Writes while we read: WAL copies, a writer committing small
# transactions (one sqlite3(1) process each) during the runs.
echo "bench: lookups while a writer commits (WAL)"
writer()
{
	db=$1 sql=$2 n=0
	while [ ! -f "$OUT/stop" ]; do
		if sqlite3 -cmd ".timeout 5000" "$db" "$sql" >/dev/null \
		    2>>"$OUT/writer.log"; then
			n=$((n + 1))
		fi
	done
	echo "$n" > "$OUT/writer.count"
}
UPD_A="UPDATE credentials SET password = '\$2b\$08\$' ||
    substr(hex(randomblob(32)), 1, 53) WHERE id = 1 + abs(random()) % 1000000;
INSERT INTO virtuals (email, destination) VALUES
    ('new' || (abs(random()) % 100) || '@d1.example', 'box@mail.example');
DELETE FROM virtuals WHERE email = 'new' || (abs(random()) % 100) ||
    '@d1.example';"
UPD_K="WITH r(i) AS (SELECT 1 + abs(random()) % 1000000)
UPDATE users SET password = '\$2b\$08\$' || substr(hex(randomblob(32)), 1, 53)
    WHERE login = (SELECT 'user' || i || '@d' || (i % 1000) || '.example'
    FROM r);
INSERT OR REPLACE INTO aliases (address, target) VALUES
    ('new' || (abs(random()) % 100) || '@d1.example', 'user1@d1.example');
DELETE FROM aliases WHERE address = 'new' || (abs(random()) % 100) ||
    '@d1.example';"

# under_writes DB SQL: the rounds of the tables reading a WAL copy of DB
# (anchor or kit) while the writer runs SQL in transactions.
under_writes()
{
	rm -f "$DATA/$1"w.db* "$OUT/stop"
	cp "$DATA/$1.db" "$DATA/${1}w.db" &&
	    sqlite3 "$DATA/${1}w.db" "PRAGMA journal_mode = WAL;" >/dev/null ||
	    return
	writer "$DATA/${1}w.db" "BEGIN IMMEDIATE; $2 COMMIT;" &
	wpid=$!
	t0=$(date +%s)
	if [ "$1" = anchor ]; then
		rounds w w
	else
		u_i=0
		while [ "$u_i" -lt "$REPS" ]; do
			once kit.wseq kit.keys "$SEQ_N" 1 $RUN "$TABLE" \
			    "$IN/kitw.conf"
			once kit.wpipe kit.keys "$PIPE_N" "$DEPTH" $RUN \
			    "$TABLE" "$IN/kitw.conf"
			u_i=$((u_i + 1))
		done
		summary kit.wseq
		summary kit.wpipe
	fi
	t1=$(date +%s)
	touch "$OUT/stop"
	wait "$wpid"
	echo "$(cat "$OUT/writer.count") $((t1 - t0))" > "$OUT/$1.writes"
	rm -f "$DATA/${1}w.db" "$DATA/${1}w.db-wal" "$DATA/${1}w.db-shm" \
	    "$OUT/stop"
}
under_writes anchor "$UPD_A"
under_writes kit "$UPD_K"

# The legacy protocol, as smtpd 7.4 speaks it, in the 7.4 root: the
# databases (hard links, or copies) and the programs go there, and our
# table, the anchor for that protocol and the floor take turns.
LROOT=""
NOLEGACY=""
if [ "$(id -u)" -ne 0 ]; then
	NOLEGACY="not run as root (the anchor runs in a chroot)"
elif ! LROOT=$(sh tests/e2e/provision.sh 7.4 2>"$OUT/provision-7.4.log")
then
	LROOT=""
	NOLEGACY="no smtpd 7.4 root: $(tail -n 1 "$OUT/provision-7.4.log")"
elif [ ! -x "$LROOT/usr/libexec/opensmtpd/table-sqlite" ]; then
	NOLEGACY="no /usr/libexec/opensmtpd/table-sqlite in $LROOT"
	LROOT=""
fi
echo "bench: the legacy protocol of smtpd 6.6 to 7.5 ($SEQ_N round" \
    "trips), $REPS rounds"
LRUN=$RUN
LIN=$IN
if [ -n "$LROOT" ]; then
	LDATA=$LROOT/var/tmp/kit-bench
	LIN=/var/tmp/kit-bench
	LRUN="chroot $LROOT"
	mkdir -p "$LDATA/bin" || exit 1
	for f in anchor.db kit.db; do
		ln -f "$DATA/$f" "$LDATA/$f" 2>/dev/null ||
		    cp "$DATA/$f" "$LDATA/$f" || exit 1
	done
	cp "$OURS" tests/tools/tablefloor "$LDATA/bin/" || exit 1
	writeconf anchor anchor.db "$LDATA" "$LIN"
	echo "dbpath $LIN/kit.db" > "$LDATA/kit.conf"
	missing=$(chroot "$LROOT" ldd "$LIN/bin/table-sqlite" \
	    "$LIN/bin/tablefloor" 2>&1 | awk '/not found/ { print $1 }' |
	    sort -u | tr '\n' ' ')
	if [ -n "$missing" ]; then
		echo "bench: libraries missing in $LROOT: $missing" >&2
		exit 1
	fi
fi
LEGACY=-L
l_i=0
while [ "$l_i" -lt "$REPS" ]; do
	once floor.leg anchor.keys "$SEQ_N" 1 $LRUN "$LIN/bin/tablefloor"
	once ours.leg anchor.keys "$SEQ_N" 1 $LRUN "$LIN/bin/table-sqlite" \
	    "$LIN/anchor.conf"
	if [ -n "$LROOT" ]; then
		once anchor.leg anchor.keys "$SEQ_N" 1 $LRUN "$ANCHOR" \
		    "$LIN/anchor.conf"
	fi
	once kit.leg kit.keys "$SEQ_N" 1 $LRUN "$LIN/bin/table-sqlite" \
	    "$LIN/kit.conf"
	l_i=$((l_i + 1))
done
LEGACY=""
for l_f in floor.leg ours.leg anchor.leg kit.leg; do
	[ -f "$OUT/$l_f.log" ] && summary "$l_f"
done

# The report.
END=$(date +%s)
LOAD1=$(cut -d " " -f 1-3 /proc/loadavg 2>/dev/null)
sh tests/bench/report.sh "$OUT" "$ROOT" "$NOANCHOR" "$((END - START))" \
    "$OURS" "$LOAD0" "$LOAD1" "$LROOT" "$NOLEGACY"

# filter-submission: lines per second, memory, smtpd with and without it.
echo
sh tests/bench/filter.sh
