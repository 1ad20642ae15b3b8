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
 * MariaDB and MySQL through MariaDB Connector/C.  The keys are
 * opensmtpd-table-mysql's (host, username, password, database) and
 * ours (socket, port).  The time limits are the connector's: connect,
 * read and write timeouts, in whole seconds (query_timeout rounded up),
 * and the server's max_statement_time where it has one (MariaDB).  No
 * automatic reconnection: a lost connection is dropped, and the backend
 * connects again on a later request.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "dbsrv.h"
#include "log.h"
#include "sandbox.h"

#ifdef HAVE_LIBMARIADB
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#define COL_MAX		(64 * 1024)	/* longest value of a column */
#define NCOLS_MAX	4

struct dbconn {
	MYSQL		*my;
	MYSQL_STMT	*st[SLOT_MAX];
	char		*buf[NCOLS_MAX];
};

/*
 * The errors after which the connection is dropped and made again
 * (with the back-off of lib/backend.c) rather than used on, as for
 * PostgreSQL (lib/db_pgsql.c): a client error (20xx: the connection),
 * a server that is going, or kills the connection; a statement that
 * ran out of time (max_statement_time), was interrupted or waited for
 * a lock too long, a server out of resources; a prepared statement
 * gone, or that the server cannot prepare again after a change of its
 * tables.  Anything else fails that request only.
 */
static int
my_lost(unsigned int e)
{
	switch (e) {
	case ER_OUTOFMEMORY:			/* 1037 */
	case ER_OUT_OF_SORTMEMORY:		/* 1038 */
	case ER_CON_COUNT_ERROR:		/* 1040 */
	case ER_OUT_OF_RESOURCES:		/* 1041 */
	case ER_SERVER_SHUTDOWN:		/* 1053 */
	case ER_NET_READ_ERROR:			/* 1158 */
	case ER_NET_READ_INTERRUPTED:		/* 1159 */
	case ER_NET_ERROR_ON_WRITE:		/* 1160 */
	case ER_NET_WRITE_INTERRUPTED:		/* 1161 */
	case ER_TOO_MANY_USER_CONNECTIONS:	/* 1203 */
	case ER_LOCK_WAIT_TIMEOUT:		/* 1205 */
	case ER_UNKNOWN_STMT_HANDLER:		/* 1243 */
	case ER_QUERY_INTERRUPTED:		/* 1317 */
	case ER_NEED_REPREPARE:			/* 1615 */
	case ER_CONNECTION_KILLED:		/* 1927 */
	case ER_STATEMENT_TIMEOUT:		/* 1969 */
		return 1;
	}
	return e >= 2000 && e < 3000;
}

static void
my_close(struct dbconn *c)
{
	int	 i;

	if (c == NULL)
		return;
	for (i = 0; i < SLOT_MAX; i++)
		if (c->st[i] != NULL)
			mysql_stmt_close(c->st[i]);
	for (i = 0; i < NCOLS_MAX; i++)
		free(c->buf[i]);
	if (c->my != NULL)
		mysql_close(c->my);
	free(c);
}

static int
my_command(struct dbconn *c, const char *sql, char *err, size_t errlen)
{
	MYSQL_RES	*res;

	if (mysql_real_query(c->my, sql, strlen(sql)) != 0) {
		snprintf(err, errlen, "MariaDB: %s: %s", sql,
		    mysql_error(c->my));
		return my_lost(mysql_errno(c->my)) ? DBSRV_LOST : DBSRV_FAILED;
	}
	if ((res = mysql_store_result(c->my)) != NULL)
		mysql_free_result(res);
	return 0;
}

