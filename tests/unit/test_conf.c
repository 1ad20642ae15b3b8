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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "conf.h"
#include "sqlconf.h"
#include "unit.h"

/* What conf_set() fills, with its keys. */
struct sample {
	char	*name;
	int	 count;
	int	 on;
};

static const struct conf_key sample_keys[] = {
	{ "name", CONF_STR, offsetof(struct sample, name), 0, { 0, 0 } },
	{ "count", CONF_NUM, offsetof(struct sample, count), 10, { 3, 7 } },
	{ "on", CONF_BOOL, offsetof(struct sample, on), 0, { 0, 1 } },
};

static char	 path[64];

static int
load(const char *text, struct sqlconf *c, char *err, size_t errlen)
{
	FILE	*fp;

	strlcpy(path, "/tmp/test_conf.XXXXXX", sizeof(path));
	if ((fp = fdopen(mkstemp(path), "w")) == NULL)
		return -2;
	fputs(text, fp);
	fclose(fp);
	return sqlconf_load(path, c, err, errlen);
}

int
main(void)
{
	struct sqlconf	 c;
	struct sample	 sm;
	char		 err[512];

	memset(&sm, 0, sizeof(sm));
	conf_unset(sample_keys, 3, &sm);
	check(conf_set(sample_keys, 3, &sm, "count", "4", err,
	    sizeof(err)) == 0 && sm.count == 4 &&
	    conf_set(sample_keys, 3, &sm, "name", "x", err, sizeof(err)) == 0 &&
	    strcmp(sm.name, "x") == 0, "keys of the table set");
	check(conf_set(sample_keys, 3, &sm, "other", "1", err,
	    sizeof(err)) == 1, "a key not in the table is left to the caller");
	check(conf_set(sample_keys, 3, &sm, "count", "11", err,
	    sizeof(err)) == -1 && strcmp(err, "count: 11 is too large "
	    "(0 to 10)") == 0 &&
	    conf_set(sample_keys, 3, &sm, "on", "maybe", err,
	    sizeof(err)) == -1 &&
	    strcmp(err, "on: maybe is not yes or no") == 0 &&
	    conf_set(sample_keys, 3, &sm, "name", "y", err,
	    sizeof(err)) == -1 && strcmp(err, "name given twice") == 0,
	    "bad values refused, naming the key");
	sm.count = 4;
	conf_defaults(sample_keys, 3, &sm, 1);
	check(sm.count == 4 && sm.on == 1,
	    "what was not set takes the default of the mode");
	free(sm.name);

	check(load("dbpath /var/db/kit.sqlite\n", &c, err, sizeof(err)) == 0 &&
	    c.defaults && c.query[Q_ALIAS] != NULL &&
	    c.query[Q_CREDENTIALS] != NULL && c.query[Q_NETADDR] == NULL &&
	    strcmp(c.virtual_user, "vmail") == 0 && c.busy_timeout == 100 &&
	    c.auth_offload == 0,
	    "dbpath alone gives the default schema's queries and defaults");
	sqlconf_free(&c);

	check(load("# 1.0 style\n\ndbpath: /x.db\n"
	    "query_alias SELECT destination FROM virtuals WHERE email=?;\n"
	    "query_domain\tSELECT domain FROM domains WHERE domain=?\n",
	    &c, err, sizeof(err)) == 0 && !c.defaults &&
	    strcmp(c.dbpath, "/x.db") == 0 &&
	    strcmp(c.query[Q_ALIAS],
	    "SELECT destination FROM virtuals WHERE email=?;") == 0 &&
	    c.query[Q_DOMAIN] != NULL && c.query[Q_CREDENTIALS] == NULL,
	    "table-sqlite 1.0 configuration read as is");
	sqlconf_free(&c);

	check(load("dbpath /x\nfetch_source SELECT a FROM s\n"
	    "fetch_source_expire 5\nfetch_source_refresh 7\n"
	    "busy_timeout 20\nvirtual_user mail\n", &c, err,
	    sizeof(err)) == 0 && !c.defaults && c.fetch_expire == 5 &&
	    c.fetch_refresh == 7 && c.busy_timeout == 20 &&
	    strcmp(c.virtual_user, "mail") == 0,
	    "fetch_source and our own keys read");
	sqlconf_free(&c);

	check(load("dbpath /x\nauth_offload yes\n", &c, err,
	    sizeof(err)) == 0 && c.auth_offload == 1,
	    "auth_offload yes with the default schema");
	sqlconf_free(&c);

	check(load("dbpath /x\nquery_owners SELECT 1\nquery_mailaddrmap "
	    "SELECT 2\n", &c, err, sizeof(err)) == 0 &&
	    strcmp(c.query[Q_OWNERS], "SELECT 1") == 0 &&
	    strcmp(c.query[Q_MAILADDRMAP], "SELECT 2") == 0,
	    "each query_ key fills the query it names");
	sqlconf_free(&c);
	check(load("dbpath /x\nquery_auth SELECT 1\n", &c, err,
	    sizeof(err)) == -1 && strstr(err, "unknown key query_auth") != NULL,
	    "query_auth refused: auth is answered by the password check");
	check(sqlconf_query_byname("owners") == Q_OWNERS &&
	    sqlconf_query_byname("auth") == -1 &&
	    strcmp(sqlconf_query_name(Q_CREDENTIALS), "credentials") == 0 &&
	    strcmp(sqlconf_query_name(Q_MAX), "unknown") == 0,
	    "query names both ways");


	check(load("query_alias SELECT 1\n", &c, err, sizeof(err)) == 0 &&
	    strcmp(c.dbpath, DBPATH_DEFAULT) == 0 &&
	    DBPATH_DEFAULT[0] == '/',
	    "no dbpath: the system's default, " DBPATH_DEFAULT);
	sqlconf_free(&c);
	check(load("dbpath /x\nfrobnicate 1\n", &c, err, sizeof(err)) == -1 &&
	    strstr(err, ":2: unknown key frobnicate") != NULL,
	    "unknown key refused with its line number");
	check(load("dbpath /x\ndbpath /y\n", &c, err, sizeof(err)) == -1 &&
	    strstr(err, "given twice") != NULL, "duplicate key refused");
	check(load("dbpath /x\nbusy_timeout lots\n", &c, err,
	    sizeof(err)) == -1 && strstr(err, "busy_timeout") != NULL,
	    "bad number refused");
	check(load("dbpath\n", &c, err, sizeof(err)) == -1 &&
	    strstr(err, "missing value") != NULL, "key without value refused");
	check(load("dbpath /x\nauth_offload maybe\n", &c, err,
	    sizeof(err)) == -1, "bad boolean refused");
	check(load("dbpath /x\nquery_alias SELECT 1\nauth_offload yes\n", &c,
	    err, sizeof(err)) == -1 && strstr(err, "query_credentials"),
	    "auth_offload without a credentials query refused");
	unlink(path);
	check(sqlconf_load("/nonexistent/kit.conf", &c, err, sizeof(err)) ==
	    -1 && strstr(err, "/nonexistent/kit.conf") != NULL,
	    "missing file refused, naming it");
	return unit_done();
}
