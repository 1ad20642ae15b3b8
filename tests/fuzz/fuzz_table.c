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
 * libFuzzer target: table protocol 0.1 request lines, parsed and, when
 * they parse, answered from a real database and formatted as replies.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "fuzzdb.h"
#include "ibuf.h"
#include "log.h"
#include "table_sqlite.h"

static struct backend	*backend;
static struct ibuf	 out;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	backend = fuzz_init("fuzz_table", &out);
	return 0;
}

static void
answer(struct table_req *req)
{
	const char	*value, *err;
	int		 r;

	if (req->op == OP_UPDATE)
		return;
	r = fuzz_answer(backend, req->op, req->service, req->key, req->keylen,
	    &value, &err);
	if (r == 1 && req->op != OP_CHECK)
		table_reply(&out, req->opname, req->id, "found", value);
	else if (r == -1)
		table_reply_error(&out, req->opname, req->id, err);
}

/* One request line, answered when it parses. */
static void
request(char *line, size_t len)
{
	struct table_req	 req;
	const char		*errstr;

	if (table_parse_request(line, len, len > 16384, &req, &errstr) == -1) {
		if (req.id != NULL)
			table_reply_error(&out, req.opname, req.id, errstr);
		return;
	}
	answer(&req);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_lines(data, size, request);
	ibuf_truncate(&out, 0);
	return 0;
}
