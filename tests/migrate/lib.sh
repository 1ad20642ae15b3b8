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
# The Postfix fixtures of tests/migrate: each directory is one server
# (postfix/, dovecot/, dovecot23/, maps, data.sql for its SQLite
# database), written with placeholders that mig_deploy fills in.

MIG_FIXTURES=$(cd "$(dirname "$0")/../migrate" 2>/dev/null && pwd)

# mig_deploy NAME DEST PREFIX INET SMTP SUBMISSION SMTPS CERT KEY
#
# Copy fixture NAME to DEST/etc/postfix, DEST/etc/dovecot,
# DEST/etc/dovecot23 and build its database in
# DEST/home/vmail/database/vmail.sqlite3.  PREFIX is what paths in the
# files start with (DEST on the host, "" inside a root whose / is DEST);
# INET is inet_interfaces; SMTP, SUBMISSION, SMTPS the service names of
# master.cf; CERT and KEY the TLS files.
# mig_tools: AH, TABLE, DRIVE, the programs of this tree under $TOP
mig_tools()
{
	AH=$TOP/auth-helper/auth-helper
	TABLE=$TOP/table-sqlite/table-sqlite
	DRIVE=$TOP/tests/tools/tabledrive
}

mig_deploy()
{
	src=$MIG_FIXTURES/$1
	dst=$2
	[ -d "$src" ] || { echo "no fixture $1" >&2; return 1; }
	for d in postfix dovecot dovecot23; do
		[ -d "$src/$d" ] || continue
		mkdir -p "$dst/etc/$d"
		(cd "$src/$d" && find . -type f) | while read -r f; do
			mkdir -p "$dst/etc/$d/$(dirname "$f")"
			sed -e "s|@D@|$3|g" -e "s|@INET@|$4|g" \
			    -e "s|@SMTP@|$5|g" -e "s|@SUBMISSION@|$6|g" \
			    -e "s|@SMTPS@|$7|g" -e "s|@CERT@|$8|g" \
			    -e "s|@KEY@|$9|g" "$src/$d/$f" >"$dst/etc/$d/$f" ||
			    return 1
		done
	done
	if [ -f "$src/data.sql" ]; then
		mkdir -p "$dst/home/vmail/database"
		rm -f "$dst/home/vmail/database/vmail.sqlite3"
		sqlite3 "$dst/home/vmail/database/vmail.sqlite3" \
		    <"$src/data.sql" || return 1
	fi
	return 0
}
