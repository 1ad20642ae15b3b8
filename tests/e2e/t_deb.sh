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
# The Debian package, end to end: make deb (pkg/deb.sh), then, in a copy
# of the Debian 13 root taken back to a Debian without smtpd, the
# README's "Install from a package" commands as written (apt-get
# installs the package and pulls opensmtpd from the mirror), what the
# package holds, the scenarios of t_table_sqlite.sh,
# t_filter_submission.sh and t_auth_helper.sh on the installed programs
# (E2E_ROOT, E2E_INSTALLED=yes), then an upgrade to a later version, a
# removal and a purge, none of which touches the admin's configuration
# or the database.
#
# The copy is an overlay on the cached root, in a mount namespace of
# this script's own: the cached root is never written, and nothing stays
# mounted when the script ends.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

if [ "$E2E_DEB_NS" != yes ]; then
	[ "$(id -u)" -eq 0 ] ||
	    e2e_abort "t_deb.sh needs root (chroot, mount);" \
	    "run as root or set E2E=no"
	E2E_DEB_NS=yes exec unshare -m --propagation private sh "$0" "$@"
fi

PW=summersun-deb
VERSION=$(cat "$E2E_TOP/VERSION")
T=""
FRESH=""

deb_exit()
{
	rc=$?
	trap - EXIT INT TERM HUP
	if [ -n "$FRESH" ]; then
		umount "$FRESH/proc" 2>/dev/null
		umount "$FRESH" 2>/dev/null
	fi
	if [ "$T_FAIL" -eq 0 ] && [ "$rc" -eq 0 ] && [ "$E2E_KEEP" != yes ]
	then
		rm -rf "$T"
	elif [ -n "$T" ]; then
		e2e_say "test data kept in $T"
	fi
	exit "$rc"
}

# in_fresh COMMAND: run the shell COMMAND in the fresh root, in /debs
# (where the package is), the password on its standard input; its
# output in $T/out.
in_fresh()
{
	echo "$PW" | LC_ALL=C DEBIAN_FRONTEND=noninteractive \
	    PATH=/usr/sbin:/usr/bin:/sbin:/bin chroot "$FRESH" \
	    sh -c "cd /debs && $1" >"$T/out" 2>&1
}

# step NAME COMMAND: in_fresh that must succeed
step()
{
	if in_fresh "$2"; then
		ok "$1"
	else
		fail "$1: $(tail -n 3 "$T/out" | tr '\n' ' ')"
	fi
	cat "$T/out" >>"$T/steps.log"
}

# readme_steps: the commands of README's "Install from a package".
readme_steps()
{
	awk '
	/^## Install from a package/ { on = 1; next }
	/^## / { on = 0 }
	!on { next }
	$0 == "<!-- run-by tests/e2e/t_deb.sh -->" { run = 1; next }
	run && /^    # / { sub(/^    # /, ""); print; next }
	{ run = 0 }' "$E2E_TOP/README.md"
}

# sums: checksums of the admin's files and of the database
sums()
{
	(cd "$FRESH" && sha256sum etc/mail/sqlite.conf \
	    etc/mail/filter-submission.conf etc/mail/filter-mx.conf \
	    etc/smtpd.conf var/lib/opensmtpd-kit/kit.sqlite 2>&1)
}

# scenario FILE: a scenario on the installed programs; its counts are
# added to this script's.
scenario()
{
	echo "== t_deb.sh: ${1##*/} on the installed package"
	E2E_ROOT=$FRESH E2E_INSTALLED=yes sh "$1" >"$T/scenario.out" 2>&1
	src=$?
	sed 's/^/    /' "$T/scenario.out"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$T/scenario.out" |
	    tail -n 1)
	if [ -z "$line" ]; then
		fail "${1##*/} on the package ended (status $src)" \
		    "without its closing line"
		return
	fi
	set -- "$1" $line
	T_PASS=$((T_PASS + $2))
	T_FAIL=$((T_FAIL + $4))
	[ "$src" -eq 0 ] || [ "$4" -ne 0 ] ||
	    fail "${1##*/} on the package exited with status $src"
}

ROOT=$(sh "$E2E_TOP/tests/e2e/provision.sh" "$E2E_VERSION") ||
    e2e_abort "provisioning the smtpd $E2E_VERSION root failed (see above)"
