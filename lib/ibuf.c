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

/* The buffer of ibuf.h. */

#include <sys/types.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "ibuf.h"

/*
 * Start b empty with size bytes (none when 0), growing up to max.
 * Returns -1 when out of memory.
 */
int
ibuf_init(struct ibuf *b, size_t size, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
	if (size == 0)
		return 0;
	if (size > max || (b->buf = malloc(size)) == NULL)
		return -1;
	b->size = size;
	return 0;
}

/*
 * Start b empty over the caller's size bytes at p, as OpenBSD's
 * ibuf_from_buffer does: it never grows, and ibuf_free only wipes it.
 */
void
ibuf_fixed(struct ibuf *b, void *p, size_t size)
{
	memset(b, 0, sizeof(*b));
	b->buf = p;
	b->size = b->max = size;
	b->fixed = 1;
}

/* Wipe and release what b holds; it is empty, of no size, after. */
void
ibuf_free(struct ibuf *b)
{
	if (b->buf != NULL)
		explicit_bzero(b->buf, b->size);
	if (!b->fixed)
		free(b->buf);
	b->buf = NULL;
	b->size = b->rpos = b->wpos = 0;
}

/* Make b's allocation exactly size bytes, at least what it holds. */
int
ibuf_grow(struct ibuf *b, size_t size)
{
	unsigned char	*p;

	if (b->fixed || size > b->max || size < b->wpos)
		return -1;
	if (size == b->size)
		return 0;
	if ((p = realloc(b->buf, size)) == NULL)
		return -1;
	b->buf = p;
	b->size = size;
	return 0;
}

/*
 * Room for n bytes more at the write end, within the limit: the bytes
 * already taken make room first, then the allocation doubles.
 */
static int
room(struct ibuf *b, size_t n)
{
	size_t	 size;

	if (b->size - b->wpos >= n)
		return 0;
	if (b->wpos - b->rpos + n > b->max)
		return -1;
	if (b->rpos > 0) {
		ibuf_compact(b);
		if (b->size - b->wpos >= n)
			return 0;
	}
	size = b->size > 0 ? b->size : 64;
	while (size - b->wpos < n)
		size *= 2;
	if (size > b->max)
		size = b->max;
	return ibuf_grow(b, size);
}

/*
 * Take n bytes at the write end and return them for the caller to
 * fill, or NULL when they would not fit.
 */
void *
ibuf_reserve(struct ibuf *b, size_t n)
{
	void	*p;

	/* The room is there, most of the time: no call for it. */
	if (b->size - b->wpos < n && room(b, n) == -1)
		return NULL;
	p = b->buf + b->wpos;
	b->wpos += n;
	return p;
}

/* Append n bytes of p: all of them, or none and -1. */
int
ibuf_add(struct ibuf *b, const void *p, size_t n)
{
	void	*q;

	if (n == 0)
		return 0;
	if ((q = ibuf_reserve(b, n)) == NULL)
		return -1;
	memcpy(q, p, n);
	return 0;
}

/*
 * Append n bytes of p and keep a NUL after them, not counted: what is
 * held reads as a C string.  All of it, or nothing and -1.
 */
int
ibuf_addz(struct ibuf *b, const void *p, size_t n)
{
	if (b->size - b->wpos <= n && room(b, n + 1) == -1)
		return -1;
	memcpy(b->buf + b->wpos, p, n);
	b->wpos += n;
	b->buf[b->wpos] = '\0';
	return 0;
}

/* The bytes held, from the read end. */
void *
ibuf_data(const struct ibuf *b)
{
	return b->buf + b->rpos;
}

/* How many bytes are held. */
size_t
ibuf_size(const struct ibuf *b)
{
	return b->wpos - b->rpos;
}

/* Room at the write end without growing. */
size_t
ibuf_left(const struct ibuf *b)
{
	return b->size - b->wpos;
}

/* Take n bytes at the read end; an empty buffer starts over. */
void
ibuf_skip(struct ibuf *b, size_t n)
{
	b->rpos += n;
	if (b->rpos >= b->wpos)
		b->rpos = b->wpos = 0;
}

/* Keep the first len bytes held, drop the rest. */
void
ibuf_truncate(struct ibuf *b, size_t len)
{
	if (len < b->wpos - b->rpos)
		b->wpos = b->rpos + len;
	if (b->rpos == b->wpos)
		b->rpos = b->wpos = 0;
}

/* Move the bytes held to the start, for room at the write end. */
void
ibuf_compact(struct ibuf *b)
{
	if (b->rpos == 0)
		return;
	memmove(b->buf, b->buf + b->rpos, b->wpos - b->rpos);
	b->wpos -= b->rpos;
	b->rpos = 0;
}

/*
 * Read once from fd, at most n bytes, into the room at the write end
 * (the bytes taken make room first; the allocation does not grow).
 * Returns what read(2) returned: the byte count, 0 at end of file, -1
 * with errno set: ENOBUFS when there is no room.
 */
ssize_t
ibuf_read(struct ibuf *b, int fd, size_t n)
{
	ssize_t	 r;

	ibuf_compact(b);
	if (n > b->size - b->wpos)
		n = b->size - b->wpos;
	if (n == 0) {
		errno = ENOBUFS;
		return -1;
	}
	do {
		r = read(fd, b->buf + b->wpos, n);
	} while (r == -1 && errno == EINTR);
	if (r > 0)
		b->wpos += r;
	return r;
}

/*
 * Write as much as fd takes.  Returns the bytes still held, or -1 on a
 * write error other than EAGAIN.
 */
ssize_t
ibuf_write(struct ibuf *b, int fd)
{
	ssize_t	 n;

	while (b->wpos > b->rpos) {
		n = write(fd, b->buf + b->rpos, b->wpos - b->rpos);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			return -1;
		}
		ibuf_skip(b, n);
	}
	return b->wpos - b->rpos;
}
