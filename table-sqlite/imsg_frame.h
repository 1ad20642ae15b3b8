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

#ifndef IMSG_FRAME_H
#define IMSG_FRAME_H

#include <sys/types.h>

#include <stdint.h>

struct ibuf;

/*
 * OpenBSD imsg framing, as smtpd 6.6 to 7.5 uses it with its table
 * processes: a 16-byte header in host byte order (type, total length,
 * flags, peer id, pid), then the payload.  A stream of such frames is
 * cut into whole frames in place, without reading past any of them.
 */

#define IMSG_HDR_SIZE	16
#define IMSG_FRAME_MAX	16384	/* longest frame smtpd sends or takes */

#define FRAME_SHORT	1	/* length below the header's own: header only */
#define FRAME_LONG	2	/* over IMSG_FRAME_MAX: header only */

struct frame {
	uint32_t	 type;
	size_t		 len;		/* total length, as the header says */
	unsigned char	*data;		/* the payload, when bad is 0 */
	size_t		 datalen;
	int		 bad;		/* FRAME_SHORT, FRAME_LONG or 0 */
};

struct framebuf {
	unsigned char	*buf;
	size_t		 off;		/* first byte not yet handed out */
	size_t		 len;		/* bytes held */
	size_t		 cap;
};

int	framebuf_init(struct framebuf *);
void	framebuf_free(struct framebuf *);
ssize_t	framebuf_read(struct framebuf *, int);
int	framebuf_next(struct framebuf *, struct frame *);
int	framebuf_partial(struct framebuf *);

int	frame_add(struct ibuf *, uint32_t, const void *, size_t,
	    const void *, size_t);

#endif
