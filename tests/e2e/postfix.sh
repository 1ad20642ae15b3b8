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
# A real Postfix and Dovecot in the postfix root (provision.sh postfix),
# for the migration tests and the bench.  Source tests/lib.sh,
# tests/e2e/lib.sh and tests/migrate/lib.sh first.
#
# Each run has its own directory $PF_DIR in the root; Postfix, Dovecot
# and every command of the run (postmap, auth-helper) run in a private
# mount namespace where the run's files are mounted on /etc/postfix,
# /etc/dovecot, /var/spool/postfix, /var/lib/postfix, /run/dovecot,
# /home/vmail, /etc/hosts and /out: the cached root is never changed,
# and runs side by side do not see each other.  Postfix listens on
# 127.0.0.1 only, on ports of e2e_free_port: $PF_SMTP (its smtp
# service), $PF_SUBMISSION, $PF_SMTPS.

PF_ROOT=""
PF_DIR=""
PF_PID=""
PF_MYSQL_PID=""
PF_PGSQL=""

# pf_setup: provision the root and make the run directory.
pf_setup()
{
	PF_ROOT=$(sh "$E2E_TOP/tests/e2e/provision.sh" postfix) ||
	    e2e_abort "provisioning the postfix root failed (see above)"
	mkdir -p "$PF_ROOT/e2e" && chmod 755 "$PF_ROOT/e2e" &&
	    PF_DIR=$(mktemp -d "$PF_ROOT/e2e/pf.XXXXXX") ||
	    e2e_abort "cannot make a run directory in $PF_ROOT/e2e"
	chmod 755 "$PF_DIR"
}

# pf_clean: remove the run directory (only when nothing runs in it).
pf_clean()
{
	pf_stop
	pf_mysql_stop
	pf_pgsql_stop
	[ -n "$PF_DIR" ] && rm -rf "$PF_DIR"
	PF_DIR=""
}

