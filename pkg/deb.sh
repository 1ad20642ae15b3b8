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
# make deb: the Debian packages of the kit, built with dpkg-buildpackage
# from the release tarball (pkg/dist.sh) in a copy of a Debian 13 root
# with debhelper and lintian (tests/e2e/provision.sh debbuild), so that
# this host needs nothing new; lintian then checks them there.  The
# .deb files are copied to OUTDIR (default: the top directory) and
# their paths printed, one a line, last.
#
# usage: sh pkg/deb.sh [-q] [OUTDIR]
#	-q	print only the paths (lintian's report is in the cache)
#
# The copy is an overlay on the cached root, in a mount namespace of
# its own: the root itself is never written.  What a build made is kept
# in ${E2E_CACHE:-/var/cache/opensmtpd-kit}/deb/HASH, HASH the SHA-256
# of the tarball and the root's recipe: the same sources are built once.
# Fails when the build fails or lintian reports an error.  Needs root.

PROG=deb
TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${E2E_CACHE:-/var/cache/opensmtpd-kit}
QUIET=no
[ "$1" = -q ] && { QUIET=yes; shift; }
OUT=${1:-$TOP}
TMP=""

die()
{
	echo "$PROG: $*" >&2
	exit 1
}

say()
{
	[ "$QUIET" = yes ] || echo "$PROG: $*" >&2
}

cleanup()
{
	[ -n "$TMP" ] && rm -rf "$TMP"
}

[ "$(id -u)" -eq 0 ] ||
    die "must run as root (the build root is a chroot); use sudo"
OUT=$(cd "$OUT" 2>/dev/null && pwd) || die "no directory $1"
mkdir -p "$CACHE/deb" || die "cannot create $CACHE/deb; set E2E_CACHE"
TMP=$(mktemp -d "$CACHE/deb/.build.XXXXXX") || die "mktemp failed"
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

TGZ=$(sh "$TOP/pkg/dist.sh" "$TMP" 2>"$TMP/dist.err") ||
    die "make dist failed: $(cat "$TMP/dist.err")"
ROOT=$(sh "$TOP/tests/e2e/provision.sh" debbuild 2>"$TMP/provision.err") ||
    die "no build root: $(tail -n 3 "$TMP/provision.err")"
NAME=$(basename "$TGZ" .tar.gz)
HASH=$(cat "$TGZ" "$ROOT/etc/e2e-provisioned" | sha256sum | cut -c 1-16)
DIR=$CACHE/deb/$HASH

if [ ! -f "$DIR/done" ]; then
	say "building from ${TGZ##*/} in a copy of $ROOT (about a minute)"
	start=$(date +%s)
	mkdir "$TMP/up" "$TMP/work" "$TMP/m" || die "mkdir failed"
	mkdir -p "$TMP/up/build" && cp "$TGZ" "$TMP/up/build/" ||
	    die "cannot copy the tarball"
	# In the overlay: unpack, build (source and binaries), lintian as
	# an unprivileged user.
	cat >"$TMP/build.sh" <<EOS
set -e
mount -t overlay deb-build \
    -o lowerdir="$ROOT",upperdir="$TMP/up",workdir="$TMP/work" "$TMP/m"
mount -t proc proc "$TMP/m/proc"
chroot "$TMP/m" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 \
    HOME=/root sh -c 'cd /build && tar -xzf $NAME.tar.gz && cd $NAME &&
    dpkg-buildpackage -us -uc' >"$TMP/build.log" 2>&1 || {
	echo "dpkg-buildpackage failed; see $DIR.failed/build.log" >&2
	exit 1
}
chmod -R a+rX "$TMP/m/build"
chroot "$TMP/m" env -i PATH=/usr/bin:/bin LC_ALL=C.UTF-8 HOME=/tmp \
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
    sh -c 'cd /build && lintian --display-level ">=pedantic" \
    --fail-on error *.changes' >"$TMP/lintian.txt" 2>&1
EOS
	unshare -m --propagation private sh "$TMP/build.sh"
	rc=$?
	mkdir -p "$TMP/out"
	cp "$TMP/build.log" "$TMP/out/" 2>/dev/null
	cp "$TMP/lintian.txt" "$TMP/out/" 2>/dev/null
	for f in "$TMP"/up/build/*.deb "$TMP"/up/build/*.changes \
	    "$TMP"/up/build/*.buildinfo "$TMP"/up/build/*.dsc \
	    "$TMP"/up/build/*.tar.xz; do
		[ -f "$f" ] && cp "$f" "$TMP/out/"
	done
	echo "$(($(date +%s) - start))" >"$TMP/out/seconds"
	if [ "$rc" -ne 0 ]; then
		rm -rf "$DIR.failed"
		mv "$TMP/out" "$DIR.failed"
		[ -s "$DIR.failed/lintian.txt" ] &&
		    sed 's/^/    /' "$DIR.failed/lintian.txt" >&2
		tail -n 20 "$DIR.failed/build.log" >&2
		die "the build or lintian failed; see $DIR.failed"
	fi
	: >"$TMP/out/done"
	rm -rf "$DIR"
	mv "$TMP/out" "$DIR" || die "cannot write $DIR"
	# Builds of other sources, and what interrupted runs left, after
	# a week.
	find "$CACHE/deb" -mindepth 1 -maxdepth 1 -mtime +7 \
	    -exec rm -rf {} + 2>/dev/null
	say "built in $(cat "$DIR/seconds") s"
else
	say "the same sources were built before: $DIR"
fi
say "lintian (errors fail the build; $DIR/lintian.txt):"
[ "$QUIET" = yes ] || sed 's/^/    /' "$DIR/lintian.txt" >&2
for f in "$DIR"/*.deb; do
	cp "$f" "$OUT/" || die "cannot copy ${f##*/} to $OUT"
	echo "$OUT/${f##*/}"
done
