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
 * Lines over a non-blocking input and output on libevent: msgio.c with
 * linebuf.c's reader, for the text protocols of smtpd.
 */

#include <sys/types.h>

#include <string.h>

#include "lineio.h"

static ssize_t
line_read(void *owner, int fd, size_t *room)
{
	struct lineio	*io = owner;

	*room = io->in.cap - 1 - (io->in.len - io->in.off);
	return linebuf_read(&io->in, fd);
}

static int
line_next(void *owner)
{
	struct lineio	*io = owner;
	char		*line;
	size_t		 len;
	int		 flags;

	if (linebuf_next(&io->in, &line, &len, &flags) != 1)
		return 0;
	io->online(io->arg, line, len, flags);
	return 1;
}

static const struct msgio_ops line_ops = { line_read, line_next, NULL };

int
lineio_init(struct lineio *io, int infd, int outfd, size_t maxline,
    void (*online)(void *, char *, size_t, int),
    void (*onclose)(void *, const char *), void *arg)
{
	memset(io, 0, sizeof(*io));
	io->online = online;
	io->arg = arg;
	if (linebuf_init(&io->in, maxline) == -1)
		return -1;
	return msgio_init(&io->m, infd, outfd, &io->out, &line_ops, io,
	    onclose, arg);
}

/*
 * Is input held past the line just handed out?  A peer that waits for
 * each answer before it writes again leaves none.
 */
int
lineio_pending(const struct lineio *io)
{
	return !io->in.skipping && io->in.len > io->in.off;
}

/* Stop watching the descriptors and free the buffers. */
void
lineio_free(struct lineio *io)
{
	msgio_free(&io->m);
	linebuf_free(&io->in);
}
