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

#include <string.h>

#include "addr.h"
#include "unit.h"

static int
parses(const char *raw, struct addr *a)
{
	const char	*e;

	return addr_parse(raw, a, &e) == 0;
}

int
main(void)
{
	struct addr	 a;
	char		 k[512];
	const char	*e;

	check(parses("Bob@Example.COM", &a) && strcmp(a.local, "Bob") == 0 &&
	    strcmp(a.domain, "example.com") == 0 && !a.routed,
	    "plain address: domain lower-cased, local part kept");
	check(parses("", &a) && a.null, "empty is the null sender");
	check(parses("@relay.example:bob@example.com", &a) &&
	    strcmp(a.local, "bob") == 0 && strcmp(a.domain, "example.com") == 0,
	    "source route dropped as smtpd does");
	check(parses("user%remote.example@example.com", &a) && a.routed,
	    "percent hack is routing");
	check(parses("remote.example!user@example.com", &a) && a.routed,
	    "bang path is routing");
	check(parses("\"user@remote.example\"@example.com", &a) && a.routed &&
	    a.quoted && strcmp(a.local, "user@remote.example") == 0,
	    "quoted local part hiding an address is routing");
	check(parses("user@remote.example@example.com", &a) && a.routed &&
	    strcmp(a.domain, "example.com") == 0,
	    "last '@' splits, the rest is routing");
	check(parses("postmaster", &a) && a.domain[0] == '\0',
	    "local part alone");
	check(parses("bob@[192.0.2.1]", &a) && a.literal,
	    "address literal noted");
	check(addr_parse("bob@example.com.", &a, &e) == -1,
	    "trailing dot in the domain refused");
	check(addr_parse("bob@exa mple.com", &a, &e) == -1,
	    "space in the domain refused");
	check(addr_parse("@nocolon", &a, &e) == -1, "bad source route refused");
	check(addr_parse("@example.com", &a, &e) == -1,
	    "empty local part refused");
	check(addr_parse("a\x01b@example.com", &a, &e) == -1,
	    "control character refused");

	parses("Bob+Tag@Example.com", &a);
	check(addr_key(&a, "+", k, sizeof(k)) == 0 &&
	    strcmp(k, "bob@example.com") == 0,
	    "key drops the extension and lower-cases");
	check(addr_key(&a, NULL, k, sizeof(k)) == 0 &&
	    strcmp(k, "bob+tag@example.com") == 0, "full key keeps it");
	parses("bob-tag@example.com", &a);
	check(addr_key(&a, "+-", k, sizeof(k)) == 0 &&
	    strcmp(k, "bob@example.com") == 0,
	    "any of several delimiters splits");
	parses("+tag@example.com", &a);
	check(addr_key(&a, "+", k, sizeof(k)) == 0 &&
	    strcmp(k, "+tag@example.com") == 0,
	    "a leading delimiter is no extension");
	return unit_done();
}
