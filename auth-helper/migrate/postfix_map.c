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
 * Postfix lookup tables, read whole into key/value rows: the source
 * text of hash:, btree:, lmdb:, cdb:, dbm: and texthash: tables as
 * postmap(1) reads it, inline:{...}, static:, and sqlite: tables, whose
 * query is turned into one that lists every key (postfix_sql.c).  mysql: and
 * pgsql: tables are read for their query only; the report says how to
 * export their rows.  Keys are folded to lower case, as Postfix does.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "compat.h"
#include "addr.h"
#include "conf.h"
#include "migrate.h"

/* Add key -> value; a key seen before gets the value appended. */
static int
row_add(struct postfix_map *m, const char *key, const char *value)
{
	char	*k, *nv;
	size_t	 i;
	int	 rv;

	if ((k = strdup(key)) == NULL)
		return -1;
	addr_lower(k);
	for (i = 0; i < m->rows.n; i++) {
		if (strcmp(m->rows.v[i].a, k) != 0)
			continue;
		free(k);
		if (asprintf(&nv, "%s,%s", m->rows.v[i].b, value) == -1)
			return -1;
		free(m->rows.v[i].b);
		m->rows.v[i].b = nv;
		return 0;
	}
	rv = pl_add(&m->rows, k, value);
	free(k);
	return rv;
}

/* The logical lines of a file, as in main.cf. */
static int
file_lines(const char *path, struct report *rep, struct strlist *out)
{
	FILE	*fp;
	char	*line = NULL, *p, *j, buf[2048];
	size_t	 sz = 0;
	ssize_t	 len;
	int	 lineno = 0;

	if ((fp = fopen(mig_path(path, buf, sizeof(buf)), "r")) == NULL)
		return -1;
	while ((len = getline(&line, &sz, fp)) != -1) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		for (p = line; isspace((unsigned char)*p); p++)
			;
		if (*p == '\0' || *p == '#')
			continue;
		if (p != line) {
			if (out->n == 0) {
				report_add(rep, R_WARN, "%s, line %d: logical "
				    "line must not start with white space; "
				    "ignored, as postmap does", path, lineno);
				continue;
			}
			if (asprintf(&j, "%s %s", out->v[out->n - 1], p) ==
			    -1)
				goto fail;
			free(out->v[out->n - 1]);
			out->v[out->n - 1] = j;
			continue;
		}
		if (sl_add(out, p) == -1)
			goto fail;
	}
	free(line);
	if (ferror(fp)) {
		fclose(fp);
		return -1;
	}
	fclose(fp);
	return 0;
 fail:
	free(line);
	fclose(fp);
	errno = ENOMEM;
	return -1;
}

/* A table's source text: "key value" lines. */
static int
read_source(struct postfix_map *m, const char *param, struct report *rep)
{
	struct strlist	 lines;
	char		*k, *v;
	size_t		 i;

	memset(&lines, 0, sizeof(lines));
	if (file_lines(m->name, rep, &lines) == -1) {
		sl_free(&lines);
		return report_error(rep, "%s (%s): cannot read the source "
		    "file %s: %s; postmap builds the table from it, and the "
		    "migration reads it the same way", param, m->spec,
		    m->name, strerror(errno));
	}
	for (i = 0; i < lines.n; i++) {
		k = lines.v[i];
		v = k + strcspn(k, " \t");
		if (*v != '\0')
			*v++ = '\0';
		v = conf_trim(v);
		if (row_add(m, k, v) == -1) {
			sl_free(&lines);
			return report_error(rep, "out of memory");
		}
	}
	sl_free(&lines);
	m->kind = MAP_ROWS;
	return 0;
}

/* inline:{ key=value, { key = value } } */
static int
read_inline(struct postfix_map *m, const char *param, struct report *rep)
{
	struct strlist	 items;
	char		*body, *eq, *it;
	size_t		 i, n;

	memset(&items, 0, sizeof(items));
	n = strlen(m->name);
	if (n < 2 || m->name[0] != '{' || m->name[n - 1] != '}')
		return report_error(rep, "%s: %s: inline: needs "
		    "{ key=value, ... }", param, m->spec);
	if ((body = strndup(m->name + 1, n - 2)) == NULL ||
	    split_list(body, &items) == -1) {
		free(body);
		return report_error(rep, "out of memory");
	}
	free(body);
	for (i = 0; i < items.n; i++) {
		it = items.v[i];
		n = strlen(it);
		if (n >= 2 && it[0] == '{' && it[n - 1] == '}') {
			it[n - 1] = '\0';
			it++;
		}
		if ((eq = strchr(it, '=')) == NULL) {
			report_add(rep, R_WARN, "%s: %s: \"%s\" has no '='; "
			    "ignored", param, m->spec, it);
			continue;
		}
		*eq = '\0';
		if (row_add(m, conf_trim(it), conf_trim(eq + 1)) == -1) {
			sl_free(&items);
			return report_error(rep, "out of memory");
		}
	}
	sl_free(&items);
	m->kind = MAP_ROWS;
	return 0;
}

