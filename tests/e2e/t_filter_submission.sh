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
# filter-submission with a real smtpd and swaks, on a deliberately loose
# smtpd.conf: "tls" rather than "tls-require", "auth-optional", and a
# rule that relays for anyone.  The filter alone must make it safe:
# first as a submission service, then as an MX.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

# make_conf MODE: smtpd.conf, the table and the filter configurations.
make_conf()
{
	e2e_policy_conf "$1"
}

make_db()
{
	e2e_db "$DB"
	h=$(e2e_crypt summersun '$2b$08$e2e.salt.for.filter.sub.') ||
	    e2e_abort "cannot hash a password"
	e2e_sql "$DB" "INSERT INTO domains VALUES ('example.org'), ('example.com');
	    INSERT INTO users VALUES ('john@example.org', '$h', 1);
	    INSERT INTO users VALUES ('jane@example.org', '$h', 1);
	    INSERT INTO users VALUES ('alice@example.org', '$h', 1);
	    INSERT INTO users VALUES ('boss@example.org', '$h', 1);
	    INSERT INTO aliases VALUES ('info@example.org', 'john@example.org');
	    INSERT INTO senders VALUES ('alice@example.org', '@example.org'),
	    ('boss@example.org', '*@example.org');"
}

# reply NAME CODE TEXT: the last reply is CODE (and TEXT, if given).
reply()
{
	expect_eq "$1 ($E2E_OUT)" "$2" "$(swaks_code)"
	[ -z "$3" ] || expect_eq "$1: reply text" "$3" "$(swaks_reply)"
	expect_all_alive "$1"
}

AUTH="--tls --auth PLAIN --auth-user john@example.org --auth-password summersun"

