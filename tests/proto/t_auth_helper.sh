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
# Command tests of auth-helper on temporary databases: every command,
# its output and exit status, the error paths (nothing may change), and
# writes while a table-sqlite process keeps reading.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"

AH=$TOP/auth-helper/auth-helper
TABLE=$TOP/table-sqlite/table-sqlite
DRIVE=$TOP/tests/tools/tabledrive
T=$(mktemp -d /tmp/t_auth_helper.XXXXXX)
CONF=$T/sqlite.conf
DB=$T/kit.sqlite
# check asks whether virtual_user exists: this host has no vmail
printf 'dbpath %s\nvirtual_user nobody\n' "$DB" > "$CONF"

ah() { "$AH" -f "$CONF" "$@"; }
# run NAME EXPECTED-STATUS COMMAND...: output in $OUT, status checked
run()
{
	expect_exit "$@"
}
dump() { sqlite3 "$DB" .dump; }

run "commands need init first" 1 ah domain list
expect_match "and say so" "run auth-helper init first" "$ERR"
run "init" 0 ah init
expect_match "init says it created" "schema version 2 created" "$OUT"
expect_eq "schema version stored" 2 "$(sqlite3 "$DB" 'PRAGMA user_version')"
run "init again" 0 ah init
expect_match "init is idempotent" "up to date" "$OUT"

# A database of schema version 1 (no settings table) is upgraded in place.
V1=$T/v1.sqlite
printf 'dbpath %s\nvirtual_user nobody\n' "$V1" > "$T/v1.conf"
sqlite3 "$V1" < "$TOP/lib/schema.sql"
sqlite3 "$V1" "DROP TRIGGER settings_insert; DROP TRIGGER settings_update;
    DROP TRIGGER settings_delete; DROP TABLE settings;
    DROP TRIGGER aliases_insert; DROP TRIGGER aliases_update;
    CREATE TRIGGER aliases_insert AFTER INSERT ON aliases
    WHEN NEW.target <> '' AND substr(NEW.address, 1, 1) <> '@'
    BEGIN
	INSERT OR IGNORE INTO owners VALUES (NEW.target, NEW.address, 'alias');
    END;
    INSERT INTO domains VALUES ('example.com');
    INSERT INTO users VALUES ('bob@example.com', '{PLAIN}x', 1);
    INSERT INTO aliases VALUES ('team@example.com', 'bob@example.com');
    INSERT INTO users VALUES ('ann@example.com', '{PLAIN}x', 1);
    INSERT INTO senders VALUES ('ann@example.com', '*@example.com'),
    ('ann@example.com', '@example.com');
    PRAGMA user_version = 1;"
run "init upgrades version 1" 0 "$AH" -f "$T/v1.conf" init
expect_match "and says so" "schema version 1 upgraded to 2" "$OUT"
# Version 1 read "*@example.com" as that address, "@example.com" as
# every address of the domain.
expect_eq "a version 1 grant of *@domain is not made domain-wide" \
    "ann@example.com|@example.com" \
    "$(sqlite3 "$V1" "SELECT login, address FROM senders")"
expect_match "its removal is said" \
    "sender ann@example.com \\*@example.com: removed" "$OUT"
expect_match "and what an @domain grant now covers" \
    "sender ann@example.com @example.com: now covers only" "$OUT"
expect_eq "version 2 stored" 2 "$(sqlite3 "$V1" 'PRAGMA user_version')"
expect_eq "rows kept" "bob@example.com|team@example.com|alias" \
    "$(sqlite3 "$V1" "SELECT * FROM owners WHERE via = 'alias'")"
run "the upgraded schema takes alias owns" 0 "$AH" -f "$T/v1.conf" alias owns no
expect_eq "and its triggers apply it" "" \
    "$(sqlite3 "$V1" "SELECT * FROM owners WHERE via = 'alias'")"
run "init again after the upgrade" 0 "$AH" -f "$T/v1.conf" init
expect_match "up to date" "up to date" "$OUT"

run "domain add, two, IDN" 0 ah domain add Example.COM Bücher.example
run "domain list" 0 ah domain list
expect_eq "domains lower case, IDN as A-label" \
    "example.com xn--bcher-kva.example" "$(echo $OUT)"
