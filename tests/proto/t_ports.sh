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
# The port skeletons in contrib/: each has what its ports tree requires,
# names every manual page and program of the kit, and (once the install
# target knows OS= and the sample configurations) lists exactly the
# files "make install OS=OpenBSD" and "OS=FreeBSD" put in DESTDIR.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
cd "$TOP" || exit 1
T=$(mktemp -d /tmp/t_ports.XXXXXX) || exit 1
OB=contrib/openbsd/mail/opensmtpd-kit
FB=contrib/freebsd/mail/opensmtpd-kit

# has FILE NAME VAR...: each VAR is set in the port's Makefile
has()
{
	f=$1
	name=$2
	shift 2
	missing=""
	for v in "$@"; do
		grep -Eq "^$v[[:space:]]*\\+?=" "$f" || missing="$missing $v"
	done
	expect_eq "$name sets$*" "" "$missing"
}

# value FILE VAR: what VAR is set to, continuation lines joined
value()
{
	awk -v v="$2" '
	    !on && $0 ~ "^" v "[ \t]*[+]?=" {
		on = 1
		sub("^" v "[ \t]*[+]?=", "")
	    }
	    on {
		more = sub(/\\$/, "")
		printf "%s ", $0
		if (!more)
			exit
	    }' "$1" | tr -s ' \t' '  '
}

