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
# Install the Debian packages that building, testing and the demo need.
# As root on Debian it installs what is missing; otherwise it says what to
# install and fails.  On another system (a BSD), the commands the build
# and the unit, protocol and lint tests need are checked, and the
# system's packages installed as root (OpenBSD pkg_add, FreeBSD pkg);
# the end-to-end tests need Debian (tests/run.sh says so), fuzz too.
# KIT_NOT_DEBIAN=yes takes that way on Debian as well, to test it.
#
# usage: tests/deps.sh [build] [test] [fuzz] [sql] [portable]
#
# portable: the newest clang Debian 12 has (clang-19: the base compiler
# of FreeBSD 14.3 and of OpenBSD), which make portable builds with.
#
# test also installs Nodemailer's mailparser with npm, the second reader
# of tests/proto/t_hdrdiff.sh, in KIT_NODE_DIR
# (/var/cache/opensmtpd-kit/node), pinned to MAILPARSER below.
#
# build: libpq-dev and libmariadb-dev are the PostgreSQL and MariaDB
# backends; the kit builds without them, and tests/proto/t_table_sqlsrv.sh
# needs them.
#
# sql: the MariaDB and PostgreSQL servers and clients that
# tests/migrate/t_sqlexport.sh and tests/proto/t_table_sqlsrv.sh start
# on their own (unprivileged, in a
# temporary directory, on Unix sockets) to run the export commands of
# migrate-postfix.  MariaDB's core packages: mariadbd, mariadb-install-db
# and the client, without the system service and its mysql user (which
# would take the name of the e2e roots' own mysql user).  PostgreSQL's
# packages make a cluster of their own, which the test does not use.

BUILD="gcc make pkg-config libevent-dev libsqlite3-dev libssl-dev libcrypt-dev libbsd-dev libidn2-dev libunistring-dev libargon2-dev libpq-dev libmariadb-dev"
TEST="sqlite3 swaks libio-socket-inet6-perl iproute2 fail2ban rsync libnet-ssleay-perl debootstrap mandoc bmake openssl python3 argon2"
MAILPARSER=mailparser@3.14.5
NODE_DIR=${KIT_NODE_DIR:-/var/cache/opensmtpd-kit/node}

# mailparser under NODE_DIR, when the tests are wanted; then exit
node_done()
{
	case " $* " in *" test "*) ;; *) exit 0 ;; esac
	[ -f "$NODE_DIR/node_modules/mailparser/package.json" ] && exit 0
	if [ "$(id -u)" -ne 0 ] && ! mkdir -p "$NODE_DIR" 2>/dev/null; then
		echo "deps: mailparser missing; as root run: npm install" \
		    "--prefix $NODE_DIR $MAILPARSER" >&2
		exit 1
	fi
	echo "deps: installing $MAILPARSER in $NODE_DIR"
	mkdir -p "$NODE_DIR" &&
	    npm install --prefix "$NODE_DIR" --no-audit --no-fund \
	    --loglevel=error "$MAILPARSER" >/dev/null ||
	    { echo "deps: npm install $MAILPARSER failed" >&2; exit 1; }
	exit 0
}
FUZZ="clang libclang-rt-14-dev"
PORTABLE="clang-19"
SQL="mariadb-server-core mariadb-client-core postgresql postgresql-client"

# other: what a system other than Debian needs, by command; the packages
# that provide them (on paper: the kit is not built on a BSD here).
other()
{
	cmds="${CC:-cc} ar"
	for what in "$@"; do
		case "$what" in
		test)	cmds="$cmds sqlite3 mandoc python3 openssl perl node npm" ;;
		esac
	done
	missing=""
	for c in $cmds; do
		command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
	done
	case "$(uname -s)" in
	OpenBSD)
		pkgs="sqlite3 libidn2 python%3 node"
		tool="pkg_add -I" ;;
	FreeBSD|DragonFly)
		pkgs="pkgconf libevent sqlite3 libidn2 libunistring python3 node npm"
		tool="pkg install -y" ;;
	*)
		pkgs=""
		tool="" ;;
	esac
	if [ -n "$missing" ] && [ -n "$tool" ] && [ "$(id -u)" -eq 0 ]; then
		echo "deps: installing $pkgs"
		$tool $pkgs >/dev/null || {
			echo "deps: $tool $pkgs failed" >&2
			exit 1
		}
		missing=""
		for c in $cmds; do
			command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
		done
	fi
	[ -z "$missing" ] && node_done "$@"
	echo "deps: not a Debian system; missing commands:$missing${tool:+;" \
	    "as root run: $tool $pkgs}" >&2
	exit 1
}

want=""
[ $# -eq 0 ] && set -- build test sql
for what in "$@"; do
	case "$what" in
	build)	want="$want $BUILD" ;;
	test)	want="$want $TEST" ;;
	fuzz)	want="$want $FUZZ" ;;
	sql)	want="$want $SQL" ;;
	portable)	want="$want $PORTABLE" ;;
	*)	echo "usage: tests/deps.sh [build] [test] [fuzz] [sql] [portable]" >&2
		exit 2 ;;
	esac
done

if [ "$KIT_NOT_DEBIAN" = yes ] || ! command -v dpkg-query >/dev/null 2>&1
then
	other "$@"
fi

missing=""
for p in $want; do
	case " $missing " in *" $p "*) continue ;; esac
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
# node and npm by command: a node of another origin (NodeSource's
# nodejs holds npm) must not make apt replace it
case " $* " in
*" test "*)
	command -v node >/dev/null 2>&1 || missing="$missing nodejs"
	command -v npm >/dev/null 2>&1 || missing="$missing npm" ;;
esac
[ -z "$missing" ] && node_done "$@"

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages; as root run: apt-get install$missing" >&2
	exit 1
fi

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends $missing >/dev/null; then
	apt-get update -q >/dev/null || exit 1
	apt-get install -y -q --no-install-recommends $missing >/dev/null ||
	    { echo "deps: apt-get install$missing failed" >&2; exit 1; }
fi
# What configure found before these packages were there is out of date:
# the next make probes again.
rm -f "$(dirname "$0")/../config.mk"
node_done "$@"
