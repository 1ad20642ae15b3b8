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
 * For the unit tests that need a database: one of the default schema,
 * in a directory of its own, with a table configuration naming it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "backend.h"
#include "db.h"
#include "log.h"
#include "schema.h"
#include "unitdb.h"

char	 unitdb_dir[64], unitdb_path[128], unitdb_conf[128];

/* Run sql on the database; a failure ends the test program. */
void
unitdb_exec(const char *sql)
{
	sqlite3	*db;

	if (sqlite3_open(unitdb_path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "unitdb: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	sqlite3_close(db);
}

/* Write the configuration: dbpath, then the lines of extra. */
void
unitdb_config(const char *extra)
{
	FILE	*fp;

	if ((fp = fopen(unitdb_conf, "w")) == NULL) {
		perror(unitdb_conf);
		exit(1);
	}
	fprintf(fp, "dbpath %s\n%s", unitdb_path, extra);
	fclose(fp);
}

/* The directory, and the paths of the database and its configuration. */
void
unitdb_dirs(void)
{
	log_init("unit", LOG_TO_STDERR, 0);
	db_init();
	strlcpy(unitdb_dir, "/tmp/unitdb.XXXXXX", sizeof(unitdb_dir));
	if (mkdtemp(unitdb_dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(unitdb_path, sizeof(unitdb_path), "%s/kit.sqlite",
	    unitdb_dir);
	snprintf(unitdb_conf, sizeof(unitdb_conf), "%s/sqlite.conf",
	    unitdb_dir);
}

/* The database with the default schema and UNITDB_ROWS. */
void
unitdb_new(void)
{
	unitdb_dirs();
	unitdb_exec(schema_sql);
	unitdb_exec(UNITDB_ROWS);
	unitdb_config("");
}

/* A backend on the configuration as it is now, ready. */
struct backend *
unitdb_backend(void)
{
	struct backend	*b;
	char		 err[512];

	if ((b = backend_new(unitdb_conf, err, sizeof(err))) == NULL ||
	    backend_ready(b, err, sizeof(err)) == -1) {
		fprintf(stderr, "unitdb: %s\n", err);
		exit(1);
	}
	return b;
}

/* backend_lookup() into val (VALUE_MAX bytes), its error into err (512). */
int
unitdb_lookup(struct backend *be, int q, const char *key, char *val,
    char *err)
{
	struct lookup	 lk = { val, VALUE_MAX, "" };
	int		 r;

	r = backend_lookup(be, q, key, &lk);
	strlcpy(err, lk.err, 512);
	return r;
}

void
unitdb_free(void)
{
	unlink(unitdb_path);
	unlink(unitdb_conf);
	rmdir(unitdb_dir);
}
