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

#ifndef BACKEND_H
#define BACKEND_H

#include <sys/types.h>

#include <stdint.h>
#include <time.h>

#include <sqlite3.h>

#include "dbsrv.h"
#include "sqlconf.h"

#define VALUE_MAX	(64 * 1024)	/* longest value we answer */

/* What a lookup or a fetch found; smtpd's imsg replies use these values. */
enum lookup_result {
	LOOKUP_ERROR = -1,	/* why in err */
	LOOKUP_NOTFOUND = 0,
	LOOKUP_FOUND = 1,	/* the value in val */
};

/* Where a lookup or a fetch puts its answer: the caller's buffer. */
struct lookup {
	char		*val;
	size_t		 vlen;
	char		 err[512];
};

/* One configuration and the database it reads. */
struct backend {
	char		*path;		/* configuration file */
	struct sqlconf	 conf;
	sqlite3		*db;		/* NULL until (re)opened */
	sqlite3_stmt	*stmt[Q_MAX];
	sqlite3_stmt	*fetch_stmt;
	sqlite3_stmt	*begin;		/* read transactions, see tx_begin() */
	sqlite3_stmt	*commit;
	int		 keep_reads;	/* lookups share read transactions */
	int		 tx_used;	/* a lookup since the last tick */
	uint64_t	 tx_start;	/* ms */
	void		(*tx_arm)(void *, int);	/* backend_tick() in ms */
	void		(*tx_disarm)(void *);
	void		*tx_arg;
	dev_t		 dev;
	ino_t		 ino;
	time_t		 checked;	/* last stat of the file */
	time_t		 retry;		/* no reopen before this */
	char		 lasterr[512];	/* why, until then */
	char		**src;		/* fetch_source rows */
	size_t		 nsrc;
	size_t		 isrc;
	time_t		 src_loaded;
	long long	 src_calls;
	/* A server engine (PostgreSQL, MariaDB) instead of SQLite. */
	const struct dbsrv_ops *srv;
	struct dbconn	*conn;		/* NULL until (re)connected */
	struct sqlparam	 sq[SLOT_MAX];	/* the queries, for its engine */
	time_t		 down_since;	/* this outage began, or 0 */
	int		 backoff;	/* seconds between tries */
	uint64_t	 srv_next;	/* no try before this, ms */
	unsigned int	 conn_gen;	/* connections made so far */
	unsigned int	 lock_gen;	/* the one lockouts are prepared on */
	int		 lock_absent;	/* and found no kit_authlock there */
	time_t		 lock_purge;	/* no purge of kit_authlock before */
	/* Scratch: the answers its callers read (owner.c), one at a time. */
	char		 value[VALUE_MAX];
};

struct backend	*backend_new(const char *, char *, size_t);
struct backend	*backend_reload(const char *, char *, size_t);
void		 backend_free(struct backend *);
void		 backend_keep_reads(struct backend *, void (*)(void *, int),
		    void (*)(void *), void *);
void		 backend_tick(struct backend *);
int		 backend_ready(struct backend *, char *, size_t);
int		 backend_check(struct backend *, int, const char *, char *,
		    size_t);
enum lookup_result backend_lookup(struct backend *, int, const char *,
		    struct lookup *);
enum lookup_result backend_fetch(struct backend *, struct lookup *);
int		 backend_stored_hash(struct backend *, const char *,
		    char *, size_t, char *, size_t);
int		 backend_srv_query(struct backend *, int, const char *const *,
		    int, struct dbres *, char *, size_t);
int		 backend_srv_ready(struct backend *, char *, size_t);
void		 backend_srv_lost(struct backend *, const char *);
void		 backend_srv_answered(struct backend *);

#endif
