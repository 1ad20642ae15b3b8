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

#ifndef DBSRV_H
#define DBSRV_H

#include <stddef.h>

#include "sqlconf.h"
#include "sqlparam.h"

/*
 * A database server behind the same functions, whatever its engine
 * (lib/db_pgsql.c, lib/db_mysql.c): connect with a time limit, prepare
 * the queries of the configuration once per connection, run one with
 * its parameters bound, within the time limit, and hand back its rows.
 */

/*
 * The statements of a connection: one per query, fetch_source, and
 * those of the lockouts (lib/lockstore.c), prepared on first use.
 */
#define SLOT_FETCH		Q_MAX
#define SLOT_LOCK		(Q_MAX + 1)
#define SLOT_LOCK_N		7
#define SLOT_MAX		(SLOT_LOCK + SLOT_LOCK_N)

/* The rows of one query: values as text, NULL for SQL's NULL. */
struct dbres {
	size_t		  nrows;
	size_t		  ncols;
	char		**val;		/* nrows * ncols */
	size_t		 *len;
	unsigned long long changed;	/* rows a write changed */
	void		 *priv;		/* the engine's result */
	void		(*release)(struct dbres *);
};

struct dbconn;

/*
 * What an engine opens by name when it connects, beside the server's
 * socket, from the configuration and the environment as its library
 * reads them: files read (a password file, certificates), and the
 * directories of the Unix sockets connected to.  Reconnections happen
 * in the sandbox, which must leave them open (lib/start.c).  Each list
 * NULL-terminated; what does not exist is there all the same.
 */
#define DBSRV_FILES_MAX	24
struct dbsrv_files {
	char		*read[DBSRV_FILES_MAX + 1];
	size_t		 nread;
	char		*sock[DBSRV_FILES_MAX + 1];
	size_t		 nsock;
};

/* exec: 0 the rows, DBSRV_LOST the connection is to be dropped. */
#define DBSRV_LOST	-1
#define DBSRV_FAILED	-2	/* the query failed, the connection works */

struct dbsrv_ops {
	const char	 *name;
	int		  style;	/* SQLPARAM_DOLLAR or SQLPARAM_QMARK */
	struct dbconn	*(*open)(const struct sqlconf *, char *, size_t);
	void		 (*close)(struct dbconn *);
	int		 (*prepare)(struct dbconn *, int, const char *, int,
			    int, char *, size_t);
	int		 (*exec)(struct dbconn *, int, const char *const *,
			    const size_t *, int, struct dbres *, char *,
			    size_t);
	int		 (*command)(struct dbconn *, const char *, char *,
			    size_t);
	void		 (*files)(const struct sqlconf *,
			    struct dbsrv_files *);
};

const struct dbsrv_ops	*dbsrv_engine(int, char *, size_t);
void			 dbres_free(struct dbres *);
int			 dbres_alloc(struct dbres *, size_t, size_t);
int			 dbsrv_begin(const struct dbsrv_ops *, struct dbconn *,
			    char *, size_t);
int			 dbsrv_commit(const struct dbsrv_ops *,
			    struct dbconn *, char *, size_t);
int			 dbsrv_rollback(const struct dbsrv_ops *,
			    struct dbconn *, char *, size_t);
void			 dbsrv_files(const struct dbsrv_ops *,
			    const struct sqlconf *, struct dbsrv_files *);
void			 dbsrv_files_add(struct dbsrv_files *, int,
			    const char *, const char *);
void			 dbsrv_files_free(struct dbsrv_files *);

/* lib/db_pgsql.c, lib/db_mysql.c: NULL and why in a build without. */
const struct dbsrv_ops	*dbsrv_pgsql_ops(char *, size_t);
const struct dbsrv_ops	*dbsrv_mysql_ops(char *, size_t);

#endif