static struct dbconn *
my_open(const struct sqlconf *conf, char *err, size_t errlen)
{
	struct dbconn	*c;
	const char	*host = conf->host, *sock = conf->socket;
	unsigned int	 ct, rt;
	my_bool		 off = 0;
	char		 sql[64];
	int		 i;

	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->my = mysql_init(NULL)) == NULL) {
		free(c);
		snprintf(err, errlen, "MariaDB: out of memory");
		return NULL;
	}
	for (i = 0; i < NCOLS_MAX; i++)
		if ((c->buf[i] = malloc(COL_MAX + 1)) == NULL) {
			snprintf(err, errlen, "out of memory");
			my_close(c);
			return NULL;
		}
	/* A host that is a path is the server's socket. */
	if (host != NULL && host[0] == '/') {
		sock = host;
		host = "localhost";
	}
	ct = conf->connect_timeout > 0 ? conf->connect_timeout : 1;
	rt = (conf->query_timeout + 999) / 1000;
	if (rt == 0)
		rt = 1;
	if (mysql_options(c->my, MYSQL_OPT_CONNECT_TIMEOUT, &ct) != 0 ||
	    mysql_options(c->my, MYSQL_OPT_READ_TIMEOUT, &rt) != 0 ||
	    mysql_options(c->my, MYSQL_OPT_WRITE_TIMEOUT, &rt) != 0 ||
	    mysql_options(c->my, MYSQL_OPT_RECONNECT, &off) != 0 ||
	    mysql_options(c->my, MYSQL_SET_CHARSET_NAME, "utf8mb4") != 0) {
		snprintf(err, errlen, "MariaDB: mysql_options: %s",
		    mysql_error(c->my));
		my_close(c);
		return NULL;
	}
	if (mysql_real_connect(c->my, host, conf->username, conf->password,
	    conf->database, conf->port, sock, 0) == NULL) {
		snprintf(err, errlen, "cannot connect to MariaDB: %s",
		    mysql_error(c->my));
		my_close(c);
		return NULL;
	}
	/* MariaDB's own limit on the server side; MySQL has none such. */
	snprintf(sql, sizeof(sql), "SET SESSION max_statement_time = %d.%03d",
	    conf->query_timeout / 1000, conf->query_timeout % 1000);
	if (my_command(c, sql, err, errlen) == DBSRV_LOST) {
		my_close(c);
		return NULL;
	}
	/*
	 * Each statement commits, whatever the server's default: with
	 * autocommit off, a host's failed-AUTH counts would be rolled back
	 * when it disconnects, and a connection kept open would read the
	 * snapshot of its first statement for ever.
	 */
	if (mysql_autocommit(c->my, 1) != 0) {
		snprintf(err, errlen, "MariaDB: autocommit: %s",
		    mysql_error(c->my));
		my_close(c);
		return NULL;
	}
	return c;
}

static int
my_prepare(struct dbconn *c, int slot, const char *sql, int nparam,
    int ncols, char *err, size_t errlen)
{
	MYSQL_STMT	*st;
	unsigned int	 e;

	if ((st = mysql_stmt_init(c->my)) == NULL) {
		snprintf(err, errlen, "MariaDB: %s", mysql_error(c->my));
		return DBSRV_LOST;
	}
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		snprintf(err, errlen, "%s in query \"%s\"",
		    mysql_stmt_error(st), sql);
		e = mysql_stmt_errno(st);
		mysql_stmt_close(st);
		return my_lost(e) ? DBSRV_LOST : DBSRV_FAILED;
	}
	if (mysql_stmt_param_count(st) != (unsigned long)nparam) {
		snprintf(err, errlen, "query takes %lu parameters, %d "
		    "expected: \"%s\"", mysql_stmt_param_count(st), nparam,
		    sql);
		mysql_stmt_close(st);
		return DBSRV_FAILED;
	}
	if ((ncols >= 0 && mysql_stmt_field_count(st) != (unsigned)ncols) ||
	    mysql_stmt_field_count(st) > NCOLS_MAX) {
		snprintf(err, errlen, "query returns %u columns, %d expected: "
		    "\"%s\"", mysql_stmt_field_count(st), ncols, sql);
		mysql_stmt_close(st);
		return DBSRV_FAILED;
	}
	if (c->st[slot] != NULL)
		mysql_stmt_close(c->st[slot]);
	c->st[slot] = st;
	return 0;
}

static void
my_release(struct dbres *r)
{
	size_t	 i;

	for (i = 0; i < r->nrows * r->ncols; i++)
		free(r->val[i]);
}

/*
 * A statement failed: its error, or the connection's when the statement
 * has none (an error that ends the rows, max_statement_time's among
 * them, may be the connection's only).  An error without a code leaves
 * the connection in a state unknown: it is dropped.
 */
static int
my_failed(struct dbconn *c, MYSQL_STMT *st, char *err, size_t errlen)
{
	unsigned int	 e = mysql_stmt_errno(st);
	const char	*m = mysql_stmt_error(st);

	if (e == 0) {
		e = mysql_errno(c->my);
		m = mysql_error(c->my);
	}
	snprintf(err, errlen, "MariaDB: %s", e != 0 && m[0] != '\0' ? m :
	    "error without a code");
	mysql_stmt_free_result(st);
	return e == 0 || my_lost(e) ? DBSRV_LOST : DBSRV_FAILED;
}

