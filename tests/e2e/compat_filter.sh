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
# filter-submission against the older smtpd releases: 7.4 (filter
# protocol 0.7, Debian 12 backports) and 6.8 (protocol 0.6, Debian 12).
# tests/e2e/run.sh runs it once for each version in E2E_COMPAT (default
# "7.4 6.8") with E2E_VERSION set.  Those releases cannot run our
# table-sqlite (table protocol 0.1 is 7.6 and later), so smtpd's own
# credentials come from a file table; the filter reads the kit's
# database as always.
#
# smtpd 6.8 of Debian 12 cannot complete STARTTLS with OpenSSL 3 ("EVP
# lib", with RSA and ECDSA keys alike), and it offers AUTH only after
# STARTTLS: there only the rules that need no TLS are tested here, and
# protocol 0.6's link-auth is left to tests/proto/t_filter.sh.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

# make_conf MODE
make_conf()
{
	cat >"$E2E_DIR/smtpd.conf.in" <<'EOF2'
pki test cert "/etc/mail/test.crt"
pki test key "/etc/mail/test.key"
table creds file:@RUN@/creds
filter "policy" proc-exec "@LIBEXEC@/filter-submission -f @RUN@/filter.conf"
listen on 127.0.0.1 port @PORT@ tls pki test auth-optional <creds> filter "policy"
action "local" maildir "@VMAIL@/%{dest.domain:lowercase}/%{dest.user:lowercase}" virtual { "@" = "vmail" }
match from any for any action "local"
EOF2
	printf 'table %s/kit.conf\nmode %s\n' "$E2E_RUN" "$1" \
	    >"$E2E_DIR/filter.conf"
	chmod 644 "$E2E_DIR/filter.conf"
}

make_db()
{
	DB=$E2E_RUN/kit.sqlite
	e2e_db "$DB"
	h=$(e2e_crypt summersun '$2b$08$e2e.salt.for.filter.sub.') ||
	    e2e_abort "cannot hash a password"
	e2e_sql "$DB" "INSERT INTO domains VALUES ('example.org');
	    INSERT INTO users VALUES ('john@example.org', '$h', 1);
	    INSERT INTO users VALUES ('jane@example.org', '$h', 1);"
	printf 'john@example.org %s\njane@example.org %s\n' "$h" "$h" \
	    >"$E2E_DIR/creds"
	echo "dbpath $DB" >"$E2E_DIR/kit.conf"
	chmod 644 "$E2E_DIR/creds" "$E2E_DIR/kit.conf"
}

# reply NAME CODE [TEXT]: the last reply is CODE (and TEXT), and smtpd
# and the filter still run.
reply()
{
	N="smtpd $E2E_VERSION: $1"
	expect_eq "$N ($E2E_OUT)" "$2" "$(swaks_code)"
	[ -z "$3" ] || expect_eq "$N: reply text" "$3" "$(swaks_reply)"
	if kill -0 "$SMTPD_PID" 2>/dev/null && e2e_filter_alive; then
		ok "$N: smtpd and filter alive"
	else
		fail "$N: smtpd or filter-submission is gone"
	fi
}

AUTH="--tls --auth PLAIN --auth-user john@example.org --auth-password summersun"

test_submission()
{
	e2e_swaks --from john@example.org --to x@remote.test --quit-after MAIL
	reply "MAIL FROM before STARTTLS" 530 \
	    "530 5.7.0 Must issue a STARTTLS command first"
	[ "$E2E_VERSION" != 6.8 ] || return 0

	e2e_swaks --tls --from john@example.org --to x@remote.test \
	    --quit-after RCPT
	reply "MAIL FROM without AUTH" 530 "530 5.7.0 Authentication required"

	e2e_swaks --from jane@example.org --to x@remote.test $AUTH
	reply "another user's address refused" 553 \
	    "553 5.7.1 <jane@example.org>: Sender address rejected: not owned by user john@example.org"

	e2e_swaks --from john+tag@example.org --to jane@example.org \
	    --tls --auth LOGIN --auth-user john@example.org \
	    --auth-password summersun --h-Subject compat-auth
	reply "own address with an extension, AUTH LOGIN, accepted" 250
	e2e_expect_mail "$(e2e_maildir jane@example.org)" compat-auth \
	    "smtpd $E2E_VERSION: authenticated mail delivered" \
	    "smtpd $E2E_VERSION: authenticated mail not delivered"

	e2e_swaks --from john@example.org --to jane@example.org $AUTH \
	    --h-From "Jane <jane@example.org>"
	reply "From: header of another user refused" 550 \
	    "550 5.7.1 <jane@example.org>: From address rejected: not owned by user john@example.org"

	e2e_swaks --tls --auth PLAIN --auth-user john@example.org \
	    --auth-password wrong --quit-after AUTH
	reply "wrong password refused by smtpd" 535
}

test_mx()
{
	e2e_mx_checks compat-mx
}

e2e_setup
make_db
make_conf submission
smtpd_start "$E2E_DIR/smtpd.conf.in"
test_submission
make_conf mx
smtpd_start "$E2E_DIR/smtpd.conf.in"
test_mx
expect_match "smtpd $E2E_VERSION: decisions in smtpd's log" \
    "rule=relay address=<x@remote.test> result=reject" "$(smtpd_log)"
# smtpd's tx-mail, tx-rcpt and tx-commit reports, in its protocol
expect_match "smtpd $E2E_VERSION: the accepted message, one line at info" \
    "^mail\.info filter-submission\[[0-9]+\]: session=[0-9a-f]+ client=127\.0\.0\.1 event=message result=accept login=- from=<someone@remote\.test> rcpt=1 size=[1-9][0-9]* msgid=[0-9a-f]{8}$" \
    "$(smtpd_log)"
smtpd_stop
test_done