T=$(mktemp -d "${TMPDIR:-/tmp}/t_deb.XXXXXX") || e2e_abort "mktemp failed"
trap deb_exit EXIT
trap 'fail "interrupted by a signal"; test_done; exit 1' INT TERM HUP
mkdir "$T/debs" "$T/up" "$T/work" "$T/fresh"

# The package.
start=$(date +%s)
debs=$(sh "$E2E_TOP/pkg/deb.sh" -q "$T/debs" 2>"$T/deb.err")
rc=$?
if [ "$rc" -ne 0 ]; then
	cat "$T/deb.err"
	e2e_abort "make deb failed: $(tail -n 1 "$T/deb.err")"
fi
DEB=$T/debs/opensmtpd-kit_${VERSION}_$(dpkg --print-architecture).deb
expect_match "make deb printed the package's path" "^$DEB\$" "$debs"
ok "make deb in $(($(date +%s) - start)) s"
expect_match "the package's version is VERSION" "^$VERSION\$" \
    "$(dpkg-deb -f "$DEB" Version)"
expect_match "it depends on opensmtpd (>= 6.6)" '(^|, )opensmtpd \(>= 6\.6\)' \
    "$(dpkg-deb -f "$DEB" Depends)"
for f in Conflicts Replaces Provides; do
	expect_eq "$f: opensmtpd-table-sqlite" opensmtpd-table-sqlite \
	    "$(dpkg-deb -f "$DEB" "$f")"
done
files=$(dpkg-deb -c "$DEB" | awk '{ print $6 }')
for f in ./usr/libexec/opensmtpd/table-sqlite \
    ./usr/libexec/opensmtpd/filter-submission ./usr/sbin/auth-helper \
    ./usr/share/man/man5/table-sqlite.5.gz \
    ./usr/share/man/man5/filter-submission.conf.5.gz \
    ./usr/share/man/man8/auth-helper.8.gz \
    ./usr/share/man/man8/table-sqlite.8.gz \
    ./usr/share/man/man8/filter-submission.8.gz \
    ./usr/share/doc/opensmtpd-kit/examples/sqlite.conf \
    ./usr/share/doc/opensmtpd-kit/examples/filter-submission.conf \
    ./usr/share/doc/opensmtpd-kit/examples/filter-mx.conf \
    ./usr/share/doc/opensmtpd-kit/examples/smtpd.conf; do
	expect_match "the package holds $f" "^$f\$" "$files"
done
expect_nomatch "the package has nothing in /etc or /var" '^\./(etc|var)/' \
    "$files"
expect_eq "and no maintainer script" "" \
    "$(dpkg-deb -I "$DEB" | grep -E '^ +[0-9]+ bytes, .*(pre|post)(inst|rm)')"

# The fresh root: the cached one, taken back to Debian without smtpd.
mount -t overlay deb-e2e \
    -o lowerdir="$ROOT",upperdir="$T/up",workdir="$T/work" "$T/fresh" &&
    FRESH=$T/fresh && mount -t proc proc "$FRESH/proc" ||
    e2e_abort "cannot mount the overlay of $ROOT on $T/fresh"
mkdir -p "$FRESH/debs" && cp "$DEB" "$FRESH/debs/" ||
    e2e_abort "cannot copy the package into the root"
step "purge opensmtpd from the copy of the root" \
    "apt-get purge -y -q opensmtpd opensmtpd-table-sqlite"
[ ! -e "$FRESH/usr/sbin/smtpd" ] && ok "no smtpd in the root" ||
    fail "smtpd still in the root"

# The README's commands.
readme_steps >"$T/steps"
expect_match "the README has the package's commands" \
    '^apt-get install -y \./opensmtpd-kit_\*\.deb$' "$(cat "$T/steps")"
while IFS= read -r cmd; do
	step "README: $cmd" "$cmd"
	case $cmd in
	"apt-get install"*)
		expect_match "apt-get pulled opensmtpd" \
		    '^(Unpacking|Setting up) opensmtpd ' "$(cat "$T/out")" ;;
	esac
