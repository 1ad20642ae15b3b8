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
# make check: the unit programs, the protocol tests, the export commands
# of migrate-postfix run on real MariaDB and PostgreSQL, the man page lint,
# a few seconds of each fuzz target, then the end-to-end tests with a
# real smtpd.  Each prints its closing
# line "N passed, N failed"; this adds them up into one.  Off Debian (a
# BSD; KIT_NOT_DEBIAN=yes to try it on Debian) the end-to-end tests,
# which run smtpd in Debian roots, are not run and not counted, and
# neither is fuzzing where clang has no libFuzzer: a line says so.
# KIT_SUITE=ports (make test): the unit, protocol and lint tests only.
# T=NAME (make check T=NAME): that test alone, named as this prints it
# (unit/test_policy, proto/t_filter.sh, e2e/t_hostile.sh, e2e for all
# of them, migrate/t_sqlexport.sh, fuzz/smoke, lint/man).  Each line
# ends with the seconds the part took, and the last but one with the
# whole run's.

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
LOGDIR=$TOP/tests/out
mkdir -p "$LOGDIR"
PASS=0
FAIL=0
START=$(date +%s)
name=""

# run NAME COMMAND...: run a test program, fold its closing line in
run()
{
	name=$1
	shift
	log=$LOGDIR/$(echo "$name" | tr '/ ' '__').log
	t0=$(date +%s)
	"$@" > "$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - t0))
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
	f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
	if [ -z "$p" ]; then
		p=0
		f=1
		echo "$name: no closing line (exit $rc), see $log"
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "$name: exit $rc, see $log"
	fi
	PASS=$((PASS + p))
	FAIL=$((FAIL + f))
	printf '%-28s %-28s %5ss\n' "$name" "$last" "$secs"
	if [ "$f" -ne 0 ]; then
		grep -E '^(FAIL|not ok)' "$log" | head -20
		tail -n 5 "$log"
	fi
}

lint()
{
	n=0
	bad=0
	for m in man/*.[1-9]; do
		n=$((n + 1))
		out=$(mandoc -Tlint -Wwarning "$m" 2>&1)
		if [ -n "$out" ]; then
			echo "FAIL - mandoc -Tlint $m"
			echo "$out"
			bad=$((bad + 1))
		else
			echo "ok - mandoc -Tlint $m"
		fi
	done
	echo "$((n - bad)) passed, $bad failed"
}

# finish: the whole run's time, then the closing line; exit with it
finish()
{
	echo "make check: $(($(date +%s) - START)) s"
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
	exit
}

fuzz_smoke()
{
	run "fuzz/smoke" sh tests/fuzz/run.sh -t "${FUZZ_SMOKE:-3}"
}

if [ -n "$T" ]; then
	t=${T#./}
	t=${t#tests/}
	case $t in
	unit/test_*)
		t=${t%.c}
		[ -x "tests/$t" ] && run "$t" "./tests/$t" ;;
	proto/t_*.sh|e2e/t_*.sh|migrate/t_*.sh)
		[ -f "tests/$t" ] && run "$t" sh "tests/$t" ;;
	e2e|e2e/run.sh)
		t=e2e
		run e2e sh tests/e2e/run.sh ;;
	fuzz|fuzz/smoke)
		t=fuzz/smoke
		fuzz_smoke ;;
	lint|lint/man)
		t=lint/man
		run lint/man lint ;;
	esac
	if [ -z "$name" ] || [ "$name" != "$t" ]; then
		echo "make check: T=$T: no such test; name one as make check" \
		    "prints it: unit/test_NAME, proto/t_NAME.sh," \
		    "e2e/t_NAME.sh, e2e, migrate/t_sqlexport.sh, fuzz/smoke" \
		    "or lint/man" >&2
		exit 2
	fi
	finish
fi

for t in tests/unit/test_*.c; do
	t=${t%.c}
	run "unit/${t##*/}" "./$t"
done
for t in tests/proto/t_*.sh; do
	run "proto/${t##*/}" sh "$t"
done
if [ "$KIT_SUITE" = ports ]; then
	# make test: no servers to start, nothing to install
	run "lint/man" lint
	for t in tests/proto/t_*.sh; do
		grep -q '^# not run' "$LOGDIR/proto_${t##*/}.log" 2>/dev/null &&
		    sed -n "s|^# not run|proto/${t##*/}: not run|p" \
		    "$LOGDIR/proto_${t##*/}.log"
	done
	finish
fi
# The export commands of migrate-postfix, against a real MariaDB and
# PostgreSQL that the test starts itself.
run "migrate/t_sqlexport.sh" sh tests/migrate/t_sqlexport.sh
run "lint/man" lint
debian=yes
if [ "$KIT_NOT_DEBIAN" = yes ] || [ ! -f /etc/debian_version ]; then
	debian=no
fi
# has_libfuzzer: can the fuzz targets be built here?
has_libfuzzer()
{
	printf '%s\n' 'int LLVMFuzzerTestOneInput(const char *d, long n)' \
	    '{ return 0; }' |
	    ${FUZZ_CC:-clang} -fsanitize=fuzzer -x c -o /dev/null - 2>/dev/null
}
if [ $debian = yes ] || has_libfuzzer; then
	fuzz_smoke
else
	echo "fuzz: not run: ${FUZZ_CC:-clang} here has no libFuzzer" \
	    "(-fsanitize=fuzzer); on Debian make check builds the targets"
fi
if [ $debian = no ]; then
	echo "e2e: NOT RUN, not counted: the end-to-end tests run a real" \
	    "smtpd in Debian roots (debootstrap, as root) and need a Debian" \
	    "host; run make check there for them"
elif [ "${E2E:-yes}" = no ]; then
	echo "e2e: skipped (E2E=no)"
elif [ "$SANITIZE" = yes ]; then
	echo "e2e: skipped (SANITIZE=yes: the sanitizers cover the unit" \
	    "and protocol suites; smtpd runs the plain build)"
else
	run "e2e" sh tests/e2e/run.sh
	# The counts per smtpd version.
	grep -E '^e2e: smtpd [^ ]+ .*(passed|not run)' "$LOGDIR/e2e.log" |
	    sed 's/^e2e: /  /'
fi

finish
