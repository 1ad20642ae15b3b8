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

/* lib/sqlparam.c: a query's placeholders written for each engine. */

#include <string.h>

#include "sqlparam.h"
#include "unit.h"

static struct sqlparam	 p;
static char		 err[256];

/* Rewrite sql for style: the query, or NULL when refused. */
static const char *
rw(const char *sql, int style)
{
	sqlparam_free(&p);
	err[0] = '\0';
	if (sqlparam_rewrite(sql, style, &p, err, sizeof(err)) == -1)
		return NULL;
	return p.sql;
}

static int
is(const char *got, const char *want)
{
	return got != NULL && strcmp(got, want) == 0;
}

/*
 * Queries as written, for style, and as rewritten with nparam values;
 * nparam -1: not checked.
 */
static const struct {
	const char	*sql;
	int		 style;
	const char	*want;
	int		 nparam;
	const char	*name;
} rewrites[] = {
	{ "SELECT a FROM t WHERE k = ?", SQLPARAM_DOLLAR,
	    "SELECT a FROM t WHERE k = $1", 1, "PostgreSQL: ? is $1" },
	{ "SELECT a FROM t WHERE k = ?1 OR j = ?1", SQLPARAM_DOLLAR,
	    "SELECT a FROM t WHERE k = $1 OR j = $1", 1,
	    "PostgreSQL: ?1 twice is $1 twice, one value" },
	{ "SELECT a FROM t WHERE k = $1", SQLPARAM_DOLLAR,
	    "SELECT a FROM t WHERE k = $1", -1,
	    "PostgreSQL: table-postgres's $1 as it is" },
	{ "SELECT '?', \"$1\", `?` FROM t WHERE k = ? -- ?\n", SQLPARAM_DOLLAR,
	    "SELECT '?', \"$1\", `?` FROM t WHERE k = $1 -- ?\n", 1,
	    "placeholders in quotes and comments are text" },
	{ "SELECT 'it''s ?' /* ? */ FROM t WHERE k = ?", SQLPARAM_QMARK,
	    "SELECT 'it''s ?' /* ? */ FROM t WHERE k = ?", 1,
	    "a doubled quote stays inside the string" },
	{ "SELECT 'a\\' ?' FROM t WHERE k = ?", SQLPARAM_QMARK,
	    "SELECT 'a\\' ?' FROM t WHERE k = ?", 1,
	    "MariaDB: a backslashed quote stays inside the string" },
	{ "SELECT x::text FROM t WHERE k = ?", SQLPARAM_DOLLAR,
	    "SELECT x::text FROM t WHERE k = $1", -1,
	    "PostgreSQL's :: cast is no placeholder" },
	{ "SELECT name FROM domains", SQLPARAM_DOLLAR,
	    "SELECT name FROM domains", 0,
	    "no placeholder: no parameter (fetch_source)" },
	{ "SELECT ':virtual_users', :virtual_userx FROM t WHERE k = ?",
	    SQLPARAM_QMARK,
	    "SELECT ':virtual_users', :virtual_userx FROM t WHERE k = ?", 1,
	    "only :virtual_user itself is a placeholder" },
};

int
main(void)
{
	const char	*q;
	size_t		 i;

	for (i = 0; i < sizeof(rewrites) / sizeof(rewrites[0]); i++)
		check(is(rw(rewrites[i].sql, rewrites[i].style),
		    rewrites[i].want) && (rewrites[i].nparam == -1 ||
		    p.nparam == rewrites[i].nparam), rewrites[i].name);
	check(is(rw("SELECT a FROM t WHERE k = $1", SQLPARAM_QMARK),
	    "SELECT a FROM t WHERE k = ?") && p.nparam == 1 &&
	    p.bind[0] == SQLPARAM_KEY, "MariaDB: $1 is ?");
	q = "SELECT CASE WHEN address = ?1 AND target = '' THEN "
	    ":virtual_user ELSE target END FROM aliases WHERE address = ?1";
	check(is(rw(q, SQLPARAM_DOLLAR), "SELECT CASE WHEN address = $1 AND "
	    "target = '' THEN $2 ELSE target END FROM aliases WHERE "
	    "address = $1") && p.nparam == 2 && p.bind[0] == SQLPARAM_KEY &&
	    p.bind[1] == SQLPARAM_VUSER,
	    "PostgreSQL: the default alias query, :virtual_user is $2");
	check(is(rw(q, SQLPARAM_QMARK), "SELECT CASE WHEN address = ? AND "
	    "target = '' THEN ? ELSE target END FROM aliases WHERE "
	    "address = ?") && p.nparam == 3 && p.bind[0] == SQLPARAM_KEY &&
	    p.bind[1] == SQLPARAM_VUSER && p.bind[2] == SQLPARAM_KEY,
	    "MariaDB: one ? each, bound in order: key, virtual_user, key");
	check(rw("SELECT a FROM t WHERE k = ?2", SQLPARAM_DOLLAR) == NULL &&
	    strstr(err, "?2") != NULL, "?2 is refused, and named");
	check(rw("SELECT a FROM t WHERE k = $2", SQLPARAM_QMARK) == NULL,
	    "$2 is refused");
	check(rw("SELECT :virtual_user FROM t", SQLPARAM_DOLLAR) == NULL,
	    "PostgreSQL: :virtual_user without the key is refused");
	sqlparam_free(&p);
	return unit_done();
}