done <"$T/steps"
expect_match "the package is installed" "^install ok installed $VERSION\$" \
    "$(chroot "$FRESH" dpkg-query -W -f='${Status} ${Version}' opensmtpd-kit)"
expect_match "so is opensmtpd" "^install ok installed" \
    "$(chroot "$FRESH" dpkg-query -W -f='${Status}' opensmtpd 2>&1)"
expect_match "table-sqlite belongs to opensmtpd-kit" \
    '^opensmtpd-kit: /usr/libexec/opensmtpd/table-sqlite$' \
    "$(chroot "$FRESH" dpkg -S /usr/libexec/opensmtpd/table-sqlite 2>&1)"
expect_eq "no conffile" "" \
    "$(chroot "$FRESH" dpkg-query -W -f='${Conffiles}' opensmtpd-kit)"
expect_eq "auth-helper made the database: mode 0640, root, group opensmtpd" \
    "640 root:opensmtpd" "$(chroot "$FRESH" stat -c '%a %U:%G' \
    /var/lib/opensmtpd-kit/kit.sqlite 2>&1)"
in_fresh "apt-get install -s opensmtpd-table-sqlite"
expect_match "Debian's table-sqlite would replace the package (Conflicts)" \
    '^Remv opensmtpd-kit ' "$(cat "$T/out")"

# The scenarios, on the installed programs.
for t in t_table_sqlite.sh t_filter_submission.sh t_auth_helper.sh; do
	scenario "$E2E_TOP/tests/e2e/$t"
done

# The admin's smtpd.conf, as in "Use"; an edit of sqlite.conf.
cp "$FRESH/usr/share/doc/opensmtpd-kit/examples/smtpd.conf" \
    "$FRESH/etc/smtpd.conf" &&
    echo "# edited by the admin" >>"$FRESH/etc/mail/sqlite.conf" ||
    fail "cannot write the admin's files"
before=$(sums)
expect_nomatch "the admin's files and the database are there" \
    'No such file|FAILED' "$before"

# Upgrade: the same package with a later version.
NEXT=$VERSION+e2e1
step "a package of version $NEXT" "rm -rf /tmp/next &&
    dpkg-deb -R opensmtpd-kit_${VERSION}_*.deb /tmp/next &&
    sed -i 's/^Version: .*/Version: $NEXT/' /tmp/next/DEBIAN/control &&
    mkdir -p /debs/next && dpkg-deb -b /tmp/next /debs/next/"
step "upgrade: apt-get install ./opensmtpd-kit_*.deb" \
    "cd /debs/next && apt-get install -y ./opensmtpd-kit_*.deb"
expect_eq "upgraded to $NEXT" "install ok installed $NEXT" \
    "$(chroot "$FRESH" dpkg-query -W -f='${Status} ${Version}' opensmtpd-kit)"
expect_eq "upgrade: the admin's files and the database untouched" \
    "$before" "$(sums)"
step "auth-helper check after the upgrade" "auth-helper check"
step "john's password still verifies" "auth-helper verify john@example.org"
expect_eq "upgrade: check and verify changed nothing either" \
    "$before" "$(sums)"

step "apt-get remove -y opensmtpd-kit" "apt-get remove -y opensmtpd-kit"
[ ! -e "$FRESH/usr/sbin/auth-helper" ] &&
    [ ! -e "$FRESH/usr/libexec/opensmtpd/table-sqlite" ] &&
    ok "remove: the programs are gone" ||
    fail "remove: the programs are still there"
expect_eq "remove: the admin's files and the database untouched" \
    "$before" "$(sums)"
expect_match "remove: nothing of the package is left (no conffile)" \
    'no packages found|not-installed' \
    "$(chroot "$FRESH" dpkg-query -W -f='${Status}' opensmtpd-kit 2>&1)"
step "installed again" \
    "cd /debs/next && apt-get install -y ./opensmtpd-kit_*.deb"
step "apt-get purge -y opensmtpd-kit" "apt-get purge -y opensmtpd-kit"
expect_match "purge: the package is gone" 'no packages found|not-installed' \
    "$(chroot "$FRESH" dpkg-query -W -f='${Status}' opensmtpd-kit 2>&1)"
expect_eq "purge: the admin's files and the database untouched" \
    "$before" "$(sums)"
test_done
