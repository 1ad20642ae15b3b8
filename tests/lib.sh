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
# Shared helpers for the shell tests.  Source it, call ok/fail or the
# expect_* helpers, and end with test_done, which prints the closing line
# "N passed, N failed" and returns non-zero when anything failed.

T_PASS=0
T_FAIL=0

ok()
{
	T_PASS=$((T_PASS + 1))
	echo "ok - $*"
}

fail()
{
	T_FAIL=$((T_FAIL + 1))
	echo "FAIL - $*"
}

# expect_eq NAME EXPECTED ACTUAL
expect_eq()
{
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail "$1: expected [$2], got [$3]"
	fi
}

# expect_match NAME PATTERN TEXT: TEXT contains the grep -E PATTERN
expect_match()
{
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		ok "$1"
	else
		fail "$1: [$2] not in [$(printf '%s' "$3" | head -c 600)]"
	fi
}

# expect_nomatch NAME PATTERN TEXT
expect_nomatch()
{
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		fail "$1: [$2] unexpectedly in [$(printf '%s' "$3" | head -c 600)]"
	else
		ok "$1"
	fi
}

# expect_alive NAME PID: the process still runs
expect_alive()
{
	if kill -0 "$2" 2>/dev/null; then
		ok "$1"
	else
		fail "$1: process $2 is gone"
	fi
}

# expect_exit NAME STATUS COMMAND...: run COMMAND, its output in $OUT
# and its standard error in $ERR (through $T/err), and check its exit
# status.
expect_exit()
{
	name=$1
	want=$2
	shift 2
	OUT=$("$@" 2>"$T/err")
	rc=$?
	ERR=$(cat "$T/err")
	expect_eq "$name: exit $want" "$want" "$rc"
}

# test_done [DIR]: the closing line.  DIR, the test's data, is removed
# when everything passed, and named when not.
test_done()
{
	if [ -n "$1" ] && [ "$T_FAIL" -eq 0 ]; then
		rm -rf "$1"
	elif [ -n "$1" ]; then
		echo "test data left in $1"
	fi
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
