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
# table-sqlite on PostgreSQL and on MariaDB, real servers started here
# (tests/proto/sqlsrv.sh), driven as smtpd 7.6 drives it (and as 6.6 to
# 7.5 do, in the legacy protocol): the same rows
# as an SQLite database, hostile ones included (quotes, backslashes, %
# and _, non-ASCII, very long keys, NUL and bytes that are not UTF-8),
# must give the same answers as the SQLite path, over a Unix socket and
# over TCP with a password; the configuration files of Debian's
# opensmtpd-table-postgres and opensmtpd-table-mysql are read as they
# are; a password in a file others can read is refused; and a server
# that stops, hangs or comes back gives a temporary error within the
# time limit, never an exit, and answers again by itself; so does one
# that times a query out (logged once, not per request), or whose table
# changes type under a prepared query (ALTER TABLE); and the ended rows
# of the shared failed-AUTH counts are deleted by the filter; on a
# read-only server (a replica) each filter counts on its own, and says
# so once.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"

T=$(mktemp -d /tmp/t_table_sqlsrv.XXXXXX) || exit 1
. "$TOP/tests/proto/table_fixture.sh"
. "$TOP/tests/proto/sqlsrv.sh"
trap 'srv_pg_stop; srv_my_stop' EXIT
trap 'srv_pg_stop; srv_my_stop; exit 1' INT TERM

# drive CONF SCRIPT: run the script against a fresh table; output in $OUT
drive()
{
	OUT=$(printf '%s\n' "$2" | "$DRIVE" -t 20000 -V 7.6.0 -- \
	    "$TABLE" -d "$1" 2>>"$LOG")
}

# ------------------------------------------------------------- the rows
fixture_db
LONG=$(printf 'l%.0s' $(seq 1 200))
HUGE=$(printf 'h%.0s' $(seq 1 3000))
sqlite3 "$DB" <<EOSQL
INSERT INTO domains VALUES ('o''neil.example');
INSERT INTO users VALUES ('zoë@example.com', '$BOB', 1);
INSERT INTO aliases VALUES ('q''u"o\\te%_@example.com', 'bob@example.com');
INSERT INTO aliases VALUES ('$LONG@example.com', 'sha@example.com');
INSERT INTO aliases VALUES ('multi@example.com', 'a@example.com');
INSERT INTO aliases VALUES ('multi@example.com', 'b@example.com');
INSERT INTO aliases VALUES ('multi@example.com', 'c@example.com');
INSERT INTO owners VALUES ('bob@example.com', 'multi@example.com', 'grant');
EOSQL

# The kit's tables on a server: SRV_SCHEMA_PG and SRV_SCHEMA_MY of
# sqlsrv.sh (the rows the triggers made are copied).

# The rows of the SQLite database as INSERT statements.
rows()
{
	for t in domains users aliases senders owners; do
		sqlite3 -cmd ".mode insert $t" "$DB" "SELECT * FROM $t"
	done
}

srv_pg_start
ok "PostgreSQL runs on $PGSOCK and 127.0.0.1:$PGPORT"
srv_my_start
ok "MariaDB runs on $MYSOCK and 127.0.0.1:$MYPORT"

{ echo "$SRV_SCHEMA_PG"; rows; echo "GRANT SELECT ON ALL TABLES IN SCHEMA public TO kit;"; } |
    psql -X -q -v ON_ERROR_STOP=1 -h "$PGSOCK" -p "$PGPORT" -U postgres \
    -d kit >"$T/pgload.log" 2>&1 ||
    srv_abort "PostgreSQL: load: $(tail -n 3 "$T/pgload.log")"
{ echo "$SRV_SCHEMA_MY"; echo "SET sql_mode = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES';"; rows; } |
    mysql --no-defaults --socket="$MYSOCK" -u root kit \
    >"$T/myload.log" 2>&1 ||
    srv_abort "MariaDB: load: $(tail -n 3 "$T/myload.log")"
ok "the same rows in SQLite, PostgreSQL and MariaDB"

