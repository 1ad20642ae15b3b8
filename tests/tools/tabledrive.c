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
 * tabledrive: play smtpd to a table process.  It starts the command with
 * one socket on stdin and stdout, as smtpd 7.6 does, does the handshake,
 * then either runs a script from stdin (protocol tests) or measures
 * round trips (benchmarks).  With -L it plays smtpd 6.6 to 7.5 instead:
 * the socket on stdin only, imsg frames, an OPEN first (-N: none); see
 * tabledrive_legacy.c for what its scripts add.
 *
 * usage: tabledrive [-LN] [-T name] [-t ms] [-V version] -- command ...
 *        tabledrive [-L] -b keyfile -n count [-P depth] -- command ...
 *
 * Script lines:
 *	OP SERVICE KEY	send a check or lookup, print the reply ("ID" for
 *			the id when it matches)
 *	fetch SERVICE	send a fetch
 *	update		send an update
 *	=RAW		send RAW with C escapes (\n \r \0 \xNN \\) and a
 *			newline unless it ends in \c (-L: never a newline)
 *	?		print one reply line, or "(no reply)"
 *	!CMD		run CMD with sh(1)
 *	alive		print "alive" or "dead"
 *	burst N OP SERVICE KEY
 *			send N requests without reading, close our
 *			sending side, then read slowly: print how many
 *			were answered before the table closed
 *	# ...		comment
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tabledrive.h"
#include "toolutil.h"

int		 sock = -1;
pid_t		 child;
int		 timeout_ms = 3000;
const char	*tname = "kit";
char		 rbuf[RBUF_SIZE];
size_t		 rlen;
static const char *version = "7.6.0";	/* the smtpd we play */
static unsigned	 nextid = 1;
static int	 legacy;		/* -L: smtpd before 7.6 */

static void
usage(void)
{
	fprintf(stderr, "usage: tabledrive [-LN] [-T name] [-t ms] "
	    "[-V version] [-b keyfile -n count [-P depth]] -- "
	    "command [arg ...]\n");
	exit(2);
}

/*
 * Start argv on one end of a socket pair: on stdin and stdout as smtpd
 * 7.6 gives it, or with -L on stdin only, stdout then being a pipe that
 * legacy_child_stdout() watches (a table must not write there).
 */
static void
spawn(char **argv)
{
	int	 sp[2], out[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == -1 ||
	    (legacy && pipe(out) == -1)) {
		perror("socketpair");
		exit(2);
	}
	if ((child = fork()) == -1) {
		perror("fork");
		exit(2);
	}
	if (child == 0) {
		close(sp[0]);
		if (dup2(sp[1], 0) == -1)
			_exit(127);
		if (legacy) {
			close(out[0]);
			if (dup2(out[1], 1) == -1)
				_exit(127);
			if (out[1] > 1)
				close(out[1]);
		} else if (dup2(sp[1], 1) == -1)
			_exit(127);
		if (sp[1] > 1)
			close(sp[1]);
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	close(sp[1]);
	sock = sp[0];
	/* Not to the !commands: a server they start would hold it open. */
	fcntl(sock, F_SETFD, FD_CLOEXEC);
	if (legacy) {
		close(out[1]);
		fcntl(out[0], F_SETFD, FD_CLOEXEC);
		legacy_child_stdout(out[0]);
	}
}

void
sendall(const char *s, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if ((w = write(sock, s, n)) == -1) {
			if (errno == EINTR)
				continue;
			printf("(write failed: %s)\n", strerror(errno));
			return;
		}
		s += w;
		n -= w;
	}
}

/*
 * Read what the table sends next into rbuf, waiting up to ms: 1 when
 * something came, 0 on timeout or end of input.
 */
int
fill(int ms)
{
	struct pollfd	 pfd;
	ssize_t		 n;

	pfd.fd = sock;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, ms) <= 0)
		return 0;
	if (rlen == sizeof(rbuf))
		rlen = 0;
	n = read(sock, rbuf + rlen, sizeof(rbuf) - rlen);
	if (n <= 0)
		return 0;
	rlen += n;
	return 1;
}

/* One reply line into line (NUL-terminated), 1; 0 on timeout or EOF. */
static int
readline(char *line, size_t sz, int ms)
{
	char	*nl;
	size_t	 len;

	for (;;) {
		if ((nl = memchr(rbuf, '\n', rlen)) != NULL) {
			len = nl - rbuf;
			if (len >= sz)
				len = sz - 1;
			memcpy(line, rbuf, len);
			line[len] = '\0';
			rlen -= nl - rbuf + 1;
			memmove(rbuf, nl + 1, rlen);
			return 1;
		}
		if (!fill(ms))
			return 0;
	}
}