# The kit's files, from the tree: programs, manuals, sample configurations.
mans=$(ls man/*.[1-9] | sed 's|.*/||')
examples=$(ls examples/*.conf 2>/dev/null | sed 's|.*/||')

# lists NAME PLIST LIBEXEC BIN MAN MANDIR SUFFIX: the packing list names
# the programs, marked BIN: the table and the filter in LIBEXEC,
# auth-helper in sbin; and each manual page, marked MAN, as
# MANDIR/manN/PAGE and SUFFIX
lists()
{
	for p in $3/table-sqlite $3/filter-submission sbin/auth-helper; do
		expect_match "$1: $4$p" "^$4$p\$" "$(cat $2)"
	done
	for m in $mans; do
		expect_match "$1: $5$m" "^$5$6/man${m##*.}/$m$7\$" "$(cat $2)"
	done
}

# OpenBSD
has $OB/Makefile "OpenBSD Makefile" COMMENT DISTNAME CATEGORIES SITES \
    HOMEPAGE MAINTAINER PERMIT_PACKAGE WANTLIB LIB_DEPENDS MAKE_FLAGS
expect_match "OpenBSD: no MASTER_SITES (SITES now)" '^$' \
    "$(grep '^MASTER_SITES' $OB/Makefile)"
expect_nomatch "OpenBSD: no RUN_DEPENDS on smtpd, which is in base" \
    'RUN_DEPENDS' "$(grep -v '^#' $OB/Makefile)"
for l in c crypto event iconv idn2 sqlite3 unistring; do
	expect_match "OpenBSD WANTLIB names $l" "(^| )$l( |\$)" \
	    "$(value $OB/Makefile WANTLIB)"
done
for d in databases/sqlite3 devel/libidn2 converters/libunistring \
    converters/libiconv; do
	expect_match "OpenBSD LIB_DEPENDS names $d" "$d" \
	    "$(value $OB/Makefile LIB_DEPENDS)"
done
expect_match "OpenBSD builds for OpenBSD's paths" \
    'OS=OpenBSD.*LIBEXECDIR="\$\{PREFIX\}/libexec/smtpd".*MANDIR="\$\{PREFIX\}/man"' \
    "$(value $OB/Makefile MAKE_FLAGS)"
flags=$(value $OB/Makefile MAKE_FLAGS)
# bsd.port.mk passes MAKE_FLAGS and DESTDIR to fake and test, and CC in
# the environment: a port does not repeat them.
for v in FAKE_FLAGS TEST_FLAGS; do
	expect_eq "OpenBSD: no $v repeating MAKE_FLAGS" "" \
	    "$(grep -E "^$v[[:space:]]*\+?=" $OB/Makefile)"
done
expect_nomatch "OpenBSD: no CC= in MAKE_FLAGS" '(^| )CC=' "$flags"
has $OB/Makefile "OpenBSD Makefile" DEBUG_PACKAGES TEST_TARGET
expect_match "OpenBSD: base libevent, pinned" 'EVENT_LIBS=-levent( |"|$)' \
    "$flags"
expect_match "OpenBSD: crypt_checkpass in libc, pinned" \
    'CRYPT_CFLAGS= CRYPT_LIBS= ' "$flags"
expect_match "OpenBSD: programs installed with INSTALL_PROGRAM" \
    'INSTALL_PROGRAM="\$\{INSTALL_PROGRAM\}"' "$flags"
plist=$OB/pkg/PLIST
# mail/opensmtpd-extras (its main package, opensmtpd-extras-VERSION)
# ships libexec/smtpd/table-sqlite and table-sqlite.5.
expect_match "OpenBSD PLIST: @conflict opensmtpd-extras-*" \
    '^@conflict opensmtpd-extras-\*$' "$(cat $plist)"
lists "OpenBSD PLIST" $plist libexec/smtpd "@bin " "@man " man ""
expect_match "OpenBSD PLIST: the pkg/README" \
    '^share/doc/pkg-readmes/\$\{PKGSTEM\}$' "$(cat $plist)"
[ -s $OB/pkg/DESCR ] && [ -s $OB/pkg/README ]
expect_eq "OpenBSD pkg/DESCR and pkg/README" 0 $?

# FreeBSD
has $FB/Makefile "FreeBSD Makefile" PORTNAME DISTVERSION CATEGORIES \
    MASTER_SITES MAINTAINER COMMENT WWW LICENSE USES LIB_DEPENDS \
    RUN_DEPENDS CONFLICTS_INSTALL MAKE_ARGS
expect_eq "FreeBSD LICENSE" "ISCL" "$(value $FB/Makefile LICENSE | tr -d ' ')"
for l in libevent.so:devel/libevent libidn2.so:dns/libidn2 \
    libunistring.so:devel/libunistring; do
	expect_match "FreeBSD LIB_DEPENDS names $l" "$l" \
	    "$(value $FB/Makefile LIB_DEPENDS)"
done
expect_match "FreeBSD RUN_DEPENDS on mail/opensmtpd" 'opensmtpd.*:mail/opensmtpd' \
    "$(value $FB/Makefile RUN_DEPENDS)"
expect_match "FreeBSD CONFLICTS_INSTALL opensmtpd-extras-table-sqlite" \
    'opensmtpd-extras-table-sqlite' "$(value $FB/Makefile CONFLICTS_INSTALL)"
expect_match "FreeBSD builds for FreeBSD's paths" \
    'OS=FreeBSD.*LIBEXECDIR=\$\{PREFIX\}/libexec/opensmtpd.*MANDIR=\$\{PREFIX\}/share/man' \
    "$(value $FB/Makefile MAKE_ARGS)"
fargs=$(value $FB/Makefile MAKE_ARGS)
expect_match "FreeBSD: USES=iconv" '(^| )iconv( |$)' \
    "$(value $FB/Makefile USES)"
expect_match "FreeBSD: iconv as USES=iconv says" \
    'ICONV_CFLAGS=-DLIBICONV_PLUG ICONV_LIBS=\$\{ICONV_LIB\}' "$fargs"
expect_match "FreeBSD: base crypt_r with base libcrypt, pinned" \
    'CRYPT_CFLAGS= CRYPT_LIBS=/usr/lib/libcrypt.so' "$fargs"
expect_match "FreeBSD: programs installed with INSTALL_PROGRAM" \
    'INSTALL_PROGRAM="\$\{INSTALL_PROGRAM\}"' "$fargs"
expect_nomatch "FreeBSD: no strip of its own" 'STRIP_CMD' \
    "$(cat $FB/Makefile)"
expect_match "FreeBSD pkg-message: crypt-blowfish checks \$2y\$" \
    '\$2b\$, \$2a\$, \$2y\$' "$(cat $FB/files/pkg-message.in)"
fplist=$FB/pkg-plist
lists "FreeBSD pkg-plist" $fplist libexec/opensmtpd "" "" share/man '\.gz'
[ -s $FB/pkg-descr ]
expect_eq "FreeBSD pkg-descr" 0 $?

long=$(cat $OB/pkg/DESCR $FB/pkg-descr | awk 'length($0) > 80')
expect_eq "descriptions within 80 columns" "" "$long"

# The release: the version and the sample configurations of the tree.
if [ -f VERSION ]; then
	expect_eq "OpenBSD port of VERSION" "$(cat VERSION)" \
	    "$(value $OB/Makefile V | tr -d ' ')"
	expect_eq "FreeBSD port of VERSION" "$(cat VERSION)" \
	    "$(value $FB/Makefile DISTVERSION | tr -d ' ')"
else
	echo "# not run: no VERSION file in this tree (make dist's)"
fi
if [ -n "$examples" ]; then
	for e in $examples; do
		expect_match "OpenBSD PLIST: example $e" \
		    "^share/examples/opensmtpd-kit/$e\$" "$(cat $plist)"
		expect_match "FreeBSD pkg-plist: example $e" \
		    "^%%PORTEXAMPLES%%%%EXAMPLESDIR%%/$e\$" "$(cat $fplist)"
	done
else
	echo "# not run: no examples/ in this tree"
fi

# openbsd_files, freebsd_files PLIST: the files it installs
openbsd_files()
{
	awk '/^@(bin|man) / { print $2; next } /^@/ || /\/$/ { next }
	    { print }' "$1" | grep -v '^share/doc/pkg-readmes/' | sort
}
freebsd_files()
{
	sed -e 's/^%%PORTEXAMPLES%%//' \
	    -e 's|^%%EXAMPLESDIR%%|share/examples/opensmtpd-kit|' \
	    -e 's/\.gz$//' "$1" | sort
}

# installed OS: what make install puts under PREFIX for that system
installed()
{
	rm -rf "$T/$1"
	${MAKE:-make} -s install OS="$1" PREFIX=/usr/local DESTDIR="$T/$1" \
	    >"$T/$1.log" 2>&1 || return 1
	(cd "$T/$1/usr/local" && find . -type f | sed 's|^\./||' | sort)
}

if ${MAKE:-make} -n install OS=OpenBSD PREFIX=/usr/local DESTDIR="$T/x" \
    2>/dev/null | grep -q 'share/examples/opensmtpd-kit'; then
	for os in OpenBSD FreeBSD; do
		if ! got=$(installed $os); then
			fail "make install OS=$os: $(tail -n 3 "$T/$os.log")"
			continue
		fi
		case $os in
		OpenBSD) want=$(openbsd_files $plist) ;;
		FreeBSD) want=$(freebsd_files $fplist) ;;
		esac
		expect_eq "make install OS=$os installs what its plist lists" \
		    "$want" "$got"
		man5=$T/$os/usr/local/man/man5/table-sqlite.5
		[ $os = FreeBSD ] &&
		    man5=$T/$os/usr/local/share/man/man5/table-sqlite.5
		expect_match "$os: table-sqlite(5)'s example names /var/db" \
		    '^dbpath /var/db/opensmtpd-kit/kit.sqlite$' "$(cat "$man5")"
		expect_nomatch "$os: table-sqlite(5) names no /var/lib" \
		    '^dbpath /var/lib' "$(cat "$man5")"
		expect_nomatch "$os: no PREFIX/etc/mail/smtpd.conf called OpenBSD's" \
		    'local/etc/mail/smtpd.conf \(OpenBSD\)' "$(cat "$man5")"
	done
else
	echo "# not run: make install knows no OS= paths or sample" \
	    "configurations yet: the plists are checked against the tree only"
fi

test_done "$T"
