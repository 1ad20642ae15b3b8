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
# make portable: what can be proved here of the BSD builds.  The tree is
# copied apart (the build in the tree is left alone) and built with
# every function of compat/ (FORCE_COMPAT=yes, no libbsd) and the
# strictest portable flags (C99, POSIX.1-2008, -pedantic and more, no
# _GNU_SOURCE), under GNU make and under BSD make (with clang where
# there is one, as on the BSDs); a third build takes the plain
# crypt_r(3) branch of lib/pwcrypt.c, as on FreeBSD; the OpenBSD
# branches are compiled (pledge, unveil, crypt_checkpass cannot be linked
# here), and FreeBSD's crypt_r branch against a fake <unistd.h> with its
# struct crypt_data, and its Capsicum branch of lib/sandbox.c against a
# fake <sys/capsicum.h>.  The unit tests run on each build.  Then what
# configure picks: the crypt header and library as a pair (fake FreeBSD
# headers over libxcrypt stop the build), base libevent on OpenBSD (a
# fake pkg-config answering with libevent2's flags).  Then the make dist
# tarball, built with the newest clang here (clang-19) and gcc, under
# BSD make and GNU make, -Werror and the ports' flags, and make test run
# in it with a PATH whose stat, sed, touch, sha256sum, md5sum and base64
# refuse the GNU-only spellings.  Last, the manuals' lint.
# Closing line: N passed, N failed.

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
. "$TOP/tests/lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kit-portable.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

STRICT="-Wall -Wextra -Werror -Wno-unused-parameter -pedantic \
-Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition -Wshadow \
-Wpointer-arith -Wwrite-strings"
COMPAT="asprintf explicit_bzero memmem readpassphrase reallocarray strlcat
strlcpy strsep strtonum strunvis vasprintf"

# check CONDITION-STATUS TEXT
check()
{
	if [ "$1" -eq 0 ]; then
		ok "$2"
	else
		fail "$2"
	fi
}

# The makes: GNU make and BSD make, whatever their names here.
gmake=
for m in gmake make; do
	if command -v $m >/dev/null 2>&1 &&
	    $m --version 2>/dev/null | grep -q 'GNU Make'; then
		gmake=$m
		break
	fi
done
bmake=
for m in bmake make; do
	if command -v $m >/dev/null 2>&1 &&
	    ! $m --version 2>/dev/null | grep -q 'GNU Make' &&
	    $m -V .MAKE >/dev/null 2>&1; then
		bmake=$m
		break
	fi
done
cc=${CC:-cc}
clang=$cc
command -v clang >/dev/null 2>&1 && clang=clang

# copy NAME: the sources in $tmp/NAME, nothing built
copy()
{
	mkdir "$tmp/$1" || return 1
	tar cf - --exclude='*.o' --exclude='*.a' --exclude=tests/out \
	    --exclude=tests/bench/out --exclude=tests/fuzz/obj \
	    --exclude=tests/fuzz/bin --exclude=tests/fuzz/work \
	    Makefile configure compat lib table-sqlite filter-submission \
	    auth-helper man tests | (cd "$tmp/$1" && tar xf -)
}

# units NAME [TEST...]: run the unit tests of that build (all of them by
# default), their counts folded into ours
units()
{
	name=$1
	dir=$tmp/$1
	shift
	p0=$T_PASS
	f0=$T_FAIL
	[ $# -gt 0 ] || set -- $(cd "$dir" && ls tests/unit/test_*.c |
	    sed 's/\.c$//')
	for t in "$@"; do
		out=$(cd "$dir" && "./$t" 2>/dev/null)
		rc=$?
		last=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' |
		    tail -n 1)
		p=${last%% *}
		f=$(echo "$last" | sed -n 's/.*, \([0-9]*\) failed$/\1/p')
		if [ -z "$last" ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then
			fail "$name: $t: no closing line or exit $rc"
			continue
		fi
		T_PASS=$((T_PASS + p))
		T_FAIL=$((T_FAIL + f))
		[ "$f" -eq 0 ] || echo "$out" | grep '^FAIL' | sed "s|^|$name: $t: |"
	done
	echo "# $name: unit tests: $((T_PASS - p0)) passed, $((T_FAIL - f0)) failed"
}