static void
handshake(void)
{
	char	 line[4096], buf[512];

	snprintf(buf, sizeof(buf), "config|smtpd-version|%s\n"
	    "config|protocol|0.1\nconfig|tablename|%s\nconfig|ready\n",
	    version, tname);
	sendall(buf, strlen(buf));
	while (readline(line, sizeof(line), timeout_ms)) {
		printf("%s\n", line);
		if (strcmp(line, "register|ready") == 0)
			return;
	}
	printf("(handshake incomplete)\n");
}

static int
mkreq(char *buf, size_t sz, const char *op, const char *svc,
    const char *key, char *id, size_t idsz)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(id, idsz, "%08x", nextid++);
	if (svc == NULL)
		return snprintf(buf, sz, "table|0.1|%lld.%06ld|%s|%s|%s\n",
		    (long long)ts.tv_sec, ts.tv_nsec / 1000, tname, op, id);
	if (key == NULL)
		return snprintf(buf, sz, "table|0.1|%lld.%06ld|%s|%s|%s|%s\n",
		    (long long)ts.tv_sec, ts.tv_nsec / 1000, tname, op, svc,
		    id);
	return snprintf(buf, sz, "table|0.1|%lld.%06ld|%s|%s|%s|%s|%s\n",
	    (long long)ts.tv_sec, ts.tv_nsec / 1000, tname, op, svc, id, key);
}

static void
print_reply(const char *id)
{
	char	 line[1 << 16], *p;
	size_t	 idlen = strlen(id);

	if (!readline(line, sizeof(line), timeout_ms)) {
		printf("(no reply)\n");
		return;
	}
	if ((p = strchr(line, '|')) != NULL && strncmp(p + 1, id, idlen) == 0 &&
	    (p[1 + idlen] == '|' || p[1 + idlen] == '\0')) {
		*p = '\0';
		printf("%s|ID%s\n", line, p + 1 + idlen);
	} else
		printf("%s\n", line);
}

static int
mkreq_text(char *buf, size_t sz, const char *op, const char *svc,
    const char *key)
{
	char	 id[16];

	return mkreq(buf, sz, op, svc, key, id, sizeof(id));
}

/* One reply line: 1, with *err set for an error; 0 on timeout or EOF. */
static int
reply_text(int *err)
{
	char	 line[4096];

	if (!readline(line, sizeof(line), timeout_ms))
		return 0;
	*err = strstr(line, "|error") != NULL;
	return 1;
}

static const struct drive_ops text_ops = { mkreq_text, reply_text };

/*
 * "burst N OP SERVICE KEY": N requests without reading, our sending side
 * closed, then the replies read late and slowly.
 */
static void
burst(char *args, const struct drive_ops *ops)
{
	static char	 req[8192];
	char		*op, *svc, *key, *ep;
	long		 i, n, got = 0;
	int		 len, err;

	n = strtol(strtok(args, " "), &ep, 10);
	op = strtok(NULL, " ");
	svc = strtok(NULL, " ");
	key = strtok(NULL, "");
	if (*ep != '\0' || n <= 0 || op == NULL || svc == NULL || key == NULL ||
	    (len = ops->mkreq(req, sizeof(req), op, svc, key)) <= 0) {
		printf("(bad burst line)\n");
		return;
	}
	for (i = 0; i < n; i++)
		sendall(req, len);
	shutdown(sock, SHUT_WR);
	/* A peer that reads late and slowly. */
	usleep(200000);
	while (ops->reply(&err)) {
		got++;
		if (got % 64 == 0)
			usleep(1000);
	}
	printf("burst: %ld of %ld answered\n", got, n);
}

static void
script(void)
{
	static char req[1 << 20];
	char	*line = NULL, *op, *svc, *key, id[16];
	size_t	 sz = 0, n;
	ssize_t	 len;
	int	 nonl, status;

	while ((len = getline(&line, &sz, stdin)) != -1) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		fflush(stdout);
		if (line[0] == '!') {
			if (system(line + 1) != 0)
				printf("(command failed: %s)\n", line + 1);
			continue;
		}
		if (line[0] == '=') {
			if ((size_t)len > sizeof(req) / 2) {
				printf("(raw line too long)\n");
				continue;
			}
			n = unescape(line + 1, req, &nonl);
			if (!nonl && !legacy)
				req[n++] = '\n';
			sendall(req, n);
			continue;
		}
		if (strcmp(line, "alive") == 0) {
			printf("%s\n", waitpid(child, &status, WNOHANG) == 0 ?
			    "alive" : "dead");
			continue;
		}
		if (strncmp(line, "burst ", 6) == 0) {
			burst(line + 6, legacy ? &legacy_ops : &text_ops);
			continue;
		}
		if (legacy) {
			if (!legacy_command(line))
				printf("(unknown line: %s)\n", line);
			continue;
		}
		if (strcmp(line, "?") == 0) {
			print_reply("-");
			continue;
		}
		op = strtok(line, " ");
		svc = strtok(NULL, " ");
		key = strtok(NULL, "");
		if (strcmp(op, "update") == 0)
			svc = NULL;
		n = mkreq(req, sizeof(req), op, svc, key, id, sizeof(id));
		sendall(req, n);
		print_reply(id);
	}
	free(line);
}

