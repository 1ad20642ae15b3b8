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
 * imsg frames over one non-blocking fd on libevent (see frameio.h): the
 * frame counterpart of lineio.c, for the legacy table protocol.
 */

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "frameio.h"

#define WBUF_START	(64 * 1024)
#define WBUF_MAX	(8 * 1024 * 1024)
#define WBUF_HIGH	(1024 * 1024)	/* pause reading above this */
#define READS_PER_EVENT	16

static void	frameio_readable(int, short, void *);
static void	frameio_writable(int, short, void *);
static void	frameio_end(struct frameio *);

int
frameio_init(struct frameio *io, int fd,
    void (*onframe)(void *, struct frame *),
    void (*onclose)(void *, const char *), void *arg)
{
	int	 fl;

	memset(io, 0, sizeof(*io));
	io->fd = fd;
	io->onframe = onframe;
	io->onclose = onclose;
	io->arg = arg;
	if (framebuf_init(&io->in) == -1)
		return -1;
	if (wbuf_init(&io->out, WBUF_START, WBUF_MAX) == -1)
		return -1;
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		return -1;
	event_set(&io->evin, fd, EV_READ | EV_PERSIST, frameio_readable, io);
	event_set(&io->evout, fd, EV_WRITE, frameio_writable, io);
	if (event_add(&io->evin, NULL) == -1)
		return -1;
	return 0;
}

/* Write what is queued; wait for the peer when it does not take it all. */
void
frameio_flush(struct frameio *io)
{
	ssize_t	 left;

	if (io->out.len == 0)
		return;
	if ((left = wbuf_flush(&io->out, io->fd)) == -1) {
		io->onclose(io->arg, strerror(errno));
		return;
	}
	if (left > 0 && !event_pending(&io->evout, EV_WRITE, NULL))
		event_add(&io->evout, NULL);
	if (left > WBUF_HIGH && !io->paused) {
		event_del(&io->evin);
		io->paused = 1;
	}
}

/* Read no more: close once what is queued is written. */
void
frameio_finish(struct frameio *io)
{
	io->closing = 1;
	event_del(&io->evin);
}

static void
frameio_writable(int fd, short ev, void *arg)
{
	struct frameio	*io = arg;

	frameio_flush(io);
	if (io->eof || io->closing) {
		if (io->out.len <= WBUF_HIGH)
			io->paused = 0;
		frameio_end(io);
		return;
	}
	if (io->paused && io->out.len <= WBUF_HIGH) {
		io->paused = 0;
		event_add(&io->evin, NULL);
		/* Frames may be waiting in the buffer already. */
		event_active(&io->evin, EV_READ, 0);
	}
}

/* Hand out the buffered frames until none is left or reading pauses. */
static void
deliver(struct frameio *io)
{
	struct frame	 f;

	while (!io->paused && !io->closing &&
	    framebuf_next(&io->in, &f) == 1) {
		io->onframe(io->arg, &f);
		if (io->out.len > WBUF_HIGH)
			frameio_flush(io);
	}
}

/*
 * End of input, or no more wanted: at end of input, answer the frames
 * still buffered; then write every answer out before closing, however
 * slowly the peer reads.  Called again from frameio_writable until all
 * is written.
 */
static void
frameio_end(struct frameio *io)
{
	event_del(&io->evin);
	if (!io->closing)
		deliver(io);
	frameio_flush(io);
	if (io->paused || io->out.len > 0)
		return;
	if (!io->closing && framebuf_partial(&io->in))
		io->onclose(io->arg, "input ended inside a frame");
	else
		io->onclose(io->arg, NULL);
}

static void
frameio_readable(int fd, short ev, void *arg)
{
	struct frameio	*io = arg;
	size_t		 room;
	ssize_t		 n;
	int		 i, drained;

	for (i = 0; i < READS_PER_EVENT && !io->paused; i++) {
		room = io->in.cap - (io->in.len - io->in.off);
		n = framebuf_read(&io->in, io->fd);
		if (n == -1 && errno != EAGAIN && errno != ENOBUFS) {
			frameio_flush(io);
			io->onclose(io->arg, strerror(errno));
			return;
		}
		drained = n == -1 && errno == EAGAIN;
		deliver(io);
		if (io->closing) {
			frameio_end(io);
			return;
		}
		if (n == 0) {
			io->eof = 1;
			frameio_end(io);
			return;
		}
		/* A short read means the input is drained for now. */
		if (drained || (n > 0 && (size_t)n < room))
			break;
	}
	frameio_flush(io);
}
