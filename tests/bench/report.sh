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
# Print the table of tests/bench/run.sh from the results in OUT.
#
# usage: tests/bench/report.sh OUT ROOT NOANCHOR SECONDS OURS LOAD0 LOAD1
#	LROOT NOLEGACY

OUT=$1
ROOT=$2
NOANCHOR=$3
SECS=$4
OURS=$5
LOAD0=$6
LOAD1=$7
LROOT=$8
NOLEGACY=$9

# get NAME FIELD: one figure of a result, "-" when missing.
get()
{
	v=$(awk -v f="$2" '{ for (i = 1; i < NF; i++) if ($i == f)
	    { print $(i + 1); exit } }' "$OUT/$1.res" 2>/dev/null)
	echo "${v:--}"
}

# Figures that may be "-": numeric tests fail on them.
isnum()
{
	case "$1" in
	''|-|*[!0-9.]*) return 1 ;;
	*) return 0 ;;
	esac
}

# cmp A OP B [FACTOR]: is A OP B*FACTOR?  "?" when a figure is missing.
cmp()
{
	if ! isnum "$1" || ! isnum "$3"; then
		echo "?"
		return
	fi
	awk -v a="$1" -v op="$2" -v b="$3" -v f="${4:-1}" 'BEGIN {
		b *= f
		ok = (op == "<=") ? a <= b : (op == ">=") ? a >= b : a < b
		print ok ? "yes" : "NO"
	}'
}

ratio()
{
	if isnum "$1" && isnum "$2" && [ "$2" != 0 ]; then
		awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'
	else
		echo "-"
	fi
}

# both R1 R2: "yes" if both are, "?" if either is unknown, else "NO".
both()
{
	case "$1 $2" in
	"yes yes") echo yes ;;
	*NO*) echo NO ;;
	*) echo "?" ;;
	esac
}

# row METRIC OURS ANCHOR FLOOR/LIMIT TARGET MET [DETAIL]
row()
{
	printf '%-27s %9s %9s %11s  %-26s %-4s %s\n' "$1" "$2" "$3" "$4" \
	    "$5" "$6" "${7:+($7)}"
}

# rtt_row PCT OURS ANCHOR FLOOR: the row of the round trip's percentile
# PCT; the target: the anchor's, and at most 1.5 times the floor's.
rtt_row()
{
	row "round trip $1 (us)" "$2" "$3" "$4" "<=anchor, <=1.5x floor" \
	    "$(both "$(cmp "$2" "<=" "$3")" "$(cmp "$2" "<=" "$4" 1.5)")" \
	    "$(ratio "$2" "$3") anchor, $(ratio "$2" "$4") floor"
}

limit_best()
{
	v=$(awk '/^best/ { print $4 }' "$OUT/$1" 2>/dev/null)
	echo "${v:--}"
}

limit_name()
{
	v=$(awk '/^best/ { print $2 }' "$OUT/$1" 2>/dev/null)
	echo "${v:--}"
}

writes()
{
	if [ -f "$OUT/$1.writes" ]; then
		awk '{ printf "%d commits in %d s", $1, $2 }' "$OUT/$1.writes"
	else
		echo "not run"
	fi
}

# errs NAME [w]: errors and unanswered requests of both runs (under
# writes with "w").
errs()
{
	e_sum=0
	for e_f in "$1.$2seq errors" "$1.$2seq lost" "$1.$2pipe errors" \
	    "$1.$2pipe lost"; do
		e_v=$(get $e_f)
		if ! isnum "$e_v"; then
			echo "-"
			return
		fi
		e_sum=$((e_sum + e_v))
	done
	echo "$e_sum"
}

# died NAME: runs under writes that got no answer at all, of all runs.
died()
{
	if [ ! -f "$OUT/$1.wseq.res" ]; then
		echo "-"
		return
	fi
	awk '{ for (i = 1; i < NF; i++) if ($i == "dead") d += $(i + 1) }
	    END { printf "%d/%d", d, 2 * reps }' reps="${BENCH_REPS:-3}" \
	    "$OUT/$1.wseq.res" "$OUT/$1.wpipe.res"
}

# Heap: massif's peak of mem_heap_B + mem_heap_extra_B.
HEAP="-"
if [ -f "$OUT/massif.out" ]; then
	HEAP=$(awk -F= '/^mem_heap_B/ { h = $2 } /^mem_heap_extra_B/ {
	    if (h + $2 > m) m = h + $2 } END { printf "%.0f", m / 1024 }' \
	    "$OUT/massif.out")
