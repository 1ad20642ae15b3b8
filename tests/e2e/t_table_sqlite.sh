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
# table-sqlite with a real smtpd and swaks: one table <kit>, configured
# with only "dbpath", serves AUTH, the local domains, the virtual (alias)
# expansion of a vmail setup and the senders check, and "smtpctl update
# table" reloads it.  tests/e2e/run.sh runs it against every smtpd of the
# matrix (E2E_VERSION): 7.6 and later speak the text protocol to the
# table, 6.6 to 7.5 the imsg one.
#
# smtpd 6.8 of Debian 12 cannot finish STARTTLS with OpenSSL 3, and it
# offers AUTH only after STARTTLS: there each scenario that needs AUTH
# says that it is not run, and why (the imsg protocol's credentials
# answer is tested on 7.4); the others run.
#
# E2E_TABLE=debian runs the same cases against Debian's
# opensmtpd-table-sqlite (with explicit query_* lines); it does not strip
# {SCHEME} prefixes, so those two logins are expected to fail there.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

DB=/kit.sqlite
DOMAIN=example.com

# make_conf: smtpd.conf and the table's configuration.
make_conf()
{
	DB=$E2E_RUN/kit.sqlite
	e2e_conf_head >"$E2E_DIR/smtpd.conf.in"
	cat >>"$E2E_DIR/smtpd.conf.in" <<'EOF'
listen on 127.0.0.1 port @PORT@ tls pki test auth-optional <kit> senders <kit>
action "vmail" maildir "@VMAIL@/%{dest.domain:lowercase}/%{dest.user:lowercase}" virtual <kit>
match from any for domain <kit> action "vmail"
EOF
	echo "dbpath @RUN@/kit.sqlite" >"$E2E_DIR/kit.conf.in"
	if [ "$E2E_TABLE" = debian ]; then
		cat >>"$E2E_DIR/kit.conf.in" <<'EOF'
query_alias SELECT target FROM aliases WHERE address = ?1 UNION ALL SELECT 'vmail' FROM users WHERE login = ?1 AND active = 1
query_credentials SELECT login, password FROM users WHERE login = ? AND active = 1
query_domain SELECT name FROM domains WHERE name = ?
query_mailaddrmap SELECT DISTINCT address FROM owners WHERE login = ?
EOF
	fi
	e2e_conf "$E2E_DIR/kit.conf.in" "$E2E_RUN/kit.conf"
}

# add_user LOGIN PASSWORD SALT [PREFIX [ACTIVE]]: SALT is a crypt(3)
# setting; PREFIX a Dovecot "{SCHEME}" put before the hash.
add_user()
{
	h=$(e2e_crypt "$2" "$3") || e2e_abort "cannot hash the password of $1"
	e2e_sql "$DB" "INSERT INTO users VALUES ('$1', '$4$h', ${5:-1});"
}

make_db()
{
	e2e_db "$DB"
	e2e_sql "$DB" "INSERT INTO domains VALUES ('example.com'), ('example.net');"
	add_user bcrypt@$DOMAIN pw-bcrypt '$2b$08$e2e.salt.for.bcrypt.sx'
	add_user sha512@$DOMAIN pw-sha512 '$6$e2esalt6'
	add_user sha256@$DOMAIN pw-sha256 '$5$e2esalt5'
	add_user yescrypt@$DOMAIN pw-yescrypt '$y$j9T$e2eyescryptsalt.'
	add_user dovesha@$DOMAIN pw-dovesha '$6$e2esaltd' '{SHA512-CRYPT}'
	add_user doveblf@$DOMAIN pw-doveblf '$2b$08$e2e.salt.for.doveblf.x' \
	    '{BLF-CRYPT}'
	add_user inactive@$DOMAIN pw-inactive '$6$e2esalti' "" 0
	e2e_sql "$DB" "INSERT INTO aliases VALUES
	    ('postmaster@example.com', 'sha512@example.com'),
	    ('team@example.com', 'sha512@example.com'),
	    ('team@example.com', 'bcrypt@example.com'),
	    ('@example.net', 'sha256@example.com');
	    INSERT INTO senders VALUES ('bcrypt@example.com', 'boss@example.net'),
	    ('bcrypt@example.com', '@example.net');"
	add_user owned@example.net pw-owned '$6$e2esalto'
}

