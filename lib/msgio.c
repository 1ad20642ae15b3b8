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
#include <string.h>
#include <unistd.h>

#include "ibuf.h"
#include "msgio.h"

#define OUT_START	(64 * 1024)
#define OUT_MAX		(8 * 1024 * 1024)
#define OUT_HIGH	(1024 * 1024)	/* pause reading above this */
#define READS_PER_EVENT	16

static void	readable(int, short, void *);
static void	writable(int, short, void *);
static void	end(struct msgio *);

static int
set_nonblock(int fd)
{
	int	 fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return -1;
	return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/*
 * Read infd and write outfd (the same one, maybe) for owner, its replies
 * queued in out; onclose(arg, why) at the end: why is NULL when the
 * input ended cleanly.
 */
int
msgio_init(struct msgio *m, int infd, int outfd, struct ibuf *out,
    const struct msgio_ops *ops, void *owner,
    void (*onclose)(void *, const char *), void *arg)
{
	memset(m, 0, sizeof(*m));
	m->ops = ops;
	m->owner = owner;
	m->out = out;
	m->infd = infd;
	m->outfd = outfd;
	m->onclose = onclose;
	m->arg = arg;
	if (ibuf_init(out, OUT_START, OUT_MAX) == -1)
		return -1;
	if (set_nonblock(infd) == -1 || set_nonblock(outfd) == -1)
		return -1;
	event_set(&m->evin, infd, EV_READ | EV_PERSIST, readable, m);
	event_set(&m->evout, outfd, EV_WRITE, writable, m);
	/* epoll cannot watch a regular file: smtpd gives a socket. */
	if (event_add(&m->evin, NULL) == -1)
		return -1;
	return 0;
}

/* Stop watching the descriptors and free the replies queued. */
void
msgio_free(struct msgio *m)
{
	if (event_initialized(&m->evin))
		event_del(&m->evin);
	if (event_initialized(&m->evout))
		event_del(&m->evout);
	if (m->out != NULL)
		ibuf_free(m->out);
}

/* Write what is queued; wait for the peer when it does not take it all. */
void
msgio_flush(struct msgio *m)
{
	ssize_t	 left;

	if (ibuf_size(m->out) == 0)
		return;
	if ((left = ibuf_write(m->out, m->outfd)) == -1) {
		m->onclose(m->arg, strerror(errno));
		return;
	}
	if (left > 0 && !event_pending(&m->evout, EV_WRITE, NULL))
		event_add(&m->evout, NULL);
	if (left > OUT_HIGH && !m->paused) {
		event_del(&m->evin);
		m->paused = 1;
	}
}

/* Read no more: close once what is queued is written. */
void
msgio_finish(struct msgio *m)
{
	m->closing = 1;
	event_del(&m->evin);
}

static void
writable(int fd, short ev, void *arg)
{
	struct msgio	*m = arg;

	msgio_flush(m);
	if (m->eof || m->closing) {
		if (ibuf_size(m->out) <= OUT_HIGH)
			m->paused = 0;
		end(m);
		return;
	}
	if (m->paused && ibuf_size(m->out) <= OUT_HIGH) {
		m->paused = 0;
		event_add(&m->evin, NULL);
		/* Messages may be waiting in the buffer already. */
		event_active(&m->evin, EV_READ, 0);
	}
}

/* Hand out the messages held until none is left or reading pauses. */
static void
deliver(struct msgio *m)
{
	while (!m->paused && !m->closing && m->ops->next(m->owner) == 1)
		if (ibuf_size(m->out) > OUT_HIGH)
			msgio_flush(m);
}

/*
 * End of input, or no more wanted: at the end of input, hand out the
 * messages still held; then write every reply out before closing,
 * however slowly the peer reads.  Called again from writable() until
 * all is written.
 */
static void
end(struct msgio *m)
{
	const char	*why = NULL;

	event_del(&m->evin);
	if (!m->closing)
		deliver(m);
	msgio_flush(m);
	if (m->paused || ibuf_size(m->out) > 0)
		return;
	if (!m->closing && m->ops->cut != NULL)
		why = m->ops->cut(m->owner);
	m->onclose(m->arg, why);
}

static void
readable(int fd, short ev, void *arg)
{
	struct msgio	*m = arg;
	size_t		 room;
	ssize_t		 n;
	int		 i, drained;

	for (i = 0; i < READS_PER_EVENT && !m->paused; i++) {
		n = m->ops->read(m->owner, m->infd, &room);
		if (n == -1 && errno != EAGAIN && errno != ENOBUFS) {
			msgio_flush(m);
			m->onclose(m->arg, strerror(errno));
			return;
		}
		drained = n == -1 && errno == EAGAIN;
		/*
		 * Even with nothing new to read: after a pause, the
		 * messages read before it are still waiting here.
		 */
		deliver(m);
		if (m->closing) {
			end(m);
			return;
		}
		if (n == 0) {
			m->eof = 1;
			end(m);
			return;
		}
		/* A short read means the input is drained for now. */
		if (drained || (n > 0 && (size_t)n < room))
			break;
	}
	msgio_flush(m);
}
