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
 * The shell commands that export the rows of a mysql: or pgsql: table,
 * or of Dovecot's sql passdb on MySQL or PostgreSQL, into the files that
 * auth-helper import loads, and that import.  The lookup query is turned
 * into one that lists every key (postfix_sql.c) and run by the database's own
 * client, connected as the map or the passdb connects, on the client
 * side: no FILE privilege, no secure_file_priv, a remote server works.
 * mysql --batch writes tab-separated text (import -t reads it); psql
 * runs COPY ... TO STDOUT in CSV.  Both in UTF-8.  A password is never
 * written in a command: psql asks for it; for mysql, one line asks for
 * each database user's password once and writes it to an option file
 * (mode 0600) that its commands read, and that is removed after the
 * import.
 */

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "migrate.h"

static const char *xname[X_NFILES] = { "domains", "users", "aliases",
    "senders" };
static const char *xopt[X_NFILES] = { "-d", "-u", "-a", "-s" };

/*
 * The MySQL users whose option file the report has a line for: one
 * migrate-postfix run writes one report.
 */
static struct strlist	 cnf_users;

struct conn {
	char	 host[256];	/* a host name, or a socket (directory) */
	char	 port[16];
	char	 user[128];
	char	 dbname[256];	/* or a postgresql:// URI */
	int	 unixsock;
	int	 uri;
};

/* Append to *s; *s NULL after a failure. */
static void
cat(char **s, const char *fmt, ...)
{
	va_list	 ap;
	char	*add, *n;

	if (*s == NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&add, fmt, ap) == -1) {
		va_end(ap);
		free(*s);
		*s = NULL;
		return;
	}
	va_end(ap);
	if (asprintf(&n, "%s%s", *s, add) == -1)
		n = NULL;
	free(add);
	free(*s);
	*s = n;
}

/* s as one shell word: bare, in double quotes, or in single quotes. */
static void
cat_word(char **out, const char *s)
{
	const char	*p;

	if (s[0] != '\0' && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_./:@%+=,-") == strlen(s)) {
		cat(out, "%s", s);
		return;
	}
	if (strpbrk(s, "\"\\$`!") == NULL) {
		cat(out, "\"%s\"", s);
		return;
	}
	cat(out, "'");
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			cat(out, "'\\''");
		else
			cat(out, "%c", *p);
	}
	cat(out, "'");
}

/* " opt" and value as one shell word, when value is set. */
static void
cat_opt(char **cmd, const char *opt, const char *value)
{
	if (value[0] == '\0')
		return;
	cat(cmd, "%s", opt);
	cat_word(cmd, value);
}

/* The first of Postfix's hosts: unix:/path, inet:host:port, host[:port]. */
static void
postfix_hosts(const char *hosts, struct conn *c)
{
	char	 h[256], *colon;

	if (hosts == NULL)
		return;
	hosts += strspn(hosts, " \t,");
	strlcpy(h, hosts, sizeof(h));
	h[strcspn(h, " \t,")] = '\0';
	if (strstr(h, "://") != NULL) {
		/* Postfix's pgsql: hosts may be a URI, database and all. */
		strlcpy(c->dbname, h, sizeof(c->dbname));
		c->uri = 1;
		return;
	}
	if (strncmp(h, "unix:", 5) == 0) {
		strlcpy(c->host, h + 5, sizeof(c->host));
		c->unixsock = 1;
		return;
	}
	if (strncmp(h, "inet:", 5) == 0)
		memmove(h, h + 5, strlen(h + 5) + 1);
	if (h[0] == '[' && (colon = strchr(h, ']')) != NULL) {
		*colon++ = '\0';
		if (*colon == ':')
			strlcpy(c->port, colon + 1, sizeof(c->port));
		strlcpy(c->host, h + 1, sizeof(c->host));
		return;
	}
	if ((colon = strchr(h, ':')) != NULL && strchr(colon + 1, ':') ==
	    NULL) {
		*colon = '\0';
		strlcpy(c->port, colon + 1, sizeof(c->port));
	}
	strlcpy(c->host, h, sizeof(c->host));
}

