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
# The export commands of migrate-postfix, run word for word.  A
# throwaway MariaDB and a throwaway PostgreSQL (Debian's packages, which
# tests/deps.sh installs), each on a Unix socket in a temporary
# directory and no TCP port, run as an unprivileged user (nobody when
# the test runs as root).  They hold PostfixAdmin's tables, with awkward
# rows: commas, quotes, tabs, line breaks and non-ASCII text, inactive
# rows, a catch-all, hashes of several schemes.  Postfix mysql:/pgsql:
# maps and a Dovecot sql passdb point at them; migrate-postfix reads
# that setup, the commands of its report run as printed (each password
# given on the standard input, where the clients ask for it without a
# terminal), the import it prints loads the files, and the database must
# hold what Postfix and Dovecot answered: every domain, account with its
# hash, alias and sender grant, and a password that verifies.  A server
# that cannot start is a failure, never a skip.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/migrate/lib.sh"

mig_tools
# The printed import runs "auth-helper": this tree's.
PATH=$TOP/auth-helper:$PATH:/usr/sbin:/sbin
export PATH
T=$(mktemp -d /tmp/t_sqlexport.XXXXXX) || exit 1
chmod 755 "$T"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t / -k 5 -n |
    tail -n 1)
PGUP=""
MYUP=""
if [ "$(id -u)" -eq 0 ]; then
	AS="runuser -u nobody --"
else
	AS=""
fi
# The passwords of the map's and the passdb's database users.
PFPW=postfix-Pw.1
DCPW=dovecot-Pw.2
SUMMER=summersun

