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
 * smtpblast: send messages to an SMTP server on loopback as fast as it
 * takes them, over several connections at once, and print how many
 * per second were accepted.  Plain SMTP, no TLS, no AUTH.
 *
 * usage: smtpblast port connections messages-per-connection from to
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char	 rbuf[8192];
static size_t	 rlen;

/* Read one whole reply (last line "NNN "); return its code, -1 on EOF. */
static int
reply(int fd)
{
	char	*nl, *line;
	ssize_t	 n;

	for (;;) {
		while ((nl = memchr(rbuf, '\n', rlen)) != NULL) {
			line = rbuf;
			if (nl - line >= 4 && line[3] == ' ') {
				int code = atoi(line);

				rlen -= nl - rbuf + 1;
				memmove(rbuf, nl + 1, rlen);
				return code;
			}
			rlen -= nl - rbuf + 1;
			memmove(rbuf, nl + 1, rlen);
		}
		if (rlen == sizeof(rbuf))
			rlen = 0;
		if ((n = read(fd, rbuf + rlen, sizeof(rbuf) - rlen)) <= 0)
			return -1;
		rlen += n;
	}
}

static int
say(int fd, const char *s)
{
	size_t	 n = strlen(s);

	return write(fd, s, n) == (ssize_t)n ? 0 : -1;
}

static int
one_connection(int port, int count, const char *from, const char *to)
{
	struct sockaddr_in	 sin;
	struct timeval		 tv = { 10, 0 };
	char			 cmd[512], msg[4096];
	int			 fd, i, ok = 0;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return 0;
	/* Never wait for ever: a server that stops answering fails the run. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    reply(fd) != 220 || say(fd, "EHLO blast.example\r\n") == -1 ||
	    reply(fd) != 250)
		goto done;
	snprintf(msg, sizeof(msg), "From: <%s>\r\nTo: <%s>\r\n"
	    "Subject: smtpblast\r\n\r\n", from, to);
	for (i = 0; i < 20; i++)
		strlcat(msg, "Lorem ipsum dolor sit amet, consectetur "
		    "adipiscing elit, sed do eiusmod tempor.\r\n", sizeof(msg));
	strlcat(msg, ".\r\n", sizeof(msg));
	for (i = 0; i < count; i++) {
		snprintf(cmd, sizeof(cmd), "MAIL FROM:<%s>\r\n", from);
		if (say(fd, cmd) == -1 || reply(fd) != 250)
			break;
		snprintf(cmd, sizeof(cmd), "RCPT TO:<%s>\r\n", to);
		if (say(fd, cmd) == -1 || reply(fd) != 250)
			break;
		if (say(fd, "DATA\r\n") == -1 || reply(fd) != 354)
			break;
		if (say(fd, msg) == -1 || reply(fd) != 250)
			break;
		ok++;
	}
	say(fd, "QUIT\r\n");
 done:
	close(fd);
	return ok;
}

int
main(int argc, char *argv[])
{
	struct timespec	 t0, t1;
	int		 port, conns, count, i, st, total = 0;
	int		 p[2];
	double		 secs;

	if (argc != 6) {
		fprintf(stderr, "usage: smtpblast port connections "
		    "messages-per-connection from to\n");
		return 2;
	}
	port = atoi(argv[1]);
	conns = atoi(argv[2]);
	count = atoi(argv[3]);
	if (pipe(p) == -1)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < conns; i++) {
		if (fork() == 0) {
			int	 ok = one_connection(port, count, argv[4],
			    argv[5]);

			if (write(p[1], &ok, sizeof(ok)) != sizeof(ok))
				_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	for (i = 0; i < conns; i++) {
		int	 ok;

		if (read(p[0], &ok, sizeof(ok)) == sizeof(ok))
			total += ok;
	}
	while (wait(&st) > 0)
		;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("messages %d of %d seconds %.2f per_s %.0f\n", total,
	    conns * count, secs, total / secs);
	return total == conns * count ? 0 : 1;
}
