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
# Build (once) a Debian root holding a real OpenSMTPD of the given version,
# for the end-to-end tests, and print its path.
#
# usage: tests/e2e/provision.sh [VERSION]
#	VERSION: 7.6 (default), 7.4, 6.8, or unstable: the newest smtpd
#	packaged, from Debian unstable; or postfix: Debian 13 with Postfix,
#	Dovecot, MariaDB and PostgreSQL's client (no smtpd; the PostgreSQL
#	server is the host's), for the tests of migrate-postfix
#
# The root is cached in ${E2E_CACHE:-/var/cache/opensmtpd-kit}/root-VERSION-vN
# where N is RECIPE below (UNSTABLE_RECIPE for unstable, PF_RECIPE for
# postfix, DEB_RECIPE for debbuild): bump the one of a root whenever its recipe changes, so that
# the other roots, shared with other runs, stay as they are.  It is built in a temporary directory and renamed
# only when complete.  Since unstable moves, its root is built again when
# older than E2E_UNSTABLE_DAYS (7) days; when that fails, the old one is
# used.  Needs root, debootstrap and access to a Debian mirror
# (E2E_MIRROR overrides the one found in /etc/apt/sources.list*).
#
# Inside the root:
#	smtpd			/usr/sbin/smtpd, backends in /usr/libexec/opensmtpd
#	/etc/mail/test.crt	self-signed certificate for "localhost"
#	/etc/mail/test.key	its key
#	/etc/hosts		localhost, asked before DNS (/etc/resolv.conf)
#	vmail			user and group 2000, home /var/vmail (owned by it)
#	/etc/e2e-provisioned	"VERSION RECIPE smtpd-version", written last

RECIPE=3
UNSTABLE_RECIPE=1
PF_RECIPE=2
DEB_RECIPE=2
VMAIL_ID=2000
CACHE=${E2E_CACHE:-/var/cache/opensmtpd-kit}
PROG=provision
TMPROOT=""
CHILD=""
FALLBACK=""
PICK=""

die()
{
	echo "$PROG: $*" >&2
	if [ -n "$FALLBACK" ]; then
		log "using the root built $(date -r "$FALLBACK/etc/e2e-provisioned" '+%F')"
		echo "$FALLBACK"
		exit 0
	fi
	exit 1
}

log()
{
	echo "$PROG: $*" >&2
}