stop()
{
	if [ -n "$PGUP" ]; then
		$AS "$PGBIN/pg_ctl" -D "$T/pg" -m fast -w -t 30 stop \
		    >>"$T/run/pg.log" 2>&1
		PGUP=""
	fi
	if [ -n "$MYUP" ] && [ -s "$T/run/my.pid" ]; then
		pid=$(cat "$T/run/my.pid")
		kill "$pid" 2>/dev/null
		n=0
		while kill -0 "$pid" 2>/dev/null && [ $n -lt 300 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		MYUP=""
	fi
}
trap stop EXIT
trap 'stop; exit 1' INT TERM

# abort MESSAGE: a step the checks need failed: a failure, and the end.
abort()
{
	fail "$*"
	stop
	test_done "$T"
	exit 1
}

# ---------------------------------------------------------------- servers
for p in mariadb-install-db mariadbd mysql psql; do
	command -v "$p" >/dev/null 2>&1 || abort "$p not found: as root run" \
	    "sh tests/deps.sh sql (mariadb-server-core mariadb-client-core" \
	    "postgresql postgresql-client)"
done
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_ctl" ] ||
    abort "no /usr/lib/postgresql/*/bin/initdb: as root run sh tests/deps.sh sql"

mkdir "$T/my" "$T/pg" "$T/run" || abort "mkdir in $T"
if [ "$(id -u)" -eq 0 ]; then
	chown nobody "$T/my" "$T/pg" "$T/run" || abort "chown nobody $T"
	SOCKUSER=""
else
	SOCKUSER="--auth-root-socket-user=$(id -un)"
fi

# MariaDB: its own data directory, a socket, no network, and its own
# temporary directory: its temporary tables are named by its process id,
# which another run's server in /tmp may have had.
# shellcheck disable=SC2086
$AS mariadb-install-db --no-defaults --datadir="$T/my" --skip-test-db \
    --tmpdir="$T/run" --auth-root-authentication-method=socket $SOCKUSER \
    >"$T/my-install.log" 2>&1 ||
    abort "mariadb-install-db failed: $(grep -m 3 ERROR \
    "$T/my-install.log" || tail -n 3 "$T/my-install.log")"
$AS mariadbd --no-defaults --datadir="$T/my" --socket="$T/run/my.sock" \
    --tmpdir="$T/run" --skip-networking --pid-file="$T/run/my.pid" \
    --log-error="$T/run/my.err" --innodb-buffer-pool-size=16M \
    >"$T/my.out" 2>&1 &
mypid=$!
MYUP=yes
n=0
until mysql --no-defaults --socket="$T/run/my.sock" -e 'SELECT 1' \
    >/dev/null 2>&1; do
	n=$((n + 1))
	if [ $n -ge 300 ] || ! kill -0 "$mypid" 2>/dev/null; then
		abort "MariaDB did not start (an unprivileged mariadbd on a" \
		    "socket in $T/run): $(cat "$T/my.out"; tail -n 3 \
		    "$T/run/my.err" 2>/dev/null)"
	fi
	sleep 0.1
done
ok "MariaDB runs as $(ps -o user= -p "$(cat "$T/run/my.pid")"), on" \
    "$T/run/my.sock only"

# PostgreSQL: initdb and pg_ctl refuse root, hence nobody.
$AS "$PGBIN/initdb" -D "$T/pg" -U postgres -A trust -E UTF8 --locale=C \
    >"$T/pg-initdb.log" 2>&1 ||
    abort "initdb failed: $(tail -n 3 "$T/pg-initdb.log")"
# The map's and passdb's users log in with a password, as in production.
printf 'local all postgres trust\nlocal all all scram-sha-256\n' \
    >"$T/pg/pg_hba.conf"
$AS "$PGBIN/pg_ctl" -D "$T/pg" -l "$T/run/pg.log" -w -t 60 \
    -o "-k $T/run -c listen_addresses=''" start >"$T/pg-ctl.log" 2>&1 ||
    abort "PostgreSQL did not start (pg_ctl as an unprivileged user," \
    "socket in $T/run): $(tail -n 3 "$T/run/pg.log" 2>/dev/null)"
PGUP=yes
ok "PostgreSQL runs, on a socket in $T/run only"

# ------------------------------------------------------------------ data
# PostfixAdmin's tables and columns, those of tests/migrate/pfadmin
# (its data.sql up to the first blank line), in utf8mb4.  Rows:
#	example.org, example.net, bücher.example: active domains, whose
#	    descriptions (what the domain map selects) hold a comma, quotes,
#	    a tab, a backslash, a line break and non-ASCII text;
#	gone.example inactive, backup.example a backup MX: not local.
#	john (SHA512-CRYPT), jane (BLF-CRYPT), max@bücher.example
#	    (MD5-CRYPT), old (a bare $1$ hash: Dovecot's default scheme
#	    MD5-CRYPT applies), left (inactive: no account).
#	team: targets separated by a comma, a tab, a line break, with an
#	    apostrophe and an IDN domain; o'neil: an apostrophe in the key;
#	    @example.net: a catch-all; dead: inactive.
#	extra: in a second alias table, whose export adds to the file.
#	example.com: an alias domain of example.org (PostfixAdmin's queries:
#	    CONCAT in MySQL, || in PostgreSQL); ALL: PostfixAdmin's row.
{
	printf 'CREATE DATABASE postfixadmin CHARACTER SET utf8mb4;\n'
	printf 'USE postfixadmin;\n'
	sed '/^$/q' "$TOP/tests/migrate/pfadmin/data.sql"
	cat <<'EOF'
INSERT INTO domain (domain, description, backupmx, active) VALUES
	('example.org', 'Example, "the" org', 0, 1),
	('example.net', 'O''Neil\tand\\co\nline two', 0, 1),
	('bücher.example', 'Bücher, Zoë', 0, 1),
	('gone.example', 'gone', 0, 0),
	('ALL', '', 0, 1),
	('example.com', 'alias domain', 0, 1),
	('backup.example', 'backup', 1, 1);
INSERT INTO mailbox (username, password, name, maildir, local_part, domain,
    active) VALUES
	('john@example.org', '{SHA512-CRYPT}$6$pIL2alFvqFCEBSsp$J0R3JuBm/qOBJBT51w9nuuVGEEYusUmsl4qL4dp2Yu/jARfEs5uIA8LS6DgrTWwGkVJ.x44xTIxsgoLM6oXT51',
	    'John "Q", Jr.', 'example.org/john/', 'john', 'example.org', 1),
	('jane@example.org', '{BLF-CRYPT}$2y$05$DV0q9MJ/3rEmCl40r7dfjeAWdY9wzfxsTNoSGJSql6gFiR4Sg47SC',
	    'Jane', 'example.org/jane/', 'jane', 'example.org', 1),
	('old@example.org', '$1$fixture$wXrmMTc4kW4Msgw9P123D1',
	    'Old', 'example.org/old/', 'old', 'example.org', 1),
	('max@bücher.example', '{MD5-CRYPT}$1$fixture$wXrmMTc4kW4Msgw9P123D1',
	    'Max Müller', 'bücher.example/max/', 'max', 'bücher.example', 1),
	('left@example.org', '{SHA512-CRYPT}$6$pIL2alFvqFCEBSsp$J0R3JuBm/qOBJBT51w9nuuVGEEYusUmsl4qL4dp2Yu/jARfEs5uIA8LS6DgrTWwGkVJ.x44xTIxsgoLM6oXT51',
	    'Left', 'example.org/left/', 'left', 'example.org', 0),
	('gone@gone.example', '{SHA512-CRYPT}$6$pIL2alFvqFCEBSsp$J0R3JuBm/qOBJBT51w9nuuVGEEYusUmsl4qL4dp2Yu/jARfEs5uIA8LS6DgrTWwGkVJ.x44xTIxsgoLM6oXT51',
	    'Gone', 'gone.example/gone/', 'gone', 'gone.example', 1);
INSERT INTO alias (address, goto, domain, active) VALUES
	('john@example.org', 'john@example.org', 'example.org', 1),
	('jane@example.org', 'jane@example.org', 'example.org', 1),
	('old@example.org', 'old@example.org', 'example.org', 1),
	('max@bücher.example', 'max@bücher.example', 'bücher.example', 1),
	('info@example.org', 'john@example.org', 'example.org', 1),
	('sales@example.org', 'john@example.org,jane@example.org', 'example.org', 1),
	('team@example.org', 'jane@example.org, o''neil@example.net\tx@bücher.example\nold@example.org', 'example.org', 1),
	('o''neil@example.org', 'john@example.org', 'example.org', 1),
	('list@bücher.example', 'max@bücher.example,john@example.org', 'bücher.example', 1),
	('@example.net', 'jane@example.org', 'example.net', 1),
	('dead@example.org', 'john@example.org', 'example.org', 0),
	('abuse@gone.example', 'gone@gone.example', 'gone.example', 1);
INSERT INTO alias_domain (alias_domain, target_domain, active) VALUES
	('example.com', 'example.org', 1);
CREATE TABLE extra_alias (source varchar(255) NOT NULL PRIMARY KEY,
	destination text NOT NULL) DEFAULT CHARSET=utf8mb4;
INSERT INTO extra_alias VALUES ('extra@example.org', 'jane@example.org');
CREATE USER postfix@localhost IDENTIFIED BY 'postfix-Pw.1';
GRANT SELECT ON postfixadmin.* TO postfix@localhost;
CREATE USER dovecot@localhost IDENTIFIED BY 'dovecot-Pw.2';
GRANT SELECT ON postfixadmin.mailbox TO dovecot@localhost;
EOF
} >"$T/data.mysql"
# The same in PostgreSQL, with PostfixAdmin's boolean columns there.
sed -e '/^CREATE DATABASE/d' -e '/^CREATE USER/d' -e '/^GRANT/d' \
    -e '/^USE/d' -e 's/ DEFAULT CHARSET=utf8mb4//' \
    -e 's/tinyint(1) NOT NULL DEFAULT \([01]\)/boolean NOT NULL DEFAULT \1::boolean/' \
    -e 's/datetime/timestamp/' \
    -e "s/, \([01]\)),\$/, \1::boolean),/" -e "s/, \([01]\));\$/, \1::boolean);/" \
    -e "s/, \([01]\), \([01]\)::boolean)/, \1::boolean, \2::boolean)/" \
    -e "s/\\\\t/' || chr(9) || '/g" -e "s/\\\\n/' || chr(10) || '/g" \
    -e 's/\\\\/\\/g' "$T/data.mysql" >"$T/data.pgsql"
cat >>"$T/data.pgsql" <<'EOF'
CREATE ROLE postfix LOGIN PASSWORD 'postfix-Pw.1';
GRANT SELECT ON domain, mailbox, alias, alias_domain, extra_alias TO postfix;
CREATE ROLE dovecot LOGIN PASSWORD 'dovecot-Pw.2';
GRANT SELECT ON mailbox TO dovecot;
EOF

mysql --no-defaults --socket="$T/run/my.sock" <"$T/data.mysql" \
    >"$T/my-load.log" 2>&1 ||
    abort "loading PostfixAdmin's tables into MariaDB: $(tail -n 2 "$T/my-load.log")"
{ psql -X -q -v ON_ERROR_STOP=1 -h "$T/run" -U postgres -d postgres \
    -c "CREATE DATABASE postfixadmin ENCODING 'UTF8' TEMPLATE template0" &&
    psql -X -q -v ON_ERROR_STOP=1 -h "$T/run" -U postgres -d postfixadmin \
    -f "$T/data.pgsql"; } >"$T/pg-load.log" 2>&1 ||
    abort "loading PostfixAdmin's tables into PostgreSQL: $(tail -n 2 "$T/pg-load.log")"
# The same rows on both sides.
expect_eq "the awkward description arrived whole in both servers" \
    "$(mysql --no-defaults --socket="$T/run/my.sock" -N -B --raw \
    -e "SELECT HEX(description) FROM postfixadmin.domain ORDER BY domain")" \
    "$(psql -X -A -t -h "$T/run" -U postgres -d postfixadmin \
    -c "SELECT upper(encode(convert_to(description, 'UTF8'), 'hex')) FROM domain ORDER BY domain COLLATE \"C\"")"

