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
 * The database side of table-sqlite and filter-submission: one
 * configuration, its read-only database and prepared statements, and the
 * answers they give.  The database may go missing, be locked, corrupt or
 * replaced: every call then fails with a message, and the next call after
 * a second tries to open it again.  Nothing here knows a line protocol.
 *
 * The same answers come from a PostgreSQL or MariaDB server
 * (lib/dbsrv.h) when the configuration names one: the rows of either
 * engine are read through one cursor, so that each answer is formatted
 * by one function whatever the engine.  A server that fails fails the
 * request with a temporary error, and is connected to again on a later
 * request, after 1, 2, 4 ... up to BACKOFF_MAX seconds; the first
 * failure of an outage is logged, and its end.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "db.h"
#include "log.h"
#include "passwd.h"
#include "pwcrypt.h"
#include "ibuf.h"
#include "sqlite_dirfd.h"
#include "backend.h"

#define SRC_MAX		4096	/* rows kept from fetch_source */
#define READ_TX_AGE	50	/* ms a read transaction may last */
#define READ_TX_IDLE	10	/* ms without lookups that end one */
#define BACKOFF_MAX	8	/* s between tries to reach a server */

/* The rows of a query, from SQLite or from a server. */
struct cursor {
	sqlite3_stmt	*st;		/* SQLite, positioned on a row */
	struct dbres	 res;		/* a server's rows */
	size_t		 row;
};

#define COL_NULL	0
#define COL_INT		1
#define COL_TEXT	2

static time_t
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static uint64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
src_clear(struct backend *b)
{
	size_t	 i;

	for (i = 0; i < b->nsrc; i++)
		free(b->src[i]);
	free(b->src);
	b->src = NULL;
	b->nsrc = b->isrc = 0;
	b->src_calls = 0;
}

/* End the read transaction, if one is open. */
static void
tx_end(struct backend *b)
{
	if (b->db != NULL && !sqlite3_get_autocommit(b->db)) {
		sqlite3_step(b->commit);
		sqlite3_reset(b->commit);
	}
	b->tx_used = 0;
	if (b->keep_reads)
		b->tx_disarm(b->tx_arg);
}

/*
 * Lookups close together share one read transaction: the file is then
 * locked and checked once for all of them instead of once each, which
 * is most of what a lookup costs.  It lasts READ_TX_AGE ms at most, so a
 * change to the database is seen within that, and ends after READ_TX_IDLE
 * ms without lookups, so that writers are not kept waiting.
 */
static void
tx_begin(struct backend *b)
{
	if (!b->keep_reads || b->begin == NULL)
		return;
	if (!sqlite3_get_autocommit(b->db)) {
		if (now_ms() - b->tx_start < READ_TX_AGE) {
			b->tx_used = 1;
			return;
		}
		tx_end(b);
	}
	if (sqlite3_step(b->begin) != SQLITE_DONE) {
		sqlite3_reset(b->begin);
		return;
	}
	sqlite3_reset(b->begin);
	b->tx_start = now_ms();
	b->tx_used = 1;
	b->tx_arm(b->tx_arg, READ_TX_IDLE);
}

/*
 * Share read transactions between lookups.  The caller's event loop
 * keeps the time: arm(arg, ms) asks it to call backend_tick() in ms
 * milliseconds (lib/readtx.c does it with libevent), disarm(arg) to
 * call it no more.
 */
void
backend_keep_reads(struct backend *b, void (*arm)(void *, int),
    void (*disarm)(void *), void *arg)
{
	b->tx_arm = arm;
	b->tx_disarm = disarm;
	b->tx_arg = arg;
	b->keep_reads = 1;
}

/* The time asked for has come: end the transaction if no lookup used it. */
void
backend_tick(struct backend *b)
{
	if (!b->tx_used) {
		tx_end(b);
		return;
	}
	b->tx_used = 0;
	b->tx_arm(b->tx_arg, READ_TX_IDLE);
}

