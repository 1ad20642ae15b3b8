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
 * The report events: they only update what we know of a session.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "submission.h"

/*
 * The client address alone: "1.2.3.4:25", "[::1]:25" (reports), "1.2.3.4",
 * "[::1]" (the connect phase) to "1.2.3.4", "::1"; "unix:..." and
 * "local" to "local".
 */
void
client_addr(const char *src, char *buf, size_t len)
{
	const char	*e;
	size_t		 n;

	if (strncmp(src, "unix:", 5) == 0 || strcmp(src, "local") == 0) {
		strlcpy(buf, "local", len);
		return;
	}
	if (src[0] == '[' && (e = strchr(src, ']')) != NULL) {
		src++;
		n = e - src;
	} else if ((e = strchr(src, ':')) != NULL && strchr(e + 1, ':') == NULL)
		n = e - src;
	else
		n = strlen(src);
	if (n >= len)
		n = len - 1;
	memcpy(buf, src, n);
	buf[n] = '\0';
}

static int
has_cntrl(const char *s)
{
	for (; *s != '\0'; s++)
		if (iscntrl((unsigned char)*s))
			return 1;
	return 0;
}

static void
link_auth(struct fconf *c, struct session *s, struct fline *fl)
{
	const char	*result = fl->param[0], *user = fl->param[1];
	char		 decoded[256], cl[LOG_VALUE_MAX], lg[LOG_VALUE_MAX];

	/* Decoding never makes it longer. */
	if (strlen(user) >= sizeof(decoded) ||
	    strunvis(decoded, user) == -1 || decoded[0] == '\0') {
		if (strcmp(result, "pass") == 0)
			log_warnx("session=%s login cannot be decoded: "
			    "treated as not logged in", s->sid);
		s->authed = 0;
		/* A failure still counts, under the name as sent. */
		strlcpy(decoded, user, sizeof(decoded));
		if (strcmp(result, "pass") == 0)
			result = "fail";
	} else if (strcmp(result, "pass") == 0 && has_cntrl(decoded)) {
		/*
		 * smtpd before 7.8.0p1 lets a newline into a user name, and a
		 * table may answer for the part before it: no such login.
		 */
		log_warnx("session=%s login holds a control character: "
		    "treated as not logged in", s->sid);
		s->authed = 0;
		result = "fail";
	} else if (strcmp(result, "pass") == 0) {
		addr_lower(decoded);
		strlcpy(s->login, decoded, sizeof(s->login));
		s->authed = 1;
	}
	authlimit_result(c, s, result, decoded);
	/*
	 * Every AUTH result, at notice.  For fail2ban(1): the address
	 * smtpd reported first, the login last, where a line cut at its
	 * length cannot lose the rest; it counts result=fail only.
	 */
	log_notice("session=%s client=%s event=auth result=%s login=%s",
	    s->sid, log_escape(s->client, 0, cl, sizeof(cl)),
	    strcmp(result, "pass") == 0 ? "pass" :
	    strcmp(result, "fail") == 0 ? "fail" : "error",
	    log_escape(decoded, 0, lg, sizeof(lg)));
	explicit_bzero(decoded, sizeof(decoded));
}

/*
 * The sender of a transaction as smtpd takes it from the raw text it
 * reports (as policy.c judged it: "x:john" is john@<host name>); the
 * raw text when it cannot be derived.
 */
static int
tx_sender(struct session *s, const char *raw)
{
	struct addr	 a;
	const char	*errstr;
	char		 from[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX];

	if (addr_envelope(raw, s->hostname, &a, &errstr) == -1)
		strlcpy(from, raw, sizeof(from));
	else if (a.null)
		from[0] = '\0';
	else
		snprintf(from, sizeof(from), "%s%s%s", a.local,
		    a.domain[0] != '\0' ? "@" : "", a.domain);
	free(s->txfrom);
	if ((s->txfrom = strdup(from)) == NULL) {
		log_warn("session=%s", s->sid);
		return -1;
	}
	return 0;
}

/*
 * smtpd's own account of a transaction: its sender (tx-mail), the
 * recipients it took (tx-rcpt), and the message it accepted, after its
 * 250 reply (tx-commit).  Each accepted message is one line at info,
 * where the decisions that let it through are at debug: the line an
 * admin reads.  fail2ban matches none of it (event=message).
 */
static void
tx_event(struct session *s, struct fline *fl)
{
	const char	*msgid = fl->param[0], *size;
	char		 cl[LOG_VALUE_MAX], lg[LOG_VALUE_MAX];
	char		 fr[LOG_VALUE_MAX], id[LOG_VALUE_MAX];

	switch (fl->what) {
	case EV_TX_MAIL:
		s->txid[0] = '\0';
		s->txrcpt = 0;
		if (strcmp(fl->param[1], "ok") != 0)
			return;
		/* Without its sender, the message is not logged at all. */
		if (tx_sender(s, fl->param[2]) == 0)
			strlcpy(s->txid, msgid, sizeof(s->txid));
		return;
	case EV_TX_RCPT:
		if (s->txid[0] != '\0' && strcmp(s->txid, msgid) == 0 &&
		    strcmp(fl->param[1], "ok") == 0)
			s->txrcpt++;
		return;
	}
	if (s->txid[0] == '\0' || strcmp(s->txid, msgid) != 0)
		return;
	size = fl->param[1];
	if (size[0] == '\0' || size[strspn(size, "0123456789")] != '\0')
		size = "-";
	log_info("session=%s client=%s event=message result=accept "
	    "login=%s from=<%s> rcpt=%d size=%s msgid=%s", s->sid,
	    log_escape(s->client, 0, cl, sizeof(cl)),
	    log_escape(s->authed ? s->login : NULL, 0, lg, sizeof(lg)),
	    s->txfrom[0] == '\0' ? "" :
	    log_escape(s->txfrom, 0, fr, sizeof(fr)),
	    s->txrcpt, size, log_escape(msgid, 0, id, sizeof(id)));
	s->txid[0] = '\0';
}

void
report_event(struct filter *f, struct fline *fl)
{
	struct fconf	*c = &f->conf;

	struct session	*s;

	if (fl->what == EV_LINK_CONNECT) {
		if ((s = session_new(fl->sid, fl->sidstr)) != NULL) {
			client_addr(fl->param[2], s->client, sizeof(s->client));
			s->exempt = netlist_match(&c->auth_fail_exempt,
			    s->client);
		}
		return;
	}
	if ((s = session_find(fl->sid)) == NULL) {
		if (fl->what != EV_OTHER)
			log_debug("session=%s unknown in %s", fl->sidstr,
			    fl->name);
		return;
	}
	switch (fl->what) {
	case EV_LINK_DISCONNECT:
		session_free(s);
		break;
	case EV_LINK_GREETING:
		if (strlcpy(s->hostname, fl->param[0], sizeof(s->hostname)) >=
		    sizeof(s->hostname))
			s->hostname[0] = '\0';
		break;
	case EV_LINK_TLS:
		s->tls = 1;
		break;
	case EV_LINK_AUTH:
		link_auth(c, s, fl);
		break;
	case EV_TX_MAIL:
	case EV_TX_RCPT:
	case EV_TX_COMMIT:
		tx_event(s, fl);
		break;
	default:
		break;
	}
}
