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

/* filter-submission/budget.c: bytes held per key, bounded. */

#include "submission.h"
#include "unit.h"

int
main(void)
{
	struct budget	*b;

	if ((b = budget_new(100)) == NULL)
		return 1;
	check(budget_take(b, "bob", 60) == 0 && budget_take(b, "bob", 40) == 0,
	    "a key may hold up to its budget");
	check(budget_take(b, "bob", 1) == -1, "not a byte more");
	check(budget_take(b, "ann", 100) == 0, "other keys have their own");
	check(budget_take(b, "eve", 101) == -1,
	    "a first take over the budget is refused");
	budget_give(b, "bob", 30);
	check(budget_take(b, "bob", 30) == 0 && budget_take(b, "bob", 1) == -1,
	    "what is given back may be taken again");
	budget_give(b, "bob", 1000);
	check(budget_take(b, "bob", 100) == 0,
	    "giving back more than held empties the key");
	budget_give(b, "nobody", 10);
	check(budget_take(b, "nobody", 100) == 0,
	    "giving back for an unknown key changes nothing");
	budget_free(b);
	return unit_done();
}