# pf_deploy FIXTURE: fresh copies of the root's Postfix state and the
# fixture's files, with three free ports.
pf_deploy()
{
	pf_stop
	rm -rf "$PF_DIR/r"
	mkdir -p "$PF_DIR/r/run-dovecot" "$PF_DIR/r/out" "$PF_DIR/r/vmail"
	chmod 755 "$PF_DIR/r" "$PF_DIR/r/out"
	cp -a "$PF_ROOT/var/spool/postfix" "$PF_DIR/r/spool" &&
	    cp -a "$PF_ROOT/var/lib/postfix" "$PF_DIR/r/lib" ||
	    e2e_abort "cannot copy the root's Postfix state"
	chown 2000:2000 "$PF_DIR/r/vmail"
	# Debian's files (postfix-files, dynamicmaps.cf), then the fixture's.
	mkdir -p "$PF_DIR/r/etc"
	cp -a "$PF_ROOT/etc/postfix" "$PF_DIR/r/etc/postfix" ||
	    e2e_abort "cannot copy the root's /etc/postfix"
	rm -f "$PF_DIR/r/etc/postfix/main.cf" "$PF_DIR/r/etc/postfix/master.cf"
	PF_SMTP=$(e2e_free_port) && PF_SUBMISSION=$(e2e_free_port) &&
	    PF_SMTPS=$(e2e_free_port) || e2e_abort "no free loopback port"
	mig_deploy "$1" "$PF_DIR/r" "" 127.0.0.1 "$PF_SMTP" \
	    "$PF_SUBMISSION" "$PF_SMTPS" /etc/mail/test.crt \
	    /etc/mail/test.key || e2e_abort "cannot deploy fixture $1"
	mkdir -p "$PF_DIR/r/home/vmail" "$PF_DIR/r/etc/postfix"
	# The test's own: Postfix logs to postfix.log (there is no syslog).
	echo "maillog_file = /dev/stdout" >>"$PF_DIR/r/etc/postfix/main.cf"
	printf '127.0.0.1\tlocalhost\n127.0.0.2\tclient.e2e.test\n' \
	    >"$PF_DIR/r/hosts"
	echo mail.example.org >"$PF_DIR/r/mailname"
	cp "$E2E_TOP/auth-helper/auth-helper" "$PF_DIR/r/out/auth-helper"
	cat >"$PF_DIR/launch.sh" <<EOS
#!/bin/sh
# Run by unshare -m: the run's files over the root's.
set -e
R="$PF_ROOT"
D="$PF_DIR/r"
# Mount points the packages did not make (empty directories).
mkdir -p "\$R/run/dovecot" "\$R/run/mysqld" "\$R/home/vmail" "\$R/out" \
    "\$R/etc/dovecot23" "\$R/run/postgresql"
# With PF_OVERLAY=yes, what commands write in /etc and /var stays in
# the run (for one command at a time: an overlay's upper directory is
# not shared between mounts).
if [ "\$PF_OVERLAY" = yes ]; then
	for t in etc var; do
		mkdir -p "\$D/ov/\$t-up" "\$D/ov/\$t-work"
		mount -t overlay "e2e-\$t" -o "lowerdir=\$R/\$t,upperdir=\$D/ov/\$t-up,workdir=\$D/ov/\$t-work" "\$R/\$t"
	done
fi
mount -t proc e2e-proc "\$R/proc"
mount --bind "\$D/etc/postfix" "\$R/etc/postfix"
mount --bind "\$D/etc/dovecot" "\$R/etc/dovecot"
mount --bind "\$D/spool" "\$R/var/spool/postfix"
mount --bind "\$D/lib" "\$R/var/lib/postfix"
mount --bind "\$D/run-dovecot" "\$R/run/dovecot"
mount --bind "\$D/home/vmail" "\$R/home/vmail"
mount --bind "\$D/vmail" "\$R/var/vmail"
mount --bind "\$D/hosts" "\$R/etc/hosts"
mount --bind "\$D/mailname" "\$R/etc/mailname"
mount --bind "\$D/out" "\$R/out"
if [ -d "\$D/mysql" ]; then
	mount --bind "\$D/mysql" "\$R/var/lib/mysql"
	mount --bind "\$D/run-mysqld" "\$R/run/mysqld"
fi
[ ! -d "\$D/run-pg" ] || mount --bind "\$D/run-pg" "\$R/run/postgresql"
[ ! -d "\$D/etc/dovecot23" ] || mount --bind "\$D/etc/dovecot23" "\$R/etc/dovecot23"
PATH=/out:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
exec chroot "\$R" "\$@"
EOS
	# The hash: tables, as postmap builds them.
	for m in $(grep -ho 'hash:[^ ,]*' "$PF_DIR/r/etc/postfix/main.cf" \
	    "$PF_DIR/r/etc/postfix/master.cf" | sort -u); do
		[ "$m" = hash:/etc/aliases ] && continue
		pf_run postmap "$m" >>"$PF_DIR/postfix.log" 2>&1 ||
		    e2e_abort "postmap $m failed; see $PF_DIR/postfix.log"
	done
	pf_run newaliases >>"$PF_DIR/postfix.log" 2>&1
	# A MariaDB of its own, for fixtures that have data.mysql.
	if [ -f "$MIG_FIXTURES/$1/data.mysql" ]; then
		# The root's mysql user, by number: the host may have
		# a mysql user of its own, with another uid.
		cp -a "$PF_ROOT/var/lib/mysql" "$PF_DIR/r/mysql" &&
		    mkdir -p "$PF_DIR/r/run-mysqld" &&
		    chown "$(stat -c %u:%g "$PF_DIR/r/mysql")" "$PF_DIR/r/run-mysqld" ||
		    e2e_abort "cannot copy the root's MariaDB"
	fi
}

# pf_mysql SQLFILE: start MariaDB (socket only) and load SQLFILE.
pf_mysql()
{
	pf_run mariadbd --user=mysql --skip-networking \
	    --socket=/run/mysqld/mysqld.sock --datadir=/var/lib/mysql \
	    --pid-file=/run/mysqld/mysqld.pid >>"$PF_DIR/mysql.log" 2>&1 &
	PF_MYSQL_PID=$!
	n=0
	while [ ! -S "$PF_DIR/r/run-mysqld/mysqld.sock" ]; do
		if ! kill -0 "$PF_MYSQL_PID" 2>/dev/null || [ $n -ge 300 ]; then
			tail -n 20 "$PF_DIR/mysql.log" >&2
			e2e_abort "MariaDB did not start (log in $PF_DIR/mysql.log)"
		fi
		sleep 0.1
		n=$((n + 1))
	done
	pf_run mariadb <"$1" >>"$PF_DIR/mysql.log" 2>&1 ||
	    e2e_abort "loading $1 into MariaDB failed (log in $PF_DIR/mysql.log)"
}

