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
 * libFuzzer target: a byte stream of smtpd before 7.6, cut into imsg
 * frames (reader.c), each taken apart (timsg_parse) and answered from a
 * real database as table-sqlite's proto_imsg.c does.  The first byte of the
 * input sets how long the reads are.  Every reply made is checked to be
 * one whole frame of type OK or FAIL, within the 16384 bytes smtpd
 * takes; anything else aborts.
 */

#include <sys/types.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "fuzzdb.h"
#include "ibuf.h"
#include "log.h"
#include "reader.h"
#include "table_imsg.h"
#include "table_sqlite.h"

static struct backend	*backend;
static struct ibuf	 out;
static int		 pfd[2];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	backend = fuzz_init("fuzz_imsg", &out);
	if (pipe(pfd) == -1 ||
	    fcntl(pfd[0], F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(pfd[1], F_SETFL, O_NONBLOCK) == -1)
		fatal("pipe");
	return 0;
}

static void
answer(struct timsg_req *req)
{
	const char	*value, *err;
	int		 r;

	r = fuzz_answer(backend, req->op, req->service, req->key, req->keylen,
	    &value, &err);
	if (r == 1 && req->op != OP_CHECK &&
	    timsg_reply_value(&out, value, strlen(value)) == 0)
		return;
	timsg_reply_int(&out, r == 1 && req->op != OP_CHECK ? -1 : r);
}

static void
onframe(struct frame *f)
{
	struct timsg_req	 req;
	const char		*errstr;

	if (timsg_parse(f, &req, &errstr) == -1) {
		timsg_reply_failure(&out, f->type);
		return;
	}
	switch (req.type) {
	case TIMSG_OPEN:
		timsg_reply_open(&out);
		break;
	case TIMSG_CLOSE:
		break;
	case TIMSG_UPDATE:
		timsg_reply_int(&out, 1);
		break;
	default:
		answer(&req);
		break;
	}
}

/* Every reply queued is a whole frame smtpd could read. */
static void
check_replies(void)
{
	unsigned char	*p;
	uint32_t	 type;
	uint16_t	 len;
	size_t		 off = 0;

	while (off < ibuf_size(&out)) {
		if (ibuf_size(&out) - off < IMSG_HDR_SIZE)
			abort();
		p = (unsigned char *)ibuf_data(&out) + off;
		memcpy(&type, p, sizeof(type));
		memcpy(&len, p + 4, sizeof(len));
		if ((type != TIMSG_OK && type != TIMSG_FAIL) ||
		    len < IMSG_HDR_SIZE || len > IMSG_FRAME_MAX ||
		    len > ibuf_size(&out) - off)
			abort();
		off += len;
	}
	ibuf_truncate(&out, 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct reader	 fb;
	struct frame		 f;
	size_t			 cut, k;
	char			 drain[4096];

	if (size == 0)
		return 0;
	/* Reads of 16 to 16336 bytes, cutting frames anywhere. */
	cut = 16 + (size_t)data[0] * 64;
	data++;
	size--;
	if (fb.in.buf == NULL && reader_init(&fb, READ_FRAMES, 0) == -1)
		fatal("reader_init");
	ibuf_truncate(&fb.in, 0);
	while (size > 0) {
		k = size < cut ? size : cut;
		if (write(pfd[1], data, k) != (ssize_t)k)
			break;
		data += k;
		size -= k;
		while (reader_read(&fb, pfd[0]) > 0)
			;
		while (reader_frame(&fb, &f) == 1)
			onframe(&f);
		check_replies();
	}
	while (read(pfd[0], drain, sizeof(drain)) > 0)
		;
	return 0;
}
