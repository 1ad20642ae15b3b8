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
#include <strings.h>
#include <time.h>

#include "log.h"
#include "submission.h"

static struct limit	*messages, *recipients;

void
policy_init(struct filter *f)
{
	authlimit_init(&f->conf);
	if (f->conf.messages_per_hour > 0 &&
	    (messages = limit_new(3600, 10000)) == NULL)
		fatalx("out of memory for messages_per_hour");
	if (f->conf.recipients_per_hour > 0 &&
	    (recipients = limit_new(3600, 10000)) == NULL)
		fatalx("out of memory for recipients_per_hour");
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
 * The refusals of the failed-AUTH limits: the client's own failures are
 * told as such (fail2ban counts them); those caused by others' failures
 * are temporary and say so, under rules fail2ban does not match.
 */
static int
auth_limited(struct session *s, int why, struct verdict *v)
{
	switch (why) {
	case AL_OWN:
		verdict(v, "auth-limit", "421 4.7.0 Error: too many failed "
		    "AUTH attempts from %s", s->client);
		return 1;
	case AL_NET:
		verdict(v, "auth-network", "421 4.7.0 Too many failed AUTH "
		    "attempts from your network, try again later");
		return 1;
	case AL_LOGIN:
		verdict(v, "auth-lockout", "454 4.7.0 Temporary "
		    "authentication failure, try again later");
		/*
		 * What the client does next without AUTH (its MAIL FROM
		 * refused for want of it) follows from this refusal, not
		 * from its own doing: fail2ban's aggressive mode, which
		 * counts the first refusal of a session, counts none here.
		 */
		s->refusals++;
		return 1;
	case AL_ERROR:
		verdict(v, "auth", "454 4.7.0 Temporary "
		    "authentication failure, try again later");
		return 1;
	}
	return 0;
}

/* A client past the failed-AUTH limit is turned away at connection. */
void
policy_connect(struct filter *f, struct session *s, struct verdict *v)
{
	if (auth_limited(s, authlimit_client_over(&f->conf, s), v))
		return;
	proceed(v, "connect");
}

/*
 * smtpd logs a command a filter refuses with its argument, the
 * credentials of AUTH PLAIN included.  So AUTH is refused only past the
 * limits: a refusal for the client's own failures ends the session
 * (421), one for a login closed to new networks is temporary (454).
 */
void
policy_auth(struct filter *f, struct session *s, const char *arg,
    struct verdict *v)
{
	struct fconf	*c = &f->conf;

	if (c->require_tls && !s->tls) {
		verdict(v, "tls", "530 5.7.0 Must issue a STARTTLS command "
		    "first");
		return;
	}
	if (auth_limited(s, authlimit_auth_over(c, s, arg), v))
		return;
	proceed(v, "auth");
}

/* Submission without AUTH: 1 with the verdict, for MAIL FROM and RCPT TO. */
static int
refused_login(struct fconf *c, struct session *s, struct verdict *v)
{
	if (c->mode == MODE_SUBMISSION && c->require_auth && !s->authed) {
		verdict(v, "auth", "530 5.7.0 Authentication required");
		return 1;
	}
	return 0;
}

/* What envelope() makes of an address. */
enum envelope {
	ENV_OK,		/* the address, in a */
	ENV_DEFERRED,	/* the verdict: a temporary failure */
	ENV_INVALID,	/* why in *errstr */
};

/*
 * raw as smtpd derives it, completed with smtpd's host name when it has
 * no domain: ENV_OK with a; ENV_DEFERRED with the verdict (a temporary
 * failure under rule) when that name is needed and not known;
 * ENV_INVALID with *errstr when raw cannot be derived.  role ("Sender")
 * names the address in replies.
 */
static enum envelope
envelope(struct session *s, const char *raw, const char *rule,
    const char *role, struct addr *a, const char **errstr, struct verdict *v)
{
	if (addr_envelope(raw, s->hostname, a, errstr) == 0)
		return ENV_OK;
	if (s->hostname[0] == '\0' && strchr(raw, '@') == NULL) {
		verdict(v, rule, "451 4.3.0 <%s>: %s address has no domain and "
		    "the server name is not known; try again", raw, role);
		return ENV_DEFERRED;
	}
	return ENV_INVALID;
}

/*
 * The rate limits of a login: one more of what l counts, within max,
 * or -1 and 450 "too <what>" under rule.
 */
static int
count_login(struct limit *l, int max, struct session *s, const char *rule,
    const char *what, struct verdict *v)
{
	if (!s->authed || l == NULL)
		return 0;
	if (limit_count(l, s->login, time(NULL)) >= max) {
		verdict(v, rule, "450 4.7.1 Error: too %s from %s", what,
		    s->login);
		return -1;
	}
	limit_add(l, s->login, time(NULL));
	return 0;
}

/* One message more, or 450. */
static int
count_message(struct fconf *c, struct session *s, struct verdict *v)
{
	return count_login(messages, c->messages_per_hour, s, "message-rate",
	    "much mail", v);
}

/*
 * The sender, as smtpd will use it: derived from the raw text the way
 * smtpd derives it, completed with smtpd's host name when it has no
 * domain.  What cannot be derived is refused, or deferred when only the
 * host name is missing.
 */
void
policy_mail(struct filter *f, struct session *s, const char *raw,
    struct verdict *v)
{
	struct fconf	*c = &f->conf;
	struct backend	*b = f->backend;
	struct addr	 a;
	const char	*errstr;
	char		 why[320], sender[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX];
	enum envelope	 e;
	enum own	 own;
	int		 refused;

	if (c->require_tls && !s->tls) {
		verdict(v, "tls", "530 5.7.0 Must issue a STARTTLS command "
		    "first");
		return;
	}
	if (refused_login(c, s, v))
		return;
	if ((e = envelope(s, raw, "syntax", "Sender", &a, &errstr, v)) ==
	    ENV_INVALID)
		verdict(v, "syntax", "553 5.1.7 <%s>: Sender address "
		    "rejected: %s", raw, errstr);
	if (e != ENV_OK)
		return;
	if (a.null) {
		if (!c->null_sender) {
			verdict(v, "null-sender", "553 5.7.1 <>: Sender "
			    "address rejected: null sender not allowed");
			return;
		}
		if (count_message(c, s, v) == -1)
			return;
		proceed(v, "null-sender");
		return;
	}
	/* The sender as smtpd keeps it, for the replies. */
	snprintf(sender, sizeof(sender), "%s@%s", a.local, a.domain);
	/*
	 * A login sends as what it owns; without AUTH, an MX takes no
	 * address some login owns.
	 */
	own = OWN_NO;
	refused = 0;
	if (s->authed && c->sender_check) {
		own = owner_owns(b, s->login, &a, c->delims, why, sizeof(why));
		refused = own == OWN_NO;
	} else if (!s->authed && c->mode == MODE_MX &&
	    c->unauth_sender_check) {
		own = owner_anyone(b, &a, c->delims, why, sizeof(why));
		refused = own == OWN_YES;
	}
	if (own == OWN_TEMPFAIL) {
		verdict(v, "sender-login", "451 4.3.0 <%s>: Temporary lookup "
		    "failure", sender);
		return;
	}
	if (refused) {
		verdict(v, "sender-login", "553 5.7.1 <%s>: Sender address "
		    "rejected: %s%s", sender, s->authed ? "not owned by user " :
		    "not logged in", s->authed ? s->login : "");
		return;
	}
	if (count_message(c, s, v) == -1)
		return;
	proceed(v, s->authed ? "sender-login" : "sender");
}

/*
 * Relay: without AUTH, a recipient must be in a local domain, or be
 * smtpd's own host name.  Sender-specified routing is never relayed.
 */
static int
relay_check(struct fconf *c, struct backend *b, struct session *s,
    const char *raw, struct verdict *v)
{
	struct addr	 a;
	const char	*errstr;
	enum envelope	 e;

	if ((e = envelope(s, raw, "relay", "Recipient", &a, &errstr,
	    v)) == ENV_INVALID)
		verdict(v, "relay", "554 5.7.1 <%s>: Relay access denied",
		    raw);
	if (e != ENV_OK)
		return -1;
	if (a.null || a.routed || a.literal) {
		verdict(v, "relay", "554 5.7.1 <%s>: Relay access denied",
		    raw);
		return -1;
	}
	if (strcasecmp(a.domain, s->hostname) == 0)
		return 0;
	switch (owner_local_domain(b, a.domain)) {
	case OWN_TEMPFAIL:
		verdict(v, "relay", "451 4.3.0 <%s>: Temporary lookup failure",
		    raw);
		return -1;
	case OWN_NO:
		verdict(v, "relay", "554 5.7.1 <%s>: Relay access denied",
		    raw);
		return -1;
	case OWN_YES:
		break;
	}
	return 0;
}

void
policy_rcpt(struct filter *f, struct session *s, const char *raw,
    struct verdict *v)
{
	struct fconf	*c = &f->conf;
	struct backend	*b = f->backend;

	if (refused_login(c, s, v))
		return;
	if (!s->authed && c->relay_check &&
	    relay_check(c, b, s, raw, v) == -1)
		return;
	if (c->recipients_per_message > 0 &&
	    s->nrcpt >= c->recipients_per_message) {
		verdict(v, "recipient-limit", "452 4.5.3 Error: too many "
		    "recipients");
		return;
	}
	if (count_login(recipients, c->recipients_per_hour, s,
	    "recipient-rate", "many recipients", v) == -1)
		return;
	s->nrcpt++;
	proceed(v, s->authed ? "relay-auth" : "relay");
}
