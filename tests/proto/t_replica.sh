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
# Several smtpd hosts, one database (README): auth-helper writes the
# primary, auth-helper backup copies it, rsync puts the copy over the
# database a running table-sqlite reads (a new file renamed over it), and
# a lookup one second after the rename reads the new data, with no
# restart and no update.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
needs rsync

AH=$TOP/auth-helper/auth-helper
TABLE=$TOP/table-sqlite/table-sqlite
DRIVE=$TOP/tests/tools/tabledrive
T=$(mktemp -d /tmp/t_replica.XXXXXX)
# README: apt-get install -y rsync
# (tests/deps.sh test installs it; needs above)
# README: mkdir -p -m 0750 /var/backups/opensmtpd-kit
mkdir "$T/primary" "$T/backup" "$T/replica"
printf 'dbpath %s\n' "$T/primary/kit.sqlite" > "$T/primary.conf"
printf 'dbpath %s\n' "$T/replica/kit.sqlite" > "$T/replica.conf"
REPLICA=$T/replica/kit.sqlite

ah() { "$AH" -f "$T/primary.conf" "$@"; }
# ship: what the primary's cron job does, the README's two commands
# with this test's paths and the replica on the same host:
# README: auth-helper backup /var/backups/opensmtpd-kit/kit.sqlite
# README: rsync -a -I /var/backups/opensmtpd-kit/kit.sqlite mx2.example.org:/var/lib/opensmtpd-kit/kit.sqlite
SHIP="$AH -f $T/primary.conf backup $T/backup/kit.sqlite >/dev/null"
SHIP="$SHIP && rsync -a -I $T/backup/kit.sqlite $REPLICA"

expect_exit "primary: init" 0 ah init
expect_exit "primary: a domain" 0 ah domain add a.example
expect_exit "first copy to the replica" 0 sh -c "$SHIP"
ino1=$(file_inode "$REPLICA")

OUT=$(printf '%s\n' "check domain a.example" "check domain b.example" \
    "!$AH -f $T/primary.conf domain add b.example && $SHIP" \
    "!ls -di $REPLICA > $T/ino2" \
    "check domain b.example" "check domain b.example" \
    "check domain b.example" \
    "!sleep 1" \
    "check domain b.example" "check domain a.example" \
    "!$AH -f $T/primary.conf domain del a.example && $SHIP && sleep 1" \
    "check domain a.example" "check domain b.example" \
    "alive" | "$DRIVE" -- "$TABLE" -d "$T/replica.conf" 2>"$T/table.log")
R=$(printf '%s\n' "$OUT" | grep '^check-result' | cut -d'|' -f3-)
nth() { printf '%s\n' "$R" | sed -n "$1p"; }

expect_eq "the replica serves the first copy" found "$(nth 1)"
expect_eq "not yet what the primary has not" "not-found" "$(nth 2)"
if [ "$(awk '{ print $1 }' "$T/ino2")" != "$ino1" ]; then
	ok "rsync renamed a new file over the replica"
else
	fail "rsync wrote the replica in place (inode $ino1)"
fi
for i in 3 4 5; do
	expect_match "within the second: the old copy or the new, no error ($i)" \
	    "^(found|not-found)$" "$(nth $i)"
done
expect_eq "one second after the rename: the new domain" found "$(nth 6)"
expect_eq "and the old ones" found "$(nth 7)"
expect_eq "a domain removed on the primary: gone one second later" \
    "not-found" "$(nth 8)"
expect_eq "the rest still served" found "$(nth 9)"
expect_eq "the table ran throughout" alive \
    "$(printf '%s\n' "$OUT" | tail -n 1)"
expect_match "and says it reopened the new file" \
    "database $REPLICA was replaced, reopening" "$(cat "$T/table.log")"
expect_eq "the replica keeps mode 0640" 640 "$(file_mode "$REPLICA")"

test_done "$T"
