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

/* lib/owner.c: who may send as what, asked of the database. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "addr.h"
#include "compat.h"
#include "owner.h"
#include "unit.h"
#include "unitdb.h"

static struct backend	*b;
static char		 value[VALUE_MAX], why[320];

/* May login send as address (as smtpd parses it)? */
static int
owns(const char *login, const char *address)
{
	struct addr	 a;
	const char	*errstr;

	if (addr_parse(address, &a, &errstr) == -1)
		return -9;
	why[0] = '\0';
	return owner_owns(b, login, &a, "+", why, sizeof(why));
}

/* The same with the filter's recipient_delimiter delims. */
static int
owns_d(const char *login, const char *address, const char *delims)
{
	struct addr	 a;
	const char	*errstr;

	if (addr_parse(address, &a, &errstr) == -1)
		return -9;
	why[0] = '\0';
	return owner_owns(b, login, &a, delims, why, sizeof(why));
}

/* Has the list of mailaddrmap entries in v an "@domain" entry? */
static int
domain_entry(const char *v)
{
	const char	*p;

	for (p = v; *p != '\0'; p += strcspn(p, ",")) {
		p += strspn(p, ", ");
		if (*p == '@')
			return 1;
	}
	return 0;
}

static int
anyone(const char *address)
{
	struct addr	 a;
	const char	*errstr;

	if (addr_parse(address, &a, &errstr) == -1)
		return -9;
	why[0] = '\0';
	return owner_anyone(b, &a, "+", why, sizeof(why));
}

