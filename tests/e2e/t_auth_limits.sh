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
# The failed-AUTH defences never punish someone who did not fail, through
# a real smtpd with swaks from several client addresses (127.0.0.x, and
# fd00:1::2 and fd00:1::3 in a network namespace this test makes): the
# owner of a login an attacker failed still logs in, from another address
# and through an exempt webmail, with AUTH PLAIN and with a bare AUTH
# LOGIN; distributed guessing is still stopped; a neighbour in the same
# IPv6 /64 is refused only temporarily; and fail2ban-regex, on the lines
# this run made, counts only each client's own failures, in every mode.
# The fail2ban filter's aggressive mode counts a peer MTA's message to
# five recipients we do not serve once.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../fail2ban.sh"

PW=summersun

make_db()
{
	e2e_users_db "$DB" "$PW" '$2b$08$e2e.salt.for.authlimit.' \
	    ceo@example.org john@example.org
}

# auth FROM MECH LOGIN PASSWORD: swaks from the address FROM, AUTH only
auth()
{
	e2e_swaks --local-interface "$1" --to john@example.org --tls \
	    --auth "$2" --auth-user "$3" --auth-password "$4" --quit-after AUTH
}

# f2b_run FILE: this run's filter-submission lines, as mail.log has them
f2b_run()
{
	syslog_log | f2b_syslog >"$1"
}

# --- IPv4: one attacker, then many; the owner, the webmail
test_owner()
{
	for u in CEO@EXAMPLE.ORG ceo+1@example.org Ceo+x@Example.org \
	    ceo@example.org ceo+2@EXAMPLE.org; do
		auth 127.0.0.2 PLAIN "$u" wrong
	done
	expect_eq "the attacker's 5th wrong password fails ($E2E_OUT)" 535 \
	    "$(swaks_code)"
	auth 127.0.0.2 PLAIN ceo@example.org "$PW"
	expect_match "the attacker's address is refused, its own doing ($E2E_OUT)" \
	    "421 4.7.0 Error: too many failed AUTH attempts from 127.0.0.2" \
	    "$(cat "$E2E_OUT")"
	auth 127.0.0.3 PLAIN ceo@example.org "$PW"
	expect_eq "the owner from another address logs in, AUTH PLAIN ($E2E_OUT)" \
	    235 "$(swaks_code)"
	auth 127.0.0.3 LOGIN CEO@Example.ORG "$PW"
	expect_match "and with AUTH LOGIN, in another case ($E2E_OUT)" \
	    "^<[-~*]* *235 " "$(cat "$E2E_OUT")"
	auth 127.0.0.1 LOGIN ceo@example.org "$PW"
	expect_eq "the exempt webmail logs the owner in ($E2E_OUT)" 235 \
	    "$(swaks_code)"

	# distributed guessing: 5 more failures from another address
	for i in 1 2 3 4 5; do
		auth 127.0.0.4 LOGIN ceo@example.org "wrong$i"
	done
	auth 127.0.0.5 PLAIN ceo@example.org "$PW"
	expect_eq "10 failures from 2 addresses: a new address is refused for now, even with the password ($E2E_OUT)" \
	    "454 4.7.0 Temporary authentication failure, try again later" \
	    "$(swaks_reply)"
	auth 127.0.0.5 LOGIN ceo@example.org "$PW"
	expect_eq "and with a bare AUTH LOGIN ($E2E_OUT)" \
	    "454 4.7.0 Temporary authentication failure, try again later" \
	    "$(swaks_reply)"
	# the owner's client carries on without AUTH: not its doing either
	for i in 1 2 3 4 5; do
		e2e_swaks --local-interface 127.0.0.9 --to john@example.org \
		    --from ceo@example.org --tls --auth PLAIN \
		    --auth-user ceo@example.org --auth-password "$PW" \
		    --auth-optional --quit-after MAIL
	done
	expect_match "refused AUTH for now, its MAIL FROM then refused ($E2E_OUT)" \
	    "454 4.7.0 .*530 5.7.0 " "$(tr '\n' ' ' <"$E2E_OUT")"
	auth 127.0.0.5 PLAIN john@example.org "$PW"
	expect_eq "another login from there still logs in ($E2E_OUT)" 235 \
	    "$(swaks_code)"
	for m in PLAIN LOGIN; do
		auth 127.0.0.3 $m ceo@example.org "$PW"
		expect_eq "the owner's address still logs in, $m ($E2E_OUT)" \
		    235 "$(swaks_code)"
		auth 127.0.0.1 $m ceo@example.org "$PW"
		expect_eq "and the exempt webmail, $m ($E2E_OUT)" 235 \
		    "$(swaks_code)"
	done
	expect_nomatch "no lockout handed to the table" \
	    "locked out after failed AUTH attempts" "$(smtpd_log)"
	expect_all_alive "after the failed-AUTH limits"
}

