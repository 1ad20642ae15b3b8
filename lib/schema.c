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
 * The default schema (lib/schema.sql, embedded at build time) and the
 * queries that serve it, one per table service.
 */

#include <stddef.h>

#include "schema.h"
#include "sqlconf.h"

const char schema_sql[] =
#include "schema_sql.h"
    ;

/*
 * ?1 is the key smtpd sends (lower-cased); :virtual_user is bound to the
 * virtual_user setting.  Each is one search of a primary key or of a
 * covering index.
 */
static const char *default_queries[Q_MAX] = {
	[Q_ALIAS] =
	    "SELECT CASE WHEN address = ?1 AND target = '' THEN :virtual_user"
	    " ELSE target END FROM aliases WHERE address = ?1",
	[Q_DOMAIN] =
	    "SELECT name FROM domains WHERE name = ?1",
	[Q_CREDENTIALS] =
	    "SELECT login, password FROM users"
	    " WHERE login = ?1 AND active = 1",
	[Q_MAILADDR] =
	    "SELECT address FROM aliases WHERE address = ?1 LIMIT 1",
	[Q_MAILADDRMAP] =
	    "SELECT DISTINCT address FROM owners WHERE login = ?1",
	[Q_OWNERS] =
	    "SELECT DISTINCT login FROM owners WHERE address = ?1",
};

/* The default query q, or NULL if none. */
const char *
schema_query(int q)
{
	if (q < 0 || q >= Q_MAX)
		return NULL;
	return default_queries[q];
}
