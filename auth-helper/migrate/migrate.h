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
 * auth-helper migrate-postfix and import: what the files of the
 * migration share.  The readers (postfix_conf.c, postfix_map.c,
 * postfix_sql.c, dovecot_conf.c) know Postfix and Dovecot; the planners
 * (plan_policy.c, plan_data.c) turn what was read into the new setup;
 * write.c writes it, its rows through kit_rows.c; every decision goes
 * to the report (report.c).
 */

#ifndef MIGRATE_H
#define MIGRATE_H

#include <stddef.h>
#include <stdio.h>

struct env;

/*
 * The database path a written sqlite.conf names unless -d says
 * otherwise, when auth-helper's own configuration names none.
 */
#define MIGRATE_DBPATH		DBPATH_DEFAULT

/* strlist.c: growable lists of strings and of string pairs. */
struct strlist {
	char		**v;
	size_t		  n, cap;
};

struct pair {
	char		*a;
	char		*b;
};

struct pairlist {
	struct pair	*v;
	size_t		 n, cap;
};

void	*grow_array(void *, size_t *, size_t, size_t);
int	 sl_add(struct strlist *, const char *);
int	 sl_addf(struct strlist *, const char *, ...)
	    __attribute__((__format__ (printf, 2, 3)));
int	 sl_has(const struct strlist *, const char *);
void	 sl_free(struct strlist *);
int	 pl_add(struct pairlist *, const char *, const char *);
const char *pl_get(const struct pairlist *, const char *);
int	 pl_has(const struct pairlist *, const char *, const char *);
void	 pl_free(struct pairlist *);
int	 split_list(const char *, struct strlist *);

/* report.c: what became of each setting, for migration-report.txt. */
enum rsect {
	R_SETTING,	/* a Postfix or Dovecot setting and what it became */
	R_TODO,		/* not carried over: what to do instead */
	R_WARN,		/* input that Postfix itself only warns about */
	R_DIFF,		/* an intended difference in behaviour */
	R_DATA,		/* rows imported */
	R_EXPORT,	/* statements to run by hand */
	R_NSECT
};

struct report;

struct report	*report_new(void);
void		 report_free(struct report *);
void		 report_add(struct report *, enum rsect, const char *, ...)
		    __attribute__((__format__ (printf, 3, 4)));
