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
 * The accounts Postfix authenticated through Dovecot: dovecot.conf and
 * the files it includes, in the syntax of Dovecot 2.3 (passdb { driver =
 * ... args = ... }) and 2.4 (passdb NAME { ... }, sql_driver,
 * sqlite_path), and the passdbs they name: passwd-file, and sql with
 * the sqlite driver.  Other passdbs are reported with what to do.
 */

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "compat.h"
#include "addr.h"
#include "conf.h"
#include "migrate.h"

#define MAXINCLUDE	16
#define MAXPASSDB	8

struct passdb {
	char		 name[64];
	struct pairlist	 kv;		/* its settings */
	char		 where[300];	/* file and line, for messages */
};

struct dconf {
	struct pairlist	 global;	/* settings outside sections */
	struct passdb	 p[MAXPASSDB];
	int		 np;
	struct report	*rep;
	int		 depth;
};

/* A value: quotes removed, "<file" replaced by the file's content. */
static char *
value(char *v, const char *dir, struct report *rep)
{
	char	 path[2048], buf[4096];
	FILE	*fp;
	size_t	 n;

	n = strlen(v);
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v[n - 1] = '\0';
		return strdup(v + 1);
	}
	if (v[0] != '<')
		return strdup(v);
	v = conf_trim(v + 1);
	if (v[0] == '/')
		strlcpy(path, mig_path(v, buf, sizeof(buf)), sizeof(path));
	else
		snprintf(path, sizeof(path), "%s/%s", dir, v);
	if ((fp = fopen(path, "r")) == NULL) {
		report_add(rep, R_WARN, "dovecot: cannot read %s: %s", path,
		    strerror(errno));
		return strdup("");
	}
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return strdup(conf_trim(buf));
}

static int parse_file(struct dconf *, const char *, int);

static int
include(struct dconf *d, const char *dir, char *pat, int try)
{
	glob_t	 g;
	char	 path[1024], pbuf[1024];
	size_t	 i;
	int	 rv = 0, r;

	pat = conf_trim(pat);
	if (pat[0] == '/')
		strlcpy(path, mig_path(pat, pbuf, sizeof(pbuf)),
		    sizeof(path));
	else
		snprintf(path, sizeof(path), "%s/%s", dir, pat);
	memset(&g, 0, sizeof(g));
	r = glob(path, 0, NULL, &g);
	if (r == GLOB_NOMATCH && strpbrk(path, "*?[") == NULL && !try) {
		globfree(&g);
		return report_error(d->rep, "dovecot: !include %s: no such "
		    "file", path);
	}
	for (i = 0; r == 0 && i < g.gl_pathc; i++)
		if (parse_file(d, g.gl_pathv[i], try) == -1)
			rv = -1;
	globfree(&g);
	return rv;
}

/*
 * The next line of a Dovecot file, a line ending in a backslash joined
 * to the next one with a space: a string to free, or NULL at the end of
 * the file (a line continued past it is dropped) or out of memory.
 * *lineno counts the lines read.
 */
static char *
logical_line(FILE *fp, int *lineno)
{
	char	*line = NULL, *joined = NULL, *nj;
	size_t	 sz = 0, len;

	while (getline(&line, &sz, fp) != -1) {
		(*lineno)++;
		line[strcspn(line, "\r\n")] = '\0';
		if (joined == NULL)
			nj = strdup(line);
		else if (asprintf(&nj, "%s %s", joined, conf_trim(line)) == -1)
			nj = NULL;
		free(joined);
		if ((joined = nj) == NULL)
			break;
		len = strlen(joined);
		if (len == 0 || joined[len - 1] != '\\') {
			free(line);
			return joined;
		}
		joined[len - 1] = '\0';
	}
	free(line);
	free(joined);
	return NULL;
}

/*
 * 2.4: "mysql HOST { user = ... }", "pgsql HOST { parameters { ... } }":
 * the connection to the database, outside the passdb.
 */
static int
db_section(char sect[][64], int depth)
{
	if (strcmp(sect[0], "mysql") != 0 && strcmp(sect[0], "pgsql") != 0)
		return 0;
	return depth == 1 || (depth == 2 && strcmp(sect[1], "parameters") == 0);
}

