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
# The migration proved against a real Postfix: for each fixture of
# tests/migrate, a real Postfix 3.10 with Dovecot 2.4 (the postfix root)
# and a real smtpd 7.6 with the kit and the configuration that
# "auth-helper migrate-postfix" wrote from that very Postfix get the same
# SMTP sessions, from 127.0.0.2 (outside Postfix's mynetworks).  Their
# decisions must match: accepted or refused, the class of the reply and,
# for refusals, the enhanced status code.  The differences that are
# intended are listed below with their reason, and each must appear in
# the migration report.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../migrate/lib.sh"
. "$(dirname "$0")/postfix.sh"

PW=summersun

# sess NAME SERVICE SWAKS-ARGS...: one session against the server now
# running; appends "NAME CODE ENHANCED" to $RES.
sess()
{
	name=$1
	svc=$2
	shift 2
	case $svc in
	smtp)		port=$SMTP ;;
	submission)	port=$SUBMISSION ;;
	smtps)		port=$SMTPS ;;
	esac
	out=$WORK/$SIDE.$name.out
	swaks --server 127.0.0.1 --port "$port" --local-interface 127.0.0.2 \
	    --timeout 20 --helo client.e2e.test "$@" </dev/null >"$out" 2>&1
	reply=$(swaks_reply "$out")
	code=$(echo "$reply" | cut -c 1-3)
	esc=$(echo "$reply" | awk '$2 ~ /^[245]\.[0-9]+\.[0-9]+$/ { print $2 }')
	echo "$name ${code:-none} ${esc:--}" >>"$RES"
}

# sessions: the sessions of the table on stdin, one a line: NAME SERVICE
# TLS LOGIN FROM TO QUIT-AFTER.  TLS: tls (STARTTLS), tlsc (TLS on
# connect) or -; LOGIN: AUTH PLAIN as LOGIN with the password $PW, as
# LOGIN:PASSWORD with PASSWORD, or - (no AUTH); FROM and TO: - for none,
# FROM <> for the null sender; lines of "#" are comments.
sessions()
{
	while read -r name svc tls login from to quit; do
		case $name in
		\#*)	continue ;;
		esac
		set --
		[ "$tls" = - ] || set -- "--$tls"
		case $login in
		-)	;;
		*:*)	set -- "$@" --auth PLAIN --auth-user "${login%%:*}" \
			    --auth-password "${login#*:}" ;;
		*)	set -- "$@" --auth PLAIN --auth-user "$login" \
			    --auth-password "$PW" ;;
		esac
		case $from in
		-)	;;
		"<>")	set -- "$@" --from "" ;;
		*)	set -- "$@" --from "$from" ;;
		esac
		[ "$to" = - ] || set -- "$@" --to "$to"
		sess "$name" "$svc" "$@" --quit-after "$quit"
	done
}

# The sessions of each fixture.
sessions_pfadmin()
{
	sessions <<'EOF'
auth-john               submission tls  john@example.org       -                   -                  AUTH
auth-jane-blf           submission tls  jane@example.org       -                   -                  AUTH
auth-ssha512            submission tls  old@example.net        -                   -                  AUTH
auth-argon2             submission tls  argon@example.net      -                   -                  AUTH
auth-wrong              submission tls  john@example.org:wrong -                   -                  AUTH
relay-noauth            submission tls  -                      someone@remote.test x@remote.test      RCPT
local-noauth-25         smtp       -    -                      someone@remote.test john@example.org   RCPT
relay-auth              submission tls  john@example.org       john@example.org    x@remote.test      RCPT
relay-auth-smtps        smtps      tlsc jane@example.org       jane@example.org    x@remote.test      RCPT
own-local               submission tls  john@example.org       john@example.org    jane@example.org   RCPT
alias-sender            submission tls  john@example.org       info@example.org    x@remote.test      RCPT
other-sender            submission tls  john@example.org       jane@example.org    x@remote.test      RCPT
to-alias                submission tls  jane@example.org       jane@example.org    sales@example.org  RCPT
to-catchall             submission tls  jane@example.org       jane@example.org    anyone@example.net RCPT
to-unknown              submission tls  john@example.org       john@example.org    nobody@example.org RCPT
to-inactive-alias       submission tls  john@example.org       john@example.org    dead@example.org   RCPT
# example.com: PostfixAdmin's alias domain of example.org.
mx-alias-domain-mailbox smtp       -    -                      someone@remote.test john@example.com   RCPT
to-alias-domain-alias   submission tls  jane@example.org       jane@example.org    sales@example.com  RCPT
to-alias-domain-unknown submission tls  jane@example.org       jane@example.org    nobody@example.com RCPT
# team: john and the disabled mailbox left.
to-alias-one-disabled   submission tls  jane@example.org       jane@example.org    team@example.org   RCPT
EOF
}

