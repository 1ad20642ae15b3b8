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

#ifndef LINEBUF_H
#define LINEBUF_H

#include <sys/types.h>

/*
 * Line framing for the smtpd protocols: a bounded reader that hands out
 * complete lines in place (no copy, no allocation).
 */

#define LINE_TRUNCATED	0x01	/* the line was longer than max: prefix only */

struct linebuf {
	char	*buf;
	size_t	 off;		/* first byte not yet handed out */
	size_t	 len;		/* bytes held */
	size_t	 cap;
	size_t	 max;		/* longest line handed out whole */
	int	 skipping;	/* dropping the tail of an oversized line */
};

int	linebuf_init(struct linebuf *, size_t);
void	linebuf_free(struct linebuf *);
ssize_t	linebuf_read(struct linebuf *, int);
int	linebuf_next(struct linebuf *, char **, size_t *, int *);

#endif
