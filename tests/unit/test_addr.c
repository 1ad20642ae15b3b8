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

#include "compat.h"
#include "addr.h"
#include "unit.h"

static int
env(const char *raw, const char *host, struct addr *a)
{
	const char	*e;

	return addr_envelope(raw, host, a, &e) == 0;
}

static int
env_is(const char *raw, const char *host, const char *local,
    const char *domain)
{
	struct addr	 a;

	return env(raw, host, &a) && !a.null && strcmp(a.local, local) == 0 &&
	    strcmp(a.domain, domain) == 0;
}

static void
test_envelope(void)
{
	struct addr	 a;
	char		 big[600];

	check(env_is("john+x:jane@example.org", NULL, "jane", "example.org"),
	    "envelope: all up to the first ':' dropped, as smtpd does");
	check(env_is("x:john@Example.ORG", NULL, "john", "example.org"),
	    "envelope: x:john is john");
	check(env_is("@a.example,@b.example:user@d.example", NULL, "user",
	    "d.example"), "envelope: source route dropped");
	check(env_is("a@b@example.org", NULL, "a@b", "example.org") == 0,
	    "envelope: '@' left in the local part is refused, as smtpd does");
	check(env_is("john", "mx.example.org", "john", "mx.example.org") &&
	    env("john", "mx.example.org", &a) && a.completed,
	    "envelope: no domain: smtpd's host name is added");
	check(!env("john", NULL, &a) && !env("john", "", &a),
	    "envelope: no domain and no host name cannot be judged");
	check(env("x:john", "mx.example.org", &a) &&
	    strcmp(a.local, "john") == 0 && a.completed,
	    "envelope: route and completion together");
	check(env("", NULL, &a) && a.null, "envelope: <> is the null sender");
	check(env("x:", NULL, &a) && a.null,
	    "envelope: <x:> is the null sender for smtpd");
	check(env("@", NULL, &a) && a.null && env(":@", NULL, &a) && a.null,
	    "envelope: <@> and <:@> are the null sender for smtpd");
	check(!env("john:@example.org", NULL, &a),
	    "envelope: empty local part after the colon refused");
	check(!env("a:b:c@example.org", NULL, &a),
	    "envelope: a second ':' is refused, as smtpd does");
	check(!env("\"a b\"@example.org", NULL, &a),
	    "envelope: quoted local part refused, as smtpd does");
	check(!env("a..b@example.org", NULL, &a) &&
	    !env(".a@example.org", NULL, &a) && !env("a.@example.org", NULL, &a),
	    "envelope: local part must be a dot-atom");
	check(!env("j\xc3\xb6hn@example.org", NULL, &a),
	    "envelope: 8-bit local part refused, as smtpd does");
	check(env("user%remote@example.org", NULL, &a) && a.routed &&
	    env("host!user@example.org", NULL, &a) && a.routed,
	    "envelope: % and ! are taken, and noted as routing");
	check(env("bob@[192.0.2.1]", NULL, &a) && a.literal &&
	    env("bob@[IPv6:2001:db8::1]", NULL, &a) && a.literal,
	    "envelope: address literals");
	check(!env("bob@[300.1.1.1]", NULL, &a) &&
	    !env("bob@[example.org]", NULL, &a),
	    "envelope: bad address literals refused");
	check(!env("bob@example.org.", NULL, &a) &&
	    !env("bob@exa mple.org", NULL, &a),
	    "envelope: bad domains refused");
	memset(big, 'a', 300);
	strlcpy(big + 300, "@example.org", sizeof(big) - 300);
	check(!env(big, NULL, &a), "envelope: local part over 255 refused");
	memset(big, 'a', 255);
	strlcpy(big + 255, "@example.org", sizeof(big) - 255);
	check(env(big, NULL, &a), "envelope: local part of 255 taken");
}

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

	test_envelope();
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
