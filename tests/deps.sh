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
# install and fails.
#
# usage: tests/deps.sh [build] [test] [fuzz] [sql]
#
# sql: the MariaDB and PostgreSQL servers and clients that
# tests/migrate/t_sqlexport.sh starts on its own (unprivileged, in a
# temporary directory, on Unix sockets) to run the export commands of
# migrate-postfix.  MariaDB's core packages: mariadbd, mariadb-install-db
# and the client, without the system service and its mysql user (which
# would take the name of the e2e roots' own mysql user).  PostgreSQL's
# packages make a cluster of their own, which the test does not use.

BUILD="gcc make pkg-config libevent-dev libsqlite3-dev libssl-dev libcrypt-dev libbsd-dev libidn2-dev libunistring-dev"
TEST="sqlite3 swaks fail2ban rsync libnet-ssleay-perl debootstrap mandoc bmake openssl python3"
FUZZ="clang libclang-rt-14-dev"
SQL="mariadb-server-core mariadb-client-core postgresql postgresql-client"

want=""
[ $# -eq 0 ] && set -- build test sql
for what in "$@"; do
	case "$what" in
	build)	want="$want $BUILD" ;;
	test)	want="$want $TEST" ;;
	fuzz)	want="$want $FUZZ" ;;
	sql)	want="$want $SQL" ;;
	*)	echo "usage: tests/deps.sh [build] [test] [fuzz] [sql]" >&2
		exit 2 ;;
	esac
done

missing=""
for p in $want; do
	case " $missing " in *" $p "*) continue ;; esac
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: not a Debian system; install the equivalents of:$missing" >&2
	exit 1
fi
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
exit 0
