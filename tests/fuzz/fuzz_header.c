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
 * libFuzzer target: the From:/Sender: check.  The input is the message
 * as smtpd passes it, line by line, checked against a real database for
 * the login bob@example.com; and, whole, one header value for the
 * address-list parser and the display-name decoder.
 *
 * A message the check accepts is read again here, as the most lenient
 * reader reads field names (blanks of C, JavaScript and Unicode trimmed
 * from both ends), and the target aborts if that reader could find a
 * From: or Sender: the check did not: a name that is not RFC 5322's, a
 * line that is no field, a first line that is a continuation, a bare
 * CR, two From: or two Sender:, or one without an '@' at all.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzzdb.h"
#include "log.h"
#include "submission.h"

static struct backend	*backend;
static struct addrlist	 al;
static struct hdrcheck	 h;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	backend = fuzz_init("fuzz_header", NULL);
	hdr_init();
	return 0;
}

/* Lenient reading of the header section: the state between lines. */
static struct {
	int	 in_headers;
	int	 lines;
	int	 nfrom;
	int	 nsender;
	int	 field;		/* in a From: or Sender: */
	int	 at;		/* an '@' in its value */
	char	 why[64];	/* what an accepted message should not hold */
} lenient;

/*
 * The length of a blank some reader trims at s (n bytes): C's
 * isspace(), JavaScript's and Python's white space in Latin-1 and UTF-8
 * (no-break space, NEL, BOM, U+2000 to U+200B, U+2028, U+2029, U+202F,
 * U+3000, U+1680); 0 if none.
 */
static size_t
blank_len(const unsigned char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r') ||
	    (s[0] >= 0x1c && s[0] <= 0x1f) || s[0] == 0x85 || s[0] == 0xa0))
		return 1;
	if (n >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
		return 2;
	if (n >= 3 && ((s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) ||
	    (s[0] == 0xe2 && s[1] == 0x80 && ((s[2] >= 0x80 && s[2] <= 0x8b) ||
	    s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf)) ||
	    (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80) ||
	    (s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80)))
		return 3;
	return 0;
}

static void
lenient_end_field(void)
{
	if (lenient.field && !lenient.at && lenient.why[0] == '\0')
		strlcpy(lenient.why, "a From:/Sender: without '@'",
		    sizeof(lenient.why));
	lenient.field = 0;
}

static void
lenient_line(const char *line, size_t len)
{
	const unsigned char	*u;
	const char		*colon;
	size_t			 b, e, i, k;

	if (!lenient.in_headers)
		return;
	if (len > 0 && line[0] == '.') {
		line++;
		len--;
	}
	if (memchr(line, '\r', len) != NULL)
		strlcpy(lenient.why, "a bare CR", sizeof(lenient.why));
	if (len > 0 && (line[0] == ' ' || line[0] == '\t')) {
		if (lenient.lines++ == 0)
			strlcpy(lenient.why, "a first line that is folded",
			    sizeof(lenient.why));
		if (memchr(line, '@', len) != NULL)
			lenient.at = 1;
		return;
	}
	lenient_end_field();
	lenient.lines++;
	if (len == 0) {
		lenient.in_headers = 0;
		return;
	}
	if ((colon = memchr(line, ':', len)) == NULL) {
		strlcpy(lenient.why, "a line without a colon",
		    sizeof(lenient.why));
		return;
	}
	u = (const unsigned char *)line;
	e = colon - line;
	/* RFC 5322, with blanks before the colon */
	for (k = e; k > 0 && (u[k - 1] == ' ' || u[k - 1] == '\t'); k--)
		;
	for (i = 0; i < k; i++)
		if (u[i] < 0x21 || u[i] > 0x7e)
			strlcpy(lenient.why, "a name that is not RFC 5322's",
			    sizeof(lenient.why));
	if (k == 0)
		strlcpy(lenient.why, "an empty name", sizeof(lenient.why));
	/* the lenient reader */
	for (b = 0; b < e && (k = blank_len(u + b, e - b)) > 0; b += k)
		;
	for (;;) {
		for (k = 3; k > 0; k--)
			if (e - b >= k && blank_len(u + e - k, k) == k)
				break;
		if (k == 0)
			break;
		e -= k;
	}
	if ((e - b == 4 && strncasecmp(line + b, "from", 4) == 0 &&
	    ++lenient.nfrom > 1) || (e - b == 6 &&
	    strncasecmp(line + b, "sender", 6) == 0 && ++lenient.nsender > 1))
		strlcpy(lenient.why, "two From: or two Sender:",
		    sizeof(lenient.why));
	if ((e - b == 4 && strncasecmp(line + b, "from", 4) == 0) ||
	    (e - b == 6 && strncasecmp(line + b, "sender", 6) == 0)) {
		lenient.field = 1;
		lenient.at = memchr(colon, '@', len - (colon - line)) != NULL;
	}
}

static void
message_line(char *line, size_t len)
{
	/* smtpd cuts a line at a NUL */
	len = strlen(line);
	hdr_line(&h, backend, "bob@example.com", "+", line, len);
	lenient_line(line, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*errstr;
	char		*buf;

	buf = fuzz_copy(data, size);
	addrlist_parse(buf, &al, &errstr);
	free(buf);

	memset(&h, 0, sizeof(h));
	memset(&lenient, 0, sizeof(lenient));
	lenient.in_headers = 1;
	hdr_begin(&h, "bob@example.com", "192.0.2.1", 0, 0);
	fuzz_lines(data, size, message_line);
	hdr_end(&h, backend, "bob@example.com", "+");
	if (lenient.in_headers)
		lenient_end_field();
	if (h.verdict == HDR_OK && lenient.why[0] != '\0') {
		fprintf(stderr, "fuzz_header: accepted, but a lenient reader "
		    "finds %s\n", lenient.why);
		abort();
	}
	hdr_free(&h);
	return 0;
}
