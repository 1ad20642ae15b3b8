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
# Every command block of README.md, every section, in a fresh Debian 13
# root with smtpd 7.6: the block after a marker comment is
#	<!-- run -->		run here, in the root, in the order of the
#				README, as root, in the kit's source
#				directory (read-only in the root);
#	<!-- file PATH -->	written here, to PATH in the root;
#	<!-- run-by FILE... -->	run by those tests: each FILE must exist
#				and either select the README's blocks by
#				this very marker, or read this section of
#				README.md, or contain each command of the
#				block (in a comment "README: COMMAND" where
#				it spells it otherwise); a command none of
#				them has, when this test is named, is run
#				here: as written, as root, on this host, in
#				the source directory (a developer's make
#				demo, make check T=...), and what README
#				says it shows is checked;
#	<!-- on OpenBSD -->	(or another system) only there: not run,
#				listed and counted;
#	<!-- output ... -->	what a program prints, not commands;
#	<!-- excerpt ... -->	a part of a file, shown, not commands.
# A block with no marker, or another one, fails.  Then what "Use"
# promises is checked with swaks, and the fail2ban jail it installs is
# loaded by a running fail2ban.
#
# The root is the cached 7.6 root under an overlay, taken back to a
# plain Debian 13 with opensmtpd installed (no vmail user, no /etc/mail,
# the kit not installed, no fail2ban); nothing is written to the cached
# root.  Its package lists are brought up to date first, as a fresh
# machine's are, and the packages apt fetches are kept for the next run
# in readme-debs beside the root.
#
# What is changed from the README, all of it here (substitute() and
# run_steps()):
#	- "listen on 0.0.0.0 port 25" and "port 587": 127.0.0.1 and two
#	  free ports, so that the test needs no privileged port;
#	- the certificate and key the README names are made (self-signed
#	  for localhost) before the steps, since the admin brings them;
#	- "make install" gets DESTDIR= the test root (it runs on this host);
#	- a developer's command runs without the environment of the
#	  make check this test may run under (MAKEFLAGS, MAKELEVEL, T,
#	  SANITIZE), as from a shell;
#	- "systemctl restart opensmtpd": smtpd -d started in the root, which
#	  has no service manager;
#	- fail2ban, which Debian's package starts at its installation
#	  (policy-rc.d of the root stops that), is started right after
#	  "apt-get install -y fail2ban" as its unit does, in a network
#	  namespace of its own (what it bans would be this host's).

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

PW=summersun-README
SRC=/usr/src/opensmtpd-kit
F2B=""

