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

#ifndef SQLPARAM_H
#define SQLPARAM_H

#include <stddef.h>

/* The placeholders of an engine: $1, $2 (PostgreSQL) or ? (MariaDB). */
#define SQLPARAM_DOLLAR		0
#define SQLPARAM_QMARK		1

/* What a parameter of a rewritten query is bound to. */
#define SQLPARAM_KEY		0	/* the key smtpd sends */
#define SQLPARAM_VUSER		1	/* the virtual_user setting */

#define SQLPARAM_MAX		16	/* placeholders in one query */

struct sqlparam {
	char	*sql;			/* the query for the engine */
	int	 nparam;		/* parameters it takes */
	int	 bind[SQLPARAM_MAX];	/* SQLPARAM_KEY or SQLPARAM_VUSER */
};

int	sqlparam_rewrite(const char *, int, struct sqlparam *, char *,
	    size_t);
void	sqlparam_free(struct sqlparam *);

#endif
