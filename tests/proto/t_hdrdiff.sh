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
# The header check against Python's email package and Nodemailer's
# mailparser (hdrdiff.py, hdrdiff.js): on generated From: values and
# header sections with hostile field names, the check refuses every one
# in which either reader shows an address the login does not own.
# HDRDIFF_COUNT sets how many of each (3000 by default, with a fixed
# seed; HDRDIFF_SEED another).  mailparser is the one tests/deps.sh test
# installs under KIT_NODE_DIR (/var/cache/opensmtpd-kit/node).

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
needs python3 node
NODE_DIR=${KIT_NODE_DIR:-/var/cache/opensmtpd-kit/node}
if [ ! -f "$NODE_DIR/node_modules/mailparser/package.json" ]; then
	if [ "$KIT_SUITE" = ports ]; then
		# make test, the ports' suite, installs nothing
		echo "# not run: needs mailparser under $NODE_DIR"
		echo "0 passed, 0 failed"
		exit 0
	fi
	echo "FAIL - node or mailparser under $NODE_DIR missing: run" \
	    "tests/deps.sh test as root"
	echo "0 passed, 1 failed"
	exit 1
fi
T=$(mktemp -d /tmp/t_hdrdiff.XXXXXX)
sqlite3 "$T/kit.sqlite" < "$TOP/lib/schema.sql"
sqlite3 "$T/kit.sqlite" <<'EOSQL'
INSERT INTO domains VALUES ('example.com');
INSERT INTO users VALUES ('bob@example.com', 'x', 1);
INSERT INTO users VALUES ('ann@example.com', 'x', 1);
INSERT INTO users VALUES ('jane+sales@example.com', 'x', 1);
INSERT INTO aliases VALUES ('team@example.com', 'bob@example.com');
INSERT INTO senders VALUES ('bob@example.com', '@example.org');
EOSQL
echo "dbpath $T/kit.sqlite" > "$T/sqlite.conf"
NODE_PATH=$NODE_DIR/node_modules python3 "$TOP/tests/proto/hdrdiff.py" \
    "$TOP/tests/tools/hdrcheck" "$T/sqlite.conf" \
    "$TOP/tests/proto/hdrdiff.js" "${HDRDIFF_COUNT:-3000}" \
    "${HDRDIFF_SEED:-2026}"
rc=$?
[ "$rc" -eq 0 ] && rm -rf "$T"
exit "$rc"