# build NAME MAKE CC [VAR=VALUE...]: build that copy, check the result
build()
{
	name=$1
	mk=$2
	c=$3
	shift 3
	if [ -z "$mk" ]; then
		fail "$name: no such make here"
		return 1
	fi
	copy "$name" || { fail "$name: copy"; return 1; }
	log=$tmp/$name.log
	(cd "$tmp/$name" && $mk -j2 FORCE_COMPAT=yes CC="$c" CWARN="$STRICT" \
	    "$@" all test-programs) >"$log" 2>&1
	rc=$?
	check $rc "$name: $mk, $c, every compat/ function, strict flags: builds"
	if [ $rc -ne 0 ]; then
		grep -E 'error|warning' "$log" | head -n 10
		tail -n 5 "$log"
		return 1
	fi
	grep -q -e '-std=c99 -D_POSIX_C_SOURCE=200809L' "$log"
	check $? "$name: compiled as C99 and POSIX.1-2008"
	! grep -q -e '-D_GNU_SOURCE' -e 'LIBBSD' -e '-lbsd' "$log"
	check $? "$name: no _GNU_SOURCE, no libbsd on any command line"
	missing=
	for f in $COMPAT; do
		nm "$tmp/$name/compat/$f.o" 2>/dev/null |
		    grep -Eq " T _?$f\$" || missing="$missing $f"
	done
	[ -z "$missing" ]
	check $? "$name: each compat/ file provides its function${missing:+" \
	    "(not:$missing)}"
	for p in auth-helper/auth-helper filter-submission/filter-submission; do
		nm "$tmp/$name/$p" 2>/dev/null | grep -Eq ' T _?strlcpy$'
		check $? "$name: ${p##*/} carries compat/'s strlcpy"
	done
	return 0
}

if build gnu "$gmake" "$cc"; then
	units gnu
fi
# The newest clang here (Debian 12: clang-19, the compiler of FreeBSD
# 14.3 and of OpenBSD), else the default clang.
for c in clang-21 clang-20 clang-19; do
	command -v $c >/dev/null 2>&1 && { clang=$c; break; }
done
if build bsd "$bmake" "$clang"; then
	units bsd
fi
# recompile SOURCE OBJECT FLAGS LOG TEXT: compile (not link) one file of
# the gnu build again, with its own command line, into OBJECT, another
# system's branch chosen by FLAGS (with that system's declarations): the
# check TEXT; the compiler's first lines, in $tmp/LOG.log, shown.
recompile()
{
	cmd=$(grep -e "-c $1 " "$tmp/gnu.log" | tail -n 1)
	if [ -z "$cmd" ]; then
		fail "$5: no command line for $1"
		return
	fi
	cmd=$(echo "$cmd" | sed "s| -o [^ ]*\.o| -o $2|")
	(cd "$tmp/gnu" && eval "$cmd $3") >"$tmp/$4.log" 2>&1
	check $? "$5"
	[ -s "$tmp/$4.log" ] && head -n 5 "$tmp/$4.log"
}

# openbsd NAME SOURCE FLAGS TEXT: SOURCE again (not linked: no pledge
# here), the OpenBSD branch chosen by FLAGS and OpenBSD's declarations
# of what it calls.
openbsd()
{
	recompile "$2" /dev/null "-UHAVE_LANDLOCK -UHAVE_CRYPT_RN $3 \
	    -include $tmp/openbsd.h" openbsd "$4"
}

if [ -f "$tmp/gnu/lib/sandbox.o" ]; then
	cat >"$tmp/openbsd.h" <<-'EOF'
	#include <stddef.h>
	int	pledge(const char *, const char *);
	int	unveil(const char *, const char *);
	int	crypt_checkpass(const char *, const char *);
	int	crypt_newhash(const char *, const char *, char *, size_t);
	EOF
	openbsd gnu lib/sandbox.c "-DHAVE_PLEDGE -DHAVE_UNVEIL" \
	    "OpenBSD: sandbox.c with pledge and unveil compiles"
	openbsd gnu lib/sandbox.c "-DHAVE_PLEDGE" \
	    "OpenBSD before 6.4: sandbox.c with pledge alone compiles"
	openbsd gnu lib/pwcrypt.c "-DHAVE_CRYPT_CHECKPASS" \
	    "OpenBSD: pwcrypt.c with crypt_checkpass compiles"
fi

