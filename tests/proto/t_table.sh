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
# Protocol tests of table-sqlite: drive the binary through a socket as
# smtpd 7.6 does (tests/tools/tabledrive) and check every answer.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"

T=$(mktemp -d /tmp/t_table.XXXXXX)
. "$TOP/tests/proto/table_fixture.sh"

# drive SCRIPT: run the script against a fresh table; output in $OUT
drive()
{
	OUT=$(printf '%s\n' "$1" | "$DRIVE" -V "${SMTPD_VERSION:-7.6.0}" -- \
	    "$TABLE" -d "$CONF" 2>>"$LOG")
}

fixture_db
echo "dbpath $DB" > "$CONF"

# --- handshake and registration
drive ""
expect_eq "default schema registers its services" \
    "register|alias register|domain register|credentials register|mailaddr register|mailaddrmap register|ready" \
    "$(echo $OUT)"

printf 'dbpath %s\nquery_domain SELECT name FROM domains WHERE name = ?\n' \
    "$DB" > "$CONF"
drive ""
expect_eq "a 1.0 configuration registers only its queries" \
    "register|domain register|ready" "$(echo $OUT)"

printf 'dbpath %s\nauth_offload yes\n' "$DB" > "$CONF"
drive ""
expect_match "auth_offload registers auth" "register\|auth" "$OUT"

# --- every service of the default schema
echo "dbpath $DB" > "$CONF"
drive "$FIXTURE_CREDS
lookup credentials nobody@example.com
$FIXTURE_ALIASES
lookup mailaddrmap bob@example.com
lookup netaddr 127.0.0.1
check credentials bob@example.com"
expect_creds 7
expect_eq "credentials: unknown user" "lookup-result|ID|not-found" "$(nth 11)"
expect_aliases 12
expect_eq "alias: unknown" "lookup-result|ID|not-found" "$(nth 15)"
expect_eq "domain: check found" "check-result|ID|found" "$(nth 16)"
expect_eq "domain: check not found" "check-result|ID|not-found" "$(nth 17)"
expect_eq "domain: lookup" "lookup-result|ID|found|example.com" "$(nth 18)"
expect_eq "mailaddr: alias address" "check-result|ID|found" "$(nth 19)"
expect_eq "mailaddrmap: what bob owns" \
    "lookup-result|ID|found|@example.org, bob@example.com, team@example.com" \
    "$(nth 20)"
expect_eq "unconfigured service: error" \
    "lookup-result|ID|error|service netaddr is not configured" "$(nth 21)"
expect_eq "check on credentials" "check-result|ID|found" "$(nth 22)"

# --- the services the default schema leaves to custom queries
fixture_services
drive "lookup netaddr 192.168.0.0/16
lookup userinfo vmail
lookup addrname 192.0.2.1
check source 192.0.2.2
fetch source
fetch source
fetch source
lookup mailaddr bob@example.com"
expect_eq "netaddr" "lookup-result|ID|found|192.168.0.0/16" "$(nth 7)"
expect_eq "userinfo uid:gid:home" "lookup-result|ID|found|2000:2000:/var/vmail" \
    "$(nth 8)"
expect_eq "addrname" "lookup-result|ID|found|mx1.example.com" "$(nth 9)"
expect_eq "source check" "check-result|ID|found" "$(nth 10)"
expect_eq "fetch source cycles (1)" "fetch-result|ID|found|192.0.2.1" "$(nth 11)"
expect_eq "fetch source cycles (2)" "fetch-result|ID|found|192.0.2.2" "$(nth 12)"
expect_eq "fetch source cycles (3)" "fetch-result|ID|found|192.0.2.1" "$(nth 13)"
expect_eq "mailaddr" "lookup-result|ID|found|bob@example.com" "$(nth 14)"

