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
 * filter-submission/smtpdfrom.c: which From: values smtpd changes after
 * the filter.  The expectations are what smtpd 7.6.0p1 and 7.4.0p1 store
 * for each value (worked out from their smtp_session.c and checked
 * against it by tests/e2e/t_hostile.sh on a real smtpd).
 */

#include <string.h>

#include "submission.h"
#include "unit.h"

/* Values and whether smtpd changes them, of any version (since75 0). */
static const struct {
	const char	*value;
	int		 changed;
	const char	*name;
} values[] = {
	{ " bob@example.com", 0, "an address with a domain stays" },
	{ " Bob <bob@example.com>", 0, "a name and address stay" },
	{ " \"Bob, Jr\" <bob@example.com>", 0,
	    "a comma in quotes does not cut" },
	{ " bob@example.com (Bob, Jr)", 0,
	    "a comma in a comment does not cut" },
	{ " a@example.com, b@example.com", 0, "two addresses stay" },
	{ " undisclosed-recipients:;", 0, "a group stays" },
	{ " a@example.com,", 0, "a trailing comma adds nothing" },
	{ " bob", 1, "a bare local part is completed" },
	{ " Bob <bob>", 1, "a bare local part in brackets too" },
	{ " <>", 0, "empty brackets stay" },
	{ " ceo (\\), x) <bob@example.com>", 1,
	    "a backslash does not escape inside a comment: \\) closes it" },
	{ " \\\"ceo,\" <bob@example.com>", 1,
	    "a backslash outside quotes escapes the quote, the comma cuts" },
	{ " <bob@example.com,ceo>", 1, "a comma inside brackets cuts" },
	{ " bob@example.com, ceo", 1, "any part without a domain" },
	{ " \"x\\\"y, ceo\" <bob@example.com>", 1,
	    "smtpd before 7.5 does not escape in quotes when it cuts" },
	{ " bob\\,ceo", 1, "a backslash does not keep a comma from cutting" },
	{ " Bob\n <bob@example.com>", 0, "folded lines are one value" },
	{ " ceo\\\n , bob@example.com", 1, "the state carries over a fold" },
	{ "(x)", 1, "smtpd completes a lone comment too" },
	{ " (x)", 0, "but not one after a space" },
};

int
main(void)
{
	const char	*v;
	size_t		 i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		check(smtpd_completes_from(values[i].value,
		    strlen(values[i].value), 0) == values[i].changed,
		    values[i].name);
	v = " \"Robert \\\"Bob\\\" Smith, Jr.\" <bob@example.com>";
	check(smtpd_completes_from(v, strlen(v), 1) == 0 &&
	    smtpd_completes_from(v, strlen(v), 0) == 1,
	    "an escaped quote before a comma in quotes: only smtpd 7.4 cuts");
	v = " ceo (\\), x) <bob@example.com>";
	check(smtpd_completes_from(v, strlen(v), 1) == 1,
	    "a backslash in a comment: 7.5 and later complete it too");
	return unit_done();
}
