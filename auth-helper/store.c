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
 * Write access to the database named by the table-sqlite configuration:
 * open it read-write with a busy timeout (smtpd keeps reading while we
 * write), run every change in one immediate transaction, create or
 * upgrade the schema.  Values are always bound, never pasted into SQL.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "compat.h"
#include "auth_helper.h"
#include "dbsrv.h"
#include "schema.h"
#include "smtpduser.h"

#define BUSY_MS		5000

/*
 * Make the directories of path that are missing, mode 0750, group gid:
 * smtpd's user must get through them to the database.
 */
static int
make_dirs(const char *path, gid_t gid)
{
	char		 dir[1024], *p;
	struct stat	 sb;

	if (strlcpy(dir, path, sizeof(dir)) >= sizeof(dir)) {
		errx_msg("%s: path too long", path);
		return -1;
	}
	if ((p = strrchr(dir, '/')) == NULL || p == dir)
		return 0;
	*p = '\0';
	if (stat(dir, &sb) == 0)
		return 0;
	if (make_dirs(dir, gid) == -1)
		return -1;
	if (mkdir(dir, 0750) == -1) {
		errx_msg("cannot create directory %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (gid != (gid_t)-1 && chown(dir, 0, gid) == -1 && geteuid() == 0) {
		errx_msg("cannot give directory %s to group %u: %s", dir,
		    (unsigned)gid, strerror(errno));
		return -1;
	}
	printf("created directory %s (mode 0750)\n", dir);
	return 0;
}

/*
 * init run again, as root, once smtpd is installed (its user did not
 * exist at the first init, or a copy changed the file): give the
 * database mode 0640, owner root and the group of smtpd's user, and
 * its directory that group when init made it (mode 0750, group root).
 * Says what it changed.
 */
static int
repair(const char *path, const struct smtpd_user *u)
{
	struct stat	 sb;
	char		 dir[1024], *p;

	if (geteuid() != 0)
		return 0;
	if (strlcpy(dir, path, sizeof(dir)) < sizeof(dir) &&
	    (p = strrchr(dir, '/')) != NULL && p != dir) {
		*p = '\0';
		if (stat(dir, &sb) == 0 && sb.st_uid == 0 && sb.st_gid == 0 &&
		    (sb.st_mode & 07777) == 0750 && u->gid != 0) {
			if (chown(dir, 0, u->gid) == -1) {
				errx_msg("%s: chown to group %s: %s", dir,
				    u->group, strerror(errno));
				return -1;
			}
			printf("repaired directory %s: group %s (the group of "
			    "smtpd's user), mode 0750\n", dir, u->group);
		}
	}
	if (stat(path, &sb) == -1 || !S_ISREG(sb.st_mode))
		return 0;
	if (sb.st_uid == 0 && sb.st_gid == u->gid &&
	    (sb.st_mode & 07777) == 0640)
		return 0;
	if (chown(path, 0, u->gid) == -1 || chmod(path, 0640) == -1) {
		errx_msg("%s: %s", path, strerror(errno));
		return -1;
	}
	printf("repaired %s: mode 0640, owner root, group %s (the group of "
	    "smtpd's user); it was mode %04o, owner %u, group %u\n", path,
	    u->group, (unsigned)(sb.st_mode & 07777), (unsigned)sb.st_uid,
	    (unsigned)sb.st_gid);
	return 0;
}

/*
 * Create the database file: mode 0640, owner root and the group of
 * smtpd's user when run as root, so that the hashes are not readable
 * by everyone and smtpd's table can read them; an existing one is
 * repaired.  Says what it did.
 */
static int
create_file(const char *path)
{
	struct smtpd_user	 u;
	const char		*gname = u.group;
	gid_t			 gid = (gid_t)-1;
	int			 fd;

	if (smtpd_user_find(&u))
		gid = u.gid;
	if (make_dirs(path, gid) == -1)
		return -1;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0640)) == -1) {
		if (errno == EEXIST)
			return gid == (gid_t)-1 ? 0 : repair(path, &u);
		errx_msg("cannot create database %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0640) == -1) {
		errx_msg("%s: chmod: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (geteuid() == 0 && gid != (gid_t)-1) {
		if (fchown(fd, 0, gid) == -1) {
			errx_msg("%s: chown to group %s: %s", path, gname,
			    strerror(errno));
			close(fd);
			return -1;
		}
		printf("created %s: mode 0640, owner root, group %s (the "
		    "group of smtpd's user)\n", path, gname);
	} else if (gid == (gid_t)-1)
		printf("created %s: mode 0640; no smtpd user found on this "
		    "system: give the file to its group (chgrp) so that smtpd "
		    "can read it\n", path);
	else
		printf("created %s: mode 0640; not root: give the file to the "
		    "group %s (chgrp) so that smtpd can read it\n", path,
		    gname);
	close(fd);
	return 0;
}

/*
 * Create auth_lock_dir, where filter-submission leaves the failed-AUTH
 * lockouts that table-sqlite honours: mode 0770, owner root and the
 * group of smtpd's user, which writes there.  Says what it did.
 */
static int
create_lockdir(const char *dir)
{
	struct smtpd_user	 u;
	struct stat		 sb;
	int			 found;

	found = smtpd_user_find(&u);
	if (stat(dir, &sb) == 0) {
		/* init again, once smtpd's user exists: its group. */
		if (geteuid() != 0 || !found || u.gid == 0 ||
		    !S_ISDIR(sb.st_mode) || sb.st_uid != 0 ||
		    sb.st_gid != 0 || (sb.st_mode & 07777) != 0770)
			return 0;
		if (chown(dir, 0, u.gid) == -1) {
			errx_msg("%s: chown to group %s: %s", dir, u.group,
			    strerror(errno));
			return -1;
		}
		printf("repaired %s: group %s (the group of smtpd's user), "
		    "mode 0770\n", dir, u.group);
		return 0;
	}
	if (mkdir(dir, 0770) == -1) {
		errx_msg("cannot create auth_lock_dir %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (chmod(dir, 0770) == -1 || (geteuid() == 0 && found &&
	    chown(dir, 0, u.gid) == -1)) {
		errx_msg("%s: %s", dir, strerror(errno));
		return -1;
	}
	if (geteuid() == 0 && found)
		printf("created %s: mode 0770, owner root, group %s, for the "
		    "failed-AUTH lockouts\n", dir, u.group);
	else
		printf("created %s: mode 0770, for the failed-AUTH lockouts; "
		    "give it to the group of smtpd's user (chgrp)\n", dir);
	return 0;
}

/*
 * A server engine: connect with the configuration's time limits.  On
 * MariaDB the session reads SQL as the standard does (|| joins strings,
 * "" quotes names) and refuses values that do not fit.
 */
static int
server_open(struct env *env)
{
	char	 err[512];

	if ((env->srv = dbsrv_engine(env->conf.engine, err, sizeof(err))) ==
	    NULL) {
		errx_msg("%s: %s", env->confpath, err);
		return -1;
	}
	if ((env->conn = env->srv->open(&env->conf, err, sizeof(err))) ==
	    NULL) {
		errx_msg("%s", err);
		return -1;
	}
	if (env->srv->style == SQLPARAM_QMARK && env->srv->command(env->conn,
	    "SET SESSION sql_mode = 'ANSI,STRICT_ALL_TABLES'", err,
	    sizeof(err)) != 0) {
		errx_msg("%s", err);
		return -1;
	}
	return 0;
}

/* Open the database; create it only when create is set (init). */
int
store_open(struct env *env, int create)
{
	char	 err[512];
	int	 flags = SQLITE_OPEN_READWRITE;

	if (sqlconf_load(env->confpath, &env->conf, err, sizeof(err)) == -1) {
		errx_msg("%s", err);
		return -1;
	}
	if (!env->conf.defaults && env->conf.engine != ENGINE_SQLITE) {
		errx_msg("%s has its own queries (a schema of another tool, "
		    "such as PostfixAdmin's): manage its accounts with that "
		    "tool; auth-helper writes only the kit's default schema",
		    env->confpath);
		sqlconf_free(&env->conf);
		return -1;
	}
	if (!env->conf.defaults) {
		errx_msg("%s has its own queries: auth-helper manages only "
		    "the default schema (a configuration with just dbpath)",
		    env->confpath);
		sqlconf_free(&env->conf);
		return -1;
	}
	if (env->conf.engine != ENGINE_SQLITE) {
		if (server_open(env) == -1) {
			store_close(env);
			return -1;
		}
		return 0;
	}
	if (create) {
		flags |= SQLITE_OPEN_CREATE;
		if (create_file(env->conf.dbpath) == -1 ||
		    create_lockdir(env->conf.auth_lock_dir) == -1)
			return -1;
	}
	if (sqlite3_open_v2(env->conf.dbpath, &env->db, flags, NULL) !=
	    SQLITE_OK) {
		errx_msg("cannot open database %s: %s%s", env->conf.dbpath,
		    env->db != NULL ? sqlite3_errmsg(env->db) : "error",
		    create ? "" : "; run auth-helper init first");
		sqlite3_close(env->db);
		env->db = NULL;
		return -1;
	}
	sqlite3_busy_timeout(env->db, BUSY_MS);
	sqlite3_exec(env->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	return 0;
}

void
store_close(struct env *env)
{
	if (env->conn != NULL)
		env->srv->close(env->conn);
	env->conn = NULL;
	sqlite3_close(env->db);
	env->db = NULL;
	sqlconf_free(&env->conf);
}

/* The database, for messages: its file, or its engine. */
const char *
store_name(struct env *env)
{
	if (env->srv != NULL)
		return env->srv->name;
	return env->conf.dbpath;
}

/*
 * A statement of a transaction's, BEGIN, COMMIT or ROLLBACK: sql on a
 * server, sqlite (its form of it) on SQLite.  0, or -1 with why in err.
 */
static int
tx(struct env *env, const char *sql, const char *sqlite, char *err,
    size_t errlen)
{
	if (env->conn != NULL)
		return env->srv->command(env->conn, sql, err, errlen) != 0 ?
		    -1 : 0;
	if (sqlite3_exec(env->db, sqlite, NULL, NULL, NULL) != SQLITE_OK) {
		strlcpy(err, sqlite3_errmsg(env->db), errlen);
		return -1;
	}
	return 0;
}

int
store_begin(struct env *env)
{
	char	 err[512];

	if (tx(env, "BEGIN", "BEGIN IMMEDIATE", err, sizeof(err)) == 0)
		return 0;
	if (env->conn != NULL)
		errx_msg("%s", err);
	else
		errx_msg("%s: %s; is another writer stuck?", env->conf.dbpath,
		    err);
	return -1;
}

int
store_commit(struct env *env)
{
	char	 err[512];

	if (tx(env, "COMMIT", "COMMIT", err, sizeof(err)) == 0)
		return 0;
	errx_msg("%s: commit: %s; nothing was changed", store_name(env), err);
	store_rollback(env);
	return -1;
}

void
store_rollback(struct env *env)
{
	char	 err[512];

	(void)tx(env, "ROLLBACK", "ROLLBACK", err, sizeof(err));
}

/*
 * The words of SQLite that the server engines spell otherwise, in the
 * statements of auth-helper: its INSERT OR IGNORE of each table, INSERT
 * OR REPLACE of settings, instr().  Not MariaDB's INSERT IGNORE, which
 * would store a value too long for its column cut short.
 */
static const struct {
	const char	*sqlite, *pgsql, *mysql, *pgsql_tail, *mysql_tail;
} dialect[] = {
	{ "INSERT OR IGNORE INTO domains", "INSERT INTO domains",
	    "INSERT INTO domains", " ON CONFLICT DO NOTHING",
	    " ON DUPLICATE KEY UPDATE name = VALUES(name)" },
	{ "INSERT OR IGNORE INTO users", "INSERT INTO users",
	    "INSERT INTO users", " ON CONFLICT DO NOTHING",
	    " ON DUPLICATE KEY UPDATE login = VALUES(login)" },
	{ "INSERT OR IGNORE INTO aliases", "INSERT INTO aliases",
	    "INSERT INTO aliases", " ON CONFLICT DO NOTHING",
	    " ON DUPLICATE KEY UPDATE target = VALUES(target)" },
	{ "INSERT OR IGNORE INTO senders", "INSERT INTO senders",
	    "INSERT INTO senders", " ON CONFLICT DO NOTHING",
	    " ON DUPLICATE KEY UPDATE address = VALUES(address)" },
	{ "INSERT OR REPLACE INTO settings", "INSERT INTO settings",
	    "INSERT INTO settings",
	    " ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
	    " ON DUPLICATE KEY UPDATE value = VALUES(value)" },
	{ "INSERT OR", NULL, NULL, NULL, NULL },	/* none other */
	{ "instr(", "strpos(", "instr(", NULL, NULL },
};

/*
 * sql of SQLite for the server engine: its words, and its ?N
 * placeholders as $N (PostgreSQL) or as ? bound to the parameters of
 * order[] (MariaDB).  Quoted text is copied as it is.  Returns the
 * number of placeholders, or -1.
 */
static int
server_sql(struct env *env, const char *sql, char *out, size_t len,
    int *order, int maxorder)
{
	const char	*tail = NULL, *word;
	size_t		 i, n, o = 0;
	int		 np = 0, q = 0, v;
	char		*end;

	while (*sql != '\0') {
		if (*sql == '\'')
			q = !q;
		if (!q && *sql == '?' && sql[1] >= '1' && sql[1] <= '9') {
			v = (int)strtol(sql + 1, &end, 10);
			if (np >= maxorder || v > maxorder)
				return -1;
			if (env->srv->style == SQLPARAM_DOLLAR) {
				n = snprintf(out + o, len - o, "$%d", v);
				if (v > np)
					np = v;
			} else {
				n = snprintf(out + o, len - o, "?");
				order[np++] = v - 1;
			}
			if (n >= len - o)
				return -1;
			o += n;
			sql = end;
			continue;
		}
		for (i = 0; !q && i < sizeof(dialect) / sizeof(dialect[0]);
		    i++) {
			n = strlen(dialect[i].sqlite);
			if (strncmp(sql, dialect[i].sqlite, n) == 0)
				break;
		}
		if (!q && i < sizeof(dialect) / sizeof(dialect[0])) {
			if (env->srv->style == SQLPARAM_DOLLAR) {
				word = dialect[i].pgsql;
				if (dialect[i].pgsql_tail != NULL)
					tail = dialect[i].pgsql_tail;
			} else {
				word = dialect[i].mysql;
				if (dialect[i].mysql_tail != NULL)
					tail = dialect[i].mysql_tail;
			}
			if (word == NULL)
				return -1;
			if (strlcpy(out + o, word, len - o) >= len - o)
				return -1;
			o += strlen(word);
			sql += strlen(dialect[i].sqlite);
			continue;
		}
		if (o + 1 >= len)
			return -1;
		out[o++] = *sql++;
	}
	out[o] = '\0';
	if (tail != NULL && strlcat(out, tail, len) >= len)
		return -1;
	return np;
}

/* Run sql on the server; its rows to row(), its changes in *changed. */
static int
server_rows(struct env *env, const char *sql, const char *const *args,
    int nargs, int (*row)(void *, int, const char **), void *arg,
    unsigned long long *changed)
{
	struct dbres	 res;
	const char	*param[SQLPARAM_MAX], *vals[8];
	size_t		 plen[SQLPARAM_MAX], i;
	int		 order[SQLPARAM_MAX], np, j, rc;
	char		 q[4096], err[512];

	if ((np = server_sql(env, sql, q, sizeof(q), order,
	    SQLPARAM_MAX)) == -1) {
		errx_msg("%s: statement too long, or of SQLite only",
		    store_name(env));
		return -1;
	}
	for (j = 0; j < np; j++) {
		int a = env->srv->style == SQLPARAM_DOLLAR ? j : order[j];

		if (a < 0 || a >= nargs) {
			errx_msg("%s: parameter %d not given", store_name(env),
			    a + 1);
			return -1;
		}
		param[j] = args[a];
		plen[j] = strlen(args[a]);
	}
	/* One statement at a time: the one before goes. */
	if (env->prepared && env->srv->style == SQLPARAM_DOLLAR &&
	    env->srv->command(env->conn, "DEALLOCATE kit0", err,
	    sizeof(err)) != 0)
		goto fail;
	env->prepared = 0;
	if ((rc = env->srv->prepare(env->conn, 0, q, np, -1, err,
	    sizeof(err))) != 0)
		goto fail;
	env->prepared = 1;
	if ((rc = env->srv->exec(env->conn, 0, param, plen, np, &res, err,
	    sizeof(err))) != 0)
		goto fail;
	if (changed != NULL)
		*changed = res.changed;
	for (i = 0; row != NULL && i < res.nrows; i++) {
		for (j = 0; j < (int)res.ncols && j < 8; j++)
			vals[j] = res.val[i * res.ncols + j];
		if (row(arg, j, vals) != 0)
			break;
	}
	dbres_free(&res);
	return 0;
 fail:
	errx_msg("%s: %s", store_name(env), err);
	return -1;
}

/*
 * Run sql with args bound to ?1, ?2, ...: each row to row() (NULL for
 * SQL's NULL) until it returns other than 0.  Returns the number of
 * rows changed, or -1.
 */
static int
run(struct env *env, const char *sql, const char *const *args, int nargs,
    int (*row)(void *, int, const char **), void *arg)
{
	sqlite3_stmt		*st;
	const char		*vals[8];
	unsigned long long	 changed = 0;
	int			 i, n, rc;

	if (env->conn != NULL) {
		if (server_rows(env, sql, args, nargs, row, arg,
		    &changed) == -1)
			return -1;
		return changed > INT_MAX ? INT_MAX : (int)changed;
	}
	if (sqlite3_prepare_v2(env->db, sql, -1, &st, NULL) != SQLITE_OK) {
		errx_msg("%s: %s", env->conf.dbpath, sqlite3_errmsg(env->db));
		return -1;
	}
	for (i = 0; i < nargs; i++)
		sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (row == NULL)
			continue;
		n = sqlite3_column_count(st);
		for (i = 0; i < n && i < 8; i++)
			vals[i] = (const char *)sqlite3_column_text(st, i);
		if (row(arg, i, vals) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		errx_msg("%s: %s", env->conf.dbpath, sqlite3_errmsg(env->db));
		return -1;
	}
	return sqlite3_changes(env->db);
}

/* Each row of sql, args bound to ?1, ?2, ..., to row().  0 or -1. */
int
store_rows(struct env *env, const char *sql, const char *const *args,
    int nargs, int (*row)(void *, int, const char **), void *arg)
{
	return run(env, sql, args, nargs, row, arg) == -1 ? -1 : 0;
}

/*
 * Run sql with the NULL-terminated list of text arguments bound to ?1,
 * ?2, ...  Returns the number of rows changed, or -1.
 */
int
store_exec(struct env *env, const char *sql, ...)
{
	const char	*args[SQLPARAM_MAX];
	va_list		 ap;
	int		 n = 0;

	va_start(ap, sql);
	while (n < SQLPARAM_MAX &&
	    (args[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	return run(env, sql, args, n, NULL, NULL);
}

static int
found(void *arg, int n, const char **vals)
{
	*(int *)arg = 1;
	return 1;
}

/* Does table have a row whose column equals value?  -1 on error. */
int
store_exists(struct env *env, const char *table, const char *column,
    const char *value)
{
	char	 sql[256];
	int	 yes = 0;

	/* table and column are ours, never input. */
	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE %s = ?1 LIMIT 1",
	    table, column);
	if (run(env, sql, &value, 1, found, &yes) == -1)
		return -1;
	return yes;
}

/*
 * Normalise in, an address ("@domain" too when catchall is set), whose
 * domain must be local.  Messages start with cmd.
 */
int
store_local_address(struct env *env, const char *cmd, const char *in,
    int catchall, char *out, size_t len)
{
	const char	*dom;
	int		 r;

	if (arg_address(cmd, in, catchall, out, len) == -1)
		return -1;
	dom = strchr(out, '@') + 1;
	if ((r = store_exists(env, "domains", "name", dom)) == 1)
		return 0;
	if (r == 0)
		errx_msg("%s: %s is not a local domain; add it with "
		    "auth-helper domain add %s; nothing changed", cmd, dom,
		    dom);
	return -1;
}

/* Is login an account?  0 yes; -1 no (said, as cmd's) or error. */
int
store_user(struct env *env, const char *cmd, const char *login)
{
	int	 r;

	if ((r = store_exists(env, "users", "login", login)) == 1)
		return 0;
	if (r == 0)
		errx_msg("%s: no user %s; nothing changed", cmd, login);
	return -1;
}

static int
user_version(struct env *env)
{
	sqlite3_stmt	*st;
	int		 v = -1;

	if (sqlite3_prepare_v2(env->db, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
has_table(struct env *env, const char *name)
{
	int	 yes = 0;

	if (env->conn == NULL)
		return store_exists(env, "sqlite_master", "name", name);
	if (run(env, env->srv->style == SQLPARAM_DOLLAR ?
	    "SELECT 1 FROM information_schema.tables WHERE table_schema = "
	    "current_schema() AND table_name = ?1" :
	    "SELECT 1 FROM information_schema.tables WHERE table_schema = "
	    "database() AND table_name = ?1", &name, 1, found, &yes) == -1)
		return -1;
	return yes;
}

/*
 * Schema version 1 read a senders row "*@domain" as that address, and
 * "@domain" as every address of the domain; version 2 reads them as
 * every address and as those without an owner of their own.  The
 * upgrade removes the first, which would otherwise grant more than the
 * admin asked (nobody sends as "*@domain"), and says what the second
 * covers now.  Returns -1 on error.
 */
static int
upgrade_grants_v1(struct env *env)
{
	sqlite3_stmt	*st;
	const char	*login, *addr;
	int		 rc;

	if (sqlite3_prepare_v2(env->db, "SELECT login, address FROM senders "
	    "WHERE substr(address, 1, 1) = '@' OR substr(address, 1, 2) = "
	    "'*@' ORDER BY login, address", -1, &st, NULL) != SQLITE_OK) {
		errx_msg("%s: %s", env->conf.dbpath, sqlite3_errmsg(env->db));
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		login = (const char *)sqlite3_column_text(st, 0);
		addr = (const char *)sqlite3_column_text(st, 1);
		if (login == NULL || addr == NULL)
			continue;
		if (addr[0] == '*')
			printf("sender %s %s: removed; version 1 read it as "
			    "that address, version 2 would read it as every "
			    "address of %s, other users' included: add it "
			    "again with auth-helper sender add if that is "
			    "meant\n", login, addr, addr + 2);
		else
			printf("sender %s %s: now covers only the addresses "
			    "of %s with no owner of their own, as Postfix "
			    "reads it; for every address, other users' "
			    "included: auth-helper sender add %s '*%s'\n",
			    login, addr, addr + 1, login, addr);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		errx_msg("%s: %s", env->conf.dbpath, sqlite3_errmsg(env->db));
		return -1;
	}
	if (store_exec(env, "DELETE FROM senders WHERE substr(address, 1, 2) "
	    "= '*@'", NULL) == -1)
		return -1;
	return 0;
}

static int
first_value(void *arg, int n, const char **vals)
{
	const char	*errstr;
	int		*v = arg;

	*v = vals[0] == NULL ? 0 :
	    (int)strtonum(vals[0], 0, 1000, &errstr);
	return 1;
}

/*
 * The kit's schema on a server engine: lib/schema_pgsql.sql or
 * lib/schema_mysql.sql, each statement of which may run again, in one
 * transaction (on MariaDB each statement that creates commits by
 * itself: a run cut short is completed by the next).  Its version is
 * the settings row schema_version; a database with a users table and
 * no settings table is another tool's.
 */
static int
server_init(struct env *env)
{
	const char	*script, *p, *e;
	char		 err[512], *stmt;
	int		 v = 0, t;

	script = env->srv->style == SQLPARAM_DOLLAR ? schema_pgsql :
	    schema_mysql;
	if (store_begin(env) == -1)
		return -1;
	if ((t = has_table(env, "settings")) == -1)
		goto fail;
	if (t == 1 && store_rows(env, "SELECT value FROM settings WHERE "
	    "name = 'schema_version'", NULL, 0, first_value, &v) == -1)
		goto fail;
	if (v > SCHEMA_VERSION) {
		errx_msg("%s has schema version %d, newer than this "
		    "auth-helper (%d): upgrade auth-helper", store_name(env),
		    v, SCHEMA_VERSION);
		goto fail;
	}
	if (v == SCHEMA_VERSION) {
		store_rollback(env);
		printf("%s: schema version %d, up to date\n", store_name(env),
		    v);
		return 0;
	}
	if (t == 0 && has_table(env, "users") != 0) {
		errx_msg("%s: the database already has a users table but no "
		    "settings table: not a database auth-helper made; nothing "
		    "changed", store_name(env));
		goto fail;
	}
	for (p = script; *p != '\0'; p = *e == '\0' ? e : e + 3) {
		if ((e = strstr(p, "\n/\n")) == NULL)
			e = p + strlen(p);
		if ((stmt = strndup(p, e - p)) == NULL) {
			errx_msg("out of memory");
			goto fail;
		}
		t = env->srv->command(env->conn, stmt, err, sizeof(err));
		free(stmt);
		if (t != 0) {
			errx_msg("%s: creating the schema: %s",
			    store_name(env), err);
			goto fail;
		}
	}
	if (store_commit(env) == -1)
		return -1;
	printf("%s: schema version %d created\n", store_name(env),
	    SCHEMA_VERSION);
	return 0;
 fail:
	store_rollback(env);
	return -1;
}

/*
 * Create the schema, or bring an older one up to SCHEMA_VERSION, in one
 * transaction: run again, it changes nothing.
 */
int
store_init(struct env *env)
{
	char	 err[512];
	int	 v;

	if (env->conn != NULL)
		return server_init(env);

	if (store_begin(env) == -1)
		return -1;
	if ((v = user_version(env)) == -1) {
		errx_msg("%s: cannot read the schema version: %s",
		    env->conf.dbpath, sqlite3_errmsg(env->db));
		goto fail;
	}
	if (v > SCHEMA_VERSION) {
		errx_msg("%s has schema version %d, newer than this "
		    "auth-helper (%d): upgrade auth-helper", env->conf.dbpath,
		    v, SCHEMA_VERSION);
		goto fail;
	}
	if (v == SCHEMA_VERSION) {
		store_rollback(env);
		printf("%s: schema version %d, up to date\n", env->conf.dbpath,
		    v);
		return 0;
	}
	/* Version 0: empty, or tables of another tool. */
	if (v == 0 && has_table(env, "users") != 0) {
		errx_msg("%s already has a users table but no schema version: "
		    "not a database auth-helper made; nothing changed",
		    env->conf.dbpath);
		goto fail;
	}
	if (v > 0) {
		if (v < 2 && upgrade_grants_v1(env) == -1)
			goto fail;
		if (schema_upgrade(env->db, err, sizeof(err)) == -1) {
			errx_msg("%s: upgrading the schema from version %d: "
			    "%s", env->conf.dbpath, v, err);
			goto fail;
		}
		if (store_commit(env) == -1)
			return -1;
		printf("%s: schema version %d upgraded to %d\n",
		    env->conf.dbpath, v, SCHEMA_VERSION);
		return 0;
	}
	if (sqlite3_exec(env->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
		errx_msg("%s: creating the schema: %s", env->conf.dbpath,
		    sqlite3_errmsg(env->db));
		goto fail;
	}
	if (store_commit(env) == -1)
		return -1;
	printf("%s: schema version %d created\n", env->conf.dbpath,
	    SCHEMA_VERSION);
	return 0;
 fail:
	store_rollback(env);
	return -1;
}
