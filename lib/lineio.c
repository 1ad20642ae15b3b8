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
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lineio.h"

#define WBUF_START	(64 * 1024)
#define WBUF_MAX	(8 * 1024 * 1024)
#define WBUF_HIGH	(1024 * 1024)	/* pause reading above this */
#define READS_PER_EVENT	16

static void	lineio_readable(int, short, void *);
static void	lineio_writable(int, short, void *);
static void	lineio_eof(struct lineio *);

static int
set_nonblock(int fd)
{
	int	 fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return -1;
	return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int
lineio_init(struct lineio *io, int infd, int outfd, size_t maxline,
    void (*online)(void *, char *, size_t, int),
    void (*onclose)(void *, const char *), void *arg)
{
	memset(io, 0, sizeof(*io));
	io->infd = infd;
	io->outfd = outfd;
	io->online = online;
	io->onclose = onclose;
	io->arg = arg;
	if (linebuf_init(&io->in, maxline) == -1)
		return -1;
	if (wbuf_init(&io->out, WBUF_START, WBUF_MAX) == -1)
		return -1;
	if (set_nonblock(infd) == -1 || set_nonblock(outfd) == -1)
		return -1;
	event_set(&io->evin, infd, EV_READ | EV_PERSIST, lineio_readable, io);
	event_set(&io->evout, outfd, EV_WRITE, lineio_writable, io);
	/* epoll cannot watch a regular file: smtpd gives a socket. */
	if (event_add(&io->evin, NULL) == -1)
		return -1;
	return 0;
}

/* Stop watching the descriptors and free the buffers. */
void
lineio_free(struct lineio *io)
{
	if (event_initialized(&io->evin))
		event_del(&io->evin);
	if (event_initialized(&io->evout))
		event_del(&io->evout);
	linebuf_free(&io->in);
	wbuf_free(&io->out);
}

/* Write what is queued; wait for the peer when it does not take it all. */
void
lineio_flush(struct lineio *io)
{
	ssize_t	 left;

	if (io->out.len == 0)
		return;
	if ((left = wbuf_flush(&io->out, io->outfd)) == -1) {
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

static void
lineio_writable(int fd, short ev, void *arg)
{
	struct lineio	*io = arg;

	lineio_flush(io);
	if (io->eof) {
		if (io->out.len <= WBUF_HIGH)
			io->paused = 0;
		lineio_eof(io);
		return;
	}
	if (io->paused && io->out.len <= WBUF_HIGH) {
		io->paused = 0;
		event_add(&io->evin, NULL);
		/* Lines may be waiting in the buffer already. */
		event_active(&io->evin, EV_READ, 0);
	}
}

/* Hand out the buffered lines until none is left or reading pauses. */
static void
deliver(struct lineio *io)
{
	char	*line;
	size_t	 len;
	int	 flags;

	while (!io->paused &&
	    linebuf_next(&io->in, &line, &len, &flags) == 1) {
		io->online(io->arg, line, len, flags);
		if (io->out.len > WBUF_HIGH)
			lineio_flush(io);
	}
}

/*
 * End of input: answer the lines still buffered and write every answer
 * out before closing, however slowly the peer reads.  Called again from
 * lineio_writable until all is written.
 */
static void
lineio_eof(struct lineio *io)
{
	io->eof = 1;
	event_del(&io->evin);
	deliver(io);
	lineio_flush(io);
	if (!io->paused && io->out.len == 0)
		io->onclose(io->arg, NULL);
}

static void
lineio_readable(int fd, short ev, void *arg)
{
	struct lineio	*io = arg;
	size_t		 room;
	ssize_t		 n;
	int		 i, drained;

	for (i = 0; i < READS_PER_EVENT && !io->paused; i++) {
		room = io->in.cap - 1 - (io->in.len - io->in.off);
		n = linebuf_read(&io->in, io->infd);
		if (n == -1 && errno != EAGAIN && errno != ENOBUFS) {
			lineio_flush(io);
			io->onclose(io->arg, strerror(errno));
			return;
		}
		drained = n == -1 && errno == EAGAIN;
		/*
		 * Even with nothing new to read: after a pause, the lines
		 * read before it are still waiting here.
		 */
		deliver(io);
		if (n == 0) {
			lineio_eof(io);
			return;
		}
		/* A short read means the input is drained for now. */
		if (drained || (n > 0 && (size_t)n < room))
			break;
	}
	lineio_flush(io);
}
