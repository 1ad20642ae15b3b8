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

#ifndef TABLE_IMSG_H
#define TABLE_IMSG_H

#include <stddef.h>
#include <stdint.h>

#include "table_proto.h"

struct frame;
struct ibuf;

/*
 * The legacy table protocol (imsg, API version 2) of smtpd 6.6 to 7.5:
 * what the requests hold and how they are answered.  smtpd exits on any
 * reply it does not expect, so every answer is made here.
 */

/* Message types, in smtpd's order. */
enum {
	TIMSG_OK,
	TIMSG_FAIL,
	TIMSG_OPEN,
	TIMSG_CLOSE,
	TIMSG_UPDATE,
	TIMSG_CHECK,
	TIMSG_LOOKUP,
	TIMSG_FETCH
};

#define TIMSG_API_VERSION	2
#define TIMSG_KEY_MAX		1024	/* smtpd's key buffer, NUL included */
#define TIMSG_NAME_MAX		64	/* table name kept from OPEN */

struct timsg_req {
	uint32_t	 type;
	enum table_op	 op;		/* CHECK, LOOKUP and FETCH */
	uint32_t	 kservice;	/* the service as smtpd numbers it */
	int		 service;	/* enum table_service, -1 if none */
	char		*key;		/* NUL-terminated, in the frame */
	size_t		 keylen;
	uint32_t	 version;	/* OPEN */
	char		 name[TIMSG_NAME_MAX];	/* OPEN */
};

int		 timsg_detect(int);
const char	*timsg_type_name(uint32_t);
const char	*timsg_service_name(uint32_t);
int		 timsg_parse(const struct frame *, struct timsg_req *,
		    const char **);
int		 timsg_reply_open(struct ibuf *);
int		 timsg_reply_int(struct ibuf *, int);
int		 timsg_reply_value(struct ibuf *, const char *, size_t);
int		 timsg_reply_failure(struct ibuf *, uint32_t);

#endif
