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
# A hostile client against a real smtpd with the kit, on a loose
# smtpd.conf (tls, auth-optional, relay for any): each way around the
# policy an attacker found, as a client sends it, and what smtpd then
# does with the message.  smtpchat plays the sessions swaks cannot.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../fail2ban.sh"

CHAT=$E2E_TOP/tests/tools/smtpchat
PW=summersun

# make_conf MODE [FILTER-LINES]: smtpd.conf, the table and the filter.
make_conf()
{
	e2e_policy_conf "$1" "$2" "hostname example.org"
}

make_db()
{
	e2e_users_db "$DB" "$PW" '$2b$08$e2e.salt.for.hostile.tst' \
	    john@example.org jane@example.org jane+sales@example.org \
	    rate@example.org lock@example.org
}

# chat NAME: run smtpchat with the script on stdin; the transcript is
# in $E2E_OUT
chat()
{
	E2E_NSWAKS=$((E2E_NSWAKS + 1))
	E2E_OUT=$E2E_DIR/chat.$E2E_NSWAKS.out
	"$CHAT" "$E2E_PORT" >"$E2E_OUT" 2>&1
}

# token LOGIN PASSWORD: the AUTH PLAIN initial response
token() { printf '\0%s\0%s' "$1" "$2" | base64 | tr -d '\n'; }

# not_delivered NAME MAILBOX TAG
not_delivered()
{
	if e2e_wait_mail "$(e2e_maildir "$2")" "$3" 1 >/dev/null ||
	    e2e_wait_mail "$ROOT$E2E_VMAIL/outbound" "$3" 0 >/dev/null; then
		fail "$1: the message was delivered"
	else
		ok "$1: not delivered"
	fi
}

AUTHJ="--tls --auth PLAIN --auth-user john@example.org --auth-password $PW"
AUTHJANE="--tls --auth PLAIN --auth-user jane@example.org --auth-password $PW"

test_envelope()
{
	e2e_swaks --from 'john+x:jane@example.org' --to jane@example.org \
	    $AUTHJ --h-Subject e2e-colon
	expect_eq "MAIL FROM:<john+x:jane@...>: judged as jane ($E2E_OUT)" \
	    "553 5.7.1 <jane@example.org>: Sender address rejected: not owned by user john@example.org" \
	    "$(swaks_reply)"
	not_delivered "MAIL FROM:<john+x:jane@...>" jane@example.org e2e-colon

	e2e_swaks --from '@relay.test:jane@example.org' --to x@remote.test \
	    $AUTHJ --quit-after RCPT
	expect_eq "a source route before another user's address ($E2E_OUT)" \
	    553 "$(swaks_code)"

	e2e_swaks --from 'x:john@example.org' --to jane@example.org $AUTHJ \
	    --h-From 'John <john@example.org>' --h-Subject e2e-ownroute
	expect_eq "a ':' prefix before the own address: accepted ($E2E_OUT)" \
	    250 "$(swaks_code)"

	e2e_swaks --from jane --to x@remote.test $AUTHJ --quit-after RCPT
	expect_eq "no domain: completed by smtpd as jane@example.org ($E2E_OUT)" \
	    "553 5.7.1 <jane@example.org>: Sender address rejected: not owned by user john@example.org" \
	    "$(swaks_reply)"
	expect_all_alive "after the envelope tricks"
}

test_delimiter()
{
	e2e_swaks --from jane+sales@example.org --to john@example.org \
	    $AUTHJANE --h-Subject e2e-delim-sales
	expect_eq "jane may not send as the account jane+sales ($E2E_OUT)" \
	    "553 5.7.1 <jane+sales@example.org>: Sender address rejected: not owned by user jane@example.org" \
	    "$(swaks_reply)"
	not_delivered "jane as jane+sales" john@example.org e2e-delim-sales
	e2e_swaks --from jane+news@example.org --to john@example.org \
	    $AUTHJANE --h-From 'Jane <jane+news@example.org>' \
	    --h-Subject e2e-delim-news
	expect_eq "jane may send as jane+news, no account ($E2E_OUT)" 250 \
	    "$(swaks_code)"
}

