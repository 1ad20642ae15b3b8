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
 * strunvis(3) where libc has none: decode what vis(3) encoded, as smtpd
 * encodes a login in its reports.  Understood: "\\", octal "\ooo",
 * hexadecimal "\xHH" (NetBSD's, as libbsd decodes it), "\^C" and "\^?",
 * "\M-C", "\M^C", the C escapes (\n \r \t \b \a \v \f \s \E \0) and
 * the hidden newlines "\$" and "\" newline.  Returns the decoded length,
 * or -1 on a sequence vis(3) never writes.
 */

#include <string.h>

#include "compat.h"

#ifndef HAVE_STRUNVIS

static int
is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* The value of a hexadecimal digit, or -1. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One escape after its backslash: its byte in *c, or -1; 0: none. */
static int
unescape(const char **sp, unsigned char *c)
{
	const char	*s = *sp;
	int		 meta = 0, i;

	if (s[0] == 'M' && (s[1] == '-' || s[1] == '^')) {
		meta = 0200;
		s++;
		if (*s == '-') {
			if (s[1] == '\0')
				return -1;
			*c = (unsigned char)s[1] | meta;
			*sp = s + 2;
			return 1;
		}
	}
	if (*s == '^') {
		if (s[1] == '\0')
			return -1;
		*c = (s[1] == '?' ? 0177 : ((unsigned char)s[1] & 037)) | meta;
		*sp = s + 2;
		return 1;
	}
	if (meta)
		return -1;
	if (is_octal(*s)) {
		*c = 0;
		for (i = 0; i < 3 && is_octal(s[i]); i++)
			*c = (*c << 3) | (s[i] - '0');
		*sp = s + i;
		return 1;
	}
	if (*s == 'x' && hexval(s[1]) != -1) {
		*c = 0;
		for (i = 1; i < 3 && hexval(s[i]) != -1; i++)
			*c = (*c << 4) | hexval(s[i]);
		*sp = s + i;
		return 1;
	}
	*sp = s + 1;
	switch (*s) {
	case '\\':
		*c = '\\';
		return 1;
	case 'n':
		*c = '\n';
		return 1;
	case 'r':
		*c = '\r';
		return 1;
	case 't':
		*c = '\t';
		return 1;
	case 'b':
		*c = '\b';
		return 1;
	case 'a':
		*c = '\007';
		return 1;
	case 'v':
		*c = '\v';
		return 1;
	case 'f':
		*c = '\f';
		return 1;
	case 's':
		*c = ' ';
		return 1;
	case 'E':
		*c = '\033';
		return 1;
	case '$':
	case '\n':
		return 0;
	default:
		return -1;
	}
}

int
strunvis(char *dst, const char *src)
{
	unsigned char	 c;
	char		*d = dst;
	int		 r;

	while (*src != '\0') {
		if (*src != '\\') {
			*d++ = *src++;
			continue;
		}
		src++;
		if ((r = unescape(&src, &c)) == -1) {
			*d = '\0';
			return -1;
		}
		if (r == 1)
			*d++ = (char)c;
	}
	*d = '\0';
	return d - dst;
}

#endif