/* Its settings as "sql_user", ..., mysql_ or pgsql_ prefix or not. */
static void
db_setting(struct dconf *d, const char *k, const char *v)
{
	char	 name[64];

	if (strncmp(k, "mysql_", 6) == 0 || strncmp(k, "pgsql_", 6) == 0)
		k += 6;
	snprintf(name, sizeof(name), "sql_%s", k);
	pl_add(&d->global, name, v);
}

/* A file of dovecot.conf being read: where it is. */
struct dfile {
	const char	*path;
	char		 dir[1024];	/* for relative includes and < */
	char		 sect[8][64];	/* the sections open, outermost first */
	char		 arg[8][128];	/* their arguments */
	int		 lineno;
	int		 depth;		/* sections open */
	int		 cur;		/* the passdb read, or -1 */
	int		 curdepth;	/* the depth of its settings */
};

/* "}": a section ends, and the passdb read when it was its own. */
static void
close_section(struct dfile *f)
{
	if (f->depth > 0)
		f->depth--;
	if (f->depth < f->curdepth || f->depth == 0)
		f->cur = -1, f->curdepth = -1;
}

/*
 * "name [arg] {": a section begins (s, without the newline): a passdb,
 * or in 2.4 "sqlite /path {" and the like for its driver.  -1 when
 * there are too many passdbs (said).
 */
static int
open_section(struct dconf *d, struct dfile *f, char *s)
{
	char	*t;

	s[strlen(s) - 1] = '\0';
	s = conf_trim(s);
	t = s + strcspn(s, " \t");
	if (*t != '\0')
		*t++ = '\0';
	t = conf_trim(t);
	if (f->depth < 8) {
		strlcpy(f->sect[f->depth], s, sizeof(f->sect[0]));
		strlcpy(f->arg[f->depth], t, sizeof(f->arg[0]));
	}
	if (strcmp(s, "passdb") == 0 && f->cur == -1) {
		if (d->np == MAXPASSDB)
			return report_error(d->rep, "dovecot: more than %d "
			    "passdbs", MAXPASSDB);
		f->cur = d->np++;
		f->curdepth = f->depth + 1;
		strlcpy(d->p[f->cur].name, t, sizeof(d->p[f->cur].name));
		snprintf(d->p[f->cur].where, sizeof(d->p[f->cur].where),
		    "%s, line %d", f->path, f->lineno);
	} else if (f->depth == 0 && (strcmp(s, "sqlite") == 0 ||
	    strcmp(s, "mysql") == 0 || strcmp(s, "pgsql") == 0)) {
		/* 2.4: "sqlite /path {": the driver. */
		pl_add(&d->global, "sql_driver", s);
		if (strcmp(s, "sqlite") == 0)
			pl_add(&d->global, "sqlite_path", t);
		else
			pl_add(&d->global, "sql_host", t);
	}
	f->depth++;
	return 0;
}

/*
 * "key = value": a setting of the passdb read, of the file's top, or
 * of a 2.4 database section.  -1 when its value cannot be read.
 */
static int
file_setting(struct dconf *d, struct dfile *f, char *s)
{
	char	*eq, *v;

	if ((eq = strchr(s, '=')) == NULL) {
		report_add(d->rep, R_WARN, "dovecot: %s, line %d: \"%.40s\" "
		    "is not a setting; ignored", f->path, f->lineno, s);
		return 0;
	}
	*eq = '\0';
	if ((v = value(conf_trim(eq + 1), f->dir, d->rep)) == NULL)
		return -1;
	if (f->cur != -1 && f->depth == f->curdepth)
		pl_add(&d->p[f->cur].kv, conf_trim(s), v);
	else if (f->depth == 0)
		pl_add(&d->global, conf_trim(s), v);
	else if (db_section(f->sect, f->depth))
		db_setting(d, conf_trim(s), v);
	free(v);
	return 0;
}