static void
db_close(struct backend *b)
{
	int	 q;

	if (b->srv != NULL) {
		b->srv->close(b->conn);
		b->conn = NULL;
		src_clear(b);
		return;
	}
	tx_end(b);
	for (q = 0; q < Q_MAX; q++) {
		sqlite3_finalize(b->stmt[q]);
		b->stmt[q] = NULL;
	}
	sqlite3_finalize(b->fetch_stmt);
	b->fetch_stmt = NULL;
	sqlite3_finalize(b->begin);
	sqlite3_finalize(b->commit);
	b->begin = b->commit = NULL;
	sqlite3_close(b->db);
	b->db = NULL;
	src_clear(b);
}

static int
bind_vuser(struct backend *b, sqlite3_stmt *st)
{
	int	 i;

	if ((i = sqlite3_bind_parameter_index(st, ":virtual_user")) == 0)
		return 0;
	/* Named first, it would share slot 1 with the key. */
	if (i == 1)
		return -1;
	if (sqlite3_bind_text(st, i, b->conf.virtual_user, -1,
	    SQLITE_STATIC) != SQLITE_OK)
		return -1;
	return 0;
}

static int
db_open(struct backend *b, char *err, size_t errlen)
{
	struct stat	 sb;
	char		 msg[400];
	int		 q;

	if (sqlite_dirfd_stat(b->conf.dbpath, &sb) == -1) {
		if (errno == EACCES)
			db_denied(b->conf.dbpath, err, errlen);
		else
			snprintf(err, errlen, "cannot open database %s: %s",
			    b->conf.dbpath, strerror(errno));
		return -1;
	}
	if (db_open_ro(b->conf.dbpath, b->conf.busy_timeout, &b->db, err,
	    errlen) == -1)
		return -1;
	b->dev = sb.st_dev;
	b->ino = sb.st_ino;
	for (q = 0; q < Q_MAX; q++) {
		if (b->conf.query[q] == NULL)
			continue;
		if (db_prepare(b->db, b->conf.query[q], sqlconf_ncols(q),
		    &b->stmt[q], msg, sizeof(msg)) == -1) {
			snprintf(err, errlen, "%s: query_%s: %s",
			    b->conf.dbpath, sqlconf_query_name(q), msg);
			db_close(b);
			return -1;
		}
		if (bind_vuser(b, b->stmt[q]) == -1) {
			snprintf(err, errlen, "%s: query_%s: the key (?1) must "
			    "come before :virtual_user in the query",
			    b->conf.dbpath, sqlconf_query_name(q));
			db_close(b);
			return -1;
		}
	}
	if (db_prepare(b->db, "BEGIN", 0, &b->begin, msg, sizeof(msg)) == -1 ||
	    db_prepare(b->db, "COMMIT", 0, &b->commit, msg, sizeof(msg)) == -1) {
		snprintf(err, errlen, "%s: %s", b->conf.dbpath, msg);
		db_close(b);
		return -1;
	}
	if (b->conf.fetch_source != NULL &&
	    db_prepare(b->db, b->conf.fetch_source, 1, &b->fetch_stmt, msg,
	    sizeof(msg)) == -1) {
		snprintf(err, errlen, "%s: fetch_source: %s", b->conf.dbpath,
		    msg);
		db_close(b);
		return -1;
	}
	return 0;
}

/*
 * A server engine: is it in this build, and the queries written with
 * its placeholders (an error here is an error of the file, at start).
 */
