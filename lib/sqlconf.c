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
 * The table-sqlite configuration file: the keys of table-sqlite 1.0
 * (dbpath, query_*, fetch_source*) and ours.  A file without any query
 * gets the queries of the default schema.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "conf.h"
#include "sandbox.h"
#include "schema.h"
#include "sqlconf.h"

#define DEFAULT_EXPIRE		60
#define DEFAULT_REFRESH		1000
#define DEFAULT_BUSY		100
#define DEFAULT_VUSER		"vmail"
#define DEFAULT_CONNECT		5	/* seconds */
#define DEFAULT_QUERY		3000	/* milliseconds */

/* Each query's key without its "query_" prefix, and the columns it returns. */
static const struct {
	const char	*name;
	int		 ncols;
} queries[Q_MAX] = {
	[Q_ALIAS] =		{ "alias", 1 },
	[Q_DOMAIN] =		{ "domain", 1 },
	[Q_CREDENTIALS] =	{ "credentials", 2 },
	[Q_NETADDR] =		{ "netaddr", 1 },
	[Q_USERINFO] =		{ "userinfo", 3 },
	[Q_SOURCE] =		{ "source", 1 },
	[Q_MAILADDR] =		{ "mailaddr", 1 },
	[Q_ADDRNAME] =		{ "addrname", 1 },
	[Q_MAILADDRMAP] =	{ "mailaddrmap", 1 },
	[Q_OWNERS] =		{ "owners", 1 },
};

int
sqlconf_ncols(int q)
{
	return queries[q].ncols;
}

/* "alias", ..., "owners": the query_ key of q without its prefix. */
const char *
sqlconf_query_name(int q)
{
	if (q < 0 || q >= Q_MAX)
		return "unknown";
	return queries[q].name;
}

/* The query named name ("alias", ...), or -1. */
int
sqlconf_query_byname(const char *name)
{
	int	 q;

	for (q = 0; q < Q_MAX; q++)
		if (strcmp(queries[q].name, name) == 0)
			return q;
	return -1;
}

static const char *engines[] = {
	[ENGINE_SQLITE] = "sqlite",
	[ENGINE_PGSQL] = "postgresql",
	[ENGINE_MYSQL] = "mysql",
};

/* "sqlite", "postgresql", "mysql". */
const char *
sqlconf_engine_name(int e)
{
	if (e < 0 || e > ENGINE_MYSQL)
		return "unknown";
	return engines[e];
}

/*
 * The engine: the backend key, else what the keys of the file say:
 * conninfo is opensmtpd-table-postgres's, host, username, password and
 * database opensmtpd-table-mysql's, anything else table-sqlite's.
 */
static int
sqlconf_engine(const char *path, struct sqlconf *c, char *err, size_t errlen)
{
	int	 my, pg;

	my = c->host != NULL || c->username != NULL || c->password != NULL ||
	    c->database != NULL || c->socket != NULL || c->port != 0;
	pg = c->conninfo != NULL;
	if (c->backend == NULL)
		c->engine = pg ? ENGINE_PGSQL : my ? ENGINE_MYSQL :
		    ENGINE_SQLITE;
	else if (strcmp(c->backend, "sqlite") == 0)
		c->engine = ENGINE_SQLITE;
	else if (strcmp(c->backend, "postgresql") == 0 ||
	    strcmp(c->backend, "postgres") == 0 ||
	    strcmp(c->backend, "pgsql") == 0)
		c->engine = ENGINE_PGSQL;
	else if (strcmp(c->backend, "mysql") == 0 ||
	    strcmp(c->backend, "mariadb") == 0)
		c->engine = ENGINE_MYSQL;
	else {
		snprintf(err, errlen, "%s: backend %s: sqlite, postgresql or "
		    "mysql", path, c->backend);
		return -1;
	}
	/* 0 is no limit at all, to libpq and to the connector. */
	if (c->engine != ENGINE_SQLITE && (c->connect_timeout == 0 ||
	    c->query_timeout == 0)) {
		snprintf(err, errlen, "%s: %s 0 would let a request wait "
		    "for the server without end: give 1 or more", path,
		    c->connect_timeout == 0 ? "connect_timeout" :
		    "query_timeout");
		return -1;
	}
	if ((c->engine == ENGINE_PGSQL && my) ||
	    (c->engine == ENGINE_MYSQL && pg) ||
	    (c->engine != ENGINE_SQLITE && c->dbpath != NULL) ||
	    (c->engine == ENGINE_SQLITE && (my || pg))) {
		snprintf(err, errlen, "%s: keys of two engines: dbpath is "
		    "SQLite's, conninfo PostgreSQL's, host, username, password, "
		    "database, socket and port MariaDB's; the file uses %s",
		    path, sqlconf_engine_name(c->engine));
		return -1;
	}
	return 0;
}