# ------------------------------------------------------- configurations
# The password, in each file's own quoting: libpq's conninfo quotes
# with ' and escapes ' and \ with \; the other files take the value as
# it is.
PGPW=$(printf '%s' "$SRVPW" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g")
conf_pg_sock()
{
	printf 'conninfo host=%s port=%s dbname=kit user=kit password='\''%s'\''\n' \
	    "$PGSOCK" "$PGPORT" "$PGPW"
}
conf_pg_tcp()
{
	printf 'conninfo host=127.0.0.1 port=%s dbname=kit user=kit password='\''%s'\''\n' \
	    "$PGPORT" "$PGPW"
}
conf_my_sock()
{
	printf 'socket %s\nusername kit\npassword %s\ndatabase kit\n' \
	    "$MYSOCK" "$SRVPW"
}
conf_my_tcp()
{
	printf 'host 127.0.0.1\nport %s\nusername kit\npassword %s\ndatabase kit\n' \
	    "$MYPORT" "$SRVPW"
}
for c in pg_sock pg_tcp my_sock my_tcp; do
	"conf_$c" > "$T/$c.conf"
	chmod 600 "$T/$c.conf"
done

# ------------------------------------------------ the same answers
SCRIPT="lookup credentials bob@example.com
lookup credentials sha@example.com
lookup credentials off@example.com
lookup credentials ssha@example.com
lookup credentials nobody@example.com
lookup credentials zoë@example.com
lookup credentials zoe@example.com
lookup alias bob@example.com
lookup alias team@example.com
lookup alias multi@example.com
lookup alias @example.com
lookup alias nobody@example.com
lookup alias q'u\"o\\te%_@example.com
lookup alias q'u\"o\\te%%_@example.com
lookup alias q'u\"o\\teX_@example.com
lookup alias $LONG@example.com
lookup alias $HUGE@example.com
check domain example.com
check domain o'neil.example
check domain o%.example
check domain _xample.com
check domain example.com'--
check domain example.com' OR '1'='1
check domain example.net
lookup domain example.com
check mailaddr team@example.com
lookup mailaddrmap bob@example.com
lookup mailaddrmap nobody@example.com
=table|0.1|1.0|kit|lookup|alias|000000a4|a\\0b
?
=table|0.1|1.0|kit|lookup|alias|000000a5|\\xff\\xfe@example.com
?
=table|0.1|1.0|kit|check|domain|000000a6|\\xc3(.example
?
lookup netaddr 127.0.0.1
check credentials bob@example.com"
NLINES=$(printf '%s\n' "$SCRIPT" | grep -vc '^=')

echo "dbpath $DB" > "$CONF"
drive "$CONF" "$SCRIPT"
WANT=$OUT
printf '%s\n' "$WANT" > "$T/want"
expect_eq "SQLite answers every line" "$((NLINES + 0))" \
    "$(printf '%s\n' "$WANT" | grep -c -- '-result|')"
expect_match "SQLite: a multi-row alias is joined" \
    'found\|a@example.com, b@example.com, c@example.com' "$WANT"

# same NAME: each answer of $OUT is the SQLite one, line by line (a
# list as a set).
same()
{
	i=1
	bad=""
	while [ $i -le $((NLINES + 6)) ]; do
		w=$(printf '%s\n' "$WANT" | setwise | sed -n "${i}p")
		g=$(printf '%s\n' "$OUT" | setwise | sed -n "${i}p")
		if [ "$w" != "$g" ]; then
			req=$(printf '%s\n' "$SCRIPT" | grep -v '^?' |
			    sed -n "$((i - 6))p" |
			    cut -c 1-60)
			bad="$bad
	[$req] SQLite [$w] got [$g]"
		fi
		i=$((i + 1))
	done
	if [ -z "$bad" ]; then
		ok "$1: the SQLite answers, all $NLINES"
	else
		fail "$1: answers differ:$bad"
	fi
}

for c in pg_sock pg_tcp my_sock my_tcp; do
	drive "$T/$c.conf" "$SCRIPT"
	same "$c"
done

# smtpd 6.6 to 7.5 (Debian 12's 6.8, Ubuntu's 7.4) speak the legacy
# protocol, imsg frames after an OPEN: the same requests get the
# answers the SQLite database gives in that protocol.
LREQ=$(printf '%s\n' "$SCRIPT" | grep -v '^[=?]')
n=$(printf '%s\n' "$LREQ" | grep -c .)
echo "dbpath $DB" > "$CONF"
printf '%s\n' "$LREQ" | "$DRIVE" -t 20000 -L -- "$TABLE" -d "$CONF" \
    2>>"$LOG" | sed 1d | setwise > "$T/l.want"
expect_eq "SQLite, smtpd 6.6 to 7.5: every request answered" "$n" \
    "$(grep -c '.-result|ID|' "$T/l.want")"
for c in pg_sock my_tcp; do
	printf '%s\n' "$LREQ" | "$DRIVE" -t 20000 -L -- \
	    "$TABLE" -d "$T/$c.conf" 2>>"$LOG" | sed 1d | setwise > "$T/l.got"
	if cmp -s "$T/l.want" "$T/l.got"; then
		ok "$c, smtpd 6.6 to 7.5: the SQLite answers, all $n"
	else
		fail "$c, smtpd 6.6 to 7.5: answers differ: $(diff \
		    "$T/l.want" "$T/l.got" | head -c 2000)"
	fi
done

# ------------------------------------------------- hostile values
# Rows an admin or a web panel may hold: a value with LF (which would
# start a second answer line), CR, NUL (MariaDB and SQLite hold it,
# PostgreSQL's text cannot), quotes, backslashes and %, one of 70,000
# bytes (past the longest answer), and a list row beside a broken one:
# each server answers as SQLite does (error texts aside).
HV_Q='SELECT v FROM hv WHERE k = ?'
sqlite3 "$T/hv.sqlite" "CREATE TABLE hv (k TEXT, v TEXT);
INSERT INTO hv VALUES ('lf', 'a' || char(10) || 'lookup-result|0|found|x');
INSERT INTO hv VALUES ('cr', 'a' || char(13) || 'b');
INSERT INTO hv VALUES ('nul', CAST('a' || char(0) || 'b' AS TEXT));
INSERT INTO hv VALUES ('q', 'o''b\"%_\\@example.com');
INSERT INTO hv VALUES ('huge', printf('%.70000c', 'h'));
INSERT INTO hv VALUES ('list', 'ok@example.com');
INSERT INTO hv VALUES ('list', 'x' || char(10) || 'y')" ||
    fail "SQLite: the hostile values"
srv_pg_sql "CREATE TABLE hv (k TEXT, v TEXT);
INSERT INTO hv VALUES ('lf', 'a' || chr(10) || 'lookup-result|0|found|x');
INSERT INTO hv VALUES ('cr', 'a' || chr(13) || 'b');
INSERT INTO hv VALUES ('q', 'o''b\"%_\\@example.com');
INSERT INTO hv VALUES ('huge', repeat('h', 70000));
INSERT INTO hv VALUES ('list', 'ok@example.com');
INSERT INTO hv VALUES ('list', 'x' || chr(10) || 'y');
GRANT SELECT ON hv TO kit" >/dev/null || fail "PostgreSQL: the hostile values"
srv_my_sql "SET sql_mode = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES';
CREATE TABLE hv (k VARCHAR(16), v LONGTEXT) COLLATE utf8mb4_bin;
INSERT INTO hv VALUES ('lf', CONCAT('a', CHAR(10), 'lookup-result|0|found|x'));
INSERT INTO hv VALUES ('cr', CONCAT('a', CHAR(13), 'b'));
INSERT INTO hv VALUES ('nul', CONCAT('a', CHAR(0), 'b'));
INSERT INTO hv VALUES ('q', 'o''b\"%_\\@example.com');
INSERT INTO hv VALUES ('huge', REPEAT('h', 70000));
INSERT INTO hv VALUES ('list', 'ok@example.com');
INSERT INTO hv VALUES ('list', CONCAT('x', CHAR(10), 'y'))" ||
    fail "MariaDB: the hostile values"
HV_REQ="lookup alias lf
lookup alias cr
lookup alias q
lookup alias huge
lookup alias list
lookup alias none
alive"
printf 'dbpath %s\nquery_alias %s\n' "$T/hv.sqlite" "$HV_Q" > "$T/hv.conf"
drive "$T/hv.conf" "$HV_REQ
lookup alias nul"
HV_WANT=$(printf '%s\n' "$OUT" | sed 's/|error|.*/|error/')
expect_match "SQLite: LF, CR, NUL, a value too long and a broken list row are errors" \
    "^(lookup-result\|ID\|error ){2}lookup-result\|ID\|found\|o\\\\'b.*(lookup-result\|ID\|error ){2}lookup-result\|ID\|not-found alive lookup-result\|ID\|error\$" \
    "$(printf '%s\n' "$HV_WANT" | grep -v '^register|' | tr '\n' ' ' |
    sed 's/ $//')"
for c in pg_sock my_sock; do
	{ conf_$c; printf 'query_alias %s\n' "$HV_Q"; } > "$T/hv-$c.conf"
	chmod 600 "$T/hv-$c.conf"
	if [ "$c" = pg_sock ]; then
		drive "$T/hv-$c.conf" "$HV_REQ"
		want=$(printf '%s\n' "$HV_WANT" | sed '$d')
	else
		drive "$T/hv-$c.conf" "$HV_REQ
lookup alias nul"
		want=$HV_WANT
	fi
	expect_eq "$c: hostile values answered as SQLite answers them" \
	    "$want" "$(printf '%s\n' "$OUT" | sed 's/|error|.*/|error/')"
done

# ------------------------------------------ Debian's files as they are
# opensmtpd-table-postgres 1.1.1: conninfo and queries with $1;
# opensmtpd-table-mysql 1.2.1: host, username, password, database and
# queries with ?, each ending in ; as their manuals show.
{ conf_pg_sock; cat <<'EOC'
query_alias SELECT target FROM aliases WHERE address=$1 AND target <> '';
query_domain SELECT name FROM domains WHERE name=$1;
query_credentials SELECT login, password FROM users WHERE login=$1 AND active = 1;
query_mailaddrmap SELECT address FROM owners WHERE login=$1;
EOC
} > "$T/debian-pg.conf"
{ printf 'host localhost\nusername kit\npassword %s\ndatabase kit\nsocket %s\n' \
    "$SRVPW" "$MYSOCK"; cat <<'EOC'
query_alias SELECT target FROM aliases WHERE address=? AND target <> '';
query_domain SELECT name FROM domains WHERE name=?;
query_credentials SELECT login, password FROM users WHERE login=? AND active = 1;
query_mailaddrmap SELECT address FROM owners WHERE login=?;
EOC
} > "$T/debian-my.conf"
chmod 600 "$T/debian-pg.conf" "$T/debian-my.conf"
DSCRIPT="lookup alias team@example.com
lookup credentials sha@example.com
check domain o'neil.example
lookup mailaddrmap bob@example.com
lookup alias nobody@example.com"
for e in pg my; do
	drive "$T/debian-$e.conf" "$DSCRIPT"
	expect_eq "Debian's table-$e file: registers its four services" \
	    "register|alias register|domain register|credentials register|mailaddrmap register|ready" \
	    "$(printf '%s\n' "$OUT" | sed -n 1,4p | tr '\n' ' ')$(nth 5)"
	expect_eq "Debian's table-$e file: multi-row alias" \
	    "lookup-result|ID|found|bob@example.com, sha@example.com" "$(nth 6)"
	expect_eq "Debian's table-$e file: {SHA512-CRYPT} prefix stripped" \
	    "lookup-result|ID|found|sha@example.com:$SHA" "$(nth 7)"
	expect_eq "Debian's table-$e file: a quote in the key" \
	    "check-result|ID|found" "$(nth 8)"
	expect_match "Debian's table-$e file: mailaddrmap" \
	    "^lookup-result\|ID\|found\|.*multi@example.com" "$(nth 9)"
	expect_eq "Debian's table-$e file: not found" \
	    "lookup-result|ID|not-found" "$(nth 10)"
done

# ------------------------------- the filter's answers on each engine
# filter-submission reads the same files: the senders a login owns and
# the local domains must be judged as on SQLite, hostile ones included.
FILTER=$TOP/filter-submission/filter-submission
HS=$FILTER_HS
SID=00000000000000f1
FIN="report|0.7|1.0|smtp-in|link-connect|$SID|rdns|pass|192.0.2.9:4242|192.0.2.25:587
report|0.7|1.0|smtp-in|link-tls|$SID|TLSv1.3:TLS_AES_256_GCM_SHA384:256
report|0.7|1.0|smtp-in|link-auth|$SID|pass|bob@example.com"
i=0
for a in bob@example.com team@example.com multi@example.com \
    "q'u\"o\\te%_@example.com" "q'u\"o\\teX_@example.com" '%@example.com' \
    '_ob@example.com' "bob@example.com' OR '1'='1" x@example.org \
    "$LONG@example.com" "$HUGE@example.com" 'zoë@example.com' \
    'sha@example.com'; do
	i=$((i + 1))
	FIN="$FIN
filter|0.7|1.0|smtp-in|mail-from|$SID|$(printf '%016x' $((0xa00 + i)))|$a"
done
for d in example.com "o'neil.example" 'o%.example' '_xample.com' \
    "example.com' OR '1'='1" example.net; do
	i=$((i + 1))
	FIN="$FIN
filter|0.7|1.0|smtp-in|rcpt-to|$SID|$(printf '%016x' $((0xa00 + i)))|x@$d"
done
NF=$i
filter_answers()
{
	printf 'table %s\nmode submission\n' "$1" > "$T/fh.conf"
	printf '%s\n%s\n' "$HS" "$FIN" | "$FILTER" -d -f "$T/fh.conf" \
	    2>>"$T/fh.log" | grep '^filter-result|'
}
filter_answers "$CONF" > "$T/fwant"
expect_eq "SQLite: the filter answers every request" "$NF" \
    "$(grep -c . "$T/fwant")"
expect_match "SQLite: a sender bob does not own is refused" \
    'reject\|553 5\.7\.1' "$(cat "$T/fwant")"
for c in pg_sock my_tcp; do
	filter_answers "$T/$c.conf" > "$T/fgot"
	if cmp -s "$T/fwant" "$T/fgot"; then
		ok "$c: the filter's answers are SQLite's, all $NF"
	else
		fail "$c: the filter's answers differ:" \
		    "$(diff "$T/fwant" "$T/fgot" | head -n 10)"
	fi
done

# The filter, its server down: a lookup it needs is a 451, never an
# accept.
printf 'conninfo host=127.0.0.1 port=%s dbname=kit user=kit\nquery_timeout 1000\nconnect_timeout 2\n' \
    "$(srv_freeport)" > "$T/dead.conf"
printf 'table %s\nmode submission\n' "$T/dead.conf" > "$T/fd.conf"
OUT=$(printf '%s\n%s\n' "$HS" "$(printf '%s\n' "$FIN" | sed -n 1,4p)" |
    "$FILTER" -d -f "$T/fd.conf" 2>>"$T/fh.log" | grep '^filter-result|')
expect_eq "the filter, its server down: MAIL FROM is a temporary failure" \
    "filter-result|$SID|0000000000000a01|reject|451 4.3.0 <bob@example.com>: Temporary lookup failure" \
    "$OUT"

# ------------------------------- failed-AUTH counts shared by hosts
# filter-submission processes as hosts A, B and C on one database, with
# auth_fail_limit 2: a login failed twice the limit (4 times) from
# several networks is closed (454, rule auth-lockout) to the networks it
# was not used from, on the count of every host.  Host A sees two
# failures of bob and host B two more, from four addresses, so that
# neither host alone reaches 4: B then refuses a new network for bob
# (only the shared count says so), while bob's owner, from the network
# B saw him pass from, and another login from the new network proceed;
# host C, which saw nothing, refuses the new network as well.  The
# table refuses nothing on these counts (the owner logs in through it).
# SIGUSR1 to a filter clears the shared counts.  The filter's user
# creates the table kit_authlock.  MariaDB's default is autocommit off
# here, as a server may have it: the hosts' counts must be committed
# all the same.
srv_pg_sql "GRANT CREATE ON SCHEMA public TO kit" >/dev/null
srv_my_sql "SET GLOBAL autocommit = 0"
TOK_BOB=$(printf '\0bob@example.com\0secret' | base64_line)
TOK_SHA=$(printf '\0sha@example.com\0secret' | base64_line)
# sess ID ADDR: a session of client 192.0.2.ADDR, TLS up.
sess()
{
	printf 'report|0.7|1.0|smtp-in|link-connect|%s|rdns|pass|192.0.2.%s:4242|192.0.2.25:587\n' "$1" "$2"
	printf 'report|0.7|1.0|smtp-in|link-tls|%s|TLSv1.3:TLS_AES_256_GCM_SHA384:256\n' "$1"
}
# fails N...: a session of one failed AUTH of bob from each 192.0.2.N.
fails()
{
	for i in "$@"; do
		sid=$(printf '%016x' "$i")
		sess "$sid" "$i"
		printf 'report|0.7|1.0|smtp-in|link-auth|%s|fail|bob@example.com\n' "$sid"
		printf 'report|0.7|1.0|smtp-in|link-disconnect|%s\n' "$sid"
	done
}
# auth SID TOKEN ARG: an AUTH command the filter is asked about.
auth() { printf 'filter|0.7|1.0|smtp-in|auth|%s|%s|PLAIN %s\n' "$1" "$2" "$3"; }
# res TOKEN: the filter's answer to it, in $FOUT.
res()
{
	printf '%s\n' "$FOUT" | grep "^filter-result|[0-9a-f]*|$1|" |
	    sed 's/^filter-result|[0-9a-f]*|[0-9a-f]*|//'
}
# await PATTERN FILE: until a line of FILE matches, 30 s at most.
await()
{
	n=0
	until grep -q -- "$1" "$2"; do
		[ $n -ge 300 ] && return 1
		sleep 0.1
		n=$((n + 1))
	done
}
R454="reject|454 4.7.0 Temporary authentication failure, try again later"
for e in pg_tcp my_tcp; do
	printf 'table %s\nmode submission\nauth_fail_limit 2\nauth_fail_window 600\n' \
	    "$T/$e.conf" > "$T/f.conf"
	FOUT=$({ echo "$HS"; fails 11 12
	    sess 00000000000000a1 21; auth 00000000000000a1 00000000000000b1 "$TOK_BOB"; } |
	    "$FILTER" -d -f "$T/f.conf" 2>"$T/fa.log")
	expect_eq "$e: host A, two failures of bob: a new network proceeds" \
	    "proceed" "$(res 00000000000000b1)"
	FOUT=$({ echo "$HS"
	    sess 00000000000000c1 50
	    printf 'report|0.7|1.0|smtp-in|link-auth|00000000000000c1|pass|bob@example.com\n'
	    fails 13 14
	    sess 00000000000000a2 22
	    auth 00000000000000a2 00000000000000b2 "$TOK_BOB"
	    sess 00000000000000a3 22
	    auth 00000000000000a3 00000000000000b3 "$TOK_SHA"
	    sess 00000000000000c2 50
	    auth 00000000000000c2 00000000000000b4 "$TOK_BOB"; } |
	    "$FILTER" -d -f "$T/f.conf" 2>"$T/fb.log")
	expect_eq "$e: two more on host B: bob closed to a new network, on the shared count" \
	    "$R454" "$(res 00000000000000b2)"
	expect_eq "$e: another login from that network proceeds" \
	    "proceed" "$(res 00000000000000b3)"
	expect_eq "$e: bob's owner, from the network he passed from, proceeds" \
	    "proceed" "$(res 00000000000000b4)"
	expect_match "$e: the refusal is logged under auth-lockout" \
	    'client=192\.0\.2\.22 .*rule=auth-lockout .*result=reject reply="454 ' \
	    "$(cat "$T/fb.log")"
	FOUT=$({ echo "$HS"; sess 00000000000000a4 23
	    auth 00000000000000a4 00000000000000b5 "$TOK_BOB"; } |
	    "$FILTER" -d -f "$T/f.conf" 2>"$T/fc.log")
	expect_eq "$e: host C, which saw no failure, closes bob to a new network too" \
	    "$R454" "$(res 00000000000000b5)"
	drive "$T/$e.conf" "lookup credentials bob@example.com"
	expect_eq "$e: the table refuses nothing on the shared counts" \
	    "lookup-result|ID|found|bob@example.com:$BOB" "$(nth 7)"
	# SIGUSR1 clears the counts, in the database too; host D, which
	# gets it, runs on, its connection open: bob, open to it after the
	# clear, is closed to it when host E's failures close him again (a
	# connection that kept the snapshot of its first read would not see
	# it).  The files are emptied here: the filter's own redirections run
	# in the background once the FIFO is open, and the last engine's
	# "ready" read before them would have the signal sent before the
	# filter set its handler (SIGUSR1 then ends it, and nothing is
	# cleared).
	mkfifo "$T/fin"
	: > "$T/fc.out"
	: > "$T/fc.log"
	"$FILTER" -d -f "$T/f.conf" <"$T/fin" >>"$T/fc.out" 2>>"$T/fc.log" &
	fpid=$!
	exec 7>"$T/fin"
	echo "$HS" >&7
	# It registers once its signals are set: then SIGUSR1 is its own.
	await "register|ready" "$T/fc.out" && kill -USR1 "$fpid" &&
	    await "every lockout is lifted" "$T/fc.log"
	cp "$T/fc.log" "$T/fc-usr1.log"
	# Another host's next AUTH: the filter logs the clear once the
	# database has committed it.
	FOUT=$({ echo "$HS"; sess 00000000000000a5 24
	    auth 00000000000000a5 00000000000000b6 "$TOK_BOB"; } |
	    "$FILTER" -d -f "$T/f.conf" 2>"$T/fe.log")
	expect_eq "$e: SIGUSR1 to a filter reopens bob on every host ($T/fc-usr1.log)" \
	    "proceed" "$(res 00000000000000b6)"
	{ sess 00000000000000a7 26
	    auth 00000000000000a7 00000000000000b8 "$TOK_BOB"; } >&7
	await '|00000000000000b8|' "$T/fc.out"
	{ echo "$HS"; fails 15 16 17 18; } | "$FILTER" -d -f "$T/f.conf" \
	    >/dev/null 2>>"$T/fe.log"
	{ sess 00000000000000a8 27
	    auth 00000000000000a8 00000000000000b9 "$TOK_BOB"; } >&7
	await '|00000000000000b9|' "$T/fc.out"
	exec 7>&-
	wait "$fpid"
	rm -f "$T/fin"
	FOUT=$(cat "$T/fc.out")
	expect_eq "$e: host D, running, after SIGUSR1: bob open to it" \
	    "proceed" "$(res 00000000000000b8)"
	expect_eq "$e: host D, running, closes bob once host E's failures close him" \
	    "$R454" "$(res 00000000000000b9)"
done
srv_my_sql "SET GLOBAL autocommit = 1"

# ------------------------------------- ended failed-AUTH rows deleted
# Rows an attacker's random logins left must not pile up: 2500 rows
# whose lockout and count window ended long ago, beside live ones (a
# count within its window, a lockout of eve running), then three
# failed AUTH on a filter delete every ended row (1000 a time, at once
# again while a batch comes back full); the live rows stay, and eve's
# lockout still closes her to a new network on another host.
pg_val() { psql -X -tA -h "$PGSOCK" -p "$PGPORT" -U postgres -d kit -c "$1"; }
my_val() { mysql --no-defaults -N -B --socket="$MYSOCK" -u root kit -e "$1"; }
NOW=$(date +%s)
EVE=$(printf %s eve@example.com | sha256_hex)
TOK_EVE=$(printf '\0eve@example.com\0secret' | base64_line)
PURGE_ROWS="INSERT INTO kit_authlock (name, fails, first_fail, lock_until)
    VALUES ('live-count', 1, $NOW, 0), ('$EVE', 9, $NOW, $((NOW + 600)));"
ENDED="SELECT count(*) FROM kit_authlock WHERE name LIKE 'old-%'"
LIVE="SELECT count(*) FROM kit_authlock WHERE name IN ('live-count', '$EVE')"
pg_val "DELETE FROM kit_authlock; $PURGE_ROWS
    INSERT INTO kit_authlock SELECT 'old-' || g, 3, 1000 + g, 2000 + g
    FROM generate_series(1, 2500) g" >/dev/null
my_val "DELETE FROM kit_authlock; $PURGE_ROWS
    INSERT INTO kit_authlock SELECT CONCAT('old-', seq), 3, 1000 + seq,
    2000 + seq FROM seq_1_to_2500" >/dev/null
for e in pg_tcp my_tcp; do
	case $e in
	pg_*)	val=pg_val ;;
	*)	val=my_val ;;
	esac
	expect_eq "$e: 2500 ended rows in kit_authlock, and 2 live" "2500 2" \
	    "$($val "$ENDED") $($val "$LIVE")"
	printf 'table %s\nmode submission\nauth_fail_limit 2\nauth_fail_window 600\n' \
	    "$T/$e.conf" > "$T/f.conf"
	{ echo "$HS"; for i in 31 32 33; do
		sid=$(printf '%016x' "$i")
		sess "$sid" "$i"
		printf 'report|0.7|1.0|smtp-in|link-auth|%s|fail|mallory%s@example.com\n' "$sid" "$i"
		printf 'report|0.7|1.0|smtp-in|link-disconnect|%s\n' "$sid"
	done; } | "$FILTER" -d -f "$T/f.conf" >/dev/null 2>"$T/fp.log"
	expect_eq "$e: three failed AUTH: every ended row deleted" 0 \
	    "$($val "$ENDED")"
	expect_eq "$e: the live rows stay" 2 "$($val "$LIVE")"
	FOUT=$({ echo "$HS"; sess 00000000000000a9 41
	    auth 00000000000000a9 00000000000000ba "$TOK_EVE"; } |
	    "$FILTER" -d -f "$T/f.conf" 2>>"$T/fp.log")
	expect_eq "$e: eve's lockout still closes her to a new network" \
	    "$R454" "$(res 00000000000000ba)"