# --- auth offload
printf 'dbpath %s\nauth_offload yes\n' "$DB" > "$CONF"
: > "$LOG"
drive "check auth bob@example.com:Secret1
check auth bob@example.com:secret1
check auth sha@example.com:Secret2
check auth ssha@example.com:Secret3
check auth plain@example.com:Secret4
check auth off@example.com:Secret1
check auth nobody@example.com:x
check auth bob@example.com:Secret1:with:colons
check auth nocolon"
expect_eq "auth: bcrypt ok" "check-result|ID|found" "$(nth 8)"
expect_eq "auth: wrong case refused" "check-result|ID|not-found" "$(nth 9)"
expect_eq "auth: {SHA512-CRYPT} ok" "check-result|ID|found" "$(nth 10)"
expect_eq "auth: {SSHA512} ok" "check-result|ID|found" "$(nth 11)"
expect_eq "auth: {PLAIN} ok" "check-result|ID|found" "$(nth 12)"
expect_eq "auth: inactive refused" "check-result|ID|not-found" "$(nth 13)"
expect_eq "auth: unknown user refused" "check-result|ID|not-found" "$(nth 14)"
expect_eq "auth: password with colons is the rest" "check-result|ID|not-found" \
    "$(nth 15)"
expect_eq "auth: key without colon refused" "check-result|ID|not-found" \
    "$(nth 16)"
expect_nomatch "auth: no password in the log" "Secret|secret1" "$(cat "$LOG")"

# --- a login locked out by filter-submission: a file named by the
# SHA-256 of the login in auth_lock_dir (beside the database), its
# mtime the end of the lockout
LOCKS=$(dirname "$DB")/authlock
mkdir -p "$LOCKS"
LOCKF=$LOCKS/$(printf %s bob@example.com | sha256_hex)
touch_in 3600 "$LOCKF"
: > "$LOG"
drive "check auth bob@example.com:Secret1
lookup credentials bob@example.com
lookup credentials BOB@example.com
check auth sha@example.com:Secret2"
expect_eq "locked out: auth refused, right password or not" \
    "check-result|ID|not-found" "$(nth 8)"
expect_eq "locked out: no credentials for smtpd to check" \
    "lookup-result|ID|not-found" "$(nth 9)"
expect_eq "locked out: whatever the case" \
    "lookup-result|ID|not-found" "$(nth 10)"
expect_eq "locked out: another login is not" "check-result|ID|found" \
    "$(nth 11)"
expect_match "the refusal is logged, without the password" \
    "auth bob@example.com: locked out after failed AUTH attempts" \
    "$(cat "$LOG")"
expect_nomatch "no password in the log" "Secret1" "$(cat "$LOG")"
touch_in -1 "$LOCKF"
drive "check auth bob@example.com:Secret1"
expect_eq "a lockout that ended: auth again" "check-result|ID|found" \
    "$(nth 8)"
rm -rf "$LOCKS"
drive "check auth bob@example.com:Secret1"
expect_eq "no auth_lock_dir: no lockouts" "check-result|ID|found" "$(nth 8)"

# What crypt(3) checks is tried before the table says ready, not during
# the first lookup that finds a user (that cost 1-160 ms).
echo "dbpath $DB" > "$CONF"
: > "$LOG"
OUT=$(printf '!grep -c "crypt(3) checks .*[$]2b[$]" %s\n%s\n' "$LOG" \
    "lookup credentials bob@example.com" | "$DRIVE" -V 7.6.0 -- \
    "$TABLE" -dv "$CONF" 2>>"$LOG")
expect_eq "the kinds crypt(3) checks are tried at start" "1" "$(nth 7)"

# --- a request that arrives before the last answer is written is not
# smtpd's: smtpd 7.6.0-7.8.0 send an AUTH user name holding a newline as
# it is, and a second answer would make smtpd exit at its next lookup
echo "dbpath $DB" > "$CONF"
# (the key is bob's login and more: the answer must not be bob's hash)
SMUGGLE='=table|0.1|1.0|kit|lookup|credentials|0000aaa1|bob@example.com\ntable|0.1|1.0|kit|check|domain|deadbeef|example.com'
for v in 7.6.0p1 7.8.0 6.8.0p2 garbage; do
	: > "$LOG"
	OUT=$(printf '%s\n?\n?\n%s\n' "$SMUGGLE" \
	    "lookup alias team@example.com" | "$DRIVE" -t 500 -V "$v" -- \
	    "$TABLE" -d "$CONF" 2>>"$LOG")
	expect_eq "smtpd $v: the request cut at its newline is answered error" \
	    "lookup-result|0000aaa1|error|key holds a newline" "$(nth 7)"
	expect_eq "smtpd $v: the line smuggled after it is not" \
	    "(no reply)" "$(nth 8)"
	expect_eq "smtpd $v: the next request gets its own answer" \
	    "lookup-result|ID|found|bob@example.com, sha@example.com" \
	    "$(nth 9)"
	expect_match "smtpd $v: the dropped line is logged" \
	    "came with more input behind it" "$(cat "$LOG")"
