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

/* filter-submission/session.c: the sessions, bounded. */

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "submission.h"
#include "unit.h"

int
main(void)
{
	struct session	*a, *b;
	char		 sid[17];
	int		 i;

	log_init("test_session", LOG_TO_STDERR, 0);
	session_init(16);
	a = session_new(1, "0000000000000001");
	check(a != NULL && session_find(1) == a && a->id == 1 &&
	    strcmp(a->sid, "0000000000000001") == 0 && session_count() == 1,
	    "a new session is found by its id");
	check(session_find(2) == NULL, "an unknown id is not");
	a->authed = 1;
	b = session_new(1, "0000000000000001");
	check(b != NULL && session_find(1) == b && !b->authed &&
	    session_count() == 1,
	    "a session opened again under its id starts afresh");

	for (i = 2; i <= 16; i++) {
		snprintf(sid, sizeof(sid), "%016x", i);
		session_new(i, sid);
	}
	session_find(1);
	session_new(17, "0000000000000011");
	check(session_count() == 16 && session_find(1) != NULL &&
	    session_find(2) == NULL && session_find(17) != NULL,
	    "past the limit, the session heard from least recently goes");
	session_free(session_find(17));
	check(session_count() == 15 && session_find(17) == NULL,
	    "a freed session is gone");
	session_free_all();
	check(session_count() == 0 && session_find(1) == NULL,
	    "all freed at the end");
	return unit_done();
}
