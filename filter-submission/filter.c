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
 * The filter requests: every request gets exactly one answer, written
 * here and nowhere else, and every decision one log line of key=value
 * pairs, each value escaped with log_escape():
 *
 *	session=<id> client=<addr> login=<login> rule=<rule>
 *	    address=<addr> result=<proceed|reject|repeat|warn>
 *	    reply="<reply>"
 *
 * "repeat" is a refusal of a client without AUTH (relay, AUTH required,
 * a local sender) after the first of its session: fail2ban's aggressive
 * mode counts one per session, so that one message of a peer MTA to many
 * recipients we do not serve counts once.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "proto.h"
#include "submission.h"

/*
 * smtpd before 7.4 copies each answer of ours into a buffer of LINE_MAX
 * (2048) bytes and cuts what does not fit: a data line echoed back is
 * cut short.  Until the handshake says otherwise, assume it does.
 */
void
filter_smtpd_version(struct filter *f, const char *v)
{
	f->cuts_lines = !proto_version_atleast(v, 7, 4, 0, 0);
	f->since75 = proto_version_atleast(v, 7, 5, 0, 0);
}

/* The longest data line of fl that such an smtpd keeps whole; 0: any. */
static size_t
dataline_max(struct filter *f, struct fline *fl)
{
	size_t	 fixed;

	if (!f->cuts_lines)
		return 0;
	fixed = strlen("filter-dataline|") + strlen(fl->sidstr) + 1 +
	    strlen(fl->token) + 1;
	return 2047 - fixed;
}

/* f's configuration, backend and output are set; what it assumes of smtpd. */
void
filter_init(struct filter *f)
{
	f->cuts_lines = 1;
	f->since75 = 0;
	policy_init(f);
	hdr_init();
}

/* soft_bounce: a 5xx reply as the matching 4xx, enhanced code too. */
static const char *
soften(const char *reply, char *buf, size_t len)
{
	if (reply[0] != '5' || strlcpy(buf, reply, len) >= len)
		return reply;
	buf[0] = '4';
	if (buf[3] == ' ' && buf[4] == '5' && buf[5] == '.')
		buf[4] = '4';
	return buf;
}

/*
 * Answer the request fl with reply ("" or NULL: proceed), as warn_only
 * and soft_bounce say, and log the decision.  address is what the rule
 * judged: NULL for none, "" for the null sender.
 */
static void
answer(struct filter *f, struct fline *fl, struct session *s, const char *rule,
    const char *address, const char *reply)
{
	char		 soft[512], c[LOG_VALUE_MAX], l[LOG_VALUE_MAX];
	char		 a[LOG_VALUE_MAX], r[LOG_VALUE_MAX];
	const char	*result;
	int		 rc;

	if (reply != NULL && reply[0] == '\0')
		reply = NULL;
	if (reply == NULL) {
		result = "proceed";
		rc = filter_result(f->out, fl->sidstr, fl->token, "proceed",
		    NULL);
	} else if (f->conf.warn_only) {
		result = "warn";
		rc = filter_result(f->out, fl->sidstr, fl->token, "proceed",
		    NULL);
	} else {
		result = "reject";
		if (f->conf.soft_bounce)
			reply = soften(reply, soft, sizeof(soft));
		if (s != NULL && !s->authed && reply[0] == '5' &&
		    (strcmp(rule, "relay") == 0 || strcmp(rule, "auth") == 0 ||
		    strcmp(rule, "sender-login") == 0) && s->refusals++ > 0)
			result = "repeat";
		rc = filter_result(f->out, fl->sidstr, fl->token, "reject",
		    reply);
	}
	if (rc == -1) {
		/* Cannot happen with our replies; still, answer. */
		log_warnx("session=%s reply cannot be sent", fl->sidstr);
		filter_result(f->out, fl->sidstr, fl->token, "reject",
		    "451 4.3.0 Temporary failure");
	}
	/*
	 * Refusals at notice; a command let through only with -v, at
	 * debug: the message smtpd accepts is one line (report.c).
	 */
	if (reply == NULL && !log_getverbose())
		return;
	(reply == NULL ? log_debug : log_notice)("session=%s client=%s "
	    "login=%s rule=%s address=%s%s%s result=%s reply=%s%s%s",
	    fl->sidstr,
	    log_escape(s != NULL ? s->client : NULL, 0, c, sizeof(c)),
	    log_escape(s != NULL ? s->login : NULL, 0, l, sizeof(l)),
	    rule,
	    address != NULL ? "<" : "",
	    address == NULL ? "-" : address[0] == '\0' ? "" :
	    log_escape(address, 0, a, sizeof(a)),
	    address != NULL ? ">" : "",
	    result,
	    reply != NULL ? "\"" : "",
	    log_escape(reply, 1, r, sizeof(r)),
	    reply != NULL ? "\"" : "");
}