done
# The database out: each host counts on its own, and says so once.
printf 'table %s\nmode submission\nauth_fail_limit 2\nauth_fail_window 600\n' \
    "$T/dead.conf" > "$T/f.conf"
FOUT=$({ echo "$HS"; fails 11 12 13 14
    sess 00000000000000a6 25; auth 00000000000000a6 00000000000000b7 "$TOK_BOB"; } |
    "$FILTER" -d -f "$T/f.conf" 2>"$T/fd.log")
expect_eq "the database out: the host's own counts still close bob" \
    "$R454" "$(res 00000000000000b7)"
expect_eq "and the filter says so once" 1 \
    "$(grep -c "failed-AUTH counts of logins are this host's own" "$T/fd.log")"

# A read-only server (a replica): the lockouts are read but cannot be
# written; each host counts on its own, says so once, and does not
# take a read that works for the sharing back.
srv_pg_sql "ALTER ROLE kit SET default_transaction_read_only = on" >/dev/null
srv_my_sql "SET GLOBAL read_only = 1"
for e in pg_tcp my_tcp; do
	printf 'table %s\nmode submission\nauth_fail_limit 2\nauth_fail_window 600\n' \
	    "$T/$e.conf" > "$T/f.conf"
	FOUT=$({ echo "$HS"; fails 61 62 63 64
	    sess 00000000000000d1 65; auth 00000000000000d1 00000000000000e1 "$TOK_SHA"
	    sess 00000000000000d2 66; auth 00000000000000d2 00000000000000e2 "$TOK_BOB"; } |
	    "$FILTER" -d -f "$T/f.conf" 2>"$T/fr.log")
	expect_eq "$e read-only: the host's own counts still close bob" \
	    "$R454" "$(res 00000000000000e2)"
	expect_eq "$e read-only: the filter says once that the counts are its own, and not that they are shared again ($T/fr.log)" \
	    "1 0" "$(grep -c "failed-AUTH counts of logins are this host's own" "$T/fr.log") $(grep -c "shared in the database again" "$T/fr.log")"
	cp "$T/fr.log" "$T/fr-$e.log"
