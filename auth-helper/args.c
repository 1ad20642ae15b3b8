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
 * The arguments of the commands that change the database: normalised
 * as the database holds them (names.c), or refused with one line that
 * names the command, the argument and what is wrong with it.
 */

#include <stddef.h>

#include "auth_helper.h"

static int
refused(const char *cmd, const char *what, const char *in,
    const char *errstr)
{
	errx_msg("%s: %s\"%s\": %s; nothing changed", cmd, what, in, errstr);
	return -1;
}

/* An address ("@domain" too with catchall) for cmd: 0, or -1 said. */
int
arg_address(const char *cmd, const char *in, int catchall, char *out,
    size_t len)
{
	const char	*errstr;

	if (norm_address(in, catchall, out, len, &errstr) == -1)
		return refused(cmd, "", in, errstr);
	return 0;
}

/* A domain for cmd: 0, or -1 said. */
int
arg_domain(const char *cmd, const char *in, char *out, size_t len)
{
	const char	*errstr;

	if (norm_domain(in, out, len, &errstr) == -1)
		return refused(cmd, "", in, errstr);
	return 0;
}

/* An alias target for cmd (programs, files... too with programs). */
int
arg_target(const char *cmd, const char *in, int programs, char *out,
    size_t len)
{
	const char	*errstr;

	if (norm_target(in, programs, out, len, &errstr) == -1)
		return refused(cmd, "target ", in, errstr);
	return 0;
}
