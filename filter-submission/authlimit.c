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
 * The failed-AUTH limits.  A failure (smtpd's link-auth "fail"; a
 * temporary failure of the server is not one) counts against the
 * session, the client's address, its network (an IPv6 client's /64, an
 * IPv4 client's address) and the login, the login taken in lower case,
 * without its extension and cut at a control character, so that neither
 * case nor "+ext" variants get a fresh count.  A refusal is never
 * caused by someone else's failures while it claims the client failed:
 *
 * - the session, or the client's own address, past auth_fail_limit:
 *   AL_OWN, refused as the client's own doing (rule auth-limit, 421);
 * - the client's /64 past it, its own address not: AL_NET, a neighbour's
 *   doing (rule auth-network, a temporary 421);
 * - a login past twice the limit (more than one client could make: a
 *   distributed attack) is closed to the networks it was never used
 *   from (AL_LOGIN: rule auth-lockout, a temporary 454).  The networks
 *   a login passed from in the last GOOD_DAYS days and those of
 *   auth_fail_exempt still log in.  An AUTH that does not name its login
 *   (a bare "AUTH LOGIN") is closed, while any login is past it, to the
 *   networks that logged no one in.
 *
 * The table refuses nothing for these limits: it cannot tell one client
 * from another, and would lock the login's owner out with its attacker.
 *
 * With a database server (lib/lockstore.c), each login's failures are
 * counted there as well, by every host on it, and a login past twice
 * the limit is marked closed there: each host closes it (to the
 * networks that host saw it pass from) on the count of all hosts, so
 * that N hosts give an attacker no more guesses against a login than
 * one.  The counts of addresses and networks stay each host's own.
 * While the database cannot be read or written, each host decides on
 * its own counts (logged once, and once a count is written again).
 */

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>

#include "authlock.h"
#include "lockstore.h"
#include "log.h"
#include "submission.h"

#define LIMIT_KEYS	10000
#define KEYLEN		(512 + INET6_ADDRSTRLEN + 8)

#define GOOD_DAYS	30

static struct limit	*byaddr, *bynet, *bylogin;
static struct limit	*pendaddr, *pendnet, *pendlogin;	/* in flight */
static struct limit	*good, *goodnet;	/* passes: login+network, network */
static int		 window;
static time_t		 closed_until;	/* some login past twice the limit */
static char		*lockdir;	/* auth_lock_dir of the table */
static struct backend	*store;		/* a server: login counts shared */
static int		 store_down;	/* told that it fails */

/*
 * Count the failures of logins in the database server too, with the
 * other hosts on it, and close a login on the count of all of them.
 */
void
authlimit_store(struct backend *b)
{
	store = lockstore_enabled(b) ? b : NULL;
}

/* The store failed: say so once, until it works again. */
static void
store_failed(const char *err)
{
	if (store_down++)
		return;
	log_warnx("%s: failed-AUTH counts of logins are this host's own "
	    "until the database answers", err);
}

static void
store_works(void)
{
	if (store_down)
		log_info("failed-AUTH counts of logins are shared in the "
		    "database again");
	store_down = 0;
}

/* Has another host closed the login (a key) in the database? */
static int
store_closed(const char *key)
{
	char	 err[512];
	int	 r;

	if (store == NULL || key[0] == '\0')
		return 0;
	if ((r = lockstore_get(store, key, time(NULL), err,
	    sizeof(err))) == -1) {
		store_failed(err);
		return 0;
	}
	/*
	 * A read that works is not the sharing back: a read-only replica
	 * answers it and refuses every count.  A count written is.
	 */
	return r == 1;
}

/*
 * Earlier versions handed lockouts to table-sqlite in auth_lock_dir,
 * which refused the login to every client, its owner included.  Remove
 * those that ended; the admin lifts the others with SIGUSR1.
 */
void
authlimit_lockdir(const char *dir)
{
	if (dir != NULL)
		(void)authlock_sweep(dir, time(NULL));
	free(lockdir);
	lockdir = NULL;
	if (dir != NULL && (lockdir = strdup(dir)) == NULL)
		fatalx("out of memory for auth_lock_dir");
}