/* A file of dovecot.conf (try: it may not exist), into d. */
static int
parse_file(struct dconf *d, const char *path, int try)
{
	struct dfile	 f;
	FILE		*fp;
	char		*joined = NULL, *s, dirbuf[1024];
	size_t		 len;
	int		 rv = 0;

	if (d->depth >= MAXINCLUDE)
		return report_error(d->rep, "dovecot: %s: includes nested "
		    "deeper than %d", path, MAXINCLUDE);
	if ((fp = fopen(path, "r")) == NULL) {
		if (try)
			return 0;
		return report_error(d->rep, "dovecot: cannot read %s: %s",
		    path, strerror(errno));
	}
	memset(&f, 0, sizeof(f));
	f.path = path;
	f.cur = f.curdepth = -1;
	d->depth++;
	strlcpy(dirbuf, path, sizeof(dirbuf));
	strlcpy(f.dir, dirname(dirbuf), sizeof(f.dir));
	while ((joined = logical_line(fp, &f.lineno)) != NULL) {
		s = conf_trim(joined);
		len = strlen(s);
		if (*s == '\0' || *s == '#')
			;
		else if (strncmp(s, "!include_try", 12) == 0) {
			if (include(d, f.dir, s + 12, 1) == -1)
				rv = -1;
		} else if (strncmp(s, "!include", 8) == 0) {
			if (include(d, f.dir, s + 8, 0) == -1)
				rv = -1;
		} else if (*s == '}')
			close_section(&f);
		else if (s[len - 1] == '{' && strchr(s, '=') == NULL) {
			if (open_section(d, &f, s) == -1)
				rv = -1;
		} else if (file_setting(d, &f, s) == -1)
			break;
		free(joined);
		joined = NULL;
	}
	free(joined);
	fclose(fp);
	d->depth--;
	return rv;
}

/* s, or "" for NULL. */
static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

/* A setting of the passdb, or the global one of that name. */
static const char *
setting(struct dconf *d, struct passdb *p, const char *k)
{
	const char	*v;

	if (p != NULL && (v = pl_get(&p->kv, k)) != NULL)
		return v;
	return pl_get(&d->global, k);
}

/*
 * The hash as the database keeps it: with its "{SCHEME}", or the
 * default scheme of the passdb put in front of a bare one.
 */
static char *
stored_hash(const char *pw, const char *scheme)
{
	char	*r;
	size_t	 i;

	if (pw[0] == '{' || scheme == NULL || strcasecmp(scheme, "CRYPT") == 0)
		return strdup(pw);
	if (asprintf(&r, "{%s}%s", scheme, pw) == -1)
		return NULL;
	for (i = 1; r[i] != '}'; i++)
		r[i] = toupper((unsigned char)r[i]);
	return r;
}

int
accounts_add(struct accounts *a, const char *login, const char *hash,
    int active)
{
	struct account	*nv;

	if ((nv = grow_array(a->v, &a->cap, a->n, sizeof(*nv))) == NULL)
		return -1;
	a->v = nv;
	a->v[a->n].login = strdup(login);
	a->v[a->n].hash = strdup(hash);
	a->v[a->n].active = active;
	if (a->v[a->n].login == NULL || a->v[a->n].hash == NULL)
		return -1;
	addr_lower(a->v[a->n].login);
	a->n++;
	return 0;
}

void
accounts_free(struct accounts *a)
{
	size_t	 i;

	for (i = 0; i < a->n; i++) {
		free(a->v[i].login);
		if (a->v[i].hash != NULL)
			explicit_bzero(a->v[i].hash, strlen(a->v[i].hash));
		free(a->v[i].hash);
	}
	free(a->v);
	memset(a, 0, sizeof(*a));
}