# FreeBSD's Capsicum branch of lib/sandbox.c, compiled (not linked, not
# run: no capability mode here) against a fake <sys/capsicum.h> of this
# script's own: FreeBSD's names, with cap_rights_init a variadic macro
# as there; the values are not FreeBSD's.
mkdir -p "$tmp/capsicum/sys" || exit 1
cat >"$tmp/capsicum/sys/capsicum.h" <<-'EOF'
#include <stdint.h>
typedef struct { uint64_t cr_rights[2]; } cap_rights_t;
#define CAP_READ	0x01ULL
#define CAP_WRITE	0x02ULL
#define CAP_SEEK	0x04ULL
#define CAP_MMAP_RW	0x08ULL
#define CAP_CREATE	0x10ULL
#define CAP_FCNTL	0x20ULL
#define CAP_FLOCK	0x40ULL
#define CAP_FSTAT	0x80ULL
#define CAP_FSTATAT	0x100ULL
#define CAP_FTRUNCATE	0x200ULL
#define CAP_LOOKUP	0x400ULL
#define CAP_UNLINKAT	0x800ULL
#define CAP_EVENT	0x1000ULL
cap_rights_t	*__cap_rights_init(int, cap_rights_t *, ...);
#define cap_rights_init(...)	__cap_rights_init(0, __VA_ARGS__, 0ULL)
int		 cap_rights_limit(int, const cap_rights_t *);
int		 cap_enter(void);
EOF
if [ -f "$tmp/gnu/lib/sandbox.o" ]; then
	recompile lib/sandbox.c "$tmp/capsicum.o" "-UHAVE_LANDLOCK \
	    -UHAVE_PLEDGE -UHAVE_UNVEIL -DHAVE_CAPSICUM -isystem $tmp/capsicum" \
	    capsicum "FreeBSD: sandbox.c's Capsicum branch compiles against a fake <sys/capsicum.h>"
	nm "$tmp/capsicum.o" 2>/dev/null | grep -q ' U cap_enter$' &&
	    nm "$tmp/capsicum.o" | grep -q ' U cap_rights_limit$'
	check $? "FreeBSD: that branch calls cap_rights_limit and cap_enter"
fi

# FreeBSD's way: crypt_r(3) with salts of our own, no crypt_gensalt.
if build crypt_r "$gmake" "$cc" HAVE_CRYPT="-DHAVE_CRYPT_R -DHAVE_CRYPT_H"; then
	! grep -e '-c lib/pwcrypt.c' "$tmp/crypt_r.log" |
	    grep -q -e '-DHAVE_CRYPT_RN\>'
	check $? "crypt_r: lib/pwcrypt.c built without libxcrypt's interface"
	units crypt_r tests/unit/test_pwcrypt tests/unit/test_passwd \
	    tests/unit/test_auth
fi

# FreeBSD's crypt as its headers have it: struct crypt_data in
# <unistd.h>, no <crypt.h>.  A fake of those two headers over the
# system's (the rest of <unistd.h> is the system's).
mkdir -p "$tmp/fbsd" || exit 1
cat >"$tmp/fbsd/unistd.h" <<-'EOF'
#include_next <unistd.h>
#ifndef FAKE_FREEBSD_CRYPT
#define FAKE_FREEBSD_CRYPT
struct crypt_data {
	int	initialized;
	char	__buf[256];
};
char	*crypt_r(const char *, const char *, struct crypt_data *);
#endif
EOF
echo '#error FreeBSD has no <crypt.h>' >"$tmp/fbsd/crypt.h"

# FreeBSD's branch of lib/pwcrypt.c, compiled against that <unistd.h>
# (not linked: the only crypt_r here is libxcrypt's).
if [ -f "$tmp/gnu/lib/pwcrypt.o" ]; then
	recompile lib/pwcrypt.c /dev/null "-UHAVE_CRYPT_RN -UHAVE_CRYPT_H \
	    -UHAVE_CRYPT_CHECKPASS -DHAVE_CRYPT_R -isystem $tmp/fbsd" fbsd \
	    "FreeBSD: pwcrypt.c's crypt_r branch compiles against a <unistd.h> with struct crypt_data and no <crypt.h>"
fi

# The crypt header and library agree: that <unistd.h> with libxcrypt's
# library (-lcrypt here, as under FreeBSD's -L/usr/local/lib with
# security/libxcrypt) must stop the build, not hand a 260-byte struct to
# a crypt_r that writes 32 KiB.
if copy xcrypt; then
	(cd "$tmp/xcrypt" && $gmake CPPFLAGS="-isystem $tmp/fbsd" all) \
	    >"$tmp/xcrypt.log" 2>&1
	rc=$?
	[ $rc -ne 0 ] && grep -q "struct crypt_data is not libxcrypt's" \
	    "$tmp/xcrypt.log"
	check $? "crypt: <unistd.h>'s struct crypt_data with libxcrypt's -lcrypt stops the build (exit $rc)"
	[ ! -f "$tmp/xcrypt/lib/pwcrypt.o" ]
	check $? "crypt: nothing compiled with the mismatched pair"
