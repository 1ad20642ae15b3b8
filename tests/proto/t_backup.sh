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
# auth-helper backup: a consistent copy while another process keeps
# writing (a sqlite3 that commits one row after another), the copy's
# mode and group, and the destinations it refuses.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"

AH=$TOP/auth-helper/auth-helper
T=$(mktemp -d /tmp/t_backup.XXXXXX)
CONF=$T/sqlite.conf
DB=$T/kit.sqlite
COPY=$T/copy/kit.sqlite
printf 'dbpath %s\n' "$DB" > "$CONF"
mkdir "$T/copy"

ah() { "$AH" -f "$CONF" "$@"; }
count() { sqlite3 -cmd '.timeout 30000' "$1" "SELECT count(*) FROM $2"; }

expect_exit "init" 0 ah init
# A database of a few MB, its group not root's: the copy takes it.
sqlite3 "$DB" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1
    FROM n WHERE i < 20000) INSERT INTO users SELECT 'u' || i ||
    '@example.org', '\$2b\$08\$' || hex(randomblob(32)), 1 FROM n"
GROUP=$(getent group nogroup mail daemon | head -n 1 | cut -d: -f1)
chgrp "$GROUP" "$DB"

# The writer: auth-helper adds one domain after another until $T/stop
# (each waits up to 5 s for a lock, as an admin's command does).
: >"$T/writer.err"
(
	i=0
	while [ ! -e "$T/stop" ]; do
		i=$((i + 1))
		ah domain add "w$i.example" >/dev/null 2>>"$T/writer.err" ||
		    echo "domain add w$i.example failed" >>"$T/writer.err"
	done
) &
WRITER=$!
n=0
while [ "$(count "$DB" domains 2>/dev/null || echo 0)" -lt 50 ] &&
    [ $n -lt 300 ]; do
	sleep 0.1
	n=$((n + 1))
done
first=$(count "$DB" domains)
expect_match "the writer commits" "^[0-9]{2,}$" "$first"

ino=""
for i in 1 2 3 4 5; do
	before=$(count "$DB" domains)
	expect_exit "backup $i while the writer writes" 0 \
	    timeout 120 "$AH" -f "$CONF" backup "$COPY"
	[ -z "$ERR" ] || echo "backup $i: $ERR"
	expect_match "backup $i says what it wrote" \
	    "^$COPY: a copy of $DB, [0-9]+ pages, mode 0640, group $GROUP$" \
	    "$OUT"
	expect_eq "copy $i: integrity_check" ok \
	    "$(sqlite3 "$COPY" 'PRAGMA integrity_check')"
	expect_eq "copy $i: every user" 20000 "$(count "$COPY" users)"
	c=$(count "$COPY" domains)
	if [ "$c" -ge "$before" ]; then
		ok "copy $i: the $before domains committed before it, and more ($c)"
	else
		fail "copy $i: $c domains, $before were committed before it"
	fi
	new=$(file_inode "$COPY")
	if [ "$new" != "$ino" ]; then
		ok "copy $i: a new file renamed over the last"
	else
		fail "copy $i: the same inode $ino as the last copy"
	fi
	ino=$new
done
after=$(count "$DB" domains)
if [ "$after" -gt "$first" ]; then
	ok "the writer went on writing during the backups ($first, then $after rows)"
else
	fail "the writer wrote nothing during the backups ($first, $after)"
fi
touch "$T/stop"
wait "$WRITER"
expect_eq "the writer never failed" "" "$(cat "$T/writer.err")"
# A writer that commits back to back (sqlite3, one row a transaction):
# the copy is made in one step, which such a writer cannot restart.
rm -f "$T/stop"
(
	i=0
	while [ ! -e "$T/stop" ]; do
		i=$((i + 1))
		echo "INSERT INTO domains VALUES ('x$i.example');"
	done | sqlite3 -cmd '.timeout 30000' "$DB" 2>>"$T/writer.err"
) &
WRITER=$!
sleep 0.5
last=0
for i in 6 7 8; do
	expect_exit "backup $i while sqlite3 commits back to back" 0 \
	    timeout 120 "$AH" -f "$CONF" backup "$COPY"
	[ -z "$ERR" ] || echo "backup $i: $ERR"
	expect_eq "copy $i: integrity_check" ok \
	    "$(sqlite3 "$COPY" 'PRAGMA integrity_check')"
	c=$(count "$COPY" "domains WHERE name LIKE 'x%'")
	if [ "$c" -ge "$last" ]; then
		ok "copy $i: the rows of the last copy, and more ($last, $c)"
	else
		fail "copy $i: $c rows of the writer, the last copy had $last"
	fi
	last=$c
done
touch "$T/stop"
wait "$WRITER"
expect_eq "the writer never failed" "" "$(cat "$T/writer.err")"
expect_eq "mode 0640, the database's group" "640 $GROUP" \
    "$(file_mode "$COPY") $(file_group "$COPY")"
expect_eq "no temporary file left" "kit.sqlite" "$(ls "$T/copy")"

# What it refuses; the database is left as it was.
sum=$(cksum <"$DB")
ln -s "$DB" "$T/link"
files=$(ls "$T" | tr '\n' ' ')
expect_exit "DEST is the database" 1 ah backup "$DB"
expect_match "says so" "is the database $DB itself" "$ERR"
expect_exit "DEST is a link to the database" 1 ah backup "$T/link"
expect_exit "DEST is the database by another path" 1 \
    ah backup "$T/copy/../kit.sqlite"
expect_exit "DEST is the database's journal" 1 \
    ah backup "$T/copy/../kit.sqlite-journal"
expect_match "says so" "a file SQLite keeps beside the database" "$ERR"
expect_exit "DEST is a directory" 1 ah backup "$T/copy"
expect_eq "the database is untouched" "$sum" "$(cksum <"$DB")"
expect_eq "no file made beside it" "$files" "$(ls "$T" | tr '\n' ' ')"
: >"$COPY.tmp"
expect_exit "DEST.tmp exists" 1 ah backup "$COPY"
expect_match "says what to do" "$COPY.tmp exists: another backup is running, or one was stopped; remove it if none runs" "$ERR"
expect_eq "and leaves it" "0" "$(file_size "$COPY.tmp")"
rm -f "$COPY.tmp"
expect_exit "DEST in a missing directory" 1 ah backup "$T/none/kit.sqlite"
expect_match "says so" "cannot create $T/none/kit.sqlite.tmp: No such file" "$ERR"
printf 'dbpath %s\n' "$T/missing.sqlite" > "$T/missing.conf"
expect_exit "no database" 1 "$AH" -f "$T/missing.conf" backup "$T/x"
expect_match "says so" "run auth-helper init first" "$ERR"
expect_exit "no DEST" 1 ah backup
expect_match "usage" "usage: auth-helper backup dest" "$ERR"

test_done "$T"
