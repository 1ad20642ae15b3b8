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
 * reader.c, lines: lines read before reading paused (the peer not reading our
 * answers) are handed out when it resumes, without waiting for more
 * input; at end of input every answer is written before closing.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"
#include "unit.h"

#define NLINES		50
#define ANSWER		(100 * 1024)	/* bytes of answer per line */

static struct reader	 io;
static struct event	 evdrain, evstart, evstop;
static int		 in[2], out[2];
static int		 nlines, closed;
static size_t		 drained;

static void
online(void *arg, char *line, size_t len, int flags)
{
	static char	 answer[ANSWER];

	memset(answer, 'x', sizeof(answer) - 1);
	answer[sizeof(answer) - 1] = '\n';
	nlines++;
	ibuf_add(&io.out, answer, sizeof(answer));
}

static void
onclose(void *arg, const char *err)
{
	closed = 1;
	event_del(&io.m.evin);
	event_del(&io.m.evout);
}

static void
drain(int fd, short ev, void *arg)
{
	char	 buf[65536];
	ssize_t	 n;

	if ((n = read(fd, buf, sizeof(buf))) > 0)
		drained += n;
}

static void
start(int fd, short ev, void *arg)
{
	event_set(&evdrain, out[0], EV_READ | EV_PERSIST, drain, NULL);
	event_add(&evdrain, NULL);
}

static void
stop(int fd, short ev, void *arg)
{
	event_loopexit(NULL);
}

/* One run: NLINES lines written at once; the reader starts after 200 ms. */
static void
run(int close_input)
{
	struct timeval	 t_start = { 0, 200000 }, t_stop = { 1, 500000 };
	char		 lines[NLINES * 16];
	size_t		 n = 0;
	int		 i;

	nlines = closed = 0;
	drained = 0;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, in) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, out) == -1 ||
	    reader_lines(&io, in[1], out[1], 65536, online, onclose,
	    NULL) == -1) {
		check(0, "setting up sockets");
		return;
	}
	for (i = 0; i < NLINES; i++)
		n += snprintf(lines + n, sizeof(lines) - n, "line %d\n", i);
	if (write(in[0], lines, n) != (ssize_t)n)
		check(0, "writing the input");
	if (close_input)
		shutdown(in[0], SHUT_WR);
	evtimer_set(&evstart, start, NULL);
	evtimer_add(&evstart, &t_start);
	evtimer_set(&evstop, stop, NULL);
	evtimer_add(&evstop, &t_stop);
	event_dispatch();
	event_del(&evdrain);
	reader_free(&io);
	close(in[0]);
	close(in[1]);
	close(out[0]);
	close(out[1]);
}

int
main(void)
{
	event_init();

	run(0);
	check(nlines == NLINES,
	    "input open: every line read before the pause handed out");
	check(drained == (size_t)NLINES * ANSWER, "and every answer written");
	check(!closed, "and the endpoint still open");

	run(1);
	check(nlines == NLINES, "end of input: every line handed out");
	check(drained == (size_t)NLINES * ANSWER,
	    "every answer written before closing");
	check(closed, "then closed");
	return unit_done();
}
