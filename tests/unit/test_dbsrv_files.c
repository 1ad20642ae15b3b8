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
 * dbsrv_files(): what each server engine reads by name when it connects
 * again inside the sandbox, from the configuration and the environment
 * as its library reads them, and nothing it does not.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbsrv.h"
#include "sqlconf.h"
#include "unit.h"

static int
has(char *const *list, const char *path)
{
	size_t	 i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], path) == 0)
			return 1;
	return 0;
}

static void
clearenv_pg(void)
{
	const char	*v[] = { "PGPASSFILE", "PGSSLCERT", "PGSSLKEY",
			    "PGSSLROOTCERT", "PGSSLCRL", "PGSSLCRLDIR",
			    "PGSERVICE", "PGSERVICEFILE", "PGSYSCONFDIR",
			    "PGHOST", "PGPASSWORD", "MYSQL_UNIX_PORT", NULL };
	size_t		 i;

	for (i = 0; v[i] != NULL; i++)
		unsetenv(v[i]);
}

int
main(void)
{
	const struct dbsrv_ops	*ops;
	struct sqlconf		 c;
	struct dbsrv_files	 f;
	char			 err[256];
	size_t			 i;
	int			 slash;
	char			 pg_hosts[] = "host=/run/pg1,db.example,/run/pg2 dbname=kit "
			    "sslcert=/c/kit.crt sslrootcert='/c/root ca.crt'";
	char			 pg_service[] = "service=kit password=x";
	char			 pg_plain[] = "dbname=kit";
	char			 my_socket[] = "/run/mysqld/mysqld.sock";
	char			 my_hostpath[] = "/var/run/my/s.sock";
	char			 my_hostname[] = "db.example";

	clearenv_pg();
	setenv("HOME", "/home/kit", 1);
	memset(&c, 0, sizeof(c));

	if ((ops = dbsrv_engine(ENGINE_PGSQL, err, sizeof(err))) != NULL) {
		c.conninfo = pg_hosts;
		setenv("PGPASSFILE", "/p/pgpass", 1);
		setenv("PGSSLCRL", "/c/root.crl", 1);
		dbsrv_files(ops, &c, &f);
		check(has(f.read, "/c/kit.crt") &&
		    has(f.read, "/c/root ca.crt"),
		    "pg: the files of conninfo's keywords");
		check(has(f.read, "/p/pgpass") && has(f.read, "/c/root.crl"),
		    "pg: or of their environment variables");
		check(!has(f.read, "/home/kit/.pgpass"),
		    "pg: not ~/.pgpass when PGPASSFILE names another");
		check(has(f.read, "/home/kit/.postgresql/postgresql.key") &&
		    has(f.read, "/home/kit/.postgresql/root.crt"),
		    "pg: the defaults under ~/.postgresql");
		check(!has(f.read, "/home/kit/.pg_service.conf"),
		    "pg: no service file without a service");
		check(has(f.sock, "/run/pg1") && has(f.sock, "/run/pg2") &&
		    f.nsock == 2, "pg: the socket directories of host, only");
		slash = 0;
		for (i = 0; i < f.nread; i++)
			if (strcmp(f.read[i], "/") == 0 ||
			    strcmp(f.read[i], "/home/kit") == 0)
				slash = 1;
		check(!slash, "pg: neither / nor the home directory whole");
		dbsrv_files_free(&f);

		clearenv_pg();
		c.conninfo = pg_service;
		setenv("PGSYSCONFDIR", "/etc/pg", 1);
		dbsrv_files(ops, &c, &f);
		check(has(f.read, "/home/kit/.pg_service.conf") &&
		    has(f.read, "/etc/pg/pg_service.conf"),
		    "pg: a service: the user's and the system's service file");
		check(!has(f.read, "/home/kit/.pgpass"),
		    "pg: a password given: no ~/.pgpass");
		dbsrv_files_free(&f);
		clearenv_pg();
		c.conninfo = pg_plain;
		dbsrv_files(ops, &c, &f);
		check(has(f.read, "/home/kit/.pgpass"),
		    "pg: no password: ~/.pgpass");
		dbsrv_files_free(&f);
		c.conninfo = NULL;
	} else
		printf("# no PostgreSQL in this build: %s\n", err);

	if ((ops = dbsrv_engine(ENGINE_MYSQL, err, sizeof(err))) != NULL) {
		c.socket = my_socket;
		dbsrv_files(ops, &c, &f);
		check(has(f.sock, "/run/mysqld") && f.nsock == 1,
		    "my: the directory of socket");
		dbsrv_files_free(&f);
		c.socket = NULL;
		c.host = my_hostpath;
		dbsrv_files(ops, &c, &f);
		check(has(f.sock, "/var/run/my"), "my: of a host that is a path");
		dbsrv_files_free(&f);
		c.host = my_hostname;
		setenv("MYSQL_UNIX_PORT", "/x/my.sock", 1);
		dbsrv_files(ops, &c, &f);
		check(f.nsock == 0, "my: a host by name: no socket");
		dbsrv_files_free(&f);
		c.host = NULL;
	} else
		printf("# no MariaDB in this build: %s\n", err);
	return unit_done();
}
