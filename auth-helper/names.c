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
 * The names people give auth-helper, addresses, domains and alias
 * targets, checked and brought to the one form the database holds:
 * lower case, domains as IDNA A-labels.  Pure functions: they say what
 * is wrong in *errstr and print nothing.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>

#include "compat.h"
#include "addr.h"
#include "auth_helper.h"

/* A domain as stored: lower case, A-labels, a valid host name. */
int
norm_domain(const char *in, char *out, size_t len, const char **errstr)
{
	char	*ascii = NULL, *low;
	int	 rc;

	if (in[0] == '\0') {
		*errstr = "empty domain";
		return -1;
	}
	if ((low = strdup(in)) == NULL) {
		*errstr = "out of memory";
		return -1;
	}
	addr_lower(low);
	rc = idn2_to_ascii_8z(low, &ascii,
	    IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
	free(low);
	if (rc != IDN2_OK) {
		*errstr = idn2_strerror(rc);
		return -1;
	}
	addr_lower(ascii);
	if (!addr_domain_ok(ascii) || ascii[0] == '[' ||
	    strchr(ascii, '.') == NULL || strchr(ascii, '_') != NULL) {
		free(ascii);
		*errstr = "not a domain name";
		return -1;
	}
	if (strlcpy(out, ascii, len) >= len) {
		free(ascii);
		*errstr = "domain too long";
		return -1;
	}
	free(ascii);
	return 0;
}

/* RFC 5321 dot-atom local part, up to 64 bytes. */
static int
local_ok(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.' && s[i + 1] == '.')
			return 0;
		if (!isalnum((unsigned char)s[i]) &&
		    strchr(".!#$&'*+-/=?^_`{|}~", s[i]) == NULL)
			return 0;
	}
	return 1;
}

/*
 * An address as stored: "local@domain", lower case, the domain in
 * A-labels.  With catchall set, "@domain" is taken too.
 */
int
norm_address(const char *in, int catchall, char *out, size_t len,
    const char **errstr)
{
	char		 dom[256];
	const char	*at;
	size_t		 n;

	if ((at = strrchr(in, '@')) == NULL) {
		*errstr = "no '@domain'";
		return -1;
	}
	n = at - in;
	if (n == 0 && !catchall) {
		*errstr = "empty local part";
		return -1;
	}
	if (n > 0 && !local_ok(in, n)) {
		*errstr = "local part is not a plain dot-atom (RFC 5321)";
		return -1;
	}
	if (norm_domain(at + 1, dom, sizeof(dom), errstr) == -1)
		return -1;
	if (n + 1 + strlen(dom) >= len) {
		*errstr = "address too long";
		return -1;
	}
	memcpy(out, in, n);
	out[n] = '\0';
	addr_lower(out);
	strlcat(out, "@", len);
	strlcat(out, dom, len);
	return 0;
}

/*
 * What smtpd makes of an alias target (text_to_expandnode() in its
 * to.c, tried in this order), and what we make of it.  The value of an
 * alias is its targets joined with ", ", which smtpd splits again at
 * commas outside quotes: a target holding a comma, a quote or a
 * backslash would be several targets, or none.
 */
int
target_kind(const char *t)
{
	size_t	 i;

	if (t[0] == '\0')
		return TARGET_MAILBOX;
	if (strpbrk(t, ",\"\\\r\n") != NULL)
		return TARGET_BAD;
	if (strncmp(t, "error:", 6) == 0)
		return TARGET_ERROR;
	if (strncmp(t, ":include:", 9) == 0)
		return TARGET_INCLUDE;
	if (t[0] == '|')
		return TARGET_PROGRAM;
	if (t[0] == '/')
		return TARGET_FILE;
	if (strchr(t, '@') != NULL)
		return TARGET_ADDRESS;
	for (i = 0; t[i] != '\0'; i++)
		if (!isalnum((unsigned char)t[i]) &&
		    strchr("_.-+", t[i]) == NULL)
			return TARGET_BAD;
	return TARGET_USER;
}

/*
 * An alias target: an address, or a local user name without a domain.
 * With programs set, also "|command", "/file", ":include:/file" and
 * "error:code text", which smtpd runs, writes or reads as its user.
 */
int
norm_target(const char *in, int programs, char *out, size_t len,
    const char **errstr)
{
	switch (target_kind(in)) {
	case TARGET_ADDRESS:
		return norm_address(in, 0, out, len, errstr);
	case TARGET_USER:
		if (strlen(in) >= len || !local_ok(in, strlen(in)))
			break;
		strlcpy(out, in, len);
		addr_lower(out);
		return 0;
	case TARGET_PROGRAM:
	case TARGET_FILE:
	case TARGET_INCLUDE:
	case TARGET_ERROR:
		if (!programs) {
			*errstr = "a program, file, include or error target; "
			    "smtpd would run or write it as its own user: "
			    "allow it with -p";
			return -1;
		}
		if (strlen(in) >= len) {
			*errstr = "target too long";
			return -1;
		}
		strlcpy(out, in, len);
		return 0;
	case TARGET_BAD:
		if (strpbrk(in, ",\"\\\r\n") != NULL) {
			*errstr = "a comma, quote, backslash or line break, "
			    "which smtpd would read as more targets";
			return -1;
		}
		break;
	}
	*errstr = "not an address or a user name";
	return -1;
}
