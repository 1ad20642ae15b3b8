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
 * What the test and benchmark tools share: a clock, numeric options,
 * the benchmarks' key files and the C escapes of the scripts.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compat.h"
#include "toolutil.h"

/* Monotonic time in microseconds. */
double
now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* The number s, from min to max; anything else calls usage(). */
long long
numarg(const char *s, long long min, long long max, void (*usage)(void))
{
	const char	*errstr;
	long long	 n;

	n = strtonum(s, min, max, &errstr);
	if (errstr != NULL)
		usage();
	return n;
}

/*
 * Hand each "OP SERVICE KEY" line of a benchmark's key file to fn (other
 * lines are skipped).  Exits, naming tool, when the file cannot be read
 * or holds no key.  Returns how many keys it held.
 */
size_t
keyfile_read(const char *path, const char *tool,
    void (*fn)(void *, const char *, const char *, const char *), void *arg)
{
	FILE	*fp;
	char	 line[4096], *op, *svc, *key;
	size_t	 n = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		op = strtok(line, " ");
		svc = strtok(NULL, " ");
		key = strtok(NULL, "");
		if (op == NULL || svc == NULL || key == NULL)
			continue;
		fn(arg, op, svc, key);
		n++;
	}
	fclose(fp);
	if (n == 0) {
		fprintf(stderr, "%s: no keys in %s\n", tool, path);
		exit(2);
	}
	return n;
}

/*
 * Copy s to out with C escapes taken: \n \r \t \0 \xHH, \ before any
 * other character stands for it; a \c sets *nonl (no newline after it).
 * Returns the bytes in out, which holds as many as s at most.
 */
size_t
unescape(const char *s, char *out, int *nonl)
{
	size_t		 n = 0;
	unsigned int	 x;

	*nonl = 0;
	while (*s != '\0') {
		if (*s != '\\') {
			out[n++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n':
			out[n++] = '\n';
			break;
		case 'r':
			out[n++] = '\r';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case '0':
			out[n++] = '\0';
			break;
		case 'c':
			*nonl = 1;
			break;
		case 'x':
			if (sscanf(s + 1, "%2x", &x) == 1) {
				out[n++] = x;
				s += 2;
			} else
				out[n++] = 'x';
			break;
		case '\0':
			/* A \ at the end stands for itself. */
			out[n++] = '\\';
			return n;
		default:
			out[n++] = *s;
			break;
		}
		s++;
	}
	return n;
}