static int
srv_init(struct backend *b, char *err, size_t errlen)
{
	const char	*sql;
	char		 msg[256];
	int		 q;

	if ((b->srv = dbsrv_engine(b->conf.engine, msg, sizeof(msg))) ==
	    NULL) {
		snprintf(err, errlen, "%s: backend %s: %s", b->path,
		    sqlconf_engine_name(b->conf.engine), msg);
		return -1;
	}
	for (q = 0; q < SLOT_FETCH + 1; q++) {
		sql = q == SLOT_FETCH ? b->conf.fetch_source : b->conf.query[q];
		if (sql == NULL)
			continue;
		if (sqlparam_rewrite(sql, b->srv->style, &b->sq[q], msg,
		    sizeof(msg)) == -1) {
			snprintf(err, errlen, "%s: %s: %s", b->path,
			    q == SLOT_FETCH ? "fetch_source" :
			    sqlconf_query_name(q), msg);
			return -1;
		}
		if (q == SLOT_FETCH && b->sq[q].nparam != 0) {
			snprintf(err, errlen, "%s: fetch_source takes no "
			    "parameter", b->path);
			return -1;
		}
	}
	return 0;
}

/* Connect and prepare every query: 0, or -1 with the reason in err. */
static int
srv_open(struct backend *b, char *err, size_t errlen)
{
	char	 msg[400];
	int	 q, ncols;

	if ((b->conn = b->srv->open(&b->conf, err, errlen)) == NULL)
		return -1;
	b->conn_gen++;
	for (q = 0; q < SLOT_MAX; q++) {
		if (b->sq[q].sql == NULL)
			continue;
		ncols = q == SLOT_FETCH ? 1 : q < Q_MAX ? sqlconf_ncols(q) : -1;
		if (b->srv->prepare(b->conn, q, b->sq[q].sql, b->sq[q].nparam,
		    ncols, msg, sizeof(msg)) != 0) {
			snprintf(err, errlen, "%s: %s: %s", b->srv->name,
			    q == SLOT_FETCH ? "fetch_source" : q < Q_MAX ?
			    sqlconf_query_name(q) : "lockouts", msg);
			db_close(b);
			return -1;
		}
	}
	return 0;
}

/*
 * The connection is dropped: it broke, or what it was asked failed in a
 * way that a new connection may mend (lib/db_pgsql.c, lib/db_mysql.c).
 * The first of an outage is logged, and the next request connects
 * again at once: a server restarted, or statements a pooler discarded,
 * cost one request.  A connection made again that is dropped again
 * before any answer (a server too slow for every query) waits the
 * back-off, as a connection that fails, and is logged only with -v.
 */
void
backend_srv_lost(struct backend *b, const char *msg)
{
	time_t	 t = now();

	db_close(b);
	strlcpy(b->lasterr, msg, sizeof(b->lasterr));
	if (b->down_since == 0) {
		b->down_since = t;
		b->backoff = 0;
		b->srv_next = 0;
		log_warnx("%s; lookups fail with a temporary error until the "
		    "%s server answers again", msg, b->srv->name);
		return;
	}
	log_debug("%s", msg);
	b->backoff = b->backoff == 0 ? 1 : b->backoff * 2;
	if (b->backoff > BACKOFF_MAX)
		b->backoff = BACKOFF_MAX;
	b->srv_next = now_ms() + (uint64_t)b->backoff * 1000;
}

/*
 * The server answered a query (rows, none, or an error of that query
 * alone): an outage ends here, not at the connection, which a server
 * may accept and then fail every query on.
 */
void
backend_srv_answered(struct backend *b)
{
	if (b->down_since != 0)
		log_info("%s server answers again, after %lld s",
		    b->srv->name, (long long)(now() - b->down_since));
	b->down_since = 0;
	b->backoff = 0;
}

/*
 * Connected, or a try now if the back-off allows: 0, or -1 with the
 * reason in err.  One message for the start of an outage, one for its
 * end (backend_srv_answered); the tries in between are debug messages.
 */
