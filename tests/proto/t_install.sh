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
# make install DESTDIR=...: the layout of each platform (OS=OpenBSD,
# FreeBSD, Linux; with GNU make and, when there, BSD make), the
# variables that override it, nothing written under /etc, the sample
# configurations (which are the README's), and make uninstall.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/t_install.XXXXXX") || exit 1
MAKE=${MAKE:-make}

PROGS="table-sqlite filter-submission"
MANS="man5/filter-submission.conf.5 man5/table-sqlite.5 man8/auth-helper.8
    man8/filter-submission.8 man8/table-sqlite.8"
EXAMPLES="filter-mx.conf filter-submission.conf smtpd.conf sqlite.conf"

# layout LIBEXEC SBIN MAN EXAMPLES: the files an install must hold
layout()
{
	{
		for p in $PROGS; do echo ".$1/$p"; done
		echo ".$2/auth-helper"
		for m in $MANS; do echo ".$3/$m"; done
		for e in $EXAMPLES; do echo ".$4/$e"; done
	} | LC_ALL=C sort
}

# installed NAME DIR MAKE ARGS...: make install DESTDIR=DIR ARGS
installed()
{
	name=$1
	dir=$2
	mk=$3
	shift 3
	rm -rf "$dir"
	expect_exit "$name: $mk install" 0 $mk -C "$TOP" install \
	    DESTDIR="$dir" "$@"
	[ "$rc" -eq 0 ] || echo "$ERR" | tail -n 5
	FILES=$(cd "$dir" 2>/dev/null && find . -type f | LC_ALL=C sort)
}

# modes NAME DIR: programs 0755, the rest 0644
modes()
{
	bad=$(cd "$2" && find . -type f | while read -r f; do
		m=$(ls -l "$f" | cut -c 1-10)
		case $f in
		*/table-sqlite|*/filter-submission|*/auth-helper)
			[ "$m" = -rwxr-xr-x ] || echo "$f $m" ;;
		*)	[ "$m" = -rw-r--r-- ] || echo "$f $m" ;;
		esac
	done)
	expect_eq "$1: modes 0755 and 0644" "" "$bad"
}

MAKES=$MAKE
command -v bmake >/dev/null 2>&1 && MAKES="$MAKES bmake"
for mk in $MAKES; do
	installed "OpenBSD ($mk)" "$T/obsd" "$mk" OS=OpenBSD
	expect_eq "OpenBSD ($mk): the files, in libexec/smtpd and man" \
	    "$(layout /usr/local/libexec/smtpd /usr/local/sbin \
	    /usr/local/man /usr/local/share/examples/opensmtpd-kit)" "$FILES"
	expect_match "OpenBSD ($mk): sqlite.conf names /var/db" \
	    '^dbpath /var/db/opensmtpd-kit/kit.sqlite$' "$(cat \
	    "$T/obsd/usr/local/share/examples/opensmtpd-kit/sqlite.conf")"
done
modes OpenBSD "$T/obsd"

installed FreeBSD "$T/fbsd" "$MAKE" OS=FreeBSD
expect_eq "FreeBSD: the files, in libexec/opensmtpd and share" \
    "$(layout /usr/local/libexec/opensmtpd /usr/local/sbin \
    /usr/local/share/man /usr/local/share/examples/opensmtpd-kit)" "$FILES"
expect_match "FreeBSD: the manuals name PREFIX/etc/mail" \
    '/usr/local/etc/mail/sqlite.conf' \
    "$(cat "$T/fbsd/usr/local/share/man/man8/auth-helper.8")"
expect_match "FreeBSD: so do the examples" \
    '^table /usr/local/etc/mail/sqlite.conf$' \
    "$(cat "$T/fbsd/usr/local/share/examples/opensmtpd-kit/filter-mx.conf")"

installed NetBSD "$T/nbsd" "$MAKE" OS=NetBSD PREFIX=/usr/pkg
expect_eq "NetBSD: the files, in PREFIX=/usr/pkg" \
    "$(layout /usr/pkg/libexec/opensmtpd /usr/pkg/sbin \
    /usr/pkg/share/man /usr/pkg/share/examples/opensmtpd-kit)" "$FILES"

installed Linux "$T/linux" "$MAKE" OS=Linux PREFIX=/usr
expect_eq "Linux, PREFIX=/usr: Debian's smtpd's libexec, the doc directory" \
    "$(layout /usr/libexec/opensmtpd /usr/sbin /usr/share/man \
    /usr/share/doc/opensmtpd-kit/examples)" "$FILES"
modes Linux "$T/linux"
EX=$T/linux/usr/share/doc/opensmtpd-kit/examples
expect_match "Linux: sqlite.conf names /var/lib" \
    '^dbpath /var/lib/opensmtpd-kit/kit.sqlite$' "$(cat "$EX/sqlite.conf")"
expect_match "Linux: the manuals name /etc/mail" \
    '^\.It Pa /etc/mail/sqlite.conf$' \
    "$(cat "$T/linux/usr/share/man/man5/table-sqlite.5")"

installed overrides "$T/over" "$MAKE" OS=Linux PREFIX=/opt/kit \
    LIBEXECDIR=/le SBINDIR=/sb MANDIR=/mn SYSCONFDIR=/cf EXAMPLESDIR=/ex
expect_eq "LIBEXECDIR, SBINDIR, MANDIR and EXAMPLESDIR override" \
    "$(layout /le /sb /mn /ex)" "$FILES"
expect_match "SYSCONFDIR is what the manuals and examples name" \
    '^table /cf/sqlite.conf$' "$(cat "$T/over/ex/filter-submission.conf")"

for d in obsd fbsd nbsd linux over; do
	[ -z "$(find "$T/$d" -path '*/etc/*' -type f)" ] ||
	    fail "$d: a file installed under an etc directory"
done
ok "no file installed under /etc or PREFIX/etc"

# The sample configurations are the README's "Use" files, comments aside.
for e in $EXAMPLES; do
	case $e in
	smtpd.conf)	path=/etc/smtpd.conf ;;
	*)		path=/etc/mail/$e ;;
	esac
	readme=$(awk -v p="$path" '
	    $0 == "<!-- file " p " -->" { on = 1; next }
	    on && /^    / { sub(/^    /, ""); print; next }
	    { on = 0 }' "$TOP/README.md" | grep -v '^#')
	expect_eq "examples/$e is the README's $path" "$readme" \
	    "$(grep -v '^#' "$TOP/examples/$e")"
done

expect_exit "make uninstall" 0 $MAKE -C "$TOP" uninstall \
    DESTDIR="$T/linux" OS=Linux PREFIX=/usr
expect_eq "make uninstall leaves no file" "" \
    "$(find "$T/linux" -type f)"
test_done "$T"
