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
 * imsg frames over one non-blocking fd on libevent (see frameio.h):
 * msgio.c with imsg_frame.c's reader, for the legacy table protocol.
 */

#include <sys/types.h>

#include <string.h>

#include "frameio.h"

static ssize_t
frame_read(void *owner, int fd, size_t *room)
{
	struct frameio	*io = owner;

	*room = io->in.cap - (io->in.len - io->in.off);
	return framebuf_read(&io->in, fd);
}

static int
frame_next(void *owner)
{
	struct frameio	*io = owner;
	struct frame	 f;

	if (framebuf_next(&io->in, &f) != 1)
		return 0;
	io->onframe(io->arg, &f);
	return 1;
}

static const char *
frame_cut(void *owner)
{
	struct frameio	*io = owner;

	return framebuf_partial(&io->in) ? "input ended inside a frame" :
	    NULL;
}

static const struct msgio_ops frame_ops = { frame_read, frame_next,
    frame_cut };

int
frameio_init(struct frameio *io, int fd,
    void (*onframe)(void *, struct frame *),
    void (*onclose)(void *, const char *), void *arg)
{
	memset(io, 0, sizeof(*io));
	io->onframe = onframe;
	io->arg = arg;
	if (framebuf_init(&io->in) == -1)
		return -1;
	return msgio_init(&io->m, fd, fd, &io->out, &frame_ops, io, onclose,
	    arg);
}

/* Read no more: close once what is queued is written. */
void
frameio_finish(struct frameio *io)
{
	msgio_finish(&io->m);
}
