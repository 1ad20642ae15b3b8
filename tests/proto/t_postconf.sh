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
# main.cf read as Postfix reads it: auth-helper migrate-postfix -x must
# print every parameter of each main.cf of tests/migrate/postconf as
# Postfix's own postconf -c DIR -x -n does (the oracle), and, for the
# files that depend on nothing of this host, as their "expected" file
# says without postconf (the built-in defaults, on a host with no
# Postfix).
#
# The oracle: $POSTCONF, else postconf in PATH, else Debian's postfix
# package unpacked (not installed) in $KIT_POSTCONF_DIR (default
# /tmp/opensmtpd-kit-postconf), fetched there with apt-get download when
# missing; and also the postconf of the e2e postfix root (Debian 13's
# Postfix) when that root is built, run through the root's own loader.
# Without any, the oracle comparisons are skipped and said.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"

AH=$TOP/auth-helper/auth-helper
FIX=$TOP/tests/migrate/postconf
T=$(mktemp -d /tmp/t_postconf.XXXXXX)
PC=""

find_postconf()
{
	if [ -n "$POSTCONF" ]; then
		PC=$POSTCONF
		return
	fi
	if command -v postconf >/dev/null 2>&1; then
		PC=postconf
		return
	fi
	dir=${KIT_POSTCONF_DIR:-/tmp/opensmtpd-kit-postconf}
	if [ ! -x "$dir/root/usr/sbin/postconf" ] &&
	    command -v apt-get >/dev/null 2>&1; then
		mkdir -p "$dir" && (cd "$dir" && rm -f postfix_*.deb &&
		    apt-get download postfix >/dev/null 2>&1 &&
		    dpkg-deb -x postfix_*.deb root) || rm -rf "$dir/root"
	fi
	if [ -x "$dir/root/usr/sbin/postconf" ]; then
		cat >"$T/postconf" <<EOT
#!/bin/sh
LD_LIBRARY_PATH=$dir/root/usr/lib/postfix exec $dir/root/usr/sbin/postconf "\$@"
EOT
		chmod 755 "$T/postconf"
		"$T/postconf" -d mail_version >/dev/null 2>&1 &&
		    PC=$T/postconf
	fi
}

find_postconf
ORACLES=$PC
R=$(ls -d /var/cache/opensmtpd-kit/root-postfix-v* 2>/dev/null | tail -n 1)
if [ -n "$R" ] && [ -x "$R/usr/sbin/postconf" ] &&
    [ -x "$R/lib64/ld-linux-x86-64.so.2" ]; then
	L=$R/usr/lib/postfix:$R/lib/x86_64-linux-gnu:$R/usr/lib/x86_64-linux-gnu
	cat >"$T/postconf-root" <<EOT
#!/bin/sh
exec $R/lib64/ld-linux-x86-64.so.2 --library-path $L $R/usr/sbin/postconf "\$@"
EOT
	chmod 755 "$T/postconf-root"
	"$T/postconf-root" -d mail_version >/dev/null 2>&1 &&
	    ORACLES="$ORACLES $T/postconf-root"
fi
for pc in $ORACLES; do
	echo "# oracle: $pc: $("$pc" -d mail_version 2>/dev/null)"
done
[ -n "$ORACLES" ] ||
    echo "# no postconf: the comparisons with Postfix are skipped"

for d in "$FIX"/*/; do
	d=${d%/}
	n=${d##*/}
	OURS=$("$AH" -f "$T/none.conf" migrate-postfix -x "$d" 2>"$T/err")
	rc=$?
	expect_eq "$n: migrate-postfix -x exits 0" 0 "$rc"
	if [ -f "$d/expected" ]; then
		expect_eq "$n: built-in defaults as recorded from postconf" \
		    "$(sed "s|@DIR@|$d|g" "$d/expected")" "$OURS"
	fi
	for pc in $ORACLES; do
		v=$("$pc" -d mail_version 2>/dev/null)
		THEIRS=$("$pc" -c "$d" -x -n 2>/dev/null |
		    grep -v '^config_directory = ')
		expect_eq "$n: postconf -c DIR -x -n of Postfix ${v#*= } says the same" \
		    "$THEIRS" "$OURS"
	done
done

# A main.cf Postfix would not start with: said, nothing printed.
mkdir -p "$T/bad"
: >"$T/bad/master.cf"
printf 'a = $ b\n' >"$T/bad/main.cf"
expect_exit "empty \$name: refused" 1 "$AH" -f "$T/none.conf" \
    migrate-postfix -x "$T/bad"
expect_match "empty \$name: says why" "empty or too long|an empty" "$ERR"
printf 'a = ${b\n' >"$T/bad/main.cf"
expect_exit "unbalanced \${: refused" 1 "$AH" -f "$T/none.conf" \
    migrate-postfix -x "$T/bad"
expect_match "unbalanced: says why" "unbalanced" "$ERR"
printf 'a = $b\nb = $a\n' >"$T/bad/main.cf"
expect_exit "loop: refused" 1 "$AH" -f "$T/none.conf" \
    migrate-postfix -x "$T/bad"
expect_match "loop: says why" "loop" "$ERR"

# -r: a copy of the source server's /etc/postfix under another root;
# $config_directory keeps its meaning there.
mkdir -p "$T/copy/etc/postfix"
cp "$FIX/paths/main.cf" "$FIX/paths/master.cf" "$T/copy/etc/postfix/"
OURS=$("$AH" -f "$T/none.conf" migrate-postfix -x -r "$T/copy" 2>&1)
expect_eq "-r: config_directory is /etc/postfix, as on the source host" \
    "$(sed "s|@DIR@|/etc/postfix|g" "$FIX/paths/expected")" "$OURS"

test_done "$T"
