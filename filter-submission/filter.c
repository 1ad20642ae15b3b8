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
 * pairs on stderr, which smtpd puts in its log:
 *
 *	session=<id> client=<addr> login=<login> rule=<rule>
 *	    address=<addr> result=<proceed|reject> reply="<reply>"
 */

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "submission.h"

static struct fconf	*conf;
static struct backend	*backend;
static struct wbuf	*out;

void
filter_init(struct fconf *c, struct backend *b, struct wbuf *wb)
{
	conf = c;
	backend = b;
	out = wb;
	policy_init(c);
}

/* Make text safe for a key=value log line. */
static const char *
safe(const char *in, char *buf, size_t len)
{
	size_t	 n = 0;

	for (; *in != '\0' && n + 5 < len; in++) {
		if ((unsigned char)*in <= ' ' || *in == '"' || *in == '\\' ||
		    (unsigned char)*in >= 0x7f)
			n += snprintf(buf + n, len - n, "\\x%02x",
			    (unsigned char)*in);
		else
			buf[n++] = *in;
	}
	buf[n] = '\0';
	return buf;
}

static void
answer(struct fline *fl, struct session *s, const char *rule,
    const char *address, const char *reply)
{
	char	 a[400], l[400];
	int	 rc;

	if (reply == NULL || reply[0] == '\0')
		rc = filter_result(out, fl->sidstr, fl->token, "proceed", NULL);
	else
		rc = filter_result(out, fl->sidstr, fl->token, "reject", reply);
	if (rc == -1) {
		/* Cannot happen with our replies; still, answer. */
		log_warnx("session=%s reply cannot be sent", fl->sidstr);
		filter_result(out, fl->sidstr, fl->token, "reject",
		    "451 4.3.0 Temporary failure");
	}
	log_info("session=%s client=%s login=%s rule=%s address=<%s> "
	    "result=%s reply=\"%s\"", fl->sidstr,
	    s != NULL && s->client[0] ? s->client : "-",
	    s != NULL && s->login[0] ? safe(s->login, l, sizeof(l)) : "-",
	    rule, safe(address, a, sizeof(a)),
	    reply == NULL || reply[0] == '\0' ? "proceed" : "reject",
	    reply == NULL ? "" : reply);
}

static void
data_line(struct fline *fl, struct session *s)
{
	const char	*line = fl->param[0];
	size_t		 len = strlen(line);

	if (filter_dataline(out, fl->sidstr, fl->token, line, len) == -1)
		log_warnx("session=%s data line cannot be sent", fl->sidstr);
	if (s == NULL || !s->hdr_active)
		return;
	if (len == 1 && line[0] == '.')
		hdr_end(&s->hdr, backend, s->login, conf->delims);
	else
		hdr_line(&s->hdr, backend, s->login, conf->delims, line, len);
}

static void
commit(struct fline *fl, struct session *s)
{
	if (!s->hdr_active) {
		answer(fl, s, "header", "", NULL);
		return;
	}
	s->hdr_active = 0;
	answer(fl, s, "header", s->hdr.addr,
	    s->hdr.verdict == HDR_OK ? NULL : s->hdr.reply);
}

void
filter_request(struct fline *fl)
{
	struct session	*s;
	struct verdict	 v;
	const char	*param = fl->nparam > 0 ? fl->param[0] : "";
	char		 client[48];

	s = session_find(fl->sid);
	if (fl->what == PH_DATA_LINE) {
		data_line(fl, s);
		return;
	}
	if (fl->what == PH_CONNECT) {
		client_addr(fl->param[1], client, sizeof(client));
		if (s == NULL && (s = session_new(fl->sid, fl->sidstr)) != NULL)
			strlcpy(s->client, client, sizeof(s->client));
		policy_connect(conf, client, &v);
		answer(fl, s, v.rule, "", v.reply);
		return;
	}
	if (s == NULL) {
		/* We do not know its TLS or AUTH state: do not guess. */
		answer(fl, NULL, "session", fl->what == PH_AUTH ? "" : param,
		    "451 4.3.0 Session state unknown, try again");
		return;
	}
	switch (fl->what) {
	case PH_AUTH:
		/* The parameter holds the credentials: never logged. */
		policy_auth(conf, s, param, &v);
		answer(fl, s, v.rule, "", v.reply);
		break;
	case PH_MAIL_FROM:
		s->nrcpt = 0;
		s->hdr_active = 0;
		policy_mail(conf, backend, s, param, &v);
		if (v.reply[0] == '\0' && conf->header_check && s->authed) {
			hdr_begin(&s->hdr);
			s->hdr_active = 1;
		}
		answer(fl, s, v.rule, param, v.reply);
		break;
	case PH_RCPT_TO:
		policy_rcpt(conf, backend, s, param, &v);
		answer(fl, s, v.rule, param, v.reply);
		break;
	case PH_COMMIT:
		commit(fl, s);
		break;
	default:
		answer(fl, s, filter_phase_name(fl->what), "", NULL);
		break;
	}
}

/*
 * A filter line we could not parse.  When it names a session and a
 * token, the session still gets an answer, so that it never hangs.
 */
void
filter_bad_request(struct fline *fl, const char *errstr)
{
	log_warnx("bad filter request: %s%s", errstr,
	    fl->token != NULL ? "; refused" : "; not answered");
	if (fl->token == NULL || fl->sidstr == NULL)
		return;
	if (fl->what == PH_DATA_LINE)
		return;
	filter_result(out, fl->sidstr, fl->token, "reject",
	    "451 4.3.0 Temporary failure");
}
