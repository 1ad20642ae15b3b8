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

/* auth-helper/askpass.c: a password as one line of standard input. */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth_helper.h"
#include "unit.h"

/* Make text standard input (a pipe: not a terminal), then read it. */
static int
ask(const char *text, char *buf, size_t len)
{
	int	 p[2];

	if (pipe(p) == -1 || dup2(p[0], STDIN_FILENO) == -1)
		return -2;
	close(p[0]);
	if (write(p[1], text, strlen(text)) != (ssize_t)strlen(text))
		return -2;
	close(p[1]);
	return read_password(buf, len, 1);
}

static int
wiped(const char *buf, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (buf[i] != '\0')
			return 0;
	return 1;
}

int
main(void)
{
	char	 buf[16], rest[8];

	check(ask("secret\n", buf, sizeof(buf)) == 0 &&
	    strcmp(buf, "secret") == 0, "one line of standard input");
	check(ask("secret\r\n", buf, sizeof(buf)) == 0 &&
	    strcmp(buf, "secret") == 0, "a CR before the newline dropped");
	check(ask("last line", buf, sizeof(buf)) == 0 &&
	    strcmp(buf, "last line") == 0, "a last line without newline");
	check(ask("one\ntwo\n", buf, sizeof(buf)) == 0 &&
	    strcmp(buf, "one") == 0 &&
	    read(STDIN_FILENO, rest, sizeof(rest)) == 4 &&
	    memcmp(rest, "two\n", 4) == 0,
	    "only the first line is read, byte by byte: the rest is left");
	memset(buf, 'x', sizeof(buf));
	check(ask("", buf, sizeof(buf)) == -1 && wiped(buf, sizeof(buf)),
	    "no input refused, the buffer wiped");
	memset(buf, 'x', sizeof(buf));
	check(ask("\n", buf, sizeof(buf)) == -1 && wiped(buf, sizeof(buf)),
	    "an empty password refused, the buffer wiped");
	check(ask("0123456789abcdef\n", buf, sizeof(buf)) == -1 &&
	    wiped(buf, sizeof(buf)),
	    "a password longer than the buffer refused, what was read wiped");
	check(ask("0123456789abcde\n", buf, sizeof(buf)) == 0 &&
	    strcmp(buf, "0123456789abcde") == 0,
	    "the longest that fits is taken");
	return unit_done();
}
