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
 * The migration report: one line for each Postfix or Dovecot setting that
 * mattered and what it became, each that was not carried over and what
 * to do instead, each intended difference, the rows imported.  Errors
 * are kept apart: one is enough to refuse the migration.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "migrate.h"

struct report {
	struct strlist	 sect[R_NSECT];
	struct strlist	 errors;
	int		 nomem;
};

static const char *titles[R_NSECT] = {
	[R_SETTING] = "Settings carried over",
	[R_TODO] = "Not carried over: what to do instead",
	[R_WARN] = "Warnings about the input",
	[R_DIFF] = "Intended differences from Postfix",
	[R_DATA] = "Rows imported",
	[R_EXPORT] = "To run by hand",
};

struct report *
report_new(void)
{
	return calloc(1, sizeof(struct report));
}

void
report_free(struct report *r)
{
	int	 i;

	if (r == NULL)
		return;
	for (i = 0; i < R_NSECT; i++)
		sl_free(&r->sect[i]);
	sl_free(&r->errors);
	free(r);
}

static void
add(struct report *r, struct strlist *l, const char *fmt, va_list ap)
{
	char	*s, *p;

	if (vasprintf(&s, fmt, ap) == -1) {
		r->nomem = 1;
		return;
	}
	/* One item, one line. */
	for (p = s; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	if (!sl_has(l, s) && sl_add(l, s) == -1)
		r->nomem = 1;
	free(s);
}

void
report_add(struct report *r, enum rsect s, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	add(r, &r->sect[s], fmt, ap);
	va_end(ap);
}

/* An error that makes the migration refuse; returns -1. */
int
report_error(struct report *r, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	add(r, &r->errors, fmt, ap);
	va_end(ap);
	return -1;
}

const char *
report_first_error(struct report *r)
{
	if (r->nomem)
		return "out of memory";
	return r->errors.n > 0 ? r->errors.v[0] : NULL;
}

int
report_print(struct report *r, FILE *fp)
{
	size_t	 i;
	int	 s;

	fprintf(fp, "# Migration from Postfix by auth-helper migrate-postfix\n");
	for (i = 0; i < r->errors.n; i++)
		fprintf(fp, "error: %s\n", r->errors.v[i]);
	for (s = 0; s < R_NSECT; s++) {
		fprintf(fp, "\n## %s\n", titles[s]);
		if (r->sect[s].n == 0)
			fprintf(fp, "(none)\n");
		for (i = 0; i < r->sect[s].n; i++)
			fprintf(fp, "%s\n", r->sect[s].v[i]);
	}
	return ferror(fp) ? -1 : 0;
}