test_headers()
{
	n=0
	for from in '"ceo\@bank.test" <john@example.org>' \
	    '=?utf-8?q?ceo?= =?utf-8?q?=40bank.test?= <john@example.org>' \
	    '=?utf-16?b?/v8AYwBlAG8AQABiAGEAbgBrAC4AdABlAHMAdA==?= <john@example.org>' \
	    '=?utf-7?q?ceo+AEA-bank.test?= <john@example.org>' \
	    "$(printf '\357\275\203\357\275\205\357\275\217\357\274\240bank.test') <john@example.org>" \
	    'john@example.org (ceo@bank.test)' \
	    "ceo@b$(printf '\320\260')nk.test <john@example.org>" \
	    'ceo (\), x) <john@example.org>' \
	    '"ceo" @ bank.test <john@example.org>' \
	    '=?utf- 8?q?ceo=40bank.test?= <john@example.org>' \
	    "$(printf 'x \342\200\256tset.knab@oec') <john@example.org>" \
	    '\"ceo," <john@example.org>'; do
		n=$((n + 1))
		e2e_swaks --from john@example.org --to jane@example.org \
		    $AUTHJ --h-From "$from" --h-Subject "e2e-name-$n"
		expect_eq "From: $from: refused at the end of DATA ($E2E_OUT)" \
		    550 "$(swaks_code)"
		not_delivered "From: $from" jane@example.org "e2e-name-$n"
	done

	chat <<EOF
> EHLO e2e.test
starttls
> EHLO e2e.test
> AUTH PLAIN $(token john@example.org "$PW")
> MAIL FROM:<john@example.org>
> RCPT TO:<jane@example.org>
> DATA
>> X-A: a\rFrom: ceo@bank.test
>> From: John <john@example.org>
>> Subject: e2e-barecr
>>
>> body
> .
> QUIT
EOF
	expect_match "a bare CR hiding a From: refused ($E2E_OUT)" \
	    "^< 550 5.7.1 Message header rejected: bare CR in the header section" \
	    "$(cat "$E2E_OUT")"
	not_delivered "bare CR" jane@example.org e2e-barecr

	e2e_swaks --from john@example.org --to jane@example.org $AUTHJ \
	    --h-From john@example.org --add-header "From: ceo@bank.test" \
	    --h-Subject e2e-twofrom
	expect_eq "two From: headers refused ($E2E_OUT)" \
	    "550 5.7.1 Message header rejected: more than one From: or Sender: header" \
	    "$(swaks_reply)"
	not_delivered "two From:" jane@example.org e2e-twofrom
	e2e_swaks --from john@example.org --to jane@example.org $AUTHJ \
	    --h-From 'John <john@example.org>' --h-Subject e2e-goodfrom
	expect_eq "a plain From: of the login still accepted ($E2E_OUT)" 250 \
	    "$(swaks_code)"
	# names readers show as names, which smtpd 7.5+ leaves alone
	for from in '"Robert \"Bob\" Smith, Jr." <john@example.org>' \
	    '=?big5?B?s6+kQKn6?= <john@example.org>' \
	    '=?iso-2022-jp?B?GyRCQC4wQhsoQg==?= <john@example.org>' \
	    '=?UTF-8?B?4oCP15PXldeTINeb15TXnw==?= <john@example.org>'; do
		e2e_swaks --from john@example.org --to jane@example.org \
		    $AUTHJ --h-From "$from" --h-Subject e2e-goodname
		expect_eq "From: $from accepted ($E2E_OUT)" 250 \
		    "$(swaks_code)"
	done
	expect_all_alive "after the header tricks"
}

# ---- issue 18: header field names a reader trims, a From: with no
# mailbox (a block of its own) ----

# name_chat TAG HEADER-LINE...: a message of john's to jane with these
# header lines (smtpchat escapes) and the Subject: TAG
name_chat()
{
	tag=$1
	shift
	{
		printf '%s\n' "> EHLO e2e.test" starttls "> EHLO e2e.test" \
		    "> AUTH PLAIN $(token john@example.org "$PW")" \
		    "> MAIL FROM:<john@example.org>" \
		    "> RCPT TO:<jane@example.org>" "> DATA"
		for hl in "$@"; do
			printf '>> %s\n' "$hl"
		done
		printf '%s\n' ">> Subject: $tag" ">> " ">> body" "> ." "> QUIT"
	} >"$E2E_DIR/name_chat.in"
	chat <"$E2E_DIR/name_chat.in"
}

