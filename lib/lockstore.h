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

#ifndef LOCKSTORE_H
#define LOCKSTORE_H

#include <time.h>

struct backend;

/*
 * Failed-AUTH lockouts and counts kept by key in the database server
 * (PostgreSQL, MariaDB), shared by every smtpd host that reads it.
 * Each returns -1 with the reason in err when the server cannot say
 * or cannot write.
 */
int	lockstore_enabled(const struct backend *);
int	lockstore_put(struct backend *, const char *, time_t, char *, size_t);
int	lockstore_get(struct backend *, const char *, time_t, char *, size_t);
int	lockstore_clear(struct backend *, const char *, char *, size_t);
int	lockstore_hit(struct backend *, const char *, time_t, int, char *,
	    size_t);

#endif
