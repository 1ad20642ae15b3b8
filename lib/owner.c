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
 * Who may send as what, asked of the database through the queries of
 * the table configuration: the mailaddrmap query (what a login owns, the
 * one smtpd's "senders" option reads), the owners query (who owns an
 * address) and the domain query.  Each returns 1 yes, 0 no, -1 when the
 * database cannot answer.
 *
 * An address with an extension ("user+ext@domain", recipient_delimiter)
 * is taken as its base address only when it has no owner of its own,
 * as Postfix's smtpd_sender_login_maps look the full address up first:
 * "jane+sales@example.org" may be an account of its own, not jane's.
 */

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "owner.h"

#define KEY_MAX		(ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX)

/* Does one mailaddrmap entry (n bytes at e) cover key?  smtpd's rules. */
static int
entry_matches(const char *e, size_t n, const struct addr *a, const char *key)
{
	size_t	 klen;

	if (n == 0)
		return 0;
	if (e[0] == '@')
		return a->domain[0] != '\0' && n - 1 == strlen(a->domain) &&
		    strncasecmp(e + 1, a->domain, n - 1) == 0;
	if (memchr(e, '@', n) == NULL) {
		/* A bare user name matches that user in any domain. */
		klen = strcspn(key, "@");
		return n == klen && strncasecmp(e, key, n) == 0;
	}
	return n == strlen(key) && strncasecmp(e, key, n) == 0;
}

/* Does the list of entries in value cover key?  why gets the entry. */
static int
covers(const char *list, const struct addr *a, const char *key, char *why,
    size_t whylen)
{
	const char	*p, *e;
	size_t		 n;

	for (p = list; *p != '\0'; p = e) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		e = p + strcspn(p, ", \t");
		n = e - p;
		if (entry_matches(p, n, a, key)) {
			if (n >= whylen)
				n = whylen - 1;
			memcpy(why, p, n);
			why[n] = '\0';
			return 1;
		}
	}
	return 0;
}

/*
 * Has exactly this key ("user@domain" or "@domain") an owner?  1 yes,
 * 0 no, -1 error, -2 cannot tell (no owners nor credentials query).
 * Without query_owners, an address is owned when it is a login.  The
 * answer is read into value (vlen bytes).
 */
static int
has_owner(struct backend *b, char *value, size_t vlen, const char *key,
    char *who, size_t wholen)
{
	char	 err[512], k[LOG_VALUE_MAX];
	int	 r;

	if (b->conf.query[Q_OWNERS] != NULL) {
		r = backend_lookup(b, Q_OWNERS, key, value, vlen,
		    err, sizeof(err));
		if (r == 1 && who != NULL) {
			value[strcspn(value, ",")] = '\0';
			strlcpy(who, value, wholen);
		}
	} else if (b->conf.query[Q_CREDENTIALS] != NULL) {
		if (key[0] == '@')
			return 0;
		r = backend_check(b, Q_CREDENTIALS, key, err, sizeof(err));
		if (r == 1 && who != NULL)
			strlcpy(who, key, wholen);
	} else
		return -2;
	if (r == -1)
		log_warnx("owner of %s: %s", log_escape(key, 0, k, sizeof(k)),
		    err);
	return r;
}

/*
 * What login owns (the mailaddrmap query) into value: 1, 0 nothing, -1
 * when the database cannot answer, logged as about address.
 */
static int
login_entries(struct backend *b, char *value, size_t vlen,
    const char *login, const char *address)
{
	char	 err[512], k[LOG_VALUE_MAX], l[LOG_VALUE_MAX];
	int	 r;

	r = backend_lookup(b, Q_MAILADDRMAP, login, value, vlen, err,
	    sizeof(err));
	if (r == -1)
		log_warnx("sender ownership of %s for login %s: %s",
		    log_escape(address, 0, k, sizeof(k)),
		    log_escape(login, 0, l, sizeof(l)), err);
	return r;
}

/*
 * May login send as a?  The full address first; without its extension
 * only when the full address has no owner of its own.  why gets the
 * entry of the login's that grants it.  The database's answers are read
 * into value (vlen bytes, VALUE_MAX for any).
 */
int
owner_owns(struct backend *b, char *value, size_t vlen, const char *login,
    const struct addr *a, const char *delims, char *why, size_t whylen)
{
	char	 key[KEY_MAX], full[KEY_MAX];
	int	 r;

	if (addr_key(a, delims, key, sizeof(key)) == -1 ||
	    addr_key(a, NULL, full, sizeof(full)) == -1)
		return 0;
	if ((r = login_entries(b, value, vlen, login, full)) != 1)
		return r;
	if (covers(value, a, full, why, whylen))
		return 1;
	if (strcmp(key, full) == 0)
		return 0;
	/* value is overwritten by has_owner(): ask it first. */
	if ((r = has_owner(b, value, vlen, full, NULL, 0)) == -1)
		return -1;
	if (r != 0)
		return 0;
	if ((r = login_entries(b, value, vlen, login, key)) != 1)
		return r;
	return covers(value, a, key, why, whylen);
}

/*
 * Is a owned by any login?  In Postfix's order: the full address, the
 * address without its extension, the domain ("@domain").  value as for
 * owner_owns().
 */
int
owner_anyone(struct backend *b, char *value, size_t vlen,
    const struct addr *a, const char *delims, char *why, size_t whylen)
{
	char	 key[KEY_MAX], full[KEY_MAX], dom[KEY_MAX];
	int	 r;

	if (addr_key(a, delims, key, sizeof(key)) == -1 ||
	    addr_key(a, NULL, full, sizeof(full)) == -1)
		return 0;
	if ((r = has_owner(b, value, vlen, full, why, whylen)) != 0)
		return r == -2 ? 0 : r;
	if (strcmp(key, full) != 0 &&
	    (r = has_owner(b, value, vlen, key, why, whylen)) != 0)
		return r;
	snprintf(dom, sizeof(dom), "@%s", a->domain);
	r = has_owner(b, value, vlen, dom, why, whylen);
	return r == -2 ? 0 : r;
}

/* Is domain one of ours? */
int
owner_local_domain(struct backend *b, const char *domain, char *err,
    size_t errlen)
{
	char	 d[LOG_VALUE_MAX];
	int	 r;

	if ((r = backend_check(b, Q_DOMAIN, domain, err, errlen)) == -1)
		log_warnx("local domain %s: %s",
		    log_escape(domain, 0, d, sizeof(d)), err);
	return r;
}
