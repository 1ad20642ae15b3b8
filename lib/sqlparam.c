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
 * The placeholders of a query from the configuration, written for the
 * engine that runs it.  A query may name the key as SQLite does (? or
 * ?1), as PostgreSQL does ($1) or as MariaDB does (?), and
 * virtual_user as :virtual_user: each engine gets its own form, and a
 * list of what each parameter is bound to.  Nothing of the key ever
 * goes into the text of a query.  Placeholders inside quotes and
 * comments are text and stay as they are.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ibuf.h"
#include "sqlparam.h"

static int
add_param(struct sqlparam *p, int style, int what, struct ibuf *out,
    char *err, size_t errlen)
{
	if (style == SQLPARAM_DOLLAR) {
		/* $1 the key, $2 virtual_user. */
		p->bind[0] = SQLPARAM_KEY;
		p->bind[1] = SQLPARAM_VUSER;
		if (what == SQLPARAM_VUSER)
			p->nparam = 2;
		else if (p->nparam == 0)
			p->nparam = 1;
		return ibuf_addz(out, what == SQLPARAM_KEY ? "$1" : "$2", 2);
	}
	if (p->nparam == SQLPARAM_MAX) {
		snprintf(err, errlen, "more than %d placeholders",
		    SQLPARAM_MAX);
		return -1;
	}
	p->bind[p->nparam++] = what;
	return ibuf_addz(out, "?", 1);
}

/*
 * Rewrite sql for style into p: 0, or -1 with the reason in err.
 */
int
sqlparam_rewrite(const char *sql, int style, struct sqlparam *p, char *err,
    size_t errlen)
{
	struct ibuf	 b;
	const char	*s = sql, *e;
	char		*out;
	size_t		 len;
	char		 q;

	memset(p, 0, sizeof(*p));
	/* $1 -> ?: shorter; ? -> $1 and :virtual_user -> $2: longer. */
	len = strlen(sql) * 2 + 16;
	if ((out = malloc(len)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	out[0] = '\0';
	ibuf_fixed(&b, out, len);
	while (*s != '\0') {
		e = s + 1;
		if (*s == '\'' || *s == '"' || *s == '`') {
			/* A quoted string or name; '' and "" inside. */
			q = *s;
			for (;;) {
				if (*e == '\0')
					break;
				if (*e == '\\' && q != '"' && e[1] != '\0' &&
				    style == SQLPARAM_QMARK) {
					e += 2;
					continue;
				}
				if (*e++ == q) {
					if (*e != q)
						break;
					e++;
				}
			}
		} else if (s[0] == '-' && s[1] == '-')
			e = s + strcspn(s, "\n");
		else if (s[0] == '/' && s[1] == '*') {
			if ((e = strstr(s + 2, "*/")) == NULL)
				e = s + strlen(s);
			else
				e += 2;
		} else if (*s == '?' || (*s == '$' &&
		    isdigit((unsigned char)s[1]))) {
			/* ?, ?1 or $1: the key.  ?2 or $2 is no placeholder. */
			e = s + 1;
			while (isdigit((unsigned char)*e))
				e++;
			if (e - s > 1 && (e - s != 2 || s[1] != '1')) {
				snprintf(err, errlen, "%.*s: the only "
				    "placeholders are ?, ?1 or $1 for the key "
				    "and :virtual_user", (int)(e - s), s);
				goto fail;
			}
			if (add_param(p, style, SQLPARAM_KEY, &b, err,
			    errlen) == -1)
				goto fail;
			s = e;
			continue;
		} else if (*s == ':' && (s == sql || s[-1] != ':') &&
		    strncmp(s, ":virtual_user", 13) == 0 &&
		    !isalnum((unsigned char)s[13]) && s[13] != '_') {
			e = s + 13;
			if (add_param(p, style, SQLPARAM_VUSER, &b, err,
			    errlen) == -1)
				goto fail;
			s = e;
			continue;
		}
		if (ibuf_addz(&b, s, e - s) == -1) {
			snprintf(err, errlen, "query too long");
			goto fail;
		}
		s = e;
	}
	if (style == SQLPARAM_DOLLAR && p->nparam == 2 &&
	    strstr(out, "$1") == NULL) {
		snprintf(err, errlen, "the query uses :virtual_user but not "
		    "the key");
		goto fail;
	}
	p->sql = out;
	return 0;
 fail:
	free(out);
	memset(p, 0, sizeof(*p));
	return -1;
}

void
sqlparam_free(struct sqlparam *p)
{
	free(p->sql);
	memset(p, 0, sizeof(*p));
}
