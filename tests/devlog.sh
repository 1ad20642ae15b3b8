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
# A syslog of its own for a program run by a protocol test or a
# benchmark, without touching the host's: tests/e2e/syslogd.pl reads a
# socket DIR/dev/log, and devlog_run runs a command in a mount namespace
# whose /dev is DIR/dev (that socket, /dev/null, /dev/zero and
# /dev/urandom), so that syslog(3), which writes to /dev/log, writes
# there.  What it received is in DIR/syslog, one message a line as
# "facility.priority tag[pid]: text".  Needs root, or unprivileged user
# namespaces (unshare -r).  Source tests/lib.sh first.

# devlog_start DIR: start the reader; 1 when it cannot be.
devlog_start()
{
	DEVLOG_DIR=$1
	mkdir -p "$DEVLOG_DIR/dev" || return 1
	: >"$DEVLOG_DIR/syslog"
	for d in null zero urandom; do
		: >"$DEVLOG_DIR/dev/$d"
	done
	if [ "$(id -u)" -eq 0 ]; then
		DEVLOG_UNSHARE="unshare -m" DEVLOG_NS="unshare -n"
	else
		DEVLOG_UNSHARE="unshare -rm" DEVLOG_NS="unshare -rn"
	fi
	# The reader's socket queue as systemd sets it (sysctl.d,
	# net.unix.max_dgram_qlen 512; the kernel's default of 10 makes a
	# writer wait for the reader every 10 lines): in a network
	# namespace of its own, where it can be set; else as it is here.
	$DEVLOG_NS true 2>/dev/null || DEVLOG_NS=""
	$DEVLOG_NS sh -c 'echo "$1" >/proc/sys/net/unix/max_dgram_qlen 2>/dev/null
	    exec perl "$2" "$3" "$4"' sh "${DEVLOG_QLEN:-512}" \
	    "${TOP:-$E2E_TOP}/tests/e2e/syslogd.pl" "$DEVLOG_DIR/dev/log" \
	    "$DEVLOG_DIR/syslog" &
	DEVLOG_PID=$!
	# The socket is there once the reader has bound it.
	i=0
	while [ ! -S "$DEVLOG_DIR/dev/log" ]; do
		kill -0 "$DEVLOG_PID" 2>/dev/null || return 1
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
	$DEVLOG_UNSHARE true 2>/dev/null
}

# devlog_run COMMAND...: COMMAND with DIR/dev as its /dev; its standard
# input, output and error are the caller's.
devlog_run()
{
	$DEVLOG_UNSHARE sh -c 'd=$1; shift
	    for f in null zero urandom; do
		mount --bind /dev/$f "$d/dev/$f" || exit 125
	    done
	    mount --rbind "$d/dev" /dev || exit 125
	    exec "$@"' sh "$DEVLOG_DIR" "$@"
}

# devlog_sync: wait until the reader has written everything sent before
# (a last message of our own, which comes after it on the socket).
devlog_sync()
{
	m="syslog-sync-$$-$(date +%s%N)"
	logger -d -u "$DEVLOG_DIR/dev/log" -t syslog-sync "$m" || return 1
	i=0
	while ! grep -q "$m" "$DEVLOG_DIR/syslog"; do
		i=$((i + 1))
		[ $i -lt 300 ] || return 1
		sleep 0.1
	done
}

# devlog_stop: stop the reader.
devlog_stop()
{
	[ -z "$DEVLOG_PID" ] || kill "$DEVLOG_PID" 2>/dev/null
	[ -z "$DEVLOG_PID" ] || wait "$DEVLOG_PID" 2>/dev/null
	DEVLOG_PID=""
}
