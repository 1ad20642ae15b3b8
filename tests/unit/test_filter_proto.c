/*
 * Copyright (c) 2026 The opensmtpd-kit authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/* filter-submission/filter_proto.c: smtpd-filters(7) lines both ways. */

#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "filter_proto.h"
#include "ibuf.h"
#include "unit.h"

#define SID	"0123456789abcdef"
#define TOKEN	"fedcba9876543210"

static struct fline	 fl;
static const char	*e;

/* Parse a copy of s; the copy stays valid until the next call. */
static int
parse(const char *s)
{
	static char	 buf[1024];

	strlcpy(buf, s, sizeof(buf));
	return filter_parse(buf, strlen(buf), &fl, &e);
}

/* Is what wb holds exactly s? */
static int
queued(struct ibuf *wb, const char *s)
{
	return ibuf_size(wb) == strlen(s) && memcmp(ibuf_data(wb), s, ibuf_size(wb)) == 0;
}

int
main(void)
{
	struct ibuf	 wb;
	char		 nul[] = "report|0.7|1|smtp-in|link-tls|" SID "|x\0y";

	check(parse("report|0.7|1712345678.1|smtp-in|link-connect|" SID
	    "|mail.example|pass|192.0.2.7:4242|192.0.2.25:25") == 0 &&
	    fl.type == FP_REPORT && fl.minor == 7 &&
	    fl.what == EV_LINK_CONNECT && fl.sid == 0x0123456789abcdefULL &&
	    strcmp(fl.sidstr, SID) == 0 && fl.nparam == 4 &&
	    strcmp(fl.param[2], "192.0.2.7:4242") == 0,
	    "link-connect: version, session id and its four parameters");
	check(parse("report|0.7|1|smtp-in|link-connect|" SID
	    "|x|pass|127.0.0.1:1|y|pass|203.0.113.9:4242|192.0.2.25:25") == 0 &&
	    fl.nparam == 4 && strcmp(fl.param[0], "x|pass|127.0.0.1:1|y") == 0 &&
	    strcmp(fl.param[2], "203.0.113.9:4242") == 0,
	    "link-connect: a '|' in the reverse name cannot forge the client");
	check(parse("report|0.7|1|smtp-in|link-auth|" SID "|pass|a|b@x") == 0 &&
	    fl.what == EV_LINK_AUTH && strcmp(fl.param[0], "pass") == 0 &&
	    strcmp(fl.param[1], "a|b@x") == 0,
	    "link-auth 0.7: result, then the user, '|' and all");
	check(parse("report|0.6|1|smtp-in|link-auth|" SID "|a|b@x|fail") == 0 &&
	    fl.minor == 6 && strcmp(fl.param[0], "fail") == 0 &&
	    strcmp(fl.param[1], "a|b@x") == 0,
	    "link-auth 0.6: user|result given in the order of 0.7");
	check(parse("report|0.6|1|smtp-in|link-auth|" SID "|nobar") == -1 &&
	    strcmp(e, "missing event parameters") == 0,
	    "link-auth 0.6 without a result refused");
	check(parse("report|0.7|1|smtp-in|tx-mail|" SID
	    "|0badf00d|ok|a|b@x") == 0 && fl.what == EV_TX_MAIL &&
	    fl.nparam == 3 && strcmp(fl.param[0], "0badf00d") == 0 &&
	    strcmp(fl.param[1], "ok") == 0 && strcmp(fl.param[2], "a|b@x") == 0,
	    "tx-mail: message id, result, then the address, '|' and all");
	check(parse("report|0.6|1|smtp-in|tx-rcpt|" SID
	    "|0badf00d|permfail|c@x") == 0 && fl.what == EV_TX_RCPT &&
	    fl.nparam == 3 && strcmp(fl.param[1], "permfail") == 0,
	    "tx-rcpt: message id, result, address");
	check(parse("report|0.7|1|smtp-in|tx-commit|" SID "|0badf00d|1234") ==
	    0 && fl.what == EV_TX_COMMIT && fl.nparam == 2 &&
	    strcmp(fl.param[1], "1234") == 0,
	    "tx-commit: message id and size");
	check(parse("report|0.7|1|smtp-in|tx-commit|" SID "|0badf00d") == -1 &&
	    strcmp(e, "missing event parameters") == 0,
	    "tx-commit without its size refused");
	check(parse("report|0.7|1|smtp-in|tx-begin|" SID "|1") == 0 &&
	    fl.what == EV_OTHER && fl.nparam == 0,
	    "an event the filter does not read is EV_OTHER");
	check(parse("report|0.7|1|smtp-in|link-disconnect|" SID "|x") == -1 &&
	    strcmp(e, "unexpected fields") == 0,
	    "link-disconnect with a parameter refused");
	check(parse("report|0.7|1|smtp-in|link-greeting|" SID) == -1 &&
	    strcmp(e, "missing event parameters") == 0,
	    "link-greeting without its host name refused");

	check(parse("filter|0.7|1|smtp-in|mail-from|" SID "|" TOKEN
	    "|<a|b@example.com>") == 0 && fl.type == FP_FILTER &&
	    fl.what == PH_MAIL_FROM && strcmp(fl.token, TOKEN) == 0 &&
	    fl.nparam == 1 && strcmp(fl.param[0], "<a|b@example.com>") == 0,
	    "mail-from: the token, and the address as the rest of the line");
	check(parse("filter|0.6|1|smtp-in|connect|" SID "|" TOKEN
	    "|rdns.example|192.0.2.7") == 0 && fl.what == PH_CONNECT &&
	    fl.nparam == 2 && strcmp(fl.param[1], "192.0.2.7") == 0,
	    "connect: host name and address");
	check(parse("filter|0.7|1|smtp-in|connect|" SID "|" TOKEN
	    "|evil|127.0.0.1|203.0.113.9") == 0 && fl.nparam == 2 &&
	    strcmp(fl.param[1], "203.0.113.9") == 0 &&
	    strcmp(fl.param[0], "evil|127.0.0.1") == 0,
	    "connect: a '|' in the reverse name cannot forge the address");
	check(parse("filter|0.7|1|smtp-in|connect|" SID "|" TOKEN "|x") == -1 &&
	    strcmp(e, "missing connect parameters") == 0,
	    "connect without the address refused");
	check(parse("filter|0.7|1|smtp-in|mail-from|" SID "|" TOKEN) == -1 &&
	    strcmp(e, "missing phase parameter") == 0 &&
	    strcmp(fl.token, TOKEN) == 0 && strcmp(fl.sidstr, SID) == 0,
	    "a phase without parameter refused, session and token known");
	check(parse("filter|0.7|1|smtp-in|frobnicate|" SID "|" TOKEN "|x") ==
	    -1 && strcmp(e, "unknown phase") == 0 && fl.token != NULL,
	    "an unknown phase refused, its token known");
	check(parse("filter|0.7|1|smtp-in|mail-from|" SID "|short|x") == -1 &&
	    strcmp(e, "missing or bad token") == 0 && fl.token == NULL,
	    "a bad token refused: nothing to answer with");
	check(parse("filter|0.5|1|smtp-in|mail-from|" SID "|" TOKEN "|x") ==
	    -1 && strcmp(e, "unsupported protocol version") == 0 &&
	    fl.token != NULL, "protocol 0.5 refused, its token known");
	check(parse("filter|0.7|1|smtp-out|mail-from|" SID "|" TOKEN "|x") ==
	    -1 && strcmp(e, "not smtp-in") == 0, "smtp-out refused");
	check(parse("report|0.7|1|smtp-in|link-tls|0123456789ABCDEF|x") == -1 &&
	    strcmp(e, "bad session id") == 0,
	    "a session id not in lower-case hex refused");
	check(parse("hello|0.7|1|smtp-in|link-tls|" SID "|x") == -1 &&
	    strcmp(e, "neither report nor filter") == 0,
	    "a line of another kind refused");
	check(parse("report|0.7|1|smtp-in") == -1 &&
	    strcmp(e, "too few fields") == 0, "a short line refused");
	check(filter_parse(nul, sizeof(nul) - 1, &fl, &e) == -1 &&
	    strcmp(e, "NUL byte in line") == 0, "a NUL byte refused");
	check(strcmp(filter_phase_name(PH_DATA_LINE), "data-line") == 0 &&
	    strcmp(filter_phase_name(PH_MAX), "unknown") == 0,
	    "phase names");

	ibuf_init(&wb, 64, 4096);
	check(filter_register(&wb, 1 << EV_LINK_TLS | 1 << EV_LINK_CONNECT,
	    1 << PH_COMMIT | 1 << PH_MAIL_FROM) == 0 && queued(&wb,
	    "register|report|smtp-in|link-connect\n"
	    "register|report|smtp-in|link-tls\n"
	    "register|filter|smtp-in|mail-from\n"
	    "register|filter|smtp-in|commit\n"
	    "register|ready\n"),
	    "registration: the events, then the phases asked for, then ready");
	ibuf_truncate(&wb, 0);
	check(filter_result(&wb, SID, TOKEN, "reject",
	    "550 5.7.1 a|b") == 0 && queued(&wb, "filter-result|" SID "|"
	    TOKEN "|reject|550 5.7.1 a|b\n"),
	    "a result, its text the last field, '|' and all");
	ibuf_truncate(&wb, 0);
	check(filter_result(&wb, SID, TOKEN, "proceed", NULL) == 0 &&
	    queued(&wb, "filter-result|" SID "|" TOKEN "|proceed\n"),
	    "a result without text");
	ibuf_truncate(&wb, 0);
	check(filter_result(&wb, SID, TOKEN, "reject", "550 a\r\nb") == -1 &&
	    filter_result(&wb, SID "|x", TOKEN, "proceed", NULL) == -1 &&
	    ibuf_size(&wb) == 0, "a CR, LF or '|' that would break the line refused");
	check(filter_dataline(&wb, SID, TOKEN, "a\rb") == 0 &&
	    queued(&wb, "filter-dataline|" SID "|" TOKEN "|a\rb\n"),
	    "a data line echoed, a CR in it too");
	ibuf_truncate(&wb, 0);
	check(filter_dataline(&wb, SID, TOKEN, "a\nb") == -1 && ibuf_size(&wb) == 0,
	    "a data line with a newline refused");
	ibuf_free(&wb);
	return unit_done();
}
