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
 * The server engines this build has: PostgreSQL with libpq, MariaDB
 * and MySQL with MariaDB Connector/C, each when configure found its
 * library (HAVE_LIBPQ, HAVE_LIBMARIADB; else lib/db_pgsql.c or
 * lib/db_mysql.c is a stub).  A configuration for an engine that is
 * missing fails at start with the package that brings it.
 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "dbsrv.h"
#include "sandbox.h"

const struct dbsrv_ops *
dbsrv_engine(int engine, char *err, size_t errlen)
{
	switch (engine) {
	case ENGINE_PGSQL:
		return dbsrv_pgsql_ops(err, errlen);
	case ENGINE_MYSQL:
		return dbsrv_mysql_ops(err, errlen);
	default:
		snprintf(err, errlen, "not a server engine");
		return NULL;
	}
}

/* Room for nrows rows of ncols values. */
int
dbres_alloc(struct dbres *r, size_t nrows, size_t ncols)
{
	size_t	 n = nrows * ncols;

	r->nrows = nrows;
	r->ncols = ncols;
	if (n == 0)
		return 0;
	if ((r->val = calloc(n, sizeof(*r->val))) == NULL ||
	    (r->len = calloc(n, sizeof(*r->len))) == NULL) {
		free(r->val);
		r->val = NULL;
		return -1;
	}
	return 0;
}

void
dbres_free(struct dbres *r)
{
	if (r->release != NULL)
		r->release(r);
	free(r->val);
	free(r->len);
	r->val = NULL;
	r->len = NULL;
	r->nrows = r->ncols = 0;
	r->changed = 0;
	r->priv = NULL;
	r->release = NULL;
}

/*
 * A transaction on connection c: begin, then commit or roll back.  The
 * same words on both engines; 0, or DBSRV_LOST or DBSRV_FAILED with
 * why in err.  (On MariaDB a statement that changes the schema commits
 * by itself.)
 */
int
dbsrv_begin(const struct dbsrv_ops *ops, struct dbconn *c, char *err,
    size_t errlen)
{
	return ops->command(c, "BEGIN", err, errlen);
}

int
dbsrv_commit(const struct dbsrv_ops *ops, struct dbconn *c, char *err,
    size_t errlen)
{
	return ops->command(c, "COMMIT", err, errlen);
}

int
dbsrv_rollback(const struct dbsrv_ops *ops, struct dbconn *c, char *err,
    size_t errlen)
{
	return ops->command(c, "ROLLBACK", err, errlen);
}

/*
 * Path (dir, and "/" name unless name is NULL) into the list of f that
 * sock says: the directories of sockets or the files read.  Once only;
 * an empty one or one past DBSRV_FILES_MAX is left out.
 */
void
dbsrv_files_add(struct dbsrv_files *f, int sock, const char *dir,
    const char *name)
{
	char	**list = sock ? f->sock : f->read, *p;
	size_t	 *n = sock ? &f->nsock : &f->nread, i;

	if (dir == NULL || dir[0] == '\0' || *n >= DBSRV_FILES_MAX)
		return;
	if (name == NULL)
		p = strdup(dir);
	else if (asprintf(&p, "%s/%s", dir, name) == -1)
		p = NULL;
	if (p == NULL)
		return;
	for (i = 0; i < *n; i++)
		if (strcmp(list[i], p) == 0) {
			free(p);
			return;
		}
	list[(*n)++] = p;
	list[*n] = NULL;
}

/*
 * The files the resolver reads, where they are links out of /etc (as
 * Ubuntu's /etc/resolv.conf into /run/systemd/resolve): the directory
 * of the target, which its daemon replaces by a rename.
 */
static const char *const resolver[] = {
	"/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf",
	"/etc/host.conf", "/etc/gai.conf", NULL
};

/*
 * What engine ops opens by name when it connects with conf, beyond
 * /etc and /usr, into f (see struct dbsrv_files); dbsrv_files_free()
 * frees it.
 */
void
dbsrv_files(const struct dbsrv_ops *ops, const struct sqlconf *conf,
    struct dbsrv_files *f)
{
	char	 real[PATH_MAX], dir[PATH_MAX];
	size_t	 i;

	memset(f, 0, sizeof(*f));
	if (ops->files != NULL)
		ops->files(conf, f);
	for (i = 0; resolver[i] != NULL; i++) {
		if (realpath(resolver[i], real) == NULL ||
		    strncmp(real, "/etc/", 5) == 0 ||
		    strncmp(real, "/usr/", 5) == 0)
			continue;
		/* Never the whole tree. */
		if (strcmp(sandbox_dirname(real, dir, sizeof(dir)), "/") != 0)
			dbsrv_files_add(f, 0, dir, NULL);
	}
}

void
dbsrv_files_free(struct dbsrv_files *f)
{
	size_t	 i;

	for (i = 0; i < f->nread; i++)
		free(f->read[i]);
	for (i = 0; i < f->nsock; i++)
		free(f->sock[i]);
	memset(f, 0, sizeof(*f));
}
