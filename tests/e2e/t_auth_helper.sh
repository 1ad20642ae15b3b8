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
# Accounts made only with auth-helper authenticate and send through a
# real smtpd with table-sqlite and filter-submission; changes made while
# smtpd runs take effect without a restart.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

AH=$E2E_TOP/auth-helper/auth-helper

make_conf()
{
	e2e_policy_conf submission
	# The same database, as the host sees it (which has no vmail).
	printf 'dbpath %s/kit.sqlite\nvirtual_user nobody\n' "$E2E_DIR" \
	    >"$E2E_DIR/host.conf"
	# or, for the auth-helper installed in the root, as the root does
	printf 'dbpath %s/kit.sqlite\nvirtual_user nobody\n' "$E2E_RUN" \
	    >"$E2E_DIR/root.conf"
}

# ah ARGS...: this tree's auth-helper on this host; with
# E2E_INSTALLED=yes, the one installed in the root, run there.
ah()
{
	if [ "$E2E_INSTALLED" = yes ]; then
		chroot "$ROOT" "$E2E_PROGS_SBIN/auth-helper" \
		    -f "$E2E_RUN/root.conf" "$@"
	else
		"$AH" -f "$E2E_DIR/host.conf" "$@"
	fi
}

# ah_pw PASSWORD ARGS...: ah, PASSWORD on its standard input
ah_pw()
{
	pw=$1
	shift
	echo "$pw" | ah "$@"
}

# step NAME COMMAND...: an auth-helper step that must succeed
step()
{
	name=$1
	shift
	if out=$("$@" 2>&1); then
		ok "auth-helper: $name"
	else
		fail "auth-helper: $name: $out"
	fi
}

make_db()
{
	step "init" ah init
	chmod 644 "$E2E_DIR/kit.sqlite"
	expect_eq "init made the lockouts' directory, mode 0770" 770 \
	    "$(stat -c %a "$E2E_DIR/authlock" 2>&1)"
	# this host has no smtpd user: give it to the root's, as init says
	e2e_lockdir "$E2E_RUN/authlock"
	step "domain add" ah domain add example.org
	step "user add john" ah_pw summersun user add john@example.org
	step "user add jane (yescrypt)" ah_pw wintermoon user add -s yescrypt \
	    jane@example.org
	step "alias add" ah alias add info@example.org john@example.org
	step "check" ah check
}

e2e_setup
make_conf
make_db
smtpd_start "$E2E_DIR/smtpd.conf.in"
expect_smtpd_alive "smtpd with table and filter on port $E2E_PORT"

e2e_swaks --tls --auth PLAIN --auth-user john@example.org \
    --auth-password summersun --from info@example.org \
    --to jane@example.org --h-From "Info <info@example.org>" \
    --h-Subject e2e-ah
expect_eq "john (made by auth-helper) sends as his alias" 250 \
    "$(swaks_code)"
if e2e_wait_mail "$(e2e_maildir jane@example.org)" e2e-ah >/dev/null; then
	ok "delivered to jane, made by auth-helper"
else
	fail "nothing delivered to jane"
fi

e2e_swaks --tls --auth LOGIN --auth-user jane@example.org \
    --auth-password wintermoon --quit-after AUTH
expect_eq "jane's yescrypt hash, made by auth-helper, works in the root" 235 \
    "$(swaks_code)"

e2e_swaks --tls --auth PLAIN --auth-user john@example.org \
    --auth-password summersun --from jane@example.org \
    --to friend@remote.test
expect_eq "john may not send as jane" 553 "$(swaks_code)"

step "user passwd while smtpd runs" ah_pw autumnrain user passwd \
    john@example.org
e2e_swaks --tls --auth PLAIN --auth-user john@example.org \
    --auth-password autumnrain --quit-after AUTH
expect_eq "the new password works without a restart" 235 "$(swaks_code)"
e2e_swaks --tls --auth PLAIN --auth-user john@example.org \
    --auth-password summersun --quit-after AUTH
