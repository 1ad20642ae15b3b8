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
 * The decisions: given what we know of a session, what to answer at
 * AUTH, MAIL FROM and RCPT TO.  An empty reply means proceed.  When the
 * database cannot answer, the reply is a temporary failure.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "submission.h"

static struct limit	*authfail, *messages, *recipients;

void
policy_init(struct fconf *c)
{
	if (c->auth_fail_limit > 0)
		authfail = limit_new(c->auth_fail_window, 10000);
	if (c->messages_per_hour > 0)
		messages = limit_new(3600, 10000);
	if (c->recipients_per_hour > 0)
		recipients = limit_new(3600, 10000);
}

static void
verdict(struct verdict *v, const char *rule, const char *fmt, ...)
	__attribute__((__format__ (printf, 3, 4)));

static void
verdict(struct verdict *v, const char *rule, const char *fmt, ...)
{
	va_list	 ap;

	v->rule = rule;
	va_start(ap, fmt);
	vsnprintf(v->reply, sizeof(v->reply), fmt, ap);
	va_end(ap);
}

static void
proceed(struct verdict *v, const char *rule)
{
	v->rule = rule;
	v->reply[0] = '\0';
}

/*
 * A client past the failed-AUTH limit is turned away at connection time:
 * smtpd logs a refused AUTH command with its argument, credentials
 * included, so a refusal at AUTH is kept for commands that carry none.
 */
void
policy_connect(struct fconf *c, const char *client, struct verdict *v)
{
	if (authfail != NULL && limit_count(authfail, client, time(NULL)) >=
	    c->auth_fail_limit) {
		verdict(v, "auth-limit", "421 4.7.0 Error: too many failed "
		    "AUTH attempts from %s", client);
		return;
	}
	proceed(v, "connect");
}

void
policy_auth(struct fconf *c, struct session *s, const char *arg,
    struct verdict *v)
{
	if (c->require_tls && !s->tls) {
		verdict(v, "tls", "530 5.7.0 Must issue a STARTTLS command "
		    "first");
		return;
	}
	if (authfail != NULL && strchr(arg, ' ') == NULL &&
	    limit_count(authfail, s->client, time(NULL)) >= c->auth_fail_limit) {
		verdict(v, "auth-limit", "454 4.7.0 Error: too many failed "
		    "AUTH attempts from %s", s->client);
		return;
	}
	proceed(v, "auth");
}

/* A failed AUTH counts against the client address. */
void
policy_auth_result(struct fconf *c, struct session *s, int pass)
{
	if (!pass && authfail != NULL)
		limit_add(authfail, s->client, time(NULL));
}

void
policy_mail(struct fconf *c, struct backend *b, struct session *s,
    const char *raw, struct verdict *v)
{
	struct addr	 a;
	const char	*errstr;
	char		 why[320];
	int		 r;

	if (c->require_tls && !s->tls) {
		verdict(v, "tls", "530 5.7.0 Must issue a STARTTLS command "
		    "first");
		return;
	}
	if (c->mode == MODE_SUBMISSION && c->require_auth && !s->authed) {
		verdict(v, "auth", "530 5.7.0 Authentication required");
		return;
	}
	if (addr_parse(raw, &a, &errstr) == -1) {
		verdict(v, "syntax", "553 5.1.7 <%s>: Sender address "
		    "rejected: %s", raw, errstr);
		return;
	}
	if (a.null) {
		if (!c->null_sender)
			verdict(v, "null-sender", "553 5.7.1 <>: Sender "
			    "address rejected: null sender not allowed");
		else
			proceed(v, "null-sender");
		return;
	}
	if (s->authed && c->sender_check) {
		r = owner_owns(b, s->login, &a, c->delims, why, sizeof(why));
		if (r == -1) {
			verdict(v, "sender-login", "451 4.3.0 <%s>: Temporary "
			    "lookup failure", raw);
			return;
		}
		if (r == 0) {
			verdict(v, "sender-login", "553 5.7.1 <%s>: Sender "
			    "address rejected: not owned by user %s", raw,
			    s->login);
			return;
		}
	}
	if (!s->authed && c->mode == MODE_MX && c->unauth_sender_check) {
		r = owner_anyone(b, &a, c->delims, why, sizeof(why));
		if (r == -1) {
			verdict(v, "sender-login", "451 4.3.0 <%s>: Temporary "
			    "lookup failure", raw);
			return;
		}
		if (r == 1) {
			verdict(v, "sender-login", "553 5.7.1 <%s>: Sender "
			    "address rejected: not logged in", raw);
			return;
		}
	}
	if (s->authed && messages != NULL) {
		if (limit_count(messages, s->login, time(NULL)) >=
		    c->messages_per_hour) {
			verdict(v, "message-rate", "450 4.7.1 Error: too much "
			    "mail from %s", s->login);
			return;
		}
		limit_add(messages, s->login, time(NULL));
	}
	proceed(v, s->authed ? "sender-login" : "sender");
}

void
policy_rcpt(struct fconf *c, struct backend *b, struct session *s,
    const char *raw, struct verdict *v)
{
	struct addr	 a;
	const char	*errstr;
	char		 err[512];
	int		 r;

	if (c->mode == MODE_SUBMISSION && c->require_auth && !s->authed) {
		verdict(v, "auth", "530 5.7.0 Authentication required");
		return;
	}
	if (!s->authed && c->relay_check) {
		/* Sender-specified routing is never relayed. */
		if (addr_parse(raw, &a, &errstr) == -1 || a.null ||
		    a.routed || a.quoted || a.literal) {
			verdict(v, "relay", "554 5.7.1 <%s>: Relay access "
			    "denied", raw);
			return;
		}
		if (a.domain[0] != '\0') {
			r = owner_local_domain(b, a.domain, err, sizeof(err));
			if (r == -1) {
				verdict(v, "relay", "451 4.3.0 <%s>: Temporary "
				    "lookup failure", raw);
				return;
			}
			if (r == 0) {
				verdict(v, "relay", "554 5.7.1 <%s>: Relay "
				    "access denied", raw);
				return;
			}
		}
	}
	if (c->recipients_per_message > 0 &&
	    s->nrcpt >= c->recipients_per_message) {
		verdict(v, "recipient-limit", "452 4.5.3 Error: too many "
		    "recipients");
		return;
	}
	if (s->authed && recipients != NULL) {
		if (limit_count(recipients, s->login, time(NULL)) >=
		    c->recipients_per_hour) {
			verdict(v, "recipient-rate", "450 4.7.1 Error: too "
			    "many recipients from %s", s->login);
			return;
		}
		limit_add(recipients, s->login, time(NULL));
	}
	s->nrcpt++;
	proceed(v, s->authed ? "relay-auth" : "relay");
}
