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

#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "schema.h"
#include "sqlconf.h"

#define DEFAULT_EXPIRE		60
#define DEFAULT_REFRESH		1000
#define DEFAULT_BUSY		100
#define DEFAULT_VUSER		"vmail"

/* Columns each service's query must return. */
static const int ncols[Q_MAX] = {
	[SVC_ALIAS] = 1,
	[SVC_DOMAIN] = 1,
	[SVC_CREDENTIALS] = 2,
	[SVC_NETADDR] = 1,
	[SVC_USERINFO] = 3,
	[SVC_SOURCE] = 1,
	[SVC_MAILADDR] = 1,
	[SVC_ADDRNAME] = 1,
	[SVC_MAILADDRMAP] = 1,
	[Q_OWNERS] = 1,
};

int
sqlconf_ncols(int q)
{
	return ncols[q];
}

/* "alias", ..., "owners": the query_ key of q without its prefix. */
const char *
sqlconf_query_name(int q)
{
	return q == Q_OWNERS ? "owners" : table_service_name(q);
}

static int
setstr(char **var, const char *key, const char *value, char *err,
    size_t errlen)
{
	if (*var != NULL) {
		snprintf(err, errlen, "%s given twice", key);
		return -1;
	}
	if ((*var = strdup(value)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static int
setnum(long long *var, const char *key, const char *value, long long min,
    long long max, char *err, size_t errlen)
{
	const char	*errstr;

	*var = strtonum(value, min, max, &errstr);
	if (errstr != NULL) {
		snprintf(err, errlen, "%s: %s is %s (%lld to %lld)",
		    key, value, errstr, min, max);
		return -1;
	}
	return 0;
}

static int
sqlconf_key(void *arg, const char *key, const char *value, char *err,
    size_t errlen)
{
	struct sqlconf	*c = arg;
	long long	 n;
	int		 s;

	if (strcmp(key, "dbpath") == 0)
		return setstr(&c->dbpath, key, value, err, errlen);
	if (strcmp(key, "fetch_source") == 0)
		return setstr(&c->fetch_source, key, value, err, errlen);
	if (strcmp(key, "fetch_source_expire") == 0)
		return setnum(&c->fetch_expire, key, value, 0, INT_MAX,
		    err, errlen);
	if (strcmp(key, "fetch_source_refresh") == 0)
		return setnum(&c->fetch_refresh, key, value, 0, INT_MAX,
		    err, errlen);
	if (strcmp(key, "busy_timeout") == 0) {
		if (setnum(&n, key, value, 0, 60000, err, errlen) == -1)
			return -1;
		c->busy_timeout = n;
		return 0;
	}
	if (strcmp(key, "virtual_user") == 0)
		return setstr(&c->virtual_user, key, value, err, errlen);
	if (strcmp(key, "auth_offload") == 0) {
		if (conf_bool(value, &c->auth_offload) == -1) {
			snprintf(err, errlen, "auth_offload: %s is not yes or no",
			    value);
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "query_owners") == 0)
		return setstr(&c->query[Q_OWNERS], key, value, err, errlen);
	if (strncmp(key, "query_", 6) == 0 &&
	    (s = table_service_byname(key + 6)) != -1 && s != SVC_AUTH)
		return setstr(&c->query[s], key, value, err, errlen);

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
	int		 s, any = 0;

	memset(c, 0, sizeof(*c));
	c->fetch_expire = DEFAULT_EXPIRE;
	c->fetch_refresh = DEFAULT_REFRESH;
	c->busy_timeout = DEFAULT_BUSY;

	if (conf_read(path, sqlconf_key, c, err, errlen) == -1)
		goto fail;
	if (c->dbpath == NULL && (c->dbpath = strdup(DBPATH_DEFAULT)) == NULL) {
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
			if ((q = schema_query(s)) == NULL)
				continue;
			if ((c->query[s] = strdup(q)) == NULL) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
		}
	}
	if (c->auth_offload && c->query[SVC_CREDENTIALS] == NULL) {
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
	const char	*q = c->query[SVC_ALIAS];

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
	for (s = 0; s < Q_MAX; s++)
		free(c->query[s]);
	memset(c, 0, sizeof(*c));
}