static int
passwd_file(struct dconf *d, struct passdb *p, struct accounts *out)
{
	char		 pbuf[2048];
	struct strlist	 opts;
	const char	*path, *scheme, *args;
	char		*line = NULL, *f[2], *h;
	size_t		 sz = 0, i;
	ssize_t		 len;
	FILE		*fp;
	int		 lineno = 0, n = 0;

	memset(&opts, 0, sizeof(opts));
	scheme = setting(d, p, "default_password_scheme");
	if (scheme == NULL)
		scheme = setting(d, p, "passdb_default_password_scheme");
	path = setting(d, p, "passwd_file_path");
	if ((args = pl_get(&p->kv, "args")) != NULL) {
		/* 2.3: args = [scheme=X] [username_format=Y] path */
		if (split_list(args, &opts) == -1)
			return report_error(d->rep, "out of memory");
		for (i = 0; i < opts.n; i++) {
			if (strncmp(opts.v[i], "scheme=", 7) == 0)
				scheme = opts.v[i] + 7;
			else if (strncmp(opts.v[i], "username_format=", 16) ==
			    0 && strcmp(opts.v[i] + 16, "%u") != 0 &&
			    strcmp(opts.v[i] + 16, "%Lu") != 0)
				report_add(d->rep, R_TODO, "dovecot passdb "
				    "passwd-file: %s: logins are looked up "
				    "by another name than the one typed; the "
				    "accounts are imported by their names in "
				    "the file", opts.v[i]);
			else if (strchr(opts.v[i], '=') == NULL)
				path = opts.v[i];
		}
	}
	if (scheme == NULL)
		scheme = "CRYPT";
	if (path == NULL) {
		sl_free(&opts);
		return report_error(d->rep, "dovecot passdb passwd-file "
		    "(%s) names no file", p->where);
	}
	if ((fp = fopen(mig_path(path, pbuf, sizeof(pbuf)), "r")) == NULL) {
		report_error(d->rep, "dovecot passdb passwd-file (%s): cannot "
		    "read %s: %s", p->where, path, strerror(errno));
		sl_free(&opts);
		return -1;
	}
	while ((len = getline(&line, &sz, fp)) != -1) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		f[0] = line;
		if ((f[1] = strchr(line, ':')) == NULL) {
			report_add(d->rep, R_WARN, "%s, line %d: no ':' after "
			    "the user name; ignored", path, lineno);
			continue;
		}
		*f[1]++ = '\0';
		f[1][strcspn(f[1], ":")] = '\0';
		if ((h = stored_hash(f[1], scheme)) == NULL ||
		    accounts_add(out, f[0], h, 1) == -1) {
			free(h);
			fclose(fp);
			free(line);
			sl_free(&opts);
			return report_error(d->rep, "out of memory");
		}
		explicit_bzero(h, strlen(h));
		free(h);
		n++;
	}
	if (line != NULL)
		explicit_bzero(line, sz);
	free(line);
	fclose(fp);
	report_add(d->rep, R_SETTING, "dovecot passdb passwd-file %s (%s): "
	    "%d accounts, default scheme %s", path, p->where, n, scheme);
	sl_free(&opts);
	return 0;
}

/* 2.3 keeps the sql settings in the file named by args. */
static int
sql_ext(struct dconf *d, struct passdb *p)
{
	char		 pbuf[2048];
	const char	*args = pl_get(&p->kv, "args");
	char		*joined, *eq, *v;
	FILE		*fp;
	int		 lineno = 0;

	if (args == NULL)
		return 0;
	if ((fp = fopen(mig_path(args, pbuf, sizeof(pbuf)), "r")) == NULL)
		return report_error(d->rep, "dovecot passdb sql (%s): cannot "
		    "read %s: %s", p->where, args, strerror(errno));
	while ((joined = logical_line(fp, &lineno)) != NULL) {
		v = conf_trim(joined);
		if (*v != '#' && (eq = strchr(v, '=')) != NULL) {
			*eq = '\0';
			v = conf_trim(v);
			/* Its "driver" is the sql driver, not the passdb's. */
			pl_add(&p->kv, strcmp(v, "driver") == 0 ?
			    "sql_driver" : v, conf_trim(eq + 1));
		}
		free(joined);
	}
	fclose(fp);
	return 0;
}

/* The settings of a passdb sql, wherever its version keeps them. */
struct sqlset {
	const char	*driver;
	const char	*query;		/* the password query */
	const char	*scheme;	/* the default password scheme */
	const char	*dbpath;	/* connect, sqlite_path */
};

