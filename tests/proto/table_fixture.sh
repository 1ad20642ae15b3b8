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
# What the table protocol tests share (tests/proto/t_table*.sh): source
# it with TOP and T (their directory) set.  It sets TABLE and DRIVE (the
# table and the smtpd it plays), DB, CONF and LOG (the table's) and
# "nth N", line N of $OUT; and gives
#
#	fixture_db		the default schema: users with each kind of
#				hash (BOB, SHA, SSHA hold them), aliases, a
#				catch-all, a sender grant; CONF has dbpath only
#	fixture_services	tables for the services the default schema
#				leaves to custom queries, and a CONF with
#				those queries
#	FIXTURE_CREDS		requests of either protocol on fixture_db:
#	FIXTURE_ALIASES		the credentials of its users of each hash,
#				its aliases and its domains, and
#	expect_creds N		the checks of what FIXTURE_CREDS and the
#	expect_aliases N	first three of FIXTURE_ALIASES get, their
#				answers from line N of $OUT
#	fixture_pipeline N REQUEST WAIT
#				tabledrive script lines sending N requests
#				at once (REQUEST, an awk printf format given
#				the request's number), then N WAIT lines,
#				each reading an answer
#	fixture_reloads		tabledrive script lines of either protocol:
#				an update with a broken file, one with a
#				query that does not prepare, the database
#				gone and back, each followed by a check

PWHASH=$TOP/tests/tools/pwhash
TABLE=$TOP/table-sqlite/table-sqlite
DRIVE=$TOP/tests/tools/tabledrive
DB=$T/kit.sqlite
CONF=$T/kit.conf
LOG=$T/table.log

# line N of $OUT
nth()
{
	printf '%s\n' "$OUT" | sed -n "$1p"
}

fixture_db()
{
	BOB=$(echo 'Secret1' | "$PWHASH" bcrypt)
	SHA=$(openssl passwd -6 -salt abcdefgh 'Secret2')
	printf 'Secret3saltsalt' | openssl dgst -sha512 -binary > "$T/d"
	printf 'saltsalt' >> "$T/d"
	SSHA=$(base64_line <"$T/d")

	sqlite3 "$DB" < "$TOP/lib/schema.sql"
	sqlite3 "$DB" <<EOSQL
INSERT INTO domains VALUES ('example.com');
INSERT INTO users VALUES ('bob@example.com', '$BOB', 1);
INSERT INTO users VALUES ('sha@example.com', '{SHA512-CRYPT}$SHA', 1);
INSERT INTO users VALUES ('ssha@example.com', '{SSHA512}$SSHA', 1);
INSERT INTO users VALUES ('plain@example.com', '{PLAIN}Secret4', 1);
INSERT INTO users VALUES ('off@example.com', '$BOB', 0);
INSERT INTO aliases VALUES ('team@example.com', 'bob@example.com');
INSERT INTO aliases VALUES ('team@example.com', 'sha@example.com');
INSERT INTO aliases VALUES ('@example.com', 'bob@example.com');
INSERT INTO senders VALUES ('bob@example.com', '@example.org');
EOSQL
	echo "dbpath $DB" > "$CONF"
}

FIXTURE_CREDS="lookup credentials bob@example.com
lookup credentials sha@example.com
lookup credentials off@example.com
lookup credentials ssha@example.com"
FIXTURE_ALIASES="lookup alias bob@example.com
lookup alias team@example.com
lookup alias @example.com
lookup alias nobody@example.com
check domain example.com
check domain example.net
lookup domain example.com
check mailaddr team@example.com"

expect_creds()
{
	expect_eq "credentials: bcrypt hash" \
	    "lookup-result|ID|found|bob@example.com:$BOB" "$(nth "$1")"
	expect_eq "credentials: {SHA512-CRYPT} prefix stripped" \
	    "lookup-result|ID|found|sha@example.com:$SHA" "$(nth $(($1 + 1)))"
	expect_eq "credentials: inactive user not found" \
	    "lookup-result|ID|not-found" "$(nth $(($1 + 2)))"
	expect_eq "credentials: {SSHA512} not handed to smtpd" \
	    "lookup-result|ID|not-found" "$(nth $(($1 + 3)))"
}

expect_aliases()
{
	expect_eq "alias: user maps to vmail" "lookup-result|ID|found|vmail" \
	    "$(nth "$1")"
	expect_eq "alias: targets joined" \
	    "lookup-result|ID|found|bob@example.com, sha@example.com" \
	    "$(nth $(($1 + 1)))"
	expect_eq "alias: catch-all" "lookup-result|ID|found|bob@example.com" \
	    "$(nth $(($1 + 2)))"
}

fixture_services()
{
	sqlite3 "$DB" <<'EOSQL'
CREATE TABLE nets (cidr TEXT);
INSERT INTO nets VALUES ('192.168.0.0/16');
CREATE TABLE uinfo (name TEXT, uid INTEGER, gid INTEGER, home TEXT);
INSERT INTO uinfo VALUES ('vmail', 2000, 2000, '/var/vmail');
CREATE TABLE srcs (addr TEXT);
INSERT INTO srcs VALUES ('192.0.2.1'), ('192.0.2.2');
CREATE TABLE names (addr TEXT, name TEXT);
INSERT INTO names VALUES ('192.0.2.1', 'mx1.example.com');
EOSQL
	cat > "$CONF" <<EOC
dbpath $DB
query_netaddr SELECT cidr FROM nets WHERE cidr = ?
query_userinfo SELECT uid, gid, home FROM uinfo WHERE name = ?
query_source SELECT addr FROM srcs WHERE addr = ?
query_addrname SELECT name FROM names WHERE addr = ?
query_mailaddr SELECT login FROM users WHERE login = ?
fetch_source SELECT addr FROM srcs ORDER BY addr
EOC
}

fixture_pipeline()
{
	awk -v n="$1" -v req="$2" -v wait="$3" 'BEGIN {
		for (i = 0; i < n; i++)
			printf req "\n", i
		for (i = 0; i < n; i++)
			print wait
	}'
}

fixture_reloads()
{
	cat <<EOF
!echo 'bogus line' > $CONF
update
check domain example.com
!echo 'dbpath $DB' > $CONF; echo 'query_domain SELECT nope FROM domains WHERE name = ?' >> $CONF
update
check domain example.com
!mv $DB $DB.away; sleep 1.1
check domain example.com
!mv $DB.away $DB; sleep 1.1
check domain example.com
EOF
}
