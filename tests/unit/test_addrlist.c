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

#include <stdio.h>
#include <string.h>
#include <time.h>

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

/* Does the header value show want (and parse)? */
static int
shows(const char *value, const char *want)
{
	const char	*e;
	int		 i;

	if (addrlist_parse(value, &al, &e) == -1)
		return 0;
	for (i = 0; i < al.nshown; i++)
		if (strcmp(al.shown[i], want) == 0)
			return 1;
	return 0;
}

static int
fails(const char *value)
{
	const char	*e;

	return addrlist_parse(value, &al, &e) == -1;
}

/*
 * Does the header value read as readers read it: want is an address they
 * show, "" none (it parses, showing no address), NULL refused?
 */
static int
reads(const char *value, const char *want)
{
	if (want == NULL)
		return fails(value);
	if (*want == '\0')
		return !fails(value) && al.nshown == 0;
	return shows(value, want);
}

/* What readers show: each way an address hides in a display name. */
static const struct {
	const char	*value;
	const char	*want;
	const char	*name;
} readings[] = {
	{ " \"ceo\\@bank.test\" <bob@example.com>", "ceo@bank.test",
	    "quoted-pair undone" },
	{ " =?utf-8?q?ceo?= =?utf-8?q?=40bank.test?= <bob@example.com>",
	    "ceo@bank.test",
	    "adjacent encoded words joined, the space between dropped" },
	{ " =?utf-8?q?ceo?=\t =?utf-8?b?QGJhbmsudGVzdA==?= <bob@example.com>",
	    "ceo@bank.test", "adjacent words of both encodings" },
	{ " =?iso-8859-1?q?ceo?= =?utf-8?q?=40bank.test?= <bob@example.com>",
	    "ceo@bank.test", "adjacent words of two charsets" },
	/* "ceo@bank.test" in UTF-16 with a byte order mark */
	{ " =?utf-16?b?/v8AYwBlAG8AQABiAGEAbgBrAC4AdABlAHMAdA==?= "
	    "<bob@example.com>",
	    "ceo@bank.test", "UTF-16 encoded word" },
	{ " =?utf-16le?b?YwBlAG8AQABiAGEAbgBrAC4AdABlAHMAdAA=?= "
	    "<bob@example.com>",
	    "ceo@bank.test", "UTF-16LE encoded word" },
	{ " =?utf-7?q?ceo+AEA-bank.test?= <bob@example.com>", "ceo@bank.test",
	    "UTF-7 encoded word" },
	{ " =?utf-16be?b?AGMAZQA=?= "
	    "=?utf-16be?b?bwBAAGIAYQBuAGsALgB0AGUAcwB0?= <bob@example.com>",
	    "ceo@bank.test", "UTF-16 split inside a character over two words" },
	{ " \xef\xbd\x83\xef\xbd\x85\xef\xbd\x8f\xef\xbc\xa0"
	    "\xef\xbd\x82\xef\xbd\x81\xef\xbd\x8e\xef\xbd\x8b\xef\xbc\x8e"
	    "\xef\xbd\x94\xef\xbd\x85\xef\xbd\x93\xef\xbd\x94"
	    " <bob@example.com>",
	    "ceo@bank.test", "full-width letters, at and dot (NFKC)" },
	{ " ceo\xef\xb9\xab" "bank.test <bob@example.com>", "ceo@bank.test",
	    "small commercial at (NFKC)" },
	{ " =?utf-8?q?ceo=EF=BC=A0bank=EF=BC=8Etest?= <bob@example.com>",
	    "ceo@bank.test", "full-width at and dot in an encoded word" },
	{ " bob@example.com (ceo@bank.test)", "ceo@bank.test",
	    "address in a comment" },
	{ " bob@example.com (=?utf-8?q?ceo=40bank.test?=)", "ceo@bank.test",
	    "encoded address in a comment" },
	{ " <bob(ceo@bank.test)@example.com>", "ceo@bank.test",
	    "address in a comment inside the address" },
	{ " =?utf-8?q?ceo=01?=@bank.test <bob@example.com>", "ceo@bank.test",
	    "control character dropped" },
	{ " ceo\xe2\x80\x8b@bank.test <bob@example.com>",
	    "ceo\xe2\x80\x8b@bank.test",
	    "zero-width space kept in the address" },
	{ " ceo@b\xd0\xb0" "nk.test <bob@example.com>",
	    "ceo@b\xd0\xb0" "nk.test", "look-alike letter in the domain" },
	{ " ceo@bank\xe3\x80\x82test <bob@example.com>",
	    "ceo@bank\xe3\x80\x82test", "ideographic full stop as a dot" },
	{ " \"=?utf-8?q?ceo=40bank.test?=\"@example.com", "ceo@bank.test",
	    "encoded word in a quoted local part" },
	{ " ceo=?utf-8?q?=40?=bank.test <bob@example.com>", "ceo@bank.test",
	    "encoded word inside an atom, as lenient readers" },
	{ " =?utf- 8?q?ceo=40bank.test?= <bob@example.com>", "ceo@bank.test",
	    "white space in the charset name dropped" },
	{ " =?utf-8?b?Y2VvQGJh bmsudGVzdA==?= <bob@example.com>",
	    "ceo@bank.test", "white space in base64 text dropped" },
	{ " =?utf-8?q?ceo =40bank.test?= <bob@example.com>", "ceo@bank.test",
	    "white space in Q text, next to the at" },
	{ " =?ibm037?q?ceo=40bank.test?= <bob@example.com>", "ceo@bank.test",
	    "bytes as they are, as a reader that does not know the charset" },
	{ " \"ceo\"@bank.test <bob@example.com>", "ceo@bank.test",
	    "quotes around the local part looked through" },
	{ " \"ceo\\\\@bank.test\" <bob@example.com>", "ceo@bank.test",
	    "a backslash before the at looked through" },
	{ " \"ceo \" @ \" bank.test\" <bob@example.com>", "ceo@bank.test",
	    "quotes and blanks around the at looked through" },
	{ " ceo\xe2\x80\xae" "tset.knab@oec <bob@example.com>", NULL,
	    "right-to-left override: refused" },
	{ " =?utf-8?q?=E2=81=A7x?= <bob@example.com>", NULL,
	    "encoded first strong isolate: refused" },
	{ " =?utf-8?q?ceo=E2=80=8F@bank.test?= <bob@example.com>",
	    "ceo@bank.test", "an address split by a mark is still seen" },
	/* Found by review: bytes 0x40 inside CJK characters */
	{ " =?big5?B?s6+kQKn6?= <bob@example.com>", "",
	    "a Big5 name with a 0x40 byte: read, no address" },
	{ " =?shift_jis?B?jlKTY4FAkb6YWQ==?= <bob@example.com>", "",
	    "a Shift_JIS name with a full-width space" },
	{ " =?iso-2022-jp?B?GyRCQC4wQhsoQg==?= <bob@example.com>", "",
	    "an ISO-2022-JP name whose bytes hold \"@.\"" },
	{ " \"\" <bob@example.com>", "", "an empty quoted name" },
	{ " =?x-no-such-charset?q?ceo?= <bob@example.com>", NULL,
	    "unknown charset: refused" },
	/* Found by fuzzing: "" opened the locale's charset, and leaked. */
	{ " =?*en?q?ceo=40bank.test?= <bob@example.com>", NULL,
	    "a charset that is only a language (RFC 2231): refused" },
	{ " =?utf-8?b?Y2VvQGJhbmsudGVzdA*=?= <bob@example.com>", NULL,
	    "malformed base64: refused" },
	{ " =?utf-16be?b?2D4=?= <bob@example.com>", NULL,
	    "text that does not convert: refused" },
	{ " \xff\xfe <bob@example.com>", NULL,
	    "8-bit text that is not UTF-8: refused" },
};

