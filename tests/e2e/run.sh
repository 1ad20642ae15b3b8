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
# Run every end-to-end test (tests/e2e/t_*.sh) against a real smtpd and
# print one closing line "N passed, N failed".  Missing prerequisites are
# failures; E2E=no in the environment skips the whole suite.
#
# usage: tests/e2e/run.sh [t_NAME.sh ...]
#
# With no argument: every t_*.sh against smtpd 7.6 (E2E_VERSION), then
# compat_filter.sh against each release in E2E_COMPAT ("7.4 6.8"; set
# it empty to leave them out).

E2E_HERE=$(cd "$(dirname "$0")" && pwd)
PASS=0
FAIL=0

# preflight_fail MSG: count one failure and end the suite.
preflight_fail()
{
	echo "FAIL - e2e: $*"
	echo "0 passed, 1 failed"
	exit 1
}

preflight()
{
	[ "$(id -u)" -eq 0 ] ||
	    preflight_fail "needs root (debootstrap, chroot, mount); run as root, or set E2E=no to skip"
	for c in debootstrap swaks sqlite3 unshare perl; do
		command -v "$c" >/dev/null ||
		    preflight_fail "$c not found; as root run tests/deps.sh test"
	done
	perl -MNet::SSLeay -e 1 2>/dev/null ||
	    preflight_fail "swaks cannot do TLS (no Net::SSLeay); apt-get install libnet-ssleay-perl"
	start=$(date +%s)
	ROOT=$(sh "$E2E_HERE/provision.sh" "${E2E_VERSION:-7.6}") ||
	    preflight_fail "cannot provision the smtpd ${E2E_VERSION:-7.6} root (see the message above)"
	echo "e2e: smtpd root $ROOT ready in $(($(date +%s) - start)) s"
}

# run_one FILE: run one test script and add its counts.
run_one()
{
	out=$(mktemp) || preflight_fail "mktemp failed"
	{ sh "$1" 2>&1; echo "$?" >"$out.rc"; } | tee "$out"
	rc=$(cat "$out.rc")
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
	rm -f "$out" "$out.rc"
	if [ -z "$line" ]; then
		echo "FAIL - $1 ended (status $rc) without its closing line"
		FAIL=$((FAIL + 1))
		return
	fi
	set -- "$1" $line
	PASS=$((PASS + $2))
	FAIL=$((FAIL + $4))
	if [ "$rc" -ne 0 ] && [ "$4" -eq 0 ]; then
		echo "FAIL - $1 exited with status $rc"
		FAIL=$((FAIL + 1))
	fi
}

if [ "${E2E:-yes}" = no ]; then
	echo "e2e: skipped (E2E=no): no test against a real smtpd was run"
	echo "0 passed, 0 failed"
	exit 0
fi
preflight
compat=no
if [ $# -eq 0 ]; then
	set -- "$E2E_HERE"/t_*.sh
	compat=yes
fi
for t in "$@"; do
	[ -f "$t" ] || t=$E2E_HERE/$t
	echo "== e2e: ${t##*/}"
	run_one "$t"
done
# The filter against the older smtpd releases, each in its own root.
if [ "$compat" = yes ]; then
	for v in ${E2E_COMPAT-7.4 6.8}; do
		echo "== e2e: compat_filter.sh, smtpd $v"
		E2E_VERSION=$v
		export E2E_VERSION
		run_one "$E2E_HERE/compat_filter.sh"
	done
fi
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
