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
 * PostgreSQL through libpq.  The connection string is the conninfo of
 * the configuration, as opensmtpd-table-postgres reads it (multi-host
 * strings and target_session_attrs included), with connect_timeout
 * and the server's statement_timeout taken from ours unless it sets
 * them.  The socket is non-blocking: every exchange with the server is
 * a poll(2) with a deadline, so that a server that stops answering costs
 * query_timeout and no more; the connection is then dropped.
 */

#include <sys/types.h>

#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "dbsrv.h"
#include "log.h"

#ifdef HAVE_LIBPQ
#include <libpq-fe.h>

struct dbconn {
	PGconn		*pg;
	int		 timeout;	/* ms */
	int		 nparam[SLOT_MAX];
};

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* libpq's message on one line. */
static void
pg_msg(const char *what, const char *m, char *err, size_t errlen)
{
	size_t	 n;

	snprintf(err, errlen, "%s: %s", what, m);
	n = strlen(err);
	while (n > 0 && (err[n - 1] == '\n' || err[n - 1] == ' '))
		err[--n] = '\0';
	for (; n > 0; n--)
		if (err[n - 1] == '\n' || err[n - 1] == '\t')
			err[n - 1] = ' ';
}

static void
pg_notice(void *arg, const char *m)
{
	log_debug("postgresql: %s", m);
}

/*
 * What was sent, answered within the deadline: the last result (the
 * caller clears it), or NULL with the reason in err, the connection
 * then being of no more use.
 */
static PGresult *
pg_wait(struct dbconn *c, char *err, size_t errlen)
{
	struct pollfd	 pfd;
	PGresult	*res = NULL, *r;
	long long	 left, deadline = now_ms() + c->timeout;
	int		 f, flushing = 1, polled = 0;

	for (;;) {
		if (flushing) {
			if ((f = PQflush(c->pg)) == -1)
				goto lost;
			flushing = f == 1;
		}
		/*
		 * Read only once poll said so: just after the send, what
		 * libpq holds already (read while a flush blocked) is all
		 * there can be, and a read would find nothing, once per
		 * query.
		 */
		if (!flushing) {
			if (polled && PQconsumeInput(c->pg) == 0)
				goto lost;
			while (!PQisBusy(c->pg)) {
				if ((r = PQgetResult(c->pg)) != NULL) {
					PQclear(res);
					res = r;
					continue;
				}
				if (res == NULL)
					snprintf(err, errlen, "PostgreSQL: "
					    "no result");
				return res;
			}
		}
		if ((left = deadline - now_ms()) <= 0) {
			PQclear(res);
			snprintf(err, errlen, "no answer from the PostgreSQL "
			    "server within %d ms (query_timeout)", c->timeout);
			return NULL;
		}
		pfd.fd = PQsocket(c->pg);
		pfd.events = POLLIN | (flushing ? POLLOUT : 0);
		if (pfd.fd == -1 ||
		    (poll(&pfd, 1, (int)left) == -1 && errno != EINTR))
			goto lost;
		polled = 1;
	}
 lost:
	PQclear(res);
	pg_msg("PostgreSQL", PQerrorMessage(c->pg), err, errlen);
	return NULL;
}

/*
 * The SQLSTATEs, by class or in full, after which the connection is
 * dropped and made again (with the back-off of lib/backend.c) rather
 * than used on: the connection or its prepared statements are no good
 * any more, or the server is out of time or resources.  A query timed
 * out, cancelled or waiting for a lock (57014, 55P03) is the server
 * being slow for every request, not one bad row; a prepared statement
 * gone (26000, DISCARD ALL by a pooler) or whose rows changed type
 * under it (0A000, "cached plan must not change result type", after an
 * ALTER TABLE) fails on every request until it is prepared again.
 * Anything else (a value out of range, a read-only replica refusing a
 * write) fails that request only.
 */
static const char *const pg_drop[] = {
	"08",		/* connection exception */
	"53",		/* insufficient resources: overloaded, too many */
	"57",		/* operator intervention: timeout, cancel, shutdown */
	"58",		/* system error: I/O */
	"0A000",	/* a cached plan whose result type changed */
	"26000",	/* no such prepared statement */
	"25P02",	/* in a failed transaction */
	"25P03",	/* idle in transaction too long */
	"55P03",	/* a lock not available in time */
};

