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

/* auth-helper/migrate/strlist.c: growable lists of strings and pairs. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrate.h"
#include "unit.h"

int
main(void)
{
	struct strlist	 l;
	struct pairlist	 p;
	char		 s[16];
	int		*v = NULL, ok = 1;
	size_t		 cap = 0, n;

	for (n = 0; n < 100; n++) {
		if ((v = grow_array(v, &cap, n, sizeof(*v))) == NULL)
			return 1;
		v[n] = n;
	}
	for (n = 0; n < 100; n++)
		ok &= v[n] == (int)n;
	check(ok && cap >= 100 && cap < 200,
	    "an array grown one at a time keeps what it holds, doubling");
	free(v);

	memset(&l, 0, sizeof(l));
	for (n = 0; n < 40; n++) {
		snprintf(s, sizeof(s), "item%zu", n);
		sl_add(&l, s);
	}
	sl_addf(&l, "%s-%d", "last", 7);
	check(l.n == 41 && strcmp(l.v[0], "item0") == 0 &&
	    strcmp(l.v[39], "item39") == 0 && strcmp(l.v[40], "last-7") == 0,
	    "strings added in order, formatted too");
	check(sl_has(&l, "item17") && !sl_has(&l, "item"), "sl_has");
	sl_free(&l);
	check(l.n == 0 && l.v == NULL, "freed empty");

	check(split_list("a, b\tc,,{ d, e } f", &l) == 0 && l.n == 5 &&
	    strcmp(l.v[2], "c") == 0 && strcmp(l.v[3], "{ d, e }") == 0 &&
	    strcmp(l.v[4], "f") == 0,
	    "a Postfix list: commas and blanks between, a { } group one item");
	sl_free(&l);

	memset(&p, 0, sizeof(p));
	pl_add(&p, "k", "one");
	pl_add(&p, "k", "two");
	pl_add(&p, "j", "three");
	check(p.n == 3 && strcmp(pl_get(&p, "k"), "one") == 0 &&
	    strcmp(pl_get(&p, "j"), "three") == 0 && pl_get(&p, "x") == NULL,
	    "pairs: the first of a key is found");
	pl_free(&p);
	return unit_done();
}
