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

#include <stdlib.h>
#include <string.h>

#include "ibuf.h"
#include "proto.h"
#include "table_proto.h"
#include "unit.h"

static int
parse(const char *s, struct table_req *req, const char **errstr)
{
	static char	 buf[8192];
	size_t		 n = strlen(s);

	memcpy(buf, s, n + 1);
	return table_parse_request(buf, n, 0, req, errstr);
}

int
main(void)
{
	struct table_req	 r;
	struct ibuf		 wb;
	const char		*e;
	char			 buf[64], *f[4];
	size_t			 n;

	n = proto_split(strcpy(buf, "a|b|c|d|e"), 9, f, 4);
	check(n == 4 && strcmp(f[3], "d|e") == 0,
	    "split keeps '|' in the last field");

	check(parse("table|0.1|1.2|kit|lookup|alias|0000abcd|bob@x", &r,
	    &e) == 0 && r.op == OP_LOOKUP && r.service == SVC_ALIAS &&
	    strcmp(r.id, "0000abcd") == 0 && strcmp(r.key, "bob@x") == 0,
	    "lookup request parsed");
	check(parse("table|0.1|1.2|kit|check|auth|01|bob:pa|ss", &r, &e) == 0 &&
	    strcmp(r.key, "bob:pa|ss") == 0 && r.keylen == 9,
	    "key keeps '|'");
	check(parse("table|0.1|1.2|kit|update|00000001", &r, &e) == 0 &&
	    r.op == OP_UPDATE && strcmp(r.id, "00000001") == 0,
	    "update request parsed");
	check(parse("table|0.1|1.2|kit|fetch|source|00000002", &r, &e) == 0 &&
	    r.op == OP_FETCH && r.service == SVC_SOURCE,
	    "fetch request parsed");
	check(parse("table|0.1|1.2|kit|lookup|bogus|00000003|k", &r, &e) ==
	    -1 && r.id != NULL && strcmp(e, "unknown service") == 0,
	    "unknown service refused with the id known");
	check(parse("table|0.9|1.2|kit|lookup|alias|00000004|k", &r, &e) ==
	    -1 && r.id != NULL && strcmp(r.opname, "lookup") == 0,
	    "other protocol version refused with the id known");
	check(parse("table|0.1|1.2|kit|lookup|alias", &r, &e) == -1 &&
	    r.id == NULL, "request without id cannot be answered");
	check(parse("garbage", &r, &e) == -1 && r.id == NULL,
	    "garbage refused");
	check(parse("table|0.1|1.2|kit|lookup|alias|00000005|a\rb", &r, &e) ==
	    -1 && r.id != NULL, "CR in key refused");
	check(parse("table|0.1|1.2|kit|lookup|alias|bad id|k", &r, &e) == -1 &&
	    r.id == NULL, "an id with a space is not an id");
	check(parse("table|0.1|1.2|kit|frobnicate|alias|00000006|k", &r, &e) ==
	    -1 && r.id != NULL && strcmp(r.opname, "frobnicate") == 0,
	    "unknown operation refused with the id known");
	memcpy(buf, "table|0.1|1|k|lookup|alias|07|a\0b", 33);
	check(table_parse_request(buf, 33, 0, &r, &e) == -1 &&
	    r.id != NULL && strcmp(e, "NUL byte in request") == 0,
	    "NUL byte in key refused with the id known");
	memcpy(buf, "table|0.1|1|k|lookup|alias|08|abc", 34);
	check(table_parse_request(buf, 33, 1, &r, &e) == -1 &&
	    r.id != NULL && strcmp(e, "request line too long") == 0,
	    "cut line refused with the id known");

	ibuf_init(&wb, 64, 4096);
	check(table_reply(&wb, "lookup", "01", "found", "a, b") == 0 &&
	    ibuf_size(&wb) == 28 && memcmp(ibuf_data(&wb), "lookup-result|01|found|a, b\n",
	    28) == 0, "reply formatted");
	ibuf_truncate(&wb, 0);
	check(table_reply(&wb, "lookup", "01", "found", "a\nb") == -1 &&
	    ibuf_size(&wb) == 0, "value with LF refused, nothing queued");
	check(table_reply(&wb, "lookup", "01", "found", "") == -1 &&
	    ibuf_size(&wb) == 0, "empty value refused");
	check(table_reply_error(&wb, "check", "02", "bad\nthing") == 0 &&
	    memcmp(ibuf_data(&wb), "check-result|02|error|bad thing\n", 32) == 0,
	    "error message flattened to one line");
	ibuf_truncate(&wb, 0);
	check(table_register(&wb, 1 << SVC_DOMAIN | 1 << SVC_AUTH) == 0 &&
	    ibuf_size(&wb) == 45 && memcmp(ibuf_data(&wb), "register|domain\nregister|auth\n"
	    "register|ready\n", 45) == 0,
	    "registration: the services asked for, in smtpd's order, "
	    "then ready");
	ibuf_truncate(&wb, 0);
	check(table_register(&wb, 0) == 0 && ibuf_size(&wb) == 15 &&
	    memcmp(ibuf_data(&wb), "register|ready\n", 15) == 0,
	    "no service: ready alone");
	ibuf_free(&wb);
	return unit_done();
}