done
srv_pg_sql "ALTER ROLE kit RESET default_transaction_read_only" >/dev/null
srv_my_sql "SET GLOBAL read_only = 0"

# ------------------------------------------------ the password's file
for e in pg_tcp my_tcp; do
	cp "$T/$e.conf" "$T/open.conf"
	chmod 644 "$T/open.conf"
	expect_exit "$e: a password in a file others can read: refused" 1 \
	    "$TABLE" -n "$T/open.conf"
	expect_match "$e: and the message says so" \
	    "holds a database password and is readable by others" "$ERR"
	chmod 640 "$T/open.conf"
	"$TABLE" -n "$T/open.conf" >/dev/null 2>"$T/err"
	expect_nomatch "$e: mode 0640: not refused for it" \
	    "readable by others" "$(cat "$T/err")"
done
printf 'conninfo host=%s port=%s dbname=kit user=kit password=wrong\n' \
    "$PGSOCK" "$PGPORT" > "$T/badpw.conf"
chmod 600 "$T/badpw.conf"
drive "$T/badpw.conf" "check domain example.com
alive"
expect_match "PostgreSQL, a wrong password: a temporary error" \
    '^check-result\|ID\|error\|.*password authentication failed' "$(nth 7)"
expect_eq "PostgreSQL, a wrong password: the table runs on" "alive" "$(nth 8)"
printf 'socket %s\nusername kit\npassword wrong\ndatabase kit\n' "$MYSOCK" \
    > "$T/badpw.conf"
