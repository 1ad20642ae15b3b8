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

/*
 * smtpd-filters(7), smtp-in, protocols 0.6 and 0.7: parse the report and
 * filter lines smtpd sends, and format every line a filter sends back:
 * the registration, then results and data lines.  The caller learns
 * the version from each line.
 */

#include <stdlib.h>
#include <string.h>

#include "filter_proto.h"
#include "ibuf.h"
#include "proto.h"

static const char *phase_names[PH_MAX] = {
	"connect", "helo", "ehlo", "starttls", "auth", "mail-from",
	"rcpt-to", "data", "data-line", "commit",
};

/* The events we read, and the fields of each after the session id. */
static const char *event_names[EV_OTHER] = {
	"link-connect", "link-disconnect", "link-greeting", "link-tls",
	"link-auth", "tx-mail", "tx-rcpt", "tx-commit",
};
static const int event_nparams[EV_OTHER] = { 4, 0, 1, 1, 2, 3, 3, 2 };

const char *
filter_phase_name(int ph)
{
	return proto_name(phase_names, PH_MAX, ph);
}

/*
 * Queue the end of the handshake: the report events of reports (a mask
 * of 1 << enum fevent) and the filter phases of phases (1 << enum
 * fphase) asked for, then "register|ready".
 */
int
filter_register(struct ibuf *wb, int reports, int phases)
{
	if (proto_register(wb, "report|smtp-in", event_names, EV_OTHER,
	    reports) == -1 ||
	    proto_register(wb, "filter|smtp-in", phase_names, PH_MAX,
	    phases) == -1)
		return -1;
	return ibuf_add(wb, "register|ready\n", 15);
}

static int
parse_sid(const char *s, uint64_t *v)
{
	char	*end;

	if (strlen(s) != 16 || strspn(s, "0123456789abcdef") != 16)
		return -1;
	*v = strtoull(s, &end, 16);
	return *end == '\0' ? 0 : -1;
}

/*
 * Split s in place into nf fields at its last nf - 1 '|': the first
 * field keeps any other '|'.  For the parameters whose only free text
 * (a reverse DNS name, which a client's DNS controls) comes first.
 */
static size_t
split_right(char *s, char **f, size_t nf)
{
	char	*bar;
	size_t	 n;

	for (n = nf - 1; n > 0; n--) {
		if ((bar = strrchr(s, '|')) == NULL)
			break;
		*bar = '\0';
		f[n] = bar + 1;
	}
	if (n > 0)
		return 0;
	f[0] = s;
	return nf;
}

/*
 * The head of a request, before anything else is checked: its token,
 * so that even a bad request can be answered, and its phase.  f[6] is
 * the rest of the line, which starts at line, len bytes.  Returns the
 * number of fields.
 */
static size_t
request_head(struct fline *fl, char **f, char *line, size_t len)
{
	size_t	 n, i;

	n = proto_split(f[6], len - (f[6] - line), f + 6, 2) + 6;
	if (strlen(f[6]) == 16 && strspn(f[6], "0123456789abcdef") == 16)
		fl->token = f[6];
	for (i = 0; i < PH_MAX; i++)
		if (strcmp(phase_names[i], fl->name) == 0)
			fl->what = i;
	return n;
}

/*
 * A report's event and its parameters, from its n fields (n - 1 the
 * rest of the line).  An event we do not follow is EV_OTHER, not an
 * error.
 */
static int
parse_report(struct fline *fl, char **f, size_t n, char *line, size_t len,
    const char **errstr)
{
	char	*bar;
	size_t	 i;
	int	 np;

	fl->what = EV_OTHER;
	for (i = 0; i < EV_OTHER; i++)
		if (strcmp(event_names[i], f[4]) == 0)
			break;
	if (i == EV_OTHER)
		return 0;
	fl->what = i;
	np = event_nparams[i];
	if (np == 0 && n != 6) {
		*errstr = "unexpected fields";
		return -1;
	}
	if (np == 0)
		return 0;
	if (n != 7) {
		*errstr = "missing event parameters";
		return -1;
	}
	if (fl->what == EV_LINK_AUTH && fl->minor == 6) {
		/* user|result: a '|' in the user, none in the result */
		if ((bar = strrchr(f[6], '|')) == NULL) {
			*errstr = "missing event parameters";
			return -1;
		}
		*bar = '\0';
		fl->param[0] = bar + 1;
		fl->param[1] = f[6];
		fl->nparam = 2;
		return 0;
	}
	if (fl->what == EV_LINK_CONNECT) {
		/* rdns|fcrdns|src|dest: the name is smtpd's only free text */
		fl->nparam = split_right(f[6], fl->param, np);
		if (fl->nparam != np) {
			*errstr = "missing event parameters";
			return -1;
		}
		return 0;
	}
	/* Split the rest into np fields; the last one keeps '|'. */
	fl->nparam = proto_split(f[6], len - (f[6] - line), fl->param, np);
	if (fl->nparam != np) {
		*errstr = "missing event parameters";
		return -1;
	}
	return 0;
}