test_header_names()
{
	badname="550 5.7.1 Message header rejected: malformed header field name"
	hn=0
	for l in 'From\x0b: Jane Boss <jane@example.org>' \
	    'From\x0c: jane@example.org' '\x0bFrom: jane@example.org' \
	    'From\xa0: jane@example.org' 'From\xc2\xa0: jane@example.org' \
	    'Sender\x0b: jane@example.org' 'sender\x0c : jane@example.org' \
	    '\xef\xbb\xbfFrom: jane@example.org' 'From\x1c: jane@example.org' \
	    'From \x0b\t: jane@example.org' 'Fr om: jane@example.org'; do
		hn=$((hn + 1))
		name_chat "e2e-hname-$hn" "$l" "From: John <john@example.org>"
		expect_match "header line $l before a From: of the login: refused ($E2E_OUT)" \
		    "^< $badname" "$(cat "$E2E_OUT")"
		not_delivered "header line $l" jane@example.org "e2e-hname-$hn"
	done
	name_chat e2e-hname-after "From: John <john@example.org>" \
	    'From\x0b: Jane Boss <jane@example.org>'
	expect_match "a trimmed From: after the real one refused ($E2E_OUT)" \
	    "^< $badname" "$(cat "$E2E_OUT")"
	not_delivered "a trimmed From: after" jane@example.org e2e-hname-after
	name_chat e2e-hname-nocolon 'From\x0b Jane Boss <jane@example.org>'
	expect_match "a header line without a colon refused by the filter ($E2E_OUT)" \
	    "^< 550 5.7.1 Message header rejected: line without a colon in the header section" \
	    "$(cat "$E2E_OUT")"
	not_delivered "no colon" jane@example.org e2e-hname-nocolon

	# swaks writes the header as given
	e2e_swaks --from john@example.org --to jane@example.org $AUTHJ \
	    --h-From john@example.org \
	    --add-header "$(printf 'From\013: Jane Boss <jane@example.org>')" \
	    --h-Subject e2e-hname-swaks
	expect_eq "swaks: From<VT>: beside a From: of the login refused ($E2E_OUT)" \
	    "$badname" "$(swaks_reply)"
	not_delivered "swaks From<VT>:" jane@example.org e2e-hname-swaks
	e2e_swaks --from john@example.org --to jane@example.org $AUTHJ \
	    --h-From john@example.org \
	    --add-header "$(printf 'Sender\302\240: jane@example.org')" \
	    --h-Subject e2e-hname-swaks2
	expect_eq "swaks: Sender<NBSP>: refused ($E2E_OUT)" "$badname" \
	    "$(swaks_reply)"
	not_delivered "swaks Sender<NBSP>:" jane@example.org e2e-hname-swaks2

	# blanks before the colon: a From: or Sender:, checked and counted
	name_chat e2e-hname-blank 'From \t: jane@example.org'
	expect_match "From<SP><HT>: of another user refused ($E2E_OUT)" \
	    "^< 550 5.7.1 <jane@example.org>: From address rejected: not owned by user john@example.org" \
	    "$(cat "$E2E_OUT")"
	name_chat e2e-hname-blank2 'From \t: John <john@example.org>' \
	    'From: John <john@example.org>'
	expect_match "From<SP><HT>: of the login beside one From: refused ($E2E_OUT)" \
	    "^< 550 5.7.1 Message header rejected: more than one From: or Sender: header" \
	    "$(cat "$E2E_OUT")"
	name_chat e2e-hname-good 'From : John <john@example.org>' \
	    'X-MS-Has-Attach:' 'X-MS-TNEF-Correlator:' 'msip_labels:' \
	    'Thread-Index: AQHbR2x0c3Q='
	expect_match "From<SP>: of the login, empty X-MS-Has-Attach: accepted ($E2E_OUT)" \
	    "^< 250 2.0.0 .*Message accepted for delivery" "$(cat "$E2E_OUT")"

	# a From: with no mailbox
	hn=0
	for from in 'CEO Jane Smith:;' '"CEO Jane Smith":;' '(Jane Smith)' \
	    'Board: ;, CEO:;' '=?utf-8?q?CEO?=:;'; do
		hn=$((hn + 1))
		e2e_swaks --from john@example.org --to jane@example.org \
		    $AUTHJ --h-From "$from" --h-Subject "e2e-nobox-$hn"
		expect_eq "From: $from refused ($E2E_OUT)" \
		    "550 5.7.1 From: header rejected: no address" \
		    "$(swaks_reply)"
		not_delivered "From: $from" jane@example.org "e2e-nobox-$hn"
	done
	hn=0
	for l in 'From:' 'From:   ' 'From: \t' 'From:\r'; do
		hn=$((hn + 1))
		name_chat "e2e-nobox-empty-$hn" "$l"
		case $l in
		*'\r')	want="Message header rejected: bare CR in the header section" ;;
		*)	want="From: header rejected: no address" ;;
		esac
		expect_match "an empty $l refused ($E2E_OUT)" \
		    "^< 550 5.7.1 $want" "$(cat "$E2E_OUT")"
		not_delivered "empty $l" jane@example.org "e2e-nobox-empty-$hn"
	done
	name_chat e2e-nobox-sender 'Sender:'
	expect_match "an empty Sender: refused ($E2E_OUT)" \
	    "^< 550 5.7.1 Sender: header rejected: no address" \
	    "$(cat "$E2E_OUT")"
	not_delivered "empty Sender:" jane@example.org e2e-nobox-sender
	name_chat e2e-ctl 'X-A: a' 'Sender: \x0bjohn@example.org'
	expect_match "a control character in Sender: refused ($E2E_OUT)" \
	    "^< 550 5.7.1 Sender: header rejected: control character" \
	    "$(cat "$E2E_OUT")"
	not_delivered "control character" jane@example.org e2e-ctl
	e2e_swaks --from john@example.org --to jane@example.org $AUTHJ \
	    --h-From 'CEO:;, John <john@example.org>' --h-Subject e2e-nobox-ok
	expect_eq "an empty group beside the login's mailbox accepted ($E2E_OUT)" \
	    250 "$(swaks_code)"
	expect_all_alive "after the header names"
}