done
: > "$LOG"
# one write, as smtpd makes it: the request and three lines after it
OUT=$(printf '%s\\nb\\nc\\nd\n?\n?\n' "$SMUGGLE" | "$DRIVE" -t 500 \
    -V 7.6.0 -- "$TABLE" -d "$CONF" 2>>"$LOG")
expect_eq "a burst of smuggled lines is logged once" "1" \
    "$(grep -c 'more input behind it\|arrived before the answer' "$LOG")"
for v in 7.8.0p1 7.9.0 8.0.0; do
	OUT=$(printf '%s\n?\n?\n' "$SMUGGLE" | "$DRIVE" -t 500 -V "$v" -- \
	    "$TABLE" -d "$CONF" 2>>"$LOG")
	expect_match "smtpd $v (refuses such keys): pipelined lines answered" \
	    "^lookup-result\\|0000aaa1\\|found\\|bob@example.com:.* check-result\\|deadbeef\\|found$" \
	    "$(nth 7) $(nth 8)"
done

# --- pipelining (smtpd 7.8.0p1 and later): answers in order
SMTPD_VERSION=7.8.0p1
fixture_pipeline 500 '=table|0.1|1.0|kit|lookup|alias|%08x|team@example.com' \
    '?' > "$T/pipe.in"
sed -n 's/^=table|.*|\([0-9a-f]*\)|team@example.com$/lookup-result|\1|found|bob@example.com, sha@example.com/p' \
    "$T/pipe.in" > "$T/pipe.want"
drive "$(cat "$T/pipe.in")"
printf '%s\n' "$OUT" | sed -n '7,$p' > "$T/pipe.got"
if cmp -s "$T/pipe.want" "$T/pipe.got"; then
	ok "500 pipelined requests answered in order"
else
	fail "500 pipelined requests answered in order"
fi

# --- hostile input: every bad line is logged, answered when it has an id
BIG=$(head -c 100000 /dev/zero | tr '\0' 'a')
FLOOD=$(head -c 300000 /dev/zero | tr '\0' 'b')
: > "$LOG"
drive "=garbage
=table|0.1|1.0|kit|lookup|bogus|000000a1|x
?
=table|0.9|1.0|kit|lookup|alias|000000a2|x
?
=table|0.1|1.0|kit|frobnicate|alias|000000a3|x
?
=table|0.1|1.0|kit|lookup|alias|000000a4|a\0b
?
=table|0.1|1.0|kit|lookup|alias|000000a5|$BIG
?
=$FLOOD\c
=$FLOOD\c
=
=table|0.1|1.0|kit|lookup|alias|000000a6|a\rb
?
=\xff\xfe\x00\x01binary
=table|0.1|1.0|kit|lookup|alias|000000a7
?
=table|0.1|1.0|kit|update|000000a8|extra
?
=config|ready
=register|alias
lookup alias team@example.com
alive"
expect_eq "unknown service: error" \
    "lookup-result|000000a1|error|unknown service" "$(nth 7)"
expect_eq "bad protocol version: error" \
    "lookup-result|000000a2|error|unsupported protocol version" "$(nth 8)"
expect_eq "unknown operation: error" \
    "frobnicate-result|000000a3|error|unknown operation" "$(nth 9)"
expect_eq "NUL byte: error" \
    "lookup-result|000000a4|error|NUL byte in request" "$(nth 10)"
expect_eq "100 KB line: error" \
    "lookup-result|000000a5|error|request line too long" "$(nth 11)"
expect_eq "CR in key: error" "lookup-result|000000a6|error|CR in key" \
    "$(nth 12)"
expect_eq "missing key: error" "lookup-result|000000a7|error|missing key" \
    "$(nth 13)"
expect_eq "update with trailing field: error" \
    "update-result|000000a8|error|trailing fields after update id" "$(nth 14)"
expect_eq "still answering after all of it" \
    "lookup-result|ID|found|bob@example.com, sha@example.com" "$(nth 15)"
