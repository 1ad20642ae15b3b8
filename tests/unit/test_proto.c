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

/* lib/proto.c: the fields of the line protocols. */

#include <string.h>

#include "compat.h"
#include "ibuf.h"
#include "proto.h"
#include "unit.h"

int
main(void)
{
	const char	*names[] = { "zero", "one", "two" };
	struct ibuf	 wb;
	char		 line[64], *f[4];
	size_t		 n;

	strlcpy(line, "a|b|c|d|e", sizeof(line));
	n = proto_split(line, strlen(line), f, 3);
	check(n == 3 && strcmp(f[0], "a") == 0 && strcmp(f[1], "b") == 0 &&
	    strcmp(f[2], "c|d|e") == 0,
	    "split into at most n fields, the last keeping the rest");
	strlcpy(line, "a||", sizeof(line));
	n = proto_split(line, strlen(line), f, 4);
	check(n == 3 && f[1][0] == '\0' && f[2][0] == '\0',
	    "empty fields are fields");
	strlcpy(line, "alone", sizeof(line));
	check(proto_split(line, strlen(line), f, 4) == 1 &&
	    strcmp(f[0], "alone") == 0, "no '|': one field");
	check(proto_split(line, strlen(line), f, 0) == 0, "room for none");

	check(proto_token_ok("lookup", 16) && proto_token_ok("0.1", 16),
	    "a token");
	check(!proto_token_ok("", 16) && !proto_token_ok("a b", 16) &&
	    !proto_token_ok("a|b", 16) && !proto_token_ok("a\x7f", 16) &&
	    !proto_token_ok("toolong", 6),
	    "empty, blank, '|', DEL or too long: no token");
	check(proto_value_ok("a|b c", 5) && !proto_value_ok("", 0) &&
	    !proto_value_ok("a\nb", 3) && !proto_value_ok("a\rb", 3) &&
	    !proto_value_ok("a\0b", 3),
	    "a value: anything but empty, CR, LF or NUL");

	check(strcmp(proto_name(names, 3, 2), "two") == 0 &&
	    strcmp(proto_name(names, 3, 3), "unknown") == 0 &&
	    strcmp(proto_name(names, 3, -1), "unknown") == 0,
	    "a name by its number, \"unknown\" out of range");

	check(proto_config("config|smtpd-version|7.8.0p1", "smtpd-version") !=
	    NULL && strcmp(proto_config("config|smtpd-version|7.8.0p1",
	    "smtpd-version"), "7.8.0p1") == 0,
	    "the value of a config line for its key");
	check(proto_config("config|smtpd-version|", "smtpd-version") != NULL &&
	    *proto_config("config|smtpd-version|", "smtpd-version") == '\0',
	    "an empty value");
	check(proto_config("config|smtpd-versions|7.8.0", "smtpd-version") ==
	    NULL && proto_config("config|smtpd-version", "smtpd-version") ==
	    NULL && proto_config("report|smtpd-version|7.8.0",
	    "smtpd-version") == NULL && proto_config("config|protocol|0.1",
	    "smtpd-version") == NULL,
	    "no value for a longer key, no value, another stream or key");

	ibuf_init(&wb, 4, 64);
	{
		const char	*l[3] = { "register", "filter", "ready" };
		const char	*g[2] = { "x", NULL };
		char		 big[60];

		check(proto_addline(&wb, l, 3) == 0 && ibuf_size(&wb) == 22 &&
		    memcmp(ibuf_data(&wb), "register|filter|ready\n", 22) == 0,
		    "a line: the fields joined by '|', then a newline");
		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		g[1] = big;
		check(proto_addline(&wb, g, 2) == -1 && ibuf_size(&wb) == 22,
		    "a line that does not fit queues nothing of it");
		check(proto_addline(&wb, l, PROTO_FIELDS_MAX + 1) == -1 &&
		    proto_addline(&wb, l, 0) == -1 && ibuf_size(&wb) == 22,
		    "no line of no field, nor of more than it takes");
	}
	ibuf_free(&wb);

	ibuf_init(&wb, 64, 4096);
	check(proto_register(&wb, "report|x", names, 3, 1 << 0 | 1 << 2) ==
	    0 && ibuf_size(&wb) == 45 &&
	    memcmp(ibuf_data(&wb), "register|report|x|zero\n"
	    "register|report|x|two\n", 45) == 0,
	    "register lines for the names in the mask, after a prefix");
	ibuf_truncate(&wb, 0);
	check(proto_register(&wb, NULL, names, 3, 1 << 1) == 0 &&
	    ibuf_size(&wb) == 13 &&
	    memcmp(ibuf_data(&wb), "register|one\n", 13) == 0,
	    "and without one");
	ibuf_free(&wb);
	return unit_done();
}
