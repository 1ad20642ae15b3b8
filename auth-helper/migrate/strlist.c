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

/* Growable lists of strings and of string pairs, for the migration. */

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "migrate.h"

/*
 * Room for one more in the array v of *cap elements of size bytes, n of
 * them in use: the array, doubled when it was full, or NULL when out of
 * memory (v is then left as it was).
 */
void *
grow_array(void *v, size_t *cap, size_t n, size_t size)
{
	size_t	 ncap;

	if (n < *cap)
		return v;
	ncap = *cap == 0 ? 16 : *cap * 2;
	if ((v = reallocarray(v, ncap, size)) != NULL)
		*cap = ncap;
	return v;
}

int
sl_add(struct strlist *l, const char *s)
{
	char	**v;

	if ((v = grow_array(l->v, &l->cap, l->n, sizeof(*v))) == NULL)
		return -1;
	l->v = v;
	if ((l->v[l->n] = strdup(s)) == NULL)
		return -1;
	l->n++;
	return 0;
}

int
sl_addf(struct strlist *l, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 rv;

	va_start(ap, fmt);
	rv = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rv == -1)
		return -1;
	rv = sl_add(l, s);
	free(s);
	return rv;
}

int
sl_has(const struct strlist *l, const char *s)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

void
sl_free(struct strlist *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
pl_add(struct pairlist *l, const char *a, const char *b)
{
	struct pair	*v;

	if ((v = grow_array(l->v, &l->cap, l->n, sizeof(*v))) == NULL)
		return -1;
	l->v = v;
	if ((l->v[l->n].a = strdup(a)) == NULL)
		return -1;
	if ((l->v[l->n].b = strdup(b)) == NULL) {
		free(l->v[l->n].a);
		return -1;
	}
	l->n++;
	return 0;
}

/* Is the pair (a, b) in l? */
int
pl_has(const struct pairlist *l, const char *a, const char *b)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].a, a) == 0 && strcmp(l->v[i].b, b) == 0)
			return 1;
	return 0;
}

/* The b of the first pair whose a is key, or NULL. */
const char *
pl_get(const struct pairlist *l, const char *key)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].a, key) == 0)
			return l->v[i].b;
	return NULL;
}

void
pl_free(struct pairlist *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].a);
		free(l->v[i].b);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/*
 * Split a Postfix list (names separated by commas and/or white space)
 * into l.  A "{ ... }" group stays one item, braces included.
 */
int
split_list(const char *s, struct strlist *l)
{
	char		*item;
	const char	*p, *start;
	int		 depth;

	for (p = s; *p != '\0';) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		start = p;
		depth = 0;
		while (*p != '\0') {
			if (*p == '{')
				depth++;
			else if (*p == '}' && depth > 0)
				depth--;
			else if (depth == 0 &&
			    (*p == ',' || isspace((unsigned char)*p)))
				break;
			p++;
		}
		if ((item = strndup(start, p - start)) == NULL)
			return -1;
		if (sl_add(l, item) == -1) {
			free(item);
			return -1;
		}
		free(item);
	}
	return 0;
}
