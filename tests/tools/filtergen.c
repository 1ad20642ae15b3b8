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
 * filtergen: write what smtpd would send a filter for many concurrent
 * submission sessions: handshake, then per session link-connect,
 * link-tls, auth, link-auth, MAIL and tx-mail, RCPT and tx-rcpt, DATA
 * lines (headers and body), commit and tx-commit, and link-disconnect,
 * sessions interleaved.
 *
 * usage: filtergen [-o] sessions concurrency bodylines
 *	-o	leave the sessions open (no DATA, no disconnect)
 */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void
ph(unsigned long sid, const char *phase, unsigned long tok, const char *p)
{
	printf("filter|0.7|1700000000.000000|smtp-in|%s|%016lx|%016lx|%s\n",
	    phase, sid, tok, p);
}

/* A report of smtpd's transaction in session sid, its message id sid. */
static void
tx(unsigned long sid, const char *event, const char *p)
{
	printf("report|0.7|1700000000.000000|smtp-in|%s|%016lx|%08lx%s\n",
	    event, sid, sid & 0xffffffffUL, p);
}

int
main(int argc, char *argv[])
{
	unsigned long	 n, conc, body, i, j, k, sid, tok = 1;
	int		 open = 0, ch;
	char		 buf[256];

	while ((ch = getopt(argc, argv, "o")) != -1) {
		if (ch != 'o') {
			fprintf(stderr, "usage: filtergen [-o] sessions "
			    "concurrency bodylines\n");
			return 2;
		}
		open = 1;
	}
	argc -= optind;
	argv += optind;
	if (argc != 3) {
		fprintf(stderr, "usage: filtergen [-o] sessions concurrency "
		    "bodylines\n");
		return 2;
	}
	n = strtoul(argv[0], NULL, 10);
	conc = strtoul(argv[1], NULL, 10);
	body = strtoul(argv[2], NULL, 10);
	if (conc == 0)
		conc = 1;
	printf("config|smtpd-version|7.6.0\nconfig|protocol|0.7\n"
	    "config|smtp-session-timeout|300\nconfig|subsystem|smtp-in\n"
	    "config|admd|bench.example\nconfig|ready\n");
	for (i = 0; i < n; i += conc) {
		/* Open a batch of sessions, then run them step by step. */
		for (k = i; k < i + conc && k < n; k++) {
			sid = k + 1;
			snprintf(buf, sizeof(buf), "link-connect|%016lx|"
			    "rdns|pass|192.0.2.%lu:4000|192.0.2.25:587",
			    sid, k % 250 + 1);
			printf("report|0.7|1700000000.000000|smtp-in|%s\n", buf);
			ph(sid, "connect", tok++, "rdns|192.0.2.1");
			printf("report|0.7|1700000000.000000|smtp-in|link-tls|"
			    "%016lx|TLSv1.3:TLS_AES_256_GCM_SHA384:256\n", sid);
			ph(sid, "auth", tok++, "PLAIN AGJvYkBleGFtcGxlLmNvbQBzZWNyZXQ=");
			printf("report|0.7|1700000000.000000|smtp-in|link-auth|"
			    "%016lx|pass|bob@example.com\n", sid);
		}
		if (open)
			continue;
		for (k = i; k < i + conc && k < n; k++) {
			ph(k + 1, "mail-from", tok++, "bob@example.com");
			tx(k + 1, "tx-mail", "|ok|bob@example.com");
		}
		for (k = i; k < i + conc && k < n; k++) {
			ph(k + 1, "rcpt-to", tok++, "friend@remote.example");
			tx(k + 1, "tx-rcpt", "|ok|friend@remote.example");
		}
		for (k = i; k < i + conc && k < n; k++) {
			sid = k + 1;
			ph(sid, "data-line", tok, "From: Bob <bob@example.com>");
			ph(sid, "data-line", tok, "To: friend@remote.example");
			ph(sid, "data-line", tok, "Subject: benchmark message");
			ph(sid, "data-line", tok, "Message-ID: <b@example.com>");
			ph(sid, "data-line", tok, "");
			for (j = 0; j < body; j++)
				ph(sid, "data-line", tok, "Lorem ipsum dolor "
				    "sit amet, consectetur adipiscing elit, "
				    "sed do eiusmod tempor incididunt ut.");
			ph(sid, "data-line", tok, ".");
			tok++;
			ph(sid, "commit", tok++, "");
			tx(sid, "tx-commit", "|4096");
		}
		for (k = i; k < i + conc && k < n; k++)
			printf("report|0.7|1700000000.000000|smtp-in|"
			    "link-disconnect|%016lx\n", k + 1);
	}
	return 0;
}