# pf_pgsql SQLFILE: start the host's PostgreSQL (tests/deps.sh sql) as
# nobody, on a socket only, in $PF_DIR/r/run-pg, which the run mounts on
# /run/postgresql in the root; load SQLFILE as its superuser postgres.
# The other users log in with a password, as in production.
pf_pgsql()
{
	PF_PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null |
	    sort -t / -k 5 -n | tail -n 1)
	[ -n "$PF_PGBIN" ] && [ -x "$PF_PGBIN/initdb" ] ||
	    e2e_abort "no /usr/lib/postgresql/*/bin/initdb: as root run sh tests/deps.sh sql"
	mkdir -p "$PF_DIR/r/pg" "$PF_DIR/r/run-pg" &&
	    chown nobody "$PF_DIR/r/pg" "$PF_DIR/r/run-pg" &&
	    chmod 755 "$PF_DIR/r/run-pg" || e2e_abort "cannot make $PF_DIR/r/pg"
	runuser -u nobody -- "$PF_PGBIN/initdb" -D "$PF_DIR/r/pg" -U postgres \
	    -A trust -E UTF8 --locale=C >>"$PF_DIR/pgsql.log" 2>&1 ||
	    e2e_abort "initdb failed (log in $PF_DIR/pgsql.log)"
	printf 'local all postgres trust\nlocal all all scram-sha-256\n' \
	    >"$PF_DIR/r/pg/pg_hba.conf"
	runuser -u nobody -- "$PF_PGBIN/pg_ctl" -D "$PF_DIR/r/pg" \
	    -l "$PF_DIR/r/pg/server.log" -w -t 60 \
	    -o "-k $PF_DIR/r/run-pg -c listen_addresses=''" start \
	    >>"$PF_DIR/pgsql.log" 2>&1 ||
	    e2e_abort "PostgreSQL did not start (log in $PF_DIR/r/pg/server.log)"
	PF_PGSQL=yes
	psql -X -q -v ON_ERROR_STOP=1 -h "$PF_DIR/r/run-pg" -U postgres \
	    -d postgres -f "$1" >>"$PF_DIR/pgsql.log" 2>&1 ||
	    e2e_abort "loading $1 into PostgreSQL failed (log in $PF_DIR/pgsql.log)"
}

# pf_pgsql_stop
pf_pgsql_stop()
{
	[ -n "$PF_PGSQL" ] || return 0
	runuser -u nobody -- "$PF_PGBIN/pg_ctl" -D "$PF_DIR/r/pg" -m fast -w \
	    -t 30 stop >>"$PF_DIR/pgsql.log" 2>&1
	PF_PGSQL=""
}

# pf_mysql_stop
pf_mysql_stop()
{
	[ -n "$PF_MYSQL_PID" ] || return 0
	e2e_stop "$PF_MYSQL_PID" 100 all
	PF_MYSQL_PID=""
}

# pf_run CMD...: run CMD in the run's namespace, in the root.
pf_run()
{
	unshare -m sh "$PF_DIR/launch.sh" "$@"
}

# pf_start: Dovecot and Postfix, until Postfix listens on all ports.
pf_start()
{
	echo "=== pf_start $(date '+%T')" >>"$PF_DIR/postfix.log"
	# Postfix makes private/, where Dovecot puts its sockets.
	pf_run sh -c 'postfix start-fg & n=0
	    while [ ! -d /var/spool/postfix/private ] && [ $n -lt 100 ]; do
		sleep 0.1; n=$((n + 1)); done
	    exec dovecot -F -c /etc/dovecot/dovecot.conf' \
	    >>"$PF_DIR/postfix.log" 2>&1 &
	PF_PID=$!
	n=0
	while ! e2e_listening "$PF_SMTP" || ! e2e_listening "$PF_SUBMISSION"
	do
		if ! kill -0 "$PF_PID" 2>/dev/null || [ $n -ge 150 ]; then
			tail -n 20 "$PF_DIR/postfix.log" >&2
			pf_stop
			e2e_abort "Postfix did not start (log in $PF_DIR/postfix.log)"
		fi
		sleep 0.1
		n=$((n + 1))
	done
	n=0
	while [ ! -S "$PF_DIR/r/spool/private/auth" ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ -S "$PF_DIR/r/spool/private/auth" ] ||
	    e2e_abort "Dovecot made no auth socket (log in $PF_DIR/postfix.log)"
}

# pf_wait_auth USER PASSWORD: wait until Dovecot's auth process answers
# (its first start can be slow, and Postfix's smtpd gives up on a SASL
# server that does not), up to 20 s.
pf_wait_auth()
{
	n=0
	# (the fixtures' test password, not a secret)
	until pf_run doveadm auth test -x service=smtp "$1" "$2" \
	    >>"$PF_DIR/postfix.log" 2>&1 </dev/null; do
		[ $n -lt 40 ] ||
		    e2e_abort "Dovecot does not authenticate $1 (log in $PF_DIR/postfix.log)"
		sleep 0.5
		n=$((n + 1))
	done
}

# pf_stop: Postfix, Dovecot and every process they started.
pf_stop()
{
	[ -n "$PF_PID" ] || return 0
	e2e_stop "$PF_PID" 50 all
	PF_PID=""
}