# ------------------------------------------------------ Postfix, Dovecot
# setup KIND HOSTS CONNECT: the mysql fixture's main.cf and master.cf,
# KIND maps (hosts HOSTS), a Dovecot 2.3 sql passdb (connect CONNECT).
setup()
{
	pfd=$T/pf-$1
	mig_deploy mysql "$pfd" "$pfd" 127.0.0.1 smtp submission smtps \
	    /etc/ssl/mail.crt /etc/ssl/mail.key || abort "mig_deploy mysql"
	rm -rf "$pfd/etc/dovecot" "$pfd/etc/dovecot23" "$pfd/etc/postfix/mysql"
	mkdir -p "$pfd/etc/postfix/$1" "$pfd/etc/dovecot"
	sed -e "s|@D@|$pfd|g" -e 's|@INET@|127.0.0.1|' \
	    -e 's|@CERT@|/etc/ssl/mail.crt|' -e 's|@KEY@|/etc/ssl/mail.key|' \
	    -e "s|mysql:$pfd/etc/postfix/mysql/|$1:$pfd/etc/postfix/$1/|" \
	    "$TOP/tests/migrate/mysql/postfix/main.cf" >"$pfd/etc/postfix/main.cf"
	for m in virtual_mailbox_domains virtual_mailbox_maps \
	    virtual_alias_maps sender_login_maps; do
		printf 'user = postfix\npassword = %s\nhosts = %s\ndbname = postfixadmin\n' \
		    "$PFPW" "$2" >"$pfd/etc/postfix/$1/$m.cf"
	done
	cat >>"$pfd/etc/postfix/$1/virtual_mailbox_domains.cf" <<'EOF'
query = SELECT description FROM domain WHERE domain='%s' AND backupmx = '0' AND active = '1'
EOF
	cat >>"$pfd/etc/postfix/$1/virtual_mailbox_maps.cf" <<'EOF'
query = SELECT maildir FROM mailbox WHERE username='%s' AND active = '1'
EOF
	cat >>"$pfd/etc/postfix/$1/virtual_alias_maps.cf" <<'EOF'
query = SELECT goto FROM alias WHERE address='%s' AND active = '1'
EOF
	sed -i "s|^virtual_alias_maps = .*|&, proxy:$1:$pfd/etc/postfix/$1/extra_alias_maps.cf|" \
	    "$pfd/etc/postfix/main.cf"
	printf 'user = postfix\npassword = %s\nhosts = %s\ndbname = postfixadmin\n' \
	    "$PFPW" "$2" >"$pfd/etc/postfix/$1/extra_alias_maps.cf"
	echo "query = SELECT destination FROM extra_alias WHERE source='%s'" \
	    >>"$pfd/etc/postfix/$1/extra_alias_maps.cf"
	# PostfixAdmin's alias-domain maps, as its guides write them for
	# each engine (CONCAT in MySQL, || in PostgreSQL).
	if [ "$1" = mysql ]; then
		addr="CONCAT('%u', '@', alias_domain.target_domain)"
		catchall="CONCAT('@', alias_domain.target_domain)"
	else
		addr="'%u' || '@' || alias_domain.target_domain"
		catchall="'@' || alias_domain.target_domain"
	fi
	for m in virtual_alias_domain_maps virtual_alias_domain_catchall_maps \
	    virtual_alias_domain_mailbox_maps; do
		printf 'user = postfix\npassword = %s\nhosts = %s\ndbname = postfixadmin\n' \
		    "$PFPW" "$2" >"$pfd/etc/postfix/$1/$m.cf"
	done
	echo "query = SELECT goto FROM alias,alias_domain WHERE alias_domain.alias_domain = '%d' and alias.address = $addr AND alias.active = '1' AND alias_domain.active='1'" \
	    >>"$pfd/etc/postfix/$1/virtual_alias_domain_maps.cf"
	echo "query = SELECT goto FROM alias,alias_domain WHERE alias_domain.alias_domain = '%d' and alias.address = $catchall AND alias.active = '1' AND alias_domain.active='1'" \
	    >>"$pfd/etc/postfix/$1/virtual_alias_domain_catchall_maps.cf"
	echo "query = SELECT maildir FROM mailbox,alias_domain WHERE alias_domain.alias_domain = '%d' and mailbox.username = $addr AND mailbox.active = '1' AND alias_domain.active='1'" \
	    >>"$pfd/etc/postfix/$1/virtual_alias_domain_mailbox_maps.cf"
	cat >>"$pfd/etc/postfix/$1/sender_login_maps.cf" <<'EOF'
query = SELECT username FROM mailbox WHERE username='%s' AND active = '1' UNION SELECT goto FROM alias WHERE address='%s' AND active = '1'
EOF
	cat >"$pfd/etc/dovecot/dovecot.conf" <<EOF
protocols = lmtp
auth_mechanisms = plain login
passdb {
  driver = sql
  args = $pfd/etc/dovecot/dovecot-sql.conf.ext
}
userdb {
  driver = static
  args = uid=vmail gid=vmail home=/var/vmail/%d/%n
}
EOF
	cat >"$pfd/etc/dovecot/dovecot-sql.conf.ext" <<EOF
driver = $1
connect = $3 dbname=postfixadmin user=dovecot password=$DCPW
default_pass_scheme = MD5-CRYPT
password_query = SELECT username AS user, password \\
  FROM mailbox WHERE username = '%u' AND active = '1'
EOF
}