# --- MX: a peer MTA relays one message to five recipients we do not
# serve (a domain whose MX points at us)
test_peer()
{
	e2e_swaks --local-interface 127.0.0.6 --from list@remote.test \
	    --to a@other.test,b@other.test,c@other.test,d@other.test,e@other.test \
	    --quit-after RCPT
	expect_eq "each of the 5 recipients refused ($E2E_OUT)" 5 \
	    "$(grep -c '^<[-~*]* *554 5.7.1 <[a-e]@other.test>: Relay access denied' "$E2E_OUT")"
}

# --- IPv6: fd00:1::2 fails; fd00:1::3, in its /64, never did
test_ipv6()
{
	for i in 1 2 3 4 5; do
		e2e_in swaks --server fd00:1::1 --port "$E2E_PORT" --timeout 20 \
		    --helo e2e.test --local-interface fd00:1::2 \
		    --to john@example.org --tls --auth PLAIN \
		    --auth-user ceo@example.org --auth-password "wrong$i" \
		    --quit-after AUTH </dev/null >"$E2E_DIR/v6.$i.out" 2>&1
	done
	expect_eq "fd00:1::2: 5 wrong passwords" 535 \
	    "$(swaks_code "$E2E_DIR/v6.5.out")"
	for i in 1 2 3 4 5 6; do
		e2e_in swaks --server fd00:1::1 --port "$E2E_PORT" --timeout 20 \
		    --helo e2e.test --local-interface fd00:1::3 \
		    --to john@example.org --quit-after EHLO \
		    </dev/null >"$E2E_DIR/v6n.$i.out" 2>&1
	done
	expect_match "fd00:1::3 is refused for its /64, as temporary, not its doing" \
	    "421 4.7.0 Too many failed AUTH attempts from your network, try again later" \
	    "$(cat "$E2E_DIR/v6n.6.out")"
	e2e_in swaks --server fd00:1::1 --port "$E2E_PORT" --timeout 20 \
	    --helo e2e.test --local-interface fd00:1::2 --to john@example.org \
	    --quit-after EHLO </dev/null >"$E2E_DIR/v6.6.out" 2>&1
	expect_match "fd00:1::2 itself: its own doing" \
	    "421 4.7.0 Error: too many failed AUTH attempts from fd00:1::2" \
	    "$(cat "$E2E_DIR/v6.6.out")"
	expect_eq "the refusals of fd00:1::3 are logged under auth-network" 6 \
	    "$(syslog_log | grep -c 'client=fd00:1::3 login=- rule=auth-network address=- result=reject reply="421 4\.7\.0 ')"
}

e2e_setup
e2e_policy_conf submission "auth_fail_limit 5
auth_fail_exempt 127.0.0.1"
make_db
smtpd_start "$E2E_DIR/smtpd.conf.in"
expect_all_alive "smtpd $E2E_VERSION with the filter on port $E2E_PORT"
test_owner
smtpd_stop
f2b_run "$E2E_DIR/owner.log"
for mode in normal aggressive; do
	expect_f2b "fail2ban $mode: only the attackers' own failures and refusals" \
	    "$E2E_DIR/owner.log" $mode "6 127.0.0.2