/*
 * A file that holds a database password must not be readable by other
 * users, as smtpd requires of its own secrets.
 */
static int
sqlconf_secret(const char *path, const struct sqlconf *c, char *err,
    size_t errlen)
{
	struct stat	 sb;

	if (c->password == NULL && (c->conninfo == NULL ||
	    strstr(c->conninfo, "password") == NULL))
		return 0;
	if (stat(path, &sb) == -1) {
		snprintf(err, errlen, "%s: cannot stat", path);
		return -1;
	}
	if (sb.st_mode & S_IRWXO) {
		snprintf(err, errlen, "%s holds a database password and is "
		    "readable by others (mode %03o): chmod o-rwx %s", path,
		    (unsigned int)(sb.st_mode & 0777), path);
		return -1;
	}
	return 0;
}

/* The keys but query_*, and the defaults of the numbers. */
static const struct conf_key keys[] = {
	{ "dbpath", CONF_STR, offsetof(struct sqlconf, dbpath), 0, { 0, 0 } },
	{ "fetch_source", CONF_STR, offsetof(struct sqlconf, fetch_source),
	    0, { 0, 0 } },
	{ "fetch_source_expire", CONF_NUM,
	    offsetof(struct sqlconf, fetch_expire), INT_MAX,
	    { DEFAULT_EXPIRE, DEFAULT_EXPIRE } },
	{ "fetch_source_refresh", CONF_NUM,
	    offsetof(struct sqlconf, fetch_refresh), INT_MAX,
	    { DEFAULT_REFRESH, DEFAULT_REFRESH } },
	{ "busy_timeout", CONF_NUM, offsetof(struct sqlconf, busy_timeout),
	    60000, { DEFAULT_BUSY, DEFAULT_BUSY } },
	{ "virtual_user", CONF_STR, offsetof(struct sqlconf, virtual_user),
	    0, { 0, 0 } },
	{ "auth_offload", CONF_BOOL, offsetof(struct sqlconf, auth_offload),
	    0, { 0, 0 } },
	{ "auth_lock_dir", CONF_STR, offsetof(struct sqlconf, auth_lock_dir),
	    0, { 0, 0 } },
	{ "backend", CONF_STR, offsetof(struct sqlconf, backend), 0, { 0, 0 } },
	{ "conninfo", CONF_STR, offsetof(struct sqlconf, conninfo), 0,
	    { 0, 0 } },
	{ "host", CONF_STR, offsetof(struct sqlconf, host), 0, { 0, 0 } },
	{ "username", CONF_STR, offsetof(struct sqlconf, username), 0,
	    { 0, 0 } },
	{ "password", CONF_STR, offsetof(struct sqlconf, password), 0,
	    { 0, 0 } },
	{ "database", CONF_STR, offsetof(struct sqlconf, database), 0,
	    { 0, 0 } },
	{ "socket", CONF_STR, offsetof(struct sqlconf, socket), 0, { 0, 0 } },
	{ "port", CONF_NUM, offsetof(struct sqlconf, port), 65535, { 0, 0 } },
	{ "connect_timeout", CONF_NUM,
	    offsetof(struct sqlconf, connect_timeout), 60,
	    { DEFAULT_CONNECT, DEFAULT_CONNECT } },
	{ "query_timeout", CONF_NUM, offsetof(struct sqlconf, query_timeout),
	    60000, { DEFAULT_QUERY, DEFAULT_QUERY } },
};
#define NKEYS		(sizeof(keys) / sizeof(keys[0]))

