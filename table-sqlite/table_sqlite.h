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

#ifndef TABLE_SQLITE_H
#define TABLE_SQLITE_H

#include "auth.h"
#include "backend.h"
#include "compat.h"
#include "reader.h"
#include "readtx.h"
#include "table_proto.h"

/* answer.c */
int		 table_services(struct backend *);
/* One question of smtpd's, in either protocol. */
struct table_query {
	enum table_op	 op;
	int		 service;	/* enum table_service, -1 if none */
	char		*key;		/* NULL for a fetch */
	size_t		 keylen;
};
enum lookup_result table_answer(struct backend *, int,
		    const struct table_query *, struct lookup *);

/* serve.c: the backend either protocol serves, and smtpd's input. */
struct serve {
	struct reader	 io;
	struct backend	*b;
	struct readtx	 rt;
	const char	*confpath;
};
void		 serve_start(struct serve *, const char *, struct backend *);
int		 serve_update(struct serve *, char *, size_t);
__dead void	 serve_end(struct serve *, const char *);

/* proto_text.c: smtpd 7.6 and later, the text protocol */
void		 proto_text_run(const char *, struct backend *);

/* proto_imsg.c: smtpd 6.6 to 7.5, the imsg protocol */
void		 proto_imsg_run(const char *, struct backend *);

#endif
