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
 * Rows into the default schema, for migrate-postfix and import: values
 * already normalised, bound, inside the caller's transaction.  Running
 * one again changes nothing.
 */

#include <stdio.h>

#include <sqlite3.h>

#include "../auth_helper.h"
#include "migrate.h"
#include "schema.h"

/* Create the default schema in the empty database of env. */
int
rows_schema(struct env *env)
{
	char	*msg = NULL;

	if (sqlite3_exec(env->db, schema_sql, NULL, NULL, &msg) !=
	    SQLITE_OK) {
		errx_msg("%s: creating the schema: %s", env->conf.dbpath,
		    msg != NULL ? msg : "error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
rows_domain(struct env *env, const char *domain)
{
	return store_exec(env, "INSERT OR IGNORE INTO domains VALUES (?1)",
	    domain, NULL) == -1 ? -1 : 0;
}

/* An account; an existing one gets the new hash and state. */
int
rows_user(struct env *env, const char *login, const char *hash, int active)
{
	return store_exec(env, "INSERT INTO users (login, password, active) "
	    "VALUES (?1, ?2, ?3) ON CONFLICT (login) DO UPDATE SET "
	    "password = excluded.password, active = excluded.active",
	    login, hash, active ? "1" : "0", NULL) == -1 ? -1 : 0;
}

int
rows_alias(struct env *env, const char *addr, const char *target)
{
	return store_exec(env, "INSERT OR IGNORE INTO aliases VALUES (?1, ?2)",
	    addr, target, NULL) == -1 ? -1 : 0;
}

int
rows_sender(struct env *env, const char *login, const char *addr)
{
	return store_exec(env, "INSERT OR IGNORE INTO senders VALUES (?1, ?2)",
	    login, addr, NULL) == -1 ? -1 : 0;
}

/* A setting of the settings table (alias_owns, ...). */
int
rows_setting(struct env *env, const char *key, const char *value)
{
	return store_exec(env, "INSERT OR REPLACE INTO settings VALUES "
	    "(?1, ?2)", key, value, NULL) == -1 ? -1 : 0;
}

/*
 * An alias domain, "@src" -> "@dst" as virtual(5) reads it: every
 * address of dst that exists now (account or alias) gets an alias at
 * src, and the catch-all of dst becomes that of src, unless src has
 * the address already.  Returns the rows added, or -1.
 */
int
rows_alias_domain(struct env *env, const char *src, const char *dst)
{
	int	 n, total = 0;

	/* Accounts and aliases of dst (an active account has a row). */
	if ((n = store_exec(env, "INSERT OR IGNORE INTO aliases "
	    "SELECT DISTINCT substr(a.address, 1, instr(a.address, '@')) || "
	    "?1, a.address FROM aliases a WHERE a.address <> '@' || ?2 AND "
	    "substr(a.address, 1, 1) <> '@' AND "
	    "substr(a.address, -length(?2) - 1) = '@' || ?2 AND NOT EXISTS "
	    "(SELECT 1 FROM aliases b WHERE b.address = "
	    "substr(a.address, 1, instr(a.address, '@')) || ?1)",
	    src, dst, NULL)) == -1)
		return -1;
	total += n;
	if ((n = store_exec(env, "INSERT OR IGNORE INTO aliases "
	    "SELECT '@' || ?1, target FROM aliases WHERE address = '@' || ?2 "
	    "AND NOT EXISTS (SELECT 1 FROM aliases WHERE address = '@' || ?1)",
	    src, dst, NULL)) == -1)
		return -1;
	return total + n;
}

/*
 * An alias target in a local domain that receives nothing (no active
 * account, no alias, no catch-all; an extension is not judged): the
 * copy Postfix bounced while it delivered to the other targets, where
 * smtpd would refuse the whole recipient.  The row address -> target
 * is removed when so.  Nothing is judged while there is no account at
 * all (they come in a later import).  1 removed, 0 not, -1 error.
 */
int
rows_dead_target(struct env *env, const char *address, const char *target)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(env->db, "SELECT 1 FROM users LIMIT 1", -1,
	    &st, NULL) != SQLITE_OK) {
		errx_msg("%s: %s", env->conf.dbpath, sqlite3_errmsg(env->db));
		return -1;
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return 0;
	return store_exec(env, "DELETE FROM aliases WHERE address = ?1 AND "
	    "target = ?2 AND target <> '' AND instr(target, '+') = 0 AND "
	    "substr(target, instr(target, '@') + 1) IN (SELECT name FROM "
	    "domains) AND NOT EXISTS (SELECT 1 FROM aliases a WHERE "
	    "a.address = ?2 OR a.address = '@' || substr(?2, instr(?2, "
	    "'@') + 1))", address, target, NULL);
}
