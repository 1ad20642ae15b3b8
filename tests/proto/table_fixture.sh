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
