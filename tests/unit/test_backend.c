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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "backend.h"
#include "compat.h"
#include "log.h"
#include "schema.h"
#include "unit.h"
#include "unitdb.h"

static int	 armed, disarmed, armed_ms;

/* The event loop's side of shared read transactions, by hand. */
static void
arm(void *arg, int ms)
{
	armed++;
	armed_ms = ms;
}

static void
disarm(void *arg)
{
	disarmed++;
}

/* A backend on the configuration text does not get ready: err says why. */
static int
refused(const char *text, const char *why)
{
	struct backend	*b;
	char		 err[512];
	int		 r;

	unitdb_config(text);
	b = backend_new(unitdb_conf, err, sizeof(err));
	r = b != NULL && backend_ready(b, err, sizeof(err)) == -1 &&
	    strstr(err, why) != NULL;
	backend_free(b);
	return r;
}

int
main(void)
{
	struct backend	*b, *b2;
	char		 val[VALUE_MAX], err[512], key[256];
	int		 i;

	unitdb_dirs();
	unitdb_config("");
	b = backend_new(unitdb_conf, err, sizeof(err));
	check(b != NULL && backend_ready(b, err, sizeof(err)) == -1 &&
	    strstr(err, "cannot open database") != NULL &&
	    access(unitdb_path, F_OK) == -1,
	    "a missing database is an error and is not created");
	check(unitdb_lookup(b, Q_ALIAS, "a@b", val, err) == -1,
	    "lookups fail while it is missing");

	unitdb_exec(schema_sql);
	unitdb_exec("INSERT INTO domains VALUES ('example.com');"
	    "INSERT INTO users VALUES ('bob@example.com', "
	    "'{SHA512-CRYPT}$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5"
	    "n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1', 1);"
	    "INSERT INTO users VALUES ('eve@example.com', '$6$x$y', 0);"
	    "INSERT INTO users VALUES ('ann@example.com', '{SSHA512}abc', 1);"
	    "INSERT INTO aliases VALUES ('team@example.com', 'bob@example.com');"
	    "INSERT INTO aliases VALUES ('team@example.com', 'ann@example.com');"
	    "INSERT INTO aliases VALUES ('@example.com', 'bob@example.com');"
	    "INSERT INTO senders VALUES ('bob@example.com', '@example.org');");
	sleep(1);	/* let the once-a-second retry pass */
	check(unitdb_lookup(b, Q_CREDENTIALS, "bob@example.com", val,
	    err) == 1 &&
	    strncmp(val, "bob@example.com:$6$saltsalt$", 28) == 0,
	    "the database is picked up once it exists; prefix stripped");
	check(unitdb_lookup(b, Q_CREDENTIALS, "eve@example.com", val, err) == 0,
	    "inactive user not found");
	check(unitdb_lookup(b, Q_CREDENTIALS, "ann@example.com", val, err) == 0,
	    "a hash smtpd cannot check is not handed out");
	check(unitdb_lookup(b, Q_ALIAS, "team@example.com", val, err) == 1 &&
	    strcmp(val, "ann@example.com, bob@example.com") == 0,
	    "alias targets joined");
	check(unitdb_lookup(b, Q_ALIAS, "bob@example.com", val, err) == 1 &&
	    strcmp(val, "vmail") == 0,
	    "a user's address maps to the virtual user");
	check(unitdb_lookup(b, Q_ALIAS, "@example.com", val, err) == 1 &&
	    strcmp(val, "bob@example.com") == 0, "catch-all found");
	check(unitdb_lookup(b, Q_MAILADDRMAP, "bob@example.com", val,
	    err) == 1 &&
	    strcmp(val, "@example.org, bob@example.com, team@example.com") == 0,
	    "mailaddrmap: own address, aliases, grants, no catch-all");
	unitdb_exec("UPDATE users SET active = 0 WHERE login = 'bob@example.com';");
	sleep(1);
	check(unitdb_lookup(b, Q_ALIAS, "bob@example.com", val, err) == 0 &&
	    unitdb_lookup(b, Q_MAILADDRMAP, "bob@example.com", val, err) == 1 &&
	    strcmp(val, "@example.org, team@example.com") == 0,
	    "disabling a user drops its mailbox and its own address");
	unitdb_exec("UPDATE users SET active = 1 WHERE login = 'bob@example.com';"
	    "DELETE FROM aliases WHERE address = 'team@example.com' AND "
	    "target = 'bob@example.com';"
	    "DELETE FROM senders;");
	check(unitdb_lookup(b, Q_MAILADDRMAP, "bob@example.com", val,
	    err) == 1 &&
	    strcmp(val, "bob@example.com") == 0 &&
	    unitdb_lookup(b, Q_ALIAS, "bob@example.com", val, err) == 1 &&
	    strcmp(val, "vmail") == 0,
	    "the triggers follow enabling, alias and grant removal");
	unitdb_exec("INSERT INTO aliases VALUES ('team@example.com', "
	    "'bob@example.com'); INSERT INTO senders VALUES "
	    "('bob@example.com', '@example.org');");
	check(backend_check(b, Q_DOMAIN, "example.com", err,
	    sizeof(err)) == 1 && backend_check(b, Q_DOMAIN, "example.net",
	    err, sizeof(err)) == 0, "domain check");
	check(backend_check(b, Q_MAILADDR, "team@example.com", err,
	    sizeof(err)) == 1, "mailaddr check of an alias");

	/* With an event loop, lookups close together share a read. */
	backend_keep_reads(b, arm, disarm, NULL);
	check(backend_check(b, Q_DOMAIN, "example.com", err,
	    sizeof(err)) == 1 && !sqlite3_get_autocommit(b->db) &&
	    armed == 1 && armed_ms > 0,
	    "a lookup opens a read transaction and asks for a tick");
	check(backend_check(b, Q_DOMAIN, "example.net", err,
	    sizeof(err)) == 0 && armed == 1,
	    "the next lookup shares it");
	backend_tick(b);
	check(!sqlite3_get_autocommit(b->db) && armed == 2,
	    "a tick after lookups keeps it, and asks for the next");
	backend_tick(b);
	check(sqlite3_get_autocommit(b->db) && disarmed == 1,
	    "a tick without lookups ends it");
	unitdb_exec("INSERT INTO domains VALUES ('new.example');");
	check(backend_check(b, Q_DOMAIN, "new.example", err,
	    sizeof(err)) == 1, "a writer gets through and its change is seen");

	/* Reload twice, as smtpctl update table would. */
	for (i = 0; i < 2; i++) {
		b2 = backend_new(unitdb_conf, err, sizeof(err));
		if (b2 != NULL && backend_ready(b2, err, sizeof(err)) == 0) {
			backend_free(b);
			b = b2;
		}
	}
	check(backend_check(b, Q_DOMAIN, "example.com", err,
	    sizeof(err)) == 1, "still answering after two reloads");

	/* Rows the protocol cannot carry. */
	unitdb_exec("CREATE TABLE odd (k TEXT, v TEXT, n INTEGER);"
	    "INSERT INTO odd VALUES ('null', NULL, 1);"
	    "INSERT INTO odd VALUES ('lf', 'a' || char(10) || 'b', 1);"
	    "INSERT INTO odd VALUES ('cr', 'a' || char(13), 1);"
	    "INSERT INTO odd VALUES ('empty', '', 1);"
	    "INSERT INTO odd VALUES ('list', 'x', 1);"
	    "INSERT INTO odd VALUES ('list', NULL, 1);"
	    "INSERT INTO odd VALUES ('ui', '/home/u', 1000);"
	    "INSERT INTO odd VALUES ('uibad', '/home/u', NULL);");
	unitdb_config("query_alias SELECT v FROM odd WHERE k = ?\n"
	    "query_userinfo SELECT n, n, v FROM odd WHERE k = ?\n");
	b2 = backend_new(unitdb_conf, err, sizeof(err));
	check(b2 != NULL && backend_ready(b2, err, sizeof(err)) == 0,
	    "custom queries prepared");
	backend_free(b);
	b = b2;
	check(unitdb_lookup(b, Q_ALIAS, "null", val, err) == -1 && strstr(err,
	    "row 1 column 1 is NULL"),
	    "NULL column is an error naming the row");
	check(unitdb_lookup(b, Q_ALIAS, "lf", val, err) == -1 &&
	    strstr(err, "LF"),
	    "LF in value is an error");
	check(unitdb_lookup(b, Q_ALIAS, "cr", val, err) == -1,
	    "CR in value is an error");
	check(unitdb_lookup(b, Q_ALIAS, "empty", val, err) == -1 && strstr(err,
	    "empty"),
	    "empty value is an error");
	check(unitdb_lookup(b, Q_ALIAS, "list", val, err) == -1 && strstr(err,
	    "row 2"),
	    "a bad second row of a list is an error naming row 2");
	check(unitdb_lookup(b, Q_USERINFO, "ui", val, err) == 1 && strcmp(val,
	    "1000:1000:/home/u") == 0,
	    "userinfo formatted uid:gid:home");
	check(unitdb_lookup(b, Q_USERINFO, "uibad", val, err) == -1,
	    "userinfo with a NULL uid is an error");

	/* A broken configuration does not replace the running one. */
	check(refused("query_alias SELECT nosuchcolumn FROM odd WHERE k = ?\n",
	    "nosuchcolumn"),
	    "a query that does not prepare is refused with the reason");
	check(refused("query_alias SELECT v, v FROM odd WHERE k = ?\n",
	    "2 columns, 1 expected"),
	    "a query with the wrong column count is refused");

	/* Removed, then put back. */
	snprintf(key, sizeof(key), "%s.moved", unitdb_path);
	rename(unitdb_path, key);
	sleep(1);
	check(unitdb_lookup(b, Q_ALIAS, "list", val, err) == -1 && strstr(err,
	    "gone") != NULL,
	    "a removed database is noticed within a second");
	{
		char	 other[160];
		FILE	*fp;

		/* A reload beside it fails on another file. */
		snprintf(other, sizeof(other), "%s/other.conf", unitdb_dir);
		if ((fp = fopen(other, "w")) == NULL)
			return 1;
		fprintf(fp, "dbpath %s/other.sqlite\n", unitdb_dir);
		fclose(fp);
		b2 = backend_new(other, err, sizeof(err));
		check(b2 != NULL && backend_ready(b2, err, sizeof(err)) == -1 &&
		    strstr(err, "other.sqlite") != NULL,
		    "a second backend fails on its own database");
		check(unitdb_lookup(b, Q_ALIAS, "list", val, err) == -1 &&
		    strstr(err, unitdb_path) != NULL &&
		    strstr(err, "other.sqlite") == NULL,
		    "the first still reports its own error, not the second's");
		backend_free(b2);
		unlink(other);
	}
	rename(key, unitdb_path);
	sleep(1);
	check(unitdb_lookup(b, Q_USERINFO, "ui", val, err) == 1,
	    "and picked up again when it is back");
	backend_free(b);

	unitdb_free();
	return unit_done();
}