static int
cmpd(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The requests of a benchmark, made once. */
struct reqs {
	const struct drive_ops	*ops;
	char			**req;
	size_t			*len;
	size_t			 n;
};

static void
add_request(void *arg, const char *op, const char *svc, const char *key)
{
	struct reqs	*r = arg;
	int		 n;

	r->req = reallocarray(r->req, r->n + 1, sizeof(*r->req));
	r->len = reallocarray(r->len, r->n + 1, sizeof(*r->len));
	if (r->req == NULL || r->len == NULL ||
	    (r->req[r->n] = malloc(8192)) == NULL)
		exit(2);
	if ((n = r->ops->mkreq(r->req[r->n], 8192, op, svc, key)) <= 0) {
		fprintf(stderr, "tabledrive: cannot make a request of "
		    "\"%s %s\"\n", op, svc);
		exit(2);
	}
	r->len[r->n++] = n;
}

/*
 * Requests from keyfile lines "OP SERVICE KEY", sent round robin; every
 * request reuses its id: replies are matched by order.
 */
void
bench(const char *keyfile, long count, int depth, const struct drive_ops *ops)
{
	struct reqs	  r = { ops, NULL, NULL, 0 };
	char		**reqs;
	size_t		  nreq, *lens;
	double		 *lat, t0, t1;
	long		  i, sent = 0, got = 0, errors = 0;
	int		  err;

	keyfile_read(keyfile, "tabledrive", add_request, &r);
	reqs = r.req;
	lens = r.len;
	nreq = r.n;
	if ((lat = calloc(count, sizeof(*lat))) == NULL)
		exit(2);

	t0 = now_us();
	if (depth <= 1) {
		for (i = 0; i < count; i++) {
			t1 = now_us();
			sendall(reqs[i % nreq], lens[i % nreq]);
			if (!ops->reply(&err))
				break;
			lat[i] = now_us() - t1;
			got++;
			errors += err;
		}
	} else {
		while (got < count) {
			while (sent < count && sent - got < depth) {
				sendall(reqs[sent % nreq], lens[sent % nreq]);
				sent++;
			}
			if (!ops->reply(&err))
				break;
			got++;
			errors += err;
		}
	}
	t1 = now_us();
	if (depth <= 1) {
		qsort(lat, got, sizeof(*lat), cmpd);
		printf("requests %ld errors %ld p50_us %.1f p99_us %.1f "
		    "per_s %.0f\n", got, errors,
		    got ? lat[got / 2] : 0, got ? lat[got * 99 / 100] : 0,
		    got / ((t1 - t0) / 1e6));
	} else
		printf("requests %ld errors %ld depth %d per_s %.0f\n", got,
		    errors, depth, got / ((t1 - t0) / 1e6));
	free(lat);
}

int
main(int argc, char *argv[])
{
	const char	*keyfile = NULL;
	long		 count = 0;
	int		 ch, depth = 1, status, noopen = 0;

	while ((ch = getopt(argc, argv, "b:LNn:P:T:t:V:")) != -1) {
		switch (ch) {
		case 'b':
			keyfile = optarg;
			break;
		case 'L':
			legacy = 1;
			break;
		case 'N':
			noopen = 1;
			break;
		case 'n':
			count = numarg(optarg, 1, 100000000, usage);
			break;
		case 'P':
			depth = numarg(optarg, 1, 100000, usage);
			break;
		case 'T':
			tname = optarg;
			break;
		case 't':
			timeout_ms = numarg(optarg, 1, 600000, usage);
			break;
		case 'V':
			version = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	spawn(argv);
	if (keyfile != NULL && legacy) {
		legacy_open(0);
		bench(keyfile, count ? count : 10000, depth, &legacy_ops);
	} else if (keyfile != NULL) {
		char	 line[4096];

		/* Quiet handshake. */
		snprintf(line, sizeof(line), "config|smtpd-version|%s\n"
		    "config|protocol|0.1\nconfig|tablename|%s\n"
		    "config|ready\n", version, tname);
		sendall(line, strlen(line));
		while (readline(line, sizeof(line), timeout_ms))
			if (strcmp(line, "register|ready") == 0)
				break;
		bench(keyfile, count ? count : 10000, depth, &text_ops);
	} else {
		if (legacy && !noopen)
			legacy_open(1);
		else if (!legacy)
			handshake();
		script();
	}
	close(sock);
	waitpid(child, &status, 0);
	return 0;
}
