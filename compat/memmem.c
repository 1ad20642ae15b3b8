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

/* memmem(3) where libc has none: the first place of a byte string. */

#include <string.h>

#include "compat.h"

#ifndef HAVE_MEMMEM

void *
memmem(const void *big, size_t blen, const void *little, size_t llen)
{
	const unsigned char	*b = big, *p, *end;

	if (llen == 0)
		return (void *)b;
	if (blen < llen)
		return NULL;
	end = b + (blen - llen);
	for (p = b; p <= end; p++) {
		p = memchr(p, *(const unsigned char *)little, end - p + 1);
		if (p == NULL)
			return NULL;
		if (memcmp(p, little, llen) == 0)
			return (void *)p;
	}
	return NULL;
}

#endif
