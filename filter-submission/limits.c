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
 * Counters in fixed windows, keyed by a client address or a login, for
 * the abuse limits.  The table is bounded: when full, the key used least
 * recently is forgotten.  Per process: each smtpd filter process counts
 * on its own.
 */

#include <sys/queue.h>

#include <stdlib.h>
#include <string.h>

#include "submission.h"
#include "compat.h"

struct counter {
	RB_ENTRY(counter)	 node;
	TAILQ_ENTRY(counter)	 lru;
	time_t			 start;
	int			 n;
	char			 key[];
};

RB_HEAD(counters, counter);
TAILQ_HEAD(counterq, counter);

#define KEY_MAX		320

struct limit {
	struct counters		 tree;
	struct counterq		 lru;
	struct counter		*probe;		/* search key, KEY_MAX long */
	int			 window;
	int			 max;
	int			 count;
};

static int
counter_cmp(struct counter *a, struct counter *b)
{
	return strcmp(a->key, b->key);
}

RB_GENERATE_STATIC(counters, counter, node, counter_cmp)

struct limit *
limit_new(int window, int maxkeys)
{
	struct limit	*l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	if ((l->probe = calloc(1, sizeof(*l->probe) + KEY_MAX)) == NULL) {
		free(l);
		return NULL;
	}
	RB_INIT(&l->tree);
	TAILQ_INIT(&l->lru);
	l->window = window;
	l->max = maxkeys;
	return l;
}

static struct counter *
lookup(struct limit *l, const char *key, time_t now, int create)
{
	struct counter	*c, *old;
	size_t		 n = strlen(key);

	if (n >= KEY_MAX)
		n = KEY_MAX - 1;
	memcpy(l->probe->key, key, n);
	l->probe->key[n] = '\0';
	c = RB_FIND(counters, &l->tree, l->probe);
	if (c == NULL) {
		if (!create)
			return NULL;
		if (l->count >= l->max && (old = TAILQ_FIRST(&l->lru))) {
			RB_REMOVE(counters, &l->tree, old);
			TAILQ_REMOVE(&l->lru, old, lru);
			free(old);
			l->count--;
		}
		if ((c = calloc(1, sizeof(*c) + n + 1)) == NULL)
			return NULL;
		memcpy(c->key, l->probe->key, n + 1);
		c->start = now;
		RB_INSERT(counters, &l->tree, c);
		l->count++;
	} else
		TAILQ_REMOVE(&l->lru, c, lru);
	TAILQ_INSERT_TAIL(&l->lru, c, lru);
	if (now - c->start >= l->window) {
		c->start = now;
		c->n = 0;
	}
	return c;
}

void
limit_free(struct limit *l)
{
	struct counter	*c;

	if (l == NULL)
		return;
	while ((c = TAILQ_FIRST(&l->lru)) != NULL) {
		TAILQ_REMOVE(&l->lru, c, lru);
		free(c);
	}
	free(l->probe);
	free(l);
}

/* How many events key had in the current window. */
int
limit_count(struct limit *l, const char *key, time_t now)
{
	struct counter	*c;

	if (l == NULL || (c = lookup(l, key, now, 0)) == NULL)
		return 0;
	return c->n;
}

/* Count one event for key; returns the new count (-1 out of memory). */
int
limit_add(struct limit *l, const char *key, time_t now)
{
	struct counter	*c;

	if (l == NULL || (c = lookup(l, key, now, 1)) == NULL)
		return -1;
	return ++c->n;
}

/* Take back one event of key counted in the current window. */
void
limit_sub(struct limit *l, const char *key, time_t now)
{
	struct counter	*c;

	if (l != NULL && (c = lookup(l, key, now, 0)) != NULL && c->n > 0)
		c->n--;
}

/*
 * key seen at now: its window starts again, with this one event, so that
 * it is remembered for a whole window after its last event.
 */
int
limit_mark(struct limit *l, const char *key, time_t now)
{
	struct counter	*c;

	if (l == NULL || (c = lookup(l, key, now, 1)) == NULL)
		return -1;
	c->start = now;
	c->n = 1;
	return 1;
}
