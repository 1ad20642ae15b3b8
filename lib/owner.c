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
 */

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "owner.h"

static char	 value[VALUE_MAX];

/* Does one mailaddrmap entry cover the address? (smtpd's rules) */
static int
entry_matches(const char *e, size_t n, const struct addr *a,
    const char *key, const char *full)
{
	const char	*at;
	size_t		 klen;

	if (n == 0)
		return 0;
	if (e[0] == '@')
		return a->domain[0] != '\0' && n - 1 == strlen(a->domain) &&
		    strncasecmp(e + 1, a->domain, n - 1) == 0;
	if ((at = memchr(e, '@', n)) == NULL) {
		/* A bare user name matches that user in any domain. */
		klen = strcspn(key, "@");
		return n == klen && strncasecmp(e, key, n) == 0;
	}
	return (n == strlen(key) && strncasecmp(e, key, n) == 0) ||
	    (n == strlen(full) && strncasecmp(e, full, n) == 0);
}

/*
 * May login send as a?  The address is tried as it is and without its
 * extension; why gets the entry that grants it.
 */
int
owner_owns(struct backend *b, const char *login, const struct addr *a,
    const char *delims, char *why, size_t whylen)
{
	char	 key[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX];
	char	 full[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX], err[512];
	char	*p, *e;
	size_t	 n;
	int	 r;

	if (addr_key(a, delims, key, sizeof(key)) == -1 ||
	    addr_key(a, NULL, full, sizeof(full)) == -1)
		return 0;
	r = backend_lookup(b, SVC_MAILADDRMAP, login, value, sizeof(value),
	    err, sizeof(err));
	if (r == -1) {
		log_warnx("sender ownership of %s for login %s: %s", key,
		    login, err);
		return -1;
	}
	if (r == 0)
		return 0;
	for (p = value; *p != '\0'; p = e) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		e = p + strcspn(p, ", \t");
		n = e - p;
		if (entry_matches(p, n, a, key, full)) {
			if (n >= whylen)
				n = whylen - 1;
			memcpy(why, p, n);
			why[n] = '\0';
			return 1;
		}
	}
	return 0;
}

/* Is a owned by any login?  Needs query_owners, or a credentials query. */
int
owner_anyone(struct backend *b, const struct addr *a, const char *delims,
    char *why, size_t whylen)
{
	char	 key[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX], err[512];
	int	 r;

	if (addr_key(a, delims, key, sizeof(key)) == -1)
		return 0;
	if (b->conf.query[Q_OWNERS] != NULL) {
		r = backend_lookup(b, Q_OWNERS, key, value, sizeof(value),
		    err, sizeof(err));
		if (r == 1) {
			value[strcspn(value, ",")] = '\0';
			strlcpy(why, value, whylen);
		}
	} else if (b->conf.query[SVC_CREDENTIALS] != NULL) {
		r = backend_check(b, SVC_CREDENTIALS, key, err, sizeof(err));
		if (r == 1)
			strlcpy(why, key, whylen);
	} else
		return 0;
	if (r == -1)
		log_warnx("owner of %s: %s", key, err);
	return r;
}

/* Is domain one of ours? */
int
owner_local_domain(struct backend *b, const char *domain, char *err,
    size_t errlen)
{
	int	 r;

	if ((r = backend_check(b, SVC_DOMAIN, domain, err, errlen)) == -1)
		log_warnx("local domain %s: %s", domain, err);
	return r;
}