run "domain add again" 1 ah domain add example.com
expect_match "says it exists" "exists already" "$ERR"
before=$(dump)
run "domain add with one bad name" 1 ah domain add good.example 'bad domain'
expect_eq "a failed command changes nothing" "$before" "$(dump)"

run "user add (stdin)" 0 sh -c "echo 'S3cret pw' | '$AH' -f '$CONF' user add Bob@Example.COM"
run "user add -s yescrypt" 0 sh -c "echo pw2 | '$AH' -f '$CONF' user add -s yescrypt ann@example.com"
run "user add -s sha512crypt" 0 sh -c "echo pw3 | '$AH' -f '$CONF' user add -s sha512crypt eve@example.com"
run "user alone" 1 ah user
expect_match "lists the user commands" "user: which one\?.*auth-helper user add .*auth-helper user list" "$(echo $ERR)"
run "a short password: warned of, taken" 0 sh -c "echo short | '$AH' -f '$CONF' user add short@example.com"
expect_match "warned" "a password of 5 characters is easy to guess; 12 or more are advised" "$ERR"
run "user del short" 0 ah user del short@example.com
run "user list" 0 ah user list
expect_eq "users, one a line" \
    "ann@example.com active \$y\$ bob@example.com active \$2b\$ eve@example.com active \$6\$" \
    "$(echo $OUT)"
expect_nomatch "password never on the command line or in output" \
    "S3cret" "$OUT$ERR"
before=$(dump)
run "user add in an unknown domain" 1 sh -c "echo pw | '$AH' -f '$CONF' user add x@other.example"
expect_match "says how to fix it" "domain add other.example" "$ERR"
run "user add twice" 1 sh -c "echo pw | '$AH' -f '$CONF' user add bob@example.com"
run "user add without a password" 1 sh -c "'$AH' -f '$CONF' user add new@example.com </dev/null"
run "user add with a bad address" 1 sh -c "echo pw | '$AH' -f '$CONF' user add 'a b@example.com'"
run "user add with an empty password" 1 sh -c "echo | '$AH' -f '$CONF' user add new@example.com"
expect_eq "failed user adds change nothing" "$before" "$(dump)"
run "a password is not an argument" 1 ah user add new@example.com secret
expect_eq "argument refused, nothing changed" "$before" "$(dump)"

run "verify, right password" 0 sh -c "echo 'S3cret pw' | '$AH' -f '$CONF' verify bob@example.com"
run "verify, wrong password" 1 sh -c "echo 's3cret pw' | '$AH' -f '$CONF' verify bob@example.com"
run "verify yescrypt" 0 sh -c "echo pw2 | '$AH' -f '$CONF' verify ann@example.com"
run "user passwd" 0 sh -c "echo newpw | '$AH' -f '$CONF' user passwd bob@example.com"
run "verify new password" 0 sh -c "echo newpw | '$AH' -f '$CONF' verify bob@example.com"
run "user passwd of nobody" 1 sh -c "echo x | '$AH' -f '$CONF' user passwd nobody@example.com"
run "user disable" 0 ah user disable eve@example.com
run "verify a disabled user" 1 sh -c "echo pw3 | '$AH' -f '$CONF' verify eve@example.com"
run "user enable" 0 ah user enable eve@example.com
run "verify an enabled user" 0 sh -c "echo pw3 | '$AH' -f '$CONF' verify eve@example.com"

run "alias add, two targets" 0 ah alias add Team@example.com bob@example.com ann@example.com
run "alias add catch-all" 0 ah alias add @example.com ann@example.com
run "alias add to a local user name" 0 ah alias add root@example.com vmail
run "alias add in an unknown domain" 1 ah alias add x@other.example bob@example.com
run "alias to itself" 1 ah alias add bob@example.com bob@example.com
run "alias list" 0 ah alias list
expect_eq "aliases, one a line" \
    "@example.com ann@example.com root@example.com vmail team@example.com ann@example.com team@example.com bob@example.com" \
    "$(echo $OUT)"
run "alias list -j" 0 ah -j alias list team@example.com
expect_eq "JSON lines" \
    '{"address":"team@example.com","target":"ann@example.com"} {"address":"team@example.com","target":"bob@example.com"}' \
    "$(echo $OUT)"
