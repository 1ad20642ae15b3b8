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

/* lib/strbuf.c: a string built in a fixed buffer. */

#include <string.h>

#include "strbuf.h"
#include "unit.h"

int
main(void)
{
	char	 buf[8];
	size_t	 len = 0;

	check(strbuf_add(buf, sizeof(buf), &len, "ab", 2) == 0 &&
	    strbuf_add(buf, sizeof(buf), &len, "cdef", 2) == 0 &&
	    len == 4 && strcmp(buf, "abcd") == 0,
	    "pieces appended, n bytes each, NUL-terminated");
	check(strbuf_add(buf, sizeof(buf), &len, "efg", 3) == 0 &&
	    len == 7 && strcmp(buf, "abcdefg") == 0,
	    "filled up to the byte the NUL needs");
	check(strbuf_add(buf, sizeof(buf), &len, "h", 1) == -1 && len == 7 &&
	    strcmp(buf, "abcdefg") == 0,
	    "a piece that does not fit is refused, the buffer unchanged");
	len = 0;
	check(strbuf_add(buf, sizeof(buf), &len, "", 0) == 0 && len == 0 &&
	    buf[0] == '\0', "an empty piece still terminates the string");
	return unit_done();
}