static void
counts_new(void)
{
	byaddr = limit_new(window, LIMIT_KEYS);
	bynet = limit_new(window, LIMIT_KEYS);
	bylogin = limit_new(window, LIMIT_KEYS);
	pendaddr = limit_new(window, LIMIT_KEYS);
	pendnet = limit_new(window, LIMIT_KEYS);
	pendlogin = limit_new(window, LIMIT_KEYS);
	if (byaddr == NULL || bynet == NULL || bylogin == NULL ||
	    pendaddr == NULL || pendnet == NULL || pendlogin == NULL)
		fatalx("out of memory for the failed-AUTH limits");
	closed_until = 0;
}

void
authlimit_init(struct fconf *c)
{
	if (c->auth_fail_limit <= 0)
		return;
	window = c->auth_fail_window;
	counts_new();
	good = limit_new(GOOD_DAYS * 86400, LIMIT_KEYS);
	goodnet = limit_new(GOOD_DAYS * 86400, LIMIT_KEYS);
	if (good == NULL || goodnet == NULL)
		fatalx("out of memory for the failed-AUTH limits");
}

/*
 * Forget every failure count: the admin lifted the lockouts (SIGUSR1).
 * The networks logins passed from are kept.
 */
void
authlimit_clear(void)
{
	char	 err[512];

	if (byaddr == NULL)
		return;
	limit_free(byaddr);
	limit_free(bynet);
	limit_free(bylogin);
	limit_free(pendaddr);
	limit_free(pendnet);
	limit_free(pendlogin);
	counts_new();
	if (lockdir != NULL && authlock_sweep(lockdir, 0) > 0)
		log_warnx("auth_lock_dir %s: some lockouts could not be "
		    "removed", lockdir);
	if (store != NULL && lockstore_clear(store, NULL, err,
	    sizeof(err)) == -1)
		log_warnx("%s: the counts in the database are not cleared",
		    err);
	log_info("failed-AUTH counts cleared: every lockout is lifted");
}

/* The key of a login: lower case, the extension of its local part cut. */
static void
login_key(const char *login, const char *delims, char *buf, size_t len)
{
	const char	*at;
	size_t		 n, cut, i;

	strlcpy(buf, login, len);
	/*
	 * "bob@x\n..." is bob@x, and so is "bob@x:...", which the table's
	 * auth check ("login:password") reads as bob@x: no fresh count from
	 * what follows.
	 */
	for (i = 0; buf[i] != '\0'; i++) {
		if (iscntrl((unsigned char)buf[i]) || buf[i] == ':') {
			buf[i] = '\0';
			break;
		}
		buf[i] = tolower((unsigned char)buf[i]);
	}
	if (delims == NULL || delims[0] == '\0')
		return;
	at = strrchr(buf, '@');
	n = at != NULL ? (size_t)(at - buf) : strlen(buf);
	cut = strcspn(buf, delims);
	if (cut == 0 || cut >= n)
		return;
	memmove(buf + cut, buf + n, strlen(buf + n) + 1);
}

/*
 * The login an AUTH command names in its initial response, "PLAIN
 * <base64 of authzid NUL login NUL password>" or "LOGIN <base64 of
 * login>": 1 with it in buf, 0 when the command names none.
 */