before=$(dump)
run "alias add to a program refused" 1 ah alias add x@example.com '|/usr/bin/id'
expect_match "says why and how to allow it" "run or write it as its own user: allow it with -p" "$ERR"
run "alias add to a file refused" 1 ah alias add x@example.com /tmp/file
run "alias add to an include refused" 1 ah alias add x@example.com :include:/etc/x
run "alias add to a program address refused" 1 ah alias add x@example.com '|id@example.com'
run "alias add of a target with a comma refused" 1 ah alias add -p x@example.com 'a@example.com, |/usr/bin/id'
run "alias add of a quoted program refused" 1 ah alias add -p x@example.com '"|id"'
expect_eq "refused targets change nothing" "$before" "$(dump)"
run "alias add -p to a program" 0 ah alias add -p prog@example.com '|/usr/bin/true'
run "check reports it" 1 ah check
expect_match "as an unsafe target" "^unsafe-target prog@example.com target \|/usr/bin/true runs a program as smtpd's user" "$OUT"
run "alias del of it" 0 ah alias del prog@example.com '|/usr/bin/true'
run "alias del one target" 0 ah alias del team@example.com ann@example.com
run "alias del of nothing" 1 ah alias del nosuch@example.com
run "alias del cannot remove a mailbox" 1 ah alias del bob@example.com

run "sender add" 0 ah sender add bob@example.com @example.org
run "sender add to nobody" 1 ah sender add nobody@example.com x@example.org
run "sender list" 0 ah sender list bob@example.com
expect_eq "grants listed" "bob@example.com @example.org" "$OUT"

run "owns: own address" 0 ah owns bob@example.com Bob+tag@Example.com
expect_match "names the row" "users row bob@example.com" "$OUT"
run "owns: alias" 0 ah owns bob@example.com team@example.com
expect_match "names the alias row" "aliases row team@example.com -> bob@example.com" "$OUT"
run "owns: domain grant" 0 ah owns bob@example.com anyone@example.org
expect_match "names the grant" "senders row bob@example.com @example.org" "$OUT"
run "owns: not owned" 1 ah owns bob@example.com ann@example.com
expect_match "gives the filter's reply" \
    "553 5.7.1 <ann@example.com>: Sender address rejected: not owned by user bob@example.com" \
    "$OUT"

# Postfix's first match: an address with an owner of its own is not
# covered by a grant of its domain; "*@domain" covers every address.
run "domain add example.org" 0 ah domain add example.org
run "user add carol" 0 sh -c "echo pw | '$AH' -f '$CONF' user add carol@example.org"
run "owns: @domain does not cover an owned address" 1 ah owns bob@example.com carol@example.org
run "owns: it covers the others" 0 ah owns bob@example.com nobody@example.org
run "sender add *@domain" 0 ah sender add ann@example.com '*@Example.ORG'
run "sender list" 0 ah sender list ann@example.com
expect_eq "the grant of every address" "ann@example.com *@example.org" "$OUT"
run "owns: *@domain covers an owned address" 0 ah owns ann@example.com carol@example.org
expect_match "names that grant" "senders row ann@example.com \*@example.org" "$OUT"
run "sender add *@ of no domain refused" 1 ah sender add ann@example.com '*@'
run "sender del *@domain" 0 ah sender del ann@example.com '*@example.org'
run "owns: not any more" 1 ah owns ann@example.com carol@example.org
run "user del carol" 0 ah user del carol@example.org
run "domain del example.org" 0 ah domain del example.org

# alias owns: whether an alias makes its targets own it
run "alias owns" 0 ah alias owns
expect_eq "yes by default" "yes" "$OUT"
run "alias owns no" 0 ah alias owns no
run "alias owns, read back" 0 ah alias owns
expect_eq "no" "no" "$OUT"
run "owns: no alias with alias owns no" 1 ah owns bob@example.com team@example.com
run "alias owns maybe refused" 1 ah alias owns maybe
run "alias owns yes" 0 ah alias owns yes
run "owns: the alias again" 0 ah owns bob@example.com team@example.com