drive "$T/badpw.conf" "check domain example.com
alive"
expect_match "MariaDB, a wrong password: a temporary error" \
    '^check-result\|ID\|error\|.*Access denied' "$(nth 7)"
expect_eq "MariaDB, a wrong password: the table runs on" "alive" "$(nth 8)"

# ---------------------------------------- a server that fails in use
# ms: the clock in milliseconds, into $T/$1.
STAMP='date +%s%3N >'
# poll: 30 lookups half a second apart, one of which must be found
# (the back-off is 8 s at most).
POLL=""
for i in $(seq 1 30); do
	POLL="$POLL
check domain example.com
!sleep 0.5"
done
srv_cmd pg-stop "srv_pg_stop"
srv_cmd pg-start "srv_pg_start"
srv_cmd my-stop "srv_my_stop"
srv_cmd my-start "srv_my_start"
srv_cmd pg-freeze 'kill -STOP $(srv_pg_pids)'
srv_cmd pg-thaw 'kill -CONT $(srv_pg_pids)'
srv_cmd my-freeze 'kill -STOP $(srv_my_pids)'
srv_cmd my-thaw 'kill -CONT $(srv_my_pids)'

# timed BREAK N MEND: a script: a lookup; the server broken by $T/BREAK;
# N lookups, the clock in $T/t1 before the first and in $T/tK after
# each; "alive"; the server mended by $T/MEND.
timed()
{
	printf 'check domain example.com\n!sh %s\n!%s %s\n' "$T/$1" "$STAMP" \
	    "$T/t1"
	k=1
	while [ $k -le "$2" ]; do
		k=$((k + 1))
		printf 'check domain example.com\n!%s %s\n' "$STAMP" "$T/t$k"
	done
	printf 'alive\n!sh %s\n' "$T/$3"
}