/* The "name = value" settings of a sqlite/mysql/pgsql .cf file. */
static int
read_cf(struct postfix_map *m, const char *param, struct report *rep,
    struct pairlist *kv)
{
	struct strlist	 lines;
	char		*eq;
	size_t		 i;

	memset(&lines, 0, sizeof(lines));
	if (file_lines(m->name, rep, &lines) == -1) {
		sl_free(&lines);
		return report_error(rep, "%s (%s): cannot read %s: %s",
		    param, m->spec, m->name, strerror(errno));
	}
	for (i = 0; i < lines.n; i++) {
		if ((eq = strchr(lines.v[i], '=')) == NULL) {
			report_add(rep, R_WARN, "%s: \"%.40s\" has no '='; "
			    "ignored", m->name, lines.v[i]);
			continue;
		}
		*eq = '\0';
		if (pl_add(kv, conf_trim(lines.v[i]),
		    conf_trim(eq + 1)) == -1) {
			sl_free(&lines);
			return report_error(rep, "out of memory");
		}
	}
	sl_free(&lines);
	return 0;
}

/* The query of a .cf file: query, or the older table/select_field form. */
static char *
cf_query(struct pairlist *kv)
{
	const char	*q, *t, *sel, *wh, *more;
	char		*r;

	if ((q = pl_get(kv, "query")) != NULL)
		return strdup(q);
	t = pl_get(kv, "table");
	sel = pl_get(kv, "select_field");
	wh = pl_get(kv, "where_field");
	more = pl_get(kv, "additional_conditions");
	if (t == NULL || sel == NULL || wh == NULL)
		return NULL;
	if (asprintf(&r, "SELECT %s FROM %s WHERE %s = '%%s' %s", sel, t, wh,
	    more != NULL ? more : "") == -1)
		return NULL;
	return r;
}

/* result_format: %s the value, %u/%d its parts, %% a %. */
static int
format(const char *fmt, const char *v, char *out, size_t len)
{
	const char	*p, *at = strrchr(v, '@');
	size_t		 o = 0;

	for (p = fmt; *p != '\0' && o + 1 < len; p++) {
		if (*p != '%' || p[1] == '\0') {
			out[o++] = *p;
			continue;
		}
		p++;
		switch (*p) {
		case 's':
			o += strlcpy(out + o, v, len - o);
			break;
		case 'u':
			o += snprintf(out + o, len - o, "%.*s",
			    at != NULL ? (int)(at - v) : (int)strlen(v), v);
			break;
		case 'd':
			o += strlcpy(out + o, at != NULL ? at + 1 : "",
			    len - o);
			break;
		default:
			out[o++] = *p;
		}
		if (o >= len)
			return -1;
	}
	out[o < len ? o : len - 1] = '\0';
	return o < len ? 0 : -1;
}