int
main(void)
{
	char		 err[512];
	int		 r;

	unitdb_new();
	b = unitdb_backend();

	check(owns("bob@example.com", "bob@example.com") == 1 &&
	    strcmp(why, "bob@example.com") == 0,
	    "a login owns its own address, and says through which entry");
	check(owns("bob@example.com", "Bob@EXAMPLE.com") == 1,
	    "in any case");
	check(owns("bob@example.com", "team@example.com") == 1,
	    "an alias pointing to the login");
	check(owns("bob@example.com", "anyone@example.net") == 1 &&
	    strcmp(why, "@example.net") == 0, "a grant of a whole domain");
	check(owns("bob@example.com", "ann@example.com") == 0,
	    "another account's address is not owned");
	check(owns("bob@example.com", "bob+news@example.com") == 1,
	    "an extension nobody owns is the base address");
	check(owns("jane@example.com", "jane+sales@example.com") == 0,
	    "an extension that is an account of its own is not the base");
	check(owns("jane+sales@example.com", "jane+sales@example.com") == 1,
	    "that account owns it");
	check(owns("nobody@example.com", "nobody@example.com") == 0,
	    "a login the database does not know owns nothing");

	check(anyone("ann@example.com") == 1 &&
	    strcmp(why, "ann@example.com") == 0,
	    "an address with an owner, who is named");
	check(anyone("ann+x@example.com") == 1, "its extension too");
	check(anyone("stranger@example.net") == 1 &&
	    strcmp(why, "bob@example.com") == 0,
	    "an address of a domain granted to a login");
	check(anyone("stranger@example.com") == 0,
	    "an address nobody owns");
	check(anyone("catch@example.org") == 0,
	    "a catch-all receives a domain, it does not own it");

	check(owner_local_domain(b, "example.org") == OWN_YES &&
	    owner_local_domain(b, "example.net") == OWN_NO,
	    "local domains: those of the domains table");

	/* An owner's name longer than the backend's buffer. */
	unitdb_exec("INSERT INTO owners VALUES (hex(zeroblob(40000)), "
	    "'big@example.com', 'grant')");
	check(owns("bob@example.com", "big@example.com") == OWN_TEMPFAIL,
	    "an answer longer than the value buffer is an error, not a no");
	backend_free(b);

	/*
	 * Postfix's first match: an address with an owner of its own is
	 * owned by exactly those logins; "@domain" covers the others;
	 * "*@domain" every address.
	 */
	b = unitdb_backend();
	unitdb_exec("INSERT INTO users VALUES "
	    "('alice@example.com', '{PLAIN}x', 1),"
	    " ('boss@example.com', '{PLAIN}x', 1);"
	    "INSERT INTO senders VALUES ('alice@example.com', '@example.com'),"
	    " ('boss@example.com', '*@example.com'),"
	    " ('boss@example.com', '*@example.edu');");
	check(owns("alice@example.com", "bob@example.com") == 0,
	    "a grant of @domain does not cover an address with an owner of "
	    "its own");
	check(owns("alice@example.com", "bob+x@example.com") == 0,
	    "nor its extensions");
	check(owns("alice@example.com", "team@example.com") == 0,
	    "nor an alias whose targets own it");
	check(owns("alice@example.com", "nobody@example.com") == 1 &&
	    strcmp(why, "@example.com") == 0,
	    "it covers the addresses of the domain nobody owns");
	check(owns("bob@example.com", "bob@example.com") == 1,
	    "the owner of an address keeps it beside a domain grant");
	check(owns("boss@example.com", "bob@example.com") == 1 &&
	    strcmp(why, "*@example.com") == 0,
	    "a grant of *@domain covers every address, other users' too");
	check(owns("boss@example.com", "jane+sales@example.com") == 1 &&
	    owns("boss@example.com", "nobody@example.com") == 1,
	    "extensions and addresses nobody owns included");
	check(owns("boss@example.com", "bob@example.org") == 0,
	    "and no other domain");
	check(owns("alice@example.com", "*@example.com") == 1 &&
	    strcmp(why, "@example.com") == 0,
	    "the literal address *@domain has no owner of its own: @domain "
	    "decides, as smtpd's senders does");
	check(anyone("x@example.edu") == 1 &&
	    strcmp(why, "boss@example.com") == 0,
	    "a grant of *@domain owns the domain's addresses");
	check(unitdb_lookup(b, Q_MAILADDRMAP, "alice@example.com", value,
	    err) == 1 &&
	    strstr(value, "@example.com, ") == NULL &&
	    strcmp(value, "alice@example.com") == 0,
	    "mailaddrmap leaves out a grant of @domain that others' "
	    "addresses narrow (smtpd reads @domain as every address)");
	check(unitdb_lookup(b, Q_MAILADDRMAP, "bob@example.com", value,
	    err) == 1 &&
	    strstr(value, "@example.net") != NULL,
	    "and answers one nothing narrows");
	check(unitdb_lookup(b, Q_MAILADDRMAP, "boss@example.com", value,
	    err) == 1 &&
	    strstr(value, "@example.com") != NULL &&
	    strstr(value, "*@") == NULL,
	    "a grant of *@domain is answered as @domain");
	unitdb_exec("INSERT INTO users VALUES "
	    "('net@example.net', '{PLAIN}x', 1)");
	check(unitdb_lookup(b, Q_MAILADDRMAP, "bob@example.com", value,
	    err) == 1 &&
	    strstr(value, "@example.net") == NULL,
	    "until an address of that domain gets an owner of its own");
	check(owns("bob@example.com", "net@example.net") == 0 &&
	    owns("bob@example.com", "other@example.net") == 1,
	    "which the filter then refuses too");

	/* alias_owns no: an alias does not make its targets own it. */
	unitdb_exec("INSERT INTO settings VALUES ('alias_owns', 'no')");
	check(owns("bob@example.com", "team@example.com") == 0,
	    "alias_owns no: aliases own nothing");
	unitdb_exec("INSERT INTO aliases VALUES "
	    "('sales@example.com', 'ann@example.com')");
	check(owns("ann@example.com", "sales@example.com") == 0,
	    "not even those added after the setting");
	unitdb_exec("UPDATE settings SET value = 'yes' "
	    "WHERE name = 'alias_owns'");
	check(owns("bob@example.com", "team@example.com") == 1 &&
	    owns("ann@example.com", "sales@example.com") == 1,
	    "alias_owns yes: they own them again");
	unitdb_exec("INSERT OR REPLACE INTO settings VALUES "
	    "('alias_owns', 'no')");
	check(owns("ann@example.com", "sales@example.com") == 0,
	    "replaced by no");
	unitdb_exec("DELETE FROM settings");
	check(owns("ann@example.com", "sales@example.com") == 1,
	    "no setting: aliases own");
	backend_free(b);

	/*
	 * A configuration of its own (PostfixAdmin read in place): the
	 * owners query answers the catch-all's targets for "@domain".
	 */
	unitdb_config("query_mailaddrmap SELECT address FROM owners "
	    "WHERE login = ?1\nquery_owners SELECT login FROM owners WHERE "
	    "address = ?1 UNION SELECT group_concat(target) FROM aliases "
	    "WHERE address = ?1 AND substr(?1, 1, 1) = '@' HAVING count(*)\n");
	b = unitdb_backend();
	check(owns("bob@example.com", "stranger@example.org") == 1 &&
	    owns("bob@example.com", "ann@example.com") == 0,
	    "owners of @domain from a query: first match too");
	backend_free(b);

	/* Without query_owners, an address is owned when it is a login. */
	unitdb_config("query_mailaddrmap SELECT address FROM owners "
	    "WHERE login = ?\nquery_credentials SELECT login, password "
	    "FROM users WHERE login = ?\n");
	b = unitdb_backend();
	check(owns("bob@example.com", "ann@example.com") == 0 &&
	    owns("bob@example.com", "x@example.net") == 1,
	    "without query_owners: a login is its own owner, a grant of "
	    "@domain covers the rest");
	check(anyone("ann@example.com") == 1 && anyone("team@example.com") == 0,
	    "without query_owners: logins are owned, aliases are not");
	check(owns("bob@example.com", "bob+x@example.com") == 1,
	    "and extensions still fall back to the base address");
	backend_free(b);

	/* Without either, nothing can be told. */
	unitdb_config("query_mailaddrmap SELECT address FROM owners "
	    "WHERE login = ?\n");
	b = unitdb_backend();
	check(anyone("ann@example.com") == 0,
	    "without owners nor credentials query: no address has an owner");
	backend_free(b);

	/*
	 * "*@domain" is a grant only as a senders row: a user or an alias
	 * of that name (a literal address to Postfix) owns that address
	 * alone, for the filter and in the mailaddrmap answer.
	 */
	unitdb_config("");
	b = unitdb_backend();
	unitdb_exec("INSERT INTO users VALUES "
	    "('mallory@example.com', '{PLAIN}x', 1),"
	    " ('*@example.org', '{PLAIN}x', 1);"
	    "INSERT INTO aliases VALUES "
	    "('*@example.com', 'mallory@example.com')");
	check(owns("mallory@example.com", "bob@example.com") == 0 &&
	    owns("mallory@example.com", "nobody@example.com") == 0,
	    "an alias named *@domain does not grant the domain to its "
	    "target");
	check(unitdb_lookup(b, Q_MAILADDRMAP, "mallory@example.com", value,
	    err) == 1 && !domain_entry(value),
	    "nor does the mailaddrmap answer of its target");
	check(owns("*@example.org", "ann@example.org") == 0,
	    "a login named *@domain does not own the domain");
	r = unitdb_lookup(b, Q_MAILADDRMAP, "*@example.org", value, err);
	check(r == 0 || (r == 1 && !domain_entry(value)),
	    "nor in its mailaddrmap answer");
	check(owns("boss@example.com", "ann@example.com") == 1 &&
	    anyone("x@example.edu") == 1,
	    "a senders grant of *@domain still covers the domain");
	/*
	 * Another login's grant of *@domain leaves a grant of @domain whole:
	 * the filter lets its holder use the addresses nobody owns.
	 */
	unitdb_exec("INSERT INTO senders VALUES "
	    "('ann@example.com', '@example.edu')");
	check(owns("ann@example.com", "x@example.edu") == 1 &&
	    unitdb_lookup(b, Q_MAILADDRMAP, "ann@example.com", value,
	    err) == 1 &&
	    domain_entry(value),
	    "another login's *@domain does not narrow an @domain grant in "
	    "the mailaddrmap answer");
	unitdb_exec("DELETE FROM senders WHERE login = 'ann@example.com'");

	/*
	 * Schema version 1 read a senders row "*@domain" as that address:
	 * until the upgrade, it grants nothing more.
	 */
	unitdb_exec("PRAGMA user_version = 1");
	check(owns("boss@example.com", "ann@example.com") == 0 &&
	    anyone("x@example.edu") == 0,
	    "schema version 1: *@domain is no grant of the domain");
	r = unitdb_lookup(b, Q_MAILADDRMAP, "boss@example.com", value, err);
	check(r == 0 || (r == 1 && !domain_entry(value)),
	    "schema version 1: nor in the mailaddrmap answer");
	unitdb_exec("PRAGMA user_version = 2");
	check(owns("boss@example.com", "ann@example.com") == 1,
	    "schema version 2: it is");

	/*
	 * recipient_delimiter "-": Postfix never splits postmaster,
	 * mailer-daemon, double-bounce, owner-* or *-request
	 * (split_addr(), owner_request_special), so those fall to
	 * "@domain", not to the login before the '-'.
	 */
	unitdb_exec("INSERT INTO users VALUES "
	    "('owner@example.com', '{PLAIN}x', 1),"
	    " ('mailer@example.com', '{PLAIN}x', 1),"
	    " ('double@example.com', '{PLAIN}x', 1)");
	check(owns_d("bob@example.com", "bob-x@example.com", "-") == 1 &&
	    owns_d("bob@example.com", "bob+x@example.com", "+-") == 1,
	    "delimiter -: an extension of the login's own address");
	check(owns_d("bob@example.com", "bob-request@example.com", "-") == 0 &&
	    owns_d("alice@example.com", "bob-request@example.com", "-") == 1,
	    "delimiter -: name-request is not name's, @domain decides");
	check(owns_d("owner@example.com", "owner-team@example.com", "-") == 0 &&
	    owns_d("alice@example.com", "owner-team@example.com", "+-") == 1,
	    "delimiter -: owner-name is not owner's");
	check(owns_d("mailer@example.com", "MAILER-DAEMON@example.com",
	    "-") == 0 &&
	    owns_d("double@example.com", "double-bounce@example.com",
	    "-") == 0,
	    "delimiter -: mailer-daemon and double-bounce are never split");
	check(owns_d("bob@example.com", "bob-request@example.com", "+") == 0 &&
	    owns_d("owner@example.com", "owner+x@example.com", "+-") == 1,
	    "the exceptions hold only for the delimiter -");
	backend_free(b);

	/* A database that cannot answer: -1, never a yes or a no. */
	unitdb_config("");
	b = unitdb_backend();
	unitdb_exec("DROP TABLE owners");
	check(owns("bob@example.com", "bob@example.com") == -1 &&
	    anyone("ann@example.com") == -1,
	    "a database that cannot answer is an error");
	unitdb_exec("DROP TABLE domains");
	check(owner_local_domain(b, "example.com") == OWN_TEMPFAIL,
	    "for local domains too");
	backend_free(b);
	unitdb_free();
	return unit_done();
}
