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
# Helpers for the end-to-end tests: a real OpenSMTPD in a cached Debian
# root (tests/e2e/provision.sh), driven with swaks over loopback.  Source
# tests/lib.sh first, then this file, then call e2e_setup.
#
# Layout of one run (paths inside the root; $ROOT$path on the host):
#	$E2E_RUN		/e2e/run.XXXXXX: configs, databases, logs
#	$E2E_RUN/inst		what "make install DESTDIR=..." installed
#	$E2E_RUN/spool		smtpd's queue (/var/spool/smtpd)
#	$E2E_VMAIL		/var/vmail/run.XXXXXX: maildirs, owned by vmail
#
# smtpd runs in a private mount namespace where the installed backends
# are overlaid on /usr/libexec/opensmtpd and the run's spool is mounted on
# /var/spool/smtpd: the cached root itself (and the Debian table-sqlite
# that "make bench" uses as its reference) is never modified, and nothing
# is left mounted when smtpd exits.
#
# Environment:
#	E2E_VERSION	smtpd version of the root (default 7.6)
#	E2E_TABLE	"kit" (default): our backends, installed by make;
#			"debian": the Debian packages' backends only
#	E2E_KEEP=yes	keep the run's data even on success
#	E2E_ROOT	a root to run in instead of the cached one of
#			E2E_VERSION (t_deb.sh: a copy with the package)
#	E2E_INSTALLED=yes  the programs installed in the root (by the
#			Debian package), not those of this tree:
#			$E2E_PROGS_LIBEXEC and $E2E_PROGS_SBIN are where
#			the tests find them, inside the root
#	E2E_SMTPD_FLAGS	smtpd flags besides -d -f (default: -T lookup)
#	E2E_NETNS	a network namespace (ip netns) a test made: smtpd
#			runs in it, e2e_in runs its clients there

E2E_TOP=$(cd "$(dirname "$0")/../.." && pwd)
E2E_VERSION=${E2E_VERSION:-7.6}
E2E_TABLE=${E2E_TABLE:-kit}
E2E_LIBEXEC=/usr/libexec/opensmtpd
E2E_SMTPD_USER=opensmtpd
E2E_SMTPD_FLAGS=${E2E_SMTPD_FLAGS:--T lookup}
E2E_VMAIL_ID=2000
ROOT=""
E2E_RUN=""
E2E_DIR=""
E2E_VMAIL=""
E2E_PORT=""
E2E_OUT=""
E2E_NSWAKS=0
SMTPD_PID=""
SYSLOG_PID=""

e2e_say()
{
	echo "e2e: $*" >&2
}

# e2e_abort MSG: a failure that ends the test script.
e2e_abort()
{
	fail "$*"
	test_done
	exit 1
}

