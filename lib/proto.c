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
 * Field splitting and checks shared by the smtpd line protocols: fields
 * are separated by '|', and only the last field may contain one.
 */

#include <stdio.h>
#include <string.h>

#include "ibuf.h"
#include "proto.h"

/*
 * Split line (len bytes, NUL-terminated at len) in place into at most nf
 * fields; the last field keeps the rest of the line, '|' included.
 * Returns the number of fields found.
 */
size_t
proto_split(char *line, size_t len, char **f, size_t nf)
{
	char	*p, *end = line + len;
	size_t	 n = 0;

	if (nf == 0)
		return 0;
	p = line;
	while (n < nf - 1) {
		char	*bar = memchr(p, '|', end - p);

		if (bar == NULL)
			break;
		*bar = '\0';
		f[n++] = p;
		p = bar + 1;
	}
	f[n++] = p;
	return n;
}

/* A protocol token (id, name, version): printable, no '|', not empty. */
int
proto_token_ok(const char *s, size_t maxlen)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i >= maxlen)
			return 0;
		if (s[i] <= ' ' || s[i] == '|' || s[i] == 0x7f)
			return 0;
	}
	return i > 0;
}

/* A value for the last field: not empty, no CR, LF or NUL within len. */
int
proto_value_ok(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	if (memchr(s, '\n', len) != NULL || memchr(s, '\r', len) != NULL ||
	    memchr(s, '\0', len) != NULL)
		return 0;
	return 1;
}

/* Name i of the n names of a protocol (phases, services), or "unknown". */
const char *
proto_name(const char *const *names, int n, int i)
{
	if (i < 0 || i >= n)
		return "unknown";
	return names[i];
}

/*
 * The value of the handshake line "config|<key>|<value>" when line is
 * key's, or NULL: the one reader of smtpd's config lines, so that no
 * caller counts the length of a prefix.
 */
const char *
proto_config(const char *line, const char *key)
{
	size_t	 n = strlen(key);

	if (strncmp(line, "config|", 7) != 0)
		return NULL;
	line += 7;
	if (strncmp(line, key, n) != 0 || line[n] != '|')
		return NULL;
	return line + n + 1;
}

/*
 * Is smtpd version v ("7.4.0", "7.8.0p1", as config|smtpd-version gives
 * it) a.b.c, portable release p, or later?  A version that cannot be
 * read is not: callers take the cautious side.
 */
int
proto_version_atleast(const char *v, unsigned int a, unsigned int b,
    unsigned int c, unsigned int p)
{
	unsigned int	 x, y, z, q = 0;
	int		 n;

	if (sscanf(v, "%u.%u.%u%n", &x, &y, &z, &n) != 3)
		return 0;
	if (v[n] == 'p' && sscanf(v + n, "p%u", &q) != 1)
		return 0;
	if (x != a)
		return x > a;
	if (y != b)
		return y > b;
	if (z != c)
		return z > c;
	return q >= p;
}

/*
 * Queue one line of the smtpd protocols: the n fields joined by '|',
 * then a newline.  All of it, or nothing when it does not fit.  What
 * the fields may hold is for the caller to check.
 */
int
proto_addline(struct ibuf *b, const char *const *f, size_t n)
{
	size_t	 len[PROTO_FIELDS_MAX], total = n, i;
	char	*p;

	if (n == 0 || n > PROTO_FIELDS_MAX)
		return -1;
	for (i = 0; i < n; i++)
		total += len[i] = strlen(f[i]);
	if ((p = ibuf_reserve(b, total)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (i > 0)
			*p++ = '|';
		memcpy(p, f[i], len[i]);
		p += len[i];
	}
	*p = '\n';
	return 0;
}

/*
 * Queue "register|<what>|<name>" ("register|<name>" when what is NULL)
 * for each of the n names whose bit (1 << its index) is set in mask:
 * the lines that end the handshake of smtpd's line protocols, before
 * "register|ready".
 */
int
proto_register(struct ibuf *wb, const char *what, const char *const *names,
    int n, int mask)
{
	const char	*f[3];
	size_t		 nf = 0;
	int		 i;

	f[nf++] = "register";
	if (what != NULL)
		f[nf++] = what;
	for (i = 0; i < n; i++) {
		f[nf] = names[i];
		if ((mask & (1 << i)) && proto_addline(wb, f, nf + 1) == -1)
			return -1;
	}
	return 0;
}