# tls_probe: does STARTTLS work with this smtpd?  When it cannot, as
# known of 6.8 with OpenSSL 3, NOAUTH says why the scenarios that need
# AUTH are not run.
tls_probe()
{
	NOAUTH=""
	e2e_swaks --to sha512@$DOMAIN --tls --quit-after TLS
	if grep -q '^=== TLS started' "$E2E_OUT"; then
		ok "smtpd $SMTPD_V: STARTTLS works"
		return
	fi
	case "$SMTPD_V" in
	6.*|7.[0-2].*)
		NOAUTH="smtpd $SMTPD_V cannot finish STARTTLS with OpenSSL 3"
		NOAUTH="$NOAUTH (OpenSMTPD issues 1171 and 1239, fixed in 7.3"
		NOAUTH="$NOAUTH by PR 1208) and offers AUTH only after it; the"
		NOAUTH="$NOAUTH imsg protocol's credentials answer is tested on 7.4"
		ok "smtpd $SMTPD_V: STARTTLS fails, as known ($E2E_OUT)" ;;
	*)
		NOAUTH="STARTTLS failed on smtpd $SMTPD_V"
		fail "smtpd $SMTPD_V: STARTTLS failed ($E2E_OUT)" ;;
	esac
}

# needs_auth NAME: false, saying why, when AUTH cannot run here.
needs_auth()
{
	[ -z "$NOAUTH" ] && return 0
	echo "skip - $1: not run: $NOAUTH"
	return 1
}

# auth NAME MECH LOGIN PASSWORD CODE: CODE may be a grep -E pattern
auth()
{
	needs_auth "$1" || return 0
	e2e_swaks --to sha512@$DOMAIN --tls --auth "$2" --auth-user "$3" \
	    --auth-password "$4" --quit-after AUTH
	expect_match "$1 ($E2E_OUT)" "^($5)\$" "$(swaks_code)"
	expect_smtpd_alive "$1: smtpd and table alive"
}

# send NAME TO TAG: a message with Subject TAG from outside.
send()
{
	e2e_swaks --from someone@outside.test --to "$2" --h-Subject "$3" \
	    --body "e2e body $3"
}

# delivered NAME TO MAILBOX TAG: mail to TO lands in MAILBOX's maildir.
delivered()
{
	send "$1" "$2" "$4"
	expect_eq "$1: accepted ($E2E_OUT)" 250 "$(swaks_code)"
	if f=$(e2e_wait_mail "$(e2e_maildir "$3")" "$4"); then
		ok "$1: in $(dirname "$(dirname "$f")")"
	else
		fail "$1: no message '$4' in $(e2e_maildir "$3")/new"
	fi
	expect_smtpd_alive "$1: smtpd and table alive"
}

# refused NAME TO CODE: RCPT TO refused with CODE.
refused()
{
	e2e_swaks --from someone@outside.test --to "$2" --quit-after RCPT
	expect_eq "$1 ($E2E_OUT)" "$3" "$(swaks_code)"
	expect_smtpd_alive "$1: smtpd and table alive"
}

test_auth()
{
	for u in bcrypt sha512 sha256 yescrypt dovesha doveblf; do
		want=235
		case "$E2E_TABLE:$u" in
		debian:dove*)	want=535 ;;
		esac
		auth "AUTH PLAIN $u" PLAIN "$u@$DOMAIN" "pw-$u" $want
		[ "$u" != bcrypt ] || first=$E2E_OUT
		auth "AUTH LOGIN $u" LOGIN "$u@$DOMAIN" "pw-$u" $want
	done
	if needs_auth "235 text"; then
		expect_match "235 text" \
		    '^235 2\.0\.0 Authentication succeeded$' \
		    "$(swaks_reply "$first")"
	fi
	auth "wrong password (sha512)" PLAIN sha512@$DOMAIN pw-bcrypt 535
	if needs_auth "535 text"; then
		expect_eq "535 text" "535 Authentication failed" \
		    "$(swaks_reply)"
	fi
	auth "wrong password (bcrypt)" LOGIN bcrypt@$DOMAIN wrong 535
	auth "inactive user" PLAIN inactive@$DOMAIN pw-inactive 535
	auth "unknown user" PLAIN nobody@$DOMAIN pw-sha512 535
	auth "login is the address, not its local part" PLAIN sha512 \
	    pw-sha512 535
}