static int
read_sqlite(struct postfix_map *m, const char *param, struct report *rep)
{
	char		 pbuf[2048];
	struct pairlist	 kv;
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	const char	*why, *fmt, *k, *v, *adq;
	char		*enumq = NULL, val[4096];
	int		 rc, rv = -1;

	memset(&kv, 0, sizeof(kv));
	if (read_cf(m, param, rep, &kv) == -1)
		return -1;
	if (pl_get(&kv, "dbpath") == NULL) {
		report_error(rep, "%s: %s names no dbpath", param, m->name);
		goto done;
	}
	m->dbpath = strdup(pl_get(&kv, "dbpath"));
	if ((m->query = cf_query(&kv)) == NULL) {
		report_error(rep, "%s: %s has no query (nor table, "
		    "select_field and where_field)", param, m->name);
		goto done;
	}
	if (pl_get(&kv, "domain") != NULL)
		report_add(rep, R_SETTING, "%s: domain = %s in %s: the rows "
		    "are imported for every domain", param,
		    pl_get(&kv, "domain"), m->name);
	if ((adq = sql_alias_domains(m->query, 0)) != NULL) {
		if ((enumq = strdup(adq)) == NULL) {
			report_error(rep, "out of memory");
			goto done;
		}
		report_add(rep, R_SETTING, "%s: %s looks addresses up in "
		    "PostfixAdmin's alias domains: read as their pairs, "
		    "\"@alias-domain @target-domain\"", param, m->name);
	} else if (sql_enumerate(m->query, ph_postfix, &enumq, &why) == -1) {
		report_error(rep, "%s: the query of %s cannot be translated "
		    "(%s): %s; write the rows with auth-helper import", param,
		    m->name, why, m->query);
		goto done;
	}
	if (sqlite3_open_v2(mig_path(m->dbpath, pbuf, sizeof(pbuf)), &db,
	    SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		report_error(rep, "%s: cannot open the database %s of %s: %s",
		    param, m->dbpath, m->name,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory");
		goto done;
	}
	if (sqlite3_prepare_v2(db, enumq, -1, &st, NULL) != SQLITE_OK) {
		report_error(rep, "%s: the query of %s does not run on %s: "
		    "%s", param, m->name, m->dbpath, sqlite3_errmsg(db));
		goto done;
	}
	fmt = pl_get(&kv, "result_format");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		k = (const char *)sqlite3_column_text(st, 0);
		v = (const char *)sqlite3_column_text(st, 1);
		if (k == NULL || v == NULL || *k == '\0')
			continue;
		if (fmt != NULL && format(fmt, v, val, sizeof(val)) == -1)
			continue;
		if (row_add(m, k, fmt != NULL ? val : v) == -1) {
			report_error(rep, "out of memory");
			goto done;
		}
	}
	if (rc != SQLITE_DONE) {
		report_error(rep, "%s: reading %s: %s", param, m->dbpath,
		    sqlite3_errmsg(db));
		goto done;
	}
	/*
	 * A query made to list every key that lists none: either the
	 * table is empty, or the translation lost what Postfix found.
	 */
	if (m->rows.n == 0)
		report_add(rep, R_WARN, "%s: %s: the query made to list every "
		    "key returned no row (%s): if Postfix found rows with its "
		    "query (%s), add them by hand (auth-helper alias add, "
		    "user add, sender add)", param, m->name, enumq, m->query);
	m->kind = MAP_ROWS;
	rv = 0;
 done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(enumq);
	pl_free(&kv);
	return rv;
}

static int
read_external(struct postfix_map *m, const char *param, struct report *rep)
{
	struct pairlist	 kv;
	const char	*v;

	memset(&kv, 0, sizeof(kv));
	if (read_cf(m, param, rep, &kv) == -1)
		return -1;
	m->query = cf_query(&kv);
	if ((v = pl_get(&kv, "dbname")) != NULL)
		m->dbname = strdup(v);
	if ((v = pl_get(&kv, "hosts")) != NULL)
		m->hosts = strdup(v);
	if ((v = pl_get(&kv, "user")) != NULL)
		m->user = strdup(v);
	/* Kept for -p only, which writes it into sqlite.conf. */
	if ((v = pl_get(&kv, "password")) != NULL) {
		m->password = strdup(v);
		explicit_bzero((char *)v, strlen(v));
	}
	pl_free(&kv);
	if (m->query == NULL)
		return report_error(rep, "%s: %s has no query", param,
		    m->name);
	m->kind = MAP_EXTERNAL;
	return 0;
}

static int
load_one(struct postfix_conf *c, const char *param, const char *spec,
    struct postfix_map *m, int domains)
{
	const char	*colon, *s = spec;
	struct report	*rep = c->rep;

	memset(m, 0, sizeof(*m));
	if ((m->spec = strdup(spec)) == NULL)
		return report_error(rep, "out of memory");
	if (domains && strchr(spec, ':') == NULL) {
		/* A domain list: a name, or a /file of names. */
		m->type = strdup(spec[0] == '/' ? "file" : "name");
		m->name = strdup(spec);
		if (m->type == NULL || m->name == NULL)
			return report_error(rep, "out of memory");
		if (spec[0] == '/')
			return read_source(m, param, rep);
		m->kind = MAP_ROWS;
		return row_add(m, spec, spec) == -1 ?
		    report_error(rep, "out of memory") : 0;
	}
	while (strncmp(s, "proxy:", 6) == 0)
		s += 6;
	if ((colon = strchr(s, ':')) == NULL || colon == s) {
		/* "name" alone: the default database type, hash. */
		m->type = strdup("hash");
		m->name = strdup(s);
	} else {
		m->type = strndup(s, colon - s);
		m->name = strdup(colon + 1);
	}
	if (m->type == NULL || m->name == NULL)
		return report_error(rep, "out of memory");
	m->kind = MAP_UNUSABLE;
	if (strcmp(m->type, "hash") == 0 || strcmp(m->type, "btree") == 0 ||
	    strcmp(m->type, "lmdb") == 0 || strcmp(m->type, "cdb") == 0 ||
	    strcmp(m->type, "dbm") == 0 || strcmp(m->type, "sdbm") == 0 ||
	    strcmp(m->type, "texthash") == 0)
		return read_source(m, param, rep);
	if (strcmp(m->type, "inline") == 0)
		return read_inline(m, param, rep);
	if (strcmp(m->type, "static") == 0) {
		const char	*v = m->name;
		size_t		 n = strlen(v);

		if (n >= 2 && v[0] == '{' && v[n - 1] == '}')
			m->static_value = strndup(v + 1, n - 2);
		else
			m->static_value = strdup(v);
		if (m->static_value == NULL)
			return report_error(rep, "out of memory");
		m->kind = MAP_ROWS;
		return 0;
	}
	if (strcmp(m->type, "sqlite") == 0)
		return read_sqlite(m, param, rep);
	if (strcmp(m->type, "mysql") == 0 || strcmp(m->type, "pgsql") == 0)
		return read_external(m, param, rep);
	if (strcmp(m->type, "regexp") == 0 || strcmp(m->type, "pcre") == 0)
		report_add(rep, R_TODO, "%s = %s: pattern tables cannot be "
		    "turned into rows; write the addresses they match with "
		    "auth-helper", param, spec);
	else
		report_add(rep, R_TODO, "%s = %s: %s: tables cannot be read "
		    "by the migration; export their rows as CSV and load them "
		    "with auth-helper import", param, spec, m->type);
	return 0;
}

/*
 * The tables named by parameter param as service sv sees it; with
 * domains set, a domain list, whose names and /files are no tables.
 * Returns -1 when one cannot be read (the report says why).
 */
int
postfix_maps_load(struct postfix_conf *c, const struct postfix_service *sv,
    const char *param, struct postfix_maps *maps, int domains)
{
	struct strlist		 specs;
	struct postfix_map	*nv;
	char			*v;
	size_t			 i;
	int			 rv = 0;

	memset(maps, 0, sizeof(*maps));
	memset(&specs, 0, sizeof(specs));
	if ((v = postfix_get(c, sv, param)) == NULL)
		return -1;
	if (split_list(v, &specs) == -1) {
		free(v);
		return report_error(c->rep, "out of memory");
	}
	free(v);
	for (i = 0; i < specs.n; i++) {
		nv = reallocarray(maps->v, maps->n + 1, sizeof(*nv));
		if (nv == NULL) {
			rv = report_error(c->rep, "out of memory");
			break;
		}
		maps->v = nv;
		if (load_one(c, param, specs.v[i], &maps->v[maps->n++],
		    domains) == -1)
			rv = -1;
	}
	sl_free(&specs);
	return rv;
}

void
postfix_maps_free(struct postfix_maps *maps)
{
	struct postfix_map	*m;
	size_t			 i;

	for (i = 0; i < maps->n; i++) {
		m = &maps->v[i];
		free(m->spec);
		free(m->type);
		free(m->name);
		pl_free(&m->rows);
		free(m->dbpath);
		free(m->query);
		free(m->dbname);
		free(m->hosts);
		free(m->user);
		if (m->password != NULL) {
			explicit_bzero(m->password, strlen(m->password));
			free(m->password);
		}
		free(m->static_value);
	}
	free(maps->v);
	memset(maps, 0, sizeof(*maps));
}

/* The value of key in the first table that has it, as Postfix asks. */
const char *
postfix_maps_get(const struct postfix_maps *maps, const char *key)
{
	const char	*v;
	size_t		 i;

	for (i = 0; i < maps->n; i++) {
		if (maps->v[i].static_value != NULL)
			return maps->v[i].static_value;
		if ((v = pl_get(&maps->v[i].rows, key)) != NULL)
			return v;
	}
	return NULL;
}