int
backend_srv_ready(struct backend *b, char *err, size_t errlen)
{
	time_t	 t;

	if (b->conn != NULL)
		return 0;
	t = now();
	/* In ms: a back-off of 1 s in whole seconds could end at once. */
	if (now_ms() < b->srv_next) {
		strlcpy(err, b->lasterr, errlen);
		return -1;
	}
	if (srv_open(b, b->lasterr, sizeof(b->lasterr)) == -1) {
		b->backoff = b->backoff == 0 ? 1 : b->backoff * 2;
		if (b->backoff > BACKOFF_MAX)
			b->backoff = BACKOFF_MAX;
		/* From the end of this try: a connection may time out. */
		b->srv_next = now_ms() + (uint64_t)b->backoff * 1000;
		if (b->down_since == 0) {
			b->down_since = t;
			log_warnx("%s; lookups fail with a temporary error "
			    "until it answers (tried again up to every %d s)",
			    b->lasterr, BACKOFF_MAX);
		} else
			log_debug("%s", b->lasterr);
		strlcpy(err, b->lasterr, errlen);
		return -1;
	}
	log_debug("connected to the %s server", b->srv->name);
	return 0;
}

/*
 * Run statement slot of the server with the values params (the key,
 * and the others its placeholders name): 1 rows in *res (the caller
 * frees them), 0 none, -1 error.
 */
int
backend_srv_query(struct backend *b, int slot, const char *const *params,
    int nvalues, struct dbres *res, char *err, size_t errlen)
{
	const char	*v[SQLPARAM_MAX];
	size_t		 len[SQLPARAM_MAX];
	char		 msg[512];
	int		 i, r, w;

	memset(res, 0, sizeof(*res));
	if (backend_srv_ready(b, err, errlen) == -1)
		return -1;
	if (b->sq[slot].sql == NULL) {
		snprintf(err, errlen, "no query_%s", sqlconf_query_name(slot));
		return -1;
	}
	for (i = 0; i < b->sq[slot].nparam; i++) {
		w = b->sq[slot].bind[i];
		v[i] = w == SQLPARAM_VUSER ? b->conf.virtual_user :
		    w < nvalues ? params[w] : "";
		len[i] = strlen(v[i]);
	}
	r = b->srv->exec(b->conn, slot, v, len, b->sq[slot].nparam, res, msg,
	    sizeof(msg));
	if (r == DBSRV_LOST) {
		backend_srv_lost(b, msg);
		strlcpy(err, msg, errlen);
		return -1;
	}
	backend_srv_answered(b);
	if (r != 0) {
		log_warnx("%s", msg);
		strlcpy(err, msg, errlen);
		return -1;
	}
	if (res->nrows == 0) {
		dbres_free(res);
		return 0;
	}
	return 1;
}

/* Read the configuration at path; the database is opened on first use. */
struct backend *
backend_new(const char *path, char *err, size_t errlen)
{
	struct backend	*b;

	if ((b = calloc(1, sizeof(*b))) == NULL ||
	    (b->path = strdup(path)) == NULL) {
		snprintf(err, errlen, "out of memory");
		free(b);
		return NULL;
	}
	if (sqlconf_load(path, &b->conf, err, errlen) == -1) {
		free(b->path);
		free(b);
		return NULL;
	}
	if (b->conf.engine != ENGINE_SQLITE && srv_init(b, err, errlen) == -1) {
		backend_free(b);
		return NULL;
	}
	return b;
}

/*
 * A backend for path with its database open, to take over from a
 * running one: NULL, with the reason in err, when the configuration or
 * the database cannot be used (the running one then keeps serving).
 */
struct backend *
backend_reload(const char *path, char *err, size_t errlen)
{
	struct backend	*b;

	if ((b = backend_new(path, err, errlen)) == NULL)
		return NULL;
	if (backend_ready(b, err, errlen) == -1) {
		backend_free(b);
		return NULL;
	}
	return b;
}

void
backend_free(struct backend *b)
{
	int	 q;

	if (b == NULL)
		return;
	db_close(b);
	for (q = 0; q < SLOT_MAX; q++)
		sqlparam_free(&b->sq[q]);
	sqlconf_free(&b->conf);
	free(b->path);
	free(b);
}

