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
# table-sqlite with "auth_offload yes" behind a real smtpd (7.6 and
# later: the auth service), with swaks: an account of every password
# scheme the kit checks, once with a lower-case password and once with a
# mixed-case one.
#
# smtpd lower-cases the key of every table lookup, the "user:password"
# of an auth check included (usr.sbin/smtpd/table.c, table_lookup();
# OpenSMTPD issue 1268): the table is handed "pw-mixed-x" for
# "Pw-Mixed-X" and no table can check the password as typed.  So the
# lower-case passwords log in, the mixed-case ones cannot, the table
# says why in the log at start, and without auth_offload smtpd checks
# the crypt(3) ones itself, as typed.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

DOMAIN=example.com

# make_conf OFFLOAD: smtpd.conf and kit.conf, auth_offload OFFLOAD.
make_conf()
{
	e2e_conf_head >"$E2E_DIR/smtpd.conf.in"
	cat >>"$E2E_DIR/smtpd.conf.in" <<'EOF'
listen on 127.0.0.1 port @PORT@ tls pki test auth-optional <kit>
action "vmail" maildir "@VMAIL@/%{dest.domain:lowercase}/%{dest.user:lowercase}" virtual <kit>
match from any for domain <kit> action "vmail"
EOF
	printf 'dbpath @RUN@/kit.sqlite\nauth_offload %s\n' "$1" \
	    >"$E2E_DIR/kit.conf.in"
	e2e_conf "$E2E_DIR/kit.conf.in" "$E2E_RUN/kit.conf"
}

# digest SCHEME PASSWORD: a Dovecot digest hash, salted with "e2esalt!"
# for the salted ones.
digest()
{
	python3 - "$1" "$2" <<'EOF'
import base64, hashlib, sys
scheme, pw = sys.argv[1], sys.argv[2].encode()
algo = {"SSHA512": "sha512", "SHA512": "sha512", "SSHA256": "sha256",
    "SHA256": "sha256", "SSHA": "sha1", "SHA": "sha1"}[scheme]
salt = b"e2esalt!" if scheme.startswith("SS") else b""
d = hashlib.new(algo, pw + salt).digest() + salt
print("{%s}%s" % (scheme, base64.b64encode(d).decode()))
EOF
}

# stored KIND PASSWORD: the hash of PASSWORD as the kind of account KIND.
stored()
{
	case "$1" in
	bcrypt)		e2e_crypt "$2" '$2b$08$e2e.salt.for.offload.bcr' ;;
	sha512)		e2e_crypt "$2" '$6$e2esalt6' ;;
	sha256)		e2e_crypt "$2" '$5$e2esalt5' ;;
	md5)		e2e_crypt "$2" '$1$e2esalt1' ;;
	yescrypt)	e2e_crypt "$2" '$y$j9T$e2eyescryptsalt.' ;;
	doveblf)	printf '{BLF-CRYPT}%s' "$(stored bcrypt "$2")" ;;
	dovesha512)	printf '{SHA512-CRYPT}%s' "$(stored sha512 "$2")" ;;
	dovesha256)	printf '{SHA256-CRYPT}%s' "$(stored sha256 "$2")" ;;
	dovemd5)	printf '{MD5-CRYPT}%s' "$(stored md5 "$2")" ;;
	ssha512)	digest SSHA512 "$2" ;;
	sha512d)	digest SHA512 "$2" ;;
	ssha256)	digest SSHA256 "$2" ;;
	sha256d)	digest SHA256 "$2" ;;
	ssha)		digest SSHA "$2" ;;
	sha)		digest SHA "$2" ;;
	plain)		printf '{PLAIN}%s' "$2" ;;
	argon2i)	printf '{ARGON2I}%s' "$(printf %s "$2" |
			    argon2 e2esaltsalt -i -t 2 -m 12 -p 2 -e)" ;;
	argon2id)	printf '{ARGON2ID}%s' "$(printf %s "$2" |
			    argon2 e2esaltsalt -id -t 2 -m 12 -p 2 -e)" ;;
	esac
}

KINDS="bcrypt sha512 sha256 md5 yescrypt doveblf dovesha512 dovesha256
    dovemd5 ssha512 sha512d ssha256 sha256d ssha sha plain"
# Argon2: where table-sqlite was built with libargon2 (the argon2
# command makes the hashes)
if ldd "$E2E_TOP/table-sqlite/table-sqlite" 2>/dev/null |
    grep -q libargon2; then
	command -v argon2 >/dev/null ||
	    e2e_abort "argon2 not found; run tests/deps.sh test"
	KINDS="$KINDS argon2i argon2id"
else
	echo "skip - {ARGON2I}, {ARGON2ID}: table-sqlite built without libargon2"
fi
# the kinds smtpd checks itself with crypt(3), without auth_offload
CRYPT_KINDS="bcrypt sha512 sha256 md5 yescrypt doveblf dovesha512
    dovesha256 dovemd5"

make_db()
{
	e2e_db "$DB"
	e2e_sql "$DB" "INSERT INTO domains VALUES ('$DOMAIN');"
	for k in $KINDS; do
		lc=$(stored $k "pw-lower-$k") && mc=$(stored $k "Pw-Mixed-$k") ||
		    e2e_abort "cannot hash a $k password"
		e2e_sql "$DB" "INSERT INTO users VALUES
		    ('lc-$k@$DOMAIN', '$lc', 1), ('mc-$k@$DOMAIN', '$mc', 1);"
	done
}

# auth NAME LOGIN PASSWORD CODE
auth()
{
	e2e_swaks --to "lc-bcrypt@$DOMAIN" --tls --auth PLAIN \
	    --auth-user "$2" --auth-password "$3" --quit-after AUTH
	expect_eq "$1 ($E2E_OUT)" "$4" "$(swaks_code)"
}

e2e_setup
DB=$E2E_RUN/kit.sqlite
make_conf yes
make_db
smtpd_start "$E2E_DIR/smtpd.conf.in"
expect_smtpd_alive "smtpd and table with auth_offload started"

for k in $KINDS; do
	auth "auth_offload: $k, lower-case password" "lc-$k@$DOMAIN" \
	    "pw-lower-$k" 235
	auth "auth_offload: $k, mixed-case password: smtpd lower-cases it" \
	    "mc-$k@$DOMAIN" "Pw-Mixed-$k" 535
done
auth "auth_offload: a wrong password" "lc-bcrypt@$DOMAIN" "pw-lower-x" 535
expect_smtpd_alive "smtpd and table alive after the checks"
expect_match "the table says why at start" \
    "auth_offload: smtpd hands the table the password of an AUTH lower-cased \(OpenSMTPD issue 1268\)" \
    "$(smtpd_log)"
# (smtpd's own lookup trace, on in these tests, shows them)
expect_nomatch "no password in the table's log" "pw-lower|Pw-Mixed|pw-mixed" \
    "$(smtpd_log | grep '^table-sqlite:')"

# Without auth_offload smtpd checks crypt(3) hashes itself, as typed.
smtpd_stop
make_conf no
smtpd_start "$E2E_DIR/smtpd.conf.in"
for k in $CRYPT_KINDS; do
	auth "credentials: $k, mixed-case password as typed" "mc-$k@$DOMAIN" \
	    "Pw-Mixed-$k" 235
done
auth "credentials: the mixed-case password lower-cased is wrong" \
    "mc-bcrypt@$DOMAIN" "pw-mixed-bcrypt" 535
smtpd_stop
test_done
