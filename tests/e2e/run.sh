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
# Run the end-to-end tests against real smtpd releases, each in its own
# cached Debian root (tests/e2e/provision.sh), and print one closing line
# "N passed, N failed".  Missing prerequisites are failures; E2E=no in
# the environment skips the whole suite.
#
# usage: tests/e2e/run.sh [t_NAME.sh ...]
#
# With no argument, the matrix: for each smtpd, the table's scenarios
# (t_table_sqlite.sh) and the filter's.  On 7.6 and later every t_*.sh
# runs; on 7.4 and 6.8 (the table's imsg protocol) t_table_sqlite.sh and
# compat_filter.sh.  The versions: 7.6, then E2E_COMPAT ("7.4 6.8"; empty
# leaves them out), then with E2E_UNSTABLE=yes the newest smtpd packaged,
# from Debian unstable (when its root cannot be built, one line says so,
# with the reason, and it counts as no failure).  E2E_VERSION=V runs V
# alone (7.6, 7.4, 6.8 or unstable).
#
# With arguments: those scripts against E2E_VERSION (default 7.6).

E2E_HERE=$(cd "$(dirname "$0")" && pwd)
PASS=0
FAIL=0
SUMMARY=""

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
}

# provision V: build or find the root of smtpd V; false when it cannot,
# with the reason in WHY.
provision()
{
	start=$(date +%s)
	err=$(mktemp) || preflight_fail "mktemp failed"
	if ROOT=$(sh "$E2E_HERE/provision.sh" "$1" 2>"$err"); then
		cat "$err" >&2
		rm -f "$err"
		echo "e2e: smtpd $1 root $ROOT ready in $(($(date +%s) - start)) s"
		return 0
	fi
	cat "$err" >&2
	WHY=$(grep -v '^provision: using' "$err" | tail -n 1)
	rm -f "$err"
	return 1
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

# scripts V: the scripts of the matrix for smtpd V.
scripts()
{
	case "$1" in
	6.*|7.[0-5]|7.[0-5].*)
		echo "$E2E_HERE/t_table_sqlite.sh $E2E_HERE/compat_filter.sh" ;;
	*)
		echo "$E2E_HERE"/t_*.sh ;;
	esac
}

# version V: the matrix for smtpd V.
version()
{
	E2E_VERSION=$1
	export E2E_VERSION
	v=""
	p0=$PASS
	f0=$FAIL
	if ! provision "$1"; then
		if [ "$1" = unstable ]; then
			SUMMARY="$SUMMARY
e2e: smtpd unstable: not run: its root cannot be built (${WHY#provision: })"
			return
		fi
		echo "FAIL - e2e: cannot provision the smtpd $1 root: $WHY"
		FAIL=$((FAIL + 1))
	else
		v=$(awk '{ print $3 }' "$ROOT/etc/e2e-provisioned")
		for t in $(scripts "$1"); do
			echo "== e2e: smtpd $1 ($v): ${t##*/}"
			run_one "$t"
		done
	fi
	SUMMARY="$SUMMARY
e2e: smtpd $1 ${v:+($v)}: $((PASS - p0)) passed, $((FAIL - f0)) failed"
}

if [ "${E2E:-yes}" = no ]; then
	echo "e2e: skipped (E2E=no): no test against a real smtpd was run"
	echo "0 passed, 0 failed"
	exit 0
fi
preflight
if [ $# -gt 0 ]; then
	E2E_VERSION=${E2E_VERSION:-7.6}
	export E2E_VERSION
	provision "$E2E_VERSION" ||
	    preflight_fail "cannot provision the smtpd $E2E_VERSION root: $WHY"
	for t in "$@"; do
		[ -f "$t" ] || t=$E2E_HERE/$t
		echo "== e2e: ${t##*/}"
		run_one "$t"
	done
elif [ -n "$E2E_VERSION" ]; then
	version "$E2E_VERSION"
else
	for ver in 7.6 ${E2E_COMPAT-7.4 6.8}; do
		version "$ver"
	done
	if [ "$E2E_UNSTABLE" = yes ]; then
		version unstable
	else
		SUMMARY="$SUMMARY
e2e: smtpd unstable: not run (opt-in: E2E_UNSTABLE=yes)"
	fi
fi
[ -z "$SUMMARY" ] || echo "$SUMMARY" | sed 1d
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
