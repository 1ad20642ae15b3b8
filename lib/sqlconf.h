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

#ifndef SQLCONF_H
#define SQLCONF_H

/* Where smtpd's files are: the Makefile's SYSCONFDIR. */
#ifndef SYSCONFDIR
#define SYSCONFDIR		"/etc/mail"
#endif

#define SQLCONF_DEFAULT		SYSCONFDIR "/sqlite.conf"

/*
 * The database when the configuration names none: where the system
 * keeps such data (the Makefile sets it: /var/db on the BSDs, /var/lib
 * on Linux).
 */
#ifndef DBPATH_DEFAULT
#define DBPATH_DEFAULT		"/var/db/opensmtpd-kit/kit.sqlite"
#endif

/*
 * The queries a configuration holds, each named by its key: query_alias
 * is Q_ALIAS.  Most answer a service of smtpd's tables; Q_OWNERS, who
 * owns an address (one login a row), is filter-submission's own.
 */
enum query {
	Q_ALIAS,
	Q_DOMAIN,
	Q_CREDENTIALS,
	Q_NETADDR,
	Q_USERINFO,
	Q_SOURCE,
	Q_MAILADDR,
	Q_ADDRNAME,
	Q_MAILADDRMAP,
	Q_OWNERS,
	Q_MAX
};

/* The database engine a configuration reads (its "backend" key). */
enum engine {
	ENGINE_SQLITE,
	ENGINE_PGSQL,
	ENGINE_MYSQL
};

/* The table-sqlite configuration, read by the table and the filter. */
struct sqlconf {
	int		 engine;		/* enum engine */
	char		*backend;		/* its key, as given */
	char		*dbpath;
	/* PostgreSQL (opensmtpd-table-postgres's key) */
	char		*conninfo;
	/* MariaDB and MySQL (opensmtpd-table-mysql's keys, and ours) */
	char		*host;
	char		*username;
	char		*password;
	char		*database;
	char		*socket;
	int		 port;
	/* Both servers: the time limits. */
	int		 connect_timeout;	/* seconds */
	int		 query_timeout;		/* milliseconds */
	char		*query[Q_MAX];
	char		*fetch_source;
	int		 fetch_expire;		/* seconds */
	int		 fetch_refresh;		/* calls */
	int		 busy_timeout;		/* milliseconds */
	int		 auth_offload;
	char		*virtual_user;
	char		*auth_lock_dir;		/* failed-AUTH lockouts */
	int		 defaults;		/* queries of the default schema */
};

int	sqlconf_load(const char *, struct sqlconf *, char *, size_t);
void	sqlconf_free(struct sqlconf *);
int	sqlconf_ncols(int);
int	sqlconf_virtual_user_missing(const struct sqlconf *);
const char *sqlconf_query_name(int);
const char *sqlconf_engine_name(int);
int	sqlconf_query_byname(const char *);

#endif