# ---- end of the issue 18 header block ----

# messages_per_hour is 20 in this run
test_null_rate()
{
	{
		echo "> EHLO e2e.test"
		echo starttls
		echo "> EHLO e2e.test"
		echo "> AUTH PLAIN $(token rate@example.org "$PW")"
		i=0
		while [ $i -lt 21 ]; do
			echo "> MAIL FROM:<>"
			echo "> RSET"
			i=$((i + 1))
		done
		echo "> QUIT"
	} >"$E2E_DIR/null.chat"
	chat <"$E2E_DIR/null.chat"
	expect_eq "20 null senders an hour accepted ($E2E_OUT)" 20 \
	    "$(grep -c '^< 250 2.0.0 Ok' "$E2E_OUT")"
	expect_match "the 21st counted against messages_per_hour" \
	    "^< 450 4.7.1 Error: too much mail from rate@example.org" \
	    "$(cat "$E2E_OUT")"
}

test_auth_limit()
{
	bad=$(token lock@example.org wrong)
	{
		echo "> EHLO e2e.test"
		echo starttls
		echo "> EHLO e2e.test"
		i=0
		while [ $i -lt 12 ]; do
			echo "> AUTH PLAIN $bad"
			i=$((i + 1))
		done
		echo "> AUTH PLAIN $(token lock@example.org "$PW")"
		echo "> MAIL FROM:<lock@example.org>"
	} >"$E2E_DIR/auth.chat"
	chat <"$E2E_DIR/auth.chat"
	expect_eq "5 failures allowed in a session ($E2E_OUT)" 5 \
	    "$(grep -c '^< 535 ' "$E2E_OUT")"
	expect_match "the 6th AUTH ends the session with 421" \
	    "^< 421 4.7.0 Error: too many failed AUTH attempts from 127.0.0.1" \
	    "$(cat "$E2E_OUT")"
	expect_nomatch "the right password after the limit never succeeds" \
	    "^< 235 " "$(cat "$E2E_OUT")"
	expect_match "and the session is closed" "^\(closed\)" "$(cat "$E2E_OUT")"
	e2e_swaks --to jane@example.org --quit-after EHLO
	expect_match "the client is turned away at its next connection" \
	    "421 4.7.0 Error: too many failed AUTH attempts from 127.0.0.1" \
	    "$(cat "$E2E_OUT")"
	expect_nomatch "the AUTH token of an attempt within the limit is not logged" \
	    "$bad.*result=\"535" "$(smtpd_log)"
	for p in $(e2e_children "$SMTPD_PID"); do
		case "$(readlink "/proc/$p/exe" 2>/dev/null)" in
		*/filter-submission) kill -USR1 "$p" ;;
		esac
	done
	n=0
	while ! smtpd_log | grep -q 'every lockout is lifted' && [ $n -lt 50 ]
	do
		sleep 0.1
		n=$((n + 1))
	done
	e2e_swaks --to jane@example.org --tls --auth PLAIN \
	    --auth-user john@example.org --auth-password "$PW" --quit-after AUTH
	expect_eq "SIGUSR1 to the filter lifts the lockout ($E2E_OUT)" 235 \
	    "$(swaks_code)"
	expect_all_alive "after the AUTH limit"
}