test_submission()
{
	jane=$(e2e_maildir jane@example.org)
	e2e_swaks --to jane@example.org --quit-after EHLO
	expect_nomatch "no AUTH offered before STARTTLS" "250[- ]AUTH" \
	    "$(cat "$E2E_OUT")"

	e2e_swaks --from john@example.org --to x@remote.test --quit-after MAIL
	reply "MAIL FROM before STARTTLS" 530 \
	    "530 5.7.0 Must issue a STARTTLS command first"

	e2e_swaks --tls --from john@example.org --to x@remote.test \
	    --quit-after RCPT
	reply "MAIL FROM without AUTH, on a listener that relays for any" \
	    530 "530 5.7.0 Authentication required"

	# The seed's own check: a spoofed sender.
	e2e_swaks --from john@example.com --to john@example.org $AUTH
	reply "spoofed sender refused" 553 \
	    "553 5.7.1 <john@example.com>: Sender address rejected: not owned by user john@example.org"

	e2e_swaks --from jane@example.org --to john@example.org $AUTH
	reply "another user's address refused" 553

	e2e_swaks --from john@example.org --to friend@remote.test $AUTH \
	    --h-Subject e2e-relay --body "relayed after AUTH"
	reply "authenticated relay accepted" 250
	e2e_expect_mail "$ROOT$E2E_VMAIL/outbound" e2e-relay \
	    "authenticated relay delivered" \
	    "authenticated relay: nothing in $ROOT$E2E_VMAIL/outbound/new"

	e2e_swaks --from Info+news@Example.org --to jane@example.org $AUTH \
	    --h-From "Info <info@example.org>" --h-Subject e2e-alias
	reply "alias with an extension, in other case, accepted" 250
	e2e_expect_mail "$jane" e2e-alias "mail from an owned alias delivered" \
	    "mail from an owned alias not delivered"

	e2e_swaks --from john@example.org --to jane@example.org $AUTH \
	    --h-From "Jane <jane@example.org>" --h-Subject e2e-hdr
	reply "From: header of another user refused at the end of DATA" 550 \
	    "550 5.7.1 <jane@example.org>: From address rejected: not owned by user john@example.org"
	e2e_expect_no_mail "$jane" e2e-hdr "header spoof not delivered" \
	    "header spoof was delivered"

	e2e_swaks --from john@example.org --to jane@example.org $AUTH \
	    --h-From '"ceo@bank.test" <john@example.org>'
	reply "address in the display name refused" 550

	# Postfix's first match: alice's grant of @example.org covers the
	# addresses nobody owns, not jane@, who has an owner of its own.
	e2e_swaks --from jane@example.org --to john@example.org --tls \
	    --auth PLAIN --auth-user alice@example.org \
	    --auth-password summersun --quit-after RCPT
	reply "an @domain grant does not cover an owned address" 553 \
	    "553 5.7.1 <jane@example.org>: Sender address rejected: not owned by user alice@example.org"
	e2e_swaks --from sales@example.org --to john@example.org --tls \
	    --auth PLAIN --auth-user alice@example.org \
	    --auth-password summersun --quit-after RCPT
	reply "an @domain grant covers an address nobody owns" 250
	e2e_swaks --from jane@example.org --to john@example.org --tls \
	    --auth PLAIN --auth-user boss@example.org \
	    --auth-password summersun --quit-after RCPT
	reply "a *@domain grant covers every address" 250
	e2e_swaks --from '<>' --to jane@example.org $AUTH --quit-after RCPT
	reply "the null sender after AUTH accepted" 250

	# *@domain is a grant only as a senders row: an alias of that name
	# (an address to Postfix) gives its target nobody's address.
	e2e_sql "$DB" "INSERT INTO users VALUES ('carol@example.com', 'x', 1);
	    INSERT INTO aliases VALUES ('*@example.com', 'john@example.org');"
	e2e_swaks --from carol@example.com --to jane@example.org $AUTH \
	    --quit-after RCPT
	reply "an alias named *@domain grants its target no address" 553 \
	    "553 5.7.1 <carol@example.com>: Sender address rejected: not owned by user john@example.org"
	e2e_sql "$DB" "DELETE FROM aliases WHERE address = '*@example.com';
	    DELETE FROM users WHERE login = 'carol@example.com';"

	n=0
	while [ $n -lt 5 ]; do
		e2e_swaks --tls --auth PLAIN --auth-user john@example.org \
		    --auth-password wrong --quit-after AUTH
		n=$((n + 1))
	done
	e2e_swaks --to jane@example.org $AUTH --quit-after AUTH
	expect_match "after 5 failed AUTH, the address is refused ($E2E_OUT)" \
	    "<[-~*]* *421 4.7.0 Error: too many failed AUTH attempts from 127.0.0.1" \
	    "$(cat "$E2E_OUT")"
	expect_all_alive "after the AUTH limit"

	expect_match "decisions in smtpd's log, key=value" \
	    "session=[0-9a-f]+ client=127.0.0.1 login=john@example.org rule=sender-login address=<john@example.com> result=reject" \
	    "$(smtpd_log)"
	expect_nomatch "no password in smtpd's log" "summersun|c3VtbWVyc3Vu" \
	    "$(smtpd_log)"
}

test_mx()
{
	e2e_mx_checks e2e-mx

	e2e_swaks --from someone@remote.test \
	    --to '@example.org:x@remote.test' --quit-after RCPT
	reply "source route refused" 554

	e2e_swaks --from '' --to jane@example.org --quit-after RCPT
	reply "null sender accepted" 250
}

e2e_setup
make_conf submission
make_db
smtpd_start "$E2E_DIR/smtpd.conf.in"
expect_all_alive "smtpd $E2E_VERSION with the filter (submission) on port $E2E_PORT"
test_submission
smtpd_stop

make_conf mx
smtpd_start "$E2E_DIR/smtpd.conf.in"
expect_all_alive "smtpd $E2E_VERSION with the filter (mx) on port $E2E_PORT"
test_mx
smtpd_stop
test_done