# readme_blocks: every code block of README.md, indented or fenced:
# "block LINE<TAB>SECTION<TAB>MARKER" (MARKER the comment on the line
# before it, or nothing), then its lines, each as "line TEXT".
readme_blocks()
{
	awk '
	function flush() {
		if (n) {
			print "block " start "\t" sect "\t" mark
			for (i = 1; i <= n; i++)
				print "line " b[i]
		}
		n = 0
	}
	function marker() { return prev ~ /^<!-- .* -->$/ ? prev : "" }
	/^```/ {
		if (fence) { fence = 0; flush(); prev = ""; next }
		fence = 1; start = NR + 1; mark = marker(); next
	}
	fence { b[++n] = $0; next }
	/^## / { flush(); sect = substr($0, 4); prev = $0; next }
	/^    / && (n || blank || prev ~ /^<!-- .* -->$/) {
		if (!n) { start = NR; mark = marker() }
		b[++n] = substr($0, 5); prev = $0; next
	}
	{ flush(); blank = ($0 == ""); if (!blank) prev = $0 }
	END { flush() }
	' "$E2E_TOP/README.md"
}

# commands: the commands of a block's lines on standard input, one a
# line: the root prompt "# " and a trailing "  # comment" taken off,
# lines ending in "\" joined, comment-only lines left out.
commands()
{
	awk '
	{ l = $0 }
	cont != "" { sub(/^[ \t]+/, "", l); l = cont l; cont = "" }
	cont == "" && l == $0 { sub(/^# /, "", l) }
	l ~ /\\$/ { sub(/\\$/, "", l); cont = l; next }
	{ sub(/[ \t]+#.*$/, "", l); sub(/^[ \t]+/, "", l) }
	l != "" && l !~ /^#/ { print l }
	END { if (cont != "") print cont }'
}

# readme_steps: the steps of the blocks marked run and file, in order,
# one a line: "run COMMAND" or "file PATH" followed by "line TEXT" lines.
readme_steps()
{
	readme_blocks | {
		mode=""
		block=""
		while IFS= read -r l; do
			case $l in
			"line "*)
				case $mode in
				run)	block="$block${l#line }
" ;;
				file)	printf '%s\n' "$l" ;;
				esac
				continue ;;
			esac
			[ "$mode" = run ] &&
			    printf '%s' "$block" | commands | sed 's/^/run /'
			block=""
			mode=""
			m=${l##*	}
			case $m in
			"<!-- run -->")
				mode=run ;;
			"<!-- file "*" -->")
				mode=file
				m=${m#<!-- file }
				echo "file ${m% -->}" ;;
			esac
		done
		[ "$mode" = run ] &&
		    printf '%s' "$block" | commands | sed 's/^/run /'
	}
}

# substitute: the changes listed at the top, on a README line.
substitute()
{
	sed -e "s|^listen on 0\.0\.0\.0 port 25 |listen on 127.0.0.1 port $P25 |" \
	    -e "s|^listen on 0\.0\.0\.0 port 587 |listen on 127.0.0.1 port $P587 |"
}

# in_fresh COMMAND...: run in the fresh root's mount namespace.
in_fresh()
{
	nsenter -t "$HOLDER" -m "$@"
}

# fresh_root: the overlay, held by a process of its own namespace.
fresh_root()
{
	FRESH=$E2E_DIR/fresh
	mkdir -p "$E2E_DIR/run"
	rm -f "$E2E_DIR/log.sock"
	syslog_start
	[ -e "$ROOT/dev/log" ] || : >"$ROOT/dev/log"
	if ! e2e_hold "$ROOT" "$FRESH" "$E2E_DIR" <<EOF
mount --bind "$E2E_DIR/run" "$FRESH/run"
mount --bind "$E2E_DIR/log.sock" "$FRESH/dev/log"
mkdir -p "$FRESH$SRC"
mount --bind "$E2E_TOP" "$FRESH$SRC"
mount -o remount,bind,ro "$FRESH$SRC"
EOF
	then
		e2e_abort "cannot make the fresh root: $(cat "$E2E_DIR/hold.log")"
	fi
	# Back to a Debian 13 with opensmtpd: what provisioning added goes;
	# the package lists of a fresh machine, which are current.
	in_fresh chroot "$FRESH" sh -c '
		sed -i "/^vmail:/d" /etc/passwd /etc/group /etc/shadow /etc/gshadow &&
		rm -rf /var/vmail /etc/mail /var/spool/smtpd &&
		! dpkg -s fail2ban >/dev/null 2>&1' \
	    >"$E2E_DIR/clean.log" 2>&1 ||
	    e2e_abort "cannot clean the fresh root: $(tail -n 5 "$E2E_DIR/clean.log")"
	in_fresh chroot "$FRESH" apt-get update -q >"$E2E_DIR/update.log" 2>&1 ||
	    e2e_say "apt-get update in the root failed: the packages" \
	    "of earlier runs, or the lists as provisioned, must do"
	# The certificate the admin brings, where the README names it.
	crt=$(sed -n 's|^ *pki mail cert "\(.*\)"|\1|p' "$E2E_TOP/README.md")
	key=$(sed -n 's|^ *pki mail key "\(.*\)"|\1|p' "$E2E_TOP/README.md")
	in_fresh sh -c "cp '$ROOT/etc/mail/test.crt' '$FRESH$crt' &&
	    cp '$ROOT/etc/mail/test.key' '$FRESH$key' && chmod 600 '$FRESH$key'" ||
	    e2e_abort "cannot put the certificate at $crt and $key"
}

fresh_exit()
{
	rc=$?
	smtpd_stop
	if [ -n "$F2B" ]; then
		in_fresh chroot "$FRESH" fail2ban-client stop >/dev/null 2>&1
		F2B=""
	fi
	[ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null
	wait "$HOLDER" 2>/dev/null
	HOLDER=""
	# and what e2e_exit does: syslog, keep or remove the run's data
	(exit "$rc")
	e2e_exit
}

# run_steps: the README's steps, in order.
run_steps()
{
	readme_steps >"$E2E_DIR/steps"
	expect_match "the README has run and file blocks" "^run auth-helper init" \
	    "$(cat "$E2E_DIR/steps")"
	file=""
	while IFS= read -r step; do
		case $step in
		"line "*)
			printf '%s\n' "${step#line }" | substitute \
			    >>"$E2E_DIR/up.file"
			continue ;;
		esac
		if [ -n "$file" ]; then
			in_fresh sh -c "cat '$E2E_DIR/up.file' >'$FRESH$file'" &&
			    ok "README: wrote $file" ||
			    fail "README: cannot write $file"
			file=""
		fi
		case $step in
		"file "*)
			file=${step#file }
			: >"$E2E_DIR/up.file" ;;
		"run make install"*)
			cmd=${step#run }
			if in_fresh $cmd DESTDIR="$FRESH" -C "$E2E_TOP" \
			    >"$E2E_DIR/step.out" 2>&1; then
				ok "README: $cmd"
			else
				fail "README: $cmd: $(tail -n 3 "$E2E_DIR/step.out")"
			fi ;;
		"run systemctl restart opensmtpd")
			start_smtpd ;;
		"run "*)
			run_step "${step#run }" ;;
		esac
	done <"$E2E_DIR/steps"
	[ -z "$file" ] || in_fresh sh -c "cat '$E2E_DIR/up.file' >'$FRESH$file'"
}

# run_step COMMAND: one command in the root, in the source directory;
# apt-get takes the packages of earlier runs and leaves its own there.
run_step()
{
	cmd=$1
	case $cmd in
	"apt-get install"*)
		in_fresh sh -c "cp '$DEBS'/*.deb '$FRESH/var/cache/apt/archives/'" \
		    2>/dev/null ;;
	esac
	if echo "$PW" | in_fresh chroot "$FRESH" sh -c "cd $SRC && $cmd" \
	    >"$E2E_DIR/step.out" 2>&1; then
		ok "README: $cmd"
	else
		fail "README: $cmd: $(tail -n 3 "$E2E_DIR/step.out" | tr '\n' ' ')"
	fi
	{ echo "# $cmd"; sed 's/^/    /' "$E2E_DIR/step.out"; } \
	    >>"$E2E_DIR/steps.log"
	case $cmd in
	"apt-get install"*)
		in_fresh sh -c "cp -n '$FRESH/var/cache/apt/archives/'*.deb '$DEBS/'" \
		    2>/dev/null ;;
	esac
	case $cmd in
	"apt-get install"*" fail2ban"*)
		start_fail2ban ;;
	esac
}

# start_fail2ban: what the package's unit does once it is installed
# (fail2ban-server -xf start), in a network namespace of its own.
start_fail2ban()
{
	if in_fresh unshare -n chroot "$FRESH" fail2ban-client -x start \
	    >"$E2E_DIR/f2b.out" 2>&1; then
		F2B=yes
		ok "fail2ban started, as its package does on Debian"
	else
		fail "fail2ban did not start: $(tail -n 3 "$E2E_DIR/f2b.out")"
	fi
}

# start_smtpd: what systemctl would do; smtpd in the fresh root.
start_smtpd()
{
	in_fresh chroot "$FRESH" /usr/sbin/smtpd -d -f /etc/smtpd.conf \
	    >>"$E2E_DIR/smtpd.log" 2>&1 &
	SMTPD_PID=$!
	n=0
	while ! e2e_listening "$P587" || ! e2e_listening "$P25"; do
		if ! kill -0 "$SMTPD_PID" 2>/dev/null || [ $n -ge 100 ]; then
			fail "README: smtpd did not start: $(tail -n 5 "$E2E_DIR/smtpd.log")"
			return
		fi
		sleep 0.1
		n=$((n + 1))
	done
	ok "README: smtpd started from the README's configuration"
}

# swaks to one of the two listeners
sw587() { E2E_PORT=$P587 e2e_swaks "$@"; }
sw25() { E2E_PORT=$P25 e2e_swaks "$@"; }

check_promises()
{
	AUTH="--tls --auth PLAIN --auth-user john@example.org --auth-password $PW"
	sw587 --to john@example.org --quit-after EHLO
	expect_nomatch "587: no AUTH offered before STARTTLS" "250[- ]AUTH" \
	    "$(cat "$E2E_OUT")"
	sw587 --to john@example.org $AUTH --quit-after AUTH
	expect_eq "587: AUTH after STARTTLS ($E2E_OUT)" 235 "$(swaks_code)"
	sw25 --from someone@remote.test --to x@remote.test --quit-after RCPT
	expect_eq "25: relay without AUTH refused ($E2E_OUT)" \
	    "554 5.7.1 <x@remote.test>: Relay access denied" "$(swaks_reply)"
	sw587 --from jane@example.com --to x@remote.test $AUTH \
	    --quit-after RCPT
	expect_eq "587: a spoofed sender refused ($E2E_OUT)" \
	    "553 5.7.1 <jane@example.com>: Sender address rejected: not owned by user john@example.org" \
	    "$(swaks_reply)"
	sw587 --from john@example.org --to postmaster@example.org $AUTH \
	    --h-From "Boss <boss@example.com>" --h-Subject readme-spoof
	expect_eq "587: a spoofed From: refused ($E2E_OUT)" 550 \
	    "$(swaks_code)"
	sw587 --from postmaster@example.org --to postmaster@example.org \
	    $AUTH --h-From "Postmaster <postmaster@example.org>" \
	    --h-Subject readme-alias
	expect_eq "587: the alias as sender accepted ($E2E_OUT)" 250 \
	    "$(swaks_code)"
	box=$E2E_DIR/up/var/vmail/example.org/john
	e2e_expect_mail "$box" readme-alias \
	    "mail to the alias delivered to john's maildir" \
	    "mail to the alias not in $box/new"
	e2e_expect_no_mail "$box" readme-spoof \
	    "the spoofed From: was not delivered" \
	    "the spoofed From: was delivered"
	expect_match "decisions in syslog, mail facility" \
	    "^mail\.notice filter-submission\[[0-9]+\]: .*rule=sender-login address=<jane@example.com> result=reject" \
	    "$(syslog_log)"
}

# check_blocks: every code block of the README is run here, written
# here, run by a named test that runs it, only for another system, or
# output; the counts.
check_blocks()
{
	readme_blocks >"$E2E_DIR/blocks"
	NB=0 NHERE=0 NBY=0 NBSD=0 NOUT=0 where=""
	: >"$E2E_DIR/block"
	: >"$E2E_DIR/tree.cmds"
	while IFS= read -r l; do
		case $l in
		"line "*) printf '%s\n' "${l#line }" >>"$E2E_DIR/block"
			continue ;;
		esac
		[ -n "$where" ] && check_block
		: >"$E2E_DIR/block"
		l=${l#block }
		where="README.md:${l%%	*}"
		l=${l#*	}
		sect=${l%%	*}
		mark=${l#*	}
		where="$where ($sect)"
	done <"$E2E_DIR/blocks"
	[ -n "$where" ] && check_block
	echo "# $NB command blocks: $NHERE run or written here, $NBY run by" \
	    "other tests, $NBSD only on another system (not run), $NOUT output"
	[ "$NB" -gt 0 ] && ok "README: $NB code blocks found" ||
	    fail "README: no code block found"
}

# check_block: the block in $E2E_DIR/block, at $where, marked $mark.
check_block()
{
	NB=$((NB + 1))
	case $mark in
	"<!-- run -->"|"<!-- file "*" -->")
		NHERE=$((NHERE + 1)) ;;
	"<!-- run-by "*" -->")
		NBY=$((NBY + 1))
		files=${mark#<!-- run-by }
		check_runby ${files% -->} ;;
	"<!-- on "*" -->")
		NBSD=$((NBSD + 1))
		m=${mark#<!-- on }
		printf '# not run: %s: only on %s: %s\n' "$where" "${m% -->}" \
		    "$(commands <"$E2E_DIR/block" | head -n 1)" ;;
	"<!-- output"*" -->"|"<!-- excerpt"*" -->")
		NOUT=$((NOUT + 1)) ;;
	"")
		fail "$where: a block neither run nor marked: $(commands <"$E2E_DIR/block" | head -n 1)" ;;
	*)
		fail "$where: an unknown marker $mark" ;;
	esac
}

# check_runby FILE...: the files exist and run this block: one selects
# the README's blocks by this marker, or reads this section of
# README.md, or each command is in one of them.
check_runby()
{
	for f in "$@"; do
		[ -f "$E2E_TOP/$f" ] || {
			fail "$where: marked run by $f, which does not exist"
			return
		}
	done
	for f in "$@"; do
		if grep -qF -- "$mark" "$E2E_TOP/$f"; then
			ok "$where: $f runs the blocks so marked"
			return
		fi
		if grep -q 'README\.md' "$E2E_TOP/$f" &&
		    grep -qF -- "## $sect/" "$E2E_TOP/$f"; then
			ok "$where: $f runs the commands of \"$sect\""
			return
		fi
	done
	commands <"$E2E_DIR/block" >"$E2E_DIR/block.cmds"
	[ -s "$E2E_DIR/block.cmds" ] || fail "$where: no command in the block"
	while IFS= read -r c; do
		by=""
		for f in "$@"; do
			[ "$f" = tests/e2e/t_readme.sh ] && continue
			has "$c" "$E2E_TOP/$f" && { by=$f; break; }
		done
		if [ -n "$by" ]; then
			ok "$where: $by runs $c"
			continue
		fi
		case " $* " in
		*" tests/e2e/t_readme.sh "*)
			printf '%s\n' "$c" >>"$E2E_DIR/tree.cmds" ;;
		*)	fail "$where: $c is in none of $*" ;;
		esac
	done <"$E2E_DIR/block.cmds"
}

# has COMMAND FILE: FILE holds COMMAND as a whole, not the start of a
# longer word ("make test" is not in "make test-programs").
has()
{
	re=$(printf '%s\n' "$1" | sed 's/[][\\.*^$+?(){}|]/\\&/g')
	grep -qE -- "$re([^A-Za-z0-9_./=-]|\$)" "$2"
}

# run_tree: the commands of blocks marked run by this test that the
# other tests named do not run: a developer's, as written, as root in
# the source directory on this host, from a shell's environment (none
# of the make check this test may run under).
run_tree()
{
	[ -s "$E2E_DIR/tree.cmds" ] || return 0
	while IFS= read -r c; do
		(cd "$E2E_TOP" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		    -u T -u SANITIZE sh -c "$c") >"$E2E_DIR/tree.out" 2>&1 \
		    </dev/null
		rc=$?
		last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' \
		    "$E2E_DIR/tree.out" | tail -n 1)
		expect_eq "README: $c (${last:-$(tail -n 1 "$E2E_DIR/tree.out")})" \
		    0 "$rc"
		out=$(cat "$E2E_DIR/tree.out")
		case $c in
		"make demo")
			demo_promises "$out" ;;
		"make check T="*)
			expect_match "README: $c runs that test" \
			    "^${c#make check T=} +[0-9]+ passed, 0 failed" "$out" ;;
		esac
		cat "$E2E_DIR/tree.out" >>"$E2E_DIR/tree.log"
	done <"$E2E_DIR/tree.cmds"
}

# demo_promises OUTPUT: what README says make demo shows.
demo_promises()
{
	expect_match "make demo: a user authenticates" \
	    "235 2\.0\.0 Authentication succeeded" "$1"
	expect_match "make demo: mail to an alias is delivered" \
	    "^== delivered to alice@demo\.example's maildir: " "$1"
	expect_match "make demo: relay without AUTH refused" \
	    "530 5\.7\.0 Authentication required" "$1"
	expect_match "make demo: a spoofed sender refused" \
	    "553 5\.7\.1 <bob@demo\.example>: Sender address rejected" "$1"
	expect_match "make demo: a spoofed From: refused" \
	    "550 5\.7\.1 <ceo@bank\.example>: From address rejected" "$1"
}

# check_fail2ban: the jail the README installs is loaded.
check_fail2ban()
{
	[ -n "$F2B" ] || { fail "README: no step starts fail2ban"; return; }
	out=$(in_fresh chroot "$FRESH" fail2ban-client status opensmtpd-kit 2>&1)
	expect_match "fail2ban runs the README's jail on the journal" \
	    "Journal matches:.*SYSLOG_IDENTIFIER=filter-submission" "$out"
}

e2e_setup
DEBS=$(dirname "$ROOT")/readme-debs
mkdir -p "$DEBS" || e2e_abort "cannot make $DEBS"
check_blocks
run_tree
P25=$(e2e_free_port) || e2e_abort "no free port"
P587=$(e2e_free_port) || e2e_abort "no free port"
[ "$P25" != "$P587" ] || P587=$(e2e_free_port)
trap fresh_exit EXIT
fresh_root
run_steps
[ -n "$SMTPD_PID" ] || fail "README: no step starts smtpd"
check_promises
check_fail2ban
smtpd_stop
test_done