expect_eq "still running after all of it" "alive" "$(nth 16)"
expect_match "bad lines are logged" "bad request .*not a table request" \
    "$(cat "$LOG")"

# --- update: good, broken, and the database coming and going
: > "$LOG"
cp "$CONF" "$T/good.conf"
drive "check domain example.com
!echo 'dbpath $DB' > $CONF; echo 'query_domain SELECT name FROM domains WHERE name = ?' >> $CONF
update
check domain example.com
$(fixture_reloads)
!cp $DB $DB.new; sqlite3 $DB.new \"INSERT INTO domains VALUES ('example.net')\"; mv $DB.new $DB; sleep 1.1
check domain example.net
!(echo '.timeout 2000'; echo 'BEGIN EXCLUSIVE;'; echo 'DELETE FROM domains;'; sleep 2; echo 'ROLLBACK;') | sqlite3 $DB & sleep 0.5
check domain example.com
!sleep 2
check domain example.com
!cp $DB $T/saved.db; head -c 8192 /dev/urandom > $DB.bad; mv $DB.bad $DB; sleep 1.1
check domain example.com
!cp $T/saved.db $DB.good; mv $DB.good $DB; sleep 1.1
check domain example.com
alive"
expect_eq "before update" "check-result|ID|found" "$(nth 7)"
expect_eq "update with a good configuration" "update-result|ID|ok" "$(nth 8)"
expect_eq "serving the new configuration" "check-result|ID|found" "$(nth 9)"
expect_match "update with a broken file: error with the reason" \
    "^update-result\|ID\|error\|.*unknown key bogus" "$(nth 10)"
expect_eq "the old configuration still serves" "check-result|ID|found" \
    "$(nth 11)"
expect_match "update with a bad query: error with the reason" \
    "^update-result\|ID\|error\|.*no such column: nope" "$(nth 12)"
expect_eq "the old configuration still serves (2)" "check-result|ID|found" \
    "$(nth 13)"
expect_match "database removed: error" "^check-result\|ID\|error\|.*gone" \
    "$(nth 14)"
expect_eq "database back: found again" "check-result|ID|found" "$(nth 15)"
expect_eq "database replaced: the new file is read" "check-result|ID|found" \
    "$(nth 16)"
expect_match "database locked: error" "^check-result\|ID\|error\|.*locked" \
    "$(nth 17)"
expect_eq "lock released: found again" "check-result|ID|found" "$(nth 18)"
expect_match "database corrupt: error" "^check-result\|ID\|error" "$(nth 19)"
expect_eq "database repaired: found again" "check-result|ID|found" "$(nth 20)"
expect_eq "alive after database trouble" "alive" "$(nth 21)"

# --- end of input with answers still queued: all are written first
sqlite3 "$DB" "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1
    FROM s WHERE i < 60) INSERT INTO aliases
    SELECT 'big@example.com', 'someone' || i || '@example.org' FROM s;"
echo "dbpath $DB" > "$CONF"
drive "burst 800 lookup alias big@example.com"
expect_eq "EOF with 800 kB of answers queued, slow reader: all answered" \
    "burst: 800 of 800 answered" "$(nth 7)"
SMTPD_VERSION=

# --- the database file overwritten in place while lookups run (with
# mmap, reading a page past the new end of the file was SIGBUS)
sqlite3 "$T/big.sqlite" < "$TOP/lib/schema.sql"
sqlite3 "$T/big.sqlite" "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL
    SELECT i + 1 FROM s WHERE i < 20000) INSERT INTO domains
    SELECT 'd' || i || '.example' FROM s;"
cp "$T/big.sqlite" "$T/small.sqlite"
sqlite3 "$T/small.sqlite" "DELETE FROM domains; VACUUM;"
cp "$T/big.sqlite" "$T/live.sqlite"
echo "dbpath $T/live.sqlite" > "$T/live.conf"
{
	echo "!(sleep 0.3; cp $T/small.sqlite $T/live.sqlite) &"
	awk 'BEGIN { for (i = 0; i < 30000; i++)
	    printf "check domain d%d.example\n", (i * 7919) % 20000 + 1 }'
	echo alive
} > "$T/live.script"
"$DRIVE" -- "$TABLE" -d "$T/live.conf" < "$T/live.script" \
    > "$T/live.out" 2>>"$LOG"
