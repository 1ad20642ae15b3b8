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
# auth-helper migrate-postfix and import on the fixtures of tests/migrate,
# without a real Postfix (tests/e2e/t_migrate.sh has one): what is
# written, Dovecot 2.3 and 2.4 syntax giving the same accounts, -p with
# table-sqlite reading PostfixAdmin's database, and hostile input, which
# must end in one clear line and nothing written.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/migrate/lib.sh"

mig_tools
T=$(mktemp -d /tmp/t_migrate.XXXXXX)

# run NAME EXPECTED-STATUS COMMAND...: output in $OUT and $ERR
run()
{
	expect_exit "$@"
}

deploy()
{
	rm -rf "$T/$2"
	mig_deploy "$1" "$T/$2" "$T/$2" all smtp submission smtps \
	    /etc/ssl/mail.crt /etc/ssl/mail.key || fail "deploy $1"
}

mig()
{
	dir=$1
	shift
	"$AH" -f "$T/none.conf" migrate-postfix -D "$T/$dir/etc/dovecot" "$@" \
	    "$T/$dir/etc/postfix"
}

# migrated NAME DIR [ARG...]: migrate DIR's setup, with ARGs, into
# $T/DIR.out, checked as "NAME: migrate"; what it wrote in C (smtpd.conf),
# F (filter-submission.conf), M (filter-mx.conf) and R (the report)
migrated()
{
	m_name=$1
	m_out=$T/$2.out
	shift
	run "$m_name: migrate" 0 mig "$@" -o "$m_out"
	C=$(cat "$m_out/smtpd.conf" 2>/dev/null)
	F=$(cat "$m_out/filter-submission.conf" 2>/dev/null)
	M=$(cat "$m_out/filter-mx.conf" 2>/dev/null)
	R=$(cat "$m_out/migration-report.txt" 2>/dev/null)
}

# nothing_left NAME OUTDIR: no outdir and no temporary directory beside it
nothing_left()
{
	if [ -e "$2" ] || ls -d "$2".tmp.* >/dev/null 2>&1; then
		fail "$1: something was written: $(ls -d "$2"*)"
	else
		ok "$1: nothing written"
	fi
}

# pairs DATABASE WHERE [ORDER]: its aliases WHERE, each "address>target"
# and a space, on one line, in ORDER (by the pair unless given)
pairs()
{
	sqlite3 "$1" "SELECT address || '>' || target FROM aliases WHERE $2 ORDER BY ${3:-1}" |
	    tr '\n' ' '
}

# --- pfadmin: seed 001
deploy pfadmin pa
migrated pfadmin pa -c /etc/mail -d /var/db/mail/kit.sqlite
expect_match "pfadmin: says what it wrote" "wrote $T/pa.out" "$OUT"
for f in smtpd.conf sqlite.conf filter-submission.conf kit.sqlite \
    migration-report.txt; do
	[ -s "$T/pa.out/$f" ] && ok "pfadmin: $f written" ||
	    fail "pfadmin: $f missing"
done
[ ! -e "$T/pa.out/filter-mx.conf" ] && ok "pfadmin: no filter-mx.conf (port 25 requires AUTH)" ||
    fail "pfadmin: filter-mx.conf written for a port 25 that requires AUTH"
expect_eq "pfadmin: kit.sqlite, which holds the hashes, is mode 0600" 600 \
    "$(file_mode "$T/pa.out/kit.sqlite")"
expect_match "pfadmin: the report says to remove the directory" \
    "$T/pa.out/kit.sqlite holds every password hash: it is written mode 0600; .*remove $T/pa.out" \
    "$R"
expect_match "pfadmin: pki from smtpd_tls_cert_file" \
    'pki "mail.example.org" cert "/etc/ssl/mail.crt"' "$C"
expect_match "pfadmin: smtps for wrapper mode, port as a number" \
    'listen on "0.0.0.0" port 465 smtps pki "mail.example.org" auth-optional <kit> filter "submission"' "$C"
expect_nomatch "pfadmin: no interface groups" 'listen on (all|egress)' "$C"
expect_match "pfadmin: LMTP to Dovecot's socket" \
    'action "deliver" lmtp "/var/spool/postfix/private/dovecot-lmtp" rcpt-to virtual <kit>' "$C"
expect_match "pfadmin: filter by its bare name" \
    'filter "submission" proc-exec "filter-submission -f /etc/mail/filter-submission.conf"' "$C"
expect_eq "pfadmin: sqlite.conf names -d" "dbpath /var/db/mail/kit.sqlite" \
    "$(cat "$T/pa.out/sqlite.conf")"
expect_match "pfadmin: soft_bounce carried over" "^soft_bounce yes" "$F"
expect_match "pfadmin: no sender login maps, no sender check" \
    "^sender_check no" "$F"
expect_match "pfadmin: milters reported" "smtpd_milters = .*no milter" "$R"
expect_match "pfadmin: check_policy_service reported" \
    "check_policy_service unix:private/policy-spf .*not carried over" "$R"
expect_match "pfadmin: ARGON2ID listed by account" \
    "account argon@example.net \(\{ARGON2ID\}\)" "$R"
expect_match "pfadmin: rows per table" "aliases: 12 rows" "$R"
expect_match "pfadmin: an alias's disabled target left out, said" \
    "alias team@example.org: target left@example.org receives nothing .*not imported; Postfix bounced that copy and delivered to the other targets" "$R"
expect_match "pfadmin: PostfixAdmin's alias-domain queries read as pairs" \
    "virtual_alias_maps: .*virtual_alias_domain_maps.cf looks addresses up in PostfixAdmin's alias domains" "$R"
expect_match "pfadmin: the alias domain" \
    "@example.com @example.org, an alias domain: 6 aliases at example.com" "$R"
expect_nomatch "pfadmin: no query left that lists nothing" "returned no row" "$R"
# PostfixAdmin's vacation: a transport_maps entry to a pipe(8) service,
# and alias targets at its domain, which are no outside forwards.
deploy pfadmin pav
cat >>"$T/pav/etc/postfix/master.cf" <<'EOM'
vacation  unix  -       n       n       -       -       pipe
  flags=Rq user=vacation argv=/usr/lib/postfixadmin/vacation.pl -f ${sender} -- ${recipient}
EOM
printf 'autoreply.example.org\tvacation:\nlists.example.org\tsmtp:[10.0.0.2]\n' \
    >"$T/pav/etc/postfix/transport"
echo "transport_maps = hash:$T/pav/etc/postfix/transport" >>"$T/pav/etc/postfix/main.cf"
sqlite3 "$T/pav/home/vmail/database/vmail.sqlite3" "UPDATE alias SET goto = 'john@example.org,john#example.org@autoreply.example.org' WHERE address = 'john@example.org'"
migrated "pfadmin, vacation" pav
expect_match "vacation: the transport reported, with what to do" \
    "transport_maps: autoreply.example.org -> vacation:, a pipe\\(8\\) command .*Sieve vacation" "$R"
