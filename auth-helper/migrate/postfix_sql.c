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
 * A lookup query, as Postfix's sqlite/mysql/pgsql tables and Dovecot's
 * sql passdb write them ("SELECT goto FROM alias WHERE address='%s' AND
 * active='1'"), turned into one that lists every key with its value:
 * each comparison of a column with a quoted placeholder becomes true
 * for every row, and the key is selected from those columns first:
 * "SELECT address AS pf_key, goto FROM alias WHERE address=address AND
 * active='1'".  UNION parts are turned each on its own.  What cannot be
 * turned so (a placeholder in other text, in a subquery, compared with
 * something else than a column) is refused with the reason.
 */

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "ibuf.h"
#include "migrate.h"

/* A rewritten query has no limit of its own, as the query it comes from. */
#define QUERY_MAX	(SIZE_MAX / 2)

/* Postfix: %s the key, %u its local part, %d its domain, %% a %. */
enum ph
ph_postfix(const char *s, size_t *len)
{
	*len = 2;
	switch (s[1]) {
	case 's':
		return PH_WHOLE;
	case 'u':
		return PH_LOCAL;
	case 'd':
		return PH_DOMAIN;
	case '%':
		return PH_PERCENT;
	}
	return PH_NONE;
}

/*
 * Dovecot 2.3: %u the login, %n its user part, %d its domain, with an
 * optional L (lower case); %{user}, %{username}, %{domain}.  Dovecot
 * 2.4: %{user}, %{user|username}, %{user|domain}, with filters such as
 * |lower.
 */
enum ph
ph_dovecot(const char *s, size_t *len)
{
	const char	*e, *p;
	char		 word[32];
	enum ph		 r = PH_NONE;
	size_t		 n;

	if (s[1] == '%') {
		*len = 2;
		return PH_PERCENT;
	}
	if (s[1] != '{') {
		p = s + 1;
		if (*p == 'L' || *p == 'l')
			p++;
		*len = p - s + 1;
		switch (*p) {
		case 'u':
			return PH_WHOLE;
		case 'n':
			return PH_LOCAL;
		case 'd':
			return PH_DOMAIN;
		}
		return PH_NONE;
	}
	if ((e = strchr(s, '}')) == NULL)
		return PH_NONE;
	*len = e - s + 1;
	for (p = s + 2; p < e; p += n + (p[n] == '|')) {
		n = strcspn(p, "|}");
		if (n >= sizeof(word))
			return PH_NONE;
		memcpy(word, p, n);
		word[n] = '\0';
		/* "%{user | lower}": blanks around the filters */
		while (word[0] == ' ')
			memmove(word, word + 1, strlen(word));
		word[strcspn(word, " ")] = '\0';
		if (p == s + 2) {
			if (strcmp(word, "user") == 0)
				r = PH_WHOLE;
			else if (strcmp(word, "username") == 0)
				r = PH_LOCAL;
			else if (strcmp(word, "domain") == 0)
				r = PH_DOMAIN;
			else
				return PH_NONE;
		} else if (strcmp(word, "username") == 0 && r == PH_WHOLE)
			r = PH_LOCAL;
		else if (strcmp(word, "domain") == 0 && r == PH_WHOLE)
			r = PH_DOMAIN;
		else if (strcmp(word, "lower") != 0)
			return PH_NONE;
	}
	return r;
}

static int
word_at(const char *s, size_t i, const char *w)
{
	size_t	 n = strlen(w);

	if (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_'))
		return 0;
	return strncasecmp(s + i, w, n) == 0 &&
	    !isalnum((unsigned char)s[i + n]) && s[i + n] != '_';
}

/* The end of the quoted text that starts at s[i] (a quote). */
static size_t
quote_end(const char *s, size_t i)
{
	char	 q = s[i];

	for (i++; s[i] != '\0'; i++) {
		if (s[i] == q) {
			if (s[i + 1] == q) {
				i++;
				continue;
			}
			return i + 1;
		}
	}
	return i;
}

static int
colchar(int c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' ||
	    c == '`' || c == '"' || c == '[' || c == ']';
}

/*
 * The column expression ending just before s[end] (white space
 * skipped): an identifier, maybe qualified or quoted, or lower(...)
 * around one.  Sets *start; 0 when there is none.
 */
static int
column_before(const char *s, size_t lo, size_t end, size_t *start,
    size_t *stop)
{
	size_t	 i = end, d;

	while (i > lo && isspace((unsigned char)s[i - 1]))
		i--;
	*stop = i;
	if (i > lo && s[i - 1] == ')') {
		d = 0;
		while (i > lo) {
			i--;
			if (s[i] == ')')
				d++;
			else if (s[i] == '(' && --d == 0)
				break;
		}
		if (s[i] != '(')
			return 0;
		while (i > lo && isalpha((unsigned char)s[i - 1]))
			i--;
		*start = i;
		return strncasecmp(s + i, "lower(", 6) == 0 ||
		    strncasecmp(s + i, "upper(", 6) == 0 ||
		    strncasecmp(s + i, "trim(", 5) == 0;
	}
	while (i > lo && colchar(s[i - 1]))
		i--;
	*start = i;
	return i < *stop && !isdigit((unsigned char)s[i]);
}

/* The same after s[begin]. */
static int
column_after(const char *s, size_t begin, size_t hi, size_t *start,
    size_t *stop)
{
	size_t	 i = begin;

	while (i < hi && isspace((unsigned char)s[i]))
		i++;
	*start = i;
	while (i < hi && colchar(s[i]))
		i++;
	*stop = i;
	return i > *start && !isdigit((unsigned char)s[*start]);
}

/* Is every % of s[0..n) one of a "%%" pair? */
static int
only_percents(const char *s, size_t n)
{
	size_t	 j;

	for (j = 0; j < n; j++) {
		if (s[j] != '%')
			continue;
		if (j + 1 < n && s[j + 1] == '%')
			j++;
		else
			return 0;
	}
	return 1;
}

struct keycols {
	char	*col[3];	/* by enum ph: WHOLE, LOCAL, DOMAIN */
};

/* One SELECT of a query, s[lo..hi], being rewritten. */
struct select {
	const char	*s;
	size_t		 lo, hi;
	ph_fn		 fn;
	struct keycols	 k;
	struct ibuf	 body;	/* the rewritten text after the SELECT word */
	size_t		 a;	/* s[a..] is not in body yet */
	const char	*why;	/* why it cannot be rewritten */
};

/* Append n bytes at p to the body of q: 0, or -1 with q->why. */
static int
body_add(struct select *q, const char *p, size_t n)
{
	if (ibuf_addz(&q->body, p, n) == -1) {
		q->why = "out of memory";
		return -1;
	}
	return 0;
}

/*
 * Where the select list of s[lo..hi] starts, after "SELECT [DISTINCT |
 * ALL]", into *ins; -1 when it is not a SELECT.
 */
static int
select_head(const char *s, size_t lo, size_t hi, size_t *ins)
{
	size_t	 i = lo;

	while (i < hi && isspace((unsigned char)s[i]))
		i++;
	if (!word_at(s, i, "select"))
		return -1;
	i += 6;
	while (i < hi && isspace((unsigned char)s[i]))
		i++;
	if (word_at(s, i, "distinct"))
		i += 8;
	else if (word_at(s, i, "all"))
		i += 3;
	while (i < hi && isspace((unsigned char)s[i]))
		i++;
	*ins = i;
	return 0;
}

/*
 * The quoted placeholder s[i..qe) with what wraps it, into [*ws, *we):
 * lower(...), upper(...) or trim(...) around it is taken with it, one
 * level of parentheses less.  Returns the depth of the whole.
 */
static int
unwrap(const struct select *q, size_t i, size_t qe, int depth, size_t *ws,
    size_t *we)
{
	const char	*s = q->s;
	size_t		 b, n;

	*ws = i;
	*we = qe;
	b = i;
	while (b > q->lo && isspace((unsigned char)s[b - 1]))
		b--;
	if (b <= q->lo || s[b - 1] != '(')
		return depth;
	n = b - 1;
	while (n > q->lo && isalpha((unsigned char)s[n - 1]))
		n--;
	if (strncasecmp(s + n, "lower(", 6) != 0 &&
	    strncasecmp(s + n, "upper(", 6) != 0 &&
	    strncasecmp(s + n, "trim(", 5) != 0)
		return depth;
	b = qe;
	while (b < q->hi && isspace((unsigned char)s[b]))
		b++;
	if (b >= q->hi || s[b] != ')')
		return depth;
	*ws = n;
	*we = b + 1;
	return depth - 1;
}

/*
 * The column the placeholder s[ws..we) is compared with by "=", on
 * either side, into s[*cs..*ce).  -1 when no column is.
 */
static int
compared_column(struct select *q, size_t ws, size_t we, size_t *cs,
    size_t *ce)
{
	const char	*s = q->s;
	size_t		 b;
	int		 found;

	/* column = 'placeholder', or 'placeholder' = column */
	b = ws;
	while (b > q->lo && isspace((unsigned char)s[b - 1]))
		b--;
	found = b > q->lo && s[b - 1] == '=' && (b < q->lo + 2 ||
	    strchr("!<>", s[b - 2]) == NULL) &&
	    column_before(s, q->lo, b - 1, cs, ce);
	if (!found) {
		b = we;
		while (b < q->hi && isspace((unsigned char)s[b]))
			b++;
		found = b < q->hi && s[b] == '=' && s[b + 1] != '=' &&
		    column_after(s, b + 1, q->hi, cs, ce);
	}
	return found ? 0 : -1;
}

/*
 * The placeholder alone in the quotes s[i..qe): it and the column it
 * is compared with become that column in the body, the column of its
 * part of the key: the body gets the text before the placeholder and
 * the column in its place, "column = column".  Returns 0, or -1 with
 * q->why.
 */
static int
placeholder(struct select *q, size_t i, size_t qe, int depth)
{
	const char	*s = q->s;
	enum ph		 ph;
	size_t		 plen, ws, we, cs, ce;

	ph = q->fn(s + i + 1, &plen);
	if (s[i + 1] != '%' || ph == PH_NONE || ph == PH_PERCENT ||
	    i + 1 + plen != qe - 1) {
		q->why = ph == PH_NONE && s[i + 1] == '%' ?
		    "a placeholder the migration does not know" :
		    "a placeholder inside other text";
		return -1;
	}
	if (unwrap(q, i, qe, depth, &ws, &we) != 0) {
		q->why = "a placeholder inside a subquery or expression";
		return -1;
	}
	if (compared_column(q, ws, we, &cs, &ce) == -1) {
		q->why = "a placeholder not compared with a column by =";
		return -1;
	}
	if (q->k.col[ph] != NULL && (strlen(q->k.col[ph]) != ce - cs ||
	    strncmp(q->k.col[ph], s + cs, ce - cs) != 0)) {
		q->why = "one placeholder compared with two columns";
		return -1;
	}
	if (q->k.col[ph] == NULL &&
	    (q->k.col[ph] = strndup(s + cs, ce - cs)) == NULL) {
		q->why = "out of memory";
		return -1;
	}
	if (body_add(q, s + q->a, ws - q->a) == -1 ||
	    body_add(q, s + cs, ce - cs) == -1)
		return -1;
	q->a = we;
	return 0;
}

/*
 * The quoted text that starts at s[*ip]: passed over, its %% made %,
 * or its placeholder rewritten.  *ip is set after it.  Returns 0, or
 * -1 with q->why.
 */
static int
quoted(struct select *q, size_t *ip, int depth)
{
	const char	*s = q->s;
	size_t		 i = *ip, qe, n;

	qe = quote_end(s, i);
	if (memchr(s + i, '%', qe - i) == NULL) {
		*ip = qe;
		return 0;
	}
	/* Only %% in it: literal % signs (LIKE patterns). */
	if (only_percents(s + i + 1, qe - i - 2)) {
		if (body_add(q, s + q->a, i - q->a) == -1)
			return -1;
		for (n = i; n < qe; n++) {
			if (body_add(q, s + n, 1) == -1)
				return -1;
			if (s[n] == '%')
				n++;
		}
		q->a = *ip = qe;
		return 0;
	}
	/* A quoted placeholder, alone in its quotes. */
	if (placeholder(q, i, qe, depth) == -1)
		return -1;
	*ip = q->a;
	return 0;
}

/* The key the SELECT lists: %s's column, or %u's and %d's joined. */
static char *
select_key(struct select *q, int mysql)
{
	char	**col = q->k.col, *key;

	if (col[PH_WHOLE] != NULL)
		key = strdup(col[PH_WHOLE]);
	else if (col[PH_LOCAL] != NULL && col[PH_DOMAIN] != NULL) {
		if (asprintf(&key, mysql ? "CONCAT(%s, '@', %s)" :
		    "%s || '@' || %s", col[PH_LOCAL], col[PH_DOMAIN]) == -1)
			key = NULL;
	} else if (col[PH_LOCAL] != NULL)
		key = strdup(col[PH_LOCAL]);
	else {
		q->why = col[PH_DOMAIN] != NULL ? "only the domain of the "
		    "key is used" : "no placeholder for the key";
		return NULL;
	}
	if (key == NULL)
		q->why = "out of memory";
	return key;
}

/*
 * Turn one SELECT of a query (s[lo..hi]) into out.  Returns 0, or -1
 * with *why.
 */
static int
one_select(const char *s, size_t lo, size_t hi, ph_fn fn, int mysql,
    struct ibuf *out, const char **why)
{
	struct select	 q;
	size_t		 i, ins, n;
	int		 depth = 0, r = -1;
	char		*key = NULL;

	if (select_head(s, lo, hi, &ins) == -1) {
		*why = "it is not a SELECT";
		return -1;
	}
	memset(&q, 0, sizeof(q));
	ibuf_init(&q.body, 0, QUERY_MAX);
	q.s = s;
	q.lo = lo;
	q.hi = hi;
	q.fn = fn;
	for (q.a = i = ins; i < hi;) {
		if (s[i] == '(' || s[i] == ')') {
			depth += s[i] == '(' ? 1 : -1;
			i++;
		} else if (s[i] == '%') {
			q.why = "a placeholder outside quotes";
			goto done;
		} else if (s[i] != '\'' && s[i] != '"')
			i++;
		else if (quoted(&q, &i, depth) == -1)
			goto done;
	}
	while (hi > q.a && isspace((unsigned char)s[hi - 1]))
		hi--;
	if (body_add(&q, s + q.a, hi - q.a) == -1 ||
	    (key = select_key(&q, mysql)) == NULL)
		goto done;
	/* s[lo..ins] is "SELECT [DISTINCT] "; body starts at ins. */
	if (ibuf_addz(out, s + lo, ins - lo) == -1 ||
	    ibuf_addz(out, key, strlen(key)) == -1 ||
	    ibuf_addz(out, " AS pf_key, ", 12) == -1 ||
	    ibuf_addz(out, ibuf_data(&q.body), ibuf_size(&q.body)) == -1)
		q.why = "out of memory";
	else
		r = 0;
 done:
	if (r == -1)
		*why = q.why;
	for (n = 0; n < 3; n++)
		free(q.k.col[n]);
	free(key);
	ibuf_free(&q.body);
	return r;
}

/*
 * The query q, made to list every key: *out gets the new query, whose
 * first column, pf_key, is the key, and whose other columns are those
 * of q.  A key made of two columns is joined with || (SQLite,
 * PostgreSQL), or with CONCAT() when mysql is set (|| is OR there).
 * Returns 0, or -1 with *why.
 */
static int
enumerate(const char *q, ph_fn fn, int mysql, char **out, const char **why)
{
	struct ibuf	 b;
	size_t		 i, start, len;
	int		 depth = 0;

	ibuf_init(&b, 0, QUERY_MAX);
	len = strlen(q);
	while (len > 0 && (isspace((unsigned char)q[len - 1]) ||
	    q[len - 1] == ';'))
		len--;
	for (i = start = 0; i <= len;) {
		if (i < len && (q[i] == '\'' || q[i] == '"')) {
			i = quote_end(q, i);
			continue;
		}
		if (i < len && q[i] == ';') {
			*why = "more than one statement";
			goto fail;
		}
		if (i < len && q[i] == '(')
			depth++;
		else if (i < len && q[i] == ')')
			depth--;
		if (i < len && depth == 0 && (word_at(q, i, "intersect") ||
		    word_at(q, i, "except"))) {
			*why = "INTERSECT or EXCEPT";
			goto fail;
		}
		if (i == len || (depth == 0 && word_at(q, i, "union"))) {
			if (one_select(q, start, i, fn, mysql, &b, why) == -1)
				goto fail;
			if (i == len)
				break;
			if (ibuf_addz(&b, " UNION ", 7) == -1)
				goto nomem;
			i += 5;
			while (isspace((unsigned char)q[i]))
				i++;
			if (word_at(q, i, "all")) {
				if (ibuf_addz(&b, "ALL ", 4) == -1)
					goto nomem;
				i += 3;
			}
			start = i;
			continue;
		}
		i++;
	}
	if ((*out = strdup(ibuf_data(&b))) == NULL)
		goto nomem;
	ibuf_free(&b);
	return 0;
 nomem:
	*why = "out of memory";
 fail:
	ibuf_free(&b);
	return -1;
}

int
sql_enumerate(const char *q, ph_fn fn, char **out, const char **why)
{
	return enumerate(q, fn, 0, out, why);
}

int
sql_enumerate_mysql(const char *q, ph_fn fn, char **out, const char **why)
{
	return enumerate(q, fn, 1, out, why);
}

/*
 * PostfixAdmin's alias domains: its queries join the alias_domain
 * table and look the key up in the target domain (CONCAT('%u', '@',
 * alias_domain.target_domain), or || in PostgreSQL and SQLite), which
 * no query listing every key can do.  For such a query, the one that
 * lists the pairs instead, "@alias.example" -> "@target.example", read
 * as virtual(5) reads "@alias.example @target.example".  NULL for any
 * other query.
 */
const char *
sql_alias_domains(const char *query, int mysql)
{
	const char	*p;
	size_t		 n = strlen("alias_domain");

	for (p = query; *p != '\0'; p++) {
		if (strncasecmp(p, "alias_domain", n) != 0)
			continue;
		if ((p == query || (!isalnum((unsigned char)p[-1]) &&
		    p[-1] != '_')) && !isalnum((unsigned char)p[n]) &&
		    p[n] != '_')
			return mysql ? "SELECT CONCAT('@', alias_domain) AS "
			    "pf_key, CONCAT('@', target_domain) AS target FROM "
			    "alias_domain WHERE active = '1'" :
			    "SELECT '@' || alias_domain AS pf_key, '@' || "
			    "target_domain AS target FROM alias_domain WHERE "
			    "active = '1'";
	}
	return NULL;
}
