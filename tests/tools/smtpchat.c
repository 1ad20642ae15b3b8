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
 * smtpchat: play an SMTP client from a script, for the tests that need
 * what swaks cannot do: several AUTH in one session, bare CRs, raw
 * lines.  Every reply line is printed as "< line", every line sent as
 * "> line", the end of the connection as "(closed)".
 *
 * usage: smtpchat [-t seconds] port < script
 *
 * Script lines (to 127.0.0.1:port):
 *	> text		send text, CRLF, and print the reply
 *	>> text		send text, CRLF, without waiting (DATA lines)
 *	<		print the next reply
 *	starttls	STARTTLS, then a TLS handshake
 * In text, \r, \n, \t, \0, \\ and \xHH stand for those bytes; a text ending
 * in \c is sent without CRLF.  The greeting is read first.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <openssl/ssl.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toolutil.h"

static int	 fd = -1;
static SSL	*ssl;
static int	 timeout_ms = 20000;
static char	 rbuf[65536];
static size_t	 rlen;
static int	 closed;

static void
usage(void)
{
	fprintf(stderr, "usage: smtpchat [-t seconds] port < script\n");
	exit(2);
}

static int
say(const char *s, size_t n)
{
	if (closed)
		return -1;
	if (ssl != NULL)
		return SSL_write(ssl, s, n) == (int)n ? 0 : -1;
	return write(fd, s, n) == (ssize_t)n ? 0 : -1;
}

static ssize_t
more(void)
{
	struct pollfd	 pfd;
	ssize_t		 n;

	if (rlen == sizeof(rbuf))
		rlen = 0;
	if (ssl == NULL || SSL_pending(ssl) == 0) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return -1;
	}
	if (ssl != NULL)
		n = SSL_read(ssl, rbuf + rlen, sizeof(rbuf) - rlen);
	else
		n = read(fd, rbuf + rlen, sizeof(rbuf) - rlen);
	if (n > 0)
		rlen += n;
	return n;
}

/* Print one whole reply; return its code, -1 when the peer is gone. */
static int
reply(void)
{
	char	*nl;
	size_t	 len;
	int	 code;

	if (closed)
		return -1;
	for (;;) {
		while ((nl = memchr(rbuf, '\n', rlen)) != NULL) {
			len = nl - rbuf;
			if (len > 0 && rbuf[len - 1] == '\r')
				len--;
			printf("< %.*s\n", (int)len, rbuf);
			code = len >= 4 && rbuf[3] == ' ' ? atoi(rbuf) : -2;
			rlen -= nl - rbuf + 1;
			memmove(rbuf, nl + 1, rlen);
			if (code != -2)
				return code;
		}
		if (more() <= 0) {
			printf("(closed)\n");
			closed = 1;
			return -1;
		}
	}
}

static void
send_line(const char *text)
{
	static char	 buf[70000];
	size_t		 n;
	int		 nonl;

	if (strlen(text) >= sizeof(buf) - 2)
		return;
	n = unescape(text, buf, &nonl);
	if (!nonl) {
		buf[n++] = '\r';
		buf[n++] = '\n';
	}
	printf("> %s\n", text);
	if (say(buf, n) == -1 && !closed) {
		printf("(closed)\n");
		closed = 1;
	}
}

static void
starttls(void)
{
	SSL_CTX	*ctx;

	send_line("STARTTLS");
	if (reply() != 220)
		return;
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    (ssl = SSL_new(ctx)) == NULL || SSL_set_fd(ssl, fd) != 1 ||
	    SSL_connect(ssl) != 1) {
		printf("(TLS handshake failed)\n");
		closed = 1;
		return;
	}
	printf("(TLS)\n");
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in	 sin;
	char			*line = NULL;
	size_t			 sz = 0;
	ssize_t			 len;
	int			 ch, port;

	while ((ch = getopt(argc, argv, "t:")) != -1) {
		if (ch != 't')
			usage();
		timeout_ms = numarg(optarg, 1, 600, usage) * 1000;
	}
	if (argc - optind != 1)
		usage();
	port = numarg(argv[optind], 1, 65535, usage);
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A server that closes first is an answer, not an end. */
	signal(SIGPIPE, SIG_IGN);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		printf("(cannot connect)\n");
		return 1;
	}
	reply();
	while ((len = getline(&line, &sz, stdin)) != -1) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (strncmp(line, ">> ", 3) == 0)
			send_line(line + 3);
		else if (strncmp(line, "> ", 2) == 0) {
			send_line(line + 2);
			reply();
		} else if (strcmp(line, "<") == 0)
			reply();
		else if (strcmp(line, "starttls") == 0)
			starttls();
		else if (line[0] != '\0' && line[0] != '#')
			printf("(bad script line: %s)\n", line);
	}
	free(line);
	if (ssl != NULL)
		SSL_shutdown(ssl);
	close(fd);
	return 0;
}