# -p: PostfixAdmin's alias rows as they are, read by the table.
intended_pfadmin_p()
{
	cat <<'EOD'
to-alias-one-disabled|alias team@example.org: target left@example.org receives nothing .*smtpd refuses the whole recipient|smtpd refuses the alias whose target is disabled (524); Postfix delivered to the others
EOD
}

# NAME|pattern the report must hold|reason
intended_pfadmin()
{
	cat <<'EOD'
auth-ssha512|account old@example.net \(\{SSHA512\}\)|smtpd checks crypt(3) hashes only; {SSHA512} needs auth_offload
auth-argon2|account argon@example.net \(\{ARGON2ID\}\)|no code of the kit checks ARGON2ID
auth-wrong|smtpd's own refusals \(unknown recipient, failed AUTH\) stay 5xx|soft_bounce: Postfix softens its own 535; smtpd's AUTH failure is its own
relay-noauth|without AUTH, Postfix refused at RCPT TO|530 5.7.0 (softened to 4.7.0) at MAIL FROM instead of 4.7.1 at RCPT
local-noauth-25|without AUTH, Postfix refused at RCPT TO|530 5.7.0 (softened to 4.7.0) at MAIL FROM instead of 4.7.1 at RCPT
to-unknown|smtpd refuses them itself, with 524 5.2.4|smtpd's own refusal (524 5.2.4), which soft_bounce does not reach
to-inactive-alias|smtpd refuses them itself, with 524 5.2.4|smtpd's own refusal (524 5.2.4), which soft_bounce does not reach
to-alias-domain-unknown|smtpd refuses them itself, with 524 5.2.4|smtpd's own refusal (524 5.2.4), which soft_bounce does not reach
mx-alias-domain-mailbox|without AUTH, Postfix refused at RCPT TO|530 5.7.0 (softened to 4.7.0) at MAIL FROM instead of 4.7.1 at RCPT
EOD
}

sessions_passwdfile()
{
	sessions <<'EOF'
auth-john             submission tls john@example.org       -                      -                  AUTH
auth-jane-bare-sha512 submission tls jane@example.org       -                      -                  AUTH
auth-wrong            submission tls jane@example.org:wrong -                      -                  AUTH
mail-before-tls       submission -   -                      john@example.org       jane@example.org   MAIL
noauth-foreign        submission tls -                      someone@remote.test    john@example.org   RCPT
noauth-owned          submission tls -                      john@example.org       jane@example.org   RCPT
own                   submission tls john@example.org       john@example.org       x@remote.test      RCPT
own-extension         submission tls john@example.org       john+lists@example.org x@remote.test      RCPT
alias-granted         submission tls john@example.org       info@example.org       x@remote.test      RCPT
spoof-foreign         submission tls john@example.org       john@example.com       john@example.org   RCPT
other-user            submission tls john@example.org       jane@example.org       x@remote.test      RCPT
domain-grant          submission tls john@example.org       anyone@example.net     x@remote.test      RCPT
grant                 submission tls jane@example.org       billing@example.org    x@remote.test      RCPT
alias-not-granted     submission tls jane@example.org       sales@example.org      x@remote.test      RCPT
null-sender           submission tls jane@example.org       <>                     x@remote.test      RCPT
unknown-on-587        submission tls john@example.org       john@example.org       nobody@example.org RCPT
mx-local              smtp       -   -                      someone@remote.test    john@example.org   RCPT
mx-alias              smtp       -   -                      someone@remote.test    sales@example.org  RCPT
mx-relay              smtp       -   -                      someone@remote.test    x@remote.test      RCPT
mx-owned-sender       smtp       -   -                      john@example.org       jane@example.org   RCPT
mx-unknown            smtp       -   -                      someone@remote.test    nobody@example.org RCPT
mx-auth-relay         smtp       tls john@example.org       john@example.org       x@remote.test      RCPT
EOF
	# virtual(5): "@example.info @example.org", an alias domain.
	[ "$FIX" = passwdfile ] || return 0
	sessions <<'EOF'
mx-alias-domain-mailbox smtp       -   -                someone@remote.test john@example.info           RCPT
mx-alias-domain-alias   smtp       -   -                someone@remote.test sales@example.info          RCPT
alias-domain-sender     submission tls john@example.org john@example.info   x@remote.test               RCPT
# mydestination with /etc/aliases, and a backup MX (relay_domains).
mx-mydestination        smtp       -   -                someone@remote.test postmaster@mail.example.org RCPT
mx-backup               smtp       -   -                someone@remote.test anyone@backup.example       RCPT
EOF
}

