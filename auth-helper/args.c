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
 * The arguments of the commands: normalised as the database holds them
 * (names.c), or refused with one line that names the command, the
 * argument and what is wrong with it; and, for a command that changes
 * the database, that nothing changed.
 */

#include <stddef.h>

#include "auth_helper.h"

#define ADDRESS		0
#define DOMAIN		1
#define TARGET		2

#define CHANGED		"; nothing changed"

/*
 * in, an argument of cmd, as names.c makes kind of it: 0, or -1 said,
 * with tail after.
 */
static int
normal(const char *cmd, int kind, const char *in, int flag, char *out,
    size_t len, const char *tail)
{
	const char	*errstr;
	int		 r;

	if (kind == ADDRESS)
		r = norm_address(in, flag, out, len, &errstr);
	else if (kind == DOMAIN)
		r = norm_domain(in, out, len, &errstr);
	else
		r = norm_target(in, flag, out, len, &errstr);
	if (r == -1)
		errx_msg("%s: %s\"%s\": %s%s", cmd,
		    kind == TARGET ? "target " : "", in, errstr, tail);
	return r;
}

/* An address ("@domain" too with catchall). */
int
arg_address(const char *cmd, const char *in, int catchall, char *out,
    size_t len)
{
	return normal(cmd, ADDRESS, in, catchall, out, len, CHANGED);
}

int
arg_domain(const char *cmd, const char *in, char *out, size_t len)
{
	return normal(cmd, DOMAIN, in, 0, out, len, CHANGED);
}

/* An alias target (a program, file... too with programs). */
int
arg_target(const char *cmd, const char *in, int programs, char *out,
    size_t len)
{
	return normal(cmd, TARGET, in, programs, out, len, CHANGED);
}

/* What a list command lists by: an address ("@domain" with catchall). */
int
arg_list_address(const char *cmd, const char *in, int catchall, char *out,
    size_t len)
{
	return normal(cmd, ADDRESS, in, catchall, out, len, "");
}

/* What a list command lists by: a domain. */
int
arg_list_domain(const char *cmd, const char *in, char *out, size_t len)
{
	return normal(cmd, DOMAIN, in, 0, out, len, "");
}
