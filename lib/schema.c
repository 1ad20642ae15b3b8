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
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "schema.h"
#include "sqlconf.h"

const char schema_sql[] = {
#include "schema_sql.h"
	0
};

/* The same on the server engines, "/" lines between statements. */
const char schema_pgsql[] = {
#include "schema_pgsql_sql.h"
	0
};
const char schema_mysql[] = {
#include "schema_mysql_sql.h"
	0
};

/*
 * The addresses a login owns itself, and its grants of "*@domain" (as
 * "@domain"): the start of the mailaddrmap query on every engine.
 */
#define OWN_ADDRESSES \
	"SELECT address FROM owners WHERE login = ?1" \
	" AND substr(address, 1, 1) <> '@'" \
	" AND substr(address, 1, 2) <> '*@'" \
	" UNION SELECT substr(address, 2) FROM owners WHERE login = ?1" \
	" AND substr(address, 1, 2) = '*@' AND via = 'grant'"

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
	/*
	 * smtpd reads "@domain" as every address of the domain: a grant of
	 * "@domain" is answered only while no address of the domain has
	 * another owner (one scan of owners), "*@domain" as "@domain".
	 * "*@domain" is a grant only as a senders row ("grant"): a user or
	 * an alias of that name is an address, which no key of the filter
	 * reaches either.  Schema version 1 read the row as that address,
	 * and until auth-helper init upgrades it, it stays no grant.
	 */
	[Q_MAILADDRMAP] =
	    OWN_ADDRESSES
	    " AND (SELECT user_version FROM pragma_user_version) >= 2"
	    " UNION SELECT g.address FROM owners g WHERE g.login = ?1"
	    " AND substr(g.address, 1, 1) = '@' AND NOT EXISTS"
	    " (SELECT 1 FROM owners o WHERE o.login <> ?1"
	    " AND substr(o.address, 1, 1) <> '@'"
	    " AND substr(o.address, 1, 2) <> '*@'"
	    " AND substr(o.address, -length(g.address)) = g.address"
	    " AND NOT EXISTS (SELECT 1 FROM owners m WHERE m.login = ?1"
	    " AND m.address = o.address))",
	[Q_OWNERS] =
	    "SELECT DISTINCT login FROM owners WHERE address = ?1"
	    " AND (substr(?1, 1, 2) <> '*@' OR (via = 'grant' AND"
	    " (SELECT user_version FROM pragma_user_version) >= 2))",
};

/*
 * The same rules for the kit's tables on a PostgreSQL or MariaDB server
 * (table-sqlite(5), DEFAULT SCHEMA): such a server holds no schema of
 * version 1 (it has no PRAGMA user_version), so a "*@domain" row of
 * owners is a grant whenever its via is 'grant'; and neither engine's
 * substr() counts from the end: right() takes the domain's tail, in
 * characters as char_length() counts them.
 */
static const char *server_queries[Q_MAX] = {
	[Q_MAILADDRMAP] =
	    OWN_ADDRESSES
	    " UNION SELECT g.address FROM owners g WHERE g.login = ?1"
	    " AND substr(g.address, 1, 1) = '@' AND NOT EXISTS"
	    " (SELECT 1 FROM owners o WHERE o.login <> ?1"
	    " AND substr(o.address, 1, 1) <> '@'"
	    " AND substr(o.address, 1, 2) <> '*@'"
	    " AND right(o.address, char_length(g.address)) = g.address"
	    " AND NOT EXISTS (SELECT 1 FROM owners m WHERE m.login = ?1"
	    " AND m.address = o.address))",
	[Q_OWNERS] =
	    "SELECT DISTINCT login FROM owners WHERE address = ?1"
	    " AND (substr(?1, 1, 2) <> '*@' OR via = 'grant')",
};

/*
 * Bring the database of an older schema up to SCHEMA_VERSION, in the
 * caller's transaction: its triggers are dropped and schema.sql, every
 * statement of which may run again, creates what is missing.  Returns
 * -1 with the reason in err.
 */
int
schema_upgrade(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	char		 sql[128];
	int		 rc;

	for (;;) {
		if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master "
		    "WHERE type = 'trigger' LIMIT 1", -1, &st, NULL) !=
		    SQLITE_OK)
			goto fail;
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			sqlite3_finalize(st);
			if (rc != SQLITE_DONE)
				goto fail;
			break;
		}
		rc = snprintf(sql, sizeof(sql), "DROP TRIGGER \"%s\"",
		    (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		if (rc < 0 || (size_t)rc >= sizeof(sql) ||
		    strchr(sql + 14, '"') != sql + rc - 1) {
			snprintf(err, errlen, "a trigger of an unexpected "
			    "name");
			return -1;
		}
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
	}
	if (sqlite3_exec(db, schema_sql, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	return 0;
 fail:
	snprintf(err, errlen, "%s", sqlite3_errmsg(db));
	return -1;
}

/* The default query q, or NULL if none. */
const char *
schema_query(int q)
{
	if (q < 0 || q >= Q_MAX)
		return NULL;
	return default_queries[q];
}

/* The default query q for the kit's tables on a database server. */
const char *
schema_query_server(int q)
{
	if (q < 0 || q >= Q_MAX)
		return NULL;
	return server_queries[q] != NULL ? server_queries[q] :
	    default_queries[q];
}
