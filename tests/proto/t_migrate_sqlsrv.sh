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
# migrate-postfix -p on PostfixAdmin's database on a real PostgreSQL and
# a real MariaDB (tests/proto/sqlsrv.sh), loaded with the fixtures of
# tests/migrate/pgsql and tests/migrate/mysql: the sqlite.conf written
# connects with the maps' hosts, user, password and dbname, is mode
# 0600, and table-sqlite reading it answers as PostfixAdmin's queries
# do (alias domains, the catch-all, disabled rows, the backup MX, the
# credentials); query_owners, as the filter prepares it, gives the
# owners; and a mailbox added in the database is found at the next
# lookup of the same table process, without migrating again.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/migrate/lib.sh"

mig_tools
T=$(mktemp -d /tmp/t_migrate_sqlsrv.XXXXXX)
. "$TOP/tests/proto/sqlsrv.sh"
trap 'srv_pg_stop; srv_my_stop' EXIT
trap 'srv_pg_stop; srv_my_stop; exit 1' INT TERM
: >"$T/none.conf"

srv_pg_start
srv_my_start
ok "PostgreSQL and MariaDB run"
psql -X -q -v ON_ERROR_STOP=1 -h "$PGSOCK" -p "$PGPORT" -U postgres \
    -d postgres -f "$MIG_FIXTURES/pgsql/data.pgsql" >"$T/pgload.log" 2>&1 ||
    srv_abort "PostgreSQL: load: $(tail -n 3 "$T/pgload.log")"
# PostfixAdmin's user postfix, over TCP with its password.
echo 'host all postfix 127.0.0.1/32 scram-sha-256' >>"$T/pg/pg_hba.conf"
psql -X -q -h "$PGSOCK" -p "$PGPORT" -U postgres -d postgres \
    -c 'SELECT pg_reload_conf()' >/dev/null ||
    srv_abort "PostgreSQL: reload"
mysql --no-defaults --socket="$MYSOCK" -u root <"$MIG_FIXTURES/mysql/data.mysql" \
    >"$T/myload.log" 2>&1 ||
    srv_abort "MariaDB: load: $(tail -n 3 "$T/myload.log")"
ok "PostfixAdmin's schema and rows loaded on both"

# The same lookups on each engine: what PostfixAdmin's queries answer.
SCRIPT="lookup alias john@example.org
lookup alias sales@example.org
lookup alias john@example.info
lookup alias sales@example.info
lookup alias @example.net
check alias dead@example.org
check alias nobody@example.org
check domain example.org
check domain example.info
check domain gone.example
check domain backup.example
check domain example.com
lookup credentials jane@example.org
check credentials left@example.org
lookup mailaddrmap john@example.org"

