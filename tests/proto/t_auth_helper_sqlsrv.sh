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
# auth-helper on PostgreSQL and MariaDB, real servers started here
# (tests/proto/sqlsrv.sh) on Unix sockets: the command sequence of
# t_auth_helper.sh (its core), hostile values among them (quotes, %,
# _, a "?1" and a "$1" in an address, a long one), run on SQLite and on
# each server must print the same, exit the same, leave the same rows
# (the triggers' owners included) and make table-sqlite answer the
# same; a server configuration with its own queries is refused.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"

AH=$TOP/auth-helper/auth-helper
TABLE=$TOP/table-sqlite/table-sqlite
DRIVE=$TOP/tests/tools/tabledrive
T=$(mktemp -d /tmp/t_auth_helper_sqlsrv.XXXXXX) || exit 1
. "$TOP/tests/proto/sqlsrv.sh"
trap 'srv_pg_stop; srv_my_stop' EXIT
trap 'srv_pg_stop; srv_my_stop; exit 1' INT TERM

srv_pg_start
ok "PostgreSQL runs on $PGSOCK"
srv_my_start
ok "MariaDB runs on $MYSOCK"
# PostgreSQL 15 lets only the owner create in public.
srv_pg_sql "ALTER SCHEMA public OWNER TO kit" >/dev/null ||
    srv_abort "PostgreSQL: cannot give the schema to kit"

