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
 * sqlitelimit: the lookups of a benchmark done in this process, with no
 * protocol: what SQLite alone can do, the limit a table process can
 * approach.  The queries and the database come from a table-sqlite
 * configuration (the default queries when it names none), the keys from
 * a tabledrive keyfile ("OP SERVICE KEY" lines, run round robin).
 *
 * Each profile of SQLite settings runs one warm-up pass over the keys,
 * then count lookups, repeat times, and keeps its best pass: bind, step
 * (to the last row for list queries), read the columns, reset.  One
 * line per profile:
 *
 *	profile NAME per_s N found N missed N [note]
 *
 * then "best NAME per_s N": the fastest profile that answers every
 * lookup from its own read transaction, lets writers in and keeps the
 * heap small, as a table must.
 *
 * With -e, it prints instead the plan of each query, as
 *
 *	plan SERVICE searches N scans N: DETAIL; ...
 *
 * usage: sqlitelimit [-n count] [-p profile] [-r repeat] -b keyfile config
 *        sqlitelimit -e config
 */

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "sqlconf.h"
#include "toolutil.h"

#define BUSY_MS		100

struct profile {
	const char	*name;
	int		 singlethread;	/* no mutexes, no memory statistics */
	int		 kitopen;	/* lib/db.c db_open_ro() */
	const char	*pragmas;	/* after opening */
	int		 batch;		/* lookups per read transaction */
	int		 eligible;	/* may stand for a table's limit */
	const char	*note;
};

static const struct profile profiles[] = {
	{ "plain", 0, 0, NULL, 1, 1,
	    "sqlite3_open_v2 READONLY, library defaults" },
	{ "kit", 0, 1, NULL, 1, 1,
	    "lib/db.c settings" },
	{ "kit+st", 1, 1, NULL, 1, 1,
	    "+ SQLITE_CONFIG_SINGLETHREAD, MEMSTATUS 0" },
	{ "kit+st+nommap", 1, 1, "PRAGMA mmap_size = 0;", 1, 1,
	    "+ no mmap" },
	{ "kit+st+cache64m", 1, 1, "PRAGMA cache_size = -65536;", 1, 0,
	    "+ 64 MB page cache: over the 8 MB heap target" },
	{ "kit+st+exclusive", 1, 1, "PRAGMA locking_mode = EXCLUSIVE;", 1, 0,
	    "locks writers out: not usable" },
	{ "kit+st+tx64", 1, 1, NULL, 64, 0,
	    "one read transaction per 64 lookups" },
};
#define NPROFILES	(sizeof(profiles) / sizeof(profiles[0]))

struct key {
	int	 query;
	char	*key;
};

static struct key	*keys;
static size_t		 nkeys;

static void
usage(void)
{
	fprintf(stderr, "usage: sqlitelimit [-n count] [-p profile] "
	    "[-r repeat] -b keyfile config\n"
	    "       sqlitelimit -e config\n");
	exit(2);
}

static double
now_s(void)
{
	return now_us() / 1e6;
}

static void
add_key(void *arg, const char *op, const char *svc, const char *key)
{
	int	 q;

	if ((q = sqlconf_query_byname(svc)) == -1) {
		fprintf(stderr, "sqlitelimit: unknown query %s\n", svc);
		exit(2);
	}
	if ((keys = reallocarray(keys, nkeys + 1, sizeof(*keys))) == NULL ||
	    (keys[nkeys].key = strdup(key)) == NULL) {
		perror("sqlitelimit");
		exit(2);
	}
	keys[nkeys++].query = q;
}

static int
is_list(int s)
{
	return s == Q_ALIAS || s == Q_MAILADDRMAP || s == Q_OWNERS;
}