static void
sql_settings(struct dconf *d, struct passdb *p, struct sqlset *s)
{
	s->driver = setting(d, p, "sql_driver");
	s->query = setting(d, p, "password_query");
	if (s->query == NULL)
		s->query = pl_get(&p->kv, "query");
	if (s->query == NULL)
		s->query = setting(d, p, "passdb_sql_query");
	s->scheme = setting(d, p, "default_pass_scheme");
	if (s->scheme == NULL)
		s->scheme = setting(d, p, "default_password_scheme");
	if (s->scheme == NULL)
		s->scheme = setting(d, p, "passdb_default_password_scheme");
	if (s->scheme == NULL)
		s->scheme = "MD5";
	s->dbpath = setting(d, p, "connect");
	if (s->dbpath == NULL)
		s->dbpath = setting(d, p, "sqlite_path");
}

/* A passdb on MySQL or PostgreSQL: the command that exports it. */
static int
sql_export(struct dconf *d, struct passdb *p, const struct sqlset *s,
    struct accounts *out)
{
	struct xsrc	 x;
	char		*what, *conn = NULL;

	/* 2.4: the settings of its "mysql HOST {" section. */
	if (s->dbpath == NULL && asprintf(&conn, "host=%s port=%s "
	    "dbname=%s user=%s", nz(setting(d, p, "sql_host")),
	    nz(setting(d, p, "sql_port")),
	    nz(setting(d, p, "sql_dbname")),
	    nz(setting(d, p, "sql_user"))) == -1)
		return report_error(d->rep, "out of memory");
	memset(&x, 0, sizeof(x));
	x.type = s->driver;
	x.query = s->query;
	x.ph = ph_dovecot;
	x.connect = s->dbpath != NULL ? s->dbpath : conn;
	x.scheme = s->scheme;
	if (asprintf(&what, "dovecot passdb sql (%s)", p->where) == -1) {
		free(conn);
		return report_error(d->rep, "out of memory");
	}
	export_command(d->rep, what, &x, X_USERS, &out->exported);
	free(what);
	free(conn);
	return 0;
}

/*
 * The accounts the password query st lists, by its columns user (or
 * its first) and password.  Returns their number, or -1.
 */
static int
sql_rows(struct dconf *d, struct passdb *p, const struct sqlset *s,
    sqlite3 *db, sqlite3_stmt *st, struct accounts *out)
{
	const char	*name, *pw, *user;
	char		*h;
	int		 i, n = 0, pwcol = -1, usercol = -1, rc;

	for (i = 1; i < sqlite3_column_count(st); i++) {
		name = sqlite3_column_name(st, i);
		if (strcasecmp(name, "password") == 0)
			pwcol = i;
		else if (strcasecmp(name, "user") == 0)
			usercol = i;
	}
	if (pwcol == -1)
		return report_error(d->rep, "dovecot passdb sql (%s): the "
		    "password query returns no column named password",
		    p->where);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		user = (const char *)sqlite3_column_text(st,
		    usercol != -1 ? usercol : 0);
		pw = (const char *)sqlite3_column_text(st, pwcol);
		if (user == NULL || *user == '\0')
			continue;
		if ((h = stored_hash(pw != NULL ? pw : "", s->scheme)) ==
		    NULL || accounts_add(out, user, pw == NULL ||
		    *pw == '\0' ? "" : h, 1) == -1) {
			free(h);
			return report_error(d->rep, "out of memory");
		}
		explicit_bzero(h, strlen(h));
		free(h);
		n++;
	}
	if (rc != SQLITE_DONE)
		return report_error(d->rep, "dovecot passdb sql (%s): reading "
		    "%s: %s", p->where, s->dbpath, sqlite3_errmsg(db));
	return n;
}

