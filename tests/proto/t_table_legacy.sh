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
# Protocol tests of table-sqlite in the legacy protocol of smtpd 6.6 to
# 7.5: tests/tools/tabledrive -L plays such an smtpd (imsg frames on the
# table's stdin) and judges every reply as smtpd would take it.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"

T=$(mktemp -d /tmp/t_table_legacy.XXXXXX)
FUZZ_N=${FUZZ_N:-20000}
. "$TOP/tests/proto/table_fixture.sh"

# ldrive SCRIPT [FLAGS]: run SCRIPT against a fresh table as smtpd 6.6
# to 7.5 speak to it; output in $OUT, line 1 the reply to OPEN
ldrive()
{
	OUT=$(printf '%s\n' "$1" | "$DRIVE" $2 -L -- "$TABLE" -d "$CONF" \
	    2>>"$LOG")
}

# same NAME REQUESTS: the requests get the same answers from the text
# protocol and from the legacy one (error texts aside: the legacy
# protocol has none)
same()
{
	text=$(printf '%s\n' "$2" | "$DRIVE" -- "$TABLE" -d "$CONF" \
	    2>>"$LOG" | grep -v '^register|' | sed 's/|error|.*/|error/')
	ldrive "$2"
	legacy=$(printf '%s\n' "$OUT" | sed 1d)
	n=$(printf '%s\n' "$2" | grep -c .)
	if [ "$text" = "$legacy" ] &&
	    [ "$(printf '%s\n' "$legacy" | grep -c '.-result|ID|')" = "$n" ]
	then
		ok "$1: $n answers alike"
	else
		fail "$1: the protocols answer otherwise"
		printf '%s\n' "$2" > "$T/same.req"
		printf '%s\n' "$text" > "$T/same.text"
		printf '%s\n' "$legacy" > "$T/same.legacy"
		paste -d '\n' "$T/same.req" "$T/same.text" "$T/same.legacy" |
		    sed 's/^/	/'
	fi
}

fixture_db

# --- the OPEN, and the channel
ldrive "stdout"
expect_eq "OPEN answered with the bare OK smtpd expects" \
    "open-result|ID|ok" "$(nth 1)"
expect_eq "nothing written on stdout, which is not the channel" \
    "stdout: 0 bytes" "$(nth 2)"

# An OPEN whose first byte comes alone: the protocol is told from it.
NULS=$(awk 'BEGIN { for (i = 0; i < 2045; i++) printf "\\0" }')
ldrive "=\\x02
!sleep 0.3
=\\x00\\x00\\x00\\x14\\x08\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x00\\x00kit$NULS
reply open
lookup alias team@example.com" -N
expect_eq "an OPEN whose first byte comes alone is answered" \
    "open-result|ID|ok lookup-result|ID|found|bob@example.com, sha@example.com" \
    "$(nth 1) $(nth 2)"

# smtpd 6.6 to 7.5 always begin with OPEN: other binary input is read as
# the text protocol, which waits for a line.
ldrive "lookup domain example.com
alive" -N
expect_eq "binary input that does not begin with OPEN: no reply" \
    "(no reply) alive" "$(nth 1) $(nth 2)"

# --- the same answers as smtpd 7.6 gets, from the same database
REQS="$FIXTURE_CREDS
lookup credentials plain@example.com
lookup credentials nobody@example.com
check credentials bob@example.com
$FIXTURE_ALIASES
check mailaddr nobody@example.net
lookup mailaddrmap bob@example.com
lookup mailaddrmap sha@example.com
lookup mailaddrmap nobody@example.com
lookup netaddr 127.0.0.1
lookup userinfo vmail
fetch source"
same "default schema" "$REQS"
ldrive "$REQS"
expect_creds 2
expect_aliases 9
expect_eq "domain: check found" "check-result|ID|found" "$(nth 13)"
expect_eq "mailaddrmap: what bob owns (senders)" \
    "lookup-result|ID|found|@example.org, bob@example.com, team@example.com" \
    "$(nth 18)"
expect_eq "unconfigured service: error" "lookup-result|ID|error" "$(nth 21)"

: > "$LOG"
ldrive "lookup netaddr 10.0.0.1
lookup netaddr 10.0.0.2
lookup relayhost example.com
lookup relayhost example.net
alive"
expect_eq "relayhost, not served: error" "lookup-result|ID|error" "$(nth 4)"
expect_eq "and the table goes on" "alive" "$(nth 6)"
expect_eq "an unconfigured service is logged once, with the fix" 1 \
    "$(grep -c 'service netaddr is not configured; .*add query_netaddr' \
    "$LOG")"
expect_eq "a service not served is logged once" 1 \
    "$(grep -c 'asks for relayhost lookups, which table-sqlite does not' \
    "$LOG")"

