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
# make dist: opensmtpd-kit-VERSION.tar.gz in OUTDIR (default: the top
# directory), the same bytes from the same sources.
#
# usage: sh pkg/dist.sh [OUTDIR]
#
# The files are those git tracks (git ls-files) in a git checkout, and
# those MANIFEST lists in a tree unpacked from a tarball, whose MANIFEST
# this script wrote: "make dist" in an unpacked tarball makes the same
# tarball again.  Every entry has the time of the last commit (in a
# tarball: the time MANIFEST records; SOURCE_DATE_EPOCH overrides both),
# owner and group 0, names in C order, modes 0644 or 0755; gzip -n
# stores no name or time.  Needs GNU tar (tar or gtar).

PROG=dist
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$TOP}

die()
{
	echo "$PROG: $*" >&2
	exit 1
}

# gnu_tar: print the name of a GNU tar
gnu_tar()
{
	for t in ${TAR:-tar gtar}; do
		"$t" --version 2>/dev/null | grep -q 'GNU tar' && {
			echo "$t"
			return 0
		}
	done
	return 1
}

cd "$TOP" || die "cannot enter $TOP"
OUT=$(cd "$OUT" 2>/dev/null && pwd) || die "no directory $1"
[ -s VERSION ] || die "no VERSION file in $TOP"
VERSION=$(cat VERSION)
echo "$VERSION" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$' ||
    die "VERSION is '$VERSION', not a semantic version such as 1.0.0"
TAR=$(gnu_tar) || die "GNU tar not found (install it: gtar on the BSDs)"
NAME=opensmtpd-kit-$VERSION
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dist.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP

if command -v git >/dev/null 2>&1 &&
    [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$TOP" ]; then
	git ls-files >"$TMP/files" || die "git ls-files failed"
	EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
	[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	    echo "$PROG: warning: uncommitted changes go into $NAME.tar.gz" >&2
elif [ -f MANIFEST ]; then
	sed '/^#/d' MANIFEST >"$TMP/files"
	EPOCH=${SOURCE_DATE_EPOCH:-$(sed -n \
	    's/^# .*SOURCE_DATE_EPOCH=\([0-9][0-9]*\).*/\1/p' MANIFEST)}
else
	die "neither a git checkout nor an unpacked tarball (no MANIFEST)"
fi
[ -n "$EPOCH" ] || die "no date for the entries; set SOURCE_DATE_EPOCH"
# MANIFEST: the list, itself included, and the date of the entries.
{
	echo "# $NAME: the files of the tarball (SOURCE_DATE_EPOCH=$EPOCH)"
	{ grep -vx MANIFEST "$TMP/files"; echo MANIFEST; } | LC_ALL=C sort
} >"$TMP/MANIFEST"
sed '/^#/d' "$TMP/MANIFEST" | while IFS= read -r f; do
	[ "$f" = MANIFEST ] || [ -f "$f" ] || {
		echo "$PROG: $f is listed but missing;" \
		    "restore it or commit its removal" >&2
		exit 1
	}
done || exit 1
# The tree as the tarball holds it, under NAME/.
mkdir "$TMP/$NAME" || die "mkdir failed"
sed '/^#/d' "$TMP/MANIFEST" | grep -vx MANIFEST |
    "$TAR" -cf - --no-recursion -T - | (cd "$TMP/$NAME" && "$TAR" -xpf -) ||
    die "cannot copy the files"
cp "$TMP/MANIFEST" "$TMP/$NAME/MANIFEST" || die "cannot write MANIFEST"
sed '/^#/d' "$TMP/MANIFEST" | sed "s|^|$NAME/|" >"$TMP/list"
(cd "$TMP" && "$TAR" --format=ustar --no-recursion --sort=name \
    --owner=0 --group=0 --numeric-owner --mtime="@$EPOCH" \
    --mode='a+rX,u+w,go-w' -cf - -T list) | gzip -n -9 >"$TMP/out.tar.gz" ||
    die "tar or gzip failed"
mv "$TMP/out.tar.gz" "$OUT/$NAME.tar.gz" ||
    die "cannot write $OUT/$NAME.tar.gz"
echo "$OUT/$NAME.tar.gz"