# A user name with a newline: smtpd 7.6.0-7.8.0 put it into the table
# request as it is, and a second answer would make smtpd exit at its
# next lookup.  The table answers the request error (smtpd: 421) and
# drops the line after.
# Before 7.6 it is only a key of an imsg frame; 7.9 refuses such a name
# itself (501).
test_smuggle()
{
	u="nobody@$DOMAIN
table|0.1|0.0|kit|check|domain|deadbeef|$DOMAIN"
	auth "AUTH PLAIN with a newline in the user name" PLAIN "$u" xx \
	    "535|501|421|454"
	auth "AUTH LOGIN with a newline in the user name" LOGIN "$u" xx \
	    "535|501|421|454"
	# a real login, a newline, then anything: not that login's hash
	auth "AUTH as a login with a newline after it, its password: refused" \
	    PLAIN "bcrypt@$DOMAIN
x" pw-bcrypt "535|501|454|421"
	auth "AUTH after it still answered" PLAIN sha512@$DOMAIN pw-sha512 \
	    235
	refused "lookups after it still answered" user@other.test 550
}

# sender NAME FROM CODE: bcrypt@ logged in, MAIL FROM:<FROM> gets CODE
# (the senders check, through the table's mailaddrmap).
sender()
{
	needs_auth "$1" || return 0
	e2e_swaks --from "$2" --to sha512@$DOMAIN --tls --auth PLAIN \
	    --auth-user bcrypt@$DOMAIN --auth-password pw-bcrypt \
	    --quit-after MAIL
	expect_eq "$1 ($E2E_OUT)" "$3" "$(swaks_code)"
	expect_smtpd_alive "$1: smtpd and table alive"
}

test_senders()
{
	sender "senders: own address" bcrypt@$DOMAIN 250
	sender "senders: an alias it receives" team@$DOMAIN 250
	sender "senders: an address granted to it" boss@example.net 250
	sender "senders: another user's address refused" sha512@$DOMAIN 530
	# Postfix's first match: bcrypt@'s grant of @example.net does not
	# cover owned@, who has an owner of its own; smtpd reads an @domain
	# entry as every address, so the table leaves that grant out.
	if [ "$E2E_TABLE" != debian ]; then
		sender "senders: an @domain grant leaves out an owned address" \
		    owned@example.net 530
	fi
	if needs_auth "senders: 530 text"; then
		expect_eq "senders: 530 text" "530 Sender rejected" \
		    "$(swaks_reply)"
	fi
}

# An apostrophe is an atext character, taken in an address by smtpd and
# auth-helper, but smtpd reads a table's alias and mailaddrmap answers
# as lists in which ' and " quote: unescaped, an owned o'brien@ made
# the senders check of its owner a temporary failure, and a target
# o'brien@ swallowed the comma after it (and the next target).
test_apostrophe()
{
	if [ "$E2E_TABLE" = debian ]; then
		echo "skip - apostrophes: Debian's table does not escape them"
		return 0
	fi
	e2e_sql "$DB" "INSERT INTO aliases VALUES
	    ('o''brien@example.com', 'bcrypt@example.com'),
	    ('quote@example.com', 'd''arcy@example.com'),
	    ('quote@example.com', 'sha512@example.com'),
	    ('d''arcy@example.com', 'sha256@example.com');"
	sender "senders: an owned address with an apostrophe" \
	    "o'brien@$DOMAIN" 250
	sender "senders: and the login's other addresses beside it" \
	    bcrypt@$DOMAIN 250
	sender "senders: another user's address still refused" \
	    sha512@$DOMAIN 530
	delivered "alias whose first target has an apostrophe: second" \
	    quote@$DOMAIN sha512@$DOMAIN e2e-apostrophe
	if e2e_wait_mail "$(e2e_maildir sha256@$DOMAIN)" e2e-apostrophe \
	    >/dev/null; then
		ok "alias whose first target has an apostrophe: first"
	else
		fail "alias whose first target has an apostrophe: no message in $(e2e_maildir sha256@$DOMAIN)/new"
	fi
}

