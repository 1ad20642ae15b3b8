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
 * The timer of lib/backend.c's shared read transactions, on libevent:
 * what the table and the filter, which run an event loop, add to the
 * database layer.
 */

#include <sys/time.h>

#include <event.h>

#include "backend.h"
#include "readtx.h"

static void
arm(void *arg, int ms)
{
	struct readtx	*t = arg;
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_add(&t->ev, &tv);
}

static void
disarm(void *arg)
{
	struct readtx	*t = arg;

	if (evtimer_pending(&t->ev, NULL))
		evtimer_del(&t->ev);
}

static void
tick(int fd, short ev, void *arg)
{
	struct readtx	*t = arg;

	backend_tick(t->b);
}

/* Let b's lookups share read transactions, timed by this event loop. */
void
readtx_start(struct readtx *t, struct backend *b)
{
	t->b = b;
	evtimer_set(&t->ev, tick, t);
	backend_keep_reads(b, arm, disarm, t);
}