# -------------------------------------------------------- the migration
# expected TABLE: the kit's rows that Postfix's and Dovecot's answers make.
expected()
{
	case $1 in
	domains) printf '%s\n' example.com example.net example.org \
	    xn--bcher-kva.example ;;
	users) cat <<'EOF'
jane@example.org|{BLF-CRYPT}$2y$05$DV0q9MJ/3rEmCl40r7dfjeAWdY9wzfxsTNoSGJSql6gFiR4Sg47SC|1
john@example.org|{SHA512-CRYPT}$6$pIL2alFvqFCEBSsp$J0R3JuBm/qOBJBT51w9nuuVGEEYusUmsl4qL4dp2Yu/jARfEs5uIA8LS6DgrTWwGkVJ.x44xTIxsgoLM6oXT51|1
max@xn--bcher-kva.example|{MD5-CRYPT}$1$fixture$wXrmMTc4kW4Msgw9P123D1|1
old@example.org|{MD5-CRYPT}$1$fixture$wXrmMTc4kW4Msgw9P123D1|1
EOF
		;;
	aliases)
		# The alias domain example.com: each active address of
		# example.org again, an alias of it.
		for l in extra info jane john "o'neil" old sales team; do
			echo "$l@example.com|$l@example.org"
		done
		cat <<'EOF'
