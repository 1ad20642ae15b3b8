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
 * lib/reader.c, its line cutter: lines cut at newlines across reads,
 * NUL bytes inside them, an oversized line cut once, a flood without a
 * newline dropped.
 */

#include <sys/types.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "reader.h"
#include "unit.h"

/* Feed s through a pipe into lb and collect the lines it hands out. */
static int
feed(struct reader *lb, const char *s, size_t n, char out[][64], int *flags,
    size_t *lens, int max)
{
	int	 p[2], got = 0, fl;
	char	*line;
	size_t	 len;

	if (pipe(p) == -1)
		return -1;
	if (write(p[1], s, n) != (ssize_t)n)
		return -1;
	close(p[1]);
	while (reader_read(lb, p[0]) > 0)
		while (got < max && reader_line(lb, &line, &len, &fl) == 1) {
			strlcpy(out[got], line, 64);
			lens[got] = len;
			flags[got++] = fl;
		}
	close(p[0]);
	return got;
}

int
main(void)
{
	struct reader	 lb;
	char		 out[8][64], *big;
	int		 flags[8], n;
	size_t		 lens[8];

	reader_init(&lb, READ_LINES, 16);
	n = feed(&lb, "a|b\ncd\n", 7, out, flags, lens, 8);
	check(n == 2 && strcmp(out[0], "a|b") == 0 &&
	    strcmp(out[1], "cd") == 0, "two lines split at newlines");
	n = feed(&lb, "part", 4, out, flags, lens, 8);
	check(n == 0, "a line without newline is held back");
	n = feed(&lb, "ial\n", 4, out, flags, lens, 8);
	check(n == 1 && strcmp(out[0], "partial") == 0,
	    "a line split across reads is joined");
	n = feed(&lb, "x\0y\n", 4, out, flags, lens, 8);
	check(n == 1 && lens[0] == 3 && out[0][0] == 'x',
	    "a NUL byte stays inside the line length");
	n = feed(&lb, "0123456789abcdefXYZ\nok\n", 23, out, flags, lens, 8);
	check(n == 2 && flags[0] == LINE_TRUNCATED && lens[0] == 16 &&
	    strcmp(out[1], "ok") == 0 && flags[1] == 0,
	    "an oversized line is cut once and the next line is whole");
	reader_free(&lb);

	/* A newline-free flood far beyond the buffer. */
	reader_init(&lb, READ_LINES, 16);
	big = malloc(10000);
	memset(big, 'z', 10000);
	memcpy(big + 9995, "\nok\n", 4);
	n = feed(&lb, big, 9999, out, flags, lens, 8);
	check(n == 2 && flags[0] == LINE_TRUNCATED &&
	    strcmp(out[1], "ok") == 0,
	    "a newline-free flood is dropped, the reader recovers");
	free(big);
	reader_free(&lb);

	return unit_done();
}
