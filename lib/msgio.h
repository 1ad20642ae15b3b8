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

#ifndef MSGIO_H
#define MSGIO_H

#include <sys/types.h>

#include <event.h>

struct ibuf;

/*
 * A stream of messages on libevent, under reader.c (lines and imsg
 * frames): non-blocking input read into the owner's buffer and handed
 * out one message at a time, replies queued in the owner's ibuf and
 * written once the input at hand is handled, reading paused while the
 * peer does not read them.  At the end of the input,
 * the messages still held are handed out and every reply written
 * before onclose.
 */

/* How the owner reads and cuts its messages. */
struct msgio_ops {
	/* Read fd into its buffer: read(2)'s result; *room: its room. */
	ssize_t		 (*read)(void *, int, size_t *);
	/* Hand out one message: 1, or 0 when no whole one is held. */
	int		 (*next)(void *);
	/* At the end of input: what is wrong with what is held, or NULL. */
	const char	*(*cut)(void *);
};

struct msgio {
	const struct msgio_ops	*ops;
	void			*owner;		/* for ops */
	struct ibuf		*out;
	int			 infd;
	int			 outfd;
	int			 paused;
	int			 eof;		/* input ended */
	int			 closing;	/* no more input wanted */
	struct event		 evin;
	struct event		 evout;
	void			(*onclose)(void *, const char *);
	void			*arg;		/* for onclose */
};

int	msgio_init(struct msgio *, int, int, struct ibuf *,
	    const struct msgio_ops *, void *, void (*)(void *, const char *),
	    void *);
void	msgio_flush(struct msgio *);
void	msgio_finish(struct msgio *);
void	msgio_free(struct msgio *);

#endif
