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
 * What auth-helper prints: the records of the list commands, one a line,
 * fields separated by a space (no field holds one), or with -j one JSON
 * object a line; and its errors, one line each on standard error.
 */

#include <stdarg.h>
#include <stdio.h>

#include "auth_helper.h"

/* One line on standard error: what failed, on what, what to do. */
void
errx_msg(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "auth-helper: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

static void
json_string(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

void
out_row(struct env *env, int n, const char **keys, const char **vals)
{
	int	 i;

	if (env->json) {
		putchar('{');
		for (i = 0; i < n; i++) {
			if (i > 0)
				putchar(',');
			json_string(keys[i]);
			putchar(':');
			json_string(vals[i]);
		}
		printf("}\n");
		return;
	}
	for (i = 0; i < n; i++)
		printf("%s%s", i > 0 ? " " : "", vals[i]);
	putchar('\n');
}

/*
 * Print every row of sql (arg bound to ?1 when not NULL); its columns
 * are named by keys.  Returns 0 or -1.
 */
struct out_ctx {
	struct env	 *env;
	int		  n;
	const char	**keys;
};

static int
out_one(void *arg, int ncols, const char **v)
{
	struct out_ctx	*o = arg;
	const char	*vals[8];
	int		 i;

	for (i = 0; i < o->n && i < 8; i++)
		vals[i] = i < ncols && v[i] != NULL ? v[i] : "";
	out_row(o->env, o->n, o->keys, vals);
	return 0;
}

int
out_query(struct env *env, const char *sql, const char *arg, int n,
    const char **keys)
{
	struct out_ctx	 o = { env, n, keys };

	return store_rows(env, sql, &arg, arg != NULL ? 1 : 0, out_one, &o);
}
