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
 * Mail addresses as smtpd sees them: the raw text a client put between
 * '<' and '>', turned into what smtpd will route, with every sign of
 * sender-specified routing noted.  Pure functions, no I/O.
 */

#include <ctype.h>
#include <string.h>

#include "addr.h"

void
addr_lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = tolower((unsigned char)*s);
}

/* A host name (letters, digits, '-', dots between labels) or [literal]. */
int
addr_domain_ok(const char *d)
{
	size_t	 label = 0, n = 0;

	if (d[0] == '[') {
		n = strlen(d);
		if (n < 3 || d[n - 1] != ']')
			return 0;
		return strspn(d + 1, "0123456789abcdefABCDEF.:IPvV6") == n - 2;
	}
	for (; d[n] != '\0'; n++) {
		if (d[n] == '.') {
			if (label == 0 || d[n - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)d[n]) && d[n] != '-' && d[n] != '_')
			return 0;
		if (label == 0 && d[n] == '-')
			return 0;
		if (++label > 63)
			return 0;
	}
	return n > 0 && label > 0 && n < ADDR_DOMAIN_MAX;
}

/*
 * Parse raw (the text between the brackets).  Returns 0, or -1 with
 * *errstr for text smtpd would not take as an address.
 */
int
addr_parse(const char *raw, struct addr *a, const char **errstr)
{
	const char	*p = raw, *at, *q;
	size_t		 n, i, j;

	memset(a, 0, sizeof(*a));
	*errstr = NULL;
	if (*p == '\0') {
		a->null = 1;
		return 0;
	}
	if (strlen(p) >= ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX) {
		*errstr = "address too long";
		return -1;
	}
	/* Source route "@a,@b:user@domain": smtpd drops it. */
	if (*p == '@') {
		if ((q = strchr(p, ':')) == NULL) {
			*errstr = "bad source route";
			return -1;
		}
		a->routed = 1;
		p = q + 1;
	}
	if ((at = strrchr(p, '@')) == NULL)
		at = p + strlen(p);
	n = at - p;
	if (n == 0) {
		*errstr = "empty local part";
		return -1;
	}
	if (n >= ADDR_LOCAL_MAX) {
		*errstr = "local part too long";
		return -1;
	}
	if (p[0] == '"' && n >= 2 && p[n - 1] == '"') {
		/* Quoted string: drop the quotes and the backslashes. */
		a->quoted = 1;
		for (i = 1, j = 0; i < n - 1; i++) {
			if (p[i] == '\\' && i + 1 < n - 1)
				i++;
			a->local[j++] = p[i];
		}
		a->local[j] = '\0';
	} else {
		memcpy(a->local, p, n);
		a->local[n] = '\0';
	}
	if (strpbrk(a->local, "%!@:") != NULL)
		a->routed = 1;
	for (i = 0; a->local[i] != '\0'; i++)
		if ((unsigned char)a->local[i] < 0x20 ||
		    a->local[i] == 0x7f || a->local[i] == '|') {
			*errstr = "control character in local part";
			return -1;
		}
	if (*at == '@') {
		if (strlcpy(a->domain, at + 1, sizeof(a->domain)) >=
		    sizeof(a->domain)) {
			*errstr = "domain too long";
			return -1;
		}
		addr_lower(a->domain);
		if (!addr_domain_ok(a->domain)) {
			*errstr = "bad domain";
			return -1;
		}
		a->literal = a->domain[0] == '[';
	}
	return 0;
}

/*
 * The lookup key of an address: lower case, the extension after the
 * first delimiter character dropped ("user+tag" -> "user"), "@domain"
 * appended when there is one.  Returns -1 when it does not fit.
 */
int
addr_key(const struct addr *a, const char *delims, char *buf, size_t len)
{
	size_t	 n;

	n = strlen(a->local);
	if (delims != NULL && delims[0] != '\0') {
		size_t	 cut = strcspn(a->local, delims);

		if (cut > 0)
			n = cut;
	}
	if (n >= len)
		return -1;
	memcpy(buf, a->local, n);
	buf[n] = '\0';
	if (a->domain[0] != '\0') {
		if (strlcat(buf, "@", len) >= len ||
		    strlcat(buf, a->domain, len) >= len)
			return -1;
	}
	addr_lower(buf);
	return 0;
}