# prove ENGINE NAME: migrate the deployed fixture NAME with -p and
# check what was written and what the table answers.
prove()
{
	e=$1
	d=$T/$2
	"$AH" -f "$T/none.conf" migrate-postfix -p -D "$d/etc/dovecot" \
	    -o "$d.out" "$d/etc/postfix" >"$T/$2.log" 2>&1 ||
	    fail "$e: migrate-postfix -p: $(cat "$T/$2.log")"
	C=$(cat "$d.out/sqlite.conf")
	R=$(cat "$d.out/migration-report.txt")
	expect_eq "$e: sqlite.conf, which holds the password, is mode 0600" \
	    600 "$(file_mode "$d.out/sqlite.conf")"
	[ ! -e "$d.out/kit.sqlite" ] && ok "$e: no kit.sqlite" ||
	    fail "$e: kit.sqlite written"
	expect_nomatch "$e: nothing to export by hand" \
	    '^(mysql|PGCLIENTENCODING)' "$R"
	expect_match "$e: the report says what is read in place, live" \
	    "sqlite.conf reads PostfixAdmin's .* database postfixadmin in place, live" "$R"
	expect_match "$e: the report says how to install the file" \
	    "sqlite.conf holds the password of the database user postfix: it is written mode 0600" "$R"
	expect_match "$e: the report says a disabled target fails the alias" \
	    "-p: an alias with a target that receives nothing" "$R"
	OUT=$(printf '%s\n' "$SCRIPT" | "$DRIVE" -t 20000 -- "$TABLE" \
	    -d "$d.out/sqlite.conf" 2>"$T/$2.table.log")
	printf '%s\n' "$OUT" >"$T/$2.answers"
	expect_match "$e: a mailbox is the virtual user" \
	    "lookup-result\|[^|]*\|found\|vmail$" "$OUT"
	expect_match "$e: an alias's comma-separated targets" \
	    "found\|(john@example.org, ?jane@example.org|jane@example.org, ?john@example.org)$" "$OUT"
	expect_match "$e: an address of the alias domain is its target's" \
	    "found\|john@example.org$" "$OUT"
	expect_match "$e: an alias of the alias domain" \
	    "found\|sales@example.org$" "$OUT"
	expect_match "$e: the catch-all" "found\|jane@example.org$" "$OUT"
	expect_eq "$e: 9 answers found, 6 not (disabled alias, unknown, disabled domain, backup MX, other domain, disabled mailbox)" \
	    "9 6" "$(echo "$OUT" | grep -c '|found') $(echo "$OUT" | grep -c 'not-found')"
	expect_match "$e: the alias domain is a domain" \
	    "check-result\|[^|]*\|found" "$OUT"
	expect_match "$e: credentials, the {BLF-CRYPT} prefix stripped" \
	    'found\|jane@example.org:\$2y\$05\$' "$OUT"
	expect_match "$e: what john may send as" "info@example.org" "$OUT"
	expect_nomatch "$e: no table error" "\|(fail|error)" "$OUT"
}

