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
# make demo: a real OpenSMTPD on loopback using table-sqlite for AUTH,
# domains and aliases, and filter-submission for the policy, on a
# deliberately loose smtpd.conf.  A user authenticates and sends a
# message to an alias, which is delivered into the user's maildir; then
# a relay without AUTH, a spoofed sender and a spoofed From: header are
# refused.
#
# usage: tests/e2e/demo.sh	(as root; E2E_KEEP=yes keeps the files)

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

USER_ADDR=alice@demo.example
PASSWORD=demo-password
ALIAS=postmaster@demo.example

# In the demo a failure is a message, not a test count.
e2e_abort()
{
	echo "demo: $*" >&2
	exit 1
}

fail()
{
	T_FAIL=$((T_FAIL + 1))
	echo "demo: $*" >&2
}

say()
{
	printf '\n== %s\n' "$*"
}

make_demo()
{
	DB=$E2E_RUN/demo.sqlite
	e2e_db "$DB"
	h=$(e2e_crypt "$PASSWORD" '$2b$10$demo.salt.opensmtpdkit.') ||
	    e2e_abort "cannot hash the demo password"
	e2e_sql "$DB" "INSERT INTO domains VALUES ('demo.example');
	    INSERT INTO users VALUES ('$USER_ADDR', '{BLF-CRYPT}$h', 1);
	    INSERT INTO aliases VALUES ('$ALIAS', '$USER_ADDR');"
	e2e_sql "$DB" "INSERT INTO users VALUES ('bob@demo.example', '$h', 1);"
	echo "dbpath $DB" >"$E2E_DIR/demo.conf"
	printf 'table %s/demo.conf\nmode submission\n' "$E2E_RUN" \
	    >"$E2E_DIR/filter.conf"
	chmod 644 "$E2E_DIR/filter.conf"
	cat >"$E2E_DIR/smtpd.conf.in" <<'EOF'
pki demo cert "/etc/mail/test.crt"
pki demo key "/etc/mail/test.key"
table kit sqlite:@RUN@/demo.conf
filter "submission" proc-exec "@LIBEXEC@/filter-submission -f @RUN@/filter.conf"
# Deliberately loose: tls, not tls-require; auth-optional; relay for any.
listen on 127.0.0.1 port @PORT@ tls pki demo auth-optional <kit> filter "submission"
action "vmail" maildir "@VMAIL@/%{dest.domain:lowercase}/%{dest.user:lowercase}" virtual <kit>
action "outbound" maildir "@VMAIL@/outbound" virtual { "@" = "vmail" }
match from any for domain <kit> action "vmail"
match from any for any action "outbound"
EOF
}

show_setup()
{
	say "database $ROOT$DB (schema lib/schema.sql)"
	for t in domains users aliases; do
		echo "-- $t"
		sqlite3 -separator ' | ' "$ROOT$DB" "SELECT * FROM $t"
	done
	say "table config $E2E_RUN/demo.conf"
	cat "$E2E_DIR/demo.conf"
	say "filter config $E2E_RUN/filter.conf"
	cat "$E2E_DIR/filter.conf"
	say "smtpd.conf"
	cat "$E2E_DIR/smtpd.conf"
}

# dialogue: the lines of the swaks transcript that matter.
dialogue()
{
	grep -E '^ *[-~]> (EHLO|STARTTLS|AUTH|MAIL|RCPT|DATA|QUIT)|^<[-~*]+ +[0-9]{3} |^=== TLS started' \
	    "$E2E_OUT" | sed 's/^/  /'
}

send_mail()
{
	say "swaks: $USER_ADDR authenticates (STARTTLS, AUTH PLAIN) and writes to $ALIAS"
	e2e_swaks --tls --auth PLAIN --auth-user "$USER_ADDR" \
	    --auth-password "$PASSWORD" --from "$USER_ADDR" --to "$ALIAS" \
	    --h-Subject "opensmtpd-kit demo" --body "Delivered through table-sqlite."
	dialogue
	[ "$(swaks_code)" = 250 ] ||
	    e2e_abort "the message was not accepted; transcript in $E2E_OUT"
}

show_delivery()
{
	dir=$(e2e_maildir "$USER_ADDR")
	f=$(e2e_wait_mail "$dir" "opensmtpd-kit demo") ||
	    e2e_abort "no message arrived in $dir/new; log in $E2E_DIR/smtpd.log"
	say "what smtpd asked table-sqlite, and what it did"
	grep -E 'as (credentials|alias|domain) in table proc:kit|smtp authentication|mda delivery' \
	    "$E2E_DIR/smtpd.log" | grep -v ' -> none$' | sed 's/^/  /'
	say "delivered to $USER_ADDR's maildir: ${f#"$ROOT"} (in the root)"
	echo "host path: $f"
	echo
	sed -n '1,/^$/p' "$f" | sed 's/^/  /'
	sed '1,/^$/d' "$f" | sed 's/^/  /'
}

# policy TITLE SWAKS-ARGS...: one refused attempt, its dialogue and reply
policy()
{
	say "$1"
	shift
	e2e_swaks "$@"
	dialogue
}

show_policy()
{
	policy "relay without AUTH (STARTTLS, no AUTH): refused" --tls \
	    --from someone@outside.example --to friend@elsewhere.example \
	    --quit-after RCPT
	policy "$USER_ADDR sends as bob@demo.example: refused" --tls \
	    --auth PLAIN --auth-user "$USER_ADDR" --auth-password "$PASSWORD" \
	    --from bob@demo.example --to friend@elsewhere.example
	policy "$USER_ADDR sends with From: ceo@bank.example: refused at the end of DATA" \
	    --tls --auth PLAIN --auth-user "$USER_ADDR" \
	    --auth-password "$PASSWORD" --from "$USER_ADDR" \
	    --to friend@elsewhere.example --h-From '"CEO" <ceo@bank.example>'
	say "filter-submission's log: refusals and AUTH at notice, each message accepted at info"
	syslog_log | grep 'filter-submission' | grep -o 'session=.*' |
	    sed 's/^/  /'
}

echo "opensmtpd-kit demo: OpenSMTPD $E2E_VERSION with table-sqlite and filter-submission"
start=$(date +%s)
e2e_setup
echo "root $ROOT ready, table-sqlite and filter-submission installed ($(($(date +%s) - start)) s)"
make_demo
smtpd_start "$E2E_DIR/smtpd.conf.in"
echo "smtpd $E2E_VERSION (pid $SMTPD_PID) listens on 127.0.0.1:$E2E_PORT"
show_setup
send_mail
show_delivery
show_policy
smtpd_stop
say "smtpd stopped"
if [ "$E2E_KEEP" = yes ]; then
	echo "files kept in $E2E_DIR and $ROOT$E2E_VMAIL"
else
	echo "demo files removed (E2E_KEEP=yes keeps them)"
fi
