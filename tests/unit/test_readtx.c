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
#include "readtx.h"
#include "unit.h"
#include "unitdb.h"

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
	char		 err[512];
	int		 i;

	unitdb_new();
	event_init();
	b = unitdb_backend();
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
	unitdb_exec("INSERT INTO domains VALUES ('new.example')");
	check(backend_check(b, Q_DOMAIN, "new.example", err,
	    sizeof(err)) == 1,
	    "then a writer gets through and its change is seen");

	/* Freed with the timer armed: the loop must not call it. */
	check(backend_check(b, Q_DOMAIN, "example.com", err,
	    sizeof(err)) == 1 && evtimer_pending(&rt.ev, NULL),
	    "another lookup arms the timer again");
	backend_free(b);
	check(!evtimer_pending(&rt.ev, NULL),
	    "freeing the backend stops its timer");
	run(40);
	unitdb_free();
	return unit_done();
}