cleanup()
{
	if [ -n "$CHILD" ]; then
		kill -TERM "-$CHILD" 2>/dev/null
		n=0
		while kill -0 "-$CHILD" 2>/dev/null && [ $n -lt 30 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		kill -KILL "-$CHILD" 2>/dev/null
		sleep 0.2
	fi
	if [ -n "$TMPROOT" ] && [ -d "$TMPROOT" ]; then
		umount_all "$TMPROOT"
		rm -rf "$TMPROOT"
	fi
}

# umount_all DIR: undo any mount left below DIR (e.g. an interrupted
# debootstrap), deepest first.
umount_all()
{
	awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/mounts |
	    sort -r | while read -r m; do umount -l "$m"; done
}

# run LOG CMD...: run CMD in its own process group, output to LOG, so
# that a signal interrupts it (the trap kills the whole group).
run()
{
	log=$1
	shift
	setsid "$@" >"$log" 2>&1 &
	CHILD=$!
	wait "$CHILD"
	rc=$?
	CHILD=""
	return "$rc"
}

# remove_stale: temporary roots of runs that are no longer running.
remove_stale()
{
	for d in "$CACHE"/.tmp-root-*; do
		[ -d "$d" ] || continue
		pid=${d##*.}
		[ -r "/proc/$pid/stat" ] &&
		    ! grep -q ') Z ' "/proc/$pid/stat" && continue
		log "removing $d, left by an interrupted run"
		umount_all "$d"
		rm -rf "$d"
	done
}

# debian_mirror: the Debian mirror this host's apt uses.
debian_mirror()
{
	if [ -n "$E2E_MIRROR" ]; then
		echo "$E2E_MIRROR"
		return
	fi
	m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
	    /etc/apt/sources.list.d/*.sources 2>/dev/null |
	    awk '/^deb / && $0 !~ /security/ { for (i = 2; i <= NF; i++)
		if ($i ~ /^https?:\/\//) { print $i; exit } }
	    /^URIs:/ && $2 !~ /security/ && $2 ~ /debian\/?$/ { print $2; exit }')
	echo "${m:-http://deb.debian.org/debian}"
}

# recipe VERSION: set SUITE, EXTRA (an extra apt source line or empty),
# APTOPT (options for apt-get install) and PKGS for that smtpd version.
recipe()
{
	LIBS="libbsd0 libsqlite3-0 libcrypt1 ca-certificates openssl"
	EXTRA=""
	APTOPT=""
	APTCONF=""
	case "$1" in
	7.6)	SUITE=trixie
		PKGS="opensmtpd opensmtpd-table-sqlite $LIBS
		    libevent-2.1-7t64 libevent-core-2.1-7t64 libssl3t64" ;;
	7.4)	SUITE=bookworm
		EXTRA="deb MIRROR bookworm-backports main"
		APTOPT="-t bookworm-backports"
		PKGS="opensmtpd opensmtpd-extras $LIBS
		    libevent-2.1-7 libevent-core-2.1-7 libssl3" ;;
	6.8)	SUITE=bookworm
		PKGS="opensmtpd opensmtpd-extras $LIBS
		    libevent-2.1-7 libevent-core-2.1-7 libssl3" ;;
	unstable)
		SUITE=sid
		PKGS="opensmtpd $LIBS"
		PICK="libevent-2.1-7t64|libevent-2.1-7 libssl3t64|libssl3"
		# sid's Release file is valid for a week only: a mirror
		# (or a clock) a little behind must not stop the tests.
		APTCONF='Acquire::Check-Valid-Until "false";' ;;
	postfix)
		SUITE=trixie
		PKGS="postfix postfix-sqlite postfix-mysql postfix-pgsql
		    dovecot-core dovecot-lmtpd dovecot-sqlite
		    mariadb-server mariadb-client
		    postgresql-client sqlite3 $LIBS libidn2-0 libevent-2.1-7t64
		    libevent-core-2.1-7t64 libssl3t64" ;;
	debbuild)
		SUITE=trixie
		PKGS="build-essential debhelper lintian pkgconf libevent-dev
		    libsqlite3-dev libssl-dev libcrypt-dev libbsd-dev
		    libidn2-dev libunistring-dev libargon2-dev libpq-dev
		    libmariadb-dev $LIBS" ;;
	*)	die "unknown root '$1'; use 7.6, 7.4, 6.8, unstable, postfix or debbuild" ;;
	esac
	PKGS=$(echo $PKGS)
}

# pick_packages: add to PKGS the first package of each "a|b" in PICK
# that the root's apt knows (library packages renamed across releases).
pick_packages()
{
	for alt in $PICK; do
		for p in $(echo "$alt" | tr '|' ' '); do
			if in_root apt-cache show "$p" >/dev/null 2>&1; then
				PKGS="$PKGS $p"
				continue 2
			fi
		done
		die "none of $alt in $SUITE"
	done
}

# chroot_cmd: the command line prefix in_root uses, for sh -c.
chroot_cmd()
{
	echo "LC_ALL=C DEBIAN_FRONTEND=noninteractive" \
	    "PATH=/usr/sbin:/usr/bin:/sbin:/bin chroot '$TMPROOT'"
}

# in_root CMD...: run CMD inside the root being built.
in_root()
{
	LC_ALL=C DEBIAN_FRONTEND=noninteractive \
	    PATH=/usr/sbin:/usr/bin:/sbin:/bin chroot "$TMPROOT" "$@"
}

bootstrap()
{
	log "debootstrap $SUITE from $MIRROR (about 30 s)"
	run "$CACHE/debootstrap-$VERSION.log" \
	    debootstrap --variant=minbase "$SUITE" "$TMPROOT" "$MIRROR" ||
	    die "debootstrap $SUITE failed; see $CACHE/debootstrap-$VERSION.log"
}

# no_services: package scripts must not start daemons in the root.
no_services()
{
	printf '#!/bin/sh\nexit 101\n' >"$TMPROOT/usr/sbin/policy-rc.d"
	chmod 755 "$TMPROOT/usr/sbin/policy-rc.d"
	cp /etc/resolv.conf "$TMPROOT/etc/resolv.conf" 2>/dev/null
	# Suppress debconf questions of the opensmtpd package.
	echo localhost >"$TMPROOT/etc/mailname"
}

install_packages()
{
	if [ -n "$EXTRA" ]; then
		echo "$EXTRA" | sed "s|MIRROR|$MIRROR|" \
		    >"$TMPROOT/etc/apt/sources.list.d/extra.list"
	fi
	if [ -n "$APTCONF" ]; then
		echo "$APTCONF" >"$TMPROOT/etc/apt/apt.conf.d/99e2e"
	fi
	log "apt-get install in the root (about 30 s)"
	if [ -n "$PICK" ]; then
		run "$CACHE/apt-$VERSION.log" sh -c \
		    "$(chroot_cmd) apt-get update -q" ||
		    die "apt-get update in the $SUITE root failed; see $CACHE/apt-$VERSION.log"
		pick_packages
	fi
	run "$CACHE/apt-$VERSION.log" sh -c "$(chroot_cmd) apt-get update -q &&
	    $(chroot_cmd) apt-get install -y -q --no-install-recommends \
	    $APTOPT $PKGS" ||
	    die "apt-get install in the $SUITE root failed; see $CACHE/apt-$VERSION.log"
	in_root apt-get clean
}

# stop_strays: kill any process a package script started in the root.
stop_strays()
{
	for p in /proc/[0-9]*; do
		case "$(readlink "$p/root" 2>/dev/null)" in
		"$TMPROOT"|"$TMPROOT"/*) ;;
		*)	continue ;;
		esac
		log "killing stray process ${p#/proc/} ($(cat "$p/comm"))"
		kill -9 "${p#/proc/}" 2>/dev/null
	done
}

setup_mail()
{
	in_root groupadd -g "$VMAIL_ID" vmail &&
	    in_root useradd -u "$VMAIL_ID" -g vmail -d /var/vmail \
	    -s /usr/sbin/nologin vmail ||
	    die "cannot create the vmail user in the root"
	mkdir -p "$TMPROOT/var/vmail" "$TMPROOT/etc/mail"
	chown "$VMAIL_ID:$VMAIL_ID" "$TMPROOT/var/vmail"
	chmod 750 "$TMPROOT/var/vmail"
	in_root openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
	    -subj /CN=localhost -addext subjectAltName=DNS:localhost \
	    -keyout /etc/mail/test.key -out /etc/mail/test.crt \
	    >/dev/null 2>&1 || die "cannot make the test certificate"
	chmod 600 "$TMPROOT/etc/mail/test.key"
	[ -s "$TMPROOT/etc/ssl/certs/ca-certificates.crt" ] ||
	    die "ca-certificates.crt missing in the root"
}

# setup_resolver: smtpd looks up the name of every client.  Answer
# loopback from /etc/hosts, asked first ("lookup file bind" is read by
# smtpd's resolver, ignored by glibc), not from a name server that may
# drop a query under load: each lost query stalled a session for 5 s.
setup_resolver()
{
	printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost\n' >"$TMPROOT/etc/hosts"
	{
		echo "lookup file bind"
		grep -v '^lookup' /etc/resolv.conf 2>/dev/null
	} >"$TMPROOT/etc/resolv.conf"
}

check_root()
{
	if [ "$VERSION" = debbuild ]; then
		for c in dpkg-buildpackage dh lintian cc; do
			in_root sh -c "command -v $c" >/dev/null ||
			    die "no $c in the new root"
		done
		v=$(in_root dpkg-query -W -f='${Version}' debhelper)
		echo "$VERSION $R debhelper-$v" >"$TMPROOT/etc/e2e-provisioned"
		return
	fi
	if [ "$VERSION" = postfix ]; then
		v=$(in_root postconf -h mail_version 2>/dev/null)
		[ -n "$v" ] || die "no working postfix in the new root"
		[ -x "$TMPROOT/usr/sbin/dovecot" ] ||
		    die "no dovecot in the new root"
		echo "$VERSION $R postfix-$v" >"$TMPROOT/etc/e2e-provisioned"
		return
	fi
	[ -x "$TMPROOT/usr/sbin/smtpd" ] || die "no smtpd in the new root"
	v=$(in_root smtpd -h 2>&1 | sed -n 's/^version: *OpenSMTPD *//p')
	[ -n "$v" ] || v=$(in_root dpkg-query -W -f='${Version}' opensmtpd)
	case "$VERSION:$v" in
	unstable:?*|"$VERSION:$VERSION"*) ;;
	*)	die "the root has smtpd '$v', not $VERSION" ;;
	esac
	echo "$VERSION $R $v" >"$TMPROOT/etc/e2e-provisioned"
}

