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
 * smtpd-tables(7) protocol 0.1: parse one request line, format replies.
 * This file and nothing else writes table replies, so that no value from
 * a database can break the line protocol.
 */

#include <string.h>

#include "compat.h"
#include "ibuf.h"
#include "proto.h"
#include "table_proto.h"

static const char *service_names[SVC_MAX] = {
	"alias",
	"domain",
	"credentials",
	"netaddr",
	"userinfo",
	"source",
	"mailaddr",
	"addrname",
	"mailaddrmap",
	"auth",
};

const char *
table_service_name(int s)
{
	return proto_name(service_names, SVC_MAX, s);
}

static int
service_byname(const char *name)
{
	int	 i;

	for (i = 0; i < SVC_MAX; i++)
		if (strcmp(service_names[i], name) == 0)
			return i;
	return -1;
}

/*
 * Queue the end of the handshake: "register|<service>" for each service
 * in services (a mask of 1 << service), then "register|ready".
 */
int
table_register(struct ibuf *wb, int services)
{
	if (proto_register(wb, NULL, service_names, SVC_MAX, services) == -1)
		return -1;
	return ibuf_add(wb, "register|ready\n", 15);
}

/*
 * Parse "table|0.1|<time>|<table>|<op>|..." in place.  On failure, returns
 * -1 with *errstr set, and req->id and req->opname set when the line got
 * far enough to name them, so that the caller can still answer an error.
 * truncated says the line was cut by the reader.
 */
int
table_parse_request(char *line, size_t len, int truncated,
    struct table_req *req, const char **errstr)
{
	char	*f[8], *nul;
	size_t	 n, idx;
	int	 bad_nul = 0;

	memset(req, 0, sizeof(*req));
	req->service = -1;
	*errstr = NULL;

	if ((nul = memchr(line, '\0', len)) != NULL) {
		len = nul - line;
		bad_nul = 1;
	}
	n = proto_split(line, len, f, 8);
	if (n < 6 || strcmp(f[0], "table") != 0) {
		*errstr = "not a table request";
		return -1;
	}
	if (strcmp(f[4], "update") == 0)
		req->op = OP_UPDATE;
	else if (strcmp(f[4], "check") == 0)
		req->op = OP_CHECK;
	else if (strcmp(f[4], "lookup") == 0)
		req->op = OP_LOOKUP;
	else if (strcmp(f[4], "fetch") == 0)
		req->op = OP_FETCH;
	else {
		*errstr = "unknown operation";
		if (proto_token_ok(f[4], 16) && n >= 7 &&
		    proto_token_ok(f[6], TABLE_ID_MAX)) {
			req->opname = f[4];
			req->id = f[6];
		}
		return -1;
	}
	req->opname = f[4];

	/* update|<id>, else <service>|<id>[|<key>] */
	idx = req->op == OP_UPDATE ? 5 : 6;
	if (n <= idx || !proto_token_ok(f[idx], TABLE_ID_MAX)) {
		*errstr = "missing or bad request id";
		return -1;
	}
	req->id = f[idx];
	if (req->op == OP_UPDATE && n > 6) {
		*errstr = "trailing fields after update id";
		return -1;
	}

	if (strcmp(f[1], TABLE_PROTOCOL) != 0) {
		*errstr = "unsupported protocol version";
		return -1;
	}
	if (bad_nul) {
		*errstr = "NUL byte in request";
		return -1;
	}
	if (truncated) {
		*errstr = "request line too long";
		return -1;
	}
	if (req->op == OP_UPDATE)
		return 0;

	if ((req->service = service_byname(f[5])) == -1) {
		*errstr = "unknown service";
		return -1;
	}
	if (req->op == OP_FETCH) {
		if (n != 7) {
			*errstr = "unexpected key in fetch request";
			return -1;
		}
		return 0;
	}
	if (n != 8) {
		*errstr = "missing key";
		return -1;
	}
	req->key = f[7];
	req->keylen = line + len - f[7];
	if (req->keylen >= TABLE_KEY_MAX) {
		*errstr = "key too long";
		return -1;
	}
	if (memchr(req->key, '\r', req->keylen) != NULL) {
		*errstr = "CR in key";
		return -1;
	}
	return 0;
}

/*
 * Queue "<op>-result|<id>|<status>[|<value>]".  Refuses (returns -1,
 * queues nothing) a value the protocol cannot carry.
 */
int
table_reply(struct ibuf *wb, const char *opname, const char *id,
    const char *status, const char *value)
{
	const char	*f[4];
	char		 name[32];
	size_t		 n = strlen(opname);

	if (value != NULL && !proto_value_ok(value, strlen(value)))
		return -1;
	/* Not strlcat(): on the path of every answer, and slow. */
	if (n > sizeof(name) - sizeof("-result"))
		return -1;
	memcpy(name, opname, n);
	memcpy(name + n, "-result", sizeof("-result"));
	f[0] = name;
	f[1] = id;
	f[2] = status;
	f[3] = value;
	return proto_addline(wb, f, value != NULL ? 4 : 3);
}

/* Queue an error reply; the message is cleaned to fit on the line. */
int
table_reply_error(struct ibuf *wb, const char *opname, const char *id,
    const char *msg)
{
	char	 clean[256];
	size_t	 i;

	strlcpy(clean, msg, sizeof(clean));
	for (i = 0; clean[i] != '\0'; i++)
		if (clean[i] == '\n' || clean[i] == '\r')
			clean[i] = ' ';
	return table_reply(wb, opname, id, "error",
	    clean[0] != '\0' ? clean : NULL);
}