PGPW=$(printf '%s' "$SRVPW" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g")
printf 'dbpath %s\nvirtual_user nobody\n' "$T/kit.sqlite" > "$T/sqlite.conf"
printf 'conninfo host=%s port=%s dbname=kit user=kit password='\''%s'\''\nvirtual_user nobody\n' \
    "$PGSOCK" "$PGPORT" "$PGPW" > "$T/pg.conf"
printf 'socket %s\nusername kit\npassword %s\ndatabase kit\nvirtual_user nobody\n' \
    "$MYSOCK" "$SRVPW" > "$T/my.conf"
chmod 600 "$T/sqlite.conf" "$T/pg.conf" "$T/my.conf"

# auth-helper takes dot-atoms of smtpd's characters (no %) of 64 bytes
L63=$(printf 'l%.0s' $(seq 1 63))
LONGDOM=$L63.$L63.$L63.example
LONG=${L63}x@$LONGDOM
HOST="o'ne_x?1\$1{}\`~"

# sequence CONF: the commands, each as "== name: status", its output and
# its errors, the database's name made DB; to standard output.
sequence()
{
	conf=$1
	step()
	{
		name=$1
		shift
		out=$("$@" 2>"$T/seq.err")
		rc=$?
		echo "== $name: $rc"
		{ printf '%s\n' "$out"; cat "$T/seq.err"; } >> "$conf.raw"
		# SQLite's init makes the file and the lock directory.
		{ printf '%s\n' "$out"; cat "$T/seq.err"; } |
		    grep -v "^created $T/" | sed -e "s|$T/kit.sqlite|DB|g" \
		    -e 's/^PostgreSQL:/DB:/' -e 's/^MariaDB:/DB:/' \
		    -e 's/^auth-helper: PostgreSQL:/auth-helper: DB:/' \
		    -e 's/^auth-helper: MariaDB:/auth-helper: DB:/'
	}
	ah() { "$AH" -f "$conf" "$@"; }
	pw() { p=$1; shift; printf '%s\n' "$p" | "$AH" -f "$conf" "$@"; }
	step "init" ah init
	step "init again" ah init
	step "domain add, two, IDN" ah domain add Example.COM Bücher.example
	step "domain list" ah domain list
	step "domain add again" ah domain add example.com
	step "domain add, one bad" ah domain add good.example 'bad domain'
	step "domain list" ah domain list
	step "user add" pw 'S3cret pw' user add Bob@Example.COM
	step "user add yescrypt" pw pw2 user add -s yescrypt ann@example.com
	step "user add sha512crypt" pw pw3 user add -s sha512crypt eve@example.com
	step "user list" ah user list
	step "user list of a domain" ah user list example.com
	step "user add, unknown domain" pw pw user add x@other.example
	step "user add twice" pw pw user add bob@example.com
	step "verify" pw 'S3cret pw' verify bob@example.com
	step "verify wrong" pw 's3cret pw' verify bob@example.com
	step "user passwd" pw newpw user passwd bob@example.com
	step "verify new" pw newpw verify bob@example.com
	step "user passwd of nobody" pw x user passwd nobody@example.com
	step "user disable" ah user disable eve@example.com
	step "verify disabled" pw pw3 verify eve@example.com
	step "user enable" ah user enable eve@example.com
	step "verify enabled" pw pw3 verify eve@example.com
	step "alias add two" ah alias add Team@example.com bob@example.com ann@example.com
	step "alias add catch-all" ah alias add @example.com ann@example.com
	step "alias add local user" ah alias add root@example.com vmail
	step "alias add, unknown domain" ah alias add x@other.example bob@example.com
	step "alias to itself" ah alias add bob@example.com bob@example.com
	step "alias add hostile" ah alias add "$HOST@example.com" bob@example.com
	step "domain add long" ah domain add "$LONGDOM"
	step "alias add long" ah alias add "$LONG" eve@example.com
	step "alias add long target" ah alias add "long@$LONGDOM" "$LONG"
	step "owns long" ah owns eve@example.com "$LONG"
	step "alias add percent" ah alias add "o%x@example.com" eve@example.com
	step "alias list" ah alias list
	step "alias list of a domain" ah alias list example.com
	step "alias list -j" ah -j alias list team@example.com
	step "alias add -p program" ah alias add -p prog@example.com '|/usr/bin/true'
	step "check with a program" ah check
	step "alias del program" ah alias del prog@example.com '|/usr/bin/true'
	step "alias del one target" ah alias del team@example.com ann@example.com
	step "alias del nothing" ah alias del nosuch@example.com
	step "alias del mailbox" ah alias del bob@example.com
	step "sender add" ah sender add bob@example.com @example.org
	step "sender add hostile" ah sender add ann@example.com "$HOST@example.com"
	step "sender add to nobody" ah sender add nobody@example.com x@example.org
	step "sender list" ah sender list
	step "owns own" ah owns bob@example.com Bob+tag@Example.com
	step "owns alias" ah owns bob@example.com team@example.com
	step "owns hostile alias" ah owns bob@example.com "$HOST@example.com"
	step "owns hostile grant" ah owns ann@example.com "$HOST@example.com"
	step "owns domain grant" ah owns bob@example.com anyone@example.org
	step "owns not" ah owns bob@example.com ann@example.com
	step "domain add example.org" ah domain add example.org
	step "user add carol" pw pw user add carol@example.org
	step "owns @domain not an owned address" ah owns bob@example.com carol@example.org
	step "owns @domain the others" ah owns bob@example.com nobody@example.org
	step "sender add *@domain" ah sender add ann@example.com '*@Example.ORG'
	step "owns *@domain" ah owns ann@example.com carol@example.org
	step "alias owns" ah alias owns
	step "alias owns no" ah alias owns no
	step "alias owns read" ah alias owns
	step "owns alias with no" ah owns bob@example.com team@example.com
	step "alias add with no" ah alias add sales@example.com eve@example.com
	step "owns new alias with no" ah owns eve@example.com sales@example.com
	step "alias owns yes" ah alias owns yes
	step "owns alias again" ah owns bob@example.com team@example.com
	step "owns new alias again" ah owns eve@example.com sales@example.com
	step "alias owns maybe" ah alias owns maybe
	step "check" ah check
	step "user del eve" ah user del eve@example.com
	step "user del again" ah user del eve@example.com
	step "domain del with users" ah domain del example.com
	step "domain del empty" ah domain del xn--bcher-kva.example
	step "user list at the end" ah user list
	step "sender list at the end" ah sender list
	step "check at the end" ah check
}

# sql_sqlite, sql_pg, sql_my QUERY: its rows, the columns separated by |
sql_sqlite()
{
	sqlite3 -separator '|' "$T/kit.sqlite" "$1"
}
sql_pg()
{
	psql -X -q -A -t -F '|' -h "$PGSOCK" -p "$PGPORT" -U postgres -d kit \
	    -c "$1"
}
sql_my()
{
	mysql --no-defaults --socket="$MYSOCK" -u root -N -B -r kit -e "$1" |
	    tr '\t' '|'
}

# rows ENGINE: the rows of the kit's tables there, sorted, one a line.
rows()
{
	for t in "domains" "users" "aliases" "senders" "owners" \
	    "settings WHERE name <> 'schema_version'"; do
		q=$(printf '%s' "$t" | sed 's/ WHERE.*//')
		case $q in
		users)	c="login, active" ;;
		*)	c="*" ;;
		esac
		echo "$q:"
		"sql_$1" "SELECT $c FROM $t" | LC_ALL=C sort
	done
}

