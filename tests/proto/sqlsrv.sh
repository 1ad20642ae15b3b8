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
# Throwaway PostgreSQL and MariaDB servers for the tests: Debian's
# packages (tests/deps.sh sql), each in $T, run as nobody when the test
# runs as root, on a Unix socket in $T/run and on 127.0.0.1 at a port
# the kernel chose free, where the user kit logs in with the password
# $SRVPW.  Sourced after tests/lib.sh, with T set (and SRV_MY_POOL, the
# InnoDB buffer pool, 32M unless set); sets PGBIN, PGPORT, MYPORT, PGSOCK
# (the socket directory), MYSOCK (the socket).
#	srv_pg_start, srv_pg_stop	PostgreSQL (pg_ctl)
#	srv_my_start, srv_my_stop	MariaDB
#	srv_pg_sql SQL, srv_my_sql SQL	run SQL as the servers' superuser
# A server that cannot start is a failure (srv_abort), never a skip.

SRVPW="kit-Pw'1\\x"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t / -k 5 -n |
    tail -n 1)
if [ "$(id -u)" -eq 0 ]; then
	SRVAS="runuser -u nobody --"
else
	SRVAS=""
fi
PGSOCK=$T/run
MYSOCK=$T/run/my.sock
PGUP=""
MYUP=""

# srv_cmd NAME FUNCTION: $T/NAME runs FUNCTION in a shell of its own
# (for the !lines of a tabledrive script: stop or start a server in
# the middle of the traffic).
srv_cmd()
{
	cat > "$T/$1" <<EOS
. "$TOP/tests/lib.sh"
T=$T
TOP=$TOP
. "$TOP/tests/proto/sqlsrv.sh"
PGPORT=$PGPORT
MYPORT=$MYPORT
PGUP=yes
MYUP=yes
$2 >>"$T/srv-cmd.log" 2>&1
EOS
}

srv_abort()
{
	fail "$*"
	srv_pg_stop
	srv_my_stop
	test_done "$T"
	exit 1
}