/*
 * Make sure the database is open and is still the file at dbpath (looked
 * at once a second).  Returns -1 with a message when it cannot be used.
 */
int
backend_ready(struct backend *b, char *err, size_t errlen)
{
	struct stat	 sb;
	time_t		 t = now();

	if (b->srv != NULL)
		return backend_srv_ready(b, err, errlen);
	if (b->db != NULL && t != b->checked) {
		b->checked = t;
		if (sqlite_dirfd_stat(b->conf.dbpath, &sb) == -1) {
			snprintf(b->lasterr, sizeof(b->lasterr),
			    "database %s is gone: %s", b->conf.dbpath,
			    strerror(errno));
			log_warnx("%s", b->lasterr);
			db_close(b);
			b->retry = t + 1;
		} else if (sb.st_dev != b->dev || sb.st_ino != b->ino) {
			log_info("database %s was replaced, reopening",
			    b->conf.dbpath);
			db_close(b);
			b->retry = 0;
		}
	}
	if (b->db != NULL)
		return 0;
	if (t < b->retry) {
		strlcpy(err, b->lasterr, errlen);
		return -1;
	}
	if (db_open(b, b->lasterr, sizeof(b->lasterr)) == -1) {
		b->retry = t + 1;
		log_warnx("%s", b->lasterr);
		strlcpy(err, b->lasterr, errlen);
		return -1;
	}
	b->checked = t;
	log_debug("database %s opened", b->conf.dbpath);
	return 0;
}

/* A step failed: a lock passes, anything else reopens the file. */
static int
step_failed(struct backend *b, int rc, char *err, size_t errlen)
{
	if (db_transient(rc)) {
		snprintf(err, errlen, "database %s is locked",
		    b->conf.dbpath);
		return -1;
	}
	snprintf(b->lasterr, sizeof(b->lasterr), "database %s: %s",
	    b->conf.dbpath, sqlite3_errmsg(b->db));
	strlcpy(err, b->lasterr, errlen);
	log_warnx("%s", b->lasterr);
	db_close(b);
	b->retry = now() + 1;
	return -1;
}

static sqlite3_stmt *
prepare_key(struct backend *b, int q, const char *key, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;

	if (backend_ready(b, err, errlen) == -1)
		return NULL;
	tx_begin(b);
	if ((st = b->stmt[q]) == NULL) {
		snprintf(err, errlen, "no query_%s", sqlconf_query_name(q));
		return NULL;
	}
	if (sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK) {
		snprintf(err, errlen, "bind: %s", sqlite3_errmsg(b->db));
		return NULL;
	}
	return st;
}

/*
 * Run query q for key up to its first row: 1 with the cursor on it
 * (the caller ends it with cur_end()), 0 no row, -1 error.
 */
