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
conphase() { phase $1 connect $2 "rdns|192.0.2.$3"; }
disconnect() { echo "report|$V|1.0|smtp-in|link-disconnect|$1"; }
greeting() { echo "report|$V|1.0|smtp-in|link-greeting|$1|$2"; }

# Tables of requests and their answers, one a line:
#	TOKEN|PHASE|ARGUMENT|NAME|REPLY
# TOKEN the request's last two hex digits (after 00000000000000), REPLY
# what the filter must answer, or ~ and a grep -E pattern of it, NAME
# the check's.  requests SESSION TABLE: the lines asking them in
# SESSION; replies TABLE: each check.
requests()
{
	printf '%s\n' "$2" | while IFS='|' read -r r_tok r_phase r_arg r_rest; do
		phase $1 $r_phase 00000000000000$r_tok "$r_arg"
	done
}
replies()
{
	while IFS='|' read -r r_tok r_phase r_arg r_name r_reply; do
		case $r_reply in
		\~*)
			expect_match "$r_name" "${r_reply#\~}" \
			    "$(reply 00000000000000$r_tok)"
			;;
		*)
			expect_eq "$r_name" "$r_reply" "$(reply 00000000000000$r_tok)"
			;;
		esac
	done <<EOT
$1
EOT
}

# Sequences of them: a connection from 192.0.2.$2 and its TLS; the same
# logged in as $3; $3 failed AUTHs of login $2.
tlsconnect() { connect $1 $2; tls $1; }
loggedin() { tlsconnect $1 $2; authok $1 $3; }
authfails()
{
	i=0
	while [ $i -lt $3 ]; do
		authfail $1 $2
		i=$((i + 1))
	done
}

# message SESSION SENDER MAIL-TOKEN DATA-TOKEN COMMIT-TOKEN LINE...: a
# transaction: MAIL FROM:<SENDER>, the message's LINEs and its end,
# ".", and the commit
message()
{
	m_s=$1
	m_from=$2
	m_mail=$3
	m_data=$4
	m_commit=$5
	shift 5
	phase $m_s mail-from $m_mail "$m_from"
	for l in "$@"; do
		phase $m_s data-line $m_data "$l"
	done
	phase $m_s data-line $m_data '.'
	phase $m_s commit $m_commit ''
}

# held_headers N FIRST CLIENT LOGIN COMMIT: the lines of N sessions,
# FIRST the number of the first, each logged in and holding a From:
# header of 15,000 bytes at once, then each ending its message.  CLIENT,
# LOGIN and COMMIT are awk expressions of the session's index i: its
# address, the local part of its login at example.com, and the number of
# its commit token.
held_headers()
{
	awk -v n="$1" -v first="$2" "
	    function client(i) { return $3 }
	    function login(i) { return $4 }
	    function commit(i) { return $5 }"'
	    BEGIN {
		x = "xxxxxxxxxx"
		while (length(x) < 15000)
			x = x x
		x = substr(x, 1, 15000)
		p = "|0.7|1.0|smtp-in|"
		for (i = 0; i < n; i++) {
			s = sprintf("%016x", first + i)
			a = login(i) "@example.com"
			print "report" p "link-connect|" s "|rdns|pass|" \
			    client(i) ":1|192.0.2.25:587"
			print "report" p "link-tls|" s "|TLSv1.3:X:256"
			print "report" p "link-auth|" s "|pass|" a
			print "filter" p "mail-from|" s "|0000000000000401|" a
			print "filter" p "data-line|" s "|0000000000000402|From: <" \
			    a ">"
			print "filter" p "data-line|" s "|0000000000000402| (" x ")"
		}
		for (i = 0; i < n; i++) {
			s = sprintf("%016x", first + i)
			print "filter" p "data-line|" s "|0000000000000402|"
			print "filter" p "data-line|" s "|0000000000000402|."
			printf "filter%scommit|%s|%016x|\n", p, s, commit(i)
		}
	    }'
}

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

# check_conf TEXT: filter-submission -n on $T/check.conf, the test
# table and TEXT; its exit status in RC, its errors in ERR
check_conf()
{
	printf 'table %s\n%s\n' "$T/sqlite.conf" "$1" > "$T/check.conf"
	"$FILTER" -n -f "$T/check.conf" 2>"$T/check.err"
	RC=$?
	ERR=$(cat "$T/check.err")
}

# filter_done: the closing line; the test data stays when a test failed.
filter_done()
{
	test_done "$T"
}