# A TCP port on 127.0.0.1 that nothing listens on now.
srv_freeport()
{
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

srv_dirs()
{
	[ -d "$T/run" ] && return 0
	mkdir -p "$T/run" "$T/pg" "$T/my" "$T/mytmp" || srv_abort "mkdir in $T"
	chmod 755 "$T"
	if [ "$(id -u)" -eq 0 ]; then
		chown nobody "$T/run" "$T/pg" "$T/my" "$T/mytmp" ||
		    srv_abort "chown nobody $T"
	fi
}

# The kit's tables on a server, as lib/schema.sql has them, without
# the triggers.  MariaDB compares with utf8mb4_bin, as SQLite does.
SRV_SCHEMA_PG="CREATE TABLE domains (name TEXT PRIMARY KEY);
CREATE TABLE users (login TEXT PRIMARY KEY, password TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1);
CREATE TABLE aliases (address TEXT NOT NULL, target TEXT NOT NULL,
    PRIMARY KEY (address, target));
CREATE TABLE senders (login TEXT NOT NULL, address TEXT NOT NULL);
CREATE TABLE owners (login TEXT NOT NULL, address TEXT NOT NULL,
    via TEXT NOT NULL, PRIMARY KEY (login, address, via));"
SRV_SCHEMA_MY="SET NAMES utf8mb4;
CREATE TABLE domains (name VARCHAR(255) PRIMARY KEY) COLLATE utf8mb4_bin;
CREATE TABLE users (login VARCHAR(255) PRIMARY KEY,
    password VARCHAR(255) NOT NULL, active INT NOT NULL DEFAULT 1)
    COLLATE utf8mb4_bin;
CREATE TABLE aliases (address VARCHAR(255) NOT NULL,
    target VARCHAR(255) NOT NULL, PRIMARY KEY (address, target))
    COLLATE utf8mb4_bin;
CREATE TABLE senders (login VARCHAR(255) NOT NULL,
    address VARCHAR(255) NOT NULL) COLLATE utf8mb4_bin;
CREATE TABLE owners (login VARCHAR(255) NOT NULL,
    address VARCHAR(255) NOT NULL, via VARCHAR(16) NOT NULL,
    PRIMARY KEY (login, address, via)) COLLATE utf8mb4_bin;"

srv_pg_sql()
{
	psql -X -q -v ON_ERROR_STOP=1 -h "$PGSOCK" -p "$PGPORT" -U postgres \
	    -d kit -c "$1"
}

srv_pg_start()
{
	[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] ||
	    srv_abort "no /usr/lib/postgresql/*/bin/initdb: as root run" \
	    "sh tests/deps.sh sql"
	srv_dirs
	if [ ! -f "$T/pg/PG_VERSION" ]; then
		PGPORT=$(srv_freeport)
		$SRVAS "$PGBIN/initdb" -D "$T/pg" -U postgres -A trust -E UTF8 \
		    --locale=C >"$T/pg-initdb.log" 2>&1 ||
		    srv_abort "initdb failed: $(tail -n 3 "$T/pg-initdb.log")"
		printf 'local all postgres trust\nlocal all all scram-sha-256\nhost all kit 127.0.0.1/32 scram-sha-256\n' \
		    >"$T/pg/pg_hba.conf"
	fi
	$SRVAS "$PGBIN/pg_ctl" -D "$T/pg" -l "$T/run/pg.log" -w -t 60 \
	    -o "-k $PGSOCK -p $PGPORT -c listen_addresses=127.0.0.1" \
	    start </dev/null >"$T/pg-ctl.log" 2>&1 ||
	    srv_abort "PostgreSQL did not start: $(tail -n 3 "$T/run/pg.log")"
	PGUP=yes
	if ! psql -X -q -h "$PGSOCK" -p "$PGPORT" -U postgres -d kit \
	    -c 'SELECT 1' >/dev/null 2>&1; then
		psql -X -q -h "$PGSOCK" -p "$PGPORT" -U postgres -d postgres \
		    -c 'CREATE DATABASE kit' >/dev/null &&
		srv_pg_sql "CREATE ROLE kit LOGIN PASSWORD '$(printf '%s' \
		    "$SRVPW" | sed "s/'/''/g")'" >/dev/null ||
		    srv_abort "PostgreSQL: cannot create the database kit"
	fi
}

srv_pg_stop()
{
	[ -n "$PGUP" ] && [ -f "$T/pg/postmaster.pid" ] || return 0
	$SRVAS "$PGBIN/pg_ctl" -D "$T/pg" -m immediate -w -t 30 stop \
	    >>"$T/run/pg.log" 2>&1
	PGUP=""
}

srv_my_sql()
{
	mysql --no-defaults --socket="$MYSOCK" -u root kit -e "$1"
}

srv_my_start()
{
	for p in mariadb-install-db mariadbd mysql; do
		command -v "$p" >/dev/null 2>&1 || srv_abort "$p not found:" \
		    "as root run sh tests/deps.sh sql"
	done
	srv_dirs
	if [ ! -d "$T/my/mysql" ]; then
		MYPORT=$(srv_freeport)
		if [ "$(id -u)" -eq 0 ]; then
			su=""
		else
			su="--auth-root-socket-user=$(id -un)"
		fi
		# Its temporary tables in $T: in /tmp, a run in parallel
		# lost one ("Unknown table 'mysql.tmp_user_socket'").
		# shellcheck disable=SC2086
		$SRVAS mariadb-install-db --no-defaults --datadir="$T/my" \
		    --tmpdir="$T/mytmp" --skip-test-db \
		    --auth-root-authentication-method=socket \
		    $su >"$T/my-install.log" 2>&1 ||
		    srv_abort "mariadb-install-db failed:" \
		    "$(tail -n 3 "$T/my-install.log")"
		fresh=yes
	else
		fresh=""
	fi
	rm -f "$T/run/my.pid"
	# As root it drops to nobody itself: a runuser between would stop
	# itself when the server is stopped (my-freeze), never go on, and
	# keep the server it waits for a zombie that srv_my_stop waits on.
	if [ "$(id -u)" -eq 0 ]; then
		as="--user=nobody"
	else
		as=""
	fi
	# shellcheck disable=SC2086
	mariadbd --no-defaults $as --datadir="$T/my" --tmpdir="$T/mytmp" \
	    --socket="$MYSOCK" --port="$MYPORT" --bind-address=127.0.0.1 \
	    --pid-file="$T/run/my.pid" --log-error="$T/run/my.err" \
	    --innodb-buffer-pool-size="${SRV_MY_POOL:-32M}" </dev/null >"$T/my.out" 2>&1 &
	MYPID=$!
	MYUP=yes
	n=0
	until mysql --no-defaults --socket="$MYSOCK" -u root \
	    -e 'SELECT 1' >/dev/null 2>&1; do
		n=$((n + 1))
		if [ $n -ge 600 ] || ! kill -0 "$MYPID" 2>/dev/null; then
			srv_abort "MariaDB did not start: $(cat "$T/my.out";
			    tail -n 3 "$T/run/my.err" 2>/dev/null)"
		fi
		sleep 0.1
	done
	until [ -s "$T/run/my.pid" ]; do
		sleep 0.1
	done
	if [ -n "$fresh" ]; then
		pw=$(printf '%s' "$SRVPW" | sed -e 's/\\/\\\\/g' -e "s/'/''/g")
		mysql --no-defaults --socket="$MYSOCK" -u root -e "
		    CREATE DATABASE kit CHARACTER SET utf8mb4;
		    CREATE USER 'kit'@'127.0.0.1' IDENTIFIED BY '$pw';
		    CREATE USER 'kit'@'localhost' IDENTIFIED BY '$pw';
		    GRANT ALL ON kit.* TO 'kit'@'127.0.0.1';
		    GRANT ALL ON kit.* TO 'kit'@'localhost';" ||
		    srv_abort "MariaDB: cannot create the database kit"
	fi
}

# srv_pg_pids, srv_my_pids: the processes of each server.
srv_pg_pids()
{
	pm=$(head -n 1 "$T/pg/postmaster.pid")
	echo "$pm" $(ps -o pid= --ppid "$pm")
}

srv_my_pids()
{
	cat "$T/run/my.pid"
}

srv_my_stop()
{
	[ -n "$MYUP" ] || return 0
	pid=$(cat "$T/run/my.pid" 2>/dev/null)
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	# Gone when its socket answers no more.
	n=0
	while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ $n -lt 300 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	rm -f "$T/run/my.pid"
	MYUP=""
}

# setwise: a found list (", " between its values) in sorted order; the
# order of the rows of a query with UNION is each engine's own, and
# smtpd reads such a list (a mailaddrmap, an alias) as a set.
setwise()
{
	LC_ALL=C awk 'BEGIN { FS = "\n" }
	/^lookup-result\|[^|]*\|found\|/ && index($0, ", ") {
		p = index($0, "|found|") + 6
		n = split(substr($0, p + 1), v, ", ")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
				t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
			}
		s = v[1]
		for (i = 2; i <= n; i++)
			s = s ", " v[i]
		print substr($0, 1, p) s
		next
	}
	{ print }'
}