# outage ENGINE CONF: the server stops, then comes back; then hangs,
# then comes back.  Each lookup in between answers error within the
# limits (query_timeout 1000 ms, connect_timeout 2 s: libpq's least),
# the table never exits, answers again by itself, and logs one warning
# for each outage and one line for its end.
outage()
{
	e=$1
	{ cat "$2"; printf 'query_timeout 1000\nconnect_timeout 2\n'; } \
	    > "$T/out.conf"
	chmod 600 "$T/out.conf"
	: > "$LOG"
	drive "$T/out.conf" "$(timed "$e-stop" 2 "$e-start")"
	expect_eq "$e: found while the server runs" "check-result|ID|found" \
	    "$(nth 7)"
	expect_match "$e stopped: the lookup in flight fails, temporary" \
	    '^check-result\|ID\|error\|' "$(nth 8)"
	expect_match "$e stopped: the next one too" '^check-result\|ID\|error\|' \
	    "$(nth 9)"
	expect_eq "$e stopped: the table runs on" "alive" "$(nth 10)"
	d=$(( $(cat "$T/t3") - $(cat "$T/t1") ))
	if [ "$d" -lt 3000 ]; then
		ok "$e stopped: two lookups answered in $d ms"
	else
		fail "$e stopped: two lookups took $d ms"
	fi

	# Frozen: connected, then the server stops answering.
	drive "$T/out.conf" "$(timed "$e-freeze" 3 "$e-thaw")
$POLL"
	expect_eq "$e: found, connected" "check-result|ID|found" "$(nth 7)"
	expect_match "$e frozen: the query times out, temporary error" \
	    '^check-result\|ID\|error\|' "$(nth 8)"
	expect_match "$e frozen: connecting again times out, error" \
	    '^check-result\|ID\|error\|' "$(nth 9)"
	expect_match "$e frozen: then back-off, error at once" \
	    '^check-result\|ID\|error\|' "$(nth 10)"
	expect_eq "$e frozen: the table runs on" "alive" "$(nth 11)"
	q=$(( $(cat "$T/t2") - $(cat "$T/t1") ))
	c=$(( $(cat "$T/t3") - $(cat "$T/t2") ))
	b=$(( $(cat "$T/t4") - $(cat "$T/t3") ))
	if [ "$q" -ge 900 ] && [ "$q" -le 2500 ]; then
		ok "$e frozen: the query answered error in $q ms (limit 1000)"
	else
		fail "$e frozen: the query answered error in $q ms (limit 1000)"
	fi
	if [ "$c" -le 3500 ]; then
		ok "$e frozen: the connection answered error in $c ms (limit 2 s)"
	else
		fail "$e frozen: the connection answered error in $c ms (limit 2 s)"
	fi
	if [ "$b" -le 200 ]; then
		ok "$e frozen: during back-off, error in $b ms"
	else
		fail "$e frozen: during back-off, error in $b ms"
	fi
	expect_match "$e thawed: found again, with no restart" \
	    '^check-result\|ID\|found$' "$(printf '%s\n' "$OUT" | sed -n '12,$p')"
	n=$(grep -c 'lookups fail with a temporary error' "$LOG")
	expect_eq "$e: one warning per outage (two outages)" 2 "$n"
	expect_match "$e: the end of the outage is logged" \
	    'server answers again, after' "$(cat "$LOG")"
}
outage pg "$T/pg_tcp.conf"
outage my "$T/my_tcp.conf"
# Connecting again after the sandbox is in place: over Unix sockets too.
outage pg "$T/pg_sock.conf"
outage my "$T/my_sock.conf"

