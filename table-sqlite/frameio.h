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

#ifndef FRAMEIO_H
#define FRAMEIO_H

#include "imsg_frame.h"
#include "ibuf.h"
#include "msgio.h"

/*
 * An imsg endpoint on libevent (msgio.c), one fd both ways (smtpd
 * before 7.6 gives its table one socket, on standard input):
 * non-blocking input cut into frames, replies queued and written once
 * the input at hand is handled, reading paused while the peer does not
 * read them.
 */

struct frameio {
	struct framebuf	 in;
	struct ibuf	 out;
	struct msgio	 m;
	void		(*onframe)(void *, struct frame *);
	void		*arg;
};

int	frameio_init(struct frameio *, int, void (*)(void *, struct frame *),
	    void (*)(void *, const char *), void *);
void	frameio_finish(struct frameio *);

#endif
