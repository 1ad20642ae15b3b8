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

#ifndef LINEIO_H
#define LINEIO_H

#include "ibuf.h"
#include "linebuf.h"
#include "msgio.h"

/*
 * A line protocol endpoint on libevent (msgio.c): non-blocking input
 * split into lines, output queued and written once the input at hand is
 * drained, reading paused while the peer does not read what we write.
 */

struct lineio {
	struct linebuf	 in;
	struct ibuf	 out;
	struct msgio	 m;
	void		(*online)(void *, char *, size_t, int);
	void		*arg;
};

int	lineio_init(struct lineio *, int, int, size_t,
	    void (*)(void *, char *, size_t, int),
	    void (*)(void *, const char *), void *);
int	lineio_pending(const struct lineio *);
void	lineio_free(struct lineio *);

#endif
