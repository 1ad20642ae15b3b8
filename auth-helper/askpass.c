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
 * Passwords, read from the terminal without echo, or as one line of
 * standard input: never from argv.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "auth_helper.h"
#include "compat.h"

/*
 * Read a password into buf.  On a terminal it is asked without echo,
 * twice when twice is set; else it is the first line of standard input.
 * Returns 0, or -1 with a message; buf is wiped on failure.
 */
int
read_password(char *buf, size_t len, int twice)
{
	char	 again[1024], c;
	size_t	 n;
	ssize_t	 r = 0;

	if (isatty(STDIN_FILENO)) {
		if (readpassphrase("Password: ", buf, len, RPP_REQUIRE_TTY) ==
		    NULL) {
			errx_msg("cannot read the password from the terminal");
			goto fail;
		}
		if (twice) {
			if (readpassphrase("Again: ", again, sizeof(again),
			    RPP_REQUIRE_TTY) == NULL) {
				errx_msg("cannot read the password from the "
				    "terminal");
				goto fail;
			}
			if (strcmp(buf, again) != 0) {
				explicit_bzero(again, sizeof(again));
				errx_msg("the passwords differ; nothing "
				    "changed");
				goto fail;
			}
			explicit_bzero(again, sizeof(again));
		}
	} else {
		/* Byte by byte: no stdio buffer keeps a copy of it. */
		for (n = 0;; n++) {
			do {
				r = read(STDIN_FILENO, &c, 1);
			} while (r == -1 && errno == EINTR);
			if (r != 1 || c == '\n')
				break;
			if (n == len - 1) {
				c = '\0';
				errx_msg("password longer than %zu bytes",
				    len - 1);
				goto fail;
			}
			buf[n] = c;
		}
		c = '\0';
		if (r == -1 || (r == 0 && n == 0)) {
			errx_msg("no password on standard input");
			goto fail;
		}
		if (n > 0 && buf[n - 1] == '\r')
			n--;
		buf[n] = '\0';
	}
	if (buf[0] == '\0') {
		errx_msg("empty password refused");
		goto fail;
	}
	return 0;
 fail:
	explicit_bzero(buf, len);
	return -1;
}