# ------------------------------------------ errors that need a new connection
# lookups ENGINE N: N lookups of SCRIPT_KEY, the clock before and after
# each in $T/lN (and a tabledrive script out of it).
lookups()
{
	printf '!%s %s\n' "$STAMP" "$T/l0"
	k=0
	while [ $k -lt "$2" ]; do
		k=$((k + 1))
		printf '%s\n!%s %s\n' "$1" "$STAMP" "$T/l$k"
	done
}
# A table whose type changes under the prepared query (ALTER TABLE, as
# a PostfixAdmin upgrade does): PostgreSQL then fails the statement
# ("cached plan must not change result type") on every execution.  The
# lookups in between fail, temporarily, never a wrong answer; the table
# prepares again on a new connection and answers as before, with no
# restart.
srv_cmd pg-alter 'srv_pg_sql "ALTER TABLE aliases ALTER COLUMN target TYPE VARCHAR(300)"'
srv_cmd my-alter 'srv_my_sql "ALTER TABLE aliases MODIFY target VARCHAR(300) NOT NULL"'
ALIAS_BOB="lookup-result|ID|found|bob@example.com, sha@example.com"
for e in pg my; do
	{ cat "$T/${e}_tcp.conf"; printf 'query_timeout 1000\nconnect_timeout 2\n'; } \
	    > "$T/alt.conf"
	chmod 600 "$T/alt.conf"
	: > "$LOG"
	drive "$T/alt.conf" "lookup alias team@example.com
