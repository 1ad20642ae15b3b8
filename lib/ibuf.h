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

#ifndef IBUF_H
#define IBUF_H

#include <sys/types.h>

/*
 * A byte buffer in the shape of OpenBSD's ibuf: bytes are added at the
 * write end and taken from the read end; it grows, by doubling, up to
 * a hard limit given at its start and never past it.  Every buffer of
 * the kit is one: the replies a program queues, the input its reader
 * cuts into lines or frames, a header value held for a check.
 */

struct ibuf {
	unsigned char	*buf;
	size_t		 size;		/* allocated */
	size_t		 max;		/* hard limit on size */
	size_t		 rpos;		/* first byte not yet taken */
	size_t		 wpos;		/* end of the bytes held */
	int		 fixed;		/* the caller's memory: never grown */
};

int	 ibuf_init(struct ibuf *, size_t, size_t);
void	 ibuf_fixed(struct ibuf *, void *, size_t);
void	 ibuf_free(struct ibuf *);
int	 ibuf_grow(struct ibuf *, size_t);
void	*ibuf_reserve(struct ibuf *, size_t);
int	 ibuf_add(struct ibuf *, const void *, size_t);
int	 ibuf_addz(struct ibuf *, const void *, size_t);
void	*ibuf_data(const struct ibuf *);
size_t	 ibuf_size(const struct ibuf *);
size_t	 ibuf_left(const struct ibuf *);
void	 ibuf_skip(struct ibuf *, size_t);
void	 ibuf_truncate(struct ibuf *, size_t);
void	 ibuf_compact(struct ibuf *);
ssize_t	 ibuf_read(struct ibuf *, int, size_t);
ssize_t	 ibuf_write(struct ibuf *, int);

#endif