# e2e_setup: provision the root, make the run directories, install our
# programs into the run.  Aborts the test script on any failure.
e2e_setup()
{
	[ "$(id -u)" -eq 0 ] ||
	    e2e_abort "e2e tests need root (chroot, mount); run as root or set E2E=no"
	for c in swaks sqlite3 unshare; do
		command -v "$c" >/dev/null ||
		    e2e_abort "$c not found; run tests/deps.sh test"
	done
	if [ -n "$E2E_ROOT" ]; then
		ROOT=$E2E_ROOT
		[ -x "$ROOT/usr/sbin/smtpd" ] ||
		    e2e_abort "E2E_ROOT=$ROOT has no /usr/sbin/smtpd"
	else
		ROOT=$(sh "$E2E_TOP/tests/e2e/provision.sh" "$E2E_VERSION") ||
		    e2e_abort "provisioning the smtpd $E2E_VERSION root" \
		    "failed (see above)"
	fi
	trap e2e_exit EXIT
	trap 'fail "interrupted by a signal"; test_done; exit 1' INT TERM HUP
	mkdir -p "$ROOT/e2e" && chmod 755 "$ROOT/e2e" &&
	    E2E_DIR=$(mktemp -d "$ROOT/e2e/run.XXXXXX") ||
	    e2e_abort "cannot make a run directory in $ROOT/e2e"
	chmod 755 "$E2E_DIR"
	E2E_RUN=${E2E_DIR#"$ROOT"}
	E2E_VMAIL=/var/vmail/${E2E_RUN##*/}
	mkdir -p "$E2E_DIR/spool" "$E2E_DIR/inst$E2E_LIBEXEC" "$ROOT$E2E_VMAIL"
	chmod 711 "$E2E_DIR/spool"
	chown "$E2E_VMAIL_ID:$E2E_VMAIL_ID" "$ROOT$E2E_VMAIL"
	if [ "$E2E_INSTALLED" = yes ]; then
		E2E_PROGS_LIBEXEC=$E2E_LIBEXEC
		E2E_PROGS_SBIN=/usr/sbin
		for p in "$E2E_LIBEXEC/table-sqlite" \
		    "$E2E_LIBEXEC/filter-submission" /usr/sbin/auth-helper; do
			[ -x "$ROOT$p" ] ||
			    e2e_abort "E2E_INSTALLED=yes: no $p in $ROOT"
		done
		return 0
	fi
	E2E_PROGS_LIBEXEC=$E2E_RUN/inst$E2E_LIBEXEC
	E2E_PROGS_SBIN=$E2E_RUN/inst/usr/sbin
	[ "$E2E_TABLE" = debian ] || { e2e_install; e2e_host_libs; }
}

# e2e_install: make install into the run's staging directory.
e2e_install()
{
	make -C "$E2E_TOP" install DESTDIR="$E2E_DIR/inst" PREFIX=/usr \
	    LIBEXECDIR="$E2E_LIBEXEC" SBINDIR=/usr/sbin \
	    MANDIR=/usr/share/man >"$E2E_DIR/install.log" 2>&1 || {
		tail -n 15 "$E2E_DIR/install.log" >&2
		e2e_abort "make install failed; see $E2E_DIR/install.log"
	}
}

# e2e_host_libs: the programs are built on this host and run in the
# root.  A shared library they need and the root lacks is installed in
# it: the root's own package of that name when its Debian has one
# (libidn2-0), else this host's package (libunistring2 of Debian 12,
# whose soname Debian 13 no longer ships).
e2e_host_libs()
{
	missing=$(for b in "$E2E_DIR/inst$E2E_LIBEXEC"/* \
	    "$E2E_DIR/inst/usr/sbin"/*; do
		[ -f "$b" ] || continue
		chroot "$ROOT" ldd "${b#"$ROOT"}" 2>/dev/null
	done | awk '$3 == "not" && $4 == "found" { print $1 }' | sort -u)
	[ -n "$missing" ] || return 0
	(
		flock 9
		for lib in $missing; do
			path=$(ldconfig -p | awk -v l="$lib" \
			    '$1 == l { print $NF; exit }')
			pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null |
			    cut -d: -f1 | head -n 1)
			[ -n "$pkg" ] || e2e_abort "the root lacks $lib and" \
			    "no package of this host has it"
			chroot "$ROOT" ldconfig -p | grep -q "^	$lib " &&
			    continue
			e2e_say "installing $pkg in the root for $lib"
			LC_ALL=C DEBIAN_FRONTEND=noninteractive chroot "$ROOT" \
			    apt-get install -y -q --no-install-recommends \
			    "$pkg" >"$E2E_DIR/hostlib.log" 2>&1 && continue
			d=$(mktemp -d "$ROOT/tmp/hostlib.XXXXXX")
			(cd "$d" && apt-get download -q "$pkg" >/dev/null 2>&1) ||
			    e2e_abort "apt-get download $pkg failed; the" \
			    "root needs it for $lib"
			chroot "$ROOT" sh -c "dpkg -i ${d#"$ROOT"}/*.deb" \
			    >>"$E2E_DIR/hostlib.log" 2>&1 ||
			    e2e_abort "dpkg -i $pkg in the root failed; see" \
			    "$E2E_DIR/hostlib.log"
			rm -rf "$d"
		done
	) 9>"$ROOT/.e2e-hostlibs.lock"
}

# e2e_exit: EXIT trap; stops smtpd, removes the run's data on success.
e2e_exit()
{
	rc=$?
	trap - EXIT INT TERM HUP
	smtpd_stop
	syslog_stop
	[ -z "$E2E_NETNS" ] || ip netns del "$E2E_NETNS" 2>/dev/null
	if [ "$rc" -eq 0 ] && [ "$T_FAIL" -eq 0 ] && [ "$E2E_KEEP" != yes ]
	then
		e2e_clean
	elif [ -n "$E2E_DIR" ]; then
		e2e_say "test data kept in $E2E_DIR and $ROOT$E2E_VMAIL" \
		    "(smtpd log: $E2E_DIR/smtpd.log)"
	fi
	exit "$rc"
}

e2e_clean()
{
	[ -n "$E2E_DIR" ] || return 0
	rm -rf "$E2E_DIR" "$ROOT$E2E_VMAIL"
}

# e2e_conf SRC DST: copy SRC to DST (a path inside the root), replacing
# @PORT@, @RUN@, @VMAIL@ and @LIBEXEC@.
e2e_conf()
{
	sed -e "s|@PORT@|$E2E_PORT|g" -e "s|@RUN@|$E2E_RUN|g" \
	    -e "s|@VMAIL@|$E2E_VMAIL|g" -e "s|@LIBEXEC@|$E2E_LIBEXEC|g" \
	    "$1" >"$ROOT$2" || e2e_abort "cannot write $ROOT$2"
	chmod 644 "$ROOT$2"
}

# e2e_conf_head: the first lines of a test's smtpd.conf.in, the test
# certificate and the kit's table, whose configuration e2e_kit_conf
# writes.
e2e_conf_head()
{
	printf '%s\n' 'pki test cert "/etc/mail/test.crt"' \
	    'pki test key "/etc/mail/test.key"' \
	    'table kit sqlite:@RUN@/kit.conf'
}

# e2e_kit_conf: kit.conf, the table configuration of the default schema
# on $E2E_RUN/kit.sqlite ($DB).
e2e_kit_conf()
{
	DB=$E2E_RUN/kit.sqlite
	echo "dbpath @RUN@/kit.sqlite" >"$E2E_DIR/kit.conf.in"
	e2e_conf "$E2E_DIR/kit.conf.in" "$E2E_RUN/kit.conf"
}

# e2e_policy_conf MODE [FILTER-LINES [LISTEN-OPTIONS]]: what the tests of
# the filter run: filter-submission ("policy", mode MODE, then
# FILTER-LINES) on a loose listener (tls, auth-optional, LISTEN-OPTIONS),
# the kit's table, mail for its domains to maildirs and any other to the
# outbound maildir.
e2e_policy_conf()
{
	e2e_conf_head >"$E2E_DIR/smtpd.conf.in"
	cat >>"$E2E_DIR/smtpd.conf.in" <<EOF
filter "policy" proc-exec "@LIBEXEC@/filter-submission -f @RUN@/filter.conf"
listen on 127.0.0.1 port @PORT@ ${3:+$3 }tls pki test auth-optional <kit> filter "policy"
action "vmail" maildir "@VMAIL@/%{dest.domain:lowercase}/%{dest.user:lowercase}" virtual <kit>
action "outbound" maildir "@VMAIL@/outbound" virtual { "@" = "vmail" }
match from any for domain <kit> action "vmail"
match from any for any action "outbound"
EOF
	e2e_kit_conf
	printf 'table %s/kit.conf\nmode %s\n%s\n' "$E2E_RUN" "$1" "$2" \
	    >"$E2E_DIR/filter.conf"
	chmod 644 "$E2E_DIR/filter.conf"
}

# e2e_in COMMAND...: run COMMAND in the network namespace of the run,
# $E2E_NETNS (ip netns) when the test made one, else here.
e2e_in()
{
	if [ -n "$E2E_NETNS" ]; then
		ip netns exec "$E2E_NETNS" "$@"
	else
		"$@"
	fi
}

# e2e_listening PORT: something listens on 127.0.0.1:PORT.
e2e_listening()
{
	hex=$(printf '0100007F:%04X' "$1")
	e2e_in cat /proc/net/tcp |
	    awk -v a="$hex" '$2 == a && $4 == "0A" { f = 1 } END { exit !f }'
}

# e2e_port_range: print "LOW HIGH", the ports tests may listen on: below
# the kernel's ephemeral range (ip_local_port_range), which the clients'
# own connections draw from, or above it when it starts too low.
e2e_port_range()
{
	set -- $(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	lo=${1:-32768}
	hi=${2:-60999}
	if [ "$lo" -gt 12000 ]; then
		echo "10000 $((lo - 1))"
	elif [ "$hi" -lt 63000 ]; then
		echo "$((hi + 1)) 65535"
	else
		echo "10000 $((lo > 10001 ? lo - 1 : 10001))"
	fi
}

# e2e_free_port: print a loopback TCP port nobody listens on, outside
# the ephemeral range.
e2e_free_port()
{
	set -- $(e2e_port_range)
	n=0
	while [ $n -lt 50 ]; do
		r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
		p=$(($1 + r % ($2 - $1 + 1)))
		e2e_listening "$p" || { echo "$p"; return 0; }
		n=$((n + 1))
	done
	return 1
}

# e2e_children PID: print PID and all its descendants.
e2e_children()
{
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v top="$1" '
	    { s = $0; sub(/^.*\) /, "", s); split(s, f, " ")
	      kids[f[2]] = kids[f[2]] " " $1 }
	    END { n = 1; l[1] = top
		for (i = 1; i <= n; i++) {
			m = split(kids[l[i]], k, " ")
			for (j = 1; j <= m; j++) l[++n] = k[j]
		}
		for (i = 1; i <= n; i++) print l[i] }'
}

# e2e_stop PID TENTHS [all]: end PID, started by this shell, and the
# processes under it: TERM to PID (with "all", to each of them), up to
# TENTHS tenths of a second to exit, then KILL to what is left of them
# and of those started meanwhile.
e2e_stop()
{
	tree=$(e2e_children "$1")
	if [ "$3" = all ]; then
		for p in $tree; do
			kill -TERM "$p" 2>/dev/null
		done
	else
		kill -TERM "$1" 2>/dev/null
	fi
	n=0
	while kill -0 "$1" 2>/dev/null && [ $n -lt "$2" ]; do
		sleep 0.1
		n=$((n + 1))
	done
	for p in $tree $(e2e_children "$1"); do
		kill -KILL "$p" 2>/dev/null
	done
	wait "$1" 2>/dev/null
}

# e2e_table_pids: the backend processes of the running smtpd.
e2e_table_pids()
{
	for p in $(e2e_children "$SMTPD_PID"); do
		case "$(readlink "/proc/$p/exe" 2>/dev/null)" in
		"$ROOT$E2E_LIBEXEC"/table-*|*/inst"$E2E_LIBEXEC"/table-*)
			echo "$p" ;;
		esac
	done
}

# e2e_filter_alive: a filter-submission process of the running smtpd.
e2e_filter_alive()
{
	for p in $(e2e_children "$SMTPD_PID"); do
		case "$(readlink "/proc/$p/exe" 2>/dev/null)" in
		*/filter-submission) return 0 ;;
		esac
	done
	return 1
}

# e2e_launcher: write the script that sets up smtpd's mount namespace:
# the run's spool, its own /run, where smtpd's control socket is (one
# per smtpd: runs in the same root at once do not meet there), and its
# own /dev/log when its syslog runs (syslogd.pl writes what comes there
# to syslog.log).
e2e_launcher()
{
	mkdir -p "$E2E_DIR/run"
	cat >"$E2E_DIR/launch.sh" <<EOF
#!/bin/sh
# Run by unshare -m: mounts here vanish with smtpd.
set -e
mount --bind "$E2E_DIR/spool" "$ROOT/var/spool/smtpd"
mount --bind "$E2E_DIR/run" "$ROOT/run"
if [ -S "$E2E_DIR/log.sock" ] && [ -e "$ROOT/dev/log" ]; then
	mount --bind "$E2E_DIR/log.sock" "$ROOT/dev/log"
fi
if [ -n "\$(ls "$E2E_DIR/inst$E2E_LIBEXEC")" ]; then
	mount -t overlay e2e-libexec \\
	    -o lowerdir="$E2E_DIR/inst$E2E_LIBEXEC:$ROOT$E2E_LIBEXEC" \\
	    "$ROOT$E2E_LIBEXEC"
fi
exec chroot "$ROOT" "\$@"
EOF
}

# e2e_smtpctl ARGS...: smtpctl in the root, talking to this run's smtpd
# (through the control socket in the run's /run); prints what it says.
e2e_smtpctl()
{
	unshare -m sh -c 'mount --bind "$1/run" "$2/run" && r=$2 &&
	    shift 2 && exec chroot "$r" /usr/sbin/smtpctl "$@"' \
	    smtpctl "$E2E_DIR" "$ROOT" "$@"
}

# smtpd_start CONF: start smtpd with the template CONF (see e2e_conf) on
# a free loopback port ($E2E_PORT) and wait until it accepts connections.
# A port taken between the choice and smtpd's bind is not a failure of
# the test: smtpd is started again on another port.
smtpd_start()
{
	[ -z "$SMTPD_PID" ] || smtpd_stop
	tries=0
	while :; do
		tries=$((tries + 1))
		smtpd_try_start "$1" && return 0
		if [ "$tries" -lt 5 ] && smtpd_attempt_log |
		    grep -q 'Address already in use'; then
			e2e_say "port $E2E_PORT was taken meanwhile; trying another"
			continue
		fi
		smtpd_attempt_log | tail -n 20 >&2
		e2e_abort "smtpd did not start listening on port $E2E_PORT (log above, in $E2E_DIR/smtpd.log)"
	done
}

# smtpd_try_start CONF: one attempt of smtpd_start; fails when smtpd
# exits or does not listen within 10 s (smtpd_attempt_log is its log).
smtpd_try_start()
{
	E2E_PORT=$(e2e_free_port) || e2e_abort "no free loopback port found"
	e2e_conf "$1" "$E2E_RUN/smtpd.conf"
	mkdir -p "$ROOT/var/spool/smtpd"
	syslog_start
	e2e_launcher
	if ! e2e_in unshare -m sh "$E2E_DIR/launch.sh" /usr/sbin/smtpd -n \
	    -f "$E2E_RUN/smtpd.conf" >"$E2E_DIR/smtpd-n.log" 2>&1; then
		e2e_abort "smtpd -n rejects $E2E_DIR/smtpd.conf:" \
		    "$(grep -v '^warn:' "$E2E_DIR/smtpd-n.log" | head -n 3)"
	fi
	echo "=== smtpd_start $(date '+%T') port $E2E_PORT" \
	    >>"$E2E_DIR/smtpd.log"
	E2E_LOGSTART=$(($(wc -c <"$E2E_DIR/smtpd.log") + 1))
	# shellcheck disable=SC2086
	e2e_in unshare -m sh "$E2E_DIR/launch.sh" /usr/sbin/smtpd -d \
	    $E2E_SMTPD_FLAGS -f "$E2E_RUN/smtpd.conf" \
	    >>"$E2E_DIR/smtpd.log" 2>&1 &
	SMTPD_PID=$!
	smtpd_listens "$E2E_PORT"
}

# smtpd_listens PORT...: wait up to 10 s until smtpd listens on every
# PORT; 1, smtpd stopped, when it exits or does not.
smtpd_listens()
{
	n=0
	for port in "$@"; do
		while ! e2e_listening "$port"; do
			if ! kill -0 "$SMTPD_PID" 2>/dev/null ||
			    [ $n -ge 100 ]; then
				smtpd_stop
				return 1
			fi
			sleep 0.1
			n=$((n + 1))
		done
	done
	return 0
}

# syslog_start: this run's syslog, ready before smtpd starts.
syslog_start()
{
	[ -n "$SYSLOG_PID" ] && kill -0 "$SYSLOG_PID" 2>/dev/null && return 0
	[ -e "$ROOT/dev/log" ] || : >"$ROOT/dev/log"
	rm -f "$E2E_DIR/log.sock"
	perl "$E2E_TOP/tests/e2e/syslogd.pl" "$E2E_DIR/log.sock" \
	    "$E2E_DIR/syslog.log" &
	SYSLOG_PID=$!
	n=0
	while [ ! -S "$E2E_DIR/log.sock" ]; do
		[ $n -lt 50 ] || e2e_abort "the run's syslog did not start"
		sleep 0.1
		n=$((n + 1))
	done
}

syslog_stop()
{
	[ -n "$SYSLOG_PID" ] || return 0
	kill -TERM "$SYSLOG_PID" 2>/dev/null
	wait "$SYSLOG_PID" 2>/dev/null
	SYSLOG_PID=""
}

# syslog_log: what the programs sent to syslog in this run, one line a
# message: "mail.notice filter-submission[pid]: ...".
syslog_log()
{
	cat "$E2E_DIR/syslog.log" 2>/dev/null
}

# smtpd_attempt_log: what smtpd logged since the last start attempt.
smtpd_attempt_log()
{
	tail -c "+${E2E_LOGSTART:-1}" "$E2E_DIR/smtpd.log" 2>/dev/null
}

# smtpd_stop: stop smtpd and every process it started.
smtpd_stop()
{
	[ -n "$SMTPD_PID" ] || return 0
	e2e_stop "$SMTPD_PID" 50
	SMTPD_PID=""
}

# smtpd_alive: smtpd and at least one table backend process run.
smtpd_alive()
{
	[ -n "$SMTPD_PID" ] && kill -0 "$SMTPD_PID" 2>/dev/null &&
	    [ "$(sed 's/^.*) \([A-Za-z]\).*/\1/' "/proc/$SMTPD_PID/stat")" != Z ] &&
	    [ -n "$(e2e_table_pids)" ]
}

# expect_smtpd_alive NAME
expect_smtpd_alive()
{
	if smtpd_alive; then
		ok "$1"
	else
		fail "$1: smtpd or its table process died; log tail: $(smtpd_log | tail -n 5)"
	fi
}

# expect_all_alive NAME: smtpd, its table and filter-submission run.
expect_all_alive()
{
	expect_smtpd_alive "$1: smtpd and table alive"
	if e2e_filter_alive; then
		ok "$1: filter alive"
	else
		fail "$1: filter-submission is gone"
	fi
}

# e2e_mx_checks SUBJECT: what filter-submission in mx mode answers, on
# a listener that relays for anyone, to the sessions every smtpd version
# must see alike: relaying, the percent hack and a local login's address
# without AUTH refused, mail from outside to a local user (jane of
# example.org; subject SUBJECT) accepted and delivered.  The calling
# test's "reply NAME CODE [TEXT]" judges each answer.
e2e_mx_checks()
{
	e2e_swaks --from someone@remote.test --to x@remote.test \
	    --quit-after RCPT
	reply "relay refused, on a listener that relays for any" 554 \
	    "554 5.7.1 <x@remote.test>: Relay access denied"

	e2e_swaks --from someone@remote.test \
	    --to 'x%remote.test@example.org' --quit-after RCPT
	reply "percent hack refused" 554

	e2e_swaks --from john@example.org --to jane@example.org \
	    --quit-after MAIL
	reply "a local login's address without AUTH refused" 553 \
	    "553 5.7.1 <john@example.org>: Sender address rejected: not logged in"

	e2e_swaks --from someone@remote.test --to jane@example.org \
	    --h-Subject "$1"
	reply "mail from outside to a local user accepted" 250
	if e2e_wait_mail "$(e2e_maildir jane@example.org)" "$1" >/dev/null
	then
		ok "smtpd $E2E_VERSION: mail from outside delivered"
	else
		fail "smtpd $E2E_VERSION: mail from outside not delivered"
	fi
}

# smtpd_log: the log of this run's smtpd, then what its table and filter
# sent to syslog.
smtpd_log()
{
	cat "$E2E_DIR/smtpd.log" 2>/dev/null
	syslog_log
}

# e2e_swaks ARGS...: run swaks against smtpd; the transcript is in the
# file $E2E_OUT.
e2e_swaks()
{
	E2E_NSWAKS=$((E2E_NSWAKS + 1))
	E2E_OUT=$E2E_DIR/swaks.$E2E_NSWAKS.out
	echo "swaks $*" >"$E2E_OUT"
	swaks --server 127.0.0.1 --port "$E2E_PORT" --timeout 20 \
	    --helo e2e.test "$@" </dev/null >>"$E2E_OUT" 2>&1
}

# swaks_reply [FILE]: the last server reply before swaks said QUIT
# (e.g. "235 2.0.0 Authentication succeeded").
swaks_reply()
{
	awk '/^ *[-~*]+> QUIT/ { exit }
	    /^<[-~*]+ / { sub(/^<[-~*]+ +/, ""); last = $0 }
	    END { print last }' "${1:-$E2E_OUT}"
}

# swaks_code [FILE]: the code of swaks_reply.
swaks_code()
{
	swaks_reply "$@" | cut -c 1-3
}

# e2e_hold LOWER MERGED DIR: a process of a mount namespace of its own
# holds an overlay of the directory LOWER, never written, on MERGED (its
# upper and work directories in DIR), with /proc inside, after the shell
# lines on stdin (more mounts there); nsenter -t $HOLDER -m enters it.
# False when it did not get there in 10 s: DIR/hold.log says why.
e2e_hold()
{
	mkdir -p "$2" "$3/up" "$3/work" || return 1
	hold_more=$(cat)
	cat >"$3/hold.sh" <<EOF
set -e
mount -t overlay kit-hold -o lowerdir="$1",upperdir="$3/up",workdir="$3/work" "$2"
mount -t proc proc "$2/proc"
$hold_more
touch "$3/held"
exec sleep 100000
EOF
	unshare -m --propagation private sh "$3/hold.sh" >"$3/hold.log" 2>&1 &
	HOLDER=$!
	n=0
	while [ ! -f "$3/held" ]; do
		kill -0 "$HOLDER" 2>/dev/null && [ $n -lt 100 ] || return 1
		sleep 0.1
		n=$((n + 1))
	done
}

# e2e_crypt PASSWORD SETTING: print crypt(3) of the root's libxcrypt
# ("$6$salt", "$2b$08$<22 chars>", "$y$j9T$<16 chars>", ...); fails
# when crypt refuses the setting.
e2e_crypt()
{
	chroot "$ROOT" perl -e '$h = crypt($ARGV[0], $ARGV[1]);
	    exit 1 if !defined $h || $h =~ /^\*/; print $h' "$1" "$2" || {
		e2e_say "crypt(3) in the root refuses the setting '$2'"
		return 1
	}
}

