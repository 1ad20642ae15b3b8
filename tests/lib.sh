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

# expect_file_match NAME PATTERN FILE: FILE holds the grep -E PATTERN
expect_file_match()
{
	expect_match "$1" "$2" "$(cat "$3")"
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

# Portable spellings of what the tests would otherwise ask of GNU tools:
# the BSDs' base systems have no stat -c, sha256sum, md5sum, base64 -w0,
# touch -d @N, nor sed -i without a suffix (make test runs there).

# file_mode PATH: its permission bits in octal, as stat -c %a prints them
file_mode()
{
	ls -ldn "$1" | awk '{
		m = 0
		for (i = 2; i <= 10; i++) {
			c = substr($1, i, 1)
			m = m * 2 + (c != "-" && c != "S" && c != "T")
		}
		printf "%o\n", m
	}'
}

# file_group PATH: the name of its group
file_group()
{
	ls -ld "$1" | awk '{ print $4 }'
}

# file_inode PATH: its inode number
file_inode()
{
	ls -di "$1" | awk '{ print $1 }'
}

# file_size PATH: its size in bytes
file_size()
{
	wc -c <"$1" | tr -d ' '
}

# sha256_hex: the SHA-256 of the standard input, in hex
sha256_hex()
{
	openssl dgst -sha256 | awk '{ print $NF }'
}

# base64_line: the standard input in base64, on one line
base64_line()
{
	openssl base64 -A
	echo
}

# touch_in SECONDS PATH: PATH's time set to now + SECONDS (negative: in
# the past), with touch -t and a time zone that far east of UTC
touch_in()
{
	n=$1
	sign=-
	if [ "$n" -lt 0 ]; then
		n=$((-n))
		sign=+
	fi
	off=$(printf '%s%d:%02d:%02d' "$sign" $((n / 3600)) \
	    $((n / 60 % 60)) $((n % 60)))
	TZ=UTC0 touch -t "$(TZ="UTC$off" date +%Y%m%d%H%M.%S)" "$2"
}

# newer_than_now PATH: its time is in the future
newer_than_now()
{
	touch "${T:-/tmp}/.now.$$"
	[ -n "$(find "$1" -newer "${T:-/tmp}/.now.$$" 2>/dev/null)" ]
	set -- $?
	rm -f "${T:-/tmp}/.now.$$"
	return "$1"
}

# sed_inplace SED-ARGS... FILE: sed -i, through a temporary file
sed_inplace()
{
	eval "f=\${$#}"
	n=$#
	i=0
	for a in "$@"; do
		i=$((i + 1))
		[ "$i" -eq "$n" ] && break
		set -- "$@" "$a"
	done
	shift "$n"
	sed "$@" "$f" >"$f.sed.$$" && cat "$f.sed.$$" >"$f" && rm -f "$f.sed.$$"
}

# needs COMMAND...: the test needs these beyond POSIX, the base systems
# and the build dependencies: where one is missing, say so and stop with
# nothing counted
needs()
{
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 && continue
		echo "# not run: needs $c"
		echo "0 passed, 0 failed"
		exit 0
	done
}

# The lines smtpd 7.6 sends a filter at start, ending with "config|ready".
FILTER_HS="config|smtpd-version|7.6.0
config|protocol|0.7
config|smtp-session-timeout|300
config|subsystem|smtp-in
config|admd|mx.example.com
config|ready"