static void
data_line(struct filter *f, struct fline *fl, struct session *s)
{
	const char	*line = fl->param[0];
	size_t		 len = strlen(line);

	if (filter_dataline(f->out, fl->sidstr, fl->token, line) == -1)
		log_warnx("session=%s data line cannot be sent", fl->sidstr);
	if (s == NULL || s->hdr == NULL)
		return;
	if (len == 1 && line[0] == '.')
		hdr_end(s->hdr, f->backend, s->login, f->conf.delims);
	else
		hdr_line(s->hdr, f->backend, s->login, f->conf.delims, line,
		    len);
}

static void
commit(struct filter *f, struct fline *fl, struct session *s)
{
	struct hdrcheck	*h = s->hdr;

	if (h == NULL) {
		answer(f, fl, s, "header", NULL, NULL);
		return;
	}
	answer(f, fl, s, "header", h->addr[0] != '\0' ? h->addr : NULL,
	    h->verdict == HDR_OK ? NULL : h->reply);
	session_hdr_end(s);
}

/*
 * The header check of the message MAIL FROM begins; without memory
 * for it, MAIL FROM is refused for now rather than the check skipped.
 */
static void
header_begin(struct filter *f, struct fline *fl, struct session *s,
    struct verdict *v)
{
	if ((s->hdr = calloc(1, sizeof(*s->hdr))) == NULL) {
		log_warn("session=%s header check", s->sid);
		v->rule = "header";
		strlcpy(v->reply, "451 4.3.0 Temporary failure",
		    sizeof(v->reply));
		return;
	}
	hdr_begin(s->hdr, s->login, s->client, dataline_max(f, fl),
	    f->since75);
}

/* The address a phase's log line names: MAIL FROM's and RCPT TO's. */
static const char *
logged_address(const struct fline *fl, const char *param)
{
	return fl->what == PH_MAIL_FROM || fl->what == PH_RCPT_TO ?
	    param : NULL;
}

void
filter_request(struct filter *f, struct fline *fl)
{
	struct session	*s;
	struct verdict	 v;
	const char	*param = fl->nparam > 0 ? fl->param[0] : "";
	char		 client[48];

	s = session_find(fl->sid);
	if (fl->what == PH_DATA_LINE) {
		data_line(f, fl, s);
		return;
	}
	if (fl->what == PH_CONNECT &&
	    (s != NULL || (s = session_new(fl->sid, fl->sidstr)) != NULL)) {
		/* The connect request names the client itself. */
		client_addr(fl->param[1], client, sizeof(client));
		strlcpy(s->client, client, sizeof(s->client));
		s->exempt = netlist_match(&f->conf.auth_fail_exempt, s->client);
	}
	if (s == NULL) {
		/* We do not know its TLS or AUTH state: do not guess. */
		answer(f, fl, NULL, "session", logged_address(fl, param),
		    "451 4.3.0 Session state unknown, try again");
		return;
	}
	switch (fl->what) {
	case PH_CONNECT:
		policy_connect(f, s, &v);
		break;
	case PH_AUTH:
		/* The parameter holds the credentials: never logged. */
		policy_auth(f, s, param, &v);
		break;
	case PH_MAIL_FROM:
		s->nrcpt = 0;
		session_hdr_end(s);
		policy_mail(f, s, param, &v);
		if (v.reply[0] == '\0' && f->conf.header_check && s->authed)
			header_begin(f, fl, s, &v);
		break;
	case PH_RCPT_TO:
		policy_rcpt(f, s, param, &v);
		break;
	case PH_COMMIT:
		commit(f, fl, s);
		return;
	default:
		answer(f, fl, s, filter_phase_name(fl->what), NULL, NULL);
		return;
	}
	/* The policy's verdict on the phase. */
	answer(f, fl, s, v.rule, logged_address(fl, param), v.reply);
}

/*
 * A filter line we could not parse.  When it names a session and a
 * token, the session still gets an answer, so that it never hangs.
 */
void
filter_bad_request(struct filter *f, struct fline *fl, const char *errstr)
{
	log_warnx("bad filter request: %s%s", errstr,
	    fl->token != NULL ? "; refused" : "; not answered");
	if (fl->token == NULL || fl->sidstr == NULL)
		return;
	if (fl->what == PH_DATA_LINE)
		return;
	filter_result(f->out, fl->sidstr, fl->token, "reject",
	    "451 4.3.0 Temporary failure");
}
