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
# Make the benchmark databases and keyfiles in DIR, once: they are kept
# until GEN below changes.
#
# usage: tests/bench/gen.sh DIR SCHEMA_SQL
#
#	DIR/anchor.db	the schema of table-sqlite 1.0's manual, 1M virtuals
#			and 1M credentials, 1000 domains, indexes on email
#			and domain
#	DIR/kit.db	lib/schema.sql, 1M users, 1M aliases, 1000 domains,
#			10000 sender grants
#	DIR/anchor.keys, DIR/kit.keys
#			10000 requests "OP SERVICE KEY", 10% of them misses
#
# Addresses are user<N>@d<N%1000>.example, N from 1 to 1000000.

GEN=1
ROWS=1000000
DOMAINS=1000
NKEYS=10000

DIR=$1
SCHEMA=$2
[ -n "$DIR" ] && [ -f "$SCHEMA" ] || {
	echo "usage: gen.sh DIR SCHEMA_SQL" >&2
	exit 2
}
# Made again when this recipe or the schema changes.
GEN="$GEN $(cksum < "$SCHEMA" | cut -d ' ' -f 1)"
if [ "$(cat "$DIR/gen" 2>/dev/null)" = "$GEN" ]; then
	exit 0
fi
mkdir -p "$DIR" || exit 1
rm -f "$DIR"/*.db "$DIR"/*.db-* "$DIR"/*.tmp "$DIR"/*.keys "$DIR/gen"

# A hash looking like bcrypt's: 60 characters.
HASH="'\$2b\$08\$' || substr(hex(randomblob(32)), 1, 53)"
FAST="PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;"
SEQ="WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c
    WHERE i < $ROWS)"
DSEQ="WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c
    WHERE i < $DOMAINS - 1)"
ADDR="'user' || i || '@d' || (i % $DOMAINS) || '.example'"

sqlite3 -bail "$DIR/anchor.db.tmp" >/dev/null <<EOF || exit 1
$FAST
CREATE TABLE virtuals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) NOT NULL,
    destination VARCHAR(255) NOT NULL
);
CREATE TABLE credentials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) NOT NULL,
    password VARCHAR(255) NOT NULL
);
CREATE TABLE domains (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    domain VARCHAR(255) NOT NULL
);
BEGIN;
$SEQ INSERT INTO virtuals (email, destination)
    SELECT $ADDR, 'box' || i || '@mail.example' FROM c;
$SEQ INSERT INTO credentials (email, password) SELECT $ADDR, $HASH FROM c;
$DSEQ INSERT INTO domains (domain) SELECT 'd' || i || '.example' FROM c;
COMMIT;
CREATE INDEX virtuals_email ON virtuals (email);
CREATE INDEX credentials_email ON credentials (email);
CREATE INDEX domains_domain ON domains (domain);
EOF

sqlite3 -bail "$DIR/kit.db.tmp" >/dev/null <<EOF || exit 1
$FAST
$(cat "$SCHEMA")
BEGIN;
$SEQ INSERT INTO users (login, password) SELECT $ADDR, $HASH FROM c;
$SEQ INSERT INTO aliases (address, target)
    SELECT 'alias' || i || '@d' || (i % $DOMAINS) || '.example', $ADDR
    FROM c;
$DSEQ INSERT INTO domains (name) SELECT 'd' || i || '.example' FROM c;
$SEQ, s(i) AS (SELECT i FROM c WHERE i % 100 = 0)
    INSERT INTO senders (login, address)
    SELECT $ADDR, 'shared' || i || '@d' || (i % $DOMAINS) || '.example'
    FROM s;
COMMIT;
EOF

# keys KIND: NKEYS requests, random (fixed seed), 10% misses.
keys()
{
	awk -v kind="$1" -v n="$NKEYS" -v rows="$ROWS" -v doms="$DOMAINS" '
	BEGIN {
		srand(1);
		for (i = 0; i < n; i++) {
			u = int(rand() * rows) + 1;
			miss = rand() < 0.1;
			r = rand();
			d = "d" (u % doms) ".example";
			dom = (miss ? "no" : "") d;
			user = (miss ? "nouser" : "user") u "@" d;
			alias = (miss ? "noalias" : "alias") u "@" d;
			if (kind == "anchor") {
				if (r < 0.45)
					print "lookup alias " user;
				else if (r < 0.9)
					print "lookup credentials " \
					    user;
				else
					print "check domain " dom;
			} else {
				if (r < 0.3)
					print "lookup alias " alias;
				else if (r < 0.6)
					print "lookup credentials " \
					    user;
				else if (r < 0.85)
					print "lookup mailaddrmap " user;
				else
					print "check domain " dom;
			}
		}
	}'
}
keys anchor > "$DIR/anchor.keys" || exit 1
keys kit > "$DIR/kit.keys" || exit 1
mv "$DIR/anchor.db.tmp" "$DIR/anchor.db" &&
    mv "$DIR/kit.db.tmp" "$DIR/kit.db" &&
    echo "$GEN" > "$DIR/gen"