static int
auth_arg_login(const char *arg, char *buf, size_t len)
{
	unsigned char	 raw[1536];
	char		 b64[2048];
	const char	*p, *user, *end;
	size_t		 n = 0;
	int		 plain, r, rv = 0;

	/* smtpd ends the mechanism at the first space, else the first tab. */
	if ((p = strchr(arg, ' ')) == NULL && (p = strchr(arg, '\t')) == NULL)
		return 0;
	if (p - arg == 5 && strncasecmp(arg, "PLAIN", 5) == 0)
		plain = 1;
	else if (p - arg == 5 && strncasecmp(arg, "LOGIN", 5) == 0)
		plain = 0;
	else
		return 0;
	/* smtpd's decoder skips white space anywhere: so does this one. */
	for (p++; *p != '\0' && n < sizeof(b64) - 1; p++)
		if (!isspace((unsigned char)*p))
			b64[n++] = *p;
	b64[n] = '\0';
	if (n == 0 || n % 4 != 0 || n / 4 * 3 >= sizeof(raw))
		goto done;
	if ((r = EVP_DecodeBlock(raw, (const unsigned char *)b64, n)) < 0)
		goto done;
	if (b64[n - 1] == '=')
		r--;
	if (n > 1 && b64[n - 2] == '=')
		r--;
	raw[r] = '\0';
	if (!plain) {
		user = (const char *)raw;
		end = user + r;
	} else {
		if ((user = memchr(raw, '\0', r)) == NULL)
			goto done;
		user++;
		end = memchr(user, '\0', (const char *)raw + r - user);
		if (end == NULL)
			goto done;
	}
	if (end == user || (size_t)(end - user) >= len)
		goto done;
	memcpy(buf, user, end - user);
	buf[end - user] = '\0';
	rv = strlen(buf) == (size_t)(end - user);
 done:
	explicit_bzero(raw, sizeof(raw));
	explicit_bzero(b64, sizeof(b64));
	return rv;
}

/*
 * The keys of a client address: its address (an IPv4-mapped one as
 * IPv4) and its network, an IPv6 client's /64 (a host holds a whole one
 * to draw addresses from), an IPv4 client's address.
 */
static void
client_keys(const char *client, char *addr, char *net, size_t len)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;

	strlcpy(addr, client, len);
	strlcpy(net, client, len);
	if (inet_pton(AF_INET6, client, &a6) != 1)
		return;
	if (IN6_IS_ADDR_V4MAPPED(&a6)) {
		memcpy(&a4, &a6.s6_addr[12], sizeof(a4));
		if (inet_ntop(AF_INET, &a4, addr, len) != NULL)
			strlcpy(net, addr, len);
		return;
	}
	memset(&a6.s6_addr[8], 0, 8);
	if (inet_ntop(AF_INET6, &a6, net, len) == NULL ||
	    strlcat(net, "/64", len) >= len)
		strlcpy(net, client, len);
}

static int
count(struct limit *l, const char *key)
{
	return limit_count(l, key, time(NULL));
}

/* Has login (a key) passed from the network net in the last days? */
static int
known(const char *net, const char *login)
{
	char	 k[KEYLEN];

	snprintf(k, sizeof(k), "%s %s", net, login);
	return count(good, k) > 0;
}

/* At connection: is the client, or its network, past the limit? */
int
authlimit_client_over(struct fconf *c, struct session *s)
{
	char	 addr[INET6_ADDRSTRLEN + 4], net[INET6_ADDRSTRLEN + 4];

	if (byaddr == NULL || s->exempt)
		return AL_OK;
	client_keys(s->client, addr, net, sizeof(addr));
	if (count(byaddr, addr) >= c->auth_fail_limit)
		return AL_OWN;
	if (count(bynet, net) >= c->auth_fail_limit)
		return AL_NET;
	return AL_OK;
}

/*
 * An AUTH let through is counted until smtpd's verdict comes: sessions
 * that send AUTH at once, from one address or from many naming one
 * login, would otherwise all pass the check before the first failure is
 * counted, and get a guess each past the limits.  What is in flight may
 * yet pass: an AUTH refused for it alone is refused for now (454), not
 * as the client's failure.
 */
static int
pending(struct session *s, const char *addr, const char *net,
    const char *key)
{
	time_t	 now = time(NULL);

	if (key[0] != '\0' && (s->authpend = strdup(key)) == NULL) {
		log_warn("session=%s", s->sid);
		return -1;
	}
	limit_add(pendaddr, addr, now);
	limit_add(pendnet, net, now);
	if (key[0] != '\0')
		limit_add(pendlogin, key, now);
	s->authpending = 1;
	return 0;
}

