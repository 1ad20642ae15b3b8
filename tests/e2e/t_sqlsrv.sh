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
# Two smtpd 7.6 hosts, A and B (two smtpd in the Debian root, each with
# its own spool, port and processes), with table-sqlite and
# filter-submission on one database server, PostgreSQL then MariaDB
# (tests/proto/sqlsrv.sh), host A over TCP on 127.0.0.1, host B over
# the server's Unix socket, each with a password: a user created
# once logs in on both; a password changed in the database is used by
# both at the next AUTH; failed AUTH of one login spread over both
# hosts and several addresses, neither host past twice the limit alone,
# closes the login on both to a new network (454), as on one host,
# while its owner's network still logs in; the server stopped
# during traffic: AUTH answered 4xx within the time limit, nothing
# exits, and AUTH works again by itself when it is back.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

DOMAIN=example.com
e2e_setup
T=$E2E_DIR/db
TOP=$E2E_TOP
mkdir -p "$T"
. "$E2E_TOP/tests/proto/sqlsrv.sh"
A_DIR=$E2E_DIR
A_RUN=$E2E_RUN
B_DIR=""
B_PID=""
cleanup()
{
	if [ -n "$B_PID" ]; then
		e2e_stop "$B_PID" 50
		B_PID=""
	fi
	srv_pg_stop
	srv_my_stop
	[ -n "$B_DIR" ] && [ "$T_FAIL" -eq 0 ] && rm -rf "$B_DIR"
}

trap 'rc=$?; cleanup; (exit $rc); e2e_exit' EXIT

gid=$(awk -F: -v u="$E2E_SMTPD_USER" '$1 == u { print $4 }' "$ROOT/etc/passwd")
PW1=$(e2e_crypt pw-one '$6$saltsalt') || e2e_abort "crypt failed"
PW2=$(e2e_crypt pw-two '$6$saltsalt') || e2e_abort "crypt failed"

