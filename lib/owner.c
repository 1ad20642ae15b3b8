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
 * the table configuration: the owners query (who owns an address), the
 * mailaddrmap query (what a login owns, the one smtpd's "senders" option
 * reads) and the domain query.  Each returns 1 yes, 0 no, -1 when the
 * database cannot answer.
 *
 * Ownership is read as Postfix reads smtpd_sender_login_maps: the keys
 * of an address are looked up in turn, the full address, the address
 * without its extension ("user+ext@domain", recipient_delimiter), then
 * "@domain", and the first key that has owners decides which logins may
 * use the address.  So an address with an owner of its own is owned by
 * exactly those logins, and a grant of "@domain" covers only the
 * addresses of the domain that have none: "jane+sales@example.org" may
 * be an account of its own, not jane's, and bob@ stays bob's whoever
 * holds "@example.org".  A grant of every address of a domain, other
 * users' included, is asked for as "*@domain" and is looked at first.
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

/* Is login one of the owners listed in list ("a, b,c")? */
static int
listed(const char *list, const char *login)
{
	const char	*p, *e;
	size_t		 n = strlen(login);

	for (p = list; *p != '\0'; p = e) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		e = p + strcspn(p, ", \t");
		if ((size_t)(e - p) == n && strncasecmp(p, login, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * Does Postfix split this local part at a delimiter (split_addr())?
 * Never postmaster, mailer-daemon and double-bounce; with '-' among the
 * delimiters, not owner-* and *-request either (owner_request_special,
 * yes by default).
 */
static int
splits(const char *local, const char *delims)
{
	size_t	 n = strlen(local);

	if (delims == NULL || delims[0] == '\0' ||
	    strcasecmp(local, "postmaster") == 0 ||
	    strcasecmp(local, "mailer-daemon") == 0 ||
	    strcasecmp(local, "double-bounce") == 0)
		return 0;
	if (strchr(delims, '-') != NULL &&
	    (strncasecmp(local, "owner-", 6) == 0 ||
	    (n > 8 && strcasecmp(local + n - 8, "-request") == 0)))
		return 0;
	return 1;
}

/*
 * The keys of a in Postfix's order: the full address, the address
 * without its extension when it has one, "@domain" when it has a domain.
 * Returns how many, or -1 when the address does not fit.
 */
static int
owner_keys(const struct addr *a, const char *delims,
    char keys[3][KEY_MAX])
{
	int	 n = 0;

	if (addr_key(a, NULL, keys[0], KEY_MAX) == -1 ||
	    addr_key(a, splits(a->local, delims) ? delims : NULL, keys[1],
	    KEY_MAX) == -1)
		return -1;
	n = strcmp(keys[0], keys[1]) == 0 ? 1 : 2;
	if (a->domain[0] != '\0')
		snprintf(keys[n++], KEY_MAX, "@%s", a->domain);
	return n;
}

/*
 * May login send as a?  A grant of every address of the domain first;
 * then the first key of a that has owners decides; an address none of
 * whose keys has an owner is the login's when its mailaddrmap entries
 * cover it, by smtpd's rules.  why gets the key (or the entry) that
 * grants it.  The database's answers are read into value (vlen bytes,
 * VALUE_MAX for any).
 */
int
owner_owns(struct backend *b, char *value, size_t vlen, const char *login,
    const struct addr *a, const char *delims, char *why, size_t whylen)
{
	char	 keys[3][KEY_MAX], every[KEY_MAX];
	int	 i, n, r;

	if ((n = owner_keys(a, delims, keys)) == -1)
		return 0;
	if (b->conf.query[Q_OWNERS] != NULL && a->domain[0] != '\0') {
		snprintf(every, sizeof(every), "*@%s", a->domain);
		if ((r = has_owner(b, value, vlen, every, NULL, 0)) == -1)
			return -1;
		if (r == 1 && listed(value, login)) {
			strlcpy(why, every, whylen);
			return 1;
		}
	}
	for (i = 0; i < n; i++) {
		/*
		 * The address "*@domain" itself: its key is the grant's,
		 * looked at above, and no owner of its own.
		 */
		if (b->conf.query[Q_OWNERS] != NULL &&
		    strncmp(keys[i], "*@", 2) == 0)
			continue;
		if ((r = has_owner(b, value, vlen, keys[i], NULL, 0)) == -1)
			return -1;
		if (r == -2)
			break;
		if (r == 0)
			continue;
		/* Without query_owners, the owner of a login is itself. */
		if (b->conf.query[Q_OWNERS] == NULL ?
		    strcasecmp(keys[i], login) == 0 : listed(value, login)) {
			strlcpy(why, keys[i], whylen);
			return 1;
		}
		return 0;
	}
	/* No key has an owner: the login's own entries. */
	if ((r = login_entries(b, value, vlen, login, keys[0])) != 1)
		return r;
	if (covers(value, a, keys[0], why, whylen))
		return 1;
	if (n == 1 || keys[1][0] == '@')
		return 0;
	return covers(value, a, keys[1], why, whylen);
}

/*
 * Is a owned by any login?  In Postfix's order: the full address, the
 * address without its extension, the domain ("@domain"); then a grant
 * of every address of the domain ("*@domain").  value as for
 * owner_owns().
 */
int
owner_anyone(struct backend *b, char *value, size_t vlen,
    const struct addr *a, const char *delims, char *why, size_t whylen)
{
	char	 keys[3][KEY_MAX], every[KEY_MAX];
	int	 i, n, r;

	if ((n = owner_keys(a, delims, keys)) == -1)
		return 0;
	for (i = 0; i < n; i++)
		if ((r = has_owner(b, value, vlen, keys[i], why, whylen)) != 0)
			return r == -2 ? 0 : r;
	if (b->conf.query[Q_OWNERS] == NULL || a->domain[0] == '\0')
		return 0;
	snprintf(every, sizeof(every), "*@%s", a->domain);
	return has_owner(b, value, vlen, every, why, whylen);
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