# e2e_db PATH: create the database PATH (inside the root) with the kit's
# schema, readable by smtpd's user.
e2e_db()
{
	sqlite3 "$ROOT$1" <"$E2E_TOP/lib/schema.sql" ||
	    e2e_abort "cannot create $ROOT$1 from lib/schema.sql"
	chmod 644 "$ROOT$1"
	e2e_lockdir "$(dirname "$1")/authlock"
}

# e2e_users_db PATH PASSWORD SETTING LOGIN...: the database PATH (inside
# the root) with the domain example.org and each LOGIN an active user
# whose password is PASSWORD, hashed by crypt(3) with SETTING.
e2e_users_db()
{
	udb=$1
	h=$(e2e_crypt "$2" "$3") || e2e_abort "cannot hash a password"
	shift 3
	rows=""
	for u in "$@"; do
		rows="$rows${rows:+, }('$u', '$h', 1)"
	done
	e2e_db "$udb"
	e2e_sql "$udb" "INSERT INTO domains VALUES ('example.org');
	    INSERT INTO users VALUES $rows;"
}

# e2e_lockdir DIR: the failed-AUTH lockouts' directory (inside the
# root), as auth-helper init makes it: 0770, group of smtpd's user.
e2e_lockdir()
{
	gid=$(awk -F: -v u="$E2E_SMTPD_USER" '$1 == u { print $4 }' \
	    "$ROOT/etc/passwd")
	mkdir -p "$ROOT$1" && chown "0:${gid:?no $E2E_SMTPD_USER in the root}" \
	    "$ROOT$1" && chmod 0770 "$ROOT$1" ||
	    e2e_abort "cannot make $ROOT$1"
}

