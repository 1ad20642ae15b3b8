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

#ifndef OWNER_H
#define OWNER_H

#include <stddef.h>

#include "addr.h"
#include "backend.h"

/* What the database says of an address (or a domain). */
enum own {
	OWN_TEMPFAIL = -1,	/* it cannot answer: never a yes or a no */
	OWN_NO = 0,
	OWN_YES = 1,
};

enum own	owner_owns(struct backend *, const char *, const struct addr *,
		    const char *, char *, size_t);
enum own	owner_anyone(struct backend *, const struct addr *,
		    const char *, char *, size_t);
enum own	owner_local_domain(struct backend *, const char *);

#endif
