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
# make fuzz (and, for a few seconds each, make check): build the
# libFuzzer targets, replay every input that once crashed one
# (tests/fuzz/regress/TARGET), then fuzz each target for a set time from
# its seeds (tests/fuzz/corpus/TARGET).  What it finds goes to
# tests/fuzz/work (not kept in git); a crash is a failure, its input is
# named in the output: copy it to regress/ with the fix.
#
# usage: tests/fuzz/run.sh [-t seconds] [target ...]	(FUZZ_TIME, 60)

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
. "$TOP/tests/lib.sh"

secs=${FUZZ_TIME:-60}
if [ "$1" = -t ]; then
	secs=$2
	shift 2
fi
WORK=tests/fuzz/work

if ! sh tests/fuzz/build.sh "$@"; then
	fail "the fuzz targets do not build"
	test_done
	exit 1
fi
targets=${*:-$(ls tests/fuzz/fuzz_*.c | sed 's|.*/\(fuzz_[a-z_]*\)\.c|\1|')}
for t in $targets; do
	bin=tests/fuzz/bin/$t
	mkdir -p "$WORK/$t" "$WORK/crashes"
	if [ -d "tests/fuzz/regress/$t" ]; then
		n=$(ls "tests/fuzz/regress/$t" | wc -l | tr -d ' ')
		if "$bin" tests/fuzz/regress/"$t"/* >"$WORK/$t.regress.log" 2>&1
		then
			ok "$t: $n inputs that once crashed it run clean"
		else
			fail "$t: an input of tests/fuzz/regress/$t crashes it; see $WORK/$t.regress.log"
		fi
	fi
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$WORK/crashes/$t-" \
	    "$WORK/$t" "tests/fuzz/corpus/$t" >"$WORK/$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$t.log")
	took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' \
	    "$WORK/$t.log")
	if [ "$rc" -eq 0 ]; then
		ok "$t: ${runs:-?} executions in ${took:-?} s, 0 crashes"
	else
		fail "$t: crashed after ${runs:-?} executions: $(grep -m1 -E 'ERROR|SUMMARY' "$WORK/$t.log"); input: $(sed -n 's/.*Test unit written to //p' "$WORK/$t.log" | head -n 1)"
	fi
done
test_done
