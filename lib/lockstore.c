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
 * Failed-AUTH lockouts in the database server, so that several smtpd
 * hosts on one database give an attacker no more guesses than one.
 * One table, kit_authlock, created on first use by a user that may
 * (filter-submission's: it writes), a row per key: the SHA-256 of the
 * key in lower case, as auth_lock_dir names its files (no login is
 * stored), the failures counted since first_fail, and the end of its
 * lockout.  The interface is by key, whatever decides when to lock:
 *	lockstore_put(key, until)	lock out until then
 *	lockstore_get(key, now)		1 locked out, 0 not
 *	lockstore_clear(key or NULL)	lift one, or every lockout and count
 *	lockstore_hit(key, now, window)	one more failure: the failures of
 *					the key within its window, all hosts
 *					(and, now and then, the rows that
 *					ended are deleted)
 * The statements are prepared on the first use of each connection.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "backend.h"
#include "compat.h"
#include "lockstore.h"
#include "log.h"

#define NAME_LEN	64		/* hex of SHA-256 */
#define KEY_MAX		512

/*
 * Rows that decide nothing any more (the lockout and the count window
 * both ended PURGE_SLACK seconds ago: hosts' clocks differ) are deleted
 * PURGE_BATCH at a time, at most every PURGE_EVERY seconds by each
 * process, on a failed AUTH; at once again while a batch comes back
 * full, so that the deletions keep pace with any rate of failures.
 */
#define PURGE_BATCH	1000
#define PURGE_BATCH_S	"1000"	/* the same, in SQL */
#define PURGE_EVERY	60
#define PURGE_SLACK	3600

enum { L_GET, L_PUT, L_CLEAR, L_CLEARALL, L_HIT, L_FAILS, L_PURGE };

/* Each statement for PostgreSQL ($n) and for MariaDB (?, in order). */
static const struct {
	const char	*pg;
	const char	*my;
	int		 npg;
	int		 nmy;
	int		 map[4];	/* MariaDB's ? -> the value given */
} stmt[SLOT_LOCK_N] = {
	[L_GET] = {
	    "SELECT lock_until FROM kit_authlock WHERE name = $1 AND "
	    "lock_until > $2",
	    "SELECT lock_until FROM kit_authlock WHERE name = ? AND "
	    "lock_until > ?", 2, 2, { 0, 1 } },
	[L_PUT] = {
	    "INSERT INTO kit_authlock (name, lock_until) VALUES ($1, $2) "
	    "ON CONFLICT (name) DO UPDATE SET lock_until = "
	    "GREATEST(kit_authlock.lock_until, EXCLUDED.lock_until)",
	    "INSERT INTO kit_authlock (name, lock_until) VALUES (?, ?) "
	    "ON DUPLICATE KEY UPDATE lock_until = "
	    "GREATEST(lock_until, VALUES(lock_until))", 2, 2, { 0, 1 } },
	[L_CLEAR] = {
	    "DELETE FROM kit_authlock WHERE name = $1",
	    "DELETE FROM kit_authlock WHERE name = ?", 1, 1, { 0 } },
	[L_CLEARALL] = {
	    "DELETE FROM kit_authlock",
	    "DELETE FROM kit_authlock", 0, 0, { 0 } },
	/* $3: the start of the window; a failure before it starts anew. */
	[L_HIT] = {
	    "INSERT INTO kit_authlock (name, fails, first_fail) "
	    "VALUES ($1, 1, $2) ON CONFLICT (name) DO UPDATE SET "
	    "fails = CASE WHEN kit_authlock.first_fail > $3 "
	    "THEN kit_authlock.fails + 1 ELSE 1 END, "
	    "first_fail = CASE WHEN kit_authlock.first_fail > $3 "
	    "THEN kit_authlock.first_fail ELSE EXCLUDED.first_fail END",
	    "INSERT INTO kit_authlock (name, fails, first_fail) "
	    "VALUES (?, 1, ?) ON DUPLICATE KEY UPDATE "
	    "fails = IF(first_fail > ?, fails + 1, 1), "
	    "first_fail = IF(first_fail > ?, first_fail, "
	    "VALUES(first_fail))", 3, 4, { 0, 1, 2, 2 } },
	[L_FAILS] = {
	    "SELECT fails FROM kit_authlock WHERE name = $1",
	    "SELECT fails FROM kit_authlock WHERE name = ?", 1, 1, { 0 } },
	/*
	 * $1 lock ended, $2 window ended.  PostgreSQL has no DELETE ...
	 * LIMIT: the rows by their ctid, the condition checked again on
	 * a row another host changed meanwhile.
	 */
	[L_PURGE] = {
	    "DELETE FROM kit_authlock WHERE ctid = ANY (ARRAY("
	    "SELECT ctid FROM kit_authlock WHERE lock_until < $1 AND "
	    "first_fail < $2 LIMIT " PURGE_BATCH_S ")) AND "
	    "lock_until < $1 AND first_fail < $2",
	    "DELETE FROM kit_authlock WHERE lock_until < ? AND "
	    "first_fail < ? LIMIT " PURGE_BATCH_S, 2, 2, { 0, 1 } },
};

static const char *create =
    "CREATE TABLE IF NOT EXISTS kit_authlock ("
    "name VARCHAR(64) NOT NULL PRIMARY KEY, "
    "fails INTEGER NOT NULL DEFAULT 0, "
    "first_fail BIGINT NOT NULL DEFAULT 0, "
    "lock_until BIGINT NOT NULL DEFAULT 0)";

int
lockstore_enabled(const struct backend *b)
{
	return b != NULL && b->srv != NULL;
}

/* The row name of key: hex of the SHA-256 of its login, lower case. */
static int
row_name(const char *key, char *hex, char *err, size_t errlen)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	char		 k[KEY_MAX];
	unsigned int	 mdlen, i;
	size_t		 n;

	for (n = 0; key[n] != '\0' && n < sizeof(k) - 1; n++) {
		if (iscntrl((unsigned char)key[n]) || key[n] == ':')
			break;
		k[n] = tolower((unsigned char)key[n]);
	}
	if (EVP_Digest(k, n, md, &mdlen, EVP_sha256(), NULL) != 1) {
		explicit_bzero(k, sizeof(k));
		snprintf(err, errlen, "SHA-256 failed");
		return -1;
	}
	explicit_bzero(k, sizeof(k));
	for (i = 0; i < mdlen && 2 * i < NAME_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[NAME_LEN] = '\0';
	return 0;
}

/*
 * Connected, and the statements prepared on this connection: 0, -1
 * with the reason in err, or LOCK_ABSENT when the server works but
 * has no kit_authlock this user can use (told once a connection).
 */
#define LOCK_ABSENT	-2

static int
ready(struct backend *b, char *err, size_t errlen)
{
	char	 msg[400];
	int	 i, r;

	if (!lockstore_enabled(b)) {
		snprintf(err, errlen, "lockouts in the database need a "
		    "PostgreSQL or MariaDB server");
		return -1;
	}
	if (backend_srv_ready(b, err, errlen) == -1)
		return -1;
	if (b->lock_gen == b->conn_gen) {
		if (b->lock_absent) {
			snprintf(err, errlen, "no table kit_authlock");
			return LOCK_ABSENT;
		}
		return 0;
	}
	/* A user that may not create it finds it there, or fails below. */
	if (b->srv->command(b->conn, create, msg, sizeof(msg)) == DBSRV_LOST) {
		backend_srv_lost(b, msg);
		strlcpy(err, msg, errlen);
		return -1;
	}
	for (i = 0; i < SLOT_LOCK_N; i++) {
		r = b->srv->prepare(b->conn, SLOT_LOCK + i,
		    b->srv->style == SQLPARAM_DOLLAR ? stmt[i].pg : stmt[i].my,
		    b->srv->style == SQLPARAM_DOLLAR ? stmt[i].npg :
		    stmt[i].nmy, -1, msg, sizeof(msg));
		if (r == DBSRV_LOST) {
			backend_srv_lost(b, msg);
			snprintf(err, errlen, "lockouts: %s", msg);
			return -1;
		}
		if (r != 0) {
			snprintf(err, errlen, "no table kit_authlock: %s", msg);
			log_warnx("failed-AUTH lockouts cannot be shared in the "
			    "database (%s): create the table kit_authlock, or "
			    "grant its user access (table-sqlite(5))", msg);
			b->lock_gen = b->conn_gen;
			b->lock_absent = 1;
			return LOCK_ABSENT;
		}
	}
	b->lock_gen = b->conn_gen;
	b->lock_absent = 0;
	return 0;
}

/* Run statement s with the values v: 0 with *res, or -1. */
static int
run(struct backend *b, int s, const char *const *v, struct dbres *res,
    char *err, size_t errlen)
{
	const char	*p[4];
	size_t		 len[4];
	char		 msg[400];
	int		 i, n, r;

	memset(res, 0, sizeof(*res));
	if ((r = ready(b, err, errlen)) != 0)
		return r;
	n = b->srv->style == SQLPARAM_DOLLAR ? stmt[s].npg : stmt[s].nmy;
	for (i = 0; i < n; i++) {
		p[i] = b->srv->style == SQLPARAM_DOLLAR ? v[i] :
		    v[stmt[s].map[i]];
		len[i] = strlen(p[i]);
	}
	r = b->srv->exec(b->conn, SLOT_LOCK + s, p, len, n, res, msg,
	    sizeof(msg));
	if (r == DBSRV_LOST)
		backend_srv_lost(b, msg);
	else
		backend_srv_answered(b);
	if (r != 0) {
		snprintf(err, errlen, "lockouts: %s", msg);
		return -1;
	}
	return 0;
}

/* Run statement s for key and the time t: 0 with *res, or as run(). */
static int
run_at(struct backend *b, int s, const char *key, time_t t,
    struct dbres *res, char *err, size_t errlen)
{
	const char	*v[2];
	char		 name[NAME_LEN + 1], ts[32];

	if (row_name(key, name, err, errlen) == -1)
		return -1;
	snprintf(ts, sizeof(ts), "%lld", (long long)t);
	v[0] = name;
	v[1] = ts;
	return run(b, s, v, res, err, errlen);
}

int
lockstore_put(struct backend *b, const char *key, time_t until, char *err,
    size_t errlen)
{
	struct dbres	 res;

	if (run_at(b, L_PUT, key, until, &res, err, errlen) != 0)
		return -1;
	dbres_free(&res);
	return 0;
}

int
lockstore_get(struct backend *b, const char *key, time_t now, char *err,
    size_t errlen)
{
	struct dbres	 res;
	int		 r;

	/* Without the table there are no lockouts (the warning said so). */
	if ((r = run_at(b, L_GET, key, now, &res, err, errlen)) == LOCK_ABSENT)
		return 0;
	if (r == -1)
		return -1;
	r = res.nrows > 0;
	dbres_free(&res);
	return r;
}

int
lockstore_clear(struct backend *b, const char *key, char *err,
    size_t errlen)
{
	struct dbres	 res;
	const char	*v[1];
	char		 name[NAME_LEN + 1];

	if (key != NULL && row_name(key, name, err, errlen) == -1)
		return -1;
	v[0] = name;
	if (run(b, key != NULL ? L_CLEAR : L_CLEARALL, v, &res, err,
	    errlen) != 0)
		return -1;
	dbres_free(&res);
	return 0;
}

/*
 * Delete a batch of the rows that ended (PURGE_* above), when it is
 * time.  A failure is logged and tried again at the next time.
 */
static void
purge(struct backend *b, time_t now, int window)
{
	struct dbres	 res;
	const char	*v[2];
	char		 lock[32], win[32], err[512];

	if (now < b->lock_purge)
		return;
	b->lock_purge = now + PURGE_EVERY;
	snprintf(lock, sizeof(lock), "%lld", (long long)now - PURGE_SLACK);
	snprintf(win, sizeof(win), "%lld",
	    (long long)now - window - PURGE_SLACK);
	v[0] = lock;
	v[1] = win;
	if (run(b, L_PURGE, v, &res, err, sizeof(err)) != 0) {
		log_warnx("%s: ended failed-AUTH counts are not deleted", err);
		return;
	}
	if (res.changed > 0)
		log_debug("lockouts: %llu ended rows deleted", res.changed);
	/* A full batch: more may be left, the next failure goes on. */
	if (res.changed >= PURGE_BATCH)
		b->lock_purge = now;
	dbres_free(&res);
}

int
lockstore_hit(struct backend *b, const char *key, time_t now, int window,
    char *err, size_t errlen)
{
	struct dbres	 res;
	const char	*v[3];
	char		 name[NAME_LEN + 1], t[32], w[32];
	long long	 n;

	if (row_name(key, name, err, errlen) == -1)
		return -1;
	snprintf(t, sizeof(t), "%lld", (long long)now);
	snprintf(w, sizeof(w), "%lld", (long long)now - window);
	v[0] = name;
	v[1] = t;
	v[2] = w;
	if (run(b, L_HIT, v, &res, err, errlen) != 0)
		return -1;
	dbres_free(&res);
	if (run(b, L_FAILS, v, &res, err, errlen) != 0)
		return -1;
	n = res.nrows > 0 && res.val[0] != NULL ? strtoll(res.val[0], NULL,
	    10) : 0;
	dbres_free(&res);
	purge(b, now, window);
	return n > 0x7fffffff ? 0x7fffffff : (int)n;
}