int		 report_error(struct report *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
const char	*report_first_error(struct report *);
int		 report_print(struct report *, FILE *);

/* postfix_conf.c: main.cf and master.cf as Postfix reads them. */
struct postfix_param {
	char		*name;
	char		*value;
	int		 line;
};

struct postfix_service {
	char			*name;		/* "smtp", "587", "host:25" */
	char			*type;		/* "inet", "unix", ... */
	char			*chroot;
	char			*command;	/* "smtpd" */
	struct postfix_param	*opts;		/* -o name=value */
	size_t			 nopts;
	int			 line;
};

struct postfix_conf {
	/* config_directory, as Postfix saw it */
	char			*dir;
	struct postfix_param	*params;
	size_t			 nparams;
	struct postfix_service	*svc;
	size_t			 nsvc;
	struct report		*rep;
};

int	 postfix_conf_read(const char *, struct postfix_conf *,
	    struct report *);
int	 postfix_print(struct postfix_conf *, FILE *);
void	 mig_set_root(const char *);
const char *mig_path(const char *, char *, size_t);
void	 postfix_conf_free(struct postfix_conf *);
char	*postfix_get(struct postfix_conf *, const struct postfix_service *,
	    const char *);
int	 postfix_bool(struct postfix_conf *, const struct postfix_service *,
	    const char *);
int	 postfix_is_set(struct postfix_conf *, const struct postfix_service *,
	    const char *);
void	 postfix_check_unknown(struct postfix_conf *);

/* postfix_sql.c: a lookup query with placeholders, made to list every key. */
enum ph {
	PH_WHOLE,	/* the whole key: Postfix %s, Dovecot %u, %{user} */
	PH_LOCAL,	/* its local part: %u, %n, %{user|username} */
	PH_DOMAIN,	/* its domain: %d, %{user|domain} */
	PH_PERCENT,	/* a literal % */
	PH_NONE
};

/* Recognise a placeholder at s (which starts with '%'); sets *len. */
typedef enum ph (*ph_fn)(const char *, size_t *);

enum ph	 ph_postfix(const char *, size_t *);
enum ph	 ph_dovecot(const char *, size_t *);
int	 sql_enumerate(const char *, ph_fn, char **, const char **);
int	 sql_enumerate_mysql(const char *, ph_fn, char **, const char **);
const char *sql_alias_domains(const char *, int);

/* postfix_map.c: Postfix lookup tables, read whole. */
enum map_kind {
	MAP_ROWS,	/* read: rows hold every key and value */
	MAP_EXTERNAL,	/* mysql:, pgsql:: only their queries were read */
	MAP_UNUSABLE	/* reported; nothing read */
};

struct postfix_map {
	char		*spec;		/* "sqlite:/etc/postfix/x.cf" */
	char		*type;
	char		*name;
	enum map_kind	 kind;
	struct pairlist	 rows;		/* key (lower case), value */
	char		*dbpath;	/* sqlite: the database */
	char		*query;		/* sqlite, mysql, pgsql: the query */
	char		*dbname;	/* mysql, pgsql */
	char		*hosts;
	char		*user;
	char		*password;	/* mysql, pgsql: for -p only */
	char		*static_value;	/* static: every key has it */
};

struct postfix_maps {
	struct postfix_map	*v;
	size_t			 n;
};

int	 postfix_maps_load(struct postfix_conf *,
	    const struct postfix_service *,
	    const char *, struct postfix_maps *, int);
void	 postfix_maps_free(struct postfix_maps *);
const char *postfix_maps_get(const struct postfix_maps *, const char *);

/* dovecot_conf.c: the passdb of dovecot.conf, and its accounts. */
struct account {
	char		*login;
	char		*hash;		/* as stored, with "{SCHEME}" */
	int		 active;
};

struct accounts {
	struct account	*v;
	size_t		 n, cap;
	int		 exported;	/* EXPORT_*: in MySQL, PostgreSQL */
};

int	 dovecot_accounts(const char *, struct accounts *, struct report *);
int	 accounts_add(struct accounts *, const char *, const char *, int);
void	 accounts_free(struct accounts *);

/* The new setup. */
enum ltls { L_NOTLS, L_TLS, L_TLSREQ, L_SMTPS };

struct listener {
	char		*service;	/* the Postfix service it comes from */
	char		*addr;		/* address or interface name */
	int		 port;
	enum ltls	 tls;
	int		 auth;		/* auth-optional <kit> */
	int		 senders;	/* senders <kit> */
	int		 filter;	/* index in plan.filters */
};

/* The keys of a filter-submission.conf; -1: not written. */
struct fconfig {
	char		 name[64];	/* "submission", "mx", ... */
	int		 mx;
	int		 require_tls, require_auth, relay_check;
	int		 sender_check, unauth_sender_check, header_check;
	int		 null_sender;
	char		 delims[16];
	int		 messages_per_hour, recipients_per_message;
	int		 recipients_per_hour, auth_fail_limit;
	int		 soft_bounce, warn_only;
};

#define MAXLISTEN	32
#define MAXFILTER	8

struct kitdata {
	struct strlist	 domains;
	struct accounts	 users;
	struct pairlist	 aliases;	/* address, target */
	struct pairlist	 senders;	/* login, address */
};

/* The files of auth-helper import, exported from MySQL or PostgreSQL. */
enum xfile { X_DOMAINS, X_USERS, X_ALIASES, X_SENDERS, X_NFILES };
#define EXPORT_MYSQL	1
#define EXPORT_PGSQL	2

/* -p: the engine of PostfixAdmin's database. */
#define PF_SQLITE	0
#define PF_MYSQL	1
#define PF_PGSQL	2

struct plan {
	/* Options of the command. */
	const char	*confdir;
	const char	*dbpath;
	int		 keep_pfadmin;

	char		*hostname;
	char		*cert, *key;	/* pki */
	struct listener	 l[MAXLISTEN];
	size_t		 nl;
	struct fconfig	 f[MAXFILTER];
	size_t		 nf;
	char		*deliver;	/* the local delivery action */
	char		*relayhost;	/* "relay host ..." or NULL */
	long long	 max_size;	/* smtp max-message-size, 0: unset */
	int		 sasl;		/* some listener has auth */

	struct kitdata	 data;
	char		*pfadmin_db;	/* -p: its path, or its dbname */
	int		 pfadmin_engine;	/* -p: PF_SQLITE, PF_MYSQL, PF_PGSQL */
	char		*pfadmin_hosts;	/* -p, mysql:, pgsql:: the map's keys */
	char		*pfadmin_user;
	char		*pfadmin_password;
	int		 no_alias_owns;	/* the sender maps read no alias */
	int		 need_offload;
	int		 ext_domains;	/* domains in a mysql:/pgsql: table */
	char		*pipe_domains;	/* "a,b": transport_maps to a command */
	int		 exports[X_NFILES];	/* EXPORT_* */
};

/* sql_export.c: the export of MySQL and PostgreSQL rows, by hand. */
struct xsrc {
	const char	*type;		/* "mysql" or "pgsql" */
	const char	*query;
	ph_fn		 ph;
	const char	*hosts;		/* Postfix: hosts, user, dbname */
	const char	*user;
	const char	*dbname;
	const char	*connect;	/* Dovecot: its connect string */
	const char	*scheme;	/* Dovecot: default_pass_scheme */
};

void	 export_command(struct report *, const char *, const struct xsrc *,
	    enum xfile, int *);
void	 export_import(struct report *, const struct plan *);
void	 export_in_place(void);

/* plan_policy.c: services and restrictions to listeners and filters. */
int	 plan_policy(struct postfix_conf *, struct plan *, struct report *);

/* plan_data.c: maps and passdb to the rows of the database. */
int	 plan_data(struct postfix_conf *, const char *, struct plan *,
	    struct report *);
void	 plan_free(struct plan *);

/* write.c */
int	 smtpd_quotable(const char *);
char	*smtpd_quote(const char *);
int	 migrate_write(struct env *, struct plan *, struct report *,
	    const char *);

/* kit_rows.c: rows into the default schema, in the caller's transaction. */
int	 rows_domain(struct env *, const char *);
int	 rows_user(struct env *, const char *, const char *, int);
int	 rows_alias(struct env *, const char *, const char *);
int	 rows_sender(struct env *, const char *, const char *);
int	 rows_setting(struct env *, const char *, const char *);
int	 rows_alias_domain(struct env *, const char *, const char *);
int	 rows_dead_target(struct env *, const char *, const char *);
int	 rows_schema(struct env *);

/* csv.c: RFC 4180 records. */
struct csv {
	FILE		*fp;
	const char	*path;
	int		 line;
	int		 tab;		/* tab-separated, as mysql --batch */
};

int	 csv_record(struct csv *, struct strlist *, const char **);

/* cmd_migrate.c, cmd_import.c */
int	 cmd_migrate_postfix(struct env *, int, char **);
int	 cmd_import(struct env *, int, char **);

#endif