static int
sqlconf_key(void *arg, const char *key, const char *value, char *err,
    size_t errlen)
{
	struct sqlconf	*c = arg;
	int		 q, r;

	if ((r = conf_set(keys, NKEYS, c, key, value, err, errlen)) != 1)
		return r;
	if (strncmp(key, "query_", 6) == 0 &&
	    (q = sqlconf_query_byname(key + 6)) != -1)
		return conf_setstr(&c->query[q], key, value, err, errlen);
	snprintf(err, errlen, "unknown key %s", key);
	return -1;
}

/*
 * Read path into c.  On failure nothing is left allocated and err says
 * what is wrong, with the file and line.
 */
int
sqlconf_load(const char *path, struct sqlconf *c, char *err, size_t errlen)
{
	const char	*q;
	char		 dir[PATH_MAX];
	int		 s, any = 0;

	memset(c, 0, sizeof(*c));
	conf_unset(keys, NKEYS, c);
	if (conf_read(path, sqlconf_key, c, err, errlen) == -1)
		goto fail;
	conf_defaults(keys, NKEYS, c, 0);
	if (sqlconf_engine(path, c, err, errlen) == -1 ||
	    sqlconf_secret(path, c, err, errlen) == -1)
		goto fail;
	if (c->dbpath == NULL && (c->dbpath = strdup(DBPATH_DEFAULT)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	/* The lockouts live beside the database unless told otherwise. */
	if (c->auth_lock_dir == NULL && asprintf(&c->auth_lock_dir,
	    "%s/authlock", sandbox_dirname(c->dbpath, dir, sizeof(dir))) == -1) {
		c->auth_lock_dir = NULL;
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (c->virtual_user == NULL &&
	    (c->virtual_user = strdup(DEFAULT_VUSER)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (s = 0; s < Q_MAX; s++)
		if (c->query[s] != NULL)
			any = 1;
	if (!any && c->fetch_source == NULL) {
		c->defaults = 1;
		for (s = 0; s < Q_MAX; s++) {
			q = c->engine == ENGINE_SQLITE ? schema_query(s) :
			    schema_query_server(s);
			if (q == NULL)
				continue;
			if ((c->query[s] = strdup(q)) == NULL) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
		}
	}
	if (c->auth_offload && c->query[Q_CREDENTIALS] == NULL) {
		snprintf(err, errlen, "%s: auth_offload needs query_credentials",
		    path);
		goto fail;
	}
	return 0;
 fail:
	sqlconf_free(c);
	return -1;
}

/*
 * Does the alias query hand out virtual_user, and does this system lack
 * that user?  smtpd then refuses every local recipient with 550 Invalid
 * recipient, and logs nothing.
 */
int
sqlconf_virtual_user_missing(const struct sqlconf *c)
{
	const char	*q = c->query[Q_ALIAS];

	if (q == NULL || strstr(q, ":virtual_user") == NULL)
		return 0;
	return getpwnam(c->virtual_user) == NULL;
}

void
sqlconf_free(struct sqlconf *c)
{
	int	 s;

	free(c->dbpath);
	free(c->fetch_source);
	free(c->virtual_user);
	free(c->auth_lock_dir);
	free(c->backend);
	if (c->conninfo != NULL)
		explicit_bzero(c->conninfo, strlen(c->conninfo));
	free(c->conninfo);
	free(c->host);
	free(c->username);
	if (c->password != NULL)
		explicit_bzero(c->password, strlen(c->password));
	free(c->password);
	free(c->database);
	free(c->socket);
	for (s = 0; s < Q_MAX; s++)
		free(c->query[s]);
	memset(c, 0, sizeof(*c));
}