fi
RSS_O=$(cat "$OUT/ours.rss" 2>/dev/null || echo -)
RSS_A=$(cat "$OUT/anchor.rss" 2>/dev/null || echo -)

SQL_HOST=$(sqlite3 --version 2>/dev/null | awk '{ print $1 }')
SQL_RUN=$(awk '/^sqlite/ { print $2; exit }' "$OUT/limit.log" 2>/dev/null)
ANCHOR_VER="-"
if [ -n "$ROOT" ]; then
	ANCHOR_VER=$(chroot "$ROOT" dpkg-query -W -f='${Version}' \
	    opensmtpd-table-sqlite 2>/dev/null)
fi

O50=$(get ours.seq p50); O99=$(get ours.seq p99); OP=$(get ours.pipe per_s)
A50=$(get anchor.seq p50); A99=$(get anchor.seq p99)
AP=$(get anchor.pipe per_s)
F50=$(get floor.seq p50); F99=$(get floor.seq p99); FP=$(get floor.pipe per_s)
LIM=$(limit_best limit.log)
K50=$(get kit.seq p50); K99=$(get kit.seq p99); KP=$(get kit.pipe per_s)
KLIM=$(limit_best limit-kit.log)

echo
echo "== table-sqlite benchmark ($(nproc 2>/dev/null || echo ?) CPUs," \
    "$(date -u +%Y-%m-%dT%H:%MZ), medians of ${BENCH_REPS:-3} rounds)"
echo "ours: $OURS; load average before: $LOAD0, after: $LOAD1"
echo "(other work on this host skews the figures: compare the columns of"
echo "one run, which take turns, rather than figures of different runs)"
if [ -n "$ROOT" ]; then
	echo "All processes run in $ROOT (Debian trixie), SQLite $SQL_RUN"
	echo "there; this host has SQLite $SQL_HOST (used for the heap run" \
	    "and the writer)."
	echo "anchor: opensmtpd-table-sqlite $ANCHOR_VER" \
	    "(/usr/libexec/opensmtpd/table-sqlite in the root)"
else
	echo "anchor NOT measured: $NOANCHOR."
	echo "All processes run on this host, SQLite ${SQL_RUN:-$SQL_HOST}."
fi
echo
echo "-- The anchor's schema and queries (its manual): 1M virtuals, 1M"
echo "   credentials, 1000 domains, an index on email and domain added"
echo "   (without one every lookup is a full scan of 1M rows: the manual's"
echo "   schema has none).  10000 keys: alias, credentials, domain; 10% miss."
echo "   floor = tests/tools/tablefloor; limit = tests/tools/sqlitelimit," \
    "best profile: $(limit_name limit.log)."
row "metric" "ours" "anchor" "floor/limit" "target" "met?"
rtt_row p50 "$O50" "$A50" "$F50"
rtt_row p99 "$O99" "$A99" "$F99"
row "pipelined lookups/s" "$OP" "$AP" "$LIM" ">=1.2x anchor, >=0.9x lim" \
    "$(both "$(cmp "$OP" ">=" "$AP" 1.2)" "$(cmp "$OP" ">=" "$LIM" 0.9)")" \
    "$(ratio "$OP" "$AP") anchor, $(ratio "$OP" "$LIM") limit"
row "pipelined, floor lookups/s" "" "" "$FP" "" ""
TXLIM=$(awk '$1 == "profile" && $2 == "kit+st+tx64" { print $4 }' \
    "$OUT/limit.log" 2>/dev/null)
row "pipelined vs limit, tx shared" "$OP" "" "${TXLIM:--}" \
    "(for comparison)" "" "$(ratio "$OP" "${TXLIM:-0}"): in-process reads sharing transactions"
row "errors+lost" "$(errs ours)" "$(errs anchor)" "$(errs floor)" "0" \
    "$(cmp "$(errs ours)" "<=" 0)"
row "heap peak, massif (kB)" "$HEAP" "-" "" "< 8192" \
    "$(cmp "$HEAP" "<" 8192)"
row "anon RSS peak (kB)" "$RSS_O" "$RSS_A" "" "(for comparison)" ""
row "under writes: errors+lost" "$(errs ours w)" "$(errs anchor w)" "" \
    "0" "$(cmp "$(errs ours w)" "<=" 0)"
row "under writes: runs died" "$(died ours)" "$(died anchor)" "" "0" \
    "$(cmp "$(died ours | cut -d / -f 1)" "<=" 0)"
row "under writes: p50 (us)" "$(get ours.wseq p50)" \
    "$(get anchor.wseq p50)" "" "" ""
row "under writes: p99 (us)" "$(get ours.wseq p99)" \
    "$(get anchor.wseq p99)" "" "" ""