sessions_personal()
{
	sessions <<'EOF'
auth-john        submission tls  john@example.org       -                   -                  AUTH
auth-wrong       submission tls  john@example.org:wrong -                   -                  AUTH
local-before-tls submission -    -                      someone@remote.test john@example.org   RCPT
local-tls-noauth submission tls  -                      someone@remote.test john@example.org   RCPT
relay-tls-noauth submission tls  -                      someone@remote.test x@remote.test      RCPT
relay-auth       submission tls  john@example.org       john@example.org    x@remote.test      RCPT
spoof-auth       submission tls  john@example.org       jane@example.org    x@remote.test      RCPT
relay-auth-smtps smtps      tlsc jane@example.org       jane@example.org    x@remote.test      RCPT
mx-local-plain   smtp       -    -                      someone@remote.test jane@example.org   RCPT
mx-relay         smtp       -    -                      someone@remote.test x@remote.test      RCPT
mx-unknown       smtp       -    -                      someone@remote.test nobody@example.org RCPT
EOF
}

intended_personal()
{
	cat <<'EOD'
auth-wrong|smtpd answers 535 Authentication failed, without|smtpd's own AUTH failure carries no enhanced code
relay-tls-noauth|Postfix answered 454 4.7.1 \(defer_unauth_destination\)|the filter refuses relaying for good: 554 5.7.1
mx-relay|Postfix answered 454 4.7.1 \(defer_unauth_destination\)|the filter refuses relaying for good: 554 5.7.1
mx-unknown|smtpd refuses them itself, with 524 5.2.4|smtpd's own refusal: 524 5.2.4 instead of 550 5.1.1
EOD
}

sessions_mysql()
{
	sessions_passwdfile
	# PostfixAdmin's data: an alias domain (MySQL CONCAT queries), an
	# alias with a disabled target, a disabled domain.
	sessions <<'EOF'
mx-alias-domain-mailbox smtp - - someone@remote.test john@example.info  RCPT
mx-alias-domain-alias   smtp - - someone@remote.test sales@example.info RCPT
mx-alias-one-disabled   smtp - - someone@remote.test team@example.org   RCPT
mx-disabled-domain      smtp - - someone@remote.test abuse@gone.example RCPT
# jane's vacation: an alias target at autoreply.example.org.
mx-vacation             smtp - - someone@remote.test jane@example.org   RCPT
EOF
	# The sender map is the alias query, which has no row for an
	# address of the alias domain.
	[ "$FIX" = mysql ] || [ "$FIX" = pgsql ] || return 0
	sessions <<'EOF'
alias-domain-sender submission tls john@example.org john@example.info  x@remote.test RCPT
# The catch-all @example.net -> jane: in Postfix's sender map,
# the key @example.net, whose owner jane is.
catchall-sender     submission tls jane@example.org anyone@example.net x@remote.test RCPT
EOF
}

intended_mysql()
{
	cat <<'EOD'
auth-wrong|smtpd answers 535 Authentication failed, without|smtpd's own AUTH failure carries no enhanced code
noauth-foreign|without AUTH, Postfix refused at RCPT TO|530 5.7.0 at MAIL FROM (RFC 4954) instead of 554 5.7.1 at RCPT
noauth-owned|without AUTH, Postfix refused at RCPT TO|530 5.7.0 at MAIL FROM (RFC 4954) instead of 553 5.7.1 at RCPT
unknown-on-587|smtpd_reject_unlisted_recipient = no: Postfix took mail|Postfix accepted and would bounce; smtpd refuses at RCPT
mx-relay|Postfix answered 454 4.7.1 \(defer_unauth_destination\)|the filter refuses relaying for good: 554 5.7.1
mx-unknown|smtpd refuses them itself, with 524 5.2.4|smtpd's own refusal: 524 5.2.4 instead of 550 5.1.1
mx-disabled-domain|Postfix answered 454 4.7.1 \(defer_unauth_destination\)|a disabled domain is not local: the filter refuses relaying for good, 554 5.7.1
EOD
	[ "$FIX" = mysql ] || [ "$FIX" = pgsql ] || return 0
	# -p: the owners query has no row for an alias domain's address,
	# as Postfix's sender map had none.
	[ "$label" != "$FIX-p" ] || return 0
	cat <<EOD
alias-domain-sender|alias domains \\($FIX:.*virtual_alias_domain_maps.cf\): each alias the import makes.*auth-helper alias owns no|aliases own (the sender map is the alias query), and the import makes one per address of the alias domain
EOD
}

# -p on MariaDB and PostgreSQL: PostfixAdmin's alias rows as they are,
# read by the table on the server.
intended_mysql_p()
{
	cat <<'EOD'
mx-alias-one-disabled|-p: an alias with a target that receives nothing .*smtpd refuses the whole recipient|smtpd refuses the alias whose target is disabled (524); Postfix delivered to the others
EOD
}

intended_pgsql_p()
{
	intended_mysql_p
}

