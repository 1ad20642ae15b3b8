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
 * libFuzzer target: the address parsers, as smtpd derives an envelope
 * address and as a header holds one, and the lookup keys of both.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "fuzzdb.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct addr	 a;
	const char	*errstr;
	char		*buf, key[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX];

	buf = fuzz_copy(data, size);
	if (addr_envelope(buf, "mx.example.org", &a, &errstr) == 0) {
		addr_key(&a, "+-", key, sizeof(key));
		addr_key(&a, NULL, key, sizeof(key));
	}
	addr_envelope(buf, NULL, &a, &errstr);
	if (addr_parse(buf, &a, &errstr) == 0)
		addr_key(&a, "+", key, sizeof(key));
	addr_domain_ok(buf);
	free(buf);
	return 0;
}
