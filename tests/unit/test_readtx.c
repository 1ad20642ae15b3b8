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

/* lib/readtx.c: shared read transactions timed by a libevent loop. */

#include <sys/time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event.h>
#include <sqlite3.h>

#include "backend.h"
#include "log.h"
#include "readtx.h"
#include "schema.h"
#include "unit.h"

/* Run the event loop for ms milliseconds. */
static void
run(int ms)
{
	struct timeval	 tv = { 0, ms * 1000 };

	event_loopexit(&tv);
	event_dispatch();
}

int
main(void)
{
	struct backend	*b;
	struct readtx	 rt;
	sqlite3		*db;
	FILE		*fp;
	char		 dir[64], dbpath[128], confpath[128], err[512];
	int		 i;

	log_init("test_readtx", LOG_TO_STDERR, 0);
	strlcpy(dir, "/tmp/test_readtx.XXXXXX", sizeof(dir));
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(dbpath, sizeof(dbpath), "%s/kit.sqlite", dir);
	snprintf(confpath, sizeof(confpath), "%s/kit.conf", dir);
	if ((fp = fopen(confpath, "w")) == NULL)
		return 1;
	fprintf(fp, "dbpath %s\n", dbpath);
	fclose(fp);
	if (sqlite3_open(dbpath, &db) != SQLITE_OK ||
	    sqlite3_exec(db, schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "INSERT INTO domains VALUES ('example.com')",
	    NULL, NULL, NULL) != SQLITE_OK)
		return 1;

	event_init();
	b = backend_new(confpath, err, sizeof(err));
	check(b != NULL && backend_ready(b, err, sizeof(err)) == 0,
	    "a backend on the default schema");
	readtx_start(&rt, b);
	check(backend_check(b, Q_DOMAIN, "example.com", err,
	    sizeof(err)) == 1 && !sqlite3_get_autocommit(b->db),
	    "a lookup opens a read transaction that outlives it");
	check(evtimer_pending(&rt.ev, NULL), "and arms the timer");
	/* Ticks come every few ms; a loaded machine may be slow. */
	for (i = 0; i < 500 && !sqlite3_get_autocommit(b->db); i++)
		run(10);
	check(sqlite3_get_autocommit(b->db),
	    "the loop ends it once lookups stop");
	check(sqlite3_exec(db, "INSERT INTO domains VALUES ('new.example')",
	    NULL, NULL, NULL) == SQLITE_OK &&
	    backend_check(b, Q_DOMAIN, "new.example", err, sizeof(err)) == 1,
	    "then the writer gets through and its change is seen");

	/* Freed with the timer armed: the loop must not call it. */
	check(backend_check(b, Q_DOMAIN, "example.com", err,
	    sizeof(err)) == 1 && evtimer_pending(&rt.ev, NULL),
	    "another lookup arms the timer again");
	backend_free(b);
	check(!evtimer_pending(&rt.ev, NULL),
	    "freeing the backend stops its timer");
	run(40);

	sqlite3_close(db);
	unlink(dbpath);
	unlink(confpath);
	rmdir(dir);
	return unit_done();
}