5 127.0.0.4"
done
expect_eq "the refusals of others' doing are logged under auth-lockout" 2 \
    "$(grep -c 'client=127\.0\.0\.5 login=- rule=auth-lockout address=- result=reject reply="454 ' "$E2E_DIR/owner.log")"

# --- AUTH at once: 20 sessions of one address send a wrong password
# together.  Those that come while the first 5 await smtpd's answer get
# the temporary 454, not a guess (nor a failure of their own); those
# that come after them, the 421 of an address past its limit.
test_burst()
{
	i=0
	pids=
	while [ $i -lt 20 ]; do
		swaks --server 127.0.0.1 --port "$E2E_PORT" --timeout 20 \
		    --helo e2e.test --local-interface 127.0.0.8 \
		    --to john@example.org --tls --auth PLAIN \
		    --auth-user john@example.org --auth-password wrong \
		    --quit-after AUTH </dev/null >"$E2E_DIR/burst.$i.out" 2>&1 &
		pids="$pids $!"
		i=$((i + 1))
	done
	wait $pids
	n535=0
	nother=0
	n421=0
	i=0
	while [ $i -lt 20 ]; do
		case $(grep -E '^<[-~*]* *[0-9]{3} ' "$E2E_DIR/burst.$i.out" |
		    grep -vE ' 221 ' | tail -n 1 | sed 's/^<[-~*]* *//' |
		    cut -c 1-3) in
		535)	n535=$((n535 + 1)) ;;
		454)	nother=$((nother + 1)) ;;
		421)	nother=$((nother + 1))
			n421=$((n421 + 1)) ;;
		esac
		i=$((i + 1))
	done
	expect_eq "20 sessions of one address at once: 5 guesses, not 20" \
	    "5 15" "$n535 $nother"
}
e2e_policy_conf submission "auth_fail_limit 5"
: >"$E2E_DIR/syslog.log"
smtpd_start "$E2E_DIR/smtpd.conf.in"
test_burst
smtpd_stop
f2b_run "$E2E_DIR/burst.log"
expect_f2b "fail2ban normal: the burst's 5 failures and its 421s, no 454" \
    "$E2E_DIR/burst.log" normal "$((5 + n421)) 127.0.0.8"

e2e_policy_conf mx ""
: >"$E2E_DIR/syslog.log"
smtpd_start "$E2E_DIR/smtpd.conf.in"
test_peer
smtpd_stop
f2b_run "$E2E_DIR/peer.log"
expect_f2b "fail2ban aggressive: one message of a peer MTA counts once" \
    "$E2E_DIR/peer.log" aggressive "1 127.0.0.6"
expect_match "the other refusals of its session are logged as repeats" \
    "client=127\.0\.0\.6 login=- rule=relay address=<e@other\.test> result=repeat" \
    "$(cat "$E2E_DIR/peer.log")"

# IPv6, in a network namespace of this run: smtpd on fd00:1::1
E2E_NETNS=e2e-auth-$$
if ip netns add "$E2E_NETNS" && ip -n "$E2E_NETNS" link set lo up &&
    ip -n "$E2E_NETNS" addr add fd00:1::1/64 dev lo nodad &&
    ip -n "$E2E_NETNS" addr add fd00:1::2/64 dev lo nodad &&
    ip -n "$E2E_NETNS" addr add fd00:1::3/64 dev lo nodad; then
	e2e_policy_conf submission "auth_fail_limit 5"
	sed 's/^listen on 127\.0\.0\.1 \(.*\)$/&\nlisten on fd00:1::1 \1/' \
	    "$E2E_DIR/smtpd.conf.in" >"$E2E_DIR/smtpd6.conf.in"
	: >"$E2E_DIR/syslog.log"
	smtpd_start "$E2E_DIR/smtpd6.conf.in"
	test_ipv6
	smtpd_stop
	f2b_run "$E2E_DIR/v6.log"
	for mode in normal aggressive; do
		expect_f2b "fail2ban $mode: fd00:1::2 alone, never its neighbour" \
		    "$E2E_DIR/v6.log" $mode "6 fd00:1::2"
	done
else
	fail "cannot make the network namespace $E2E_NETNS with fd00:1::1-3"
fi
test_done