expect_match "vacation: the target named, not imported" \
    "alias john@example.org: target john#example.org@autoreply.example.org went to the vacation transport" "$R"
expect_eq "vacation: no forward to the autoreply domain" "" \
    "$(sqlite3 "$T/pav.out/kit.sqlite" "SELECT * FROM aliases WHERE target LIKE '%autoreply%'")"
expect_match "transport_maps: another next hop: the smtpd.conf lines given" \
    'transport_maps: lists.example.org -> smtp:\[10.0.0.2\]: not carried over; in smtpd.conf, an action .*relay host smtp://10.0.0.2 and match from any for domain lists.example.org' "$R"
# A translated query that lists nothing is flagged.
deploy pfadmin pa0
printf 'dbpath = %s\nquery = SELECT goto FROM alias WHERE address = '"'"'%%s'"'"' AND active = 2\n' \
    "$T/pa0/home/vmail/database/vmail.sqlite3" >"$T/pa0/etc/postfix/sql/virtual_alias_maps.cf"
run "pfadmin, a query that lists nothing: migrate -n" 0 mig pa0 -n
expect_match "pfadmin: a translated query with no row is flagged" \
    "virtual_alias_maps: .*virtual_alias_maps.cf: the query made to list every key returned no row" "$OUT"
D=$(sqlite3 "$T/pa.out/kit.sqlite" "SELECT address || '>' || target FROM aliases
    WHERE target <> '' ORDER BY 1; SELECT name FROM domains ORDER BY 1;
    SELECT login FROM users ORDER BY 1" | tr '\n' ' ')
expect_eq "pfadmin: database rows (inactive and backup MX left out)" \
    "@example.net>jane@example.org info@example.com>info@example.org info@example.org>john@example.org jane@example.com>jane@example.org john@example.com>john@example.org postmaster@example.com>postmaster@example.org postmaster@example.org>john@example.org sales@example.com>sales@example.org sales@example.org>jane@example.org sales@example.org>john@example.org team@example.com>team@example.org team@example.org>john@example.org example.com example.net example.org argon@example.net jane@example.org john@example.org old@example.net " "$D"
run "pfadmin: Dovecot 2.3 syntax" 0 "$AH" -f "$T/none.conf" migrate-postfix \
    -D "$T/pa/etc/dovecot23" -d /var/db/mail/kit.sqlite -o "$T/pa23.out" \
    "$T/pa/etc/postfix"
expect_eq "pfadmin: 2.3 and 2.4 give the same database" \
    "$(sqlite3 "$T/pa.out/kit.sqlite" .dump)" "$(sqlite3 "$T/pa23.out/kit.sqlite" .dump)"
before=$(cat "$T/pa.out/smtpd.conf")
run "pfadmin: an existing outdir" 1 mig pa -o "$T/pa.out"
expect_match "pfadmin: never overwritten" "exists: it is never overwritten" "$ERR"
expect_eq "pfadmin: the existing outdir untouched" "$before" \
    "$(cat "$T/pa.out/smtpd.conf")"
run "pfadmin: -n prints the report" 0 mig pa -n
expect_match "pfadmin: -n report" "## Intended differences from Postfix" "$OUT"
run "-p with -d" 1 mig pa -p -d /x.sqlite -o "$T/p1"
expect_match "-p with -d: says why" "-d has no meaning" "$ERR"
nothing_left "-p with -d" "$T/p1"

# -p: PostfixAdmin's database in place, read by table-sqlite.
run "pfadmin -p" 0 mig pa -p -o "$T/pap.out"
[ ! -e "$T/pap.out/kit.sqlite" ] && ok "-p: no kit.sqlite" ||
    fail "-p: kit.sqlite written"
expect_file_match "-p: sqlite.conf names PostfixAdmin's database" \
    "^dbpath $T/pa/home/vmail/database/vmail.sqlite3" "$T/pap.out/sqlite.conf"
P=$(printf '%s\n' "lookup alias john@example.org" "lookup alias sales@example.org" \
    "lookup alias @example.net" "check alias dead@example.org" \
    "check domain example.org" "check domain gone.example" \
    "check domain backup.example" "lookup credentials jane@example.org" \
    "check credentials left@example.org" "lookup mailaddrmap john@example.org" |
    "$DRIVE" -- "$TABLE" -d "$T/pap.out/sqlite.conf" 2>&1)
expect_match "-p: a mailbox is the virtual user" "lookup-result\|ID\|found\|vmail$" "$P"
expect_match "-p: comma-separated goto" "found\|john@example.org, ?jane@example.org|found\|jane@example.org, ?john@example.org" "$P"
expect_match "-p: catch-all" "found\|jane@example.org$" "$P"
expect_eq "-p: inactive alias, mailbox and domain, backup MX: not found" 4 \
    "$(echo "$P" | grep -c 'not-found')"
expect_match "-p: credentials, the {BLF-CRYPT} prefix stripped" \
    'found\|jane@example.org:\$2y\$05\$' "$P"
expect_match "-p: what john may send as" "info@example.org" "$P"

# owners_of CONF KEY: the logins query_owners of CONF answers for KEY,
# on PostfixAdmin's database, as lib/owner.c asks it (KEY bound as ?1).
owners_of()
{
	sqlite3 "$(sed -n 's/^dbpath //p' "$1")" ".parameter set ?1 '$2'" \
	    "$(sed -n 's/^query_owners //p' "$1")" | tr '\n' ' '
}
# -p with a PostfixAdmin sender map (mailbox and alias), and an alias
# named *@example.org: the key "*@domain" is the kit's grant of every
# address of the domain, which Postfix never read it as.
deploy pfadmin pas
cat >>"$T/pas/etc/postfix/main.cf" <<EOF
smtpd_sender_login_maps = sqlite:$T/pas/etc/postfix/sql/sender_login_maps.cf
smtpd_sender_restrictions = reject_sender_login_mismatch, permit_sasl_authenticated, reject
EOF
printf 'dbpath = %s\nquery = %s\n' "$T/pas/home/vmail/database/vmail.sqlite3" \
    "SELECT username FROM mailbox WHERE username='%s' AND active = '1' UNION SELECT goto FROM alias WHERE address='%s' AND active = '1'" \
    >"$T/pas/etc/postfix/sql/sender_login_maps.cf"
sqlite3 "$T/pas/home/vmail/database/vmail.sqlite3" \
    "INSERT INTO alias (address, goto, domain, active) VALUES ('*@example.org', 'jane@example.org', 'example.org', 1)"
migrated "-p, sender map reads the alias table" pas -p
expect_match "-p, sender map reads the alias table: said" \
    "smtpd_sender_login_maps reads the aliases \\(sqlite:.*sender_login_maps.cf reads the table alias of the alias queries\\)" \
    "$R"
expect_eq "-p: an alias's targets own it" "john@example.org " \
    "$(owners_of "$T/pas.out/sqlite.conf" info@example.org)"
expect_eq "-p: an alias named *@example.org grants no address of example.org" "" \
    "$(owners_of "$T/pas.out/sqlite.conf" '*@example.org')"
expect_eq "-p: a mailbox its login" "jane@example.org " \
    "$(owners_of "$T/pas.out/sqlite.conf" jane@example.org)"
# The sender map reads only the mailboxes: aliases own nothing.
printf 'dbpath = %s\nquery = %s\n' "$T/pas/home/vmail/database/vmail.sqlite3" \
    "SELECT username FROM mailbox WHERE username='%s' AND active = '1'" \
    >"$T/pas/etc/postfix/sql/sender_login_maps.cf"
run "-p, sender map reads the mailboxes only: migrate" 0 mig pas -p -o "$T/pas2.out"
expect_file_match "-p, sender map reads the mailboxes only: said" \
    "smtpd_sender_login_maps does not read virtual_alias_maps: query_owners and query_mailaddrmap of sqlite.conf read no alias" \
    "$T/pas2.out/migration-report.txt"
expect_eq "-p, sender map reads the mailboxes only: an alias's targets do not own it" "" \
    "$(owners_of "$T/pas2.out/sqlite.conf" info@example.org)"
expect_eq "-p, sender map reads the mailboxes only: a mailbox its login" \
    "jane@example.org " "$(owners_of "$T/pas2.out/sqlite.conf" jane@example.org)"
expect_nomatch "-p, sender map reads the mailboxes only: mailaddrmap reads no alias" \
    "FROM alias" "$(grep '^query_mailaddrmap ' "$T/pas2.out/sqlite.conf")"

# --- passwdfile: seeds 000 and 004
deploy passwdfile pw
migrated passwdfile pw
expect_match "passwdfile: port 25 is an MX" \
    'listen on "0.0.0.0" port 25 tls pki "mail.example.org" auth-optional <kit> filter "mx"' "$C"
expect_match "passwdfile: submission without smtpd's senders (it refuses MAIL FROM:<> after AUTH)" \
    'port 587 tls pki "mail.example.org" auth-optional <kit> filter "submission"' "$C"
expect_nomatch "passwdfile: senders <kit> on no listener" 'senders <' "$C"
expect_match "passwdfile: port 25 relayed for mynetworks: said" \
    "service smtp: permit_mynetworks: clients in mynetworks \\(127.0.0.1/32 \\[::1\\]/128\\) could relay without AUTH" \
    "$R"
expect_nomatch "passwdfile: 587 refused mynetworks without AUTH (Postfix 554): no such claim" \
    "service submission: permit_mynetworks" "$R"
# Debian's master.cf template: the client restrictions of 587 refuse
# everyone without AUTH (Postfix answers 554 to mynetworks too), and the
# relay restrictions of main.cf, with permit_mynetworks, stay.
deploy passwdfile pwc
sed_inplace -e '/-o smtpd_relay_restrictions=$/d' \
    -e 's/-o smtpd_client_restrictions=$/-o smtpd_client_restrictions=permit_sasl_authenticated,reject/' \
    "$T/pwc/etc/postfix/master.cf"
run "passwdfile, Debian's 587: migrate -n" 0 mig pwc -n
expect_nomatch "passwdfile, Debian's 587: no claim that mynetworks could relay there" \
    "service submission: permit_mynetworks" "$OUT"
expect_match "passwdfile, Debian's 587: the claim stays for port 25" \
    "service smtp: permit_mynetworks" "$OUT"
# Old restriction names still valid in Postfix 3.10, restrictions that
# become a named filter, and SASL settings: each has a report line.
cat >>"$T/pwc/etc/postfix/main.cf" <<'EOF'
smtpd_helo_required = yes
smtpd_helo_restrictions = reject_invalid_hostname, reject_non_fqdn_hostname
smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org
broken_sasl_auth_clients = yes
smtpd_sasl_security_options = noanonymous, noplaintext
EOF
run "passwdfile, more restrictions: migrate -n" 0 mig pwc -n
expect_match "reject_invalid_hostname: recognised by its old name" \
    "reject_invalid_hostname \\(service smtp\\): not carried over; the old name of reject_invalid_helo_hostname" "$OUT"
expect_match "reject_non_fqdn_hostname: recognised, the filter named" \
    "reject_non_fqdn_hostname \\(service smtp\\): not carried over; the old name of reject_non_fqdn_helo_hostname: the filter filter-rspamd" "$OUT"
expect_match "reject_rbl_client: the filter named" \
    "reject_rbl_client zen.spamhaus.org \\(service smtp\\): not carried over; DNS blocklists: the filter filter-dnsbl" "$OUT"
expect_nomatch "no restriction left unknown or to 'a filter' without a name" \
    "unknown to the migration; not carried over|; a filter\$" "$OUT"
expect_match "broken_sasl_auth_clients: reported" \
    "broken_sasl_auth_clients = yes: smtpd does not announce AUTH in the old AUTH= form" "$OUT"
expect_match "smtpd_sasl_security_options: reported" \
    "smtpd_sasl_security_options = noanonymous, noplaintext: smtpd offers AUTH PLAIN and LOGIN only" "$OUT"
expect_match "passwdfile: the report says who checks the owner, and why" \
    "checked by filter-submission \\(sender_check\\), not by smtpd's senders option, which would refuse the null sender <> after AUTH" \
    "$R"
expect_match "passwdfile: mode mx" "^mode mx" "$M"
expect_match "passwdfile: encrypt: require_tls" "^require_tls yes" "$F"
expect_match "passwdfile: reject_sender_login_mismatch: sender_check" \
    "^sender_check yes" "$F"
expect_match "passwdfile: recipient_delimiter carried over" \
    "^recipient_delimiter \+" "$F"
S=$(sqlite3 "$T/pw.out/kit.sqlite" "SELECT login || ':' || address FROM senders ORDER BY 1" | tr '\n' ' ')
# The sender map is no alias map: aliases own nothing, its owners are
# grants (info@ by john too, which virtual also points at john).
expect_eq "passwdfile: the sender map's owners, as grants" \
    "jane@example.org:billing@example.org john@example.org:@example.net john@example.org:info@example.org " "$S"
expect_eq "passwdfile: the sender map reads no alias: alias_owns no" "no" \
    "$(sqlite3 "$T/pw.out/kit.sqlite" "SELECT value FROM settings WHERE name = 'alias_owns'")"
expect_eq "passwdfile: no alias gives its targets an address" "" \
    "$(sqlite3 "$T/pw.out/kit.sqlite" "SELECT login || ':' || address FROM owners WHERE via = 'alias'")"
# virtual(5): "example.info anything" makes it a domain, and
# "@example.info @example.org" delivers local@example.info to
# local@example.org.
expect_eq "passwdfile: the alias domain: one alias per address of example.org" \
    "bob@example.info>bob@example.org info@example.info>info@example.org jane@example.info>jane@example.org john@example.info>john@example.org postmaster@example.info>postmaster@example.org sales@example.info>sales@example.org " \
    "$(pairs "$T/pw.out/kit.sqlite" "address LIKE '%example.info'")"
expect_match "passwdfile: the alias domain is a local domain" "example.info" \
    "$(sqlite3 "$T/pw.out/kit.sqlite" "SELECT name FROM domains")"
expect_match "passwdfile: the alias domain reported" \
    "@example.info @example.org, an alias domain: 6 aliases at example.info" "$R"
expect_match "passwdfile: what differs, and what to do for new addresses" \
    "alias domain example.info: Postfix rewrote every address.*auth-helper alias add local@example.info local@example.org" "$R"
expect_nomatch "passwdfile: the domain line is no alias" \
    "example.info: a bare user name|empty local part" "$R"
expect_match "passwdfile: mydestination and alias_maps: the lines to add" \
    'mydestination = mail.example.org localhost.example.org: Postfix delivered mail for these domains itself, through alias_maps = hash:/etc/aliases' "$R"
expect_match "passwdfile: mydestination: the local action through the aliases" \
    '^    action "local" mbox alias <aliases>$' "$R"
expect_match "passwdfile: mydestination: its domains" \
    '^    match from any for domain \{ mail.example.org localhost.example.org \} action "local"$' "$R"
expect_match "passwdfile: relay_domains: a backup MX, the lines to add" \
    'relay_domains = backup.example: Postfix was a backup MX' "$R"
expect_match "passwdfile: the mx filter told to leave relaying to smtpd's match lines" \
    '^in filter-mx.conf: relay_check no, with the lines above' "$R"
expect_match "passwdfile: relay_domains: the action" \
    '^    action "backup-mx" relay backup mx mail.example.org$' "$R"
expect_match "passwdfile: a mailbox without password reported" \
    "mailbox bob@example.org has no password" "$R"
expect_match "passwdfile: the report says aliases own nothing, and why" \
    "smtpd_sender_login_maps does not read virtual_alias_maps: the database has the setting alias_owns no" "$R"
expect_nomatch "passwdfile: no alias widens a login (sales@, the alias domain)" \
    "may now send as .* \(an alias pointing to it\)" "$R"
echo "dbpath $T/pw.out/kit.sqlite" >"$T/pw.owns"
run "passwdfile: jane may not send as sales@, which the sender map did not give" 1 \
    "$AH" -f "$T/pw.owns" owns jane@example.org sales@example.org
run "passwdfile: nor john as john@ the alias domain" 1 \
    "$AH" -f "$T/pw.owns" owns john@example.org john@example.info
run "passwdfile: john as info@, which it did" 0 \
    "$AH" -f "$T/pw.owns" owns john@example.org info@example.org

# The sender map is the alias map: aliases own, as Postfix read it.
deploy passwdfile pwv
sed_inplace 's|^smtpd_sender_login_maps = .*|smtpd_sender_login_maps = hash:'"$T"'/pwv/etc/postfix/virtual|' \
    "$T/pwv/etc/postfix/main.cf"
migrated "sender map = virtual_alias_maps" pwv
expect_eq "sender map = virtual_alias_maps: aliases own (no alias_owns row)" "" \
    "$(sqlite3 "$T/pwv.out/kit.sqlite" "SELECT value FROM settings WHERE name = 'alias_owns'")"
expect_match "sender map = virtual_alias_maps: said" \
    "smtpd_sender_login_maps reads the aliases \\(hash:.*virtual is a table of virtual_alias_maps\\)" \
    "$R"
# A key "*@domain": Postfix reads it as that address, never a grant.
deploy passwdfile pws
printf '*@example.org\tjane@example.org\n' >>"$T/pws/etc/postfix/sender_login"
migrated "sender map key *@domain" pws
expect_eq "sender map key *@domain: no grant of every address" "" \
    "$(sqlite3 "$T/pws.out/kit.sqlite" "SELECT login FROM senders WHERE address LIKE '*@%'")"
expect_match "sender map key *@domain: said" \
    'smtpd_sender_login_maps: \*@example.org: Postfix read this key as the address itself' \
    "$R"
run "passwdfile: Dovecot 2.3 syntax" 0 "$AH" -f "$T/none.conf" migrate-postfix \
    -D "$T/pw/etc/dovecot23" -o "$T/pw23.out" "$T/pw/etc/postfix"
expect_eq "passwdfile: 2.3 and 2.4 give the same database" \
    "$(sqlite3 "$T/pw.out/kit.sqlite" .dump)" "$(sqlite3 "$T/pw23.out/kit.sqlite" .dump)"

# --- personal: seed 002, TLS required but on port 25
deploy personal pe
migrated personal pe
expect_match "personal: smtps on the wrapper service" 'port 465 smtps pki "holly.example.org"' "$C"
expect_eq "personal: one mx configuration for 25 and 465, one requiring TLS for 587" \
    "filter-mx.conf filter-submission.conf" \
    "$(cd "$T/pe.out" && echo filter-*.conf)"
expect_match "personal: 587 takes mail for itself after STARTTLS" "^mode mx" \
    "$F"
expect_match "personal: 587 requires TLS" "^require_tls yes" "$F"

# --- cyrus: seed 003, saslauthd
deploy passwdfile cy
sed_inplace 's/^smtpd_sasl_type = dovecot/smtpd_sasl_type = cyrus/' "$T/cy/etc/postfix/main.cf"
migrated cyrus cy
expect_match "cyrus: says system accounts cannot be moved, and how to create them" \
    "smtpd_sasl_type = cyrus .*no account is moved; create each one with auth-helper user add" "$R"

# --- the other table types, $name forms, relayhost, rate limits
deploy passwdfile va
cp "$T/va/etc/postfix/virtual" "$T/va/etc/postfix/virtual.txt"
cat >>"$T/va/etc/postfix/main.cf" <<EOC
virtual_alias_maps = inline:{ { abuse@example.org = jane@example.org },
  team@example.org=john@example.org }, texthash:$T/va/etc/postfix/virtual.txt
  btree:$T/va/etc/postfix/virtual
mycert = /etc/ssl/va.pem
smtpd_tls_cert_file = \${mycert}
smtpd_tls_key_file = \${mykey:/etc/ssl/va.key}
relayhost = [smtp.example.net]:587
smtpd_client_message_rate_limit = 10
smtpd_recipient_limit = 50
EOC
migrated variants va
expect_match "variants: \${name} and \${name:text}" \
    'pki "mail.example.org" cert "/etc/ssl/va.pem".*' "$C"
expect_match "variants: \${name:text} when unset" \
    'pki "mail.example.org" key "/etc/ssl/va.key"' "$C"
expect_match "variants: relayhost" \
    'action "outbound" relay host "smtp://smtp.example.net:587"' "$C"
expect_match "variants: smtpd_client_message_rate_limit" \
    "^messages_per_hour 600" "$F"
expect_match "variants: smtpd_recipient_limit" "^recipients_per_message 50" "$F"
expect_eq "variants: inline: and texthash: aliases, the first table wins" \
    "abuse@example.org>jane@example.org info@example.org>john@example.org postmaster@example.org>john@example.org sales@example.org>jane@example.org sales@example.org>john@example.org team@example.org>john@example.org " \
    "$(pairs "$T/va.out/kit.sqlite" "target <> '' AND address LIKE '%@example.org'")"

# warn_if_reject: the rule is on, and warns only.
deploy passwdfile wr
printf 'smtpd_sender_restrictions = warn_if_reject reject_unauthenticated_sender_login_mismatch\n' \
    >>"$T/wr/etc/postfix/main.cf"
migrated warn_if_reject wr
expect_match "warn_if_reject: the rule is on" "^unauth_sender_check yes" "$M"
expect_match "warn_if_reject: warn_only yes" "^warn_only yes" "$M"
expect_match "warn_if_reject: submission unchanged" "^warn_only no" "$F"
expect_match "warn_if_reject: in the report" \
    "warn_if_reject reject_unauthenticated_sender_login_mismatch: warn_only yes" \
    "$R"

# --- values smtpd.conf must hold quoted: a '#' would comment out the rest
deploy passwdfile hash
cat >>"$T/hash/etc/postfix/main.cf" <<EOC
myhostname = mail.example.org#x
relayhost = [smtp.example.net#y]:587
EOC
migrated quoting hash
expect_match "quoting: myhostname with a '#' in pki, quoted" \
    '^pki "mail\.example\.org#x" cert "' "$C"
expect_match "quoting: myhostname with a '#' in tls pki, quoted" \
    'tls pki "mail\.example\.org#x" auth-optional' "$C"
expect_match "quoting: relayhost with a '#', quoted" \
    '^action "outbound" relay host "smtp://smtp\.example\.net#y:587"$' "$C"
expect_nomatch "quoting: no bare word holds a '#'" '^[^"#]*[^" ]#' "$C"
deploy passwdfile bs
printf 'myhostname = mail\\example.org\n' >>"$T/bs/etc/postfix/main.cf"
run "quoting: a backslash smtpd.conf cannot hold is refused" 1 \
    mig bs -o "$T/bs.out"
expect_match "quoting: says why" "myhostname = mail.example.org: a backslash" \
    "$ERR"
nothing_left "quoting: backslash" "$T/bs.out"

# --- hostile input: one line, nothing written
hostile()
{
	h_name=$1
	h_want=$2
	h_pat=$3
	run "hostile: $h_name" "$h_want" mig h -o "$T/h.out"
	if [ "$h_want" = 1 ]; then
		expect_match "hostile: $h_name: says why" "$h_pat" "$ERR"
		expect_eq "hostile: $h_name: one line" 1 "$(echo "$ERR" | wc -l)"
		nothing_left "hostile: $h_name" "$T/h.out"
	else
		expect_match "hostile: $h_name: in the report" "$h_pat" \
		    "$(cat "$T/h.out/migration-report.txt")"
		rm -rf "$T/h.out"
	fi
}

deploy passwdfile h
printf 'frobnicate_level = 11\n' >>"$T/h/etc/postfix/main.cf"
hostile "unknown parameter" 0 "frobnicate_level = 11 .*unknown to the migration"
deploy passwdfile h
printf '   smtpd_banner = orphan\n' >"$T/h/main.head"
cat "$T/h/main.head" "$T/h/etc/postfix/main.cf" >"$T/h/m" &&
    mv "$T/h/m" "$T/h/etc/postfix/main.cf"
hostile "continuation line without a line" 0 \
    "line 1: logical line must not start with white space"
deploy passwdfile h
printf 'a = $b\nb = ${a}\nvirtual_alias_maps = $a\n' >>"$T/h/etc/postfix/main.cf"
hostile "\$name loop" 1 'loop: a -> \$b -> \$a'
deploy passwdfile h
rm "$T/h/etc/postfix/virtual"
hostile "missing map" 1 "cannot read the source file .*/virtual: No such file"
deploy passwdfile h
rm "$T/h/etc/postfix/virtual"
mkdir "$T/h/etc/postfix/virtual"
hostile "unreadable map" 1 "cannot read the source file .*/virtual: Is a directory"
deploy pfadmin h
echo "query = SELECT goto FROM alias WHERE address LIKE '%%%s'" \
    >"$T/h/etc/postfix/sql/virtual_alias_maps.cf.q"
sed_inplace "s|^query = .*|query = SELECT goto FROM alias WHERE address = CONCAT('%u', '@', '%d')|" \
    "$T/h/etc/postfix/sql/virtual_alias_maps.cf"
hostile "SQL that cannot be translated" 1 \
    "query of .*virtual_alias_maps.cf cannot be translated \(a placeholder inside a subquery or expression\)"
deploy pfadmin h
sed_inplace "s|^sqlite_path = .*|sqlite_path = $T/h/nothing.sqlite|" \
    "$T/h/etc/dovecot/conf.d/auth-sql.conf"
hostile "passdb pointing to nothing" 1 "dovecot passdb sql .*cannot open .*nothing.sqlite.*points to nothing"
deploy pfadmin h
sed_inplace "s|^  query = .*|  #|" "$T/h/etc/dovecot/conf.d/auth-sql.conf"
sed_inplace "/FROM mailbox WHERE/d" "$T/h/etc/dovecot/conf.d/auth-sql.conf"
hostile "passdb without a query" 1 "no password query: the passdb points to nothing"
deploy passwdfile h
printf 'smtp inet n - y\n' >>"$T/h/etc/postfix/master.cf"
hostile "short master.cf line" 1 "a service needs 8 fields, this one has 5"
deploy passwdfile h
printf 'smtpd_banner\n' >>"$T/h/etc/postfix/main.cf"
hostile "main.cf line without =" 1 "missing '=' after parameter name"
deploy passwdfile h
printf 'x = a\0b\n' >>"$T/h/etc/postfix/main.cf"
hostile "NUL byte" 0 "a NUL byte"
deploy passwdfile h
run "hostile: no postfix directory" 1 "$AH" migrate-postfix -o "$T/h.out" "$T/nowhere"
expect_match "hostile: no postfix directory: says why" "cannot read $T/nowhere/main.cf" "$ERR"
nothing_left "hostile: no postfix directory" "$T/h.out"
run "hostile: no -o" 1 mig h
expect_match "hostile: no -o: says what to give" "give -o outdir" "$ERR"
run "hostile: outdir in a missing directory" 1 mig h -o "$T/no/such/out"
expect_match "hostile: outdir in a missing directory: says why" \
    "cannot make a directory beside" "$ERR"

# --- mysql: and pgsql: maps: the export lines of the report
deploy mysql my
run "mysql: migrate -n" 0 mig my -n
expect_match "mysql: the sender map is the alias query: aliases own" \
    "smtpd_sender_login_maps reads the aliases \\(mysql:.*sender_login_maps.cf is a table of virtual_alias_maps\\)" \
    "$OUT"
expect_match "mysql: the alias domains' aliases widen, said with the way back" \
    "alias domains \\(mysql:.*virtual_alias_domain_maps.cf\\): each alias the import makes.*auth-helper alias owns no" \
    "$OUT"
# Its rows are read by the import, not here: no claim about them.
expect_nomatch "mysql: no claim about rows of a mysql: sender map it cannot read" \
    "may now send as" "$OUT"
expect_match "mysql: the domains' export, as the map connects" \
    '^mysql --defaults-extra-file=mysql-postfix.cnf --batch --skip-column-names --default-character-set=utf8mb4 --socket=/run/mysqld/mysqld.sock --user=postfix --database=postfixadmin --execute="SELECT \* FROM \(SELECT domain AS pf_key, domain FROM domain WHERE domain=domain AND backupmx = 0 AND active = 1\) AS t" > domains.tsv  # virtual_mailbox_domains = mysql:' \
    "$OUT"
# The fixture has PostfixAdmin's vacation (transport_maps to a pipe(8)
# service): the import leaves the targets the command took (-X).
expect_eq "mysql: the import, last, without the vacation targets, then the password file goes" \
    "auth-helper -f /etc/mail/sqlite.conf import -t -d domains.tsv -a aliases.tsv -s senders.tsv -X autoreply.example.org; rm -f mysql-postfix.cnf" \
    "$(printf '%s\n' "$OUT" | tail -n 1 | sed 's/  #.*//')"
expect_eq "mysql: one password prompt, before the exports" \
    "(umask 077; stty -echo" \
    "$(printf '%s\n' "$OUT" | sed -n '/^## To run by hand/{n;p;}' | cut -c 1-22)"
expect_eq "mysql: only one" 1 "$(printf '%s\n' "$OUT" | grep -c '^(umask 077;')"
expect_match "mysql: PostfixAdmin's CONCAT alias-domain query: its pairs exported" \
    "SELECT CONCAT\\('@', alias_domain\\) AS pf_key, CONCAT\\('@', target_domain\\) AS target FROM alias_domain WHERE active = '1'\\) AS t\" >> aliases.tsv" \
    "$OUT"
expect_nomatch "mysql: no INTO OUTFILE, no password" "OUTFILE|postfixpw" "$OUT"
expect_match "mysql: the SQL mailbox map reported, with what to check" \
    "virtual_mailbox_maps = mysql:.*virtual_mailbox_maps.cf: not exported: the kit's mailboxes are the accounts of Dovecot's passdb" "$OUT"
expect_nomatch "mysql: the alias-domain mailbox map is no such case" \
    "virtual_alias_domain_mailbox_maps.cf: not exported" "$OUT"
# pgsql: a URI, inet:host:port, a quoted identifier and a $ in a query,
# Dovecot's sql passdb with a quoted value in its connect string.
sed_inplace 's/mysql:/pgsql:/' "$T/my/etc/postfix/main.cf"
sed_inplace 's|^hosts = .*|hosts = postgresql://db.example.org:5433/pfa|' \
    "$T/my/etc/postfix/mysql/virtual_mailbox_domains.cf"
sed_inplace -e 's|^hosts = .*|hosts = inet:db.example.org:5433|' \
    -e "s|^query = .*|query = SELECT goto FROM \"alias\" WHERE address='%s' AND goto <> '\$x'|" \
    "$T/my/etc/postfix/mysql/virtual_alias_maps.cf"
cat >"$T/my/etc/dovecot/conf.d/auth-passwdfile.conf" <<EOF
passdb sql {
  sql_driver = pgsql
  connect = host=/run/postgresql dbname="pfa" user=dovecot password=secret
  default_password_scheme = sha512-crypt
  password_query = SELECT username AS user, password FROM mailbox WHERE local_part = '%{user|username}' AND domain = '%{user|domain}'
}
EOF
run "pgsql: migrate -n" 0 mig my -n
grep -E '^PGCLIENTENCODING=UTF8 psql ' >"$T/pg.lines" <<EOF
$OUT
EOF
expect_match "pgsql: PostfixAdmin's alias-domain query: its pairs exported" \
    "COPY \\(SELECT \\* FROM \\(SELECT '@' \\|\\| alias_domain AS pf_key, '@' \\|\\| target_domain AS target FROM alias_domain WHERE active = '1'\\) AS t\\) TO STDOUT WITH \\(FORMAT csv\\)\" >> aliases.csv" \
    "$OUT"
expect_eq "pgsql: an export for domains, users, aliases (three tables) and senders" 6 \
    "$(wc -l <"$T/pg.lines" | tr -d ' ')"
expect_nomatch "pgsql: no password" "postfixpw|secret" "$OUT"
# What the shell hands psql, with a psql that prints its arguments.
mkdir -p "$T/bin"
printf '#!/bin/sh\nprintf "[%%s]\\n" "$@"\n' >"$T/bin/psql"
chmod +x "$T/bin/psql"
args()
{
	grep -- "$1" "$T/pg.lines" | (cd "$T" && PATH=$T/bin:$PATH sh -c \
	    "$(cat)"; cat "$2")
}
# expect_args NAME EXPECTED PATTERN OUTFILE: the export line PATTERN
# hands its client these arguments, one "[ARG]" each, on one line
expect_args()
{
	expect_eq "$1" "$2" "$(args "$3" "$4" | tr '\n' ' ' | sed 's/ $//')"
}
expect_args "pgsql: the URI of hosts is the database" \
    "[--no-psqlrc] [--username=postfix] [--dbname=postgresql://db.example.org:5433/pfa] [--command=COPY (SELECT * FROM (SELECT domain AS pf_key, domain FROM domain WHERE domain=domain AND backupmx = 0 AND active = 1) AS t) TO STDOUT WITH (FORMAT csv)]" \
    '> domains.csv' "$T/domains.csv"
expect_args "pgsql: inet:host:port, quotes and \$ reach psql unchanged" \
    "[--no-psqlrc] [--host=db.example.org] [--port=5433] [--username=postfix] [--dbname=postfixadmin] [--command=COPY (SELECT * FROM (SELECT address AS pf_key, goto FROM \"alias\" WHERE address=address AND goto <> '\$x') AS t) TO STDOUT WITH (FORMAT csv)]" \
    ' > aliases.csv' "$T/aliases.csv"
expect_args "pgsql: the passdb's connect, the default scheme on bare hashes" \
    "[--no-psqlrc] [--host=/run/postgresql] [--username=dovecot] [--dbname=pfa] [--command=COPY (SELECT pf_key, CASE WHEN password IS NULL OR password = '' OR password LIKE '{%' THEN password ELSE CONCAT('{SHA512-CRYPT}', password) END FROM (SELECT local_part || '@' || domain AS pf_key, username AS user, password FROM mailbox WHERE local_part = local_part AND domain = domain) AS t) TO STDOUT WITH (FORMAT csv)]" \
    '> users.csv' "$T/users.csv"
expect_eq "pgsql: the import of CSV, without -t" \
    "auth-helper -f /etc/mail/sqlite.conf import -d domains.csv -u users.csv -a aliases.csv -s senders.csv -X autoreply.example.org" \
    "$(printf '%s\n' "$OUT" | tail -n 1 | sed 's/  #.*//')"

# Dovecot 2.4: the connection in a "mysql HOST {" section.
cat >"$T/my/etc/dovecot/conf.d/auth-passwdfile.conf" <<EOF
sql_driver = mysql
mysql /run/mysqld/mysqld.sock {
  user = dovecot
  password = secret
  dbname = mail
}
passdb sql {
  query = SELECT username AS user, password FROM mailbox WHERE username = '%{user}'
}
EOF
run "mysql 2.4 passdb: migrate -n" 0 mig my -n
printf '#!/bin/sh\nprintf "[%%s]\\n" "$@"\n' >"$T/bin/mysql"
chmod +x "$T/bin/mysql"
grep -E '^mysql .*> users\.tsv' >"$T/pg.lines" <<EOF
$OUT
EOF
expect_args "mysql 2.4 passdb: its section's connection" \
    "[--defaults-extra-file=mysql-dovecot.cnf] [--batch] [--skip-column-names] [--default-character-set=utf8mb4] [--socket=/run/mysqld/mysqld.sock] [--user=dovecot] [--database=mail] [--execute=SELECT pf_key, CASE WHEN password IS NULL OR password = '' OR password LIKE '{%' THEN password ELSE CONCAT('{MD5}', password) END FROM (SELECT username AS pf_key, username AS user, password FROM mailbox WHERE username = username) AS t]" \
    '> users.tsv' "$T/users.tsv"
expect_nomatch "mysql 2.4 passdb: no password" "secret" "$OUT"
expect_match "mysql 2.4 passdb: an import of each kind" \
    "import -t -u users.tsv; rm -f mysql-dovecot.cnf  #.*import -d domains.csv -a aliases.csv -s senders.csv -X autoreply.example.org  #" \
    "$(printf "%s" "$OUT" | tr "\n" " ")"

# --- import
# imp DB ARG...: auth-helper import into $T/DB.sqlite
imp()
{
	i_db=$1
	shift
	"$AH" -f "$T/$i_db.conf" import "$@"
}
echo "dbpath $T/imp.sqlite" >"$T/imp.conf"
"$AH" -f "$T/imp.conf" init >/dev/null
printf 'domain\nexample.org\n"Example.NET"\n' >"$T/d.csv"
printf 'login,password\njohn@example.org,"{SHA512-CRYPT}$6$x$y"\r\njane@example.org,{ARGON2ID}$argon2id$v=19$x\n' >"$T/u.csv"
printf 'address,goto\ninfo@example.org,"john@example.org,jane@example.org"\n@example.net,jane@example.org\njohn@example.org,john@example.org\n' >"$T/a.csv"
printf 'billing@example.org,jane@example.org\n' >"$T/s.csv"
run "import" 0 imp imp -d "$T/d.csv" -u "$T/u.csv" -a "$T/a.csv" -s "$T/s.csv"
expect_eq "import: counts" "imported 2 domains, 2 users, 3 aliases, 1 sender grants" "$OUT"
expect_match "import: an unusable hash is named" "jane@example.org: no code of the kit checks a \{ARGON2ID\} hash" "$ERR"
expect_eq "import: rows" "info@example.org>jane@example.org info@example.org>john@example.org @example.net>jane@example.org " \
    "$(pairs "$T/imp.sqlite" "target <> ''" "address DESC, target")"
before=$(sqlite3 "$T/imp.sqlite" .dump)
printf 'x@other.example,y@example.org\n' >"$T/bad.csv"
run "import: a row outside the local domains" 0 imp imp \
    -d "$T/d.csv" -a "$T/bad.csv"
expect_match "import: skipped, named with its file and line" \
    "skipped 1 row of other.example, which is not a domain of the kit .*bad.csv, line 1" "$ERR"
expect_eq "import: the domain is not added" "" \
    "$(sqlite3 "$T/imp.sqlite" "SELECT name FROM domains WHERE name = 'other.example'")"
printf 'a@example.org,"unclosed\n' >"$T/bad2.csv"
run "import: malformed CSV" 1 imp imp -a "$T/bad2.csv"
expect_match "import: says so" "malformed CSV: a quoted field is not closed" "$ERR"
printf 'x@example.org,nobody@example.org\n' >"$T/bad3.csv"
run "import: a grant to no user is left out" 0 imp imp -s "$T/bad3.csv"
expect_match "import: says so" \
    "nobody@example.org may send as x@example.org, but is no user of the kit" \
    "$ERR"
expect_eq "import: failures change nothing" "$before" "$(sqlite3 "$T/imp.sqlite" .dump)"
run "import: again, the same rows" 0 imp imp -d "$T/d.csv" \
    -u "$T/u.csv" -a "$T/a.csv" -s "$T/s.csv"
expect_eq "import: running it again changes nothing" "$before" "$(sqlite3 "$T/imp.sqlite" .dump)"
# A sender map key "*@domain": Postfix read it as that one address.
printf '*@example.org,jane@example.org\n' >"$T/star.csv"
run "import: a sender key *@domain" 0 imp imp -s "$T/star.csv"
expect_match "import: a sender key *@domain: said" \
    '\*@example.org: Postfix read this key as the address itself, which no sender uses; not imported' \
    "$ERR"
expect_eq "import: a sender key *@domain: no grant of every address" "" \
    "$(sqlite3 "$T/imp.sqlite" "SELECT login FROM senders WHERE address LIKE '*@%'")"

# --- import: an alias domain row, "@example.com,@example.org", as
# virtual(5) has it and migrate-postfix exports PostfixAdmin's.
echo "dbpath $T/ad.sqlite" >"$T/ad.conf"
"$AH" -f "$T/ad.conf" init >/dev/null
printf 'example.org\nexample.com\n' >"$T/add.csv"
printf 'john@example.org,{SHA512-CRYPT}$6$x$y\njane@example.org,{SHA512-CRYPT}$6$x$y\n' >"$T/adu.csv"
printf '@example.com,@example.org\nsales@example.org,"john@example.org,jane@example.org"\n@example.org,"john@example.org,jane@example.org"\njane@example.com,john@example.org\n' >"$T/ada.csv"
run "import: an alias domain" 0 imp ad -d "$T/add.csv" \
    -u "$T/adu.csv" -a "$T/ada.csv"
expect_eq "import: an alias domain: an alias per address, the catch-all, an own entry kept" \
    "@example.com>jane@example.org @example.com>john@example.org jane@example.com>john@example.org john@example.com>john@example.org sales@example.com>sales@example.org " \
    "$(pairs "$T/ad.sqlite" "address LIKE '%example.com'")"
expect_match "import: an alias domain: said" \
    "alias domain example.com -> example.org: 4 aliases at example.com" "$ERR"

# --- import of PostfixAdmin's rows: its "ALL" domain and a disabled
# domain whose mailboxes and aliases its Dovecot and alias queries still
# return (they do not check domain.active).  Postfix never used them.
echo "dbpath $T/pfa.sqlite" >"$T/pfa.conf"
"$AH" -f "$T/pfa.conf" init >/dev/null
printf 'ALL\nexample.org\n' >"$T/pd.tsv"
printf 'john@example.org\t{SHA512-CRYPT}$6$x$y\t1\nold@gone.example\t{SHA512-CRYPT}$6$x$z\t1\nleft@gone.example\t{SHA512-CRYPT}$6$x$w\t1\n' >"$T/pu.tsv"
printf 'postmaster@example.org\tjohn@example.org\nabuse@gone.example\told@gone.example\n' >"$T/pa.tsv"
run "import: PostfixAdmin's rows" 0 imp pfa -t \
    -d "$T/pd.tsv" -u "$T/pu.tsv" -a "$T/pa.tsv"
expect_eq "import: PostfixAdmin's rows: counts" \
    "imported 1 domains, 1 users, 1 aliases, 0 sender grants; skipped 4 rows (above)" "$OUT"
expect_match "import: the ALL row skipped and named" \
    "skipped PostfixAdmin's placeholder domain ALL \\($T/pd.tsv, line 1\\)" "$ERR"
expect_match "import: one warning names every row of the disabled domain" \
    "skipped 3 rows of gone.example, .*pu.tsv, line 2; .*pu.tsv, line 3; .*pa.tsv, line 2\\)" "$ERR"
expect_eq "import: one warning per domain" 2 "$(echo "$ERR" | grep -c skipped)"
expect_eq "import: the disabled domain is not re-enabled" "example.org" \
    "$(sqlite3 "$T/pfa.sqlite" "SELECT name FROM domains ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "import: nothing of it imported" "0" \
    "$(sqlite3 "$T/pfa.sqlite" "SELECT count(*) FROM users WHERE login LIKE '%gone.example'")"
# Really broken rows, in two files: every one named, nothing imported.
before=$(sqlite3 "$T/pfa.sqlite" .dump)
printf 'ok.example\nbad..example\nalso ok.example\n' >"$T/bd.csv"
printf 'john@example.org,"{SHA512-CRYPT}x"\nnot an address,x\nonly-one-field\n' >"$T/bu.csv"
run "import: broken rows" 1 imp pfa -d "$T/bd.csv" -u "$T/bu.csv"
expect_match "import: broken rows: the first" "bd.csv, line 2: bad..example" "$ERR"
expect_match "import: broken rows: the next of the same file" "bd.csv, line 3: also ok.example" "$ERR"
expect_match "import: broken rows: of the next file" "bu.csv, line 2: not an address" "$ERR"
expect_match "import: broken rows: and its last" "bu.csv, line 3: fewer than 2 fields" "$ERR"
expect_match "import: broken rows: nothing imported" "4 rows or files cannot be imported \\(above\\); nothing imported" "$ERR"
expect_eq "import: broken rows: the database unchanged" "$before" "$(sqlite3 "$T/pfa.sqlite" .dump)"

# --- import: an alias with a disabled target (no account, no alias):
# left out, as Postfix bounced that copy and delivered to the others.
printf 'team@example.org,"john@example.org,left@example.org"\ntag@example.org,john+x@example.org\n' >"$T/adt.csv"
run "import: an alias with a disabled target" 0 imp pfa -a "$T/adt.csv"
expect_eq "import: the live targets only" \
    "tag@example.org>john+x@example.org team@example.org>john@example.org " \
    "$(pairs "$T/pfa.sqlite" "address IN ('team@example.org', 'tag@example.org')")"
expect_match "import: the disabled target named" \
    "alias team@example.org: target left@example.org receives nothing" "$ERR"

# --- import -X: alias targets that went to a command (vacation)
printf 'jane@example.org\tjane@example.org,jane#example.org@autoreply.example.org\n' >"$T/vac.tsv"
run "import -X" 0 imp pfa -t -a "$T/vac.tsv" -X autoreply.example.org
expect_match "import -X: the vacation target named" \
    "alias jane@example.org: target jane#example.org@autoreply.example.org went to a command" "$ERR"
expect_eq "import -X: never an outside forward" "" \
    "$(sqlite3 "$T/pfa.sqlite" "SELECT * FROM aliases WHERE target LIKE '%autoreply%'")"
run "import -X: not a domain" 1 imp pfa -a "$T/vac.tsv" -X 'a b..c'
expect_match "import -X: says why" "import: -X" "$ERR"

# --- import -t: tab-separated, as mysql --batch writes it
printf 'tab.example\tdesc\\twith\\ttabs\\\\ and a \\nbreak\n' >"$T/d.tsv"
printf 'ops@tab.example\tjohn@example.org,\\tjane@example.org\\nx@example.net\tNULL\n' >"$T/a.tsv"
run "import -t" 0 imp imp -t -d "$T/d.tsv" -a "$T/a.tsv"
expect_eq "import -t: counts" "imported 1 domains, 0 users, 1 aliases, 0 sender grants" "$OUT"
expect_eq "import -t: escaped tab and line break separate targets; NULL is empty" \
    "jane@example.org john@example.org x@example.net " \
    "$(sqlite3 "$T/imp.sqlite" "SELECT target FROM aliases WHERE address = 'ops@tab.example' ORDER BY target" | tr '\n' ' ')"
before=$(sqlite3 "$T/imp.sqlite" .dump)
printf 'a@example.org\tx\\qy@example.org\n' >"$T/bad.tsv"
run "import -t: an escape mysql does not write" 1 imp imp -t -a "$T/bad.tsv"
expect_match "import -t: says so" "bad.tsv, line 1: malformed tab-separated text: a backslash that mysql --batch does not write" "$ERR"
printf 'a@example.org\tx\\0y@example.org\n' >"$T/bad.tsv"
run "import -t: an escaped NUL" 1 imp imp -t -a "$T/bad.tsv"
expect_match "import -t: refused" "a NUL byte" "$ERR"
expect_eq "import -t: failures change nothing" "$before" "$(sqlite3 "$T/imp.sqlite" .dump)"

test_done "$T"