/* One "key=value" of Dovecot's connect string; the value may be quoted. */
static void
connect_word(char *w, struct conn *c)
{
	char	*v;
	size_t	 n;

	if ((v = strchr(w, '=')) == NULL)
		return;
	*v++ = '\0';
	n = strlen(v);
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v[n - 1] = '\0';
		v++;
	}
	if (strcmp(w, "host") == 0 && c->host[0] == '\0') {
		strlcpy(c->host, v, sizeof(c->host));
		c->unixsock = v[0] == '/';
	} else if (strcmp(w, "port") == 0)
		strlcpy(c->port, v, sizeof(c->port));
	else if (strcmp(w, "user") == 0)
		strlcpy(c->user, v, sizeof(c->user));
	else if (strcmp(w, "dbname") == 0)
		strlcpy(c->dbname, v, sizeof(c->dbname));
}

/*
 * Dovecot's connect string: "host=/run/mysqld/mysqld.sock dbname=mail
 * user=dovecot password=...": the password is left out.
 */
static void
dovecot_connect(const char *s, struct conn *c)
{
	char	 w[256];
	size_t	 n;

	for (;;) {
		s += strspn(s, " \t");
		if ((n = strcspn(s, " \t")) == 0)
			break;
		if (n < sizeof(w)) {
			memcpy(w, s, n);
			w[n] = '\0';
			connect_word(w, c);
		}
		s += n;
	}
}

/*
 * The SQL that selects the rows: all the columns of the query (Postfix
 * joins them), or for the accounts of Dovecot's passdb the login and
 * its password column, with the default scheme on the hashes stored
 * without one.
 */
static char *
select_sql(const struct xsrc *x, enum xfile f, const char *enumq)
{
	char	*s, sch[32];
	size_t	 i;
	int	 r;

	sch[0] = '\0';
	if (x->scheme != NULL && strlen(x->scheme) < sizeof(sch) &&
	    strspn(x->scheme, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
	    "vwxyz0123456789.-_") == strlen(x->scheme))
		for (i = 0; i <= strlen(x->scheme); i++)
			sch[i] = toupper((unsigned char)x->scheme[i]);
	if (f != X_USERS)
		r = asprintf(&s, "SELECT * FROM (%s) AS t", enumq);
	else if (sch[0] == '\0' || strcmp(sch, "CRYPT") == 0)
		r = asprintf(&s, "SELECT pf_key, password FROM (%s) AS t",
		    enumq);
	else
		r = asprintf(&s, "SELECT pf_key, CASE WHEN password IS NULL "
		    "OR password = '' OR password LIKE '{%%' THEN password "
		    "ELSE CONCAT('{%s}', password) END FROM (%s) AS t",
		    sch, enumq);
	return r == -1 ? NULL : s;
}

/* The option file holding the password of MySQL user user. */
static void
cnf_name(const char *user, char *buf, size_t sz)
{
	char	*p;

	snprintf(buf, sz, "mysql-%s.cnf", user);
	for (p = buf + 6; *p != '\0' && p < buf + strlen(buf) - 4; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' &&
		    *p != '.')
			*p = '_';
}

/*
 * The line that asks for the password of MySQL user user once and
 * writes the option file its commands read: mode 0600 (umask), the
 * password in double quotes, a backslash before each backslash and
 * double quote in it, as the client's option files read it, and never on a command line (printf
 * and read are the shell's own).
 */