else
	fail "xcrypt: copy"
fi

# libevent on OpenBSD: base libevent, even where pkg-config answers with
# devel/libevent2's libevent.pc (as it does on OpenBSD with it installed).
mkdir -p "$tmp/fakebin" || exit 1
cat >"$tmp/fakebin/pkg-config" <<-'EOF'
#!/bin/sh
case "$*" in
*--cflags*libevent*)	echo -I/usr/local/include/libevent2 ;;
*libevent*)	echo -L/usr/local/lib/libevent2 -levent_extra -levent_core ;;
*)	exec pkg-config "$@" ;;
esac
EOF
chmod +x "$tmp/fakebin/pkg-config"
# linkline ARGS...: the command line make would link table-sqlite with
linkline()
{
	(cd "$tmp/libevent" && rm -f config.mk &&
	    $gmake -n PKG_CONFIG="$tmp/fakebin/pkg-config" "$@" all 2>&1 |
	    grep -e '-o table-sqlite/table-sqlite ')
}
if copy libevent; then
	out=$(linkline CONFIGURE_ARGS=KIT_SYSTEM=OpenBSD)
	echo "$out" | grep -q -e ' -levent ' &&
	    ! echo "$out" | grep -q -e 'levent_core' -e 'libevent2'
	check $? "libevent: on OpenBSD, base -levent, not pkg-config's libevent2"
	linkline CONFIGURE_ARGS=KIT_SYSTEM=Linux | grep -q -e '-levent_core'
	check $? "libevent: elsewhere pkg-config's libevent is taken"
	linkline CONFIGURE_ARGS="KIT_SYSTEM=OpenBSD EVENT_CFLAGS= \
	    EVENT_LIBS='-L/usr/local/lib/libevent2 -levent_core'" |
	    grep -q -e '-L/usr/local/lib/libevent2 -levent_core'
	check $? "libevent: on OpenBSD with EVENT_LIBS pinned, that one"
	# make -n clean in a configured tree runs no probe
	before=$(ls -l "$tmp/libevent/config.log" 2>/dev/null)
	(cd "$tmp/libevent" && $gmake -n PKG_CONFIG="$tmp/fakebin/pkg-config" \
	    CONFIGURE_ARGS="KIT_SYSTEM=OpenBSD EVENT_CFLAGS= \
	    EVENT_LIBS='-L/usr/local/lib/libevent2 -levent_core'" clean \
	    >/dev/null 2>&1)
	expect_eq "configure: not run again by make -n clean" "$before" \
	    "$(ls -l "$tmp/libevent/config.log" 2>/dev/null)"
else
	fail "libevent: copy"
fi

# The release tarball (make dist) with the newest clang here and gcc,
# under BSD make and GNU make, each with -Werror and a port's flags:
# OpenBSD's MAKE_FLAGS (base libevent, -I/-L LOCALBASE), FreeBSD's
# MAKE_ARGS with USES=localbase's flags.
if sh pkg/dist.sh "$tmp" >"$tmp/dist.log" 2>&1; then
	tarball=$(tail -n 1 "$tmp/dist.log")
	ok "make dist: ${tarball##*/}"
else
	tarball=
	fail "make dist"
	cat "$tmp/dist.log"
fi
# dist NAME MAKE CC ARGS...: build the tarball unpacked in $tmp/NAME
dist()
{
	name=$1
	mk=$2
	c=$3
	shift 3
	if [ -z "$tarball" ] || [ -z "$mk" ] || [ -z "$c" ]; then
		fail "$name: no tarball, make or compiler ($mk, $c)"
		return
	fi
	mkdir "$tmp/$name" && (cd "$tmp/$name" && gzip -dc "$tarball" |
	    tar xf -) || { fail "$name: unpack"; return; }
	# no target: make's default, as in an unpacked tarball
	(cd "$tmp/$name"/opensmtpd-kit-* && $mk -j2 CC="$c" WERROR=-Werror \
	    "$@") >"$tmp/$name.log" 2>&1
	rc=$?
	check $rc "$name: the tarball builds with $mk, $c, -Werror, $*"
	[ $rc -eq 0 ] || grep -E 'error|warning' "$tmp/$name.log" | head -n 10
	grep -q -e '-Werror' "$tmp/$name.log"
	check $? "$name: -Werror was on the command lines"
}
# (The ports' crypt and iconv pins name the BSDs' libraries, which
# this system has not: those are configure's choice here.)
dist dist-openbsd "$bmake" "$clang" OS=OpenBSD COPTS= \
    CFLAGS="-O2 -pipe" CPPFLAGS=-I/usr/local/include \
    LDFLAGS=-L/usr/local/lib INSTALL_PROGRAM="install -c -s -m 555" \
    CONFIGURE_ARGS="EVENT_CFLAGS= EVENT_LIBS=-levent"