# A login is counted whatever its case and extension, but failures never
# lock its owner out: with 127.0.0.1 exempt (as for a webmail on the same
# host), the owner still logs in after 5 failures of the login's variants
# (tests/e2e/t_auth_limits.sh: from other addresses, and over IPv6).
test_login_limit()
{
	for u in LOCK@EXAMPLE.ORG lock+1@example.org Lock+x@Example.org \
	    lock@example.org lock+2@EXAMPLE.org; do
		e2e_swaks --to jane@example.org --tls --auth PLAIN \
		    --auth-user "$u" --auth-password wrong --quit-after AUTH
	done
	e2e_swaks --to jane@example.org --tls --auth PLAIN \
	    --auth-user lock@example.org --auth-password "$PW" \
	    --quit-after AUTH
	expect_eq "5 failures of the login's variants: the webmail still logs its owner in ($E2E_OUT)" \
	    235 "$(swaks_code)"
	# AUTH LOGIN sends the login on a line the filter never sees: the
	# table locks no login out, which would refuse the owner too
	e2e_swaks --to jane@example.org --tls --auth LOGIN \
	    --auth-user lock@example.org --auth-password "$PW" \
	    --quit-after AUTH
	expect_eq "and in two steps ($E2E_OUT)" 235 "$(swaks_code)"
	e2e_swaks --to jane@example.org --tls --auth LOGIN \
	    --auth-user john@example.org --auth-password "$PW" \
	    --quit-after AUTH
	expect_eq "another login in two steps: 235 ($E2E_OUT)" 235 \
	    "$(swaks_code)"
	e2e_swaks --to jane@example.org --tls --auth PLAIN \
	    --auth-user john@example.org --auth-password "$PW" \
	    --quit-after AUTH
	expect_eq "another login from the exempt client still logs in" 235 \
	    "$(swaks_code)"

	# A temporary failure of the server is not a failed password.
	mv "$ROOT$DB" "$ROOT$DB.away"
	sleep 1.2
	for i in 1 2 3 4 5 6; do
		e2e_swaks --to jane@example.org --tls --auth PLAIN \
		    --auth-user john@example.org --auth-password "$PW" \
		    --quit-after AUTH
	done
	expect_match "database gone: AUTH fails temporarily ($E2E_OUT)" \
	    "^4" "$(swaks_code)"
	mv "$ROOT$DB.away" "$ROOT$DB"
	sleep 1.2
	e2e_swaks --to jane@example.org --tls --auth PLAIN \
	    --auth-user john@example.org --auth-password "$PW" \
	    --quit-after AUTH
	expect_eq "six temporary failures did not lock the login ($E2E_OUT)" \
	    235 "$(swaks_code)"
	expect_all_alive "after the login limit"
}