cp "$CONF" "$T/default.conf"
fixture_services
same "custom queries" "lookup netaddr 192.168.0.0/16
lookup userinfo vmail
lookup userinfo nobody
lookup addrname 192.0.2.1
check source 192.0.2.2
fetch source
fetch source
fetch source
lookup mailaddr bob@example.com
lookup alias team@example.com"
ldrive "lookup userinfo vmail
fetch source
fetch source
fetch source"
expect_eq "userinfo uid:gid:home" "lookup-result|ID|found|2000:2000:/var/vmail" \
    "$(nth 2)"
expect_eq "fetch source cycles" \
    "fetch-result|ID|found|192.0.2.1 fetch-result|ID|found|192.0.2.2 fetch-result|ID|found|192.0.2.1" \
    "$(nth 3) $(nth 4) $(nth 5)"

sqlite3 "$DB" "CREATE TABLE odd (k TEXT, v TEXT);
INSERT INTO odd VALUES ('lf', 'a' || char(10) || 'b');
INSERT INTO odd VALUES ('null', NULL);
INSERT INTO odd VALUES ('ok', 'fine@example.com');"
printf 'dbpath %s\nquery_alias SELECT v FROM odd WHERE k = ?\n' "$DB" > "$CONF"
same "rows the protocols cannot carry" "lookup alias lf
lookup alias null
lookup alias ok"

# --- auth_offload: smtpd before 7.6 has no auth service
printf 'dbpath %s\nauth_offload yes\n' "$DB" > "$CONF"
: > "$LOG"
ldrive "lookup credentials bob@example.com"
expect_match "auth_offload: said at start" \
    "auth_offload is set, but smtpd before 7.6 has no auth service" \
    "$(cat "$LOG")"
expect_eq "auth_offload: credentials answered as usual" \
    "lookup-result|ID|found|bob@example.com:$BOB" "$(nth 2)"

# --- keys as smtpd sends them, and as it never does
cp "$T/default.conf" "$CONF"
ldrive 'frame lookup - int:4 size:0 str:nobody@example.com\ntable|0.1|0|kit|check|domain|01|example.com nul
reply lookup
frame check - int:2 size:0 fill:1023:a nul
reply check
frame check - int:2 size:0 fill:1024:a nul
reply check
lookup alias team@example.com'
expect_eq "a key holding a newline is only a key" \
    "lookup-result|ID|not-found" "$(nth 2)"
expect_eq "a key of 1023 bytes is looked up" "check-result|ID|not-found" \
    "$(nth 3)"
expect_eq "a key of 1024 bytes (smtpd sends none) is an error" \
    "check-result|ID|error" "$(nth 4)"
expect_eq "then the next request is answered" \
    "lookup-result|ID|found|bob@example.com, sha@example.com" "$(nth 5)"

# --- many requests in one go: answered in order
fixture_pipeline 300 'frame lookup - int:1 size:0 str:team@example.com nul' \
    'reply lookup' > "$T/pipe.in"
ldrive "$(cat "$T/pipe.in")"
expect_eq "300 requests sent at once: 300 answers in order" 300 \
    "$(printf '%s\n' "$OUT" | grep -c '^lookup-result|ID|found|bob@example.com, sha@example.com$')"

# --- hostile frames: logged, answered with their type's failure
: > "$LOG"
ldrive 'frame lookup - int:1 size:0 str:abc
reply lookup
frame lookup - int:1 size:0 str:a\0bc nul
reply lookup
frame lookup - int:1 size:2 str:abc nul
reply lookup
frame lookup - int:3 size:0 str:abc nul
reply lookup
frame lookup - int:1 str:ab
reply lookup
frame fetch - int:32 size:0 str:x
reply fetch
frame 42 - str:x
?
frame ok -
?
frame check 8
reply check
frame lookup 20000
reply lookup
frame update - str:x
reply update
frame open -
reply open
frame open - int:3 fill:2048:\0
reply open
frame close - str:x
frame close 8
lookup alias team@example.com
alive
stdout'
expect_eq "key not NUL-terminated: error" "lookup-result|ID|error" "$(nth 2)"
expect_eq "bytes after the key's NUL: error" "lookup-result|ID|error" \
    "$(nth 3)"
expect_eq "parameters: error" "lookup-result|ID|error" "$(nth 4)"
expect_eq "unknown service: error" "lookup-result|ID|error" "$(nth 5)"
expect_eq "too short: error" "lookup-result|ID|error" "$(nth 6)"
expect_eq "fetch with trailing bytes: error" "fetch-result|ID|error" \
    "$(nth 7)"
expect_eq "unknown type: FAIL" "frame type=1 len=16 payload=" "$(nth 8)"
expect_eq "an OK from smtpd's side: FAIL" "frame type=1 len=16 payload=" \
    "$(nth 9)"
expect_eq "length below the header's: its type's failure" \
    "check-result|ID|error" "$(nth 10)"
expect_eq "a header claiming more than 16384 bytes: error" \
    "lookup-result|ID|error" "$(nth 11)"
expect_eq "the frame after that header is answered (UPDATE with a payload: a failed update)" \
    "update-result|ID|error" "$(nth 12)"
expect_eq "OPEN without a version: still the OK smtpd expects" \
    "open-result|ID|ok" "$(nth 13)"