/* A passdb sql: its accounts read, or the command that exports them. */
static int
sql_passdb(struct dconf *d, struct passdb *p, struct accounts *out)
{
	struct sqlset	 s;
	char		 pbuf[2048];
	const char	*why;
	char		*enumq = NULL;
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	int		 n, rv = -1;

	if (sql_ext(d, p) == -1)
		return -1;
	sql_settings(d, p, &s);
	if (s.driver == NULL || s.query == NULL)
		return report_error(d->rep, "dovecot passdb sql (%s): no "
		    "%s: the passdb points to nothing", p->where,
		    s.driver == NULL ? "sql driver" : "password query");
	if (strcmp(s.driver, "mysql") == 0 || strcmp(s.driver, "pgsql") == 0)
		return sql_export(d, p, &s, out);
	if (strcmp(s.driver, "sqlite") != 0)
		return report_error(d->rep, "dovecot passdb sql (%s): driver "
		    "%s is not sqlite, mysql or pgsql", p->where, s.driver);
	if (s.dbpath == NULL)
		return report_error(d->rep, "dovecot passdb sql (%s): no "
		    "database (connect, sqlite_path): the passdb points to "
		    "nothing", p->where);
	if (sql_enumerate(s.query, ph_dovecot, &enumq, &why) == -1)
		return report_error(d->rep, "dovecot passdb sql (%s): the "
		    "password query cannot be translated (%s): %s; export "
		    "the accounts and load them with auth-helper import",
		    p->where, why, s.query);
	if (sqlite3_open_v2(mig_path(s.dbpath, pbuf, sizeof(pbuf)), &db,
	    SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		report_error(d->rep, "dovecot passdb sql (%s): cannot open "
		    "%s: %s: the passdb points to nothing", p->where, s.dbpath,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory");
		goto done;
	}
	if (sqlite3_prepare_v2(db, enumq, -1, &st, NULL) != SQLITE_OK) {
		report_error(d->rep, "dovecot passdb sql (%s): the password "
		    "query does not run on %s: %s", p->where, s.dbpath,
		    sqlite3_errmsg(db));
		goto done;
	}
	if ((n = sql_rows(d, p, &s, db, st, out)) == -1)
		goto done;
	report_add(d->rep, R_SETTING, "dovecot passdb sql (%s): sqlite %s, "
	    "%d accounts, default scheme %s", p->where, s.dbpath, n,
	    s.scheme);
	rv = 0;
 done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(enumq);
	return rv;
}

/*
 * Read the accounts of every passdb of dovecot.conf in dir into out.
 * Returns -1 when the configuration or a passdb cannot be read.
 */
int
dovecot_accounts(const char *dir, struct accounts *out, struct report *rep)
{
	struct dconf	 d;
	char		 path[1024];
	const char	*driver;
	int		 i, rv = 0, used = 0;

	memset(&d, 0, sizeof(d));
	d.rep = rep;
	snprintf(path, sizeof(path), "%s/dovecot.conf", dir);
	if (parse_file(&d, path, 0) == -1) {
		rv = -1;
		goto done;
	}
	for (i = 0; i < d.np; i++) {
		driver = pl_get(&d.p[i].kv, "driver");
		if (driver == NULL)
			driver = d.p[i].name;
		if (driver[0] == '\0')
			driver = "(none)";
		if (pl_get(&d.p[i].kv, "master") != NULL &&
		    strcasecmp(pl_get(&d.p[i].kv, "master"), "yes") == 0) {
			report_add(rep, R_TODO, "dovecot master passdb %s "
			    "(%s): master logins are not carried over",
			    driver, d.p[i].where);
			continue;
		}
		if (strcmp(driver, "passwd-file") == 0) {
			if (passwd_file(&d, &d.p[i], out) == -1)
				rv = -1;
			used++;
		} else if (strcmp(driver, "sql") == 0 ||
		    strcmp(driver, "sqlite") == 0) {
			if (sql_passdb(&d, &d.p[i], out) == -1)
				rv = -1;
			used++;
		} else if (strcmp(driver, "pam") == 0 ||
		    strcmp(driver, "shadow") == 0 ||
		    strcmp(driver, "passwd") == 0 ||
		    strcmp(driver, "bsdauth") == 0)
			report_add(rep, R_TODO, "dovecot passdb %s (%s): system "
			    "accounts cannot be moved (their passwords are "
			    "the system's): create each mail account with "
			    "auth-helper user add", driver, d.p[i].where);
		else
			report_add(rep, R_TODO, "dovecot passdb %s (%s): not "
			    "read by the migration: export its accounts as "
			    "CSV and load them with auth-helper import -u",
			    driver, d.p[i].where);
	}
	if (rv == 0 && used == 0 && d.np == 0)
		rv = report_error(rep, "dovecot: %s has no passdb: the "
		    "accounts Postfix authenticated cannot be found", path);
 done:
	for (i = 0; i < d.np; i++)
		pl_free(&d.p[i].kv);
	pl_free(&d.global);
	return rv;
}
