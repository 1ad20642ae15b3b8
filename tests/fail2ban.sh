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
# The shipped fail2ban filter (contrib/fail2ban) run by fail2ban-regex,
# for the protocol and end-to-end tests.  Source tests/lib.sh first.

F2B_FILTER=${TOP:-$E2E_TOP}/contrib/fail2ban/filter.d/opensmtpd-kit.conf

# f2b_syslog: log lines on stdin, as the e2e syslog writes them
# ("mail.notice filter-submission[pid]: ...", table-sqlite's too) or as
# filter-submission -d does ("filter-submission: ..."), to stdout as a
# syslog daemon writes them to /var/log/mail.log: date, host, tag[pid],
# message.
f2b_syslog()
{
	sed -n -e 's/^[a-z0-9]*\.[a-z]* \([^ ]*\[[0-9]*\]: \)/Nov 25 18:40:00 mx1 \1/p' \
	    -e 's/^filter-submission: /Nov 25 18:40:00 mx1 filter-submission[4242]: /p'
}

# f2b_ips FILE [MODE]: the address of each line of FILE the filter
# matches (mode MODE, default normal), one a line, as counted lines
# "N ADDRESS" sorted by address.
f2b_ips()
{
	fail2ban-regex -r -o ip "$1" "$F2B_FILTER[mode=${2:-normal}]" |
	    sort | uniq -c | awk '{ print $1, $2 }'
}

# expect_f2b NAME FILE MODE EXPECTED: f2b_ips FILE MODE is EXPECTED
# ("N ADDRESS" lines), and fail2ban-regex exits 0.
expect_f2b()
{
	if ! command -v fail2ban-regex >/dev/null; then
		fail "$1: fail2ban-regex not found; run tests/deps.sh test"
		return
	fi
	if ! fail2ban-regex -r "$2" "$F2B_FILTER[mode=$3]" >"$2.$3.out" 2>&1
	then
		fail "$1: fail2ban-regex failed: $(tail -n 3 "$2.$3.out")"
		return
	fi
	expect_eq "$1" "$4" "$(f2b_ips "$2" "$3")"
}
