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
 * What table-sqlite answers, whatever protocol smtpd speaks: one check,
 * lookup or fetch handed to the database side, and its result.  Both
 * protocol modules (proto_text.c, proto_imsg.c) take their answers from here
 * and only put them into their own replies, so that the same database
 * gives the same answers to every smtpd.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "authlock.h"
#include "log.h"
#include "table_sqlite.h"

/* The query that answers each service; auth has none (auth.c). */
static const int service_query[SVC_MAX] = {
	[SVC_ALIAS] = Q_ALIAS,
	[SVC_DOMAIN] = Q_DOMAIN,
	[SVC_CREDENTIALS] = Q_CREDENTIALS,
	[SVC_NETADDR] = Q_NETADDR,
	[SVC_USERINFO] = Q_USERINFO,
	[SVC_SOURCE] = Q_SOURCE,
	[SVC_MAILADDR] = Q_MAILADDR,
	[SVC_ADDRNAME] = Q_ADDRNAME,
	[SVC_MAILADDRMAP] = Q_MAILADDRMAP,
	[SVC_AUTH] = -1,
};

/* The services the configuration of b serves, as a mask of 1 << service. */
int
table_services(struct backend *b)
{
	int	 s, mask = 0;

	for (s = 0; s < SVC_MAX; s++)
		if (service_query[s] != -1 &&
		    b->conf.query[service_query[s]] != NULL)
			mask |= 1 << s;
	if (b->conf.fetch_source != NULL)
		mask |= 1 << SVC_SOURCE;
	if (b->conf.auth_offload)
		mask |= 1 << SVC_AUTH;
	return mask;
}

/*
 * Is the login of a credentials lookup or an auth check ("login:pass")
 * locked out in auth_lock_dir?  1 yes (logged), 0 no, -1 when the
 * lockouts cannot be read: AUTH then fails temporarily, never past a
 * lockout.  Without the directory there are none.
 */
static int
locked_out(struct backend *b, int service, const char *key, size_t keylen,
    char *err, size_t errlen)
{
	static int			 told;
	const char			*colon;
	char				 login[AUTHLOCK_LOGIN_MAX];
	char				 e[LOG_VALUE_MAX];
	size_t				 n = keylen;
	time_t				 now = time(NULL);
	int				 r;

	if (service == SVC_AUTH && (colon = memchr(key, ':', keylen)) != NULL)
		n = colon - key;
	/* The login's own file: the same cost whatever the directory holds. */
	r = authlock_held(b->conf.auth_lock_dir, key, n, now);
	if (r == -1 && errno == ENOENT) {
		if (!told++)
			log_info("auth_lock_dir %s does not exist: failed-AUTH "
			    "lockouts hold only for what the filter sees",
			    b->conf.auth_lock_dir);
		return 0;
	}
	if (r == -1) {
		snprintf(err, errlen, "auth_lock_dir %s: %s; give smtpd's "
		    "user read access", b->conf.auth_lock_dir,
		    strerror(errno));
		return -1;
	}
	if (r == 1) {
		if (n >= sizeof(login))
			n = sizeof(login) - 1;
		memcpy(login, key, n);
		login[n] = '\0';
		log_notice("auth %s: locked out after failed AUTH attempts, "
		    "refused", log_escape(login, 0, e, sizeof(e)));
		explicit_bzero(login, sizeof(login));
	}
	return r;
}

/*
 * smtpd reads an alias or mailaddrmap answer as a list split at commas
 * outside quotes (expand_line_split(), mailaddr_line_split()), and ' is
 * an atext character: "o'brien@example.com" made the rest of the answer
 * one quoted string, and smtpd failed the lookup.  Each ' is answered
 * "\'", which smtpd reads as the character.  Returns -1 when the
 * answer no longer fits in vlen bytes.
 */
static int
escape_quotes(char *val, size_t vlen, char *err, size_t errlen)
{
	size_t	 n, extra = 0;
	char	*p;

	for (p = val; (p = strchr(p, '\'')) != NULL; p++)
		extra++;
	if (extra == 0)
		return 0;
	n = strlen(val);
	if (n + extra >= vlen) {
		snprintf(err, errlen, "answer too long once its quotes are "
		    "escaped");
		return -1;
	}
	val[n + extra] = '\0';
	while (n > 0) {
		val[n - 1 + extra] = val[n - 1];
		if (val[n - 1] == '\'')
			val[n - 1 + --extra] = '\\';
		n--;
	}
	return 0;
}

/*
 * Answer the question q, given the services the configuration serves
 * (table_services()): the value of a lookup or a fetch into lk.
 */
enum lookup_result
table_answer(struct backend *b, int services, const struct table_query *q,
    struct lookup *lk)
{
	enum lookup_result	 r;
	int			 service = q->service;

	lk->err[0] = '\0';
	if (service < 0 || service >= SVC_MAX ||
	    (services & (1 << service)) == 0) {
		snprintf(lk->err, sizeof(lk->err), "service %s is not "
		    "configured", table_service_name(service));
		return LOOKUP_ERROR;
	}
	if (q->op == OP_FETCH) {
		if (service != SVC_SOURCE) {
			snprintf(lk->err, sizeof(lk->err), "fetch is only for "
			    "the source service");
			return LOOKUP_ERROR;
		}
		return backend_fetch(b, lk);
	}
	if (service == SVC_AUTH || service == SVC_CREDENTIALS) {
		switch (locked_out(b, service, q->key, q->keylen, lk->err,
		    sizeof(lk->err))) {
		case 1:
			return LOOKUP_NOTFOUND;
		case -1:
			return LOOKUP_ERROR;
		}
	}
	if (service == SVC_AUTH) {
		if (q->op != OP_CHECK) {
			snprintf(lk->err, sizeof(lk->err), "auth answers check "
			    "only");
			return LOOKUP_ERROR;
		}
		return auth_check(b, q->key, q->keylen, lk->err,
		    sizeof(lk->err));
	}
	if (q->op == OP_CHECK)
		return backend_check(b, service_query[service], q->key,
		    lk->err, sizeof(lk->err));
	r = backend_lookup(b, service_query[service], q->key, lk);
	if (r == LOOKUP_FOUND && (service == SVC_ALIAS ||
	    service == SVC_MAILADDRMAP) &&
	    escape_quotes(lk->val, lk->vlen, lk->err, sizeof(lk->err)) == -1)
		return LOOKUP_ERROR;
	return r;
}