expect_eq "database overwritten in place during 30,000 lookups: all answered" \
    30000 "$(grep -c '^check-result|ID|' "$T/live.out")"
expect_eq "and the table is still alive" alive "$(tail -n 1 "$T/live.out")"

# --- values the line protocol cannot carry
sqlite3 "$DB" "CREATE TABLE odd (k TEXT, v TEXT);
INSERT INTO odd VALUES ('lf', 'a' || char(10) || 'lookup-result|x|found|y');
INSERT INTO odd VALUES ('null', NULL);"
printf 'dbpath %s\nquery_alias SELECT v FROM odd WHERE k = ?\n' "$DB" > "$CONF"
: > "$LOG"
drive "lookup alias lf
lookup alias null
alive"
expect_match "LF in a value: error, no extra line" \
    "^lookup-result\|ID\|error\|alias lf: row 1 column 1 holds" "$(nth 3)"
expect_match "NULL value: error" \
    "^lookup-result\|ID\|error\|alias null: row 1 column 1 is NULL" \
    "$(nth 4)"
expect_eq "alive after bad values" "alive" "$(nth 5)"
expect_match "bad row logged" "fix that row" "$(cat "$LOG")"

# --- a configuration that cannot be read at all stops it at start
printf 'nonsense\n' > "$T/bad.conf"
"$TABLE" -d "$T/bad.conf" </dev/null >/dev/null 2>"$T/start.err"
rc=$?
expect_eq "broken configuration at start: exit 1" "1" "$rc"
expect_match "and says why" "bad.conf:1: nonsense: missing value" \
    "$(cat "$T/start.err")"
# (this host has no vmail: the virtual user is one it has)
printf 'virtual_user nobody\n' >> "$T/good.conf"
"$TABLE" -n "$T/good.conf" 2>"$T/n.out"
expect_eq "-n on a good configuration: exit 0" "0" "$?"
printf 'dbpath %s\nvirtual_user no-such-kit-user\n' "$DB" > "$T/vu.conf"
"$TABLE" -n "$T/vu.conf" 2>"$T/n.out"
expect_eq "-n with a virtual_user this system lacks: exit 1" "1" "$?"
expect_match "and says what smtpd would do" \
    "virtual_user no-such-kit-user does not exist on this system: smtpd would refuse every local recipient" \
    "$(cat "$T/n.out")"

# --- no time limit of 0 for a server: libpq and the connector wait
# forever then (nothing listens on the socket: the check is made first)
for k in "query_timeout 0" "connect_timeout 0"; do
	for e in "conninfo host=$T/nosock dbname=x" "socket $T/nosock"; do
		printf '%s\n%s\n' "$e" "$k" > "$T/t0.conf"
		"$TABLE" -n "$T/t0.conf" 2>"$T/n.out"
		expect_match "${e%% *} with $k: refused" \
		    "${k% 0} 0 would let a request wait for the server without end: give 1 or more" \
		    "$(cat "$T/n.out")"
	done
done
printf 'conninfo host=%s dbname=x\n' "$T/nosock" > "$T/t0.conf"
if "$TABLE" -n "$T/t0.conf" 2>&1 | grep -q "has no PostgreSQL backend"; then
	echo "skip - no libpq in this build: conninfo's connect_timeout"
else
	for v in 0 -1 61 x; do
		printf 'conninfo host=%s dbname=x connect_timeout=%s\n' \
		    "$T/nosock" "$v" > "$T/t0.conf"
		"$TABLE" -n "$T/t0.conf" 2>"$T/n.out"
		expect_match "conninfo connect_timeout=$v: refused" \
		    "conninfo: connect_timeout=$v is .*: give 1 to 60 seconds" \
		    "$(cat "$T/n.out")"
	done
	printf 'conninfo postgresql:///x?host=%s&connect_timeout=0\n' \
	    "$T/nosock" > "$T/t0.conf"
	"$TABLE" -n "$T/t0.conf" 2>"$T/n.out"
	expect_match "a URI's connect_timeout=0: refused" \
	    "conninfo: connect_timeout=0 is too small" "$(cat "$T/n.out")"
fi

test_done "$T"