# PostfixAdmin on PostgreSQL: the mysql fixture's sessions, with
# PostgreSQL's || alias-domain queries and boolean columns, and a
# backup MX and the local domains of Postfix.
sessions_pgsql()
{
	sessions_mysql
	sessions <<'EOF'
mx-mydestination smtp - - someone@remote.test postmaster@mail.example.org RCPT
mx-backup        smtp - - someone@remote.test anyone@backup.example       RCPT
EOF
}

# The mysql fixture's, and the sessions to the local domains of Postfix
# and to its backup MX.
intended_pgsql()
{
	intended_mysql
	cat <<'EOD'
mx-mydestination|mydestination = mail.example.org localhost.example.org: Postfix delivered mail for these domains itself.*add to smtpd.conf|the local domains of Postfix: the report gives the smtpd.conf lines
mx-backup|relay_domains = backup.example: Postfix was a backup MX.*add to smtpd.conf|a backup MX: the report gives the smtpd.conf lines
EOD
}

# The same as pgsql's; its sender map is no alias map, so aliases own
# nothing (alias_owns no) and alias-not-granted, alias-domain-sender
# decide as Postfix did.
intended_passwdfile()
{
	intended_pgsql
}

# start_kit DIR [FILE]: smtpd 7.6 with the migrated smtpd.conf (or
# FILE) in DIR (a path inside the 7.6 root), on the ports Postfix had.
start_kit()
{
	conf=$1/${2:-smtpd.conf}
	e2e_launcher
	mkdir -p "$ROOT/var/spool/smtpd"
	if unshare -m sh "$E2E_DIR/launch.sh" /usr/sbin/smtpd -n \
	    -f "$conf" >"$E2E_DIR/smtpd-n.log" 2>&1; then
		ok "$FIX: smtpd 7.6 -n accepts the migrated smtpd.conf"
	else
		fail "$FIX: smtpd -n refuses $conf: $(head -n 3 "$E2E_DIR/smtpd-n.log")"
		return 1
	fi
	echo "=== $FIX $(date '+%T')" >>"$E2E_DIR/smtpd.log"
	unshare -m sh "$E2E_DIR/launch.sh" /usr/sbin/smtpd -d -T lookup \
	    -f "$conf" >>"$E2E_DIR/smtpd.log" 2>&1 &
	SMTPD_PID=$!
	if ! smtpd_listens "$SUBMISSION" "$SMTP"; then
		fail "$FIX: smtpd did not listen (log $E2E_DIR/smtpd.log)"
		return 1
	fi
	return 0
}