# host A|B: what the e2e functions act on.
A_PID=""
A_PORT=""
B_PORT=""
host()
{
	# Save the current one.
	if [ "$E2E_DIR" = "$A_DIR" ]; then
		A_PID=$SMTPD_PID A_PORT=$E2E_PORT
	elif [ -n "$B_DIR" ] && [ "$E2E_DIR" = "$B_DIR" ]; then
		B_PID=$SMTPD_PID B_PORT=$E2E_PORT
	fi
	if [ "$1" = A ]; then
		E2E_DIR=$A_DIR E2E_RUN=$A_RUN SMTPD_PID=$A_PID E2E_PORT=$A_PORT
	else
		E2E_DIR=$B_DIR E2E_RUN=${B_DIR#"$ROOT"} SMTPD_PID=$B_PID \
		    E2E_PORT=$B_PORT
	fi
}

auth()
{
	auth_from 127.0.0.1 "$@"
}

# auth_from ADDR LOGIN PASSWORD: the same from the client address ADDR.
auth_from()
{
	e2e_swaks --local-interface "$1" --to bob@$DOMAIN --tls --auth PLAIN \
	    --auth-user "$2" --auth-password "$3" --quit-after AUTH
	swaks_code
}

# The server's kit: the default schema, bob with a password.
KIT_SQL="CREATE TABLE domains (name VARCHAR(255) PRIMARY KEY);
CREATE TABLE users (login VARCHAR(255) PRIMARY KEY,
    password VARCHAR(255) NOT NULL, active INTEGER NOT NULL DEFAULT 1);
CREATE TABLE aliases (address VARCHAR(255) NOT NULL,
    target VARCHAR(255) NOT NULL, PRIMARY KEY (address, target));
CREATE TABLE owners (login VARCHAR(255) NOT NULL,
    address VARCHAR(255) NOT NULL, via VARCHAR(16) NOT NULL,
    PRIMARY KEY (login, address, via));
INSERT INTO domains VALUES ('$DOMAIN');
INSERT INTO users VALUES ('bob@$DOMAIN', '$PW1', 1);
INSERT INTO aliases VALUES ('bob@$DOMAIN', '');
INSERT INTO owners VALUES ('bob@$DOMAIN', 'bob@$DOMAIN', 'user');"

engine()
{
	e=$1
	if [ "$e" = pg ]; then
		srv_pg_start
		echo "$KIT_SQL" | psql -X -q -v ON_ERROR_STOP=1 -h "$PGSOCK" \
		    -p "$PGPORT" -U postgres -d kit >"$T/load.log" 2>&1 &&
		srv_pg_sql "GRANT SELECT ON ALL TABLES IN SCHEMA public TO kit;
		    GRANT CREATE ON SCHEMA public TO kit" >/dev/null ||
		    e2e_abort "PostgreSQL: load failed: $(cat "$T/load.log")"
		pw=$(printf '%s' "$SRVPW" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g")
		printf "conninfo host=127.0.0.1 port=%s dbname=kit user=kit password='%s'\n" \
		    "$PGPORT" "$pw" > "$ROOT$A_RUN/kit.conf"
		printf "conninfo host=%s port=%s dbname=kit user=kit password='%s'\n" \
		    "${PGSOCK#"$ROOT"}" "$PGPORT" "$pw" > "$T/kit-sock.conf"
		sql() { srv_pg_sql "$1"; }
		stop() { srv_pg_stop; }
		start() { srv_pg_start; }
	else
		srv_my_start
		echo "$KIT_SQL" | mysql --no-defaults --socket="$MYSOCK" -u root \
		    kit >"$T/load.log" 2>&1 ||
		    e2e_abort "MariaDB: load failed: $(cat "$T/load.log")"
		printf 'host 127.0.0.1\nport %s\nusername kit\npassword %s\ndatabase kit\n' \
		    "$MYPORT" "$SRVPW" > "$ROOT$A_RUN/kit.conf"
		printf 'socket %s\nusername kit\npassword %s\ndatabase kit\n' \
		    "${MYSOCK#"$ROOT"}" "$SRVPW" > "$T/kit-sock.conf"
		sql() { srv_my_sql "$1"; }
		stop() { srv_my_stop; }
		start() { srv_my_start; }
	fi
	printf 'query_timeout 1000\nconnect_timeout 2\n' |
	    tee -a "$T/kit-sock.conf" >> "$ROOT$A_RUN/kit.conf"
	chown "0:$gid" "$ROOT$A_RUN/kit.conf" "$T/kit-sock.conf"
	chmod 640 "$ROOT$A_RUN/kit.conf" "$T/kit-sock.conf"
}

# ------------------------------------------------------------ two hosts
e2e_policy_conf submission "auth_fail_limit 4
auth_fail_window 600"
start_hosts()
{
	host A
	smtpd_start "$A_DIR/smtpd.conf.in"
	A_PID=$SMTPD_PID A_PORT=$E2E_PORT
	if [ -z "$B_DIR" ]; then
		B_DIR=$(mktemp -d "$ROOT/e2e/run.XXXXXX") ||
		    e2e_abort "cannot make host B's run directory"
		chmod 755 "$B_DIR"
		cp -a "$A_DIR/inst" "$B_DIR/inst"
		mkdir -p "$B_DIR/spool"
		chmod 711 "$B_DIR/spool"
	fi
	# B's smtpd.conf names its own run: its table and filter reach the
	# server over its socket, with A's policy.
	cp -p "$T/kit-sock.conf" "$B_DIR/kit.conf"
	sed "s|^table .*|table ${B_DIR#"$ROOT"}/kit.conf|" "$A_DIR/filter.conf" \
	    > "$B_DIR/filter.conf"
	chmod 644 "$B_DIR/filter.conf"
	host B
	SMTPD_PID=""
	smtpd_try_start "$A_DIR/smtpd.conf.in" ||
	    e2e_abort "host B's smtpd did not start: $(tail -n 5 "$B_DIR/smtpd.log")"
	B_PID=$SMTPD_PID B_PORT=$E2E_PORT
}
stop_hosts()
{
	host B
	smtpd_stop
	B_PID=""
	host A
	smtpd_stop
	A_PID=""
}

for e in pg my; do
	engine $e
	start_hosts
	for h in A B; do
		host $h
		expect_eq "$e: bob, created once, logs in on host $h" 235 \
		    "$(auth bob@$DOMAIN pw-one)"
	done
	sql "UPDATE users SET password = '$PW2' WHERE login = 'bob@$DOMAIN'" \
	    >/dev/null
	for h in A B; do
		host $h
		expect_eq "$e: host $h: the new password at the next AUTH" 235 \
		    "$(auth bob@$DOMAIN pw-two)"
		expect_eq "$e: host $h: the old one refused" 535 \
		    "$(auth bob@$DOMAIN pw-one)"
	done
	# The old one failed once on each, from 127.0.0.1 (bob's network,
	# where he logged in on both): three more on each host, from an
	# address of its own (under auth_fail_limit 4 for the address), make
	# eight, twice the limit, which neither host saw alone (four each).
	for i in 1 2 3; do
		host A
		auth_from 127.0.0.2 bob@$DOMAIN "wrong-a$i" >/dev/null
		host B
		auth_from 127.0.0.3 bob@$DOMAIN "wrong-b$i" >/dev/null
	done
	for h in A B; do
		host $h
		expect_eq "$e: 8 failures over both hosts: a new network is refused for now on $h" \
		    454 "$(auth_from 127.0.0.4 bob@$DOMAIN pw-two)"
		expect_eq "$e: bob's own network still logs in on $h" 235 \
		    "$(auth bob@$DOMAIN pw-two)"
	done
	expect_match "$e: the refusal is logged under auth-lockout, not counted" \
	    'client=127\.0\.0\.4 .*rule=auth-lockout .*result=reject reply="454 ' \
	    "$(cat "$A_DIR/smtpd.log" "$A_DIR/syslog.log" "$B_DIR/smtpd.log" \
	    "$B_DIR/syslog.log" 2>/dev/null)"
	sql "DELETE FROM kit_authlock" >/dev/null

	# The server stops during traffic.
	stop
	for h in A B; do
		host $h
		t0=$(date +%s%3N)
		c=$(auth bob@$DOMAIN pw-two)
		t1=$(date +%s%3N)
		expect_match "$e down: AUTH on $h is a temporary failure" \
		    '^4' "$c"
		if [ $((t1 - t0)) -lt 8000 ]; then
			ok "$e down: answered in $((t1 - t0)) ms"
		else
			fail "$e down: answered in $((t1 - t0)) ms"
		fi
		expect_all_alive "$e down, host $h"
	done
	start
	for h in A B; do
		host $h
		n=0
		until [ "$(auth bob@$DOMAIN pw-two)" = 235 ] || [ $n -ge 30 ]; do
			sleep 0.5
			n=$((n + 1))
		done
		expect_eq "$e back: AUTH on $h works again by itself" 235 \
		    "$(auth bob@$DOMAIN pw-two)"
	done
	stop_hosts
	stop
done

cleanup
test_done
