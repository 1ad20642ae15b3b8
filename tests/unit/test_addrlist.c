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

#include "submission.h"
#include "unit.h"

static struct addrlist	 al;

static int
one(const char *value, const char *want)
{
	const char	*e;
	char		 k[512];

	if (addrlist_parse(value, &al, &e) == -1 || al.n != 1)
		return 0;
	addr_key(&al.a[0], NULL, k, sizeof(k));
	return strcmp(k, want) == 0;
}

static int
fails(const char *value)
{
	const char	*e;

	return addrlist_parse(value, &al, &e) == -1;
}

int
main(void)
{
	const char	*e;
	char		 k[512];

	check(one(" bob@example.com", "bob@example.com"), "bare addr-spec");
	check(one(" Bob Smith <bob@example.com>", "bob@example.com"),
	    "display name and angle address");
	check(one(" \"Smith, Bob\" <bob@example.com>", "bob@example.com"),
	    "quoted display name with a comma");
	check(one(" bob@example.com (Bob Smith)", "bob@example.com"),
	    "trailing comment");
	check(one(" (a (nested) comment) <bob@example.com>", "bob@example.com"),
	    "nested comment");
	check(one(" Bob <@relay.example:bob@example.com>", "bob@example.com"),
	    "obsolete route dropped");
	check(one(" \"bob smith\"@example.com", "bob smith@example.com"),
	    "quoted local part");
	check(one(" =?utf-8?q?Bob_Smith?= <bob@example.com>", "bob@example.com"),
	    "encoded word in the display name");
	check(one(" J. Doe <bob@example.com>", "bob@example.com"),
	    "unquoted dot in the display name");
	check(addrlist_parse(" a@example.com, B <b@example.com>", &al, &e) == 0 &&
	    al.n == 2, "two mailboxes");
	check(addrlist_parse(" Team: a@example.com, b@example.com;", &al, &e) ==
	    0 && al.n == 2, "group with two members");
	check(addrlist_parse(" undisclosed-recipients:;", &al, &e) == 0 &&
	    al.n == 0, "empty group");
	check(addrlist_parse(" \"ceo@bank.example\" <bob@example.com>", &al,
	    &e) == 0 && al.n == 1 && al.nshown == 1 &&
	    strcmp(al.shown[0], "ceo@bank.example") == 0,
	    "address in a quoted display name reported");
	check(addrlist_parse(" =?utf-8?B?Y2VvQGJhbmsuZXhhbXBsZQ==?= "
	    "<bob@example.com>", &al, &e) == 0 && al.nshown == 1 &&
	    strcmp(al.shown[0], "ceo@bank.example") == 0,
	    "address in a base64 encoded word reported");
	check(addrlist_parse(" =?utf-8?Q?ceo=40bank.example?= "
	    "<bob@example.com>", &al, &e) == 0 && al.nshown == 1,
	    "address in a Q encoded word reported");
	check(addrlist_parse(" =?utf-8?B?AA==?= ceo@bank.example "
	    "<bob@example.com>", &al, &e) == 0 && al.nshown == 1 &&
	    strcmp(al.shown[0], "ceo@bank.example") == 0,
	    "address after a base64 encoded NUL reported");
	check(addrlist_parse(" =?utf-8?B?eABjZW9AYmFuay5leGFtcGxl?= "
	    "<bob@example.com>", &al, &e) == 0 && al.nshown == 1 &&
	    strcmp(al.shown[0], "ceo@bank.example") == 0,
	    "address after a NUL inside a base64 encoded word reported");
	check(addrlist_parse(" Bob <bob@example.com>", &al, &e) == 0 &&
	    al.nshown == 0, "plain display name reports nothing");
	check(fails(" Bob <bob@example.com"), "unterminated angle address");
	check(fails(" \"Bob <bob@example.com>"), "unterminated quoted string");
	check(fails(" (Bob <bob@example.com>"), "unterminated comment");
	check(fails(" bob"), "address without domain");
	check(fails(" <a@example.com> <b@example.com>"), "two angle addresses");
	check(fails(" a@example.com;"), "';' outside a group");
	check(addrlist_parse(" x@a.example, y@b.example", &al, &e) == 0 &&
	    addr_key(&al.a[1], NULL, k, sizeof(k)) == 0 &&
	    strcmp(k, "y@b.example") == 0, "second address kept in order");
	return unit_done();
}
