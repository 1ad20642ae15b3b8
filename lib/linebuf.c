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

int
wbuf_init(struct wbuf *wb, size_t cap, size_t max)
{
	memset(wb, 0, sizeof(*wb));
	wb->cap = cap;
	wb->max = max;
	if ((wb->buf = malloc(cap)) == NULL)
		return -1;
	return 0;
}

void
wbuf_free(struct wbuf *wb)
{
	free(wb->buf);
	wb->buf = NULL;
}

/* Room for n bytes more, within the limit: 0, or -1. */
static int
wbuf_room(struct wbuf *wb, size_t n)
{
	char	*p;
	size_t	 cap;

	if (wb->cap - wb->len >= n)
		return 0;
	if (wb->len + n > wb->max)
		return -1;
	cap = wb->cap;
	while (cap - wb->len < n)
		cap *= 2;
	if (cap > wb->max)
		cap = wb->max;
	if ((p = realloc(wb->buf, cap)) == NULL)
		return -1;
	wb->buf = p;
	wb->cap = cap;
	return 0;
}

int
wbuf_add(struct wbuf *wb, const char *s, size_t n)
{
	if (wbuf_room(wb, n) == -1)
		return -1;
	memcpy(wb->buf + wb->len, s, n);
	wb->len += n;
	return 0;
}

int
wbuf_addstr(struct wbuf *wb, const char *s)
{
	return wbuf_add(wb, s, strlen(s));
}

/*
 * Queue one line of the smtpd protocols: the n fields joined by '|',
 * then a newline.  All of it, or nothing when it does not fit.  What
 * the fields may hold is for the caller to check.
 */
int
wbuf_addline(struct wbuf *wb, const char *const *f, size_t n)
{
	size_t	 len[WBUF_FIELDS_MAX], total = n, i;

	if (n == 0 || n > WBUF_FIELDS_MAX)
		return -1;
	for (i = 0; i < n; i++)
		total += len[i] = strlen(f[i]);
	if (wbuf_room(wb, total) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (i > 0)
			wb->buf[wb->len++] = '|';
		memcpy(wb->buf + wb->len, f[i], len[i]);
		wb->len += len[i];
	}
	wb->buf[wb->len++] = '\n';
	return 0;
}

/*
 * Write as much as the fd takes.  Returns the bytes still queued, or -1
 * on a write error other than EAGAIN.
 */
ssize_t
wbuf_flush(struct wbuf *wb, int fd)
{
	size_t	 done = 0;
	ssize_t	 n;

	while (done < wb->len) {
		n = write(fd, wb->buf + done, wb->len - done);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			return -1;
		}
		done += n;
	}
	if (done > 0) {
		memmove(wb->buf, wb->buf + done, wb->len - done);
		wb->len -= done;
	}
	return wb->len;
}
