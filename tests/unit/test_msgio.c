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
 * lib/msgio.c, with messages of one byte each: every message handed
 * out and answered, the reasons given at the end of the input, and
 * msgio_finish().
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <string.h>
#include <unistd.h>

#include "ibuf.h"
#include "msgio.h"
#include "unit.h"

static struct msgio	 m;
static struct ibuf	 out;
static struct event	 timeout;
static char		 held[64];
static size_t		 nheld, got;
static int		 closed;
static const char	*why;

static ssize_t
byte_read(void *owner, int fd, size_t *room)
{
	ssize_t	 n;

	*room = sizeof(held) - nheld;
	if ((n = read(fd, held + nheld, *room)) > 0)
		nheld += n;
	return n;
}

/*
 * Hand out one byte, answered with itself; '+' waits for the byte after
 * it (never comes: an unfinished message), '!' asks for no more input.
 */
static int
byte_next(void *owner)
{
	if (nheld == 0 || held[0] == '+')
		return 0;
	got++;
	ibuf_add(&out, held, 1);
	if (held[0] == '!')
		msgio_finish(&m);
	memmove(held, held + 1, --nheld);
	return 1;
}

static const char *
byte_cut(void *owner)
{
	return nheld > 0 ? "ended inside a message" : NULL;
}

static const struct msgio_ops ops = { byte_read, byte_next, byte_cut };

static void
onclose(void *arg, const char *reason)
{
	closed = 1;
	why = reason;
	event_loopexit(NULL);
}

static void
ontimeout(int fd, short ev, void *arg)
{
	event_loopexit(NULL);
}

/*
 * Feed input to a fresh msgio and run the loop until it closes, or
 * with the input left open until it has answered it all (5 s at most:
 * a loaded machine may be slow).
 */
static int
run(const char *input, int end_input, char *reply, size_t len)
{
	struct timeval	 tv = { 0, 10000 };
	int		 sp[2], i;
	ssize_t		 n;

	got = nheld = 0;
	closed = 0;
	why = NULL;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == -1 ||
	    msgio_init(&m, sp[1], sp[1], &out, &ops, NULL, onclose,
	    NULL) == -1)
		return -1;
	if (write(sp[0], input, strlen(input)) != (ssize_t)strlen(input))
		return -1;
	if (end_input)
		shutdown(sp[0], SHUT_WR);
	for (i = 0; i < 500 && !closed &&
	    (end_input || ibuf_size(&out) > 0 || got < strlen(input)); i++) {
		evtimer_add(&timeout, &tv);
		event_dispatch();
	}
	evtimer_del(&timeout);
	msgio_free(&m);
	close(sp[1]);
	n = read(sp[0], reply, len - 1);
	reply[n > 0 ? n : 0] = '\0';
	close(sp[0]);
	return 0;
}

int
main(void)
{
	char	 reply[64];

	event_init();
	evtimer_set(&timeout, ontimeout, NULL);
	check(run("abc", 1, reply, sizeof(reply)) == 0 && got == 3 &&
	    strcmp(reply, "abc") == 0 && closed && why == NULL,
	    "end of input: every message answered, then a clean close");
	check(run("ab+", 1, reply, sizeof(reply)) == 0 && got == 2 &&
	    strcmp(reply, "ab") == 0 && closed && why != NULL &&
	    strcmp(why, "ended inside a message") == 0,
	    "input ended inside a message: the owner's reason given");
	check(run("ab!cd", 0, reply, sizeof(reply)) == 0 && got == 3 &&
	    strcmp(reply, "ab!") == 0 && closed && why == NULL,
	    "finish: no message after it, the replies written, then closed");
	check(run("x", 0, reply, sizeof(reply)) == 0 && got == 1 &&
	    strcmp(reply, "x") == 0 && !closed,
	    "input still open: answered, not closed");
	return unit_done();
}
