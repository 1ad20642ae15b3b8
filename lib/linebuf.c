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

#include <sys/types.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linebuf.h"

int
linebuf_init(struct linebuf *lb, size_t max)
{
	memset(lb, 0, sizeof(*lb));
	lb->max = max;
	lb->cap = max * 2 + 2;
	if ((lb->buf = malloc(lb->cap)) == NULL)
		return -1;
	return 0;
}

void
linebuf_free(struct linebuf *lb)
{
	if (lb->buf != NULL)
		explicit_bzero(lb->buf, lb->cap);
	free(lb->buf);
	lb->buf = NULL;
}

/*
 * Read once from fd into the free space.  Returns what read(2) returned:
 * the byte count, 0 at end of file, -1 with errno set.
 */
ssize_t
linebuf_read(struct linebuf *lb, int fd)
{
	ssize_t	 n;

	if (lb->off > 0) {
		memmove(lb->buf, lb->buf + lb->off, lb->len - lb->off);
		lb->len -= lb->off;
		lb->off = 0;
	}
	if (lb->len == lb->cap - 1) {
		/* Only an oversized line can fill the buffer; let next() cut it. */
		errno = ENOBUFS;
		return -1;
	}
	do {
		n = read(fd, lb->buf + lb->len, lb->cap - 1 - lb->len);
	} while (n == -1 && errno == EINTR);
	if (n > 0)
		lb->len += n;
	return n;
}

/*
 * Hand out the next complete line, NUL-terminated in place, without its
 * newline.  It may hold NUL bytes of its own: callers use *lenp.  A line
 * longer than max comes out once, cut to max bytes, with LINE_TRUNCATED
 * in *flagsp; the rest of it is dropped.  Returns 1 for a line, 0 when
 * more input is needed.
 */
int
linebuf_next(struct linebuf *lb, char **linep, size_t *lenp, int *flagsp)
{
	char	*start, *nl;
	size_t	 avail;

	for (;;) {
		start = lb->buf + lb->off;
		avail = lb->len - lb->off;
		nl = memchr(start, '\n', avail);

		if (lb->skipping) {
			if (nl == NULL) {
				lb->off = lb->len = 0;
				return 0;
			}
			lb->off += nl - start + 1;
			lb->skipping = 0;
			continue;
		}

		if (nl != NULL && (size_t)(nl - start) <= lb->max) {
			*nl = '\0';
			*linep = start;
			*lenp = nl - start;
			*flagsp = 0;
			lb->off += nl - start + 1;
			return 1;
		}
		if (nl == NULL && avail <= lb->max)
			return 0;

		/* Oversized: hand out the head, drop the rest. */
		*linep = start;
		*lenp = lb->max;
		*flagsp = LINE_TRUNCATED;
		if (nl != NULL)
			lb->off += nl - start + 1;
		else {
			lb->off = lb->len;
			lb->skipping = 1;
		}
		start[lb->max] = '\0';
		return 1;
	}
}
