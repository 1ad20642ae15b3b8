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
# What the protocol tests of filter-submission share: a test database
# in $T, the lines smtpd sends, and running the filter on them.  Source
# tests/lib.sh first.

FILTER=${FILTER_BIN:-$TOP/filter-submission/filter-submission}
T=$(mktemp -d /tmp/t_filter.XXXXXX)
DB=$T/kit.sqlite
LOG=$T/filter.log

sqlite3 "$DB" < "$TOP/lib/schema.sql"
sqlite3 "$DB" <<'EOSQL'
INSERT INTO domains VALUES ('example.com');
INSERT INTO users VALUES ('bob@example.com', '$2b$10$x', 1);
INSERT INTO users VALUES ('ann@example.com', '$2b$10$x', 1);
INSERT INTO aliases VALUES ('team@example.com', 'bob@example.com');
INSERT INTO aliases VALUES ('@example.com', 'ann@example.com');
INSERT INTO senders VALUES ('bob@example.com', '@example.org');
EOSQL
echo "dbpath $DB" > "$T/sqlite.conf"

V=0.7
HS=$FILTER_HS

# Lines smtpd would send, for session $1.
connect() { echo "report|$V|1.0|smtp-in|link-connect|$1|rdns|pass|192.0.2.$2:4242|192.0.2.25:587"; }
tls() { echo "report|$V|1.0|smtp-in|link-tls|$1|TLSv1.3:TLS_AES_256_GCM_SHA384:256"; }
authok()
{
	if [ "$V" = 0.6 ]; then
		echo "report|$V|1.0|smtp-in|link-auth|$1|$2|pass"
	else
		echo "report|$V|1.0|smtp-in|link-auth|$1|pass|$2"
	fi
}
authfail() { echo "report|$V|1.0|smtp-in|link-auth|$1|fail|$2"; }
autherror() { echo "report|$V|1.0|smtp-in|link-auth|$1|error|$2"; }
phase() { echo "filter|$V|1.0|smtp-in|$2|$1|$3|$4"; }
disconnect() { echo "report|$V|1.0|smtp-in|link-disconnect|$1"; }
greeting() { echo "report|$V|1.0|smtp-in|link-greeting|$1|$2"; }

# Lines of smtpd's own account of a transaction, for session $1 and
# message id $2.
txmail() { echo "report|$V|1.0|smtp-in|tx-mail|$1|$2|${4:-ok}|$3"; }
txrcpt() { echo "report|$V|1.0|smtp-in|tx-rcpt|$1|$2|${4:-ok}|$3"; }
txcommit() { echo "report|$V|1.0|smtp-in|tx-commit|$1|$2|$3"; }

# run CONF-TEXT INPUT: output in $OUT, log in $LOG; the filter's flags
# are $RUNFLAGS, -d (the log on standard error) unless set: -dv for
# the lines at debug too.
run()
{
	printf 'table %s\n%s\n' "$T/sqlite.conf" "$1" > "$T/f.conf"
	OUT=$(printf '%s\n%s\n' "$HS" "$2" |
	    "$FILTER" ${RUNFLAGS:--d} -f "$T/f.conf" 2>"$LOG")
	RC=$?
}

# reply TOKEN: what the filter answered to that request
reply()
{
	printf '%s\n' "$OUT" | grep "^filter-result|[0-9a-f]*|$1|" |
	    sed 's/^filter-result|[0-9a-f]*|[0-9a-f]*|//'
}

# filter_done: the closing line; the test data stays when a test failed.
filter_done()
{
	test_done "$T"
}
