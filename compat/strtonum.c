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
 * strtonum(3) where libc has none: a decimal number within [min, max],
 * or 0 and a reason ("invalid", "too small", "too large").
 */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "compat.h"

#ifndef HAVE_STRTONUM

long long
strtonum(const char *s, long long minval, long long maxval,
    const char **errstrp)
{
	const char	*why = NULL;
	char		*end;
	long long	 n = 0;
	int		 saved = errno;

	if (minval > maxval) {
		why = "invalid";
		errno = EINVAL;
	} else {
		errno = 0;
		n = strtoll(s, &end, 10);
		if (s[0] == '\0' || *end != '\0') {
			why = "invalid";
			errno = EINVAL;
		} else if ((n == LLONG_MIN && errno == ERANGE) || n < minval) {
			why = "too small";
			errno = ERANGE;
		} else if ((n == LLONG_MAX && errno == ERANGE) || n > maxval) {
			why = "too large";
			errno = ERANGE;
		}
	}
	if (errstrp != NULL)
		*errstrp = why;
	if (why != NULL)
		return 0;
	errno = saved;
	return n;
}

#endif