# compare KITRES NAME: every session's decision, against the intended
# differences.
compare()
{
	kitres=$1
	label=$2
	intended_$FIX >"$WORK/intended"
	# The intended differences of one way of migrating (-p).
	if [ "$label" != "$FIX" ] &&
	    type "intended_$(echo "$label" | tr - _)" >/dev/null 2>&1; then
		"intended_$(echo "$label" | tr - _)" >>"$WORK/intended"
	fi
	while read -r name pcode pesc; do
		kline=$(grep "^$name " "$kitres")
		set -- $kline
		kcode=${2:-none}
		kesc=${3:--}
		pc=$(echo "$pcode" | cut -c 1)
		kc=$(echo "$kcode" | cut -c 1)
		same=no
		if [ "$pc" = "$kc" ] && { [ "$pc" = 2 ] || [ "$pc" = 3 ] ||
		    [ "$pesc" = "$kesc" ]; }; then
			same=yes
		fi
		entry=$(grep "^$name|" "$WORK/intended")
		printf '%-24s postfix %s %-6s kit %s %-6s %s\n' "$name" \
		    "$pcode" "$pesc" "$kcode" "$kesc" \
		    "$([ $same = yes ] && echo same || echo "differs: ${entry##*|}")" \
		    >>"$WORK/table"
		if [ "$pcode" = none ] || [ "$kcode" = none ]; then
			fail "$label/$name: no reply (postfix $pcode, kit $kcode; see $WORK)"
		elif [ $same = yes ] && [ -z "$entry" ]; then
			ok "$label/$name: same decision ($pcode $pesc)"
		elif [ $same = yes ]; then
			fail "$label/$name: listed as an intended difference, but both answer $pcode $pesc"
		elif [ -z "$entry" ]; then
			fail "$label/$name: postfix $pcode $pesc, kit $kcode $kesc (see $WORK/*.$name.out)"
		else
			pat=$(echo "$entry" | cut -d '|' -f 2)
			expect_match "$label/$name: intended difference ($pcode $pesc / $kcode $kesc) is in the report" \
			    "$pat" "$(cat "$MIG/migration-report.txt")"
		fi
	done <"$WORK/pf.res"
}

# export_import OUT: run the export commands of the report, as printed,
# on the real MariaDB (the map user's password given on stdin to the
# line that asks for it once, without a terminal), then the import it
# prints into the migrated kit.sqlite, which removes the password file.
export_import()
{
	sed -n '/^## To run by hand$/,$p' \
	    "$PF_DIR/r/out/$1/migration-report.txt" >"$WORK/exports"
	case $FIX in
	pgsql)	client='PGCLIENTENCODING=UTF8 psql ' prompts=0 ;;
	*)	client='mysql ' prompts=1 ;;
	esac
	expect_eq "$FIX: the report has an export for domains, aliases (three tables) and senders" \
	    5 "$(grep -c "^$client" "$WORK/exports")"
	echo "dbpath /out/$1/kit.sqlite" >"$PF_DIR/r/out/import.conf"
	mkdir -p "$PF_DIR/r/out/$1.export"
	# mysql: one prompt for the run; psql asks on each line.
	expect_eq "$FIX: $prompts password prompt for the exports" "$prompts" \
	    "$(grep -c '^(umask 077;' "$WORK/exports")"
	grep -E "^($client|\\(umask 077;)" "$WORK/exports" >"$WORK/exports.mysql"
	while IFS= read -r line; do
		if printf 'postfixpw\n' | pf_run setsid -w sh -c \
		    "cd /out/$1.export && $line" >>"$WORK/export.out" 2>&1
		then
			ok "$FIX: ran as printed: ${line%%  #*}"
		else
			fail "$FIX: export failed: $line ($(tail -n 2 "$WORK/export.out"))"
		fi
	done <"$WORK/exports.mysql"
	# The import line, with the paths of the root.
	imp=$(grep '^auth-helper ' "$WORK/exports" | sed -e 's/  #.*//' \
	    -e 's|^auth-helper -f [^ ]* import|/out/auth-helper -f /out/import.conf import|')
	if pf_run sh -c "cd /out/$1.export && $imp" >>"$WORK/export.out" 2>&1
	then
		ok "$FIX: $imp"
	else
		fail "$FIX: $imp: $(tail -n 1 "$WORK/export.out")"
	fi
	expect_match "$FIX: the import skips PostfixAdmin's ALL row, and says so" \
	    "skipped PostfixAdmin's placeholder domain ALL" "$(cat "$WORK/export.out")"
	expect_match "$FIX: the import skips the disabled domain's rows, and says so" \
	    "skipped [0-9]+ rows? of gone.example" "$(cat "$WORK/export.out")"
	expect_match "$FIX: the import makes the alias domain" \
	    "alias domain example.info -> example.org" "$(cat "$WORK/export.out")"
	expect_match "$FIX: the import leaves out the vacation target (-X)" \
	    "target jane#example.org@autoreply.example.org went to a command" \
	    "$(cat "$WORK/export.out")"
	expect_match "$FIX: the import leaves out the disabled target" \
	    "alias team@example.org: target left@example.org receives nothing" \
	    "$(cat "$WORK/export.out")"
	expect_eq "$FIX: the password file is gone" "" \
	    "$(ls "$PF_DIR/r/out/$1.export/" | grep '\.cnf$')"
}

# kit_side NAME OPTS: migrate with OPTS, start smtpd with the result,
# give it the sessions, compare with Postfix's decisions.
kit_side()
{
	kname=$1
	opts=$2
	if pf_run /out/auth-helper migrate-postfix -c "$E2E_RUN/$kname" \
	    $opts -o "/out/$kname" /etc/postfix >"$WORK/migrate.out" 2>&1; then
		ok "$kname: migrate-postfix $opts wrote the new setup"
	else
		fail "$kname: migrate-postfix $opts failed: $(cat "$WORK/migrate.out")"
		return
	fi
	# -p reads the server in place: nothing to export.
	if [ "$opts" != -p ] && { [ -f "$MIG_FIXTURES/$FIX/data.mysql" ] ||
	    [ -f "$MIG_FIXTURES/$FIX/data.pgsql" ]; }; then
		export_import "$kname"
	fi
	MIG=$ROOT$E2E_RUN/$kname
	cp -R "$PF_DIR/r/out/$kname" "$MIG" && chmod -R a+rX "$MIG" ||
	    e2e_abort "cannot copy the migrated setup"
	if [ -f "$MIG/kit.sqlite" ]; then
		:
	elif [ "$FIX" = mysql ] || [ "$FIX" = pgsql ]; then
		# -p: PostfixAdmin's server, its socket seen in the root.
		server_in_root "$kname"
	else
		# -p: PostfixAdmin's database, moved along with the files.
		cp "$PF_DIR/r/home/vmail/database/vmail.sqlite3" "$MIG/" &&
		    chmod 644 "$MIG/vmail.sqlite3" &&
		    sed -i "s|^dbpath .*|dbpath $E2E_RUN/$kname/vmail.sqlite3|" \
		    "$MIG/sqlite.conf" || e2e_abort "cannot move the database"
	fi
	# The lines the report says to add to smtpd.conf: smtpd takes them.
	if grep -Eq '^    (table|action|match) ' "$MIG/migration-report.txt"
	then
		awk 'NR == FNR { if ($0 ~ /^    (table|action|match) /) {
			sub(/^    /, ""); add = add $0 "\n" }; next }
		    !done && /^match / { printf "%s", add; done = 1 } { print }' \
		    "$MIG/migration-report.txt" "$MIG/smtpd.conf" \
		    >"$MIG/smtpd.conf.added"
		e2e_launcher
		if unshare -m sh "$E2E_DIR/launch.sh" /usr/sbin/smtpd -n \
		    -f "$E2E_RUN/$kname/smtpd.conf.added" >"$WORK/added.log" 2>&1
		then
			ok "$kname: smtpd -n takes the lines the report says to add"
		else
			fail "$kname: the lines the report says to add: $(head -n 3 "$WORK/added.log")"
		fi
	fi
	start_kit "$E2E_RUN/$kname" || return
	SIDE=$kname RES=$WORK/$kname.res
	: >"$RES"
	sessions_$FIX
	expect_smtpd_alive "$kname: smtpd, table and filter alive after the sessions"
	[ -z "$SRV_MNT" ] || live_row "$kname"
	smtpd_stop
	: >"$WORK/table"
	compare "$WORK/$kname.res" "$kname"
	echo "== $kname: decisions (postfix / kit)"
	cat "$WORK/table"
	added_lines "$kname"
	srv_umount
}