# recipient_delimiter: an extension that is an account of its own
run "user add jane" 0 sh -c "echo pw | '$AH' -f '$CONF' user add jane@example.com"
run "user add jane+sales" 0 sh -c "echo pw | '$AH' -f '$CONF' user add jane+sales@example.com"
run "owns: an extension nobody owns is the base address" 0 ah owns jane@example.com jane+news@example.com
run "owns: an extension that is another account is not" 1 ah owns jane@example.com jane+sales@example.com
run "owns: that account itself" 0 ah owns jane+sales@example.com jane+sales@example.com
run "owns: judged as smtpd derives it" 1 ah owns jane@example.com 'jane+x:bob@example.com'
expect_match "the address after the ':'" "answers 553 5.7.1 <bob@example.com>" "$OUT"
run "owns: x:jane is jane" 0 ah owns jane@example.com 'x:jane@example.com'
run "user del jane" 0 ah user del jane@example.com
run "user del jane+sales" 0 ah user del jane+sales@example.com

run "plain" 0 sh -c "echo newpw | '$AH' -f '$CONF' plain bob@example.com"
expect_eq "AUTH PLAIN token" "$(printf '\0bob@example.com\0newpw' | base64_line)" "$OUT"
run "hash" 0 sh -c "echo pw | '$AH' hash"
expect_match "bcrypt by default" '^\$2b\$' "$OUT"
run "hash -s yescrypt" 0 sh -c "echo pw | '$AH' hash -s yescrypt"
expect_match "yescrypt on request" '^\$y\$' "$OUT"
run "hash -s des" 1 sh -c "echo pw | '$AH' hash -s des"

# Options and arguments: a wrong count or an unknown option is refused
# with the command's usage line, before anything is read or changed.
before=$(dump)
usage()
{
	run "$1" 1 ah $2
	expect_eq "$1: the usage line" "auth-helper: usage: auth-helper $3" \
	    "$ERR"
}
usage "user add, unknown option" "user add -x bob@example.com" \
    "user add [-s scheme] login"
usage "user add, -s without login" "user add -s yescrypt" \
    "user add [-s scheme] login"
usage "user passwd, two logins" "user passwd a@example.com b@example.com" \
    "user passwd [-s scheme] login"
usage "hash with an argument" "hash pw" "hash [-s scheme]"
usage "owns, one argument" "owns bob@example.com" \
    "owns [-d delimiters] login address"
usage "owns, unknown option" "owns -x + bob@example.com bob@example.com" \
    "owns [-d delimiters] login address"
usage "import, no file" "import" "import [-t] [-d domains.csv] [-u users.csv] [-a aliases.csv] [-s senders.csv] [-X domains]"
usage "import, an argument" "import -d $T/none.csv extra" "import [-t] [-d domains.csv] [-u users.csv] [-a aliases.csv] [-s senders.csv] [-X domains]"
usage "migrate-postfix, two directories" "migrate-postfix -n a b" \
    "migrate-postfix [-npx] [-c confdir] [-d dbpath] [-D dovecotdir] [-o outdir] [-r root] [postfixdir]"
usage "user del, no login" "user del" "user del login"
expect_eq "usage errors change nothing" "$before" "$(dump)"

