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
# Build the libFuzzer targets with clang, ASan and UBSan into
# tests/fuzz/bin; objects go to tests/fuzz/obj and are rebuilt when
# their source or any header is newer.  The Makefile passes its flags:
# FUZZ_CPPFLAGS (include paths) and FUZZ_LIBS (libraries).
#
# usage: tests/fuzz/build.sh [target ...]

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
# Run by hand: the flags come from the Makefile all the same.
[ -n "$FUZZ_LIBS" ] || eval "$(${MAKE:-make} -s fuzz-flags)"
CC=${FUZZ_CC:-clang}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-g -O1 -fno-omit-frame-pointer -std=c99 -D_GNU_SOURCE -DLIBBSD_OPENBSD_VIS -Wall -Wno-unused-parameter"
CPPFLAGS="-Ilib -Ifilter-submission -Itable-sqlite -Itests/fuzz ${FUZZ_CPPFLAGS}"
OBJ=tests/fuzz/obj
BIN=tests/fuzz/bin

command -v "$CC" >/dev/null || {
	echo "fuzz: $CC not found; as root run tests/deps.sh fuzz" >&2
	exit 1
}
mkdir -p "$OBJ" "$BIN"

# The newest header: every object older than it is rebuilt.
newest=$(ls -t lib/*.h filter-submission/*.h table-sqlite/*.h \
    tests/fuzz/*.h | head -n 1)

# obj SRC: compile SRC (with coverage) unless its object is up to date.
obj()
{
	o=$OBJ/$(echo "${1%.c}" | tr / _).o
	if [ ! "$o" -nt "$1" ] || [ ! "$o" -nt "$newest" ]; then
		# shellcheck disable=SC2086
		$CC $CPPFLAGS $CFLAGS $SAN -fsanitize=fuzzer-no-link -c "$1" \
		    -o "$o" || exit 1
	fi
	echo "$o"
}

# Every source but the programs' main.c: the targets take what they need.
LIBSRC=$(ls lib/*.c)
FILTERSRC=$(ls filter-submission/*.c | grep -v '/main\.c$')
TABLESRC=$(ls table-sqlite/*.c | grep -v '/main\.c$')
libobjs=$(for s in $LIBSRC; do obj "$s" || exit 1; done) || exit 1
filterobjs=$(for s in $FILTERSRC; do obj "$s" || exit 1; done) || exit 1
tableobjs=$(for s in $TABLESRC; do obj "$s" || exit 1; done) || exit 1
dbobj=$(obj tests/fuzz/fuzzdb.c) || exit 1

targets=${*:-$(ls tests/fuzz/fuzz_*.c | sed 's|.*/\(fuzz_[a-z]*\)\.c|\1|')}
for t in $targets; do
	o=$(obj "tests/fuzz/$t.c") || exit 1
	# shellcheck disable=SC2086
	$CC $SAN -fsanitize=fuzzer -o "$BIN/$t" "$o" $dbobj $filterobjs \
	    $tableobjs $libobjs ${FUZZ_LIBS} || exit 1
done
