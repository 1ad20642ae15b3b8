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
 * reads) and the domain query.  Each returns OWN_YES, OWN_NO, or
 * OWN_TEMPFAIL when the database cannot answer.  The answers are read
 * into the backend's value buffer.
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

/* What has_owner() finds of one key. */
enum key_owner {
	KEY_ERROR = -1,		/* the database cannot answer */
	KEY_NONE = 0,		/* no owner */
	KEY_OWNED = 1,		/* owners, listed in b->value */
	KEY_UNKNOWN = 2,	/* no query tells (no owners nor credentials) */
};

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
 * Has exactly this key ("user@domain" or "@domain") an owner?  Without
 * query_owners, an address is owned when it is a login.  who, when not
 * NULL, gets the first owner.
 */
static enum key_owner
has_owner(struct backend *b, const char *key, char *who, size_t wholen)
{
	struct lookup	 lk = { b->value, sizeof(b->value), "" };
	char		 k[LOG_VALUE_MAX];
	int		 r;

	if (b->conf.query[Q_OWNERS] != NULL) {
		r = backend_lookup(b, Q_OWNERS, key, &lk);
		if (r == LOOKUP_FOUND && who != NULL) {
			b->value[strcspn(b->value, ",")] = '\0';
			strlcpy(who, b->value, wholen);
		}
	} else if (b->conf.query[Q_CREDENTIALS] != NULL) {
		if (key[0] == '@')
			return KEY_NONE;
		r = backend_check(b, Q_CREDENTIALS, key, lk.err,
		    sizeof(lk.err));
		if (r == 1 && who != NULL)
			strlcpy(who, key, wholen);
	} else
		return KEY_UNKNOWN;
	if (r == -1) {
		log_warnx("owner of %s: %s", log_escape(key, 0, k, sizeof(k)),
		    lk.err);
		return KEY_ERROR;
	}
	return r == 1 ? KEY_OWNED : KEY_NONE;
}

/*
 * What login owns (the mailaddrmap query) into b->value: OWN_YES,
 * OWN_NO nothing, OWN_TEMPFAIL logged as about address.
 */
static enum own
login_entries(struct backend *b, const char *login, const char *address)
{
	struct lookup	 lk = { b->value, sizeof(b->value), "" };
	char		 k[LOG_VALUE_MAX], l[LOG_VALUE_MAX];

	switch (backend_lookup(b, Q_MAILADDRMAP, login, &lk)) {
	case LOOKUP_ERROR:
		log_warnx("sender ownership of %s for login %s: %s",
		    log_escape(address, 0, k, sizeof(k)),
		    log_escape(login, 0, l, sizeof(l)), lk.err);
		return OWN_TEMPFAIL;
	case LOOKUP_FOUND:
		return OWN_YES;
	default:
		return OWN_NO;
	}
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
 * grants it.
 */
enum own
owner_owns(struct backend *b, const char *login, const struct addr *a,
    const char *delims, char *why, size_t whylen)
{
	char		 keys[3][KEY_MAX], every[KEY_MAX];
	enum key_owner	 r;
	enum own	 own;
	int		 i, n;

	if ((n = owner_keys(a, delims, keys)) == -1)
		return OWN_NO;
	if (b->conf.query[Q_OWNERS] != NULL && a->domain[0] != '\0') {
		snprintf(every, sizeof(every), "*@%s", a->domain);
		if ((r = has_owner(b, every, NULL, 0)) == KEY_ERROR)
			return OWN_TEMPFAIL;
		if (r == KEY_OWNED && listed(b->value, login)) {
			strlcpy(why, every, whylen);
			return OWN_YES;
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
		if ((r = has_owner(b, keys[i], NULL, 0)) == KEY_ERROR)
			return OWN_TEMPFAIL;
		if (r == KEY_UNKNOWN)
			break;
		if (r == KEY_NONE)
			continue;
		/* Without query_owners, the owner of a login is itself. */
		if (b->conf.query[Q_OWNERS] == NULL ?
		    strcasecmp(keys[i], login) == 0 : listed(b->value, login)) {
			strlcpy(why, keys[i], whylen);
			return OWN_YES;
		}
		return OWN_NO;
	}
	/* No key has an owner: the login's own entries. */
	if ((own = login_entries(b, login, keys[0])) != OWN_YES)
		return own;
	if (covers(b->value, a, keys[0], why, whylen))
		return OWN_YES;
	if (n == 1 || keys[1][0] == '@')
		return OWN_NO;
	return covers(b->value, a, keys[1], why, whylen) ? OWN_YES : OWN_NO;
}

/* One key's owner as owner_anyone() tells it. */
static enum own
owned(enum key_owner r)
{
	switch (r) {
	case KEY_ERROR:
		return OWN_TEMPFAIL;
	case KEY_OWNED:
		return OWN_YES;
	default:
		return OWN_NO;
	}
}

/*
 * Is a owned by any login?  In Postfix's order: the full address, the
 * address without its extension, the domain ("@domain"); then a grant
 * of every address of the domain ("*@domain").  why gets the first
 * owner.
 */
enum own
owner_anyone(struct backend *b, const struct addr *a, const char *delims,
    char *why, size_t whylen)
{
	char		 keys[3][KEY_MAX], every[KEY_MAX];
	enum key_owner	 r;
	int		 i, n;

	if ((n = owner_keys(a, delims, keys)) == -1)
		return OWN_NO;
	for (i = 0; i < n; i++)
		if ((r = has_owner(b, keys[i], why, whylen)) != KEY_NONE)
			return owned(r);
	if (b->conf.query[Q_OWNERS] == NULL || a->domain[0] == '\0')
		return OWN_NO;
	snprintf(every, sizeof(every), "*@%s", a->domain);
	return owned(has_owner(b, every, why, whylen));
}

/* Is domain one of ours? */
enum own
owner_local_domain(struct backend *b, const char *domain)
{
	char	 d[LOG_VALUE_MAX], err[512];

	switch (backend_check(b, Q_DOMAIN, domain, err, sizeof(err))) {
	case -1:
		log_warnx("local domain %s: %s",
		    log_escape(domain, 0, d, sizeof(d)), err);
		return OWN_TEMPFAIL;
	case 1:
		return OWN_YES;
	default:
		return OWN_NO;
	}
}