# ename ENGINE: its name in the checks
ename()
{
	case $1 in
	pg)	echo PostgreSQL ;;
	my)	echo MariaDB ;;
	esac
}

# alike WHAT ENGINE OK-TEXT FAIL-TEXT: what ENGINE gave, $T/WHAT.ENGINE,
# is what SQLite gave, $T/WHAT.sqlite; if not, the start of their diff
alike()
{
	if diff -u "$T/$1.sqlite" "$T/$1.$2" > "$T/$1.$2.diff"; then
		ok "$(ename $2): $3"
	else
		fail "$(ename $2): $4: $(head -c 3000 "$T/$1.$2.diff")"
	fi
}

sequence "$T/sqlite.conf" > "$T/seq.sqlite"
expect_eq "SQLite: the sequence runs (steps)" 77 "$(grep -c '^== ' "$T/seq.sqlite")"
expect_match "SQLite: the hostile alias is taken" \
    "^== alias add hostile: 0" "$(cat "$T/seq.sqlite")"
rows sqlite > "$T/rows.sqlite"
for e in pg my; do
	sequence "$T/$e.conf" > "$T/seq.$e"
	alike seq $e "the same outputs and exit statuses as SQLite" \
	    "outputs differ from SQLite"
	rows $e > "$T/rows.$e"
	alike rows $e "the same rows as SQLite, owners included" \
	    "rows differ from SQLite"
done
expect_match "PostgreSQL: init said it created the schema there" \
    "^PostgreSQL: schema version 2 created" "$(cat "$T/pg.conf.raw")"
expect_match "MariaDB: init said it created the schema there" \
    "^MariaDB: schema version 2 created" "$(cat "$T/my.conf.raw")"

# ------------------------------------------- check on broken rows
# The rows of broken_rows.sql, and a login that differs from another by
# case only, put in by each engine's client: check finds the same
# problems in each.
BROKEN="$(cat "$TOP/tests/proto/broken_rows.sql")
INSERT INTO users VALUES ('mixed@example.com', '{PLAIN}secret', 1);"
printf '%s\n' "$BROKEN" | sqlite3 "$T/kit.sqlite" ||
    fail "SQLite: broken rows not loaded"
printf '%s\n' "$BROKEN" | psql -X -q -v ON_ERROR_STOP=1 -h "$PGSOCK" \
    -p "$PGPORT" -U postgres -d kit >/dev/null ||
    fail "PostgreSQL: broken rows not loaded"
printf '%s\n' "$BROKEN" | mysql --no-defaults --socket="$MYSOCK" -u root \
    kit || fail "MariaDB: broken rows not loaded"
for e in sqlite pg my; do
	"$AH" -f "$T/$e.conf" user disable ann@example.com >/dev/null
done
expect_exit "SQLite: check finds the broken rows" 1 "$AH" -f "$T/sqlite.conf" check
CHECK_SQLITE=$OUT
for kind in alias-to-nowhere unsafe-target alias-loop inactive-target \
    unknown-domain duplicate hash dangling-grant; do
	expect_match "SQLite: check reports $kind" "^$kind " "$CHECK_SQLITE"
done
for e in pg my; do
	expect_exit "$(ename $e): check finds them" 1 "$AH" -f "$T/$e.conf" check
	expect_eq "$(ename $e): the same report as SQLite" "$CHECK_SQLITE" "$OUT"
done
for e in sqlite pg my; do
	"$AH" -f "$T/$e.conf" user enable ann@example.com >/dev/null
done

# ------------------------------------------- table-sqlite's answers
# On each database auth-helper made, the table's default queries give
# the same answers (hashes aside: each run salts its own; a list of
# several values in sorted order, as smtpd reads it as a set).
SCRIPT="lookup credentials bob@example.com
lookup credentials ann@example.com
lookup credentials eve@example.com
lookup credentials carol@example.org
lookup credentials Bob@example.com
lookup alias team@example.com
lookup alias @example.com
lookup alias root@example.com
lookup alias bob@example.com
lookup alias sales@example.com
lookup alias $HOST@example.com
lookup alias $LONG
lookup alias long@$LONGDOM
lookup alias nobody@example.com
check domain example.com
check domain example.org
check domain $LONGDOM
check domain xn--bcher-kva.example
check domain o'ne_x?1\$1.example
lookup domain example.com
check mailaddr team@example.com
check mailaddr $HOST@example.com
check mailaddr eve@example.com
lookup mailaddrmap bob@example.com
lookup mailaddrmap ann@example.com
lookup mailaddrmap eve@example.com
lookup mailaddrmap carol@example.org
lookup mailaddrmap vmail"
NLINES=$(printf '%s\n' "$SCRIPT" | wc -l | tr -d ' ')

