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

/* filter-submission/limits.c: counters in fixed windows, bounded. */

#include <string.h>

#include "submission.h"
#include "unit.h"

int
main(void)
{
	struct limit	*l;
	char		 k1[400], k2[400];

	if ((l = limit_new(60, 2)) == NULL)
		return 1;
	check(limit_count(l, "a", 1000) == 0, "an unknown key counts 0");
	check(limit_add(l, "a", 1000) == 1 && limit_add(l, "a", 1010) == 2 &&
	    limit_count(l, "a", 1059) == 2, "events count within the window");
	check(limit_count(l, "a", 1060) == 0 && limit_add(l, "a", 1061) == 1,
	    "a new window starts from 0");
	check(limit_add(l, "b", 1061) == 1 && limit_count(l, "a", 1061) == 1,
	    "keys count apart");
	limit_count(l, "a", 1062);
	check(limit_add(l, "c", 1062) == 1 && limit_count(l, "b", 1062) == 0 &&
	    limit_count(l, "a", 1062) == 1,
	    "full: the key used least recently is forgotten");

	memset(k1, 'x', sizeof(k1) - 1);
	k1[sizeof(k1) - 1] = '\0';
	memcpy(k2, k1, sizeof(k2));
	k2[sizeof(k2) - 2] = 'y';
	check(limit_add(l, k1, 1062) == 1 && limit_add(l, k2, 1062) == 2,
	    "keys longer than the table's are cut: their heads count together");
	limit_free(l);

	if ((l = limit_new(60, 8)) == NULL)
		return 1;
	check(limit_mark(l, "m", 1000) == 1 && limit_mark(l, "m", 1050) == 1 &&
	    limit_count(l, "m", 1100) == 1 && limit_count(l, "m", 1110) == 0,
	    "a mark is remembered a whole window after the last one");
	limit_free(l);
	check(limit_count(NULL, "a", 0) == 0 && limit_add(NULL, "a", 0) == -1,
	    "no table (a limit turned off): nothing counted");
	return unit_done();
}