static int
my_exec(struct dbconn *c, int slot, const char *const *param,
    const size_t *plen, int nparam, struct dbres *r, char *err,
    size_t errlen)
{
	MYSQL_STMT	*st = c->st[slot];
	MYSQL_BIND	 pb[SQLPARAM_MAX], rb[NCOLS_MAX];
	unsigned long	 pl[SQLPARAM_MAX], rl[NCOLS_MAX];
	my_bool		 rnull[NCOLS_MAX], rerr[NCOLS_MAX];
	char		**v;
	size_t		*l, n, k;
	unsigned int	 ncols, i;
	int		 rc;

	memset(r, 0, sizeof(*r));
	r->release = my_release;
	memset(pb, 0, sizeof(pb));
	for (i = 0; i < (unsigned)nparam; i++) {
		pl[i] = plen[i];
		pb[i].buffer_type = MYSQL_TYPE_STRING;
		pb[i].buffer = (void *)param[i];
		pb[i].buffer_length = plen[i];
		pb[i].length = &pl[i];
	}
	if (nparam > 0 && mysql_stmt_bind_param(st, pb) != 0)
		return my_failed(c, st, err, errlen);
	if (mysql_stmt_execute(st) != 0)
		return my_failed(c, st, err, errlen);
	/* A statement that writes has no rows to fetch. */
	if ((ncols = mysql_stmt_field_count(st)) == 0) {
		r->changed = mysql_stmt_affected_rows(st);
		return 0;
	}
	memset(rb, 0, sizeof(rb));
	for (i = 0; i < ncols; i++) {
		rb[i].buffer_type = MYSQL_TYPE_STRING;
		rb[i].buffer = c->buf[i];
		rb[i].buffer_length = COL_MAX + 1;
		rb[i].length = &rl[i];
		rb[i].is_null = &rnull[i];
		rb[i].error = &rerr[i];
	}
	if (ncols > 0 && mysql_stmt_bind_result(st, rb) != 0)
		return my_failed(c, st, err, errlen);
	r->ncols = ncols;
	while ((rc = mysql_stmt_fetch(st)) == 0 ||
	    rc == MYSQL_DATA_TRUNCATED) {
		if (rc == MYSQL_DATA_TRUNCATED) {
			snprintf(err, errlen, "a value longer than %d bytes",
			    COL_MAX);
			mysql_stmt_free_result(st);
			dbres_free(r);
			return DBSRV_FAILED;
		}
		n = (r->nrows + 1) * ncols;
		if ((v = reallocarray(r->val, n, sizeof(*v))) != NULL)
			r->val = v;
		if ((l = reallocarray(r->len, n, sizeof(*l))) != NULL)
			r->len = l;
		if (v == NULL || l == NULL)
			goto nomem;
		k = r->nrows * ncols;
		for (i = 0; i < ncols; i++) {
			r->val[k + i] = NULL;
			r->len[k + i] = 0;
		}
		r->nrows++;
		for (i = 0; i < ncols; i++, k++) {
			if (rnull[i])
				continue;
			if ((r->val[k] = malloc(rl[i] + 1)) == NULL)
				goto nomem;
			memcpy(r->val[k], c->buf[i], rl[i]);
			r->val[k][rl[i]] = '\0';
			r->len[k] = rl[i];
		}
	}
	if (rc != MYSQL_NO_DATA) {
		rc = my_failed(c, st, err, errlen);
		dbres_free(r);
		return rc;
	}
	mysql_stmt_free_result(st);
	return 0;
 nomem:
	snprintf(err, errlen, "out of memory");
	mysql_stmt_free_result(st);
	dbres_free(r);
	return DBSRV_FAILED;
}

/*
 * What the connector opens by name: the directory of the server's
 * socket (socket, a host that is a path, or for localhost the one of
 * MYSQL_UNIX_PORT).  No option file is read (none is asked for), and
 * the configuration has no key for a certificate: nothing else.
 */
static void
my_files(const struct sqlconf *conf, struct dbsrv_files *f)
{
	const char	*sock = conf->socket, *host = conf->host;
	char		 dir[1024];

	if (host != NULL && host[0] == '/')
		sock = host;
	else if (sock == NULL && (host == NULL ||
	    strcmp(host, "localhost") == 0))
		sock = getenv("MYSQL_UNIX_PORT");
	if (sock != NULL && sock[0] == '/')
		dbsrv_files_add(f, 1, sandbox_dirname(sock, dir, sizeof(dir)),
		    NULL);
}

static const struct dbsrv_ops dbsrv_mysql = {
	"MariaDB",
	SQLPARAM_QMARK,
	my_open,
	my_close,
	my_prepare,
	my_exec,
	my_command,
	my_files,
};

const struct dbsrv_ops *
dbsrv_mysql_ops(char *err, size_t errlen)
{
	return &dbsrv_mysql;
}

#else /* !HAVE_LIBMARIADB */

/* This build has no library for the engine: the package that brings it. */
const struct dbsrv_ops *
dbsrv_mysql_ops(char *err, size_t errlen)
{
	snprintf(err, errlen, "this build has no MariaDB/MySQL backend: "
	    "install libmariadb-dev (Debian; MariaDB Connector/C "
	    "elsewhere) and build the kit again");
	return NULL;
}

#endif /* HAVE_LIBMARIADB */