static void
cnf_prompt(struct report *rep, const char *user)
{
	char	 file[160], who[160];

	if (sl_has(&cnf_users, user))
		return;
	if (sl_add(&cnf_users, user) == -1) {
		report_error(rep, "out of memory");
		return;
	}
	cnf_name(user, file, sizeof(file));
	/* The user as the file names it: no quote can end the prompt. */
	snprintf(who, sizeof(who), "%.*s", (int)strlen(file) - 10, file + 6);
	report_add(rep, R_EXPORT, "(umask 077; stty -echo 2>/dev/null; "
	    "printf 'Password of MySQL user %s: ' >&2; IFS= read -r pw; "
	    "stty echo 2>/dev/null; echo >&2; printf '[client]\\npassword="
	    "\"%%s\"\\n' \"$(printf '%%s' \"$pw\" | sed 's/[\\\\\"]/\\\\&/g')\" "
	    ">%s)  # asks once for the password of the exports below; the "
	    "file is removed after the import", who, file);
}

/* mysql, connected as c, writing the rows of sql tab-separated. */
static char *
mysql_command(const struct conn *c, const char *sql)
{
	char	*cmd, file[160];

	if ((cmd = strdup("mysql")) == NULL)
		return NULL;
	if (c->user[0] != '\0') {
		/* It must be the first option. */
		cnf_name(c->user, file, sizeof(file));
		cat(&cmd, " --defaults-extra-file=%s", file);
	}
	cat(&cmd, " --batch --skip-column-names "
	    "--default-character-set=utf8mb4");
	cat_opt(&cmd, c->unixsock ? " --socket=" : " --host=", c->host);
	cat_opt(&cmd, " --port=", c->port);
	cat_opt(&cmd, " --user=", c->user);
	cat_opt(&cmd, " --database=", c->dbname);
	cat(&cmd, " --execute=");
	cat_word(&cmd, sql);
	return cmd;
}

/* psql, connected as c, writing the rows of sql as CSV. */
static char *
psql_command(const struct conn *c, const char *sql)
{
	char	*cmd, *copy;

	if (asprintf(&copy, "COPY (%s) TO STDOUT WITH (FORMAT csv)",
	    sql) == -1)
		return NULL;
	if ((cmd = strdup("PGCLIENTENCODING=UTF8 psql --no-psqlrc")) ==
	    NULL) {
		free(copy);
		return NULL;
	}
	cat_opt(&cmd, " --host=", c->host);
	cat_opt(&cmd, " --port=", c->port);
	cat_opt(&cmd, " --username=", c->user);
	cat_opt(&cmd, " --dbname=", c->dbname);
	cat(&cmd, " --command=");
	cat_word(&cmd, copy);
	free(copy);
	return cmd;
}

/* -p on a server: the tables are read in place, nothing is exported. */
static int	in_place;

void
export_in_place(void)
{
	in_place = 1;
}

/*
 * Report the command that exports x to the file of kind f, or what to
 * do by hand when its query cannot be turned.  Sets the type's bit in
 * *exported (EXPORT_MYSQL, EXPORT_PGSQL); the export of a second table
 * of a kind adds to the file of the first.
 */
void
export_command(struct report *rep, const char *what, const struct xsrc *x,
    enum xfile f, int *exported)
{
	struct conn	 c;
	char		*q = NULL, *sql, *cmd = NULL, file[32];
	const char	*why = "no query";
	int		 mysql = strcmp(x->type, "mysql") == 0, r = -1, bit;

