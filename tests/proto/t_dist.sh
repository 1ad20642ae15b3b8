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
# make dist: two runs give the same bytes; the tarball holds the
# sources, manuals, tests, README and VERSION and nothing built; and,
# unpacked where no git repository is, it makes the same tarball again
# and builds: make, the test programs, and every unit test passes.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
# pkg/dist.sh needs GNU tar (gtar on the BSDs)
if ! { tar --version; gtar --version; } 2>/dev/null | grep -q 'GNU tar'; then
	needs gtar
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/t_dist.XXXXXX") || exit 1
MAKE=${MAKE:-make}
VERSION=$(cat "$TOP/VERSION")
NAME=opensmtpd-kit-$VERSION
TGZ=$NAME.tar.gz

expect_match "VERSION is a semantic version" '^[0-9]+\.[0-9]+\.[0-9]+$' \
    "$VERSION"
expect_eq "debian/changelog's last entry is of VERSION" \
    "opensmtpd-kit ($VERSION)" \
    "$(sed -n '1s/^\(opensmtpd-kit ([^)]*)\).*/\1/p' "$TOP/debian/changelog")"
mkdir "$T/a" "$T/b" "$T/c" "$T/x"
expect_exit "dist, first run" 0 sh "$TOP/pkg/dist.sh" "$T/a"
expect_eq "dist prints the tarball's path" "$T/a/$TGZ" "$OUT"
expect_exit "dist, second run" 0 sh "$TOP/pkg/dist.sh" "$T/b"
if cmp -s "$T/a/$TGZ" "$T/b/$TGZ"; then
	ok "two runs of dist give the same bytes" \
	    "($(wc -c <"$T/a/$TGZ" | tr -d ' ') bytes)"
else
	fail "two runs of dist differ: $T/a/$TGZ $T/b/$TGZ"
fi

list=$(tar -tvzf "$T/a/$TGZ" 2>&1)
for f in VERSION README.md LICENSE Makefile MANIFEST man/table-sqlite.8 \
    man/filter-submission.conf.5 table-sqlite/main.c lib/schema.sql \
    tests/run.sh tests/unit/test_conf.c tests/proto/t_dist.sh \
    tests/e2e/t_deb.sh pkg/dist.sh pkg/deb.sh debian/control debian/rules \
    examples/smtpd.conf; do
	expect_match "the tarball holds $f" " $NAME/$f\$" "$list"
done
built='\.(o|a)$|/table-sqlite/table-sqlite$|/auth-helper/auth-helper$'
expect_nomatch "nothing built in the tarball" "$built|/tests/out/" "$list"
expect_nomatch "every entry owned by 0/0" '^[^ ]+ [^0]|^[^ ]+ 0/[^0]' \
    "$list"
expect_eq "one date on every entry" 1 \
    "$(echo "$list" | awk '{ print $4, $5 }' | sort -u | wc -l | tr -d ' ')"

tar -xzf "$T/a/$TGZ" -C "$T/x" || fail "cannot unpack $TGZ"
X=$T/x/$NAME
if (cd "$X" && git rev-parse --git-dir) >/dev/null 2>&1; then
	fail "$X is inside a git repository: TMPDIR elsewhere"
else
	ok "the unpacked tree is outside any git repository"
fi
expect_exit "dist in the unpacked tree" 0 sh "$X/pkg/dist.sh" "$T/c"
if cmp -s "$T/a/$TGZ" "$T/c/$TGZ"; then
	ok "the unpacked tree makes the same tarball again"
else
	fail "dist in the unpacked tree differs: $T/a/$TGZ $T/c/$TGZ"
fi

expect_exit "make in the unpacked tree" 0 $MAKE -C "$X"
[ "$rc" -eq 0 ] || echo "$ERR" | tail -n 10
for p in table-sqlite/table-sqlite filter-submission/filter-submission \
    auth-helper/auth-helper; do
	[ -x "$X/$p" ] && ok "built $p" || fail "$p not built"
done
expect_exit "make test-programs in the unpacked tree" 0 \
    $MAKE -C "$X" test-programs
[ "$rc" -eq 0 ] || echo "$ERR" | tail -n 10
n=0
for t in "$X"/tests/unit/test_*.c; do
	t=${t%.c}
	n=$((n + 1))
	last=$(cd "$X" && "./tests/unit/${t##*/}" 2>&1 | tail -n 1)
	expect_match "unit/${t##*/} from the tarball" \
	    '^[0-9]+ passed, 0 failed$' "$last"
done
[ "$n" -ge 10 ] && ok "$n unit tests in the tarball" ||
    fail "only $n unit tests in the tarball"
test_done "$T"