# server_in_root NAME: -p on MariaDB or PostgreSQL: the server's socket
# directory of the Postfix root mounted in the migrated setup's, where
# sqlite.conf then names it; sqlite.conf installed as the report says
# (group of smtpd's user, mode 0640), after a check that the table
# refuses it readable by others, as the copy made it.
SRV_MNT=""
server_in_root()
{
	case $FIX in
	pgsql)	sdir=$PF_DIR/r/run-pg
		sed -i "s|host='/run/postgresql'|host='$E2E_RUN/$1/sock'|" \
		    "$MIG/sqlite.conf" ;;
	*)	sdir=$PF_DIR/r/run-mysqld
		sed -i "s|^socket /run/mysqld/|socket $E2E_RUN/$1/sock/|" \
		    "$MIG/sqlite.conf" ;;
	esac
	mkdir -p "$MIG/sock" && mount --bind "$sdir" "$MIG/sock" ||
	    e2e_abort "cannot mount $sdir in $MIG/sock"
	SRV_MNT=$MIG/sock
	expect_match "$1: sqlite.conf names the server's socket, moved" \
	    "$E2E_RUN/$1/sock" "$(cat "$MIG/sqlite.conf")"
	expect_match "$1: the table refuses sqlite.conf readable by others" \
	    "readable by others" "$(e2e_launcher; printf 'check domain example.org\n' |
	    "$E2E_TOP/tests/tools/tabledrive" -t 10000 -- unshare -m sh \
	    "$E2E_DIR/launch.sh" "$E2E_LIBEXEC/table-sqlite" \
	    -d "$E2E_RUN/$1/sqlite.conf" 2>&1)"
	gid=$(awk -F: -v u="$E2E_SMTPD_USER" '$1 == u { print $4 }' \
	    "$ROOT/etc/passwd")
	chown "root:$gid" "$MIG/sqlite.conf" && chmod 640 "$MIG/sqlite.conf" ||
	    e2e_abort "cannot install sqlite.conf"
}

srv_umount()
{
	[ -n "$SRV_MNT" ] || return 0
	umount "$SRV_MNT"
	SRV_MNT=""
}

# live_row NAME: a mailbox added in PostfixAdmin's database is a
# recipient at the next session, without migrating again.
live_row()
{
	SIDE=$1-live RES=$WORK/$1-live.res
	: >"$RES"
	sessions <<'EOF'
live-before smtp - - someone@remote.test newbox@example.org RCPT
EOF
	ins="INSERT INTO mailbox (username, password, maildir, local_part, domain) VALUES ('newbox@example.org', '', 'example.org/newbox/', 'newbox', 'example.org')"
	if [ "$FIX" = pgsql ]; then
		psql -X -q -h "$PF_DIR/r/run-pg" -U postgres -d postfixadmin \
		    -c "$ins" >>"$WORK/live.log" 2>&1
	else
		pf_run mariadb postfixadmin -e "$ins" >>"$WORK/live.log" 2>&1
	fi || fail "$1: insert into PostfixAdmin's mailbox: $(tail -n 1 "$WORK/live.log")"
	sessions <<'EOF'
live-after smtp - - someone@remote.test newbox@example.org RCPT
EOF
	expect_eq "$1: a mailbox added in PostfixAdmin's database: refused before, accepted at the next session (live)" \
	    "5 2" "$(awk '{ printf "%s%s", sep, substr($2, 1, 1); sep = " " }' "$RES")"
}