static int
first_row(struct backend *b, int q, const char *key, struct cursor *c,
    char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(c, 0, sizeof(*c));
	if (b->srv != NULL)
		return backend_srv_query(b, q, &key, 1, &c->res, err, errlen);
	if ((st = prepare_key(b, q, key, err, errlen)) == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c->st = st;
		return 1;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	return step_failed(b, rc, err, errlen);
}

/* The next row: SQLITE_ROW, SQLITE_DONE, or SQLite's error. */
static int
cur_next(struct cursor *c)
{
	if (c->st != NULL)
		return sqlite3_step(c->st);
	if (++c->row < c->res.nrows)
		return SQLITE_ROW;
	return SQLITE_DONE;
}

static void
cur_end(struct backend *b, struct cursor *c)
{
	if (c->st != NULL) {
		if (b->db != NULL)
			sqlite3_reset(c->st);
		c->st = NULL;
	}
	dbres_free(&c->res);
}

static const char *
cur_value(struct cursor *c, int i, size_t *lenp)
{
	const char	*t;
	size_t		 k = c->row * c->res.ncols + i;

	if (c->st != NULL) {
		if (sqlite3_column_type(c->st, i) == SQLITE_NULL)
			return NULL;
		t = (const char *)sqlite3_column_text(c->st, i);
		*lenp = sqlite3_column_bytes(c->st, i);
		return t;
	}
	if ((size_t)i >= c->res.ncols || c->res.val[k] == NULL)
		return NULL;
	*lenp = c->res.len[k];
	return c->res.val[k];
}

/* A server's integers come as text: -?[0-9]+ is one. */
static int
cur_type(struct cursor *c, int i)
{
	const char	*t;
	size_t		 n, j;

	if (c->st != NULL)
		switch (sqlite3_column_type(c->st, i)) {
		case SQLITE_NULL:
			return COL_NULL;
		case SQLITE_INTEGER:
			return COL_INT;
		default:
			return COL_TEXT;
		}
	if ((t = cur_value(c, i, &n)) == NULL)
		return COL_NULL;
	j = n > 0 && t[0] == '-';
	if (j == n || n - j > 18)
		return COL_TEXT;
	for (; j < n; j++)
		if (t[j] < '0' || t[j] > '9')
			return COL_TEXT;
	return COL_INT;
}

static long long
cur_int(struct cursor *c, int i)
{
	const char	*t;
	size_t		 n;

	if (c->st != NULL)
		return sqlite3_column_int64(c->st, i);
	if ((t = cur_value(c, i, &n)) == NULL)
		return 0;
	return strtoll(t, NULL, 10);
}

/* Returns 1 found, 0 not found, -1 error. */
int
backend_check(struct backend *b, int q, const char *key, char *err,
    size_t errlen)
{
	struct cursor	 c;
	int		 r;

	if ((r = first_row(b, q, key, &c, err, errlen)) == 1)
		cur_end(b, &c);
	return r;
}

/*
 * Column i of the current row as protocol-safe text: not NULL, not
 * empty, no CR, LF or NUL.  NULL otherwise, with the reason in why.
 */
static const char *
col_text(struct cursor *c, int i, size_t *lenp, const char **why)
{
	const char	*t;
	size_t		 n = 0;

	if ((t = cur_value(c, i, &n)) == NULL && cur_type(c, i) == COL_NULL) {
		*why = "is NULL";
		return NULL;
	}
	if (t == NULL || n == 0) {
		*why = "is empty";
		return NULL;
	}
	if (memchr(t, '\n', n) != NULL || memchr(t, '\r', n) != NULL ||
	    memchr(t, '\0', n) != NULL) {
		*why = "holds a CR, LF or NUL";
		return NULL;
	}
	*lenp = n;
	return t;
}

/* A server's value as a C string, for a message. */
static const char *
col_str(struct cursor *c, int i)
{
	const char	*t;
	size_t		 n;

	if ((t = cur_value(c, i, &n)) == NULL)
		return "";
	return t;
}

/* Format the current row (and for lists, the rows after it) into lk. */
static enum lookup_result
format_value(struct backend *b, int q, struct cursor *c, const char *key,
    struct lookup *lk)
{
	struct ibuf	 val;
	char		*err = lk->err;
	size_t		 errlen = sizeof(lk->err);
	const char	*t, *h, *why = NULL;
	size_t		 n;
	int		 rc = SQLITE_ROW, row = 0, col = 0;
	char		 num[64], k[LOG_VALUE_MAX], sch[PW_SCHEME_MAX];

	lk->val[0] = '\0';
	ibuf_fixed(&val, lk->val, lk->vlen);
	switch (q) {
	case Q_ALIAS:
	case Q_MAILADDRMAP:
	case Q_OWNERS:
		for (; rc == SQLITE_ROW; rc = cur_next(c)) {
			row++;
			if ((t = col_text(c, 0, &n, &why)) == NULL)
				goto badrow;
			if ((ibuf_size(&val) > 0 &&
			    ibuf_addz(&val, ", ", 2) == -1) ||
			    ibuf_addz(&val, t, n) == -1)
				goto toolong;
		}
		if (rc != SQLITE_DONE) {
			step_failed(b, rc, err, errlen);
			return LOOKUP_ERROR;
		}
		return LOOKUP_FOUND;
	case Q_CREDENTIALS:
		row = 1;
		if ((t = col_text(c, 0, &n, &why)) == NULL)
			goto badrow;
		if (memchr(t, ':', n) != NULL) {
			why = "holds a ':'";
			goto badrow;
		}
		col = 1;
		if ((h = col_text(c, 1, &n, &why)) == NULL)
			goto badrow;
		if ((h = passwd_crypt_part(h)) == NULL) {
			log_warnx("credentials for %s: password hash "
			    "scheme %s cannot be checked by smtpd; store a "
			    "crypt(3) hash or set auth_offload yes",
			    log_escape(key, 0, k, sizeof(k)),
			    passwd_scheme(col_str(c, 1), sch, sizeof(sch)));
			return LOOKUP_NOTFOUND;
		}
		/* OpenBSD's crypt(3) checks bcrypt only. */
		if (!pwcrypt_can_check(h)) {
			log_warnx("credentials for %s: this system's crypt(3) "
			    "cannot check a %s hash (it checks %s); set a new "
			    "password with auth-helper user passwd",
			    log_escape(key, 0, k, sizeof(k)),
			    passwd_scheme(h, sch, sizeof(sch)),
			    pwcrypt_checks());
			return LOOKUP_NOTFOUND;
		}
		if (ibuf_addz(&val, t, strlen(t)) == -1 ||
		    ibuf_addz(&val, ":", 1) == -1 ||
		    ibuf_addz(&val, h, strlen(h)) == -1)
			goto toolong;
		return LOOKUP_FOUND;
	case Q_USERINFO:
		/* uid:gid:directory */
		row = 1;
		for (col = 0; col < 2; col++) {
			if (cur_type(c, col) != COL_INT) {
				why = "is not an integer";
				goto badrow;
			}
			snprintf(num, sizeof(num), "%lld:", cur_int(c, col));
			if (ibuf_addz(&val, num, strlen(num)) == -1)
				goto toolong;
		}
		break;
	default:
		row = 1;
		break;
	}
	/* The last (or only) column, as text. */
	if ((t = col_text(c, col, &n, &why)) == NULL)
		goto badrow;
	if (ibuf_addz(&val, t, n) == -1)
		goto toolong;
	return LOOKUP_FOUND;
 badrow:
	snprintf(err, errlen, "%s %s: row %d column %d %s",
	    sqlconf_query_name(q), log_escape(key, 0, k, sizeof(k)), row,
	    col + 1, why);
	log_warnx("lookup %s; fix that row in %s", err, b->srv != NULL ?
	    b->srv->name : b->conf.dbpath);
	return LOOKUP_ERROR;
 toolong:
	snprintf(err, errlen, "%s %s: value longer than %zu bytes",
	    sqlconf_query_name(q), log_escape(key, 0, k, sizeof(k)),
	    lk->vlen - 1);
	log_warnx("lookup %s", err);
	return LOOKUP_ERROR;
}

/* The answer of query q for key, into lk. */
enum lookup_result
backend_lookup(struct backend *b, int q, const char *key, struct lookup *lk)
{
	struct cursor		 c;
	enum lookup_result	 r;

	lk->err[0] = '\0';
	switch (first_row(b, q, key, &c, lk->err, sizeof(lk->err))) {
	case -1:
		return LOOKUP_ERROR;
	case 0:
		return LOOKUP_NOTFOUND;
	}
	r = format_value(b, q, &c, key, lk);
	cur_end(b, &c);
	return r;
}

/*
 * The stored password hash of login, for the auth service: 1 found,
 * 0 not found, -1 error.
 */
int
backend_stored_hash(struct backend *b, const char *login, char *hash,
    size_t hlen, char *err, size_t errlen)
{
	struct cursor	 c;
	const char	*t, *why;
	char		 k[LOG_VALUE_MAX];
	size_t		 n;
	int		 r;

	if ((r = first_row(b, Q_CREDENTIALS, login, &c, err, errlen)) != 1)
		return r;
	if ((t = col_text(&c, 1, &n, &why)) == NULL) {
		log_warnx("auth %s: password column %s; the user cannot "
		    "log in", log_escape(login, 0, k, sizeof(k)), why);
		r = 0;
	} else if (n >= hlen) {
		snprintf(err, errlen, "auth %s: password hash too long",
		    log_escape(login, 0, k, sizeof(k)));
		r = -1;
	} else {
		memcpy(hash, t, n);
		hash[n] = '\0';
	}
	cur_end(b, &c);
	return r;
}

/* Keep row text t of n bytes as the next source address. */
static int
src_add(struct backend *b, const char *t, size_t n, char *err, size_t errlen)
{
	char	**v;

	if ((v = reallocarray(b->src, b->nsrc + 1, sizeof(*v))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	b->src = v;
	if ((b->src[b->nsrc] = strndup(t, n)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	b->nsrc++;
	return 0;
}

static int
src_load(struct backend *b, char *err, size_t errlen)
{
	struct cursor	 c;
	const char	*t, *why;
	size_t		 n;
	int		 rc, r;

	src_clear(b);
	memset(&c, 0, sizeof(c));
	if (b->srv != NULL) {
		if ((r = backend_srv_query(b, SLOT_FETCH, NULL, 0, &c.res, err,
		    errlen)) == -1)
			return -1;
		rc = r == 1 ? SQLITE_ROW : SQLITE_DONE;
	} else {
		c.st = b->fetch_stmt;
		rc = sqlite3_step(c.st);
	}
	for (; rc == SQLITE_ROW; rc = cur_next(&c)) {
		if ((t = col_text(&c, 0, &n, &why)) == NULL) {
			log_warnx("fetch_source: row %zu %s, skipped",
			    b->nsrc + 1, why);
			continue;
		}
		if (b->nsrc == SRC_MAX) {
			log_warnx("fetch_source: more than %d rows, "
			    "using the first %d", SRC_MAX, SRC_MAX);
			break;
		}
		if (src_add(b, t, n, err, errlen) == -1) {
			cur_end(b, &c);
			return -1;
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		cur_end(b, &c);
		return step_failed(b, rc, err, errlen);
	}
	cur_end(b, &c);
	b->src_loaded = now();
	return 0;
}

/* The next row of fetch_source, in turn, into lk. */
enum lookup_result
backend_fetch(struct backend *b, struct lookup *lk)
{
	char	*err = lk->err;
	size_t	 errlen = sizeof(lk->err);

	if (backend_ready(b, err, errlen) == -1)
		return LOOKUP_ERROR;
	if (b->srv != NULL ? b->sq[SLOT_FETCH].sql == NULL :
	    b->fetch_stmt == NULL) {
		snprintf(err, errlen, "no fetch_source query");
		return LOOKUP_ERROR;
	}
	if (b->src == NULL || b->src_calls >= b->conf.fetch_refresh ||
	    now() - b->src_loaded >= b->conf.fetch_expire)
		if (src_load(b, err, errlen) == -1)
			return LOOKUP_ERROR;
	b->src_calls++;
	if (b->nsrc == 0)
		return LOOKUP_NOTFOUND;
	if (b->isrc >= b->nsrc)
		b->isrc = 0;
	if (strlcpy(lk->val, b->src[b->isrc++], lk->vlen) >= lk->vlen) {
		snprintf(err, errlen, "source address too long");
		return LOOKUP_ERROR;
	}
	return LOOKUP_FOUND;
}