static int
pg_drops(const char *st)
{
	size_t	 i;

	if (st == NULL)
		return 1;
	for (i = 0; i < sizeof(pg_drop) / sizeof(pg_drop[0]); i++)
		if (strncmp(st, pg_drop[i], strlen(pg_drop[i])) == 0)
			return 1;
	return 0;
}

/*
 * A failed result: DBSRV_FAILED when the connection is still good,
 * DBSRV_LOST when it must be dropped (pg_drop above).
 */
static int
pg_failed(struct dbconn *c, PGresult *res, const char *what, char *err,
    size_t errlen)
{
	int	 lost;

	/* The SQLSTATE lives in res: read it before res is cleared. */
	lost = PQstatus(c->pg) != CONNECTION_OK ||
	    pg_drops(PQresultErrorField(res, PG_DIAG_SQLSTATE));
	pg_msg(what, PQresultErrorMessage(res), err, errlen);
	PQclear(res);
	return lost ? DBSRV_LOST : DBSRV_FAILED;
}

static void
pg_close(struct dbconn *c)
{
	if (c == NULL)
		return;
	PQfinish(c->pg);
	free(c);
}

static int
pg_command(struct dbconn *c, const char *sql, char *err, size_t errlen)
{
	PGresult	*res;

	if (PQsendQuery(c->pg, sql) == 0) {
		pg_msg("PostgreSQL", PQerrorMessage(c->pg), err, errlen);
		return DBSRV_LOST;
	}
	if ((res = pg_wait(c, err, errlen)) == NULL)
		return DBSRV_LOST;
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		return pg_failed(c, res, sql, err, errlen);
	PQclear(res);
	return 0;
}

/*
 * A connect_timeout in conninfo wins over ours, but none that would
 * let a connection wait without end: 0 (or less) is libpq's "forever".
 */
static int
pg_conninfo_ok(const char *conninfo, char *err, size_t errlen)
{
	PQconninfoOption	*opts, *o;
	char			*msg = NULL;
	const char		*errstr = NULL;
	int			 ok = 1;

	if ((opts = PQconninfoParse(conninfo, &msg)) == NULL) {
		pg_msg("conninfo", msg != NULL ? msg : "out of memory", err,
		    errlen);
		PQfreemem(msg);
		return 0;
	}
	for (o = opts; o->keyword != NULL; o++) {
		if (strcmp(o->keyword, "connect_timeout") != 0 ||
		    o->val == NULL)
			continue;
		(void)strtonum(o->val, 1, 60, &errstr);
		if (errstr != NULL) {
			snprintf(err, errlen, "conninfo: connect_timeout=%s "
			    "is %s: give 1 to 60 seconds, or leave it to "
			    "connect_timeout", o->val, errstr);
			ok = 0;
		}
	}
	PQconninfoFree(opts);
	return ok;
}

static struct dbconn *
pg_open(const struct sqlconf *conf, char *err, size_t errlen)
{
	const char	*kw[] = { "connect_timeout", "application_name",
			    "dbname", NULL };
	const char	*val[4];
	struct dbconn	*c;
	char		 ct[16], sql[64];

	if (!pg_conninfo_ok(conf->conninfo, err, errlen))
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->timeout = conf->query_timeout;
	/* Ours first: what conninfo says wins. */
	snprintf(ct, sizeof(ct), "%d", conf->connect_timeout);
	val[0] = ct;
	val[1] = "opensmtpd-kit";
	val[2] = conf->conninfo;
	val[3] = NULL;
	c->pg = PQconnectdbParams(kw, val, 1);
	if (c->pg == NULL) {
		snprintf(err, errlen, "PostgreSQL: out of memory");
		free(c);
		return NULL;
	}
	if (PQstatus(c->pg) != CONNECTION_OK) {
		pg_msg("cannot connect to PostgreSQL", PQerrorMessage(c->pg),
		    err, errlen);
		pg_close(c);
		return NULL;
	}
	PQsetNoticeProcessor(c->pg, pg_notice, NULL);
	if (PQsetnonblocking(c->pg, 1) == -1) {
		pg_msg("PostgreSQL", PQerrorMessage(c->pg), err, errlen);
		pg_close(c);
		return NULL;
	}
	/* The server gives up too, rather than work for nobody. */
	snprintf(sql, sizeof(sql), "SET statement_timeout = %d",
	    conf->query_timeout);
	if (pg_command(c, sql, err, errlen) != 0) {
		pg_close(c);
		return NULL;
	}
	return c;
}