# while auth-helper waits for a password, it may not dump core (Linux:
# /proc shows its limits and what it waits in)
if [ -r /proc/self/limits ] && [ -r /proc/self/syscall ] &&
    [ "$(uname -m)" = x86_64 ]; then
	rm -f "$T/pwfifo"
	mkfifo "$T/pwfifo"
	"$AH" hash < "$T/pwfifo" > "$T/hash.out" 2>&1 &
	HPID=$!
	exec 4>"$T/pwfifo"
	# until it blocks reading its standard input (read is syscall 0)
	n=0
	while [ "$(cut -d' ' -f1,2 "/proc/$HPID/syscall" 2>/dev/null)" != \
	    "0 0x0" ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	expect_match "no core dump while it holds a password" \
	    "^Max core file size +0 +0 " \
	    "$(cat "/proc/$HPID/limits" 2>/dev/null)"
	echo pw >&4
	exec 4>&-
	wait "$HPID"
	expect_match "and the hash is made" '^\$2b\$' "$(cat "$T/hash.out")"
else
	echo "skip - core dump limit: no /proc/PID/limits and syscall here"
fi

# init: the database 0640, missing directories 0750, and it says so
printf 'dbpath %s/new/dir/kit.sqlite\n' "$T" > "$T/new.conf"
run "init in a directory that does not exist" 0 "$AH" -f "$T/new.conf" init
expect_eq "the directory made 0750" "750" "$(file_mode "$T/new/dir")"
expect_eq "the database made 0640" "640" "$(file_mode "$T/new/dir/kit.sqlite")"
expect_match "says what it made" "created directory $T/new/dir \\(mode 0750\\)" "$OUT"
expect_match "and the mode of the database" "created $T/new/dir/kit.sqlite: mode 0640" "$OUT"

run "check, consistent" 0 ah check
expect_match "says so" "no problem found" "$OUT"
printf 'dbpath %s\nvirtual_user no-such-kit-user\n' "$DB" > "$T/vu.conf"
run "check, a virtual_user this system lacks" 1 "$AH" -f "$T/vu.conf" check
expect_match "says smtpd would refuse every recipient" \
    "^virtual-user no-such-kit-user virtual_user no-such-kit-user does not exist on this system: smtpd refuses every local recipient with 550 Invalid recipient" \
    "$OUT"
{
	cat "$TOP/tests/proto/broken_rows.sql"
	cat <<'EOSQL'
INSERT INTO users VALUES ('argon@example.com', '{ARGON2ID}$argon2id$v=19$m=4096,t=2,p=2$ZTJlc2FsdHNhbHQ$DAnE3h8sICZ8t9wxumyYxV59sCaODIH81me8snkZTYE', 1);
EOSQL
} | sqlite3 "$DB"
ah user disable ann@example.com
run "check, broken" 1 ah check
expect_match "alias to nowhere" "^alias-to-nowhere lost@example.com" "$OUT"
expect_match "a file target in the database" "^unsafe-target f@example.com target /var/mail/f writes a file" "$OUT"
expect_match "a target smtpd splits" "^unsafe-target two@example.com target a@example.com, \|id is read by smtpd as several targets" "$OUT"
expect_match "loop" "^alias-loop a@example.com" "$OUT"
expect_match "inactive target" "^inactive-target @example.com" "$OUT"
expect_match "unknown domain" "^unknown-domain odd@unknown.example" "$OUT"
expect_match "case" "^duplicate Mixed@example.com" "$OUT"
expect_match "unsupported hash" "^hash odd@unknown.example unsupported" "$OUT"
expect_match "non-crypt hash" "^hash Mixed@example.com not a crypt" "$OUT"
expect_match "Argon2 hash" "^hash argon@example.com Argon2 hash: table-sqlite checks it only with auth_offload yes" "$OUT"
expect_match "dangling grant" "^dangling-grant ghost@example.com" "$OUT"

run "user del" 0 ah user del eve@example.com
run "user del of nobody" 1 ah user del eve@example.com
run "domain del with users" 1 ah domain del example.com
run "domain del of an empty domain" 0 ah domain del xn--bcher-kva.example
run "unknown command" 1 ah frobnicate
run "configuration with its own queries refused" 1 sh -c "printf 'dbpath $DB\nquery_domain SELECT 1\n' > '$T/c2'; '$AH' -f '$T/c2' domain list"

# Writes while a table keeps reading: the table sees them, never fails.
ah user enable ann@example.com
{
	echo "lookup credentials ann@example.com"
	i=0
	while [ $i -lt 20 ]; do
		echo "!echo pw | '$AH' -f '$CONF' user add w$i@example.com >/dev/null 2>&1 || echo WRITE-FAILED"
		echo "lookup credentials w$i@example.com"
		echo "lookup mailaddrmap w$i@example.com"
		i=$((i + 1))
	done
	echo "alive"
} > "$T/conc"
OUT=$("$DRIVE" -- "$TABLE" -d "$CONF" < "$T/conc" 2>"$T/table.err")
expect_nomatch "writes succeed while the table reads" "WRITE-FAILED" "$OUT"
expect_nomatch "the table never answers an error" "\|error" "$OUT"
expect_eq "the table sees each new user at once" 20 \
    "$(printf '%s\n' "$OUT" | grep -c '^lookup-result|ID|found|w[0-9]*@example.com:\$2b\$')"
expect_eq "and what it owns" 20 \
    "$(printf '%s\n' "$OUT" | grep -c '^lookup-result|ID|found|w[0-9]*@example.com$')"
expect_eq "the table is alive" "alive" "$(printf '%s\n' "$OUT" | tail -n 1)"

test_done "$T"
