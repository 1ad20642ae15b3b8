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

#ifndef ADDR_H
#define ADDR_H

#include <stddef.h>

#define ADDR_LOCAL_MAX	256
#define ADDR_DOMAIN_MAX	256

#define ADDR_LINE_MAX	2048		/* smtpd's LINE_MAX */

/* A mail address as smtpd routes it: last '@', source route dropped. */
struct addr {
	char	 local[ADDR_LOCAL_MAX];		/* dequoted, case kept */
	char	 domain[ADDR_DOMAIN_MAX];	/* lower case, may be "" */
	int	 null;		/* the null sender <> */
	int	 quoted;	/* the local part was a quoted string */
	int	 routed;	/* sender-specified routing: % ! @ : in local */
	int	 literal;	/* the domain is an address literal [...] */
	int	 completed;	/* no domain given: smtpd's host name added */
};

int	addr_envelope(const char *, const char *, struct addr *,
	    const char **);
int	addr_parse(const char *, struct addr *, const char **);
int	addr_key(const struct addr *, const char *, char *, size_t);
int	addr_domain_ok(const char *);
void	addr_lower(char *);

#endif
