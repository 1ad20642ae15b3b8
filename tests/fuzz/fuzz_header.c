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
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	return 0;
}

static void
message_line(char *line, size_t len)
{
	hdr_line(&h, backend, "bob@example.com", "+", line, strlen(line));
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
	hdr_begin(&h, "bob@example.com", "192.0.2.1", 0);
	fuzz_lines(data, size, message_line);
	hdr_end(&h, backend, "bob@example.com", "+");
	hdr_free(&h);
	return 0;
}