/* One lookup: 1 found, 0 not found, -1 error. */
static int
lookup(sqlite3_stmt *st, const struct key *k)
{
	size_t	 sum = 0;
	int	 rc, i, n, found = 0;

	if (sqlite3_bind_text(st, 1, k->key, -1, SQLITE_STATIC) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		found = 1;
		n = sqlite3_column_count(st);
		for (i = 0; i < n; i++) {
			if (sqlite3_column_text(st, i) != NULL)
				sum += sqlite3_column_bytes(st, i);
		}
		if (!is_list(k->query))
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	return sum > 0 ? 1 : found;
}

static int
exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "sqlitelimit: %s: %s\n", sql,
		    sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* count lookups; returns lookups per second, or -1. */
static double
timed_pass(sqlite3 *db, sqlite3_stmt **st, const struct profile *p,
    long count, long *found, long *missed)
{
	const struct key *k;
	double		 t0;
	long		 i;
	int		 r;

	*found = *missed = 0;
	t0 = now_s();
	for (i = 0; i < count; i++) {
		if (p->batch > 1 && i % p->batch == 0 &&
		    exec(db, "BEGIN") == -1)
			return -1;
		k = &keys[i % nkeys];
		if ((r = lookup(st[k->query], k)) == -1) {
			fprintf(stderr, "sqlitelimit: %s %s: %s\n",
			    sqlconf_query_name(k->query), k->key,
			    sqlite3_errmsg(db));
			return -1;
		}
		if (r == 1)
			(*found)++;
		else
			(*missed)++;
		if (p->batch > 1 && (i % p->batch == p->batch - 1 ||
		    i == count - 1) && exec(db, "COMMIT") == -1)
			return -1;
	}
	return count / (now_s() - t0);
}

/* Run one profile; returns its best lookups per second, or -1. */
static double
run(const struct profile *p, struct sqlconf *c, long count, int repeat)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*st[Q_MAX];
	char		 err[512];
	double		 rate, best = -1;
	long		 found = 0, missed = 0;
	size_t		 i;
	int		 s, vi, pass;

	memset(st, 0, sizeof(st));
	sqlite3_shutdown();
	if (p->singlethread) {
		sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	} else {
		sqlite3_config(SQLITE_CONFIG_SERIALIZED);
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1);
	}
	if (sqlite3_initialize() != SQLITE_OK) {
		fprintf(stderr, "sqlitelimit: sqlite3_initialize failed\n");
		return -1;
	}
	if (p->kitopen) {
		if (db_open_ro(c->dbpath, BUSY_MS, &db, err,
		    sizeof(err)) == -1) {
			fprintf(stderr, "sqlitelimit: %s\n", err);
			return -1;
		}
	} else {
		if (sqlite3_open_v2(c->dbpath, &db, SQLITE_OPEN_READONLY,
		    NULL) != SQLITE_OK) {
			fprintf(stderr, "sqlitelimit: %s: %s\n", c->dbpath,
			    sqlite3_errmsg(db));
			sqlite3_close(db);
			return -1;
		}
		sqlite3_busy_timeout(db, BUSY_MS);
	}
	if (p->pragmas != NULL && exec(db, p->pragmas) == -1)
		goto done;
	for (s = 0; s < Q_MAX; s++) {
		if (c->query[s] == NULL)
			continue;
		if (db_prepare(db, c->query[s], -1, &st[s], err,
		    sizeof(err)) == -1) {
			fprintf(stderr, "sqlitelimit: %s\n", err);
			goto done;
		}
		if ((vi = sqlite3_bind_parameter_index(st[s],
		    ":virtual_user")) != 0)
			sqlite3_bind_text(st[s], vi, c->virtual_user, -1,
			    SQLITE_STATIC);
	}
	for (i = 0; i < nkeys; i++) {
		if (st[keys[i].query] == NULL) {
			fprintf(stderr, "sqlitelimit: no query for %s\n",
			    sqlconf_query_name(keys[i].query));
			goto done;
		}
	}

	/* Warm-up: every key once, so that the pages are in memory. */
	for (i = 0; i < nkeys; i++)
		(void)lookup(st[keys[i].query], &keys[i]);

	for (pass = 0; pass < repeat; pass++) {
		if ((rate = timed_pass(db, st, p, count, &found,
		    &missed)) == -1) {
			best = -1;
			goto done;
		}
		if (rate > best)
			best = rate;
	}
	printf("profile %s per_s %.0f found %ld missed %ld (%s)\n", p->name,
	    best, found, missed, p->note);
 done:
	for (s = 0; s < Q_MAX; s++)
		sqlite3_finalize(st[s]);
	sqlite3_close(db);
	return best;
}

/* Print how SQLite answers each query: index searches and scans. */
static int
explain(struct sqlconf *c)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	const char	*d;
	char		 err[512], sql[8192];
	int		 s, searches, scans;

	if (db_open_ro(c->dbpath, BUSY_MS, &db, err, sizeof(err)) == -1) {
		fprintf(stderr, "sqlitelimit: %s\n", err);
		return -1;
	}
	for (s = 0; s < Q_MAX; s++) {
		if (c->query[s] == NULL)
			continue;
		snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s",
		    c->query[s]);
		if (db_prepare(db, sql, -1, &st, err, sizeof(err)) == -1) {
			fprintf(stderr, "sqlitelimit: %s\n", err);
			sqlite3_close(db);
			return -1;
		}
		searches = scans = 0;
		printf("plan %s", sqlconf_query_name(s));
		while (sqlite3_step(st) == SQLITE_ROW) {
			d = (const char *)sqlite3_column_text(st, 3);
			if (d == NULL)
				continue;
			if (strncmp(d, "SEARCH", 6) == 0)
				searches++;
			else if (strncmp(d, "SCAN", 4) == 0)
				scans++;
			else
				continue;
			printf("%s%s", searches + scans == 1 ? ": " : "; ", d);
		}
		printf(" (searches %d scans %d)\n", searches, scans);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct sqlconf	 conf;
	const char	*keyfile = NULL, *only = NULL;
	const char	*bestname = NULL;
	char		 err[512];
	long		 count = 200000;
	int		 repeat = 3, eflag = 0;
	double		 r, best = 0;
	size_t		 i;
	int		 ch;

	while ((ch = getopt(argc, argv, "b:en:p:r:")) != -1) {
		switch (ch) {
		case 'b':
			keyfile = optarg;
			break;
		case 'e':
			eflag = 1;
			break;
		case 'n':
			count = numarg(optarg, 1, 1000000000, usage);
			break;
		case 'p':
			only = optarg;
			break;
		case 'r':
			repeat = numarg(optarg, 1, 100, usage);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 || (keyfile == NULL && !eflag))
		usage();
	if (sqlconf_load(argv[0], &conf, err, sizeof(err)) == -1) {
		fprintf(stderr, "sqlitelimit: %s\n", err);
		return 2;
	}
	if (eflag)
		return explain(&conf) == -1;
	keyfile_read(keyfile, "sqlitelimit", add_key, NULL);
	printf("sqlite %s\n", sqlite3_libversion());
	for (i = 0; i < NPROFILES; i++) {
		if (only != NULL && strcmp(only, profiles[i].name) != 0)
			continue;
		if ((r = run(&profiles[i], &conf, count, repeat)) == -1)
			return 1;
		if (profiles[i].eligible && r > best) {
			best = r;
			bestname = profiles[i].name;
		}
	}
	if (bestname != NULL)
		printf("best %s per_s %.0f\n", bestname, best);
	sqlconf_free(&conf);
	return 0;
}