static void
test_readers(void)
{
	char		 big[70000];
	const char	*e;
	size_t		 i;

	for (i = 0; i < sizeof(readings) / sizeof(readings[0]); i++)
		check(reads(readings[i].value, readings[i].want),
		    readings[i].name);
	check(shows(" =?utf-8?q?bob=40example.co?= =?utf-8?q?m?= "
	    "<bob@example.com>", "bob@example.co") && shows(" =?utf-8?q?bob="
	    "40example.co?= =?utf-8?q?m?= <bob@example.com>", "bob@example.com"),
	    "adjacent words read both ways: the space kept (Python) and "
	    "dropped (RFC 2047)");
	check(shows(" ceo@bank.test <bob@example.com>", "ceo@bank.test") &&
	    !shows(" ceo@bank.test <bob@example.com>", "ceo@bank.tes"),
	    "the strict reading still there");
	check(!fails(" =?UTF-8?B?4oCP15PXldeTINeb15TXnw==?= <bob@example.com>") &&
	    !fails(" =?utf-8?q?=D8=9C=D8=B9=D9=84=D9=8A?= <bob@example.com>"),
	    "right-to-left and Arabic letter marks: dropped, not refused");
	check(fails(" =?utf-8?q?a?= =?iso-8859-1?q?b?= =?iso-8859-2?q?c?= "
	    "=?iso-8859-3?q?d?= =?iso-8859-4?q?e?= =?iso-8859-5?q?f?= "
	    "=?iso-8859-6?q?g?= =?iso-8859-7?q?h?= =?iso-8859-9?q?i?= "
	    "<bob@example.com>"), "encoded words in nine charsets: refused");
	check(!fails(" =?utf-8?q?a?= =?iso-8859-1?q?b?= =?iso-8859-2?q?c?= "
	    "=?iso-8859-3?q?d?= =?iso-8859-4?q?e?= =?iso-8859-5?q?f?= "
	    "=?iso-8859-6?q?g?= =?iso-8859-7?q?h?= <bob@example.com>"),
	    "in eight: read");
	/* Found by fuzzing: a 65-byte charset overflowed its buffer. */
	memset(big, 'x', 65);
	snprintf(big + 65, sizeof(big) - 65, "?q?ceo=40bank.test?= <b@example.com>");
	memmove(big + 3, big, strlen(big) + 1);
	memcpy(big, " =?", 3);
	check(addrlist_parse(big, &al, &e) == 0 && al.nshown == 0,
	    "a charset name over 64 bytes: no encoded word");
	/* U+FDFA grows to 18 characters under NFKC */
	for (i = 0; i + 3 < 16000; i += 3)
		memcpy(big + i, "\xef\xb7\xba", 3);
	memcpy(big + i, " <bob@example.com>", 19);
	check(fails(big), "name longer than the scan once decoded: refused");
	for (i = 0; i < 65; i++)
		snprintf(big + i * 10, sizeof(big) - i * 10, "a%02zu@b.test ",
		    i);
	strlcat(big, "<bob@example.com>", sizeof(big));
	check(fails(big), "more than 64 addresses in a name: refused");
}