answers()
{
	printf '%s\n' "$SCRIPT" | "$DRIVE" -t 20000 -V 7.6.0 -- \
	    "$TABLE" -d "$1" 2>>"$T/table.log" |
	    sed 's/\(found|[^|:]*\):\$[^|]*$/\1:HASH/' |
	    setwise
}
answers "$T/sqlite.conf" > "$T/ans.sqlite"
expect_eq "SQLite: the table answers every line" "$NLINES" \
    "$(grep -c -- '-result|' "$T/ans.sqlite")"
expect_match "SQLite: the alias with quotes, ?1 and \$1 is found" \
    "found\|bob@example.com$" "$(grep -- '-result|' "$T/ans.sqlite" | sed -n 11p)"
expect_match "SQLite: the long alias is found" \
    "found\|eve@example.com$" "$(grep -- '-result|' "$T/ans.sqlite" | sed -n 12p)"
for e in pg my; do
	answers "$T/$e.conf" > "$T/ans.$e"
	alike ans $e "the table answers as on SQLite ($NLINES lookups)" \
	    "the table answers otherwise"
done

# ------------------------------------------------------- refusals
# A server configuration with queries of its own is another tool's
# schema (PostfixAdmin's): writing commands refuse, in one line.
for e in pg my; do
	{ cat "$T/$e.conf"; echo "query_domain SELECT domain FROM domain WHERE domain = ?"; } \
	    > "$T/$e-own.conf"
	chmod 600 "$T/$e-own.conf"
	expect_exit "$e, own queries: user add refused" 1 sh -c \
	    "echo pw | '$AH' -f '$T/$e-own.conf' user add zed@example.com"
	expect_eq "$e, own queries: one line" 1 "$(printf '%s\n' "$ERR" | wc -l | tr -d ' ')"
	expect_match "$e, own queries: says to use that schema's tool" \
	    "has its own queries .*PostfixAdmin.*manage its accounts with that tool" "$ERR"
	expect_exit "$e, own queries: init refused" 1 "$AH" -f "$T/$e-own.conf" init
done
expect_exit "PostgreSQL: nothing was added" 0 "$AH" -f "$T/pg.conf" user list
expect_nomatch "PostgreSQL: no zed" "zed@" "$OUT"

# A database holding another tool's users table: init changes nothing.
psql -X -q -h "$PGSOCK" -p "$PGPORT" -U postgres -d postgres \
    -c 'CREATE DATABASE other OWNER kit' >/dev/null ||
    srv_abort "PostgreSQL: cannot create the database other"
psql -X -q -h "$PGSOCK" -p "$PGPORT" -U kit -d other \
    -c 'CREATE TABLE users (username TEXT)' >/dev/null 2>&1 ||
    PGPASSWORD=$SRVPW psql -X -q -h "$PGSOCK" -p "$PGPORT" -U kit -d other \
    -c 'CREATE TABLE users (username TEXT)' >/dev/null ||
    srv_abort "PostgreSQL: cannot create other.users"
sed 's/dbname=kit/dbname=other/' "$T/pg.conf" > "$T/other.conf"
chmod 600 "$T/other.conf"
expect_exit "PostgreSQL: init on another tool's users table refused" 1 \
    "$AH" -f "$T/other.conf" init
expect_match "and says why" "already has a users table .*not a database auth-helper made" "$ERR"
expect_eq "and created nothing" "users" "$(psql -X -q -A -t -h "$PGSOCK" \
    -p "$PGPORT" -U postgres -d other -c \
    "SELECT string_agg(table_name, ' ') FROM information_schema.tables WHERE table_schema = 'public'")"

# backup is SQLite's: a server is refused with its own tools named.
expect_exit "MariaDB: backup refused" 1 "$AH" -f "$T/my.conf" backup "$T/b.sqlite"
expect_match "naming the server's tools" "pg_dump, mariadb-dump" "$ERR"

# import (auth-helper/migrate/) writes SQLite only: refused, not run.
printf 'domain\nimp.example\n' > "$T/dom.csv"
expect_exit "PostgreSQL: import refused" 1 "$AH" -f "$T/pg.conf" import -d "$T/dom.csv"
expect_match "saying so" "import writes an SQLite database only" "$ERR"

srv_pg_stop
srv_my_stop
test_done "$T"
