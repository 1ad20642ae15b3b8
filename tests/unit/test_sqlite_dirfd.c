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
 * lib/sqlite_dirfd.c: SQLite reaches the database's directory through a
 * descriptor, as it must in Capsicum's capability mode, and nothing
 * else.  The directory is renamed after installation: a path name would
 * no longer find it, the descriptor does.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "backend.h"
#include "compat.h"
#include "schema.h"
#include "sqlite_dirfd.h"
#include "unit.h"
#include "unitdb.h"

static char	 moved[128], outside[64], other[128];

/* Run sql on the database at path (created), as a writer would. */
static int
exec_at(const char *path, const char *sql)
{
	sqlite3	*db = NULL;
	int	 rc;

	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

/* The number of rows of domains in the database at path, read-only. */
static int
domains_at(const char *path, int *sys_errno)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	int		 n = -1;

	*sys_errno = 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK && sqlite3_prepare_v2(db, "SELECT count(*) FROM domains",
	    -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	if (n == -1 && db != NULL)
		*sys_errno = sqlite3_system_errno(db);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static int
found(struct backend *b, const char *domain)
{
	char	 err[512];

	return backend_check(b, Q_DOMAIN, domain, err, sizeof(err));
}

int
main(void)
{
	struct backend	*b;
	struct stat	 sb;
	char		 err[512], newdb[160], path[160];
	int		 e, ok;

	unitdb_new();
	strlcpy(outside, "/tmp/unitdb.XXXXXX", sizeof(outside));
	if (mkdtemp(outside) == NULL)
		return 1;
	snprintf(other, sizeof(other), "%s/other.sqlite", outside);
	if (exec_at(other, schema_sql) == -1)
		return 1;

	check(sqlite_dirfd_fd() == -1 && sqlite_dirfd_install(unitdb_path,
	    err, sizeof(err)) == 0 && sqlite_dirfd_fd() != -1,
	    "installed: the directory is open");
	b = unitdb_backend();
	check(found(b, "example.com") == 1 && found(b, "none.example") == 0,
	    "the table answers through the directory's descriptor");

	/* From here, the path names a directory that is not there. */
	snprintf(moved, sizeof(moved), "%s.moved", unitdb_dir);
	if (rename(unitdb_dir, moved) == -1)
		return 1;
	check(stat(unitdb_dir, &sb) == -1 && domains_at(unitdb_path, &e) == 2,
	    "a database is opened by its name in the directory, never by "
	    "its path");

	/* t_replica.sh's scenario: a new file renamed over the database. */
	snprintf(newdb, sizeof(newdb), "%s/new.sqlite", unitdb_dir);
	ok = exec_at(newdb, schema_sql) == 0 &&
	    exec_at(newdb, "PRAGMA journal_mode = WAL;"
	    "INSERT INTO domains VALUES ('replica.example');") == 0;
	snprintf(path, sizeof(path), "%s/new.sqlite", moved);
	snprintf(err, sizeof(err), "%s/kit.sqlite", moved);
	ok = ok && rename(path, err) == 0;
	b->checked = 0;		/* the once-a-second look, now */
	check(ok && found(b, "replica.example") == 1 &&
	    found(b, "example.com") == 0,
	    "a database replaced under its name is seen and opened again "
	    "(a WAL one, with its -shm created beside it)");

	check(sqlite_dirfd_stat(unitdb_path, &sb) == 0 && S_ISREG(sb.st_mode),
	    "the table's own look at the file goes through the directory");

	check(domains_at(other, &e) == -1 && e == EACCES &&
	    access(other, R_OK) == 0,
	    "a database in another directory is refused (EACCES)");
	snprintf(path, sizeof(path), "%s/sub/x.sqlite", unitdb_dir);
	check(domains_at(path, &e) == -1,
	    "and so is one below the directory");

	/* A relative path: the working directory as it was then. */
	backend_free(b);
	sqlite_dirfd_remove();
	check(sqlite_dirfd_fd() == -1 && domains_at(unitdb_path, &e) == -1,
	    "removed: SQLite opens by path again (the moved directory is "
	    "not found)");
	if (chdir(moved) == -1)
		return 1;
	ok = sqlite_dirfd_install("kit.sqlite", err, sizeof(err)) == 0;
	if (chdir("/") == -1)
		return 1;
	check(ok && domains_at("kit.sqlite", &e) == 1 &&
	    domains_at(unitdb_path, &e) == -1,
	    "a relative database path: the directory it was relative to");
	sqlite_dirfd_remove();

	check(sqlite_dirfd_install("/nonexistent.dir/kit.sqlite", err,
	    sizeof(err)) == -1 && strstr(err, "/nonexistent.dir") != NULL &&
	    sqlite_dirfd_fd() == -1,
	    "no directory: an error that names it, nothing installed");

	snprintf(path, sizeof(path), "%s/kit.sqlite", moved);
	unlink(path);
	snprintf(path, sizeof(path), "%s/kit.sqlite-wal", moved);
	unlink(path);
	snprintf(path, sizeof(path), "%s/kit.sqlite-shm", moved);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sqlite.conf", moved);
	unlink(path);
	rmdir(moved);
	unlink(other);
	rmdir(outside);
	return unit_done();
}
