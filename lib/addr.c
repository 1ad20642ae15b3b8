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

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "addr.h"

/* The characters smtpd takes in a local part besides letters and digits. */
#define SMTPD_ATEXT	"!#$%&'*/?^`{|}~+-=_"

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

/* smtpd's valid_localpart(): a dot-atom of ASCII letters, digits, atext. */
static int
smtpd_localpart_ok(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '.') {
			if (i == 0 || s[i + 1] == '.' || s[i + 1] == '\0')
				return 0;
			continue;
		}
		if ((unsigned char)s[i] >= 0x80)
			return 0;
		if (!isalnum((unsigned char)s[i]) &&
		    strchr(SMTPD_ATEXT, s[i]) == NULL)
			return 0;
	}
	return i > 0;
}

/* smtpd's valid_domainpart() for address literals: [IPv4] or [IPv6:...]. */
static int
literal_ok(const char *d)
{
	struct in_addr	 in4;
	struct in6_addr	 in6;
	char		 buf[ADDR_DOMAIN_MAX];
	const char	*p = d + 1;
	size_t		 n;

	if (strncasecmp(d, "[IPv6:", 6) == 0)
		p = d + 6;
	n = strlen(p);
	if (n < 2 || p[n - 1] != ']' || n >= sizeof(buf))
		return 0;
	memcpy(buf, p, n - 1);
	buf[n - 1] = '\0';
	return inet_pton(AF_INET6, buf, &in6) == 1 ||
	    inet_pton(AF_INET, buf, &in4) == 1;
}

/*
 * The address smtpd makes of raw, the text between '<' and the first '>'
 * of MAIL FROM or RCPT TO (smtp_mailaddr() and text_to_mailaddr() in
 * smtpd 6.6 to 7.8): split at the last '@'; from the local part drop all
 * up to its first ':' (a source route "@a,@b:user", or anything else
 * before a colon); nothing on either side is the null sender; no domain
 * means smtpd's host name, hostname (NULL when not known).  The local
 * part must be a dot-atom of what smtpd allows, the domain a host name
 * or an address literal.  Returns 0, or -1 with *errstr for an address
 * smtpd refuses or one that cannot be judged (no domain, no hostname).
 */
int
addr_envelope(const char *raw, const char *hostname, struct addr *a,
    const char **errstr)
{
	const char	*at, *user, *colon;
	size_t		 n;

	memset(a, 0, sizeof(*a));
	*errstr = NULL;
	if (strlen(raw) >= ADDR_LINE_MAX) {
		*errstr = "address too long";
		return -1;
	}
	if ((at = strrchr(raw, '@')) == NULL)
		at = raw + strlen(raw);
	n = at - raw;
	if (n >= ADDR_LOCAL_MAX) {
		*errstr = "local part too long";
		return -1;
	}
	user = raw;
	if ((colon = memchr(raw, ':', n)) != NULL) {
		user = colon + 1;
		n = at - user;
	}
	memcpy(a->local, user, n);
	a->local[n] = '\0';
	if (*at == '@' && strlcpy(a->domain, at + 1, sizeof(a->domain)) >=
	    sizeof(a->domain)) {
		*errstr = "domain too long";
		return -1;
	}
	if (a->local[0] == '\0' && a->domain[0] == '\0') {
		a->null = 1;
		return 0;
	}
	if (!smtpd_localpart_ok(a->local)) {
		*errstr = a->local[0] == '\0' ? "empty local part" :
		    "local part is not a dot-atom";
		return -1;
	}
	if (a->domain[0] == '\0') {
		if (hostname == NULL || hostname[0] == '\0') {
			*errstr = "no domain, and the host name smtpd adds is "
			    "not known";
			return -1;
		}
		if (strlcpy(a->domain, hostname, sizeof(a->domain)) >=
		    sizeof(a->domain)) {
			*errstr = "domain too long";
			return -1;
		}
		a->completed = 1;
	}
	addr_lower(a->domain);
	if (a->domain[0] == '[') {
		if (!literal_ok(a->domain)) {
			*errstr = "bad address literal";
			return -1;
		}
		a->literal = 1;
	} else if (!addr_domain_ok(a->domain)) {
		*errstr = "bad domain";
		return -1;
	}
	if (strpbrk(a->local, "%!") != NULL)
		a->routed = 1;
	return 0;
}

/*
 * Parse raw, an address of a message header (RFC 5322: a quoted local
 * part is taken).  Returns 0, or -1 with *errstr for text that is not an
 * address.
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