!sh $T/$e-alter
$(printf 'lookup alias team@example.com\n!sleep 0.2\n%.0s' $(seq 1 20))"
	expect_eq "$e: found before the ALTER TABLE" "$ALIAS_BOB" \
	    "$(printf '%s\n' "$OUT" | setwise | sed -n 7p)"
	after=$(printf '%s\n' "$OUT" | setwise | sed -n '8,$p')
	expect_eq "$e: after it, every lookup answered" 20 \
	    "$(printf '%s\n' "$after" | grep -c '^lookup-result|')"
	expect_eq "$e: after it, an error or the right answer, no other" "" \
	    "$(printf '%s\n' "$after" | grep -v -F -x "$ALIAS_BOB" |
	    grep -v '^lookup-result|ID|error|')"
	expect_eq "$e: found again with no restart" "$ALIAS_BOB" \
	    "$(printf '%s\n' "$after" | tail -n 1)"
done

# A server too slow for a query (the statement runs past query_timeout:
# PostgreSQL's statement_timeout, MariaDB's max_statement_time, or our
# deadline): each lookup is answered error within the limit; the outage
# is logged once over all of them, not once per request, with back-off
# between the tries; and a lookup the server is quick for is found
# again when the back-off lets it through.
printf 'query_domain SELECT name FROM domains WHERE name = $1 AND (SELECT count(*) FROM (SELECT pg_sleep(CASE WHEN name = %s THEN 3 ELSE 0 END)) s) = 1\n' \
    "'slow.example'" > "$T/slow-pg.q"
srv_pg_sql "INSERT INTO domains VALUES ('slow.example')" >/dev/null
srv_my_sql "INSERT INTO domains VALUES ('slow.example')"
printf 'query_domain SELECT name FROM domains WHERE name = ? AND SLEEP(IF(name = %s, 3, 0)) = 0\n' \
    "'slow.example'" > "$T/slow-my.q"
NSLOW=8
for e in pg my; do
	{ cat "$T/${e}_tcp.conf" "$T/slow-$e.q"
	    printf 'query_timeout 1000\nconnect_timeout 2\n'; } > "$T/slow.conf"
	chmod 600 "$T/slow.conf"
	: > "$LOG"
	drive "$T/slow.conf" "check domain example.com
$(lookups 'check domain slow.example' $NSLOW | sed 's/^\(!date.*\)$/\1\
!sleep 0.3/')
$POLL"
	# Its answers (one service: no other registers).
	ans=$(printf '%s\n' "$OUT" | grep '^check-result|')
	expect_eq "$e: found before, the server quick" "check-result|ID|found" \
	    "$(printf '%s\n' "$ans" | sed -n 1p)"
	expect_eq "$e: $NSLOW slow lookups, each answered error" "$NSLOW" \
	    "$(printf '%s\n' "$ans" | sed -n "2,$((1 + NSLOW))p" |
	    grep -c '^check-result|ID|error|')"
	worst=0
	k=1
	while [ $k -le $NSLOW ]; do
		d=$(( $(cat "$T/l$k") - $(cat "$T/l$((k - 1))") ))
		[ "$d" -gt "$worst" ] && worst=$d
		k=$((k + 1))
	done
	# Less the 0.3 s between lookups, which the timestamps include.
	worst=$((worst - 300))
	if [ "$worst" -le 2500 ]; then
		ok "$e: the slowest answered in $worst ms (query_timeout 1000)"
	else
		fail "$e: the slowest answered in $worst ms (query_timeout 1000)"
	fi
	expect_eq "$e: logged once over $NSLOW slow lookups ($LOG)" 1 \
	    "$(grep -v 'answers again, after' "$LOG" | grep -c .)"
	expect_match "$e: then found again, with no restart" \
	    '^check-result\|ID\|found$' \
	    "$(printf '%s\n' "$ans" | sed -n "$((2 + NSLOW)),\$p")"
	expect_match "$e: and the end of the outage logged" \
	    'server answers again, after' "$(cat "$LOG")"
	cp "$LOG" "$T/slow-$e.log"
done
srv_pg_sql "DELETE FROM domains WHERE name = 'slow.example'" >/dev/null
srv_my_sql "DELETE FROM domains WHERE name = 'slow.example'"

srv_pg_stop
srv_my_stop
test_done "$T"