test_mx()
{
	e2e_swaks --from 'x:john@example.org' --to jane@example.org \
	    --quit-after MAIL
	expect_eq "mx: MAIL FROM:<x:john@...> is john's: not logged in ($E2E_OUT)" \
	    "553 5.7.1 <john@example.org>: Sender address rejected: not logged in" \
	    "$(swaks_reply)"
	e2e_swaks --from john --to jane@example.org --quit-after MAIL
	expect_eq "mx: MAIL FROM:<john>, completed by smtpd ($E2E_OUT)" \
	    "553 5.7.1 <john@example.org>: Sender address rejected: not logged in" \
	    "$(swaks_reply)"
	e2e_swaks --from someone@remote.test --to 'x:user@remote.test' \
	    --quit-after RCPT
	expect_eq "mx: relay through a ':' prefix refused ($E2E_OUT)" 554 \
	    "$(swaks_code)"

	# smtpd drops all before the first ':' and takes the rest: the
	# filter sees the whole text, quotes and spaces included
	e2e_swaks --from someone@remote.test \
	    --to 'x" result=proceed client=203.0.113.7 reply="y:user@remote.test' \
	    --quit-after RCPT
	expect_eq "mx: relay with a forged log line refused ($E2E_OUT)" 554 \
	    "$(swaks_code)"
	l=$(smtpd_log | grep 'rule=relay ' | grep '203.0.113.7' | tail -n 1)
	expect_eq "log: one client= field on the line" 1 \
	    "$(printf '%s\n' "$l" | grep -o 'client=' | wc -l | tr -d ' ')"
	expect_eq "log: one result= field on the line" 1 \
	    "$(printf '%s\n' "$l" | grep -o 'result=' | wc -l | tr -d ' ')"
	expect_match "log: the real result" "result=reject reply=" "$l"

	# this run's filter has -v in its proc-exec command: the commands
	# it let through at debug, beside the message line at info
	e2e_swaks --from someone@remote.test --to jane@example.org \
	    --h-Subject e2e-mx-verbose
	expect_eq "mx: mail for a local user accepted ($E2E_OUT)" 250 \
	    "$(swaks_code)"
	expect_match "-v: the sender let through, at mail.debug" \
	    "^mail\.debug filter-submission\[[0-9]+\]: session=[0-9a-f]+ client=127\.0\.0\.1 login=- rule=sender address=<someone@remote\.test> result=proceed reply=-$" \
	    "$(syslog_log)"
	expect_match "-v: the message at mail.info, no login" \
	    "^mail\.info filter-submission\[[0-9]+\]: session=[0-9a-f]+ client=127\.0\.0\.1 event=message result=accept login=- from=<someone@remote\.test> rcpt=1 size=[1-9][0-9]* msgid=[0-9a-f]{8}$" \
	    "$(syslog_log)"
	expect_all_alive "mx after it all"
}

# The table and the filter run with no new privileges and restricted
# (tests/unit/test_sandbox checks what the restriction forbids).
test_restricted()
{
	for p in $(e2e_children "$SMTPD_PID"); do
		case "$(readlink "/proc/$p/exe" 2>/dev/null)" in
		*/filter-submission|*/table-sqlite) ;;
		*)	continue ;;
		esac
		n=$(basename "$(readlink "/proc/$p/exe")")
		expect_eq "$n runs with no new privileges" "1" \
		    "$(awk '/^NoNewPrivs:/ { print $2 }' "/proc/$p/status")"
	done
	expect_nomatch "no sandbox warning in the log" \
	    "restrictions after start-up" "$(smtpd_log)"
}

# Logins that try to forge a field of the failed-AUTH line: below the
# limit, each is one more failure of 127.0.0.1.
test_hostile_logins()
{
	for u in 'x client=203.0.113.9' \
	    'x" client=203.0.113.9 event=auth result=fail login="y' \
	    "$(printf '%0200d' 0 | tr 0 '=')"; do
		e2e_swaks --to jane@example.org --tls --auth PLAIN \
		    --auth-user "$u" --auth-password wrong --quit-after AUTH
		expect_eq "AUTH as a hostile login fails ($E2E_OUT)" 535 \
		    "$(swaks_code)"
	done
}