# e2e_sql PATH SQL: run SQL on the database PATH (inside the root).
e2e_sql()
{
	sqlite3 -cmd ".timeout 10000" "$ROOT$1" "$2" 2>"$E2E_DIR/sql.err" ||
	    e2e_abort "sqlite3 $ROOT$1 failed ($(cat "$E2E_DIR/sql.err")): $2"
}

# e2e_maildir ADDRESS: host path of the maildir of ADDRESS under the
# layout @VMAIL@/domain/user.
e2e_maildir()
{
	echo "$ROOT$E2E_VMAIL/${1#*@}/${1%@*}"
}

# e2e_wait_mail DIR TEXT [SECONDS]: wait for a message containing TEXT in
# the maildir DIR (host path); print its path.
e2e_wait_mail()
{
	n=0
	while [ $n -le $((${3:-10} * 10)) ]; do
		f=$(grep -lF -- "$2" "$1"/new/* 2>/dev/null | head -n 1)
		[ -n "$f" ] && { echo "$f"; return 0; }
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

# e2e_expect_mail DIR TEXT OK-NAME FAIL-NAME: ok OK-NAME when a message
# containing TEXT reaches the maildir DIR (host path) in 10 s, else fail
# FAIL-NAME.
e2e_expect_mail()
{
	if e2e_wait_mail "$1" "$2" >/dev/null; then
		ok "$3"
	else
		fail "$4"
	fi
}

# e2e_expect_no_mail DIR TEXT OK-NAME FAIL-NAME: ok OK-NAME when no
# message containing TEXT is in the maildir DIR (host path) after 1 s,
# else fail FAIL-NAME.
e2e_expect_no_mail()
{
	if e2e_wait_mail "$1" "$2" 1 >/dev/null; then
		fail "$4"
	else
		ok "$3"
	fi
}