	if (in_place && f == X_USERS) {
		report_add(rep, R_SETTING, "%s: read in place by sqlite.conf "
		    "(-p), not exported: its query_credentials reads "
		    "PostfixAdmin's mailbox.password of active mailboxes; if "
		    "this query reads something else, change "
		    "query_credentials", what);
		return;
	}
	if (in_place) {
		report_add(rep, R_SETTING, "%s: read in place by sqlite.conf "
		    "(-p), not exported", what);
		return;
	}
	bit = mysql ? EXPORT_MYSQL : EXPORT_PGSQL;
	snprintf(file, sizeof(file), "%s.%s", xname[f], mysql ? "tsv" : "csv");
	if (x->query != NULL && f == X_ALIASES &&
	    sql_alias_domains(x->query, mysql) != NULL) {
		/* PostfixAdmin's alias domains: their pairs. */
		r = (q = strdup(sql_alias_domains(x->query, mysql))) == NULL ?
		    -1 : 0;
		why = "out of memory";
	} else if (x->query != NULL)
		r = mysql ? sql_enumerate_mysql(x->query, x->ph, &q, &why) :
		    sql_enumerate(x->query, x->ph, &q, &why);
	if (r == -1) {
		report_add(rep, R_TODO, "%s: its query cannot be turned into "
		    "an export (%s): export the rows as %s by hand (columns: "
		    "see auth-helper(8), import) and load them with "
		    "auth-helper import %s", what, why, file, xopt[f]);
		return;
	}
	memset(&c, 0, sizeof(c));
	if (x->connect != NULL)
		dovecot_connect(x->connect, &c);
	else {
		postfix_hosts(x->hosts, &c);
		if (x->user != NULL)
			strlcpy(c.user, x->user, sizeof(c.user));
		if (x->dbname != NULL && !c.uri)
			strlcpy(c.dbname, x->dbname, sizeof(c.dbname));
	}
	if (mysql && c.user[0] != '\0')
		cnf_prompt(rep, c.user);
	if ((sql = select_sql(x, f, q)) != NULL)
		cmd = mysql ? mysql_command(&c, sql) : psql_command(&c, sql);
	if (cmd == NULL)
		report_error(rep, "out of memory");
	else {
		report_add(rep, R_EXPORT, "%s %s %s  # %s", cmd,
		    *exported & bit ? ">>" : ">", file, what);
		*exported |= bit;
	}
	free(cmd);
	free(sql);
	free(q);
}

/*
 * The import of the files exported, in one transaction each type: the
 * tab-separated files of MySQL with -t, the CSV of PostgreSQL without.
 */
void
export_import(struct report *rep, const struct plan *p)
{
	char	*cmd, *conf, file[160];
	size_t	 i;
	int	 t, f, any;

	for (t = EXPORT_MYSQL; t <= EXPORT_PGSQL; t <<= 1) {
		any = 0;
		for (f = 0; f < X_NFILES; f++)
			any |= p->exports[f] & t;
		if (!any)
			continue;
		if (asprintf(&conf, "%s/sqlite.conf", p->confdir) == -1 ||
		    (cmd = strdup("auth-helper -f ")) == NULL) {
			report_error(rep, "out of memory");
			return;
		}
		cat_word(&cmd, conf);
		free(conf);
		cat(&cmd, " import");
		if (t == EXPORT_MYSQL)
			cat(&cmd, " -t");
		for (f = 0; f < X_NFILES; f++)
			if (p->exports[f] & t)
				cat(&cmd, " %s %s.%s", xopt[f], xname[f],
				    t == EXPORT_MYSQL ? "tsv" : "csv");
		/* Alias targets a command took (vacation): not forwards. */
		if ((p->exports[X_ALIASES] & t) && p->pipe_domains != NULL) {
			cat(&cmd, " -X ");
			cat_word(&cmd, p->pipe_domains);
		}
		/* The password files go, whatever the import did. */
		if (t == EXPORT_MYSQL && cnf_users.n > 0) {
			cat(&cmd, "; rm -f");
			for (i = 0; i < cnf_users.n; i++) {
				cnf_name(cnf_users.v[i], file, sizeof(file));
				cat(&cmd, " %s", file);
			}
		}
		if (cmd == NULL) {
			report_error(rep, "out of memory");
			return;
		}
		report_add(rep, R_EXPORT, "%s  # the files above, into %s "
		    "(installed there from the written kit.sqlite), in one "
		    "transaction%s", cmd, p->dbpath, t == EXPORT_MYSQL &&
		    cnf_users.n > 0 ? "; then the MySQL password files go" : "");
		free(cmd);
	}
}