expect_eq "OPEN of another API version: the OK" "open-result|ID|ok" \
    "$(nth 14)"
expect_eq "CLOSE with a payload or a short length ends nothing" \
    "lookup-result|ID|found|bob@example.com, sha@example.com" "$(nth 15)"
expect_eq "alive after all of it" "alive" "$(nth 16)"
expect_eq "and nothing on stdout" "stdout: 0 bytes" "$(nth 17)"
expect_match "bad frames are logged with the reason" \
    "bad frame of type 6 \(LOOKUP\), 31 bytes: key not NUL-terminated; answered error" \
    "$(cat "$LOG")"
expect_match "API version logged" "with API version 3; answering as version 2" \
    "$(cat "$LOG")"

# --- the robustness run: hostile frames cut at random places
ldrive "fuzz $FUZZ_N 1 lookup alias team@example.com
stdout
close
exit"
FZ=$(printf '%s\n' "$OUT" | grep '^fuzz:' | tr '\n' ' ')
expect_match "$FUZZ_N hostile frames: every reply as due, the table alive" \
    "^fuzz: $FUZZ_N hostile frames: .* 0 wrong, table alive" "$FZ"
echo "	$FZ"
expect_eq "nothing on stdout after them" "stdout: 0 bytes" "$(nth 5)"
expect_eq "CLOSE still ends it, status 0" "exited 0" "$(nth 6)"

# --- the end: CLOSE, end of input
ldrive "close
exit"
expect_eq "CLOSE ends the table, status 0" "exited 0" "$(nth 2)"
: > "$LOG"
ldrive '=\x06\x00\x00\x00\x40\x00'
expect_match "input ending inside a frame is logged" \
    "input ended inside a frame" "$(cat "$LOG")"

# --- update: good, broken, the database coming and going
cp "$T/default.conf" "$CONF"
: > "$LOG"
ldrive "check domain example.com
!echo 'dbpath $DB' > $CONF; echo 'query_domain SELECT name FROM domains WHERE name = ?' >> $CONF
update
check domain example.com
lookup alias team@example.com
$(fixture_reloads)
!(echo '.timeout 2000'; echo 'BEGIN EXCLUSIVE;'; echo 'DELETE FROM domains;'; sleep 2; echo 'ROLLBACK;') | sqlite3 $DB & sleep 0.5
check domain example.com
!sleep 2
check domain example.com
alive"
expect_eq "before update" "check-result|ID|found" "$(nth 2)"
expect_eq "update with a good configuration" "update-result|ID|ok" "$(nth 3)"
expect_eq "serving the new configuration" "check-result|ID|found" "$(nth 4)"
expect_eq "which has no alias query" "lookup-result|ID|error" "$(nth 5)"
expect_eq "update with a broken file: failed" "update-result|ID|error" \
    "$(nth 6)"
expect_eq "the old configuration still serves" "check-result|ID|found" \
    "$(nth 7)"
expect_eq "update with a bad query: failed" "update-result|ID|error" \
    "$(nth 8)"
expect_eq "the old configuration still serves (2)" "check-result|ID|found" \
    "$(nth 9)"
expect_eq "database removed: error" "check-result|ID|error" "$(nth 10)"
expect_eq "database back: found again" "check-result|ID|found" "$(nth 11)"
expect_eq "database locked: error" "check-result|ID|error" "$(nth 12)"
expect_eq "lock released: found again" "check-result|ID|found" "$(nth 13)"
expect_eq "alive after database trouble" "alive" "$(nth 14)"
expect_match "a failed update is logged with the reason" \
    "update failed, still serving the old configuration: .*unknown key bogus" \
    "$(cat "$LOG")"
expect_match "so is an error answer" "CHECK domain: database .* is locked; answered error" \
    "$(cat "$LOG")"

# --- replies that back up: reading pauses, and at end of input every
# answer is written before the table ends
cp "$T/default.conf" "$CONF"
sqlite3 "$DB" "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1
    FROM s WHERE i < 500) INSERT INTO aliases
    SELECT 'mid@example.com', 'someone' || i || '@example.org' FROM s;"
ldrive "burst 400 lookup alias mid@example.com"
expect_eq "EOF with 5 MB of answers queued, slow reader: all answered" \
    "burst: 400 of 400 answered" "$(nth 2)"

# --- a value longer than a reply of smtpd's can carry
sqlite3 "$DB" "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1
    FROM s WHERE i < 900) INSERT INTO aliases
    SELECT 'big@example.com', 'someone' || i || '@example.org' FROM s;"
: > "$LOG"
ldrive "lookup alias big@example.com
lookup alias team@example.com"
expect_eq "a value over 16363 bytes: error, not a reply smtpd dies on" \
    "lookup-result|ID|error" "$(nth 2)"
expect_eq "the next one answered" \
    "lookup-result|ID|found|bob@example.com, sha@example.com" "$(nth 3)"
expect_match "and logged" "does not fit in a reply of smtpd's" "$(cat "$LOG")"

test_done "$T"