# added_lines NAME: with the lines the report says to add, smtpd must
# decide as Postfix did in the sessions whose difference was those lines.
added_lines()
{
	grep 'the report gives the smtpd.conf lines' "$WORK/intended" |
	    cut -d '|' -f 1 >"$WORK/added.names"
	[ -s "$WORK/added.names" ] && [ -f "$MIG/smtpd.conf.added" ] ||
	    return 0
	# and in the filter configurations the report names.
	for f in $(sed -n 's/^in \(filter-[a-z0-9_-]*\.conf\): relay_check no.*/\1/p' \
	    "$MIG/migration-report.txt"); do
		sed -i 's/^relay_check yes$/relay_check no/' "$MIG/$f"
	done
	start_kit "$E2E_RUN/$1" smtpd.conf.added || return
	SIDE=$1-added RES=$WORK/$1-added.res
	: >"$RES"
	sessions_$FIX
	smtpd_stop
	while read -r name; do
		p=$(grep "^$name " "$WORK/pf.res" | cut -d ' ' -f 2)
		k=$(grep "^$name " "$RES" | cut -d ' ' -f 2)
		expect_eq "$1/$name: with the lines the report gives, as Postfix decided ($p)" \
		    "$(echo "$p" | cut -c 1)" "$(echo "$k" | cut -c 1)"
	done <"$WORK/added.names"
	# relay_check no: smtpd's own match lines still refuse relaying.
	if grep -q '^mx-relay ' "$RES"; then
		k=$(grep '^mx-relay ' "$RES" | cut -d ' ' -f 2)
		case $k in
		[45]*)	ok "$1/mx-relay: with the lines added, relaying still refused ($k)" ;;
		*)	fail "$1/mx-relay: with the lines added, smtpd answered $k" ;;
		esac
	fi
}

run_fixture()
{
	FIX=$1
	WORK=$E2E_DIR/work-$FIX
	mkdir -p "$WORK"
	pf_deploy "$FIX"
	SMTP=$PF_SMTP SUBMISSION=$PF_SUBMISSION SMTPS=$PF_SMTPS
	[ ! -f "$MIG_FIXTURES/$FIX/data.mysql" ] ||
	    pf_mysql "$MIG_FIXTURES/$FIX/data.mysql"
	[ ! -f "$MIG_FIXTURES/$FIX/data.pgsql" ] ||
	    pf_pgsql "$MIG_FIXTURES/$FIX/data.pgsql"
	pf_start
	pf_wait_auth john@example.org "$PW"
	ok "$FIX: Postfix and Dovecot run on ports $SMTP, $SUBMISSION, $SMTPS"
	SIDE=pf RES=$WORK/pf.res
	: >"$RES"
	sessions_$FIX
	pf_stop

	# The migration, on the Postfix machine, for the smtpd machine.
	kit_side "$FIX" "-d $E2E_RUN/$FIX/kit.sqlite"
	# PostfixAdmin kept in place.
	case $FIX in
	pfadmin|mysql|pgsql)	kit_side "$FIX-p" "-p" ;;
	esac
	pf_mysql_stop
	pf_pgsql_stop
}

# t_exit: the postfix run is kept, like smtpd's, when something failed.
t_exit()
{
	rc=$?
	srv_umount
	if [ "$rc" -eq 0 ] && [ "$T_FAIL" -eq 0 ] && [ "$E2E_KEEP" != yes ]
	then
		pf_clean
	else
		pf_stop
		pf_mysql_stop
		pf_pgsql_stop
		e2e_say "postfix run kept in $PF_DIR (log: $PF_DIR/postfix.log)"
	fi
	(exit "$rc")
	e2e_exit
}

