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

#ifndef SQLCONF_H
#define SQLCONF_H

#include "table_proto.h"

#define SQLCONF_DEFAULT		"/etc/mail/sqlite.conf"

/*
 * The database when the configuration names none: where the system
 * keeps such data (the Makefile sets it: /var/db on the BSDs, /var/lib
 * on Linux).
 */
#ifndef DBPATH_DEFAULT
#define DBPATH_DEFAULT		"/var/db/opensmtpd-kit/kit.sqlite"
#endif

/* Queries beyond the table services, for filter-submission. */
enum {
	Q_OWNERS = SVC_MAX,	/* who owns an address: one login per row */
	Q_MAX
};

/* The table-sqlite configuration, read by the table and the filter. */
struct sqlconf {
	char		*dbpath;
	char		*query[Q_MAX];
	char		*fetch_source;
	long long	 fetch_expire;		/* seconds */
	long long	 fetch_refresh;		/* calls */
	int		 busy_timeout;		/* milliseconds */
	int		 auth_offload;
	char		*virtual_user;
	int		 defaults;		/* queries of the default schema */
};

int	sqlconf_load(const char *, struct sqlconf *, char *, size_t);
void	sqlconf_free(struct sqlconf *);
int	sqlconf_ncols(int);
int	sqlconf_virtual_user_missing(const struct sqlconf *);
const char *sqlconf_query_name(int);

#endif