/* A request's parameters, its token and phase read by request_head. */
static int
parse_request(struct fline *fl, char **f, size_t n, const char **errstr)
{
	if (fl->token == NULL) {
		*errstr = "missing or bad token";
		return -1;
	}
	if (fl->what == -1) {
		*errstr = "unknown phase";
		return -1;
	}
	if (n != 8) {
		*errstr = "missing phase parameter";
		return -1;
	}
	if (fl->what == PH_CONNECT) {
		/* rdns|src: the address is last, a '|' in the name before it. */
		fl->nparam = split_right(f[7], fl->param, 2);
		if (fl->nparam != 2) {
			*errstr = "missing connect parameters";
			return -1;
		}
		return 0;
	}
	fl->param[0] = f[7];
	fl->nparam = 1;
	return 0;
}

/*
 * Parse one line in place.  Returns 0, or -1 with *errstr; after a
 * failure fl->sidstr and fl->token are set when the line got that far.
 */
int
filter_parse(char *line, size_t len, struct fline *fl, const char **errstr)
{
	char	*f[8];
	size_t	 n;

	memset(fl, 0, sizeof(*fl));
	fl->what = -1;
	*errstr = NULL;
	if (memchr(line, '\0', len) != NULL) {
		*errstr = "NUL byte in line";
		return -1;
	}
	n = proto_split(line, len, f, 7);
	if (n < 6) {
		*errstr = "too few fields";
		return -1;
	}
	if (strcmp(f[0], "report") == 0)
		fl->type = FP_REPORT;
	else if (strcmp(f[0], "filter") == 0)
		fl->type = FP_FILTER;
	else {
		*errstr = "neither report nor filter";
		return -1;
	}
	fl->name = f[4];
	if (parse_sid(f[5], &fl->sid) == -1) {
		*errstr = "bad session id";
		return -1;
	}
	fl->sidstr = f[5];
	if (fl->type == FP_FILTER && n == 7)
		n = request_head(fl, f, line, len);
	if (strcmp(f[1], "0.7") == 0)
		fl->minor = 7;
	else if (strcmp(f[1], "0.6") == 0)
		fl->minor = 6;
	else {
		*errstr = "unsupported protocol version";
		return -1;
	}
	if (strcmp(f[3], "smtp-in") != 0) {
		*errstr = "not smtp-in";
		return -1;
	}
	if (fl->type == FP_REPORT)
		return parse_report(fl, f, n, line, len, errstr);
	return parse_request(fl, f, n, errstr);
}

static int
field_ok(const char *s)
{
	return s[strcspn(s, "\r\n|")] == '\0';
}

/*
 * Queue "filter-result|<sid>|<token>|<decision>[|<text>]".  The text is
 * the last field and may hold '|', never CR or LF.
 */
int
filter_result(struct ibuf *wb, const char *sid, const char *token,
    const char *decision, const char *text)
{
	const char	*f[5] = { "filter-result", sid, token, decision, text };

	if (!field_ok(sid) || !field_ok(token) || !field_ok(decision) ||
	    (text != NULL && text[strcspn(text, "\r\n")] != '\0'))
		return -1;
	return proto_addline(wb, f, text != NULL ? 5 : 4);
}

/*
 * Queue "filter-dataline|<sid>|<token>|<line>".  A CR inside a message
 * line is smtpd's to pass on, so it is echoed as is; only a newline
 * could break the framing.
 */
int
filter_dataline(struct ibuf *wb, const char *sid, const char *token,
    const char *line)
{
	const char	*f[4] = { "filter-dataline", sid, token, line };

	if (strchr(line, '\n') != NULL)
		return -1;
	return proto_addline(wb, f, 4);
}