@example.net|jane@example.org
extra@example.org|jane@example.org
info@example.org|john@example.org
list@xn--bcher-kva.example|john@example.org
list@xn--bcher-kva.example|max@xn--bcher-kva.example
o'neil@example.org|john@example.org
sales@example.org|jane@example.org
sales@example.org|john@example.org
team@example.org|jane@example.org
team@example.org|o'neil@example.net
team@example.org|old@example.org
EOF
		;;
	senders) cat <<'EOF'
jane@example.org|@example.net
jane@example.org|sales@example.org
jane@example.org|team@example.org
john@example.org|info@example.org
john@example.org|list@xn--bcher-kva.example
john@example.org|o'neil@example.org
john@example.org|sales@example.org
max@xn--bcher-kva.example|list@xn--bcher-kva.example
old@example.org|team@example.org
EOF
		;;
	esac
}

# migrate KIND: migrate, run the report's commands as printed, check.
migrate()
{
	k=$1
	out=$T/out-$k
	"$AH" -f "$T/none.conf" migrate-postfix -c "$out" -d "$out/kit.sqlite" \
	    -D "$T/pf-$k/etc/dovecot" -o "$out" "$T/pf-$k/etc/postfix" \
	    >"$T/migrate-$k.log" 2>&1 ||
	    { fail "$k: migrate-postfix: $(cat "$T/migrate-$k.log")"; return; }
	ok "$k: migrate-postfix wrote the new setup"
	sed -n '/^## To run by hand$/,$p' "$out/migration-report.txt" |
	    sed '1d' >"$T/run-$k"
	client=$k
	[ "$k" = pgsql ] && client="PGCLIENTENCODING=UTF8 psql"
	expect_eq "$k: the report has an export for domains, users, aliases (four tables) and senders" \
	    7 "$(grep -c "^$client " "$T/run-$k")"
	expect_eq "$k: the second alias table adds to the file" 1 \
	    "$(grep -c ">> aliases\.[ct]sv  # virtual_alias_maps = proxy:$k:" "$T/run-$k")"
	expect_eq "$k: and one import, last" "auth-helper" \
	    "$(tail -n 1 "$T/run-$k" | cut -d ' ' -f 1)"
	expect_nomatch "$k: no password in the commands" "$PFPW|$DCPW" \
	    "$(cat "$T/run-$k")"
	if [ "$k" = mysql ]; then
		expect_eq "$k: one password prompt per database user" \
		    "mysql-postfix.cnf mysql-dovecot.cnf " \
		    "$(grep '^(umask 077;' "$T/run-$k" |
		    sed 's/.* >\(mysql-[a-z]*\.cnf\)).*/\1/' | tr '\n' ' ')"
	fi
	mkdir "$T/work-$k"
	while IFS= read -r line; do
		case $line in
		*--user=dovecot*|*--username=dovecot*|*mysql-dovecot.cnf*)
			pw=$DCPW ;;
		*) pw=$PFPW ;;
		esac
		# No terminal: the clients ask for the password on stdin.
		if (cd "$T/work-$k" && printf '%s\n' "$pw" |
		    setsid -w sh -c "$line") >"$T/cmd.out" 2>&1; then
			ok "$k: ran as printed: ${line%%  #*}"
		else
			fail "$k: failed as printed: $line: $(tail -n 3 "$T/cmd.out")"
		fi
		grep -vi 'password' "$T/cmd.out" | sed "s/^/  $k: /"
		cat "$T/cmd.out" >>"$T/all-$k.out"
		case $line in
		"(umask 077;"*)
			f=$(printf '%s\n' "$line" | sed 's/.* >\(mysql-[a-z]*\.cnf\)).*/\1/')
			expect_eq "$k: $f written mode 0600" "-rw-------" \
			    "$(ls -l "$T/work-$k/$f" | cut -c 1-10)" ;;
		esac
	done <"$T/run-$k"
	expect_match "$k: PostfixAdmin's ALL row skipped, said" \
	    "skipped PostfixAdmin's placeholder domain ALL" "$(cat "$T/all-$k.out")"
	expect_match "$k: the disabled domain's rows skipped, said" \
	    "skipped [0-9]+ rows? of gone.example" "$(cat "$T/all-$k.out")"
	expect_eq "$k: no password file left" "" \
	    "$(cd "$T/work-$k" && ls mysql-*.cnf 2>/dev/null)"
	for t in domains users aliases senders; do
		case $t in
		domains) q="SELECT name FROM domains" ;;
		users) q="SELECT login, password, active FROM users" ;;
		aliases) q="SELECT * FROM aliases WHERE target <> ''" ;;
		*) q="SELECT * FROM $t" ;;
		esac
		expect_eq "$k: $t in the kit's database" \
		    "$(expected $t | LC_ALL=C sort)" \
		    "$(sqlite3 "$out/kit.sqlite" "$q" | LC_ALL=C sort)"
	done
	# The table answers smtpd as for any account; the password checks.
	echo "dbpath $out/kit.sqlite" >"$T/table-$k.conf"
	for login in john@example.org jane@example.org old@example.org \
	    max@xn--bcher-kva.example; do
		r=$(printf 'lookup credentials %s\n' "$login" |
		    "$DRIVE" -- "$TABLE" -d "$T/table-$k.conf" 2>>"$T/table.log" |
		    grep '^lookup-result')
		hash=${r#*|found|"$login":}
		if [ "$hash" != "$r" ] && python3 -W ignore -c '
import crypt, sys
sys.exit(crypt.crypt(sys.argv[1], sys.argv[2]) != sys.argv[2])' \
		    "$SUMMER" "$hash"; then
			ok "$k: $login logs in with its password"
		else
			fail "$k: $login: the table's credentials [$r] do not" \
			    "verify the password"
		fi
	done
	r=$(printf 'lookup credentials left@example.org\n' |
	    "$DRIVE" -- "$TABLE" -d "$T/table-$k.conf" 2>>"$T/table.log" |
	    grep '^lookup-result')
	expect_match "$k: the inactive mailbox has no account" "not-found" "$r"
}

setup mysql "unix:$T/run/my.sock" "host=$T/run/my.sock"
setup pgsql "unix:$T/run" "host=$T/run"
migrate mysql
migrate pgsql

stop
test_done "$T"