# The configuration is edited to read a second database, which serves
# one more domain, and smtpctl update table makes the table reload it; a
# broken configuration then leaves the table serving the last good one.
test_update()
{
	DB2=$E2E_RUN/kit2.sqlite
	cp "$ROOT$DB" "$ROOT$DB2" && chmod 644 "$ROOT$DB2" ||
	    e2e_abort "cannot copy $ROOT$DB"
	e2e_sql "$DB2" "INSERT INTO domains VALUES ('example.org');
	    INSERT INTO users VALUES ('new@example.org', 'x', 1);"
	refused "before update: a domain of the new database" \
	    new@example.org 550
	sed "s|/kit.sqlite|/kit2.sqlite|" "$ROOT$E2E_RUN/kit.conf" \
	    >"$ROOT$E2E_RUN/kit.conf.new" &&
	    mv "$ROOT$E2E_RUN/kit.conf.new" "$ROOT$E2E_RUN/kit.conf" ||
	    e2e_abort "cannot edit $ROOT$E2E_RUN/kit.conf"
	chmod 644 "$ROOT$E2E_RUN/kit.conf"
	expect_eq "smtpctl update table after an edit" "command succeeded" \
	    "$(e2e_smtpctl update table kit 2>&1)"
	delivered "after update: mail to the new domain" new@example.org \
	    new@example.org e2e-update
	echo "bogus line" >"$ROOT$E2E_RUN/kit.conf"
	expect_eq "smtpctl update table, configuration broken: failed" \
	    "command failed" "$(e2e_smtpctl update table kit 2>&1)"
	delivered "the last good configuration still serves" \
	    new@example.org new@example.org e2e-update-kept
}

test_table_user()
{
	t=$(e2e_table_pids | head -n 1)
	uid=$(awk '/^Uid:/ { print $2 }' "/proc/$t/status" 2>/dev/null)
	want=$(awk -F: -v u="$E2E_SMTPD_USER" '$1 == u { print $3 }' \
	    "$ROOT/etc/passwd")
	expect_eq "table process runs as $E2E_SMTPD_USER" "$want" "$uid"
}

test_delivery()
{
	delivered "mail to a user" sha512@$DOMAIN sha512@$DOMAIN e2e-user
	delivered "mail to an alias" postmaster@$DOMAIN sha512@$DOMAIN \
	    e2e-alias
	delivered "mail to a mixed-case alias" PostMaster@Example.COM \
	    sha512@$DOMAIN e2e-case
	delivered "alias with two targets: first" team@$DOMAIN \
	    sha512@$DOMAIN e2e-team
	if e2e_wait_mail "$(e2e_maildir bcrypt@$DOMAIN)" e2e-team >/dev/null
	then
		ok "alias with two targets: second"
	else
		fail "alias with two targets: no message in $(e2e_maildir bcrypt@$DOMAIN)/new"
	fi
	delivered "catch-all of example.net" anyone@example.net \
	    sha256@$DOMAIN e2e-catchall
	refused "unknown user without catch-all" nobody@$DOMAIN 524
	expect_eq "524 text" \
	    "524 5.2.4 Mailing list expansion problem: <nobody@$DOMAIN>" \
	    "$(swaks_reply)"
	refused "domain not in domains" user@other.test 550
	expect_eq "550 text" "550 Invalid recipient: <user@other.test>" \
	    "$(swaks_reply)"
}

e2e_setup
SMTPD_V=$(awk '{ print $3 }' "$ROOT/etc/e2e-provisioned")
make_conf
make_db
smtpd_start "$E2E_DIR/smtpd.conf.in"
expect_smtpd_alive "smtpd $SMTPD_V and table started on port $E2E_PORT"
test_table_user
tls_probe
test_auth
test_smuggle
test_senders
test_delivery
test_apostrophe
test_update
smtpd_stop
test_done
