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

/* table-sqlite/answer.c: what the table answers, whatever the protocol. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "table_sqlite.h"
#include "unit.h"
#include "unitdb.h"

static struct backend	*b;
static char		 val[VALUE_MAX], err[512];

static int
ask(enum table_op op, int service, const char *key)
{
	char	 k[256];

	strlcpy(k, key != NULL ? key : "", sizeof(k));
	val[0] = '\0';
	return table_answer(b, table_services(b), op, service,
	    key != NULL ? k : NULL, strlen(k), val, sizeof(val), err,
	    sizeof(err));
}

int
main(void)
{
	unitdb_new();
	b = unitdb_backend();
	check(table_services(b) == (1 << SVC_ALIAS | 1 << SVC_DOMAIN |
	    1 << SVC_CREDENTIALS | 1 << SVC_MAILADDR | 1 << SVC_MAILADDRMAP),
	    "the default schema serves alias, domain, credentials, mailaddr "
	    "and mailaddrmap");
	check(ask(OP_LOOKUP, SVC_ALIAS, "team@example.com") == 1 &&
	    (strcmp(val, "bob@example.com, ann@example.com") == 0 ||
	    strcmp(val, "ann@example.com, bob@example.com") == 0),
	    "alias lookup: the targets joined");
	check(ask(OP_CHECK, SVC_DOMAIN, "example.org") == 1 &&
	    ask(OP_CHECK, SVC_DOMAIN, "example.net") == 0,
	    "domain check");
	check(ask(OP_LOOKUP, SVC_MAILADDRMAP, "bob@example.com") == 1 &&
	    strstr(val, "@example.net") != NULL,
	    "mailaddrmap: what the login owns");
	/*
	 * smtpd splits these answers at commas outside quotes, and ' is
	 * an atext character: it is answered escaped, "\'".
	 */
	unitdb_exec("INSERT INTO aliases VALUES "
	    "('o''brien@example.com', 'bob@example.com'),"
	    " ('quote@example.com', 'd''arcy@example.com'),"
	    " ('quote@example.com', 'x@example.net')");
	check(ask(OP_LOOKUP, SVC_ALIAS, "quote@example.com") == 1 &&
	    strcmp(val, "d\\'arcy@example.com, x@example.net") == 0,
	    "alias lookup: an apostrophe escaped, the comma after it kept");
	check(ask(OP_LOOKUP, SVC_MAILADDRMAP, "bob@example.com") == 1 &&
	    strstr(val, "o\\'brien@example.com") != NULL &&
	    strstr(val, " o'") == NULL && strncmp(val, "o'", 2) != 0,
	    "mailaddrmap: an apostrophe escaped");
	check(ask(OP_LOOKUP, SVC_MAILADDR, "o'brien@example.com") == 1,
	    "mailaddr keys are not touched");
	check(table_answer(b, table_services(b), OP_LOOKUP, SVC_ALIAS,
	    "quote@example.com", 17, val, 34, err, sizeof(err)) == -1,
	    "an answer that the escape makes too long is an error");
	check(ask(OP_LOOKUP, SVC_NETADDR, "192.0.2.1") == -1 &&
	    strcmp(err, "service netaddr is not configured") == 0,
	    "a service without a query is an error, saying so");
	check(ask(OP_CHECK, SVC_MAX, "x") == -1 &&
	    strcmp(err, "service unknown is not configured") == 0,
	    "so is a service out of range");
	check(ask(OP_CHECK, SVC_AUTH, "bob@example.com:secret") == -1,
	    "auth without auth_offload is not served");
	backend_free(b);

	unitdb_config("auth_offload yes\nquery_credentials SELECT login, "
	    "password FROM users WHERE login = ?1 AND active = 1\n"
	    "fetch_source SELECT name FROM domains ORDER BY name\n");
	b = unitdb_backend();
	check(table_services(b) & (1 << SVC_AUTH | 1 << SVC_SOURCE),
	    "auth_offload serves auth, fetch_source source");
	check(ask(OP_CHECK, SVC_AUTH, "bob@example.com:secret") == 1 &&
	    ask(OP_CHECK, SVC_AUTH, "bob@example.com:wrong") == 0,
	    "auth: the password checked");
	check(ask(OP_LOOKUP, SVC_AUTH, "bob@example.com:secret") == -1 &&
	    strcmp(err, "auth answers check only") == 0,
	    "auth answers a check only");
	check(ask(OP_FETCH, SVC_SOURCE, NULL) == 1 &&
	    strcmp(val, "example.com") == 0 &&
	    ask(OP_FETCH, SVC_SOURCE, NULL) == 1 &&
	    strcmp(val, "example.org") == 0 &&
	    ask(OP_FETCH, SVC_SOURCE, NULL) == 1 &&
	    strcmp(val, "example.com") == 0,
	    "fetch: the rows of fetch_source in turn");
	check(ask(OP_FETCH, SVC_CREDENTIALS, NULL) == -1 &&
	    strcmp(err, "fetch is only for the source service") == 0,
	    "fetch on another service refused");
	backend_free(b);
	unitdb_free();
	return unit_done();
}
