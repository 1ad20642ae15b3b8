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
 * session, the client address and the login, the login taken in lower
 * case, without its extension and cut at a control character, so that
 * neither case nor "+ext" variants get a fresh count; an IPv6 client
 * counts by its /64.  Past auth_fail_limit in the window, AUTH
 * is refused with 421, which ends the session; a client past it is
 * turned away at connection time.  Clients in auth_fail_exempt have no
 * count of their own, but their sessions and the logins they try do.
 * With a database server (lib/lockstore.c), the logins' counts and
 * lockouts are kept there too, shared by every host on it.
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

static struct limit	*byclient, *bylogin;
static int		 window;
static char		*lockdir;	/* auth_lock_dir of the table */
static int		 nlocks;	/* written since the last sweep */
static struct backend	*store;		/* a server: lockouts shared there */
static int		 store_down;	/* told that it fails */

/*
 * Keep the counts and lockouts of logins in the database server too,
 * for the other hosts on it (and read theirs).
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
	log_warnx("%s: failed-AUTH counts and lockouts are this host's "
	    "own until the database answers (AUTH itself fails while it "
	    "cannot read the credentials)", err);
}

static void
store_works(void)
{
	if (store_down)
		log_info("failed-AUTH counts and lockouts are shared in the "
		    "database again");
	store_down = 0;
}

/*
 * Where to hand the lockouts of logins to table-sqlite, which refuses
 * their credentials: an AUTH whose login the filter does not see (a
 * bare "AUTH LOGIN") is then refused too.
 */
void
authlimit_lockdir(const char *dir)
{
	free(lockdir);
	lockdir = NULL;
	if (dir != NULL && (lockdir = strdup(dir)) == NULL)
		fatalx("out of memory for auth_lock_dir");
}

/* Lock the login of key out in the table until the window ends. */
static void
lock_out(const char *key, time_t now)
{
	static int	 told;

	char		 err[512];

	if (key[0] == '\0')
		return;
	if (store != NULL) {
		if (lockstore_put(store, key, now + window, err,
		    sizeof(err)) == -1)
			store_failed(err);
		else
			store_works();
	}
	if (lockdir == NULL)
		return;
	if (authlock_set(lockdir, key, now + window) == -1) {
		if (!told++)
			log_warnx("cannot write lockouts to auth_lock_dir %s: "
			    "%s; a login past the limit is refused only in "
			    "the AUTH commands that name it (create the "
			    "directory, writable by smtpd's user)", lockdir,
			    strerror(errno));
		return;
	}
	/* Lockouts of logins that do not exist must not pile up. */
	if (++nlocks >= 64) {
		nlocks = 0;
		(void)authlock_sweep(lockdir, now);
	}
}

void
authlimit_init(struct fconf *c)
{
	if (c->auth_fail_limit <= 0)
		return;
	window = c->auth_fail_window;
	byclient = limit_new(window, LIMIT_KEYS);
	bylogin = limit_new(window, LIMIT_KEYS);
	if (byclient == NULL || bylogin == NULL)
		fatalx("out of memory for the failed-AUTH limits");
}

/* Forget every count: the admin lifted the lockouts (SIGUSR1). */
void
authlimit_clear(void)
{
	char	 err[512];

	if (byclient == NULL)
		return;
	limit_free(byclient);
	limit_free(bylogin);
	byclient = limit_new(window, LIMIT_KEYS);
	bylogin = limit_new(window, LIMIT_KEYS);
	if (byclient == NULL || bylogin == NULL)
		fatalx("out of memory for the failed-AUTH limits");
	if (lockdir != NULL && authlock_sweep(lockdir, 0) > 0)
		log_warnx("auth_lock_dir %s: some lockouts could not be "
		    "removed", lockdir);
	if (store != NULL && lockstore_clear(store, NULL, err,
	    sizeof(err)) == -1)
		log_warnx("%s: the lockouts in the database are not lifted",
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
 * The key of a client address: an IPv6 client has its /64 (a host holds
 * a whole one to draw addresses from), an IPv4-mapped one its IPv4.
 */
static const char *
client_key(const char *client, char *buf, size_t len)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;

	if (inet_pton(AF_INET6, client, &a6) != 1)
		return client;
	if (IN6_IS_ADDR_V4MAPPED(&a6)) {
		memcpy(&a4, &a6.s6_addr[12], sizeof(a4));
		if (inet_ntop(AF_INET, &a4, buf, len) == NULL)
			return client;
		return buf;
	}
	memset(&a6.s6_addr[8], 0, 8);
	if (inet_ntop(AF_INET6, &a6, buf, len) == NULL ||
	    strlcat(buf, "/64", len) >= len)
		return client;
	return buf;
}

static int
count(struct limit *l, const char *key)
{
	return limit_count(l, key, time(NULL));
}

/* At connection: is the client past the limit? */
int
authlimit_client_over(struct fconf *c, struct session *s)
{
	char	 key[INET6_ADDRSTRLEN + 4];

	if (byclient == NULL || s->exempt)
		return 0;
	return count(byclient, client_key(s->client, key, sizeof(key))) >=
	    c->auth_fail_limit;
}

/* At AUTH: is the session, the client or the login named past it? */
int
authlimit_auth_over(struct fconf *c, struct session *s, const char *arg)
{
	char	 login[512], key[512];
	int	 over = 0;

	if (byclient == NULL)
		return 0;
	if (s->authfails >= c->auth_fail_limit ||
	    authlimit_client_over(c, s))
		return 1;
	if (auth_arg_login(arg, login, sizeof(login))) {
		login_key(login, c->delims, key, sizeof(key));
		over = count(bylogin, key) >= c->auth_fail_limit;
	}
	explicit_bzero(login, sizeof(login));
	return over;
}

/* smtpd's verdict on an AUTH: "pass", "fail" or "error". */
void
authlimit_result(struct fconf *c, struct session *s, const char *result,
    const char *login)
{
	char	 key[512], ckey[INET6_ADDRSTRLEN + 4], err[512];
	time_t	 now;
	int	 n;

	if (byclient == NULL)
		return;
	login_key(login, c->delims, key, sizeof(key));
	if (strcmp(result, "pass") == 0) {
		/* AUTH without an initial response named no login. */
		if (count(bylogin, key) >= c->auth_fail_limit)
			s->locked = 1;
		return;
	}
	if (strcmp(result, "fail") != 0)
		return;
	s->authfails++;
	now = time(NULL);
	if (!s->exempt)
		limit_add(byclient, client_key(s->client, ckey, sizeof(ckey)),
		    now);
	limit_add(bylogin, key, now);
	/* Every host's failures of this login, where they are shared. */
	n = -1;
	if (store != NULL) {
		if ((n = lockstore_hit(store, key, now, window, err,
		    sizeof(err))) == -1)
			store_failed(err);
		else
			store_works();
	}
	/*
	 * The table looks the login up as smtpd sends it, "+ext" and all:
	 * lock out that name as well as the one counted.
	 */
	if (count(bylogin, key) >= c->auth_fail_limit ||
	    n >= c->auth_fail_limit) {
		lock_out(key, now);
		lock_out(login, now);
	}
}
