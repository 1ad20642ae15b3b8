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
# Every smtpd.conf example of the manual pages and the README, and
# examples/smtpd.conf, passes smtpd -n of the root's smtpd, whole: an
# example an admin copies must be a configuration smtpd takes, so
# nothing is added to it.  Only what the admin brings is put in its
# place: the certificate and key an example names are the root's test
# certificate, and the file of "table kit sqlite:" is the run's.
# "egress" exists only on OpenBSD: those examples are checked with the
# interface "lo" in its place, and say so.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

# examples FILE: print the smtpd.conf examples of a manual page or of
# the README, separated by lines "%% NAME".
examples()
{
	case $1 in
	*/examples/*)
		echo "%% examples/${1##*/}"
		cat "$1" ;;
	*.md)
		awk -v f="${1##*/}" '
		/^<!-- file .*smtpd\.conf -->$/ { on = 1; n++
			print "%% " f " example " n; next }
		on && /^    / { sub(/^    /, ""); print; next }
		{ on = 0 }' "$1" ;;
	*)
		# .Bd -literal blocks holding "listen on" or "proc-exec"
		awk -v f="${1##*/}" '
		/^\.Bd -literal/ { inb = 1; buf = ""; next }
		/^\.Ed/ { if (inb && buf ~ /listen on|proc-exec/) {
			n++; print "%% " f " example " n; printf "%s", buf }
			inb = 0; next }
		inb { gsub(/\\e/, "\\"); buf = buf $0 "\n" }' "$1" ;;
	esac
}

# check_example NAME FILE: smtpd -n on it, as said above.
check_example()
{
	conf=$E2E_DIR/example.conf
	note=""
	sed -e 's/listen on egress /listen on lo /' \
	    -e 's|^pki mail cert ".*"|pki mail cert "/etc/mail/test.crt"|' \
	    -e 's|^pki mail key ".*"|pki mail key "/etc/mail/test.key"|' \
	    -e "s|^table kit sqlite:.*|table kit sqlite:$E2E_RUN/kit.conf|" \
	    "$2" >"$conf"
	grep -q 'listen on egress' "$2" && note=" (OpenBSD's egress as lo)"
	if out=$(chroot "$ROOT" /usr/sbin/smtpd -n -f "$E2E_RUN/example.conf" 2>&1)
	then
		ok "$1 passes smtpd -n$note"
	else
		fail "$1: smtpd -n: $(echo "$out" | grep -v '^warn' | head -n 2)"
		sed 's/^/    /' "$conf"
	fi
}

e2e_setup
echo "dbpath $E2E_RUN/kit.sqlite" >"$E2E_DIR/kit.conf"
cp "$E2E_DIR/kit.conf" "$ROOT$E2E_RUN/kit.conf" 2>/dev/null || :
n=0
for f in "$E2E_TOP"/man/*.[1-9] "$E2E_TOP/README.md" \
    "$E2E_TOP/examples/smtpd.conf"; do
	examples "$f"
done >"$E2E_DIR/examples"
name=""
: >"$E2E_DIR/one"
while IFS= read -r line; do
	case $line in
	"%% "*)
		[ -z "$name" ] || check_example "$name" "$E2E_DIR/one"
		name=${line#%% }
		n=$((n + 1))
		: >"$E2E_DIR/one" ;;
	*)	printf '%s\n' "$line" >>"$E2E_DIR/one" ;;
	esac
done <"$E2E_DIR/examples"
[ -z "$name" ] || check_example "$name" "$E2E_DIR/one"
[ "$n" -ge 4 ] && ok "$n examples found in the manual pages and the README" ||
    fail "only $n smtpd.conf examples found"
test_done
