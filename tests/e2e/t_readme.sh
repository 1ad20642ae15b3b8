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
# The README's "Use" section, as written, in a fresh Debian 13 root with
# smtpd 7.6: its files and commands are taken from README.md itself
# (the blocks after <!-- file PATH --> and <!-- run -->), in order, and
# then what it promises is checked with swaks.
#
# The root is the cached 7.6 root under an overlay, taken back to a
# plain Debian 13 with opensmtpd installed (no vmail user, no /etc/mail,
# the kit not installed); nothing is written to the cached root.
#
# What is changed from the README, all of it here (substitute()):
#	- "listen on 0.0.0.0 port 25" and "port 587": 127.0.0.1 and two
#	  free ports, so that the test needs no privileged port;
#	- the certificate and key the README names are made (self-signed
#	  for localhost) before the steps, since the admin brings them;
#	- "make install" gets DESTDIR= the test root (it runs on this host);
#	- "systemctl restart opensmtpd": smtpd -d started in the root, which
#	  has no service manager.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

PW=summersun-README

# readme_steps: the steps of the "Use" section, one a line:
# "run COMMAND" or "file PATH" followed by "line TEXT" lines.
readme_steps()
{
	awk '
	/^## Use/ { on = 1; next }
	/^## / { on = 0 }
	!on { next }
	/^<!-- run -->$/ { mode = "run"; next }
	/^<!-- file .* -->$/ { mode = "file"; sub(/^<!-- file /, "");
		sub(/ -->$/, ""); print "file " $0; next }
	mode != "" && /^    / { sub(/^    /, "")
		if (mode == "run") { sub(/^# /, ""); print "run " $0 }
		else print "line " $0
		next }
	{ mode = "" }
	' "$E2E_TOP/README.md"
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
	mkdir -p "$FRESH" "$E2E_DIR/up" "$E2E_DIR/work" "$E2E_DIR/run"
	rm -f "$E2E_DIR/log.sock"
	syslog_start
	[ -e "$ROOT/dev/log" ] || : >"$ROOT/dev/log"
	cat >"$E2E_DIR/hold.sh" <<EOF
set -e
mount -t overlay e2e-fresh -o lowerdir="$ROOT",upperdir="$E2E_DIR/up",workdir="$E2E_DIR/work" "$FRESH"
mount -t proc proc "$FRESH/proc"
mount --bind "$E2E_DIR/run" "$FRESH/run"
mount --bind "$E2E_DIR/log.sock" "$FRESH/dev/log"
touch "$E2E_DIR/held"
exec sleep 100000
EOF
	unshare -m --propagation private sh "$E2E_DIR/hold.sh" \
	    >"$E2E_DIR/hold.log" 2>&1 &
	HOLDER=$!
	n=0
	while [ ! -f "$E2E_DIR/held" ]; do
		kill -0 "$HOLDER" 2>/dev/null && [ $n -lt 100 ] ||
		    e2e_abort "cannot make the fresh root: $(cat "$E2E_DIR/hold.log")"
		sleep 0.1
		n=$((n + 1))
	done
	# Back to a Debian 13 with opensmtpd: what provisioning added goes.
	in_fresh chroot "$FRESH" sh -c '
		sed -i "/^vmail:/d" /etc/passwd /etc/group /etc/shadow /etc/gshadow &&
		rm -rf /var/vmail /etc/mail /var/spool/smtpd' \
	    >"$E2E_DIR/clean.log" 2>&1 ||
	    e2e_abort "cannot clean the fresh root: $(cat "$E2E_DIR/clean.log")"
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
			cmd=${step#run }
			if echo "$PW" | in_fresh chroot "$FRESH" sh -c "$cmd" \
			    >"$E2E_DIR/step.out" 2>&1; then
				ok "README: $cmd"
			else
				fail "README: $cmd: $(tail -n 3 "$E2E_DIR/step.out" | tr '\n' ' ')"
			fi
			sed 's/^/    /' "$E2E_DIR/step.out" >>"$E2E_DIR/steps.log" ;;
		esac
	done <"$E2E_DIR/steps"
	[ -z "$file" ] || in_fresh sh -c "cat '$E2E_DIR/up.file' >'$FRESH$file'"
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
	if e2e_wait_mail "$box" readme-alias >/dev/null; then
		ok "mail to the alias delivered to john's maildir"
	else
		fail "mail to the alias not in $box/new"
	fi
	if e2e_wait_mail "$box" readme-spoof 1 >/dev/null; then
		fail "the spoofed From: was delivered"
	else
		ok "the spoofed From: was not delivered"
	fi
	expect_match "decisions in syslog, mail facility" \
	    "^mail\.notice filter-submission\[[0-9]+\]: .*rule=sender-login address=<jane@example.com> result=reject" \
	    "$(syslog_log)"
}

e2e_setup
P25=$(e2e_free_port) || e2e_abort "no free port"
P587=$(e2e_free_port) || e2e_abort "no free port"
[ "$P25" != "$P587" ] || P587=$(e2e_free_port)
trap fresh_exit EXIT
fresh_root
run_steps
[ -n "$SMTPD_PID" ] || fail "README: no step starts smtpd"
check_promises
smtpd_stop
test_done
