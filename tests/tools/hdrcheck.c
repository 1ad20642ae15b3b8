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
 * hdrcheck: the From:/Sender: check of filter-submission on header
 * sections, one a line on standard input as hex (so that any byte can be
 * given; a newline in it separates header lines), for one login against
 * a table configuration.  For each it prints "ok" or "refused <reply>".
 *
 * usage: hdrcheck sqlite.conf login
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "submission.h"

static int
unhex(const char *s, char *out, size_t len)
{
	unsigned int	 x;
	size_t		 n = 0;

	while (s[0] != '\0' && s[1] != '\0' && n + 1 < len) {
		if (sscanf(s, "%2x", &x) != 1)
			return -1;
		out[n++] = x;
		s += 2;
	}
	out[n] = '\0';
	return n;
}

int
main(int argc, char *argv[])
{
	struct backend	*b;
	struct hdrcheck	 h;
	char		 err[512], *line = NULL, *p, *nl;
	static char	 value[70000];
	size_t		 sz = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: hdrcheck sqlite.conf login\n");
		return 2;
	}
	log_init("hdrcheck", LOG_TO_NOWHERE, 0);
	db_init();
	if ((b = backend_new(argv[1], err, sizeof(err))) == NULL ||
	    backend_ready(b, err, sizeof(err)) == -1) {
		fprintf(stderr, "hdrcheck: %s\n", err);
		return 2;
	}
	hdr_init();
	memset(&h, 0, sizeof(h));
	while (getline(&line, &sz, stdin) != -1) {
		line[strcspn(line, "\n")] = '\0';
		if (unhex(line, value, sizeof(value)) == -1) {
			printf("bad input\n");
			continue;
		}
		hdr_begin(&h, argv[2], "192.0.2.1", 0, 0);
		/* One header, folded where the value holds a newline. */
		for (p = value; p != NULL; p = nl) {
			if ((nl = strchr(p, '\n')) != NULL)
				*nl++ = '\0';
			hdr_line(&h, b, argv[2], "+", p, strlen(p));
		}
		hdr_line(&h, b, argv[2], "+", "", 0);
		hdr_end(&h, b, argv[2], "+");
		if (h.verdict == HDR_OK)
			printf("ok\n");
		else
			printf("refused %s\n", h.reply);
		fflush(stdout);
	}
	hdr_free(&h);
	free(line);
	backend_free(b);
	return 0;
}