main()
{
	VERSION=${1:-7.6}
	[ $# -le 1 ] || die "usage: provision.sh [VERSION]"
	recipe "$VERSION"
	[ "$(id -u)" -eq 0 ] ||
	    die "must run as root (debootstrap and chroot); use sudo, or set E2E=no to skip e2e tests"
	R=$RECIPE
	[ "$VERSION" != unstable ] || R=$UNSTABLE_RECIPE
	[ "$VERSION" != postfix ] || R=$PF_RECIPE
	[ "$VERSION" != debbuild ] || R=$DEB_RECIPE
	ROOT="$CACHE/root-$VERSION-v$R"
	if [ -f "$ROOT/etc/e2e-provisioned" ]; then
		if [ "$VERSION" != unstable ] || [ -z "$(find \
		    "$ROOT/etc/e2e-provisioned" \
		    -mtime "+${E2E_UNSTABLE_DAYS:-7}")" ]; then
			echo "$ROOT"
			exit 0
		fi
		log "$ROOT is older than ${E2E_UNSTABLE_DAYS:-7} days; building it again"
		FALLBACK=$ROOT
	fi
	command -v debootstrap >/dev/null ||
	    die "debootstrap not found; run tests/deps.sh test"
	mkdir -p "$CACHE" || die "cannot create $CACHE; set E2E_CACHE"
	remove_stale
	MIRROR=$(debian_mirror)
	TMPROOT="$CACHE/.tmp-root-$VERSION-v$R.$$"
	trap cleanup EXIT
	trap 'exit 1' INT TERM HUP
	bootstrap
	no_services
	install_packages
	stop_strays
	setup_mail
	setup_resolver
	check_root
	FALLBACK=""
	rm -rf "$ROOT"
	mv "$TMPROOT" "$ROOT" || die "cannot rename $TMPROOT to $ROOT"
	TMPROOT=""
	# Older recipes of this version are no longer used.
	for old in "$CACHE/root-$VERSION"-v*; do
		[ "$old" = "$ROOT" ] || [ ! -d "$old" ] || rm -rf "$old"
	done
	log "ready: $ROOT"
	echo "$ROOT"
}

main "$@"