row "under writes: pipelined/s" "$(get ours.wpipe per_s)" \
    "$(get anchor.wpipe per_s)" "" "" ""
echo "   writer (WAL copy; one sqlite3 process per transaction:" \
    "UPDATE, INSERT, DELETE):"
echo "   $(writes anchor) (ours and the anchor in turn)"
cat "$OUT"/anchor.w*.log 2>/dev/null | grep -E 'fatal|warn' |
    sed 's/^[^:]*: //' | sort | uniq -c | sed 's/^ */   anchor said, times: /'

echo
echo "-- Our default schema (lib/schema.sql), config \"dbpath\" only:"
echo "   1M users, 1M aliases, 1000 domains, 10000 sender grants."
echo "   10000 keys: alias, credentials, mailaddrmap, domain; 10% miss."
row "metric" "ours" "" "floor/limit" "" ""
row "round trip p50 (us)" "$K50" "" "$F50" "" "" \
    "$(ratio "$K50" "$F50") floor"
row "round trip p99 (us)" "$K99" "" "$F99" "" "" \
    "$(ratio "$K99" "$F99") floor"
row "pipelined lookups/s" "$KP" "" "$KLIM" "" "" \
    "$(ratio "$KP" "$KLIM") limit"
row "errors+lost" "$(errs kit)" "" "" "0" "$(cmp "$(errs kit)" "<=" 0)"
row "under writes: errors+lost" "$(errs kit w)" "" "" "0" \
    "$(cmp "$(errs kit w)" "<=" 0)"
row "under writes: p50/p99 (us)" "$(get kit.wseq p50)/$(get kit.wseq p99)" \
    "" "" "" ""
row "under writes: pipelined/s" "$(get kit.wpipe per_s)" "" "" "" ""
echo "   writer: $(writes kit)"
echo "   Query plans (index searches per lookup):"
sed 's/^plan /     /' "$OUT/plan-kit.log"
echo
echo "-- The legacy protocol (imsg) of smtpd 6.6 to 7.5, as smtpd 7.4 plays"
echo "   it (tabledrive -L): the same databases and keys, round trips only"
echo "   (smtpd waits for each answer)."
if [ -n "$LROOT" ]; then
	LVER=$(chroot "$LROOT" dpkg-query -W -f='${Version}' \
	    opensmtpd-extras 2>/dev/null)
	echo "   All run in $LROOT (Debian 12, smtpd 7.4); anchor:" \
	    "OpenSMTPD-extras $LVER table-sqlite."
else
	echo "   anchor NOT measured: $NOLEGACY."
fi
L50=$(get ours.leg p50); L99=$(get ours.leg p99)
LA50=$(get anchor.leg p50); LA99=$(get anchor.leg p99)
LF50=$(get floor.leg p50); LF99=$(get floor.leg p99)
row "metric" "ours" "anchor" "floor" "target" "met?"
rtt_row p50 "$L50" "$LA50" "$LF50"
rtt_row p99 "$L99" "$LA99" "$LF99"
lerrs()
{
	l_e=$(get "$1.leg" errors)
	l_l=$(get "$1.leg" lost)
	if isnum "$l_e" && isnum "$l_l"; then
		echo $((l_e + l_l))
	else
		echo "-"
	fi
}
row "errors+lost" "$(lerrs ours)" "$(lerrs anchor)" "$(lerrs floor)" "0" \
    "$(cmp "$(lerrs ours)" "<=" 0)"
row "default schema: p50/p99 (us)" \
    "$(get kit.leg p50)/$(get kit.leg p99)" "" "" "" "" \
    "$(ratio "$(get kit.leg p50)" "$LF50") floor at p50"
row "default schema: errors+lost" "$(lerrs kit)" "" "" "0" \
    "$(cmp "$(lerrs kit)" "<=" 0)"

echo
echo "-- In-process limit, lookups/s per SQLite profile" \
    "(anchor schema | default schema):"
awk '/^profile/ { n = $2; r = $4; sub(/^[^(]*\(/, ""); sub(/\)$/, "");
    if (FILENAME ~ /kit/) k[n] = r; else { a[n] = r; note[n] = $0;
    order[++cnt] = n } }
    END { for (i = 1; i <= cnt; i++) printf "   %-18s %8s | %8s  %s\n",
    order[i], a[order[i]], k[order[i]], note[order[i]] }' \
    "$OUT/limit.log" "$OUT/limit-kit.log"
echo
echo "bench took ${SECS} s; logs in $OUT"
echo "Figures are printed, not judged: make bench fails only when it" \
    "cannot run."