/*
 * A display name of "=?x?x?x" repeated: linear, not quadratic.  The
 * same bytes are checked as 500 names of 6 kB and as 50 of 60 kB: in
 * linear time both take about as long, in quadratic time the long names
 * ten times longer.  A ratio, so that neither a slow host nor a
 * sanitizer build can fail it.
 */
static clock_t
cpu_for(size_t len, int times, int *ok)
{
	static char	 v[65536];
	const char	*e;
	clock_t		 t0;
	size_t		 i;
	int		 n;

	for (i = 0; i + 7 < len; i += 7)
		memcpy(v + i, "=?x?x?x", 7);
	memcpy(v + i, " <bob@example.com>", 19);
	t0 = clock();
	for (n = 0; n < times; n++)
		if (addrlist_parse(v, &al, &e) == -1)
			*ok = 0;
	return clock() - t0;
}

static void
test_linear(void)
{
	clock_t	 small, large;
	int	 ok = 1;

	small = cpu_for(6000, 500, &ok);
	large = cpu_for(60000, 50, &ok);
	check(ok && large < 4 * (small + CLOCKS_PER_SEC / 100),
	    "names of \"=?x?x?x\" are checked in time linear in their length");
}

/* One mailbox each, and the address it is. */
static const struct {
	const char	*value;
	const char	*want;
	const char	*name;
} mailboxes[] = {
	{ " bob@example.com", "bob@example.com", "bare addr-spec" },
	{ " Bob Smith <bob@example.com>", "bob@example.com",
	    "display name and angle address" },
	{ " \"Smith, Bob\" <bob@example.com>", "bob@example.com",
	    "quoted display name with a comma" },
	{ " bob@example.com (Bob Smith)", "bob@example.com",
	    "trailing comment" },
	{ " (a (nested) comment) <bob@example.com>", "bob@example.com",
	    "nested comment" },
	{ " Bob <@relay.example:bob@example.com>", "bob@example.com",
	    "obsolete route dropped" },
	{ " \"bob smith\"@example.com", "bob smith@example.com",
	    "quoted local part" },
	{ " =?utf-8?q?Bob_Smith?= <bob@example.com>", "bob@example.com",
	    "encoded word in the display name" },
	{ " J. Doe <bob@example.com>", "bob@example.com",
	    "unquoted dot in the display name" },
};