dist dist-freebsd "$gmake" "$clang" OS=FreeBSD COPTS= \
    CFLAGS="-O2 -pipe -fstack-protector-strong -fno-strict-aliasing" \
    CPPFLAGS=-I/usr/local/include LDFLAGS=-L/usr/local/lib \
    INSTALL_PROGRAM="install -s -m 555" \
    CONFIGURE_ARGS="ICONV_CFLAGS=-DLIBICONV_PLUG ICONV_LIBS="
dist dist-gcc-bmake "$bmake" gcc
dist dist-gcc-gmake "$gmake" gcc

# make test as a port runs it, in the unpacked tarball, where the GNU-only
# spellings fail: a PATH whose stat, sed, touch, sha256sum, md5sum and
# base64 refuse what the BSDs' base tools do not know.
strict=$tmp/strict
mkdir -p "$strict" || exit 1
# wrap NAME CASE-PATTERN...: NAME refuses an argument matching one of
# the patterns, else runs the real one
wrap()
{
	name=$1
	shift
	real=$(command -v "$name") || return 0
	{
		echo '#!/bin/sh'
		echo 'for a in "$@"; do'
		echo '	case "$a" in'
		for p in "$@"; do
			echo "	$p) echo \"strict: $name \$a: not on the BSDs\" >&2"
			echo "		echo \"$name \$*\" >>\"$strict/refused\"; exit 2 ;;"
		done
		echo '	esac'
		echo 'done'
		echo "exec $real \"\$@\""
	} >"$strict/$name"
	chmod +x "$strict/$name"
}
wrap stat '-c*' '--format*' '--printf*'
wrap sed '-i' '--in-place*'
wrap touch '-d*' '--date*'
# sha256sum, md5sum, base64: none in OpenBSD's base
for n in sha256sum md5sum base64; do
	printf '#!/bin/sh\necho "strict: %s: not on the BSDs" >&2\necho %s >>"%s/refused"\nexit 2\n' \
	    "$n" "$n" "$strict" >"$strict/$n"
	chmod +x "$strict/$n"
done
(PATH=$strict:$PATH; export PATH
 [ "$(stat -c %s /dev/null 2>/dev/null)" = "" ] &&
 ! sed -i 's/x/y/' /dev/null 2>/dev/null && ! touch -d @0 "$tmp/x" 2>/dev/null &&
 ! echo | sha256sum >/dev/null 2>&1 && ! echo | base64 -w0 >/dev/null 2>&1)
check $? "strict tools: stat -c, sed -i, touch -d, sha256sum, base64 -w0 refused"
rm -f "$strict/refused"
d=$(ls -d "$tmp"/dist-gcc-gmake/opensmtpd-kit-* 2>/dev/null)
if [ -n "$d" ] && [ -x "$d/table-sqlite/table-sqlite" ]; then
	(cd "$d" && PATH=$strict:$PATH && export PATH && $gmake test) \
	    >"$tmp/strict.log" 2>&1
	rc=$?
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$tmp/strict.log" |
	    tail -n 1)
	[ $rc -eq 0 ] && [ -n "$last" ] && [ "${last#* passed, }" = "0 failed" ]
	check $? "make test in the tarball, BSD tools only: $last"
	[ $rc -eq 0 ] || grep -E '^(FAIL|proto|unit|lint)' "$tmp/strict.log" |
	    grep -v ' 0 failed$' | head -n 20
	grep -q 'tests/deps.sh\|deps:' "$tmp/strict.log"
	check $((!$?)) "make test installs nothing (no tests/deps.sh)"
	refused=$(sort -u "$strict/refused" 2>/dev/null | head -n 5)
	expect_eq "make test asked no GNU-only spelling" "" "$refused"
else
	fail "make test: no built tarball to run it in"
fi

for m in man/*.[1-9]; do
	out=$(mandoc -Tlint -Wwarning "$m" 2>&1)
	[ -z "$out" ] || echo "$out"
	[ -z "$out" ]
	check $? "mandoc -Tlint -Wwarning $m"
done

test_done