/* The verdict came, or never will (the session ended): count it no more. */
void
authlimit_release(struct session *s)
{
	char	 addr[INET6_ADDRSTRLEN + 4], net[INET6_ADDRSTRLEN + 4];
	time_t	 now = time(NULL);

	if (!s->authpending || byaddr == NULL)
		return;
	s->authpending = 0;
	client_keys(s->client, addr, net, sizeof(addr));
	limit_sub(pendaddr, addr, now);
	limit_sub(pendnet, net, now);
	if (s->authpend != NULL) {
		limit_sub(pendlogin, s->authpend, now);
		explicit_bzero(s->authpend, strlen(s->authpend));
		free(s->authpend);
		s->authpend = NULL;
	}
}

/*
 * At AUTH: is the session or the client past the limit, or the login it
 * names (or, when it names none, any login) closed to its network?
 */
int
authlimit_auth_over(struct fconf *c, struct session *s, const char *arg)
{
	char	 login[512], key[512];
	char	 addr[INET6_ADDRSTRLEN + 4], net[INET6_ADDRSTRLEN + 4];
	int	 r;

	if (byaddr == NULL)
		return AL_OK;
	/* An AUTH smtpd never answered (a syntax error): not in flight. */
	authlimit_release(s);
	if (s->authfails >= c->auth_fail_limit)
		return AL_OWN;
	if ((r = authlimit_client_over(c, s)) != AL_OK)
		return r;
	if (s->exempt)
		return AL_OK;
	client_keys(s->client, addr, net, sizeof(addr));
	r = AL_OK;
	key[0] = '\0';
	if (count(byaddr, addr) + count(pendaddr, addr) >=
	    c->auth_fail_limit || count(bynet, net) + count(pendnet, net) >=
	    c->auth_fail_limit)
		r = AL_LOGIN;
	if (auth_arg_login(arg, login, sizeof(login))) {
		login_key(login, c->delims, key, sizeof(key));
		if (!known(net, key) && (count(bylogin, key) +
		    count(pendlogin, key) >= 2 * c->auth_fail_limit ||
		    store_closed(key)))
			r = AL_LOGIN;
	} else if (closed_until > time(NULL) && count(goodnet, net) == 0)
		r = AL_LOGIN;
	if (r == AL_OK && pending(s, addr, net, key) == -1)
		r = AL_ERROR;
	explicit_bzero(key, sizeof(key));
	explicit_bzero(login, sizeof(login));
	return r;
}

/* smtpd's verdict on an AUTH: "pass", "fail" or "error". */
void
authlimit_result(struct fconf *c, struct session *s, const char *result,
    const char *login)
{
	char	 key[512], k[KEYLEN], err[512];
	char	 addr[INET6_ADDRSTRLEN + 4], net[INET6_ADDRSTRLEN + 4];
	time_t	 now;
	int	 n, shared;

	if (byaddr == NULL)
		return;
	authlimit_release(s);
	login_key(login, c->delims, key, sizeof(key));
	client_keys(s->client, addr, net, sizeof(addr));
	now = time(NULL);
	if (strcmp(result, "pass") == 0) {
		snprintf(k, sizeof(k), "%s %s", net, key);
		limit_mark(good, k, now);
		limit_mark(goodnet, net, now);
		return;
	}
	if (strcmp(result, "fail") != 0)
		return;
	s->authfails++;
	if (!s->exempt) {
		limit_add(byaddr, addr, now);
		limit_add(bynet, net, now);
	}
	n = limit_add(bylogin, key, now);
	/* Every host's failures of this login, where they are shared. */
	if (store != NULL && key[0] != '\0') {
		if ((shared = lockstore_hit(store, key, now, window, err,
		    sizeof(err))) == -1)
			store_failed(err);
		else {
			store_works();
			if (shared > n)
				n = shared;
			if (n >= 2 * c->auth_fail_limit &&
			    lockstore_put(store, key, now + window, err,
			    sizeof(err)) == -1)
				store_failed(err);
		}
	}
	if (n >= 2 * c->auth_fail_limit)
		closed_until = now + window;
}
