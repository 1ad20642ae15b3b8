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

/* table-sqlite/answer.c: what the table answers, whatever the protocol. */

#include <sys/stat.h>
#include <sys/time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "authlock.h"
#include "compat.h"
#include "table_sqlite.h"
#include "unit.h"
#include "unitdb.h"

static struct backend	*b;
static char		 val[VALUE_MAX], err[512];

/* table_answer() for key (NULL: none) into val, of vlen bytes at most. */
static int
answer(enum table_op op, int service, char *key, size_t vlen)
{
	struct table_query	 q = { op, service, key,
				    key != NULL ? strlen(key) : 0 };
	struct lookup		 lk = { val, vlen, "" };
	int			 r;

	r = table_answer(b, table_services(b), &q, &lk);
	strlcpy(err, lk.err, sizeof(err));
	return r;
}

static int
ask(enum table_op op, int service, const char *key)
{
	char	 k[256];

	strlcpy(k, key != NULL ? key : "", sizeof(k));
	val[0] = '\0';
	return answer(op, service, key != NULL ? k : NULL, sizeof(val));
}

static double
seconds(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * n credentials lookups, each after a new lockout of another login (the
 * directory changes every time, as under attack): their time.
 */
static double
lookups(const char *dir, int n, int base)
{
	char	 l[64];
	double	 t;
	int	 i;

	t = seconds();
	for (i = 0; i < n; i++) {
		snprintf(l, sizeof(l), "x%d@example.net", base + i);
		if (authlock_set(dir, l, time(NULL) + 600) == -1 ||
		    ask(OP_CHECK, SVC_AUTH, "bob@example.com:secret") != 1)
			return -1;
	}
	return seconds() - t;
}

/*
 * The lockouts of auth_lock_dir: a lookup reads the login's own file, so
 * that it costs the same with 0 or 20,000 files there.
 */
static void
test_lockdir(void)
{
	char	 dir[300], conf[400], l[64];
	double	 t0, t1;
	int	 i, ok = 1;

	snprintf(dir, sizeof(dir), "%s/locks", unitdb_dir);
	if (mkdir(dir, 0700) == -1) {
		check(0, "mkdir auth_lock_dir");
		return;
	}
	snprintf(conf, sizeof(conf), "auth_offload yes\nauth_lock_dir %s\n",
	    dir);
	unitdb_config(conf);
	b = unitdb_backend();
	check(ask(OP_CHECK, SVC_AUTH, "bob@example.com:secret") == 1,
	    "lockouts: an empty directory refuses no one");
	authlock_set(dir, "Bob@example.com", time(NULL) + 600);
	check(ask(OP_CHECK, SVC_AUTH, "bob@example.com:secret") == 0 &&
	    ask(OP_CHECK, SVC_AUTH, "ann@example.com:secret") == 1,
	    "a login locked out is not found, another one is");
	authlock_set(dir, "bob@example.com", time(NULL) - 1);
	check(ask(OP_CHECK, SVC_AUTH, "bob@example.com:secret") == 1,
	    "nor once its lockout ended");
	(void)lookups(dir, 50, 50000);	/* warm up */
	(void)authlock_sweep(dir, 0);
	t0 = lookups(dir, 200, 0);
	for (i = 0; i < 20000 && ok; i++) {
		snprintf(l, sizeof(l), "y%d@example.net", i);
		ok = authlock_set(dir, l, time(NULL) + 600) == 0;
	}
	t1 = lookups(dir, 200, 1000);
	check(ok && t0 >= 0 && t1 >= 0 && t1 < 4 * t0 + 0.2,
	    "a lookup costs the same with 20,000 lockouts as with none "
	    "(the directory is never listed)");
	fprintf(stderr, "lockouts: 200 lookups with 0 files %.1f ms, with "
	    "20,000 files %.1f ms\n", t0 * 1000, t1 * 1000);
	(void)authlock_sweep(dir, 0);
	rmdir(dir);
	backend_free(b);
	unitdb_config("");
}

int
main(void)
{
	char	 key[64];

	unitdb_new();
	b = unitdb_backend();
	check(table_services(b) == (1 << SVC_ALIAS | 1 << SVC_DOMAIN |
	    1 << SVC_CREDENTIALS | 1 << SVC_MAILADDR | 1 << SVC_MAILADDRMAP),
	    "the default schema serves alias, domain, credentials, mailaddr "
	    "and mailaddrmap");
	check(ask(OP_LOOKUP, SVC_ALIAS, "team@example.com") == 1 &&
	    (strcmp(val, "bob@example.com, ann@example.com") == 0 ||
	    strcmp(val, "ann@example.com, bob@example.com") == 0),
	    "alias lookup: the targets joined");
	check(ask(OP_CHECK, SVC_DOMAIN, "example.org") == 1 &&
	    ask(OP_CHECK, SVC_DOMAIN, "example.net") == 0,
	    "domain check");
	check(ask(OP_LOOKUP, SVC_MAILADDRMAP, "bob@example.com") == 1 &&
	    strstr(val, "@example.net") != NULL,
	    "mailaddrmap: what the login owns");
	/*
	 * smtpd splits these answers at commas outside quotes, and ' is
	 * an atext character: it is answered escaped, "\'".
	 */
	unitdb_exec("INSERT INTO aliases VALUES "
	    "('o''brien@example.com', 'bob@example.com'),"
	    " ('quote@example.com', 'd''arcy@example.com'),"
	    " ('quote@example.com', 'x@example.net')");
	check(ask(OP_LOOKUP, SVC_ALIAS, "quote@example.com") == 1 &&
	    strcmp(val, "d\\'arcy@example.com, x@example.net") == 0,
	    "alias lookup: an apostrophe escaped, the comma after it kept");
	check(ask(OP_LOOKUP, SVC_MAILADDRMAP, "bob@example.com") == 1 &&
	    strstr(val, "o\\'brien@example.com") != NULL &&
	    strstr(val, " o'") == NULL && strncmp(val, "o'", 2) != 0,
	    "mailaddrmap: an apostrophe escaped");
	check(ask(OP_LOOKUP, SVC_MAILADDR, "o'brien@example.com") == 1,
	    "mailaddr keys are not touched");
	strlcpy(key, "quote@example.com", sizeof(key));
	check(answer(OP_LOOKUP, SVC_ALIAS, key, 34) == LOOKUP_ERROR,
	    "an answer that the escape makes too long is an error");
	check(ask(OP_LOOKUP, SVC_NETADDR, "192.0.2.1") == -1 &&
	    strcmp(err, "service netaddr is not configured") == 0,
	    "a service without a query is an error, saying so");
	check(ask(OP_CHECK, SVC_MAX, "x") == -1 &&
	    strcmp(err, "service unknown is not configured") == 0,
	    "so is a service out of range");
	check(ask(OP_CHECK, SVC_AUTH, "bob@example.com:secret") == -1,
	    "auth without auth_offload is not served");
	backend_free(b);

	unitdb_config("auth_offload yes\nquery_credentials SELECT login, "
	    "password FROM users WHERE login = ?1 AND active = 1\n"
	    "fetch_source SELECT name FROM domains ORDER BY name\n");
	b = unitdb_backend();
	check(table_services(b) & (1 << SVC_AUTH | 1 << SVC_SOURCE),
	    "auth_offload serves auth, fetch_source source");
	check(ask(OP_CHECK, SVC_AUTH, "bob@example.com:secret") == 1 &&
	    ask(OP_CHECK, SVC_AUTH, "bob@example.com:wrong") == 0,
	    "auth: the password checked");
	check(ask(OP_LOOKUP, SVC_AUTH, "bob@example.com:secret") == -1 &&
	    strcmp(err, "auth answers check only") == 0,
	    "auth answers a check only");
	check(ask(OP_FETCH, SVC_SOURCE, NULL) == 1 &&
	    strcmp(val, "example.com") == 0 &&
	    ask(OP_FETCH, SVC_SOURCE, NULL) == 1 &&
	    strcmp(val, "example.org") == 0 &&
	    ask(OP_FETCH, SVC_SOURCE, NULL) == 1 &&
	    strcmp(val, "example.com") == 0,
	    "fetch: the rows of fetch_source in turn");
	check(ask(OP_FETCH, SVC_CREDENTIALS, NULL) == -1 &&
	    strcmp(err, "fetch is only for the source service") == 0,
	    "fetch on another service refused");
	backend_free(b);
	test_lockdir();
	unitdb_free();
	return unit_done();
}
