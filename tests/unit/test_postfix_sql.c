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
 * Unit tests of auth-helper/migrate/postfix_sql.c: lookup queries made
 * to list keys.
 */

#include <stdlib.h>
#include <string.h>

#include "migrate.h"
#include "unit.h"

static void
good(const char *q, ph_fn fn, const char *want)
{
	char		*out = NULL, name[256];
	const char	*why = NULL;
	int		 r;

	r = sql_enumerate(q, fn, &out, &why);
	snprintf(name, sizeof(name), "enumerate: %.200s", q);
	check(r == 0 && out != NULL && strcmp(out, want) == 0, name);
	if (r != 0 || strcmp(out, want) != 0)
		printf("# got [%s] (%s), want [%s]\n", out != NULL ? out : "",
		    why != NULL ? why : "", want);
	free(out);
}

static void
bad(const char *q, ph_fn fn, const char *reason)
{
	char		*out = NULL, name[256];
	const char	*why = NULL;

	snprintf(name, sizeof(name), "refused (%s): %.150s", reason, q);
	check(sql_enumerate(q, fn, &out, &why) == -1 && why != NULL &&
	    strstr(why, reason) != NULL, name);
	free(out);
}

int
main(void)
{
	size_t	 n;

	/* The seed guides' queries. */
	good("SELECT domain FROM domain WHERE domain = '%s' AND backupmx = "
	    "'0' AND active = '1';", ph_postfix,
	    "SELECT domain AS pf_key, domain FROM domain WHERE domain = "
	    "domain AND backupmx = '0' AND active = '1'");
	good("SELECT maildir FROM mailbox WHERE local_part='%u' AND "
	    "domain='%d' AND active='1'", ph_postfix,
	    "SELECT local_part || '@' || domain AS pf_key, maildir FROM "
	    "mailbox WHERE local_part=local_part AND domain=domain AND "
	    "active='1'");
	/* MySQL: || is OR there; the key is made with CONCAT(). */
	{
		char		*out = NULL;
		const char	*why = NULL;

		check(sql_enumerate_mysql("SELECT maildir FROM mailbox WHERE "
		    "local_part='%u' AND domain='%d'", ph_postfix, &out,
		    &why) == 0 && out != NULL && strcmp(out, "SELECT "
		    "CONCAT(local_part, '@', domain) AS pf_key, maildir FROM "
		    "mailbox WHERE local_part=local_part AND domain=domain") ==
		    0, "enumerate for MySQL: CONCAT, not ||");
		free(out);
	}
	good("SELECT email FROM virtual_users WHERE email='%s' UNION SELECT "
	    "destination FROM virtual_aliases WHERE source='%s'", ph_postfix,
	    "SELECT email AS pf_key, email FROM virtual_users WHERE "
	    "email=email UNION SELECT source AS pf_key, destination FROM "
	    "virtual_aliases WHERE source=source");
	good("SELECT DISTINCT goto FROM alias WHERE '%s' = address",
	    ph_postfix, "SELECT DISTINCT address AS pf_key, goto FROM alias "
	    "WHERE address = address");
	good("SELECT x FROM t WHERE a = LOWER('%s') AND b LIKE '%%x'",
	    ph_postfix, "SELECT a AS pf_key, x FROM t WHERE a = a AND b "
	    "LIKE '%x'");
	/* Dovecot 2.3 and 2.4. */
	good("SELECT username AS user, password FROM mailbox WHERE "
	    "username = '%u' AND active = '1'", ph_dovecot,
	    "SELECT username AS pf_key, username AS user, password FROM "
	    "mailbox WHERE username = username AND active = '1'");
	good("SELECT password FROM users WHERE userid = '%{user|username}' "
	    "AND domain = '%{user|domain}'", ph_dovecot,
	    "SELECT userid || '@' || domain AS pf_key, password FROM users "
	    "WHERE userid = userid AND domain = domain");
	good("SELECT pw AS password FROM u WHERE email = '%{user | lower}'",
	    ph_dovecot, "SELECT email AS pf_key, pw AS password FROM u "
	    "WHERE email = email");
	/* What cannot be turned. */
	bad("SELECT goto FROM alias WHERE address = CONCAT('%u', '@', '%d')",
	    ph_postfix, "subquery or expression");
	bad("SELECT goto FROM alias WHERE address LIKE '%s'", ph_postfix,
	    "not compared with a column");
	bad("SELECT goto FROM alias WHERE address = '%u@%d'", ph_postfix,
	    "inside other text");
	bad("SELECT goto FROM alias WHERE address = %s", ph_postfix,
	    "outside quotes");
	bad("SELECT x FROM t WHERE a IN (SELECT b FROM c WHERE d = '%s')",
	    ph_postfix, "subquery");
	bad("SELECT x FROM t WHERE a = '%s' OR b = '%s'", ph_postfix,
	    "two columns");
	bad("SELECT x FROM t WHERE d = '%d'", ph_postfix, "only the domain");
	bad("SELECT x FROM t WHERE a = '%1'", ph_postfix, "does not know");
	bad("DELETE FROM t WHERE a = '%s'", ph_postfix, "not a SELECT");
	bad("SELECT x FROM t WHERE a = '%s'; DROP TABLE t", ph_postfix,
	    "more than one statement");
	bad("SELECT x FROM t", ph_postfix, "no placeholder");
	bad("SELECT x FROM t WHERE a = '%s' EXCEPT SELECT y FROM u",
	    ph_postfix, "INTERSECT or EXCEPT");
	/* Placeholders. */
	check(ph_dovecot("%{user|username}", &n) == PH_LOCAL && n == 16,
	    "ph_dovecot %{user|username}");
	check(ph_dovecot("%Lu", &n) == PH_WHOLE && n == 3, "ph_dovecot %Lu");
	check(ph_dovecot("%{service}", &n) == PH_NONE, "ph_dovecot %{service}");
	check(ph_postfix("%d", &n) == PH_DOMAIN, "ph_postfix %d");
	return unit_done();
}
