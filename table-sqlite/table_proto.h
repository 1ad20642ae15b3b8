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

#ifndef TABLE_PROTO_H
#define TABLE_PROTO_H

#include <stddef.h>

struct ibuf;

/* The services of smtpd-tables(7), in smtpd's order. */
enum table_service {
	SVC_ALIAS,
	SVC_DOMAIN,
	SVC_CREDENTIALS,
	SVC_NETADDR,
	SVC_USERINFO,
	SVC_SOURCE,
	SVC_MAILADDR,
	SVC_ADDRNAME,
	SVC_MAILADDRMAP,
	SVC_AUTH,
	SVC_MAX
};

enum table_op {
	OP_UPDATE,
	OP_CHECK,
	OP_LOOKUP,
	OP_FETCH
};

#define TABLE_PROTOCOL		"0.1"
#define TABLE_ID_MAX		64
#define TABLE_KEY_MAX		4096

struct table_req {
	enum table_op	 op;
	const char	*opname;
	int		 service;	/* enum table_service, -1 if none */
	const char	*id;		/* set as soon as one was found */
	char		*key;
	size_t		 keylen;
};

const char	*table_service_name(int);
int		 table_register(struct ibuf *, int);
int		 table_parse_request(char *, size_t, int, struct table_req *,
		    const char **);
int		 table_reply(struct ibuf *, const char *, const char *,
		    const char *, const char *);
int		 table_reply_error(struct ibuf *, const char *, const char *,
		    const char *);

#endif