/* Display names that report one address, want. */
static const struct {
	const char	*value;
	const char	*want;
	const char	*name;
} reported[] = {
	{ " =?utf-8?B?Y2VvQGJhbmsuZXhhbXBsZQ==?= <bob@example.com>",
	    "ceo@bank.example", "address in a base64 encoded word reported" },
	{ " =?utf-8?B?AA==?= ceo@bank.example <bob@example.com>",
	    "ceo@bank.example", "address after a base64 encoded NUL reported" },
	/* A reader shows nothing for a NUL: "x\0ceo@..." is "xceo@...". */
	{ " =?utf-8?B?eABjZW9AYmFuay5leGFtcGxl?= <bob@example.com>",
	    "xceo@bank.example",
	    "address after a NUL inside a base64 encoded word reported" },
};

/* Values that are no address list. */
static const struct {
	const char	*value;
	const char	*name;
} malformed[] = {
	{ " Bob <bob@example.com", "unterminated angle address" },
	{ " \"Bob <bob@example.com>", "unterminated quoted string" },
	{ " (Bob <bob@example.com>", "unterminated comment" },
	{ " bob", "address without domain" },
	{ " <a@example.com> <b@example.com>", "two angle addresses" },
	{ " a@example.com;", "';' outside a group" },
};

int
main(void)
{
	const char	*e;
	char		 k[512];
	size_t		 i;

	for (i = 0; i < sizeof(mailboxes) / sizeof(mailboxes[0]); i++)
		check(one(mailboxes[i].value, mailboxes[i].want),
		    mailboxes[i].name);
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
	check(addrlist_parse(" =?utf-8?Q?ceo=40bank.example?= "
	    "<bob@example.com>", &al, &e) == 0 && al.nshown == 1,
	    "address in a Q encoded word reported");
	for (i = 0; i < sizeof(reported) / sizeof(reported[0]); i++)
		check(addrlist_parse(reported[i].value, &al, &e) == 0 &&
		    al.nshown == 1 && strcmp(al.shown[0], reported[i].want) == 0,
		    reported[i].name);
	check(addrlist_parse(" Bob <bob@example.com>", &al, &e) == 0 &&
	    al.nshown == 0, "plain display name reports nothing");
	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
		check(fails(malformed[i].value), malformed[i].name);
	check(addrlist_parse(" x@a.example, y@b.example", &al, &e) == 0 &&
	    addr_key(&al.a[1], NULL, k, sizeof(k)) == 0 &&
	    strcmp(k, "y@b.example") == 0, "second address kept in order");
	test_readers();
	test_linear();
	return unit_done();
}
