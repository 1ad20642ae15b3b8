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
 * The sessions smtpd tells us about, keyed by session id, created on
 * link-connect and freed on link-disconnect.  Their number is bounded:
 * past the limit the session heard from least recently is dropped, and
 * its requests are then refused with a temporary failure.
 */

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "submission.h"
#include "compat.h"

RB_HEAD(sessions, session);
TAILQ_HEAD(lruq, session);

static struct sessions	 tree = RB_INITIALIZER(&tree);
static struct lruq	 lru = TAILQ_HEAD_INITIALIZER(lru);
static size_t		 count, max;

static int
session_cmp(struct session *a, struct session *b)
{
	return a->id < b->id ? -1 : a->id > b->id;
}

RB_GENERATE_STATIC(sessions, session, node, session_cmp)

void
session_init(int maxsessions)
{
	max = maxsessions;
}

size_t
session_count(void)
{
	return count;
}

struct session *
session_new(uint64_t id, const char *sidstr)
{
	struct session	*s, *old;

	if ((s = session_find(id)) != NULL)
		session_free(s);
	if (count >= max && (old = TAILQ_FIRST(&lru)) != NULL) {
		log_warnx("session=%s dropped: more than %zu open sessions",
		    old->sid, max);
		session_free(old);
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		log_warn("session=%s", sidstr);
		return NULL;
	}
	s->id = id;
	strlcpy(s->sid, sidstr, sizeof(s->sid));
	RB_INSERT(sessions, &tree, s);
	TAILQ_INSERT_TAIL(&lru, s, lru);
	count++;
	return s;
}

struct session *
session_find(uint64_t id)
{
	struct session	 key, *s;

	key.id = id;
	if ((s = RB_FIND(sessions, &tree, &key)) == NULL)
		return NULL;
	if (s != TAILQ_LAST(&lru, lruq)) {
		TAILQ_REMOVE(&lru, s, lru);
		TAILQ_INSERT_TAIL(&lru, s, lru);
	}
	return s;
}

/* Forget every session (the end of the input, a fuzzing run). */
void
session_free_all(void)
{
	struct session	*s;

	while ((s = TAILQ_FIRST(&lru)) != NULL)
		session_free(s);
}

void
session_free(struct session *s)
{
	authlimit_release(s);
	RB_REMOVE(sessions, &tree, s);
	TAILQ_REMOVE(&lru, s, lru);
	count--;
	session_hdr_end(s);
	free(s->txfrom);
	free(s);
}

/*
 * The header check of a message ends (its commit, a new MAIL FROM, the
 * end of the session): it is held only meanwhile, not by every session.
 */
void
session_hdr_end(struct session *s)
{
	if (s->hdr == NULL)
		return;
	hdr_free(s->hdr);
	free(s->hdr);
	s->hdr = NULL;
}