# readme: what README.md tells an admin to type in "Coming from
# Postfix", on the Postfix server of the pfadmin fixture; "smtpd -n" on
# the smtpd machine, with the files the other commands wrote.
readme()
{
	FIX=pfadmin
	pf_deploy pfadmin
	awk '/^## Coming from Postfix/ { on = 1; next } /^## / { on = 0 }
	    on && /^    # / { sub(/^    # /, ""); print }' \
	    "$E2E_TOP/README.md" >"$E2E_DIR/readme.cmds"
	[ -s "$E2E_DIR/readme.cmds" ] || fail "README: no commands found"
	while read -r line; do
		case $line in
		"smtpd -n -f /etc/smtpd.conf")
			# The file Debian's smtpd runs, checked by the
			# smtpd of the 7.6 root.
			mkdir -p "$ROOT$E2E_RUN/readme"
			cp "$PF_DIR/r/ov/etc-up/smtpd.conf" \
			    "$PF_DIR/r/ov/etc-up/mail/"*.conf "$ROOT$E2E_RUN/readme/"
			e2e_launcher
			cmd="unshare -m sh $E2E_DIR/launch.sh /usr/sbin/smtpd -n -f $E2E_RUN/readme/smtpd.conf"
			;;
		*)	cmd="PF_OVERLAY=yes pf_run sh -c \"$line\"" ;;
		esac
		eval "$cmd" >"$E2E_DIR/readme.out" 2>&1
		rc=$?
		cat "$E2E_DIR/readme.out" >>"$E2E_DIR/readme.out.all"
		case $line in
		"awk "*migration-report.txt)
			cp "$E2E_DIR/readme.out" "$E2E_DIR/readme.section"
			cp "$PF_DIR/r/ov/etc-up/mail.new/migration-report.txt" \
			    "$E2E_DIR/readme.report" ;;
		esac
		case $line in
		"auth-helper check")
			expect_match "README: $line lists what cannot work" \
			    "old@example.net.*(SSHA512|auth_offload)" \
			    "$(cat "$E2E_DIR/readme.out")" ;;
		*)	expect_eq "README: $line ($(head -n 1 "$E2E_DIR/readme.out" | cut -c 1-80))" 0 "$rc" ;;
		esac
	done <"$E2E_DIR/readme.cmds"
	expect_match "README: -r reads the copy as the source host named its files" \
	    "-r /var/tmp/postfix-copy: the source server's files are read from a copy" \
	    "$(cat "$E2E_DIR/readme.out.all")"
	[ ! -e "$PF_DIR/r/ov/etc-up/mail.new" ] &&
	    ok "README: /etc/mail.new, with its copy of the hashes, removed" ||
	    fail "README: /etc/mail.new left"
	expect_eq "README: the whole section of what is not carried over shown" \
	    "$(grep -c 'not carried over' "$E2E_DIR/readme.report")" \
	    "$(grep -c 'not carried over' "$E2E_DIR/readme.section")"
	expect_match "README: the database is where sqlite.conf says" \
	    "^dbpath /var/lib/opensmtpd-kit/kit.sqlite" \
	    "$(cat "$PF_DIR/r/ov/etc-up/mail/sqlite.conf")"
	[ -s "$PF_DIR/r/ov/var-up/lib/opensmtpd-kit/kit.sqlite" ] &&
	    ok "README: kit.sqlite copied to /var/lib/opensmtpd-kit" ||
	    fail "README: no /var/lib/opensmtpd-kit/kit.sqlite"
	expect_eq "README: the database is not readable by everyone" 640 \
	    "$(stat -c %a "$PF_DIR/r/ov/var-up/lib/opensmtpd-kit/kit.sqlite")"
}

# init_repair: "auth-helper init" run again once smtpd is installed (in
# the smtpd root, where its user opensmtpd exists) gives the database,
# its directory and the lockouts' directory, made before smtpd was
# installed (group root) or copied over (mode 0600), the group of
# smtpd's user and their modes, and says so.
init_repair()
{
	d=$E2E_DIR/initrep
	mkdir -p "$d/db/authlock"
	chmod 750 "$d/db"
	chmod 770 "$d/db/authlock"
	cp "$E2E_TOP/auth-helper/auth-helper" "$d/" || e2e_abort "no auth-helper"
	echo "dbpath $E2E_RUN/initrep/db/kit.sqlite" >"$d/kit.conf"
	chroot "$ROOT" "$E2E_RUN/initrep/auth-helper" -f \
	    "$E2E_RUN/initrep/kit.conf" init >/dev/null 2>&1
	chgrp root "$d/db" "$d/db/kit.sqlite" "$d/db/authlock"
	chmod 600 "$d/db/kit.sqlite"
	out=$(chroot "$ROOT" "$E2E_RUN/initrep/auth-helper" -f \
	    "$E2E_RUN/initrep/kit.conf" init 2>&1)
	expect_match "init again: says what it repaired" \
	    "repaired $E2E_RUN/initrep/db/kit.sqlite: mode 0640, owner root, group opensmtpd" \
	    "$out"
	g=$(chroot "$ROOT" getent group opensmtpd | cut -d : -f 3)
	expect_eq "init again: the database, mode 0640, group opensmtpd" \
	    "640 $g" "$(stat -c '%a %g' "$d/db/kit.sqlite")"
	expect_eq "init again: its directory, group opensmtpd" \
	    "750 $g" "$(stat -c '%a %g' "$d/db")"
	expect_eq "init again: the lockouts' directory, group opensmtpd" \
	    "770 $g" "$(stat -c '%a %g' "$d/db/authlock")"
	out=$(chroot "$ROOT" "$E2E_RUN/initrep/auth-helper" -f \
	    "$E2E_RUN/initrep/kit.conf" init 2>&1)
	expect_nomatch "init a third time: nothing left to repair" \
	    "repaired" "$out"
}

e2e_setup
pf_setup
trap t_exit EXIT
init_repair
for f in ${MIGRATE_FIXTURES-pfadmin passwdfile personal mysql pgsql}; do
	run_fixture "$f"
done
readme
test_done
