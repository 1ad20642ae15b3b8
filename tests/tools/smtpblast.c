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
 * takes them, from several workers at once, and print how many per
 * second were accepted.
 *
 * usage: smtpblast [-t] [-a file] [-n sessions] port workers messages
 *	      from to
 *
 * Each worker opens "sessions" sessions (default 1) one after the other
 * and sends "messages" messages in each.  With -t a session does
 * STARTTLS first; with -a it authenticates with AUTH PLAIN as the
 * "user:password" on the first line of file (no secret on the command
 * line).
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"

struct conn {
	int	 fd;
	SSL	*ssl;
	char	 rbuf[8192];
	size_t	 rlen;
};

static SSL_CTX	*ctx;
static char	 authcmd[1024];
static char	 msg[4096];

static ssize_t
conn_read(struct conn *c, void *buf, size_t len)
{
	int	 one = 1;

	/*
	 * Acknowledge at once: smtpd sends the TLS session tickets and the
	 * next reply in two segments, and a delayed ACK would hold the
	 * second for 40 ms.
	 */
	setsockopt(c->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
	if (c->ssl != NULL)
		return SSL_read(c->ssl, buf, len);
	return read(c->fd, buf, len);
}

static int
say(struct conn *c, const char *s)
{
	size_t	 n = strlen(s);

	if (c->ssl != NULL)
		return SSL_write(c->ssl, s, n) == (int)n ? 0 : -1;
	return write(c->fd, s, n) == (ssize_t)n ? 0 : -1;
}

/* Read one whole reply (last line "NNN "); return its code, -1 on EOF. */
static int
reply(struct conn *c)
{
	char	*nl;
	ssize_t	 n;
	int	 code;

	for (;;) {
		while ((nl = memchr(c->rbuf, '\n', c->rlen)) != NULL) {
			code = -2;
			if (nl - c->rbuf >= 4 && c->rbuf[3] == ' ')
				code = atoi(c->rbuf);
			c->rlen -= nl - c->rbuf + 1;
			memmove(c->rbuf, nl + 1, c->rlen);
			if (code != -2)
				return code;
		}
		if (c->rlen == sizeof(c->rbuf))
			c->rlen = 0;
		n = conn_read(c, c->rbuf + c->rlen, sizeof(c->rbuf) - c->rlen);
		if (n <= 0)
			return -1;
		c->rlen += n;
	}
}

static int
command(struct conn *c, const char *cmd, int expect)
{
	return say(c, cmd) == 0 && reply(c) == expect ? 0 : -1;
}

static int
session(int port, int count, const char *from, const char *to)
{
	struct sockaddr_in	 sin;
	struct timeval		 tv = { 10, 0 };
	struct conn		 c;
	char			 cmd[512];
	int			 i, ok = 0, one = 1;

	memset(&c, 0, sizeof(c));
	if ((c.fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return 0;
	/* Never wait for ever: a server that stops answering fails the run. */
	setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* Like a mail client: no Nagle delay on each small command. */
	setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(c.fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    reply(&c) != 220 || command(&c, "EHLO blast.example\r\n", 250))
		goto done;
	if (ctx != NULL) {
		if (command(&c, "STARTTLS\r\n", 220) == -1 ||
		    (c.ssl = SSL_new(ctx)) == NULL ||
		    SSL_set_fd(c.ssl, c.fd) != 1 || SSL_connect(c.ssl) != 1 ||
		    command(&c, "EHLO blast.example\r\n", 250) == -1)
			goto done;
	}
	if (authcmd[0] != '\0' && command(&c, authcmd, 235) == -1)
		goto done;
	for (i = 0; i < count; i++) {
		snprintf(cmd, sizeof(cmd), "MAIL FROM:<%s>\r\n", from);
		if (command(&c, cmd, 250) == -1)
			break;
		snprintf(cmd, sizeof(cmd), "RCPT TO:<%s>\r\n", to);
		if (command(&c, cmd, 250) == -1 ||
		    command(&c, "DATA\r\n", 354) == -1 ||
		    command(&c, msg, 250) == -1)
			break;
		ok++;
	}
	if (command(&c, "QUIT\r\n", 221) == 0 && c.ssl != NULL)
		SSL_shutdown(c.ssl);
 done:
	SSL_free(c.ssl);
	close(c.fd);
	return ok;
}

static void
read_auth(const char *path)
{
	FILE		*fp;
	char		 line[256], plain[256], *colon;
	size_t		 ul, pl;
	unsigned char	 b64[400];

	if ((fp = fopen(path, "r")) == NULL)
		err(2, "%s", path);
	if (fgets(line, sizeof(line), fp) == NULL ||
	    (colon = strchr(line, ':')) == NULL)
		errx(2, "%s: expected a line user:password", path);
	fclose(fp);
	line[strcspn(line, "\r\n")] = '\0';
	*colon = '\0';
	ul = strlen(line);
	pl = strlen(colon + 1);
	plain[0] = '\0';
	memcpy(plain + 1, line, ul);
	plain[ul + 1] = '\0';
	memcpy(plain + ul + 2, colon + 1, pl);
	EVP_EncodeBlock(b64, (unsigned char *)plain, ul + pl + 2);
	snprintf(authcmd, sizeof(authcmd), "AUTH PLAIN %s\r\n", b64);
}

static void
usage(void)
{
	fprintf(stderr, "usage: smtpblast [-t] [-a file] [-n sessions] port "
	    "workers messages from to\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct timespec	 t0, t1;
	int		 port, workers, count, sessions = 1, tls = 0;
	int		 ch, i, j, st, total = 0, p[2];
	double		 secs;

	while ((ch = getopt(argc, argv, "a:n:t")) != -1) {
		switch (ch) {
		case 'a':
			read_auth(optarg);
			break;
		case 'n':
			sessions = atoi(optarg);
			break;
		case 't':
			tls = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 5 || sessions < 1)
		usage();
	port = atoi(argv[0]);
	workers = atoi(argv[1]);
	count = atoi(argv[2]);
	if (tls) {
		if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
			errx(2, "SSL_CTX_new failed");
		/* Loopback to a test certificate: nothing to verify. */
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	}
	snprintf(msg, sizeof(msg), "From: <%s>\r\nTo: <%s>\r\n"
	    "Subject: smtpblast\r\n\r\n", argv[3], argv[4]);
	for (i = 0; i < 20; i++)
		strlcat(msg, "Lorem ipsum dolor sit amet, consectetur "
		    "adipiscing elit, sed do eiusmod tempor.\r\n", sizeof(msg));
	strlcat(msg, ".\r\n", sizeof(msg));
	if (pipe(p) == -1)
		err(2, "pipe");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < workers; i++) {
		if (fork() == 0) {
			int	 ok = 0;

			for (j = 0; j < sessions; j++) {
				struct timespec a, b;
				clock_gettime(CLOCK_MONOTONIC, &a);
				ok += session(port, count, argv[3], argv[4]);
				clock_gettime(CLOCK_MONOTONIC, &b);
				if (getenv("BLAST_SLOW") && b.tv_sec - a.tv_sec >= 1)
					fprintf(stderr, "slow %ld\n", (long)(b.tv_sec - a.tv_sec));
			}
			if (write(p[1], &ok, sizeof(ok)) != sizeof(ok))
				_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	for (i = 0; i < workers; i++) {
		int	 ok;

		if (read(p[0], &ok, sizeof(ok)) == sizeof(ok))
			total += ok;
	}
	while (wait(&st) > 0)
		;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("messages %d of %d seconds %.2f per_s %.1f\n", total,
	    workers * sessions * count, secs, total / secs);
	return total == workers * sessions * count ? 0 : 1;
}
