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
#include "linebuf.h"
#include "log.h"
#include "table_sqlite.h"

static struct backend	*backend;
static struct wbuf	 out;
static char		 value[VALUE_MAX];

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_init("fuzz_table", getenv("FUZZ_VERBOSE") != NULL ?
	    LOG_TO_STDERR : LOG_TO_NOWHERE, 0);
	backend = fuzzdb_backend();
	if (wbuf_init(&out, 65536, 8 * 1024 * 1024) == -1)
		fatal("wbuf");
	return 0;
}

static void
answer(struct table_req *req)
{
	char	 err[512];
	int	 r;

	if (req->op == OP_UPDATE)
		return;
	r = table_answer(backend, table_services(backend), req->op,
	    req->service, req->key, req->keylen, value, sizeof(value), err,
	    sizeof(err));
	if (r == 1 && req->op != OP_CHECK)
		table_reply(&out, req->opname, req->id, "found", value);
	else if (r == -1)
		table_reply_error(&out, req->opname, req->id, err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct table_req	 req;
	const char		*errstr;
	char			*buf, *p, *line;
	size_t			 left = size, len;

	p = buf = fuzz_copy(data, size);
	while ((line = fuzz_line(&p, &left, &len)) != NULL) {
		if (table_parse_request(line, len, len > 16384, &req,
		    &errstr) == -1) {
			if (req.id != NULL)
				table_reply_error(&out, req.opname, req.id,
				    errstr);
			continue;
		}
		answer(&req);
	}
	out.len = 0;
	free(buf);
	return 0;
}
