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
 * Bytes held per key (a login, a client address), so that no one login
 * or client can take all the memory the header check may hold.  A key
 * is kept while it holds anything.
 */


#include <stdlib.h>
#include <string.h>

#include "submission.h"
#include "compat.h"

struct holder {
	RB_ENTRY(holder)	 node;
	size_t			 held;
	char			 key[];
};

RB_HEAD(holders, holder);

#define KEY_MAX		320

struct budget {
	struct holders		 tree;
	struct holder		*probe;	/* search key, KEY_MAX long */
	size_t			 max;	/* per key */
};

static int
holder_cmp(struct holder *a, struct holder *b)
{
	return strcmp(a->key, b->key);
}

RB_GENERATE_STATIC(holders, holder, node, holder_cmp)

struct budget *
budget_new(size_t max)
{
	struct budget	*b;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	if ((b->probe = calloc(1, sizeof(*b->probe) + KEY_MAX)) == NULL) {
		free(b);
		return NULL;
	}
	RB_INIT(&b->tree);
	b->max = max;
	return b;
}

static struct holder *
find(struct budget *b, const char *key)
{
	strlcpy(b->probe->key, key, KEY_MAX);
	return RB_FIND(holders, &b->tree, b->probe);
}

/* May key hold n bytes more?  0 and counted, or -1 (over, or no memory). */
int
budget_take(struct budget *b, const char *key, size_t n)
{
	struct holder	*h;
	size_t		 len;

	if ((h = find(b, key)) == NULL) {
		if (n > b->max)
			return -1;
		len = strlen(b->probe->key);
		if ((h = calloc(1, sizeof(*h) + len + 1)) == NULL)
			return -1;
		memcpy(h->key, b->probe->key, len + 1);
		RB_INSERT(holders, &b->tree, h);
	} else if (n > b->max - h->held)
		return -1;
	h->held += n;
	return 0;
}

/* Key holds n bytes less. */
void
budget_give(struct budget *b, const char *key, size_t n)
{
	struct holder	*h;

	if (n == 0 || (h = find(b, key)) == NULL)
		return;
	h->held -= n < h->held ? n : h->held;
	if (h->held == 0) {
		RB_REMOVE(holders, &b->tree, h);
		free(h);
	}
}

void
budget_free(struct budget *b)
{
	struct holder	*h, *next;

	if (b == NULL)
		return;
	RB_FOREACH_SAFE(h, holders, &b->tree, next) {
		RB_REMOVE(holders, &b->tree, h);
		free(h);
	}
	free(b->probe);
	free(b);
}