# The fail2ban filter of contrib/fail2ban on this run's syslog, as
# fail2ban-regex reads /var/log/mail.log: failures and refusals of
# 127.0.0.1, and no address a client wrote.  E2E_FAIL2BAN_SAVE=FILE
# keeps the lines (tests/proto/fail2ban_e2e.log was made so).
test_fail2ban()
{
	f=$E2E_DIR/fail2ban.log
	syslog_log | f2b_syslog >"$f"
	[ -z "$E2E_FAIL2BAN_SAVE" ] || cp "$f" "$E2E_FAIL2BAN_SAVE"
	expect_eq "fail2ban: 13 failed-AUTH lines" 13 \
	    "$(grep -c 'event=auth result=fail login=' "$f")"
	expect_f2b "fail2ban: 13 failures and 2 refusals of 127.0.0.1" "$f" \
	    normal "15 127.0.0.1"
	expect_f2b "fail2ban aggressive: and 4 refusals of mail without AUTH" \
	    "$f" aggressive "19 127.0.0.1"
	expect_match "fail2ban: the forged addresses are in the log" \
	    "203\.0\.113\.7.*203\.0\.113\.9|203\.0\.113\.9.*203\.0\.113\.7" \
	    "$(tr '\n' ' ' <"$f")"
}

# Decisions go to syslog at their own priority, not through smtpd, which
# logs a filter's standard error as errors.
test_logging()
{
	expect_match "an accepted message at mail.info, the sender smtpd took" \
	    "^mail\.info filter-submission\[[0-9]+\]: session=[0-9a-f]+ client=127\.0\.0\.1 event=message result=accept login=john@example\.org from=<john@example\.org> rcpt=1 size=[1-9][0-9]* msgid=[0-9a-f]{8}$" \
	    "$(syslog_log)"
	expect_match "a passed AUTH at mail.notice" \
	    "^mail\.notice filter-submission\[[0-9]+\]: session=[0-9a-f]+ client=127\.0\.0\.1 event=auth result=pass login=john@example\.org$" \
	    "$(syslog_log)"
	expect_nomatch "no command let through logged without -v" \
	    "result=proceed|^mail\.debug " "$(syslog_log)"
	expect_match "a refused sender at mail.notice" \
	    "^mail\.notice filter-submission\[[0-9]+\]: session=[0-9a-f]+ client=127\.0\.0\.1 login=john@example\.org rule=sender-login address=<john\+x:jane@example\.org> result=reject reply=\"553 5\.7\.1 <jane@example\.org>: Sender address rejected: not owned by user john@example\.org\"$" \
	    "$(syslog_log)"
	expect_nomatch "no decision in smtpd's own log" "session=[0-9a-f]+ client=" \
	    "$(cat "$E2E_DIR/smtpd.log")"
	expect_nomatch "nothing at mail.err in a run without faults" \
	    "^mail\.err " "$(syslog_log)"
}

e2e_setup
make_conf submission "auth_fail_limit 5
messages_per_hour 20"
make_db
smtpd_start "$E2E_DIR/smtpd.conf.in"
expect_all_alive "smtpd $E2E_VERSION with the filter (submission) on port $E2E_PORT"
test_restricted
test_envelope
test_delimiter
test_headers
test_null_rate
test_logging
test_auth_limit
test_hostile_logins
smtpd_stop

# lockouts outlive the filter: start the next run without them
rm -f "$ROOT$(dirname "$DB")/authlock/"*
make_conf submission "auth_fail_limit 5
auth_fail_exempt 127.0.0.1"
smtpd_start "$E2E_DIR/smtpd.conf.in"
test_login_limit
smtpd_stop

make_conf mx ""
sed 's#/filter-submission -f #/filter-submission -v -f #' \
    "$E2E_DIR/smtpd.conf.in" >"$E2E_DIR/smtpd.conf.v" &&
    mv "$E2E_DIR/smtpd.conf.v" "$E2E_DIR/smtpd.conf.in"
smtpd_start "$E2E_DIR/smtpd.conf.in"
test_mx
smtpd_stop
test_fail2ban

# issue 18: header names, a From: with no mailbox (no message limit)
make_conf submission ""
smtpd_start "$E2E_DIR/smtpd.conf.in"
test_header_names
smtpd_stop
test_done
