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

/* auth-helper/names.c: addresses, domains and alias targets. */

#include <stdio.h>
#include <string.h>

#include "auth_helper.h"
#include "unit.h"

static int
addr(const char *in, int catchall, const char *want)
{
	char		 out[MAXADDR];
	const char	*e;

	if (norm_address(in, catchall, out, sizeof(out), &e) == -1)
		return want == NULL;
	return want != NULL && strcmp(out, want) == 0;
}

static int
dom(const char *in, const char *want)
{
	char		 out[256];
	const char	*e;

	if (norm_domain(in, out, sizeof(out), &e) == -1)
		return want == NULL;
	return want != NULL && strcmp(out, want) == 0;
}

/* Domains as given and as stored; NULL: refused. */
static const struct {
	const char	*in;
	const char	*want;
	const char	*name;
} domains[] = {
	{ "Example.COM", "example.com", "domain lower-cased" },
	{ "bücher.example", "xn--bcher-kva.example", "IDN domain to A-label" },
	{ "BÜCHER.example", "xn--bcher-kva.example", "upper-case IDN folded" },
	{ "xn--bcher-kva.example", "xn--bcher-kva.example", "A-label kept" },
	{ "localhost", NULL, "single label refused" },
	{ "exa mple.com", NULL, "space refused" },
	{ "example.com.", NULL, "trailing dot refused" },
	{ "-bad.example", NULL, "leading hyphen refused" },
	{ "[192.0.2.1]", NULL, "address literal refused" },
	{ "", NULL, "empty refused" },
};

/* Addresses (catch-alls where catchall is set); NULL: refused. */
static const struct {
	const char	*in;
	int		 catchall;
	const char	*want;
	const char	*name;
} addresses[] = {
	{ "Bob.Smith+tag@Example.COM", 0, "bob.smith+tag@example.com",
	    "address lower-cased" },
	{ "anna@bücher.example", 0, "anna@xn--bcher-kva.example",
	    "IDN in an address" },
	{ "@Example.com", 1, "@example.com", "catch-all allowed" },
	{ "@example.com", 0, NULL, "catch-all refused for a login" },
	{ "bob", 0, NULL, "no domain refused" },
	{ "bob..smith@example.com", 0, NULL, "double dot refused" },
	{ ".bob@example.com", 0, NULL, "leading dot refused" },
	{ "\"bob\"@example.com", 0, NULL, "quoted local part refused" },
	{ "b%c@example.com", 0, NULL, "percent refused" },
	{ "bob:x@example.com", 0, NULL, "colon refused" },
	{ "a@b@example.com", 0, NULL, "second @ refused" },
	{ "0123456789012345678901234567890123456789012345678901234567890"
	    "1234@example.com", 0, NULL, "local part over 64 refused" },
};

int
main(void)
{
	char		 out[MAXADDR];
	const char	*e;
	size_t		 i;

	for (i = 0; i < sizeof(domains) / sizeof(domains[0]); i++)
		check(dom(domains[i].in, domains[i].want), domains[i].name);
	for (i = 0; i < sizeof(addresses) / sizeof(addresses[0]); i++)
		check(addr(addresses[i].in, addresses[i].catchall,
		    addresses[i].want), addresses[i].name);

	check(norm_target("Vmail", 0, out, sizeof(out), &e) == 0 &&
	    strcmp(out, "vmail") == 0, "target may be a local user name");
	check(norm_target("Jane@Example.org", 0, out, sizeof(out), &e) == 0 &&
	    strcmp(out, "jane@example.org") == 0, "target address normalised");
	check(norm_target("not a user", 0, out, sizeof(out), &e) == -1,
	    "bad target refused");
	check(norm_target("|/usr/bin/id", 0, out, sizeof(out), &e) == -1 &&
	    norm_target("/tmp/file", 0, out, sizeof(out), &e) == -1 &&
	    norm_target(":include:/etc/list", 0, out, sizeof(out), &e) == -1 &&
	    norm_target("error:550 gone", 0, out, sizeof(out), &e) == -1 &&
	    norm_target("|cmd@example.org", 0, out, sizeof(out), &e) == -1,
	    "program, file, include and error targets refused");
	check(norm_target("|/usr/bin/id", 1, out, sizeof(out), &e) == 0 &&
	    strcmp(out, "|/usr/bin/id") == 0 &&
	    norm_target("/var/mail/archive", 1, out, sizeof(out), &e) == 0,
	    "and taken when allowed");
	check(norm_target("a@example.org, |/usr/bin/id", 1, out, sizeof(out),
	    &e) == -1 && norm_target("\"|id\"", 1, out, sizeof(out), &e) ==
	    -1 && norm_target("a\\,b", 1, out, sizeof(out), &e) == -1,
	    "a comma, quote or backslash refused even when allowed");
	check(target_kind("|x") == TARGET_PROGRAM &&
	    target_kind("/x") == TARGET_FILE &&
	    target_kind(":include:/x") == TARGET_INCLUDE &&
	    target_kind("error:550 x") == TARGET_ERROR &&
	    target_kind("a@b.example") == TARGET_ADDRESS &&
	    target_kind("vmail") == TARGET_USER &&
	    target_kind("a b") == TARGET_BAD && target_kind("a,b") == TARGET_BAD,
	    "target kinds as smtpd reads them");
	return unit_done();
}