expect_eq "the old one no longer does" 535 "$(swaks_code)"

step "sender add while smtpd runs" ah sender add john@example.org jane@example.org
e2e_swaks --tls --auth PLAIN --auth-user john@example.org \
    --auth-password autumnrain --from jane@example.org \
    --to friend@remote.test --quit-after RCPT
expect_eq "a new grant works without a restart" 250 "$(swaks_code)"

step "user disable while smtpd runs" ah user disable jane@example.org
e2e_swaks --tls --auth PLAIN --auth-user jane@example.org \
    --auth-password wintermoon --quit-after AUTH
expect_eq "a disabled user cannot log in" 535 "$(swaks_code)"

# The checks run as root see what smtpd's user cannot read; and so does
# the table at run time.
IAH=$E2E_PROGS_SBIN/auth-helper
ITABLE=$E2E_PROGS_LIBEXEC/table-sqlite
chmod 600 "$E2E_DIR/kit.sqlite"
out=$(chroot "$ROOT" "$IAH" -f "$E2E_RUN/kit.conf" check 2>&1)
expect_match "auth-helper check: a database smtpd's user cannot read" \
    "^permission $E2E_RUN/kit.sqlite permission denied for user opensmtpd on $E2E_RUN/kit.sqlite" \
    "$out"
out=$(chroot "$ROOT" "$ITABLE" -n "$E2E_RUN/kit.conf" 2>&1)
expect_match "table-sqlite -n says the same, and fails" \
    "permission denied for user opensmtpd on $E2E_RUN/kit.sqlite" "$out"
chroot "$ROOT" "$ITABLE" -n "$E2E_RUN/kit.conf" >/dev/null 2>&1
expect_eq "table-sqlite -n exit status" 1 "$?"
IFILTER=$E2E_PROGS_LIBEXEC/filter-submission
out=$(chroot "$ROOT" "$IFILTER" -n -f "$E2E_RUN/filter.conf" 2>&1)
expect_match "filter-submission -n says the same" \
    "permission denied for user opensmtpd on $E2E_RUN/kit.sqlite" "$out"
mv "$E2E_DIR/kit.sqlite" "$E2E_DIR/kit.sqlite.tmp"
cp -p "$E2E_DIR/kit.sqlite.tmp" "$E2E_DIR/kit.sqlite"
rm -f "$E2E_DIR/kit.sqlite.tmp"
sleep 1.1
e2e_swaks --tls --auth PLAIN --auth-user john@example.org \
    --auth-password autumnrain --quit-after AUTH
expect_match "the running table cannot read it: a temporary failure" \
    "^4" "$(swaks_code)"
expect_match "and logs who it is and what it cannot read" \
    "table-sqlite\[[0-9]+\]: cannot open database $E2E_RUN/kit.sqlite: permission denied for user opensmtpd" \
    "$(syslog_log)"
chmod 644 "$E2E_DIR/kit.sqlite"
out=$(chroot "$ROOT" "$IAH" -f "$E2E_RUN/kit.conf" check 2>&1)
expect_match "readable again: check finds nothing" "no problem found" "$out"
sed 's/^dbpath.*/&\nvirtual_user nosuchvmail/' "$ROOT$E2E_RUN/kit.conf" \
    >"$ROOT$E2E_RUN/vu.conf"
out=$(chroot "$ROOT" "$ITABLE" -n "$E2E_RUN/vu.conf" 2>&1)
expect_match "table-sqlite -n: a virtual_user the system lacks" \
    "virtual_user nosuchvmail does not exist on this system" "$out"

token=$(ah_pw autumnrain plain john@example.org)
expect_eq "auth-helper plain gives the token swaks sends" \
    "$(printf '\0john@example.org\0autumnrain' | base64)" "$token"
expect_smtpd_alive "smtpd and the table still run"
smtpd_stop
test_done