deploy()
{
	rm -rf "$T/$2"
	mig_deploy "$1" "$T/$2" "$T/$2" all smtp submission smtps \
	    /etc/ssl/mail.crt /etc/ssl/mail.key || fail "deploy $1"
	for f in "$T/$2"/etc/postfix/"$1"/*.cf; do
		sed "s|^hosts = .*|hosts = $3|" "$f" >"$f.new" &&
		    mv "$f.new" "$f" || fail "deploy $1: $f"
	done
}

# ------------------------------------------------------------ PostgreSQL
deploy pgsql pgfx "inet:127.0.0.1:$PGPORT"
prove PostgreSQL pgfx
expect_match "PostgreSQL: conninfo from hosts, user, password, dbname" \
    "^conninfo host='127.0.0.1' port='$PGPORT' dbname='postfixadmin' user='postfix' password='postfixpw'$" "$C"
expect_match "PostgreSQL: the report names the SQL" "in PostgreSQL SQL" "$R"

# ---------------------------------------------------------------- MariaDB
deploy mysql myfx "unix:$MYSOCK"
prove MariaDB myfx
expect_match "MariaDB: the socket, user, password, database" \
    "socket $MYSOCK
username postfix
password postfixpw
database postfixadmin" "$C"
expect_match "MariaDB: the report names the SQL" "in MariaDB SQL" "$R"

# Dovecot's passdb on the same server: its accounts are the mailboxes
# query_credentials reads, nothing is exported.
cat >"$T/myfx/etc/dovecot/conf.d/auth-passwdfile.conf" <<EOF
sql_driver = mysql
mysql $MYSOCK {
  user = postfix
  password = postfixpw
  dbname = postfixadmin
}
passdb sql {
  default_password_scheme = SHA512-CRYPT
  query = SELECT username AS user, password FROM mailbox WHERE username = '%{user}' AND active = '1'
}
EOF
"$AH" -f "$T/none.conf" migrate-postfix -p -D "$T/myfx/etc/dovecot" -n \
    "$T/myfx/etc/postfix" >"$T/dovecot-sql.out" 2>&1 ||
    fail "MariaDB, Dovecot passdb sql: migrate -p -n: $(tail -n 1 "$T/dovecot-sql.out")"
expect_match "MariaDB, Dovecot passdb sql: read in place by the credentials query" \
    "dovecot passdb sql .*: read in place by sqlite.conf \(-p\), not exported" \
    "$(cat "$T/dovecot-sql.out")"
expect_nomatch "MariaDB, Dovecot passdb sql: no export of the accounts" \
    "users\.tsv" "$(cat "$T/dovecot-sql.out")"

# ----------------------------------------------- query_owners, prepared
# owners ENGINE CONF KEY: the logins query_owners answers for KEY, with
# KEY bound to each ?1 as the filter binds it.
owners()
{
	q=$(sed -n 's/^query_owners //p' "$2")
	if [ "$1" = pg ]; then
		q=$(printf '%s' "$q" | sed 's/?1/$1/g')
		PGPASSWORD=postfixpw psql -X -q -t -A -h 127.0.0.1 -p "$PGPORT" \
		    -U postfix -d postfixadmin \
		    -c "PREPARE o(text) AS $q" -c "EXECUTE o('$3')" | sort |
		    tr '\n' ' '
	else
		n=$(printf '%s' "$q" | grep -o '?1' | wc -l)
		u=$(printf '@k,%.0s' $(seq 1 "$n"))
		q=$(printf '%s' "$q" | sed -e 's/?1/?/g' -e "s/'/''/g")
		mysql --no-defaults --socket="$MYSOCK" -u postfix -ppostfixpw \
		    -N -B postfixadmin -e "SET @k = '$3'; PREPARE o FROM '$q'; EXECUTE o USING ${u%,}" |
		    sort | tr '\n' ' '
	fi
}
for e in pg my; do
	expect_eq "$e: query_owners: an alias's targets own it" \
	    "john@example.org " "$(owners $e "$T/${e}fx.out/sqlite.conf" info@example.org)"
	expect_eq "$e: query_owners: a mailbox its login (and its own alias)" \
	    "john@example.org " "$(owners $e "$T/${e}fx.out/sqlite.conf" john@example.org)"
	expect_eq "$e: query_owners: a mailbox and its alias's list (the filter splits it)" \
	    "jane@example.org jane@example.org,jane#example.org@autoreply.example.org " \
	    "$(owners $e "$T/${e}fx.out/sqlite.conf" jane@example.org)"
	expect_eq "$e: query_owners: *@ grants nothing" "" \
	    "$(owners $e "$T/${e}fx.out/sqlite.conf" '*@example.org')"
done

# ----------------------------------------------------------------- live
# One table process: a lookup, a mailbox added in PostfixAdmin's
# database, the same lookup again.
live()
{
	e=$1
	conf=$2
	# tabledrive runs a "!" line with sh(1) between two requests.
	OUT=$(printf '%s\n' "check alias new@example.org" "!$3" \
	    "check alias new@example.org" "check credentials new@example.org" |
	    "$DRIVE" -t 20000 -- "$TABLE" -d "$conf" 2>>"$T/live.log")
	expect_eq "$e: a mailbox added in the database is found at the next lookup, without migrating again" \
	    "not-found found found" \
	    "$(echo "$OUT" | sed -n 's/^check-result|[^|]*|\([a-z-]*\).*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
}
live PostgreSQL "$T/pgfx.out/sqlite.conf" \
    "psql -X -q -h $PGSOCK -p $PGPORT -U postgres -d postfixadmin -c \"INSERT INTO mailbox (username, password, maildir, local_part, domain) VALUES ('new@example.org', '{PLAIN}x', 'example.org/new/', 'new', 'example.org')\""
live MariaDB "$T/myfx.out/sqlite.conf" \
    "mysql --no-defaults --socket=$MYSOCK -u root postfixadmin -e \"INSERT INTO mailbox (username, password, maildir, local_part, domain) VALUES ('new@example.org', '{PLAIN}x', 'example.org/new/', 'new', 'example.org')\""

srv_pg_stop
srv_my_stop
test_done "$T"