/*
 * The result of the command just sent (sent: what PQsend*() returned)
 * when it is PGRES_COMMAND_OK; else NULL, with what to return in *rv.
 */
static PGresult *
pg_reply(struct dbconn *c, int sent, const char *sql, int *rv, char *err,
    size_t errlen)
{
	PGresult	*res;

	*rv = DBSRV_LOST;
	if (sent == 0) {
		pg_msg("PostgreSQL", PQerrorMessage(c->pg), err, errlen);
		return NULL;
	}
	if ((res = pg_wait(c, err, errlen)) == NULL)
		return NULL;
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		*rv = pg_failed(c, res, sql, err, errlen);
		return NULL;
	}
	return res;
}

static int
pg_prepare(struct dbconn *c, int slot, const char *sql, int nparam,
    int ncols, char *err, size_t errlen)
{
	PGresult	*res;
	char		 name[16];
	int		 rv;

	snprintf(name, sizeof(name), "kit%d", slot);
	if ((res = pg_reply(c, PQsendPrepare(c->pg, name, sql, nparam, NULL),
	    sql, &rv, err, errlen)) == NULL)
		return rv;
	PQclear(res);
	if (ncols < 0)
		goto done;
	if ((res = pg_reply(c, PQsendDescribePrepared(c->pg, name), sql, &rv,
	    err, errlen)) == NULL)
		return rv;
	if (PQnfields(res) != ncols) {
		snprintf(err, errlen, "query returns %d columns, %d expected: "
		    "\"%s\"", PQnfields(res), ncols, sql);
		PQclear(res);
		return DBSRV_FAILED;
	}
	PQclear(res);
 done:
	c->nparam[slot] = nparam;
	return 0;
}

static void
pg_release(struct dbres *r)
{
	PQclear(r->priv);
}

static int
pg_exec(struct dbconn *c, int slot, const char *const *param,
    const size_t *plen, int nparam, struct dbres *r, char *err,
    size_t errlen)
{
	PGresult	*res;
	const char	*st;
	size_t		 i, j, k;
	char		 name[16];

	memset(r, 0, sizeof(*r));
	snprintf(name, sizeof(name), "kit%d", slot);
	if (PQsendQueryPrepared(c->pg, name, nparam, param, NULL, NULL,
	    0) == 0) {
		pg_msg("PostgreSQL", PQerrorMessage(c->pg), err, errlen);
		return DBSRV_LOST;
	}
	if ((res = pg_wait(c, err, errlen)) == NULL)
		return DBSRV_LOST;
	if (PQresultStatus(res) == PGRES_FATAL_ERROR &&
	    (st = PQresultErrorField(res, PG_DIAG_SQLSTATE)) != NULL &&
	    (strcmp(st, "22021") == 0 || strcmp(st, "22P05") == 0)) {
		/* A key the database cannot hold is in none of its rows. */
		PQclear(res);
		return 0;
	}
	if (PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQresultStatus(res) != PGRES_COMMAND_OK)
		return pg_failed(c, res, "PostgreSQL", err, errlen);
	if (dbres_alloc(r, PQntuples(res), PQnfields(res)) == -1) {
		PQclear(res);
		snprintf(err, errlen, "out of memory");
		return DBSRV_FAILED;
	}
	r->priv = res;
	r->release = pg_release;
	r->changed = strtoull(PQcmdTuples(res), NULL, 10);
	for (i = 0, k = 0; i < r->nrows; i++)
		for (j = 0; j < r->ncols; j++, k++) {
			if (PQgetisnull(res, i, j))
				continue;
			r->val[k] = PQgetvalue(res, i, j);
			r->len[k] = PQgetlength(res, i, j);
		}
	return 0;
}

