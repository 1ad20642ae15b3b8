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
 * auth-helper backup DEST: an online, consistent copy of the database
 * through SQLite's backup API, while smtpd reads and auth-helper writes.
 *
 * The copy is made in one sqlite3_backup_step(-1), under one read lock
 * of the database: a writer waits for it (auth-helper waits up to 5 s
 * for a lock) and cannot make it start over, as a commit between steps
 * of a few pages would, again and again under a steady writer.  A lock
 * held by a writer is waited for, up to BACKUP_WAIT_MS.  The copy goes
 * to DEST.tmp (mode 0640, the group of the database), is checked
 * (PRAGMA quick_check), flushed and renamed over DEST: DEST is always
 * the previous copy or a whole new one.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "auth_helper.h"
#include "compat.h"
#include "db.h"

#define BUSY_MS		5000
#define BACKUP_WAIT_MS	30000
#define BACKUP_SLEEP_MS	50

/* Is path the file sb describes? */
static int
is_file(const char *path, const struct stat *sb)
{
	struct stat	 st;

	return stat(path, &st) == 0 && st.st_dev == sb->st_dev &&
	    st.st_ino == sb->st_ino;
}

/*
 * DEST must not be the database, nor a file SQLite keeps beside it (a
 * rollback journal, the WAL and its index), under any name: renaming
 * over one of them would lose or corrupt the database.
 */
static int
bad_dest(const char *dbpath, const struct stat *db, const char *dest,
    const char *tmp)
{
	static const char *const sfx[] = { "-journal", "-wal", "-shm" };
	char		 rdb[PATH_MAX], rdir[PATH_MAX], d[PATH_MAX];
	char		 dcopy[PATH_MAX], bcopy[PATH_MAX], side[PATH_MAX];
	struct stat	 st;
	size_t		 i;

	if (is_file(dest, db) || is_file(tmp, db)) {
		errx_msg("%s is the database %s itself: name another file",
		    is_file(dest, db) ? dest : tmp, dbpath);
		return 1;
	}
	if (stat(dest, &st) == 0 && S_ISDIR(st.st_mode)) {
		errx_msg("%s is a directory: name the file to write",
		    dest);
		return 1;
	}
	if (strlcpy(dcopy, dest, sizeof(dcopy)) >= sizeof(dcopy) ||
	    strlcpy(bcopy, dest, sizeof(bcopy)) >= sizeof(bcopy)) {
		errx_msg("%s: path too long", dest);
		return 1;
	}
	if (realpath(dbpath, rdb) == NULL ||
	    realpath(dirname(dcopy), rdir) == NULL)
		return 0;	/* open or create will say what is wrong */
	if (snprintf(d, sizeof(d), "%s/%s", rdir, basename(bcopy)) >=
	    (int)sizeof(d))
		return 0;
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		if (snprintf(side, sizeof(side), "%s%s", rdb, sfx[i]) <
		    (int)sizeof(side) && strcmp(d, side) == 0) {
			errx_msg("%s is a file SQLite keeps beside the "
			    "database %s: name another file", dest, dbpath);
			return 1;
		}
	}
	return 0;
}

/* DEST.tmp, new, mode 0640, the group of the database. */
static int
create_tmp(const char *tmp, const struct stat *db)
{
	struct group	*gr;
	int		 fd;

	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0640);
	if (fd == -1) {
		if (errno == EEXIST)
			errx_msg("%s exists: another backup is running, or "
			    "one was stopped; remove it if none runs", tmp);
		else
			errx_msg("cannot create %s: %s", tmp,
			    strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0640) == -1 ||
	    (fchown(fd, (uid_t)-1, db->st_gid) == -1 && geteuid() == 0)) {
		gr = getgrgid(db->st_gid);
		errx_msg("%s: cannot make it mode 0640, group %s: %s", tmp,
		    gr != NULL ? gr->gr_name : "of the database",
		    strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	return fd;
}

/* The whole copy in one step; a lock held by a writer is waited for. */
static int
copy_db(sqlite3 *src, sqlite3 *dst, const char *dbpath, const char *tmp)
{
	sqlite3_backup	*bk;
	int		 rc, waited = 0;

	if ((bk = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		errx_msg("%s: cannot start the backup: %s", tmp,
		    sqlite3_errmsg(dst));
		return -1;
	}
	while ((rc = sqlite3_backup_step(bk, -1)) != SQLITE_DONE) {
		if (!db_transient(rc) || waited >= BACKUP_WAIT_MS)
			break;
		sqlite3_sleep(BACKUP_SLEEP_MS);
		waited += BACKUP_SLEEP_MS;
	}
	sqlite3_backup_finish(bk);
	if (rc == SQLITE_DONE)
		return 0;
	if (db_transient(rc))
		errx_msg("database %s stayed locked for %d s: is a writer "
		    "stuck? nothing was written", dbpath,
		    BACKUP_WAIT_MS / 1000);
	else
		errx_msg("backup of %s to %s failed: %s", dbpath, tmp,
		    sqlite3_errstr(rc));
	return -1;
}

/* The copy reads back whole. */
static int
check_copy(sqlite3 *dst, const char *dbpath, const char *dest)
{
	sqlite3_stmt	*st;
	const char	*r;
	int		 ok;

	if (sqlite3_prepare_v2(dst, "PRAGMA quick_check", -1, &st, NULL) !=
	    SQLITE_OK) {
		errx_msg("%s: cannot check the copy: %s", dest,
		    sqlite3_errmsg(dst));
		return -1;
	}
	ok = sqlite3_step(st) == SQLITE_ROW &&
	    (r = (const char *)sqlite3_column_text(st, 0)) != NULL &&
	    strcmp(r, "ok") == 0;
	sqlite3_finalize(st);
	if (!ok)
		errx_msg("the copy of %s fails PRAGMA quick_check: the "
		    "database may be damaged (sqlite3 %s 'PRAGMA "
		    "integrity_check'); %s was left as it was", dbpath,
		    dbpath, dest);
	return ok ? 0 : -1;
}

static int
page_count(sqlite3 *db)
{
	sqlite3_stmt	*st;
	int		 n = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Flush the directory of path, where the rename was made. */
static void
sync_dir(const char *path)
{
	char	 copy[PATH_MAX];
	int	 fd;

	if (strlcpy(copy, path, sizeof(copy)) >= sizeof(copy))
		return;
	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY)) == -1)
		return;
	fsync(fd);
	close(fd);
}

