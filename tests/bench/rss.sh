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
# Run a command on our stdin and stdout (as tabledrive gives them) and
# write to OUTFILE the largest RssAnon (anonymous resident memory: heap,
# stacks, private writable mappings; not the mapped database) seen while
# it ran, in kB, sampled every 20 ms.
#
# usage: tests/bench/rss.sh OUTFILE command [arg ...]

out=$1
shift
# An asynchronous command gets /dev/null as stdin: hand it a copy.
exec 3<&0
"$@" <&3 3<&- &
pid=$!
exec 3<&- 0</dev/null
max=0
while kill -0 "$pid" 2>/dev/null; do
	kb=$(awk '/^RssAnon:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
	if [ -n "$kb" ] && [ "$kb" -gt "$max" ]; then
		max=$kb
	fi
	sleep 0.02
done
wait "$pid"
rc=$?
echo "$max" > "$out"
exit "$rc"