/* The conninfo keywords that name a file libpq reads. */
static const char *const pg_file_kw[] = {
	"passfile", "sslcert", "sslkey", "sslrootcert", "sslcrl", "sslcrldir",
	NULL
};

/* Their defaults in the home directory, the password file's first. */
static const char *const pg_home_files[] = {
	".pgpass", ".postgresql/postgresql.crt", ".postgresql/postgresql.key",
	".postgresql/root.crt", ".postgresql/root.crl", NULL
};

/*
 * What libpq reads when it connects with conf->conninfo: each keyword
 * of it, or else its environment variable (as libpq falls back to
 * them), that names a file, the directories of host=/path, and the
 * defaults of those files in the home directory, as libpq finds it
 * ($HOME since PostgreSQL 16, the password database before: both).
 * The service files when a service is named.
 */
static void
pg_files(const struct sqlconf *conf, struct dbsrv_files *f)
{
	PQconninfoOption	*opts, *o;
	struct passwd		*pw;
	const char		*home[2], *v, *h, *e;
	char			*errmsg = NULL, dir[1024];
	size_t			 i, j;
	int			 service = 0, nopass = 0;

	if ((opts = PQconninfoParse(conf->conninfo, &errmsg)) == NULL) {
		PQfreemem(errmsg);
		return;
	}
	for (o = opts; o->keyword != NULL; o++) {
		v = o->val;
		if ((v == NULL || v[0] == '\0') && o->envvar != NULL)
			v = getenv(o->envvar);
		if (v == NULL || v[0] == '\0')
			continue;
		for (i = 0; pg_file_kw[i] != NULL; i++)
			if (strcmp(o->keyword, pg_file_kw[i]) == 0)
				dbsrv_files_add(f, 0, v, NULL);
		if (strcmp(o->keyword, "service") == 0)
			service = 1;
		else if (strcmp(o->keyword, "password") == 0 ||
		    strcmp(o->keyword, "passfile") == 0)
			nopass = 1;
		else if (strcmp(o->keyword, "host") == 0)
			/* host=a,/path,b: the sockets' directories. */
			for (h = v; *h != '\0'; h = *e == ',' ? e + 1 : e) {
				e = h + strcspn(h, ",");
				if (h[0] == '/' && (size_t)(e - h) < sizeof(dir)) {
					memcpy(dir, h, e - h);
					dir[e - h] = '\0';
					dbsrv_files_add(f, 1, dir, NULL);
				}
			}
	}
	PQconninfoFree(opts);

	home[0] = getenv("HOME");
	home[1] = (pw = getpwuid(geteuid())) != NULL ? pw->pw_dir : NULL;
	for (j = 0; j < 2; j++) {
		if (home[j] == NULL || home[j][0] != '/' ||
		    strcmp(home[j], "/") == 0)
			continue;
		/* A password or a password file given: not ~/.pgpass. */
		for (i = nopass ? 1 : 0; pg_home_files[i] != NULL; i++)
			dbsrv_files_add(f, 0, home[j], pg_home_files[i]);
		if (service && getenv("PGSERVICEFILE") == NULL)
			dbsrv_files_add(f, 0, home[j], ".pg_service.conf");
	}
	if (service) {
		dbsrv_files_add(f, 0, getenv("PGSERVICEFILE"), NULL);
		dbsrv_files_add(f, 0, getenv("PGSYSCONFDIR"),
		    "pg_service.conf");
	}
}

static const struct dbsrv_ops dbsrv_pgsql = {
	"PostgreSQL",
	SQLPARAM_DOLLAR,
	pg_open,
	pg_close,
	pg_prepare,
	pg_exec,
	pg_command,
	pg_files,
};

const struct dbsrv_ops *
dbsrv_pgsql_ops(char *err, size_t errlen)
{
	return &dbsrv_pgsql;
}

#else /* !HAVE_LIBPQ */

/* This build has no library for the engine: the package that brings it. */
const struct dbsrv_ops *
dbsrv_pgsql_ops(char *err, size_t errlen)
{
	snprintf(err, errlen, "this build has no PostgreSQL backend: "
	    "install libpq-dev (Debian; the PostgreSQL client library "
	    "elsewhere) and build the kit again");
	return NULL;
}

#endif /* HAVE_LIBPQ */