int
cmd_backup(struct env *env, int argc, char **argv)
{
	const char	*dest = argv[0];
	sqlite3		*src = NULL, *dst = NULL;
	struct stat	 db;
	struct group	*gr;
	char		 tmp[PATH_MAX], err[512];
	int		 fd = -1, rv = -1, pages;

	if (sqlconf_load(env->confpath, &env->conf, err, sizeof(err)) == -1) {
		errx_msg("%s", err);
		return -1;
	}
	if (env->conf.engine != ENGINE_SQLITE) {
		errx_msg("%s names a %s server: back it up with the server's "
		    "own tool (pg_dump, mariadb-dump)", env->confpath,
		    sqlconf_engine_name(env->conf.engine));
		goto done;
	}
	if (stat(env->conf.dbpath, &db) == -1) {
		errx_msg("database %s: %s; run auth-helper init first",
		    env->conf.dbpath, strerror(errno));
		goto done;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", dest) >= (int)sizeof(tmp)) {
		errx_msg("%s: path too long", dest);
		goto done;
	}
	if (bad_dest(env->conf.dbpath, &db, dest, tmp))
		goto done;
	/* Read-only; SQLite takes no lock before the copy's first step. */
	if (sqlite3_open_v2(env->conf.dbpath, &src, SQLITE_OPEN_READONLY,
	    NULL) != SQLITE_OK) {
		errx_msg("cannot open database %s: %s", env->conf.dbpath,
		    src != NULL ? sqlite3_errmsg(src) : "out of memory");
		goto done;
	}
	sqlite3_busy_timeout(src, BUSY_MS);
	if ((fd = create_tmp(tmp, &db)) == -1)
		goto done;
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		errx_msg("cannot open %s: %s", tmp, dst != NULL ?
		    sqlite3_errmsg(dst) : "out of memory");
		goto done;
	}
	/* No journal for a file nobody else sees; fsync(2) below. */
	sqlite3_busy_timeout(dst, BUSY_MS);
	sqlite3_exec(dst, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF",
	    NULL, NULL, NULL);
	if (copy_db(src, dst, env->conf.dbpath, tmp) == -1 ||
	    check_copy(dst, env->conf.dbpath, dest) == -1)
		goto done;
	pages = page_count(dst);
	if (sqlite3_close(dst) != SQLITE_OK) {
		errx_msg("%s: %s", tmp, sqlite3_errmsg(dst));
		goto done;
	}
	dst = NULL;
	if (fsync(fd) == -1) {
		errx_msg("%s: fsync: %s", tmp, strerror(errno));
		goto done;
	}
	if (rename(tmp, dest) == -1) {
		errx_msg("cannot rename %s to %s: %s", tmp, dest,
		    strerror(errno));
		goto done;
	}
	sync_dir(dest);
	gr = getgrgid(db.st_gid);
	printf("%s: a copy of %s, %d pages, mode 0640, group %s\n", dest,
	    env->conf.dbpath, pages, gr != NULL ? gr->gr_name : "?");
	rv = 0;
 done:
	sqlite3_close(dst);
	sqlite3_close(src);
	if (fd != -1) {
		close(fd);
		if (rv == -1)
			unlink(tmp);
	}
	sqlconf_free(&env->conf);
	return rv;
}
