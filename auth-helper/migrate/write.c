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
 * Write the new setup: smtpd.conf, sqlite.conf, the filter
 * configurations, the database and the report, all into a temporary
 * directory beside outdir, renamed to outdir only when everything is
 * written.  An existing outdir is never touched.
 */

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../auth_helper.h"
#include "compat.h"
#include "migrate.h"

static const char *
yn(int v)
{
	return v ? "yes" : "no";
}

/*
 * Can smtpd.conf(5) hold s as a quoted string?  Inside double quotes
 * smtpd reads a backslash as an escape or as itself depending on what
 * follows, and drops a line break: a value holding either (or any other
 * control character) cannot be written so that smtpd reads it back.
 */
int
smtpd_quotable(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\\' || iscntrl((unsigned char)*s))
			return 0;
	return 1;
}

/* s (smtpd_quotable()) as a smtpd.conf string: quoted, '"' escaped. */
char *
smtpd_quote(const char *s)
{
	char	*q;
	size_t	 i, n = 0;

	if ((q = malloc(2 * strlen(s) + 3)) == NULL)
		return NULL;
	q[n++] = '"';
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '"')
			q[n++] = '\\';
		q[n++] = s[i];
	}
	q[n++] = '"';
	q[n] = '\0';
	return q;
}

/* Write s quoted: every value of smtpd.conf, never a bare word. */
static void
qs(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('\\', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static void
smtpd_conf(FILE *fp, struct plan *p)
{
	struct listener	*l;
	char		*table;
	size_t		 i;

	fprintf(fp, "# smtpd.conf written by auth-helper migrate-postfix.\n"
	    "# What each line carries over, and what was not, is in\n"
	    "# migration-report.txt.\n\n");
	if (p->cert != NULL) {
		fputs("pki ", fp);
		qs(fp, p->hostname);
		fputs(" cert ", fp);
		qs(fp, p->cert);
		fputs("\npki ", fp);
		qs(fp, p->hostname);
		fputs(" key ", fp);
		qs(fp, p->key);
		fputc('\n', fp);
	}
	fputs("table kit ", fp);
	if (asprintf(&table, "sqlite:%s/sqlite.conf", p->confdir) != -1) {
		qs(fp, table);
		free(table);
	}
	fputc('\n', fp);
	for (i = 0; i < p->nf; i++)
		fprintf(fp, "filter \"%s\" proc-exec \"filter-submission -f "
		    "%s/filter-%s.conf\"\n", p->f[i].name, p->confdir,
		    p->f[i].name);
	if (p->max_size > 0)
		fprintf(fp, "smtp max-message-size %lld\n", p->max_size);
	fprintf(fp, "\n");
	for (i = 0; i < p->nl; i++) {
		l = &p->l[i];
		fprintf(fp, "# %s\nlisten on ", l->service);
		qs(fp, l->addr);
		fprintf(fp, " port %d", l->port);
		if (l->tls == L_TLS || l->tls == L_SMTPS) {
			fputs(l->tls == L_TLS ? " tls pki " : " smtps pki ",
			    fp);
			qs(fp, p->hostname);
		}
		if (l->auth)
			fprintf(fp, " auth-optional <kit>");
		if (l->senders)
			fprintf(fp, " senders <kit>");
		fprintf(fp, " filter \"%s\"\n", p->f[l->filter].name);
	}
	fprintf(fp, "\naction \"deliver\" %s\n", p->deliver);
	if (p->relayhost != NULL)
		fprintf(fp, "action \"outbound\" relay host %s\n",
		    p->relayhost);
	else
		fprintf(fp, "action \"outbound\" relay\n");
	fprintf(fp, "\nmatch from any for domain <kit> action \"deliver\"\n"
	    "match from local for any action \"outbound\"\n");
	if (p->sasl)
		fprintf(fp, "match auth from any for any action "
		    "\"outbound\"\n");
}

/*
 * -p: PostfixAdmin's tables, read in place, in the SQL of each engine
 * (PF_SQLITE, PF_MYSQL, PF_PGSQL): MySQL joins strings with CONCAT()
 * (its || is OR), PostgreSQL has strpos() and btrim() for SQLite's
 * instr() and trim(), and its active columns are boolean, which '1'
 * reads as true there and as 1 in MySQL's tinyint.
 *
 * Who may send as an address: a mailbox its login; an alias its targets
 * only where Postfix's sender maps read the aliases.  An address
 * "*@domain" is never a grant here: the kit reads the key "*@domain" as
 * every address of the domain, which only its own senders table grants,
 * and Postfix read an alias of that name as that one address.
 */
struct pfsql {
	const char	*domain, *alias, *credentials;
	const char	*mailaddrmap_mb, *owners_mb;	/* no alias owns */
	const char	*mailaddrmap, *owners;
};

static const struct pfsql pfsql[] = {
	[PF_SQLITE] = {
	"SELECT domain FROM domain WHERE domain = ?1 AND active = 1 AND "
	"backupmx = 0 UNION SELECT alias_domain FROM alias_domain WHERE "
	"alias_domain = ?1 AND active = 1",
	"SELECT trim(replace(',' || replace(goto, ' ', '') || ',', ',' || ?1 "
	"|| ',', ',' || :virtual_user || ','), ',') FROM alias WHERE address "
	"= ?1 AND active = 1 UNION SELECT :virtual_user FROM mailbox WHERE "
	"username = ?1 AND active = 1 UNION SELECT substr(?1, 1, instr(?1, "
	"'@')) || target_domain FROM alias_domain WHERE alias_domain = "
	"substr(?1, instr(?1, '@') + 1) AND active = 1 AND substr(?1, 1, 1) "
	"<> '@'",
	"SELECT username, password FROM mailbox WHERE username = ?1 AND "
	"active = 1",
	"SELECT username FROM mailbox WHERE username = ?1 AND active = 1",
	"SELECT username FROM mailbox WHERE username = ?1 AND active = 1 AND "
	"substr(?1, 1, 2) <> '*@'",
	"SELECT username FROM mailbox WHERE username = ?1 AND active = 1 "
	"UNION SELECT address FROM alias WHERE active = 1 AND substr(address, "
	"1, 1) <> '@' AND substr(address, 1, 2) <> '*@' AND instr(',' || "
	"replace(goto, ' ', '') || ',', ',' || ?1 || ',') > 0",
	"SELECT username FROM mailbox WHERE username = ?1 AND active = 1 AND "
	"substr(?1, 1, 2) <> '*@' UNION SELECT goto FROM alias WHERE address "
	"= ?1 AND active = 1 AND goto <> '' AND substr(?1, 1, 2) <> '*@'"
	},
	[PF_MYSQL] = {
	"SELECT domain FROM domain WHERE domain = ?1 AND active = '1' AND "
	"backupmx = '0' UNION SELECT alias_domain FROM alias_domain WHERE "
	"alias_domain = ?1 AND active = '1'",
	"SELECT TRIM(BOTH ',' FROM REPLACE(CONCAT(',', REPLACE(goto, ' ', ''), "
	"','), CONCAT(',', ?1, ','), CONCAT(',', :virtual_user, ','))) FROM "
	"alias WHERE address = ?1 AND active = '1' UNION SELECT :virtual_user "
	"FROM mailbox WHERE username = ?1 AND active = '1' UNION SELECT "
	"CONCAT(SUBSTRING(?1, 1, INSTR(?1, '@')), target_domain) FROM "
	"alias_domain WHERE alias_domain = SUBSTRING(?1, INSTR(?1, '@') + 1) "
	"AND active = '1' AND SUBSTRING(?1, 1, 1) <> '@'",
	"SELECT username, password FROM mailbox WHERE username = ?1 AND "
	"active = '1'",
	"SELECT username FROM mailbox WHERE username = ?1 AND active = '1'",
	"SELECT username FROM mailbox WHERE username = ?1 AND active = '1' "
	"AND SUBSTRING(?1, 1, 2) <> '*@'",
	"SELECT username FROM mailbox WHERE username = ?1 AND active = '1' "
	"UNION SELECT address FROM alias WHERE active = '1' AND "
	"SUBSTRING(address, 1, 1) <> '@' AND SUBSTRING(address, 1, 2) <> "
	"'*@' AND INSTR(CONCAT(',', REPLACE(goto, ' ', ''), ','), "
	"CONCAT(',', ?1, ',')) > 0",
	"SELECT username FROM mailbox WHERE username = ?1 AND active = '1' "
	"AND SUBSTRING(?1, 1, 2) <> '*@' UNION SELECT goto FROM alias WHERE "
	"address = ?1 AND active = '1' AND goto <> '' AND SUBSTRING(?1, 1, 2) "
	"<> '*@'"
	},
	[PF_PGSQL] = {
	"SELECT domain FROM domain WHERE domain = ?1 AND active = '1' AND "
	"backupmx = '0' UNION SELECT alias_domain FROM alias_domain WHERE "
	"alias_domain = ?1 AND active = '1'",
	"SELECT btrim(replace(',' || replace(goto, ' ', '') || ',', ',' || "
	"CAST(?1 AS text) || ',', ',' || CAST(:virtual_user AS text) || ','), "
	"',') FROM alias WHERE address = ?1 AND active = '1' UNION SELECT "
	"CAST(:virtual_user AS text) FROM mailbox WHERE username = ?1 AND "
	"active = '1' UNION SELECT substr(?1, 1, strpos(?1, '@')) || "
	"target_domain FROM alias_domain WHERE alias_domain = substr(?1, "
	"strpos(?1, '@') + 1) AND active = '1' AND substr(?1, 1, 1) <> '@'",
	"SELECT username, password FROM mailbox WHERE username = ?1 AND "
	"active = '1'",
	"SELECT username FROM mailbox WHERE username = ?1 AND active = '1'",
	"SELECT username FROM mailbox WHERE username = ?1 AND active = '1' "
	"AND substr(?1, 1, 2) <> '*@'",
	"SELECT username FROM mailbox WHERE username = ?1 AND active = '1' "
	"UNION SELECT address FROM alias WHERE active = '1' AND "
	"substr(address, 1, 1) <> '@' AND substr(address, 1, 2) <> '*@' AND "
	"strpos(',' || replace(goto, ' ', '') || ',', ',' || CAST(?1 AS text) "
	"|| ',') > 0",
	"SELECT username FROM mailbox WHERE username = ?1 AND active = '1' "
	"AND substr(?1, 1, 2) <> '*@' UNION SELECT goto FROM alias WHERE "
	"address = ?1 AND active = '1' AND goto <> '' AND substr(?1, 1, 2) "
	"<> '*@'"
	},
};

static void
pfadmin_owners(FILE *fp, struct plan *p)
{
	const struct pfsql	*q = &pfsql[p->pfadmin_engine];

	if (p->no_alias_owns) {
		fprintf(fp, "# smtpd_sender_login_maps read no alias: an "
		    "alias gives its targets no\n# right to send as it.\n"
		    "query_mailaddrmap %s\nquery_owners %s\n",
		    q->mailaddrmap_mb, q->owners_mb);
		return;
	}
	fprintf(fp, "query_mailaddrmap %s\nquery_owners %s\n", q->mailaddrmap,
	    q->owners);
}

/* A value of a libpq connection string, quoted. */
static void
pq_value(FILE *fp, const char *key, const char *v)
{
	fprintf(fp, " %s='", key);
	for (; *v != '\0'; v++) {
		if (*v == '\'' || *v == '\\')
			fputc('\\', fp);
		fputc(*v, fp);
	}
	fputc('\'', fp);
}

/*
 * One host of Postfix's hosts list ("unix:/path", "inet:host:port",
 * "host:port", "host"): its host (or socket path) and port, in h and
 * pt.
 */
static void
pf_host(const char *s, char *h, size_t hsz, char *pt, size_t psz)
{
	const char	*c;

	pt[0] = '\0';
	if (strncmp(s, "unix:", 5) == 0) {
		strlcpy(h, s + 5, hsz);
		return;
	}
	if (strncmp(s, "inet:", 5) == 0)
		s += 5;
	if (s[0] != '/' && (c = strrchr(s, ':')) != NULL) {
		snprintf(h, hsz, "%.*s", (int)(c - s), s);
		strlcpy(pt, c + 1, psz);
		return;
	}
	strlcpy(h, s, hsz);
}

/* -p on a server: the keys the table connects with, from the map's. */
static void
pfadmin_server(FILE *fp, struct plan *p)
{
	struct strlist	 hosts;
	char		 h[1024], pt[32], hl[2048], pl[512];
	size_t		 i;
	int		 anyport;

	memset(&hosts, 0, sizeof(hosts));
	if (p->pfadmin_hosts != NULL)
		split_list(p->pfadmin_hosts, &hosts);
	if (p->pfadmin_engine == PF_MYSQL) {
		fprintf(fp, "backend mysql\n");
		if (hosts.n > 0) {
			pf_host(hosts.v[0], h, sizeof(h), pt, sizeof(pt));
			fprintf(fp, "%s %s\n", h[0] == '/' ? "socket" : "host",
			    h);
			if (pt[0] != '\0')
				fprintf(fp, "port %s\n", pt);
		}
		if (p->pfadmin_user != NULL)
			fprintf(fp, "username %s\n", p->pfadmin_user);
		if (p->pfadmin_password != NULL)
			fprintf(fp, "password %s\n", p->pfadmin_password);
		fprintf(fp, "database %s\n", p->pfadmin_db);
		sl_free(&hosts);
		return;
	}
	fprintf(fp, "backend postgresql\nconninfo");
	/* A port only where the map gives one, as Postfix passed it. */
	hl[0] = pl[0] = '\0';
	anyport = 0;
	for (i = 0; i < hosts.n; i++) {
		pf_host(hosts.v[i], h, sizeof(h), pt, sizeof(pt));
		if (i > 0) {
			strlcat(hl, ",", sizeof(hl));
			strlcat(pl, ",", sizeof(pl));
		}
		strlcat(hl, h, sizeof(hl));
		strlcat(pl, pt[0] != '\0' ? pt : "5432", sizeof(pl));
		anyport |= pt[0] != '\0';
	}
	if (hosts.n > 0)
		pq_value(fp, "host", hl);
	if (anyport)
		pq_value(fp, "port", pl);
	pq_value(fp, "dbname", p->pfadmin_db);
	if (p->pfadmin_user != NULL)
		pq_value(fp, "user", p->pfadmin_user);
	if (p->pfadmin_password != NULL)
		pq_value(fp, "password", p->pfadmin_password);
	fputc('\n', fp);
	explicit_bzero(hl, sizeof(hl));
	sl_free(&hosts);
}

/* PostfixAdmin's schema, read in place (-p). */
static void
pfadmin_conf(FILE *fp, struct plan *p)
{
	const struct pfsql	*q = &pfsql[p->pfadmin_engine];

	fprintf(fp, "# PostfixAdmin's database, read in place: domain, "
	    "mailbox, alias and\n# alias_domain, with their active "
	    "columns; goto lists are comma-separated.\n");
	if (p->pfadmin_engine == PF_SQLITE)
		fprintf(fp, "dbpath %s\n", p->pfadmin_db);
	else
		pfadmin_server(fp, p);
	fprintf(fp, "query_domain %s\nquery_alias %s\nquery_credentials %s\n",
	    q->domain, q->alias, q->credentials);
	pfadmin_owners(fp, p);
}

static void
filter_conf(FILE *fp, struct plan *p, struct fconfig *f)
{
	fprintf(fp, "# filter-submission.conf(5) written by auth-helper "
	    "migrate-postfix\n"
	    "table %s/sqlite.conf\n"
	    "mode %s\n"
	    "require_tls %s\n"
	    "require_auth %s\n"
	    "relay_check %s\n"
	    "sender_check %s\n"
	    "unauth_sender_check %s\n"
	    "header_check %s\n"
	    "null_sender %s\n"
	    "recipient_delimiter %s\n"
	    "messages_per_hour %d\n"
	    "recipients_per_message %d\n"
	    "recipients_per_hour %d\n"
	    "auth_fail_limit %d\n"
	    "soft_bounce %s\n"
	    "warn_only %s\n", p->confdir, f->mx ? "mx" : "submission",
	    yn(f->require_tls), yn(f->require_auth), yn(f->relay_check),
	    yn(f->sender_check), yn(f->unauth_sender_check),
	    yn(f->header_check), yn(f->null_sender),
	    f->delims[0] != '\0' ? f->delims : "none", f->messages_per_hour,
	    f->recipients_per_message, f->recipients_per_hour,
	    f->auth_fail_limit, yn(f->soft_bounce), yn(f->warn_only));
}

/* Write one file of the new setup; fn writes its text. */
static int
file(const char *dir, const char *name, mode_t mode,
    void (*fn)(FILE *, struct plan *, void *), struct plan *p, void *arg)
{
	char	 path[2048];
	FILE	*fp;
	int	 fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)) == -1 ||
	    (fp = fdopen(fd, "w")) == NULL) {
		errx_msg("migrate-postfix: cannot write %s: %s", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	fn(fp, p, arg);
	if (fflush(fp) == EOF || ferror(fp) || fsync(fileno(fp)) == -1) {
		errx_msg("migrate-postfix: cannot write %s: %s", path,
		    strerror(errno));
		fclose(fp);
		return -1;
	}
	fclose(fp);
	return 0;
}

static void
w_smtpd(FILE *fp, struct plan *p, void *arg)
{
	smtpd_conf(fp, p);
}

static void
w_sqlite(FILE *fp, struct plan *p, void *arg)
{
	if (p->keep_pfadmin)
		pfadmin_conf(fp, p);
	else
		fprintf(fp, "dbpath %s\n", p->dbpath);
}

static void
w_filter(FILE *fp, struct plan *p, void *arg)
{
	filter_conf(fp, p, arg);
}

static void
w_report(FILE *fp, struct plan *p, void *arg)
{
	report_print(arg, fp);
}

static void
w_build(FILE *fp, struct plan *p, void *arg)
{
	fprintf(fp, "dbpath %s/kit.sqlite\n", (const char *)arg);
}

/* The database, filled in one transaction. */
static int
database(struct env *env, struct plan *p, struct report *rep,
    const char *tmp)
{
	char		 conf[2048];
	const char	*saved = env->confpath;
	size_t		 i;
	int		 fd, rv = -1;

	if (file(tmp, ".build.conf", 0600, w_build, p, (void *)tmp) == -1)
		return -1;
	/* It holds every password hash: 0600 from its first byte. */
	snprintf(conf, sizeof(conf), "%s/kit.sqlite", tmp);
	if ((fd = open(conf, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		errx_msg("migrate-postfix: cannot create %s: %s", conf,
		    strerror(errno));
		snprintf(conf, sizeof(conf), "%s/.build.conf", tmp);
		unlink(conf);
		return -1;
	}
	close(fd);
	snprintf(conf, sizeof(conf), "%s/.build.conf", tmp);
	env->confpath = conf;
	if (store_open(env, 1) == -1)
		goto done;
	if (store_begin(env) == -1)
		goto close;
	if (rows_schema(env) == -1)
		goto fail;
	/* Before the aliases: the sender maps read no alias. */
	if (p->no_alias_owns && rows_setting(env, "alias_owns", "no") == -1)
		goto fail;
	for (i = 0; i < p->data.domains.n; i++)
		if (rows_domain(env, p->data.domains.v[i]) == -1)
			goto fail;
	for (i = 0; i < p->data.users.n; i++)
		if (rows_user(env, p->data.users.v[i].login,
		    p->data.users.v[i].hash, p->data.users.v[i].active) == -1)
			goto fail;
	for (i = 0; i < p->data.aliases.n; i++)
		if (rows_alias(env, p->data.aliases.v[i].a,
		    p->data.aliases.v[i].b) == -1)
			goto fail;
	for (i = 0; i < p->data.senders.n; i++)
		if (rows_sender(env, p->data.senders.v[i].a,
		    p->data.senders.v[i].b) == -1)
			goto fail;
	if (store_commit(env) == -1)
		goto close;
	rv = 0;
	goto close;
 fail:
	store_rollback(env);
 close:
	store_close(env);
 done:
	env->confpath = saved;
	unlink(conf);
	return rv;
}

/* Remove what was written into tmp, then tmp. */
static void
discard(const char *tmp, struct plan *p)
{
	static const char *names[] = { "smtpd.conf", "sqlite.conf",
	    "kit.sqlite", "kit.sqlite-journal", "migration-report.txt",
	    ".build.conf" };
	char	 path[2048];
	size_t	 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, names[i]);
		unlink(path);
	}
	for (i = 0; i < p->nf; i++) {
		snprintf(path, sizeof(path), "%s/filter-%s.conf", tmp,
		    p->f[i].name);
		unlink(path);
	}
	rmdir(tmp);
}

int
migrate_write(struct env *env, struct plan *p, struct report *rep,
    const char *outdir)
{
	struct stat	 sb;
	char		 tmp[1024], name[128], *dup, *parent;
	size_t		 i, n;

	if (strlen(outdir) > 900) {
		errx_msg("migrate-postfix: %.40s...: path too long; nothing "
		    "written", outdir);
		return -1;
	}
	if (lstat(outdir, &sb) == 0) {
		errx_msg("migrate-postfix: %s exists: it is never overwritten; "
		    "name a new directory with -o; nothing written", outdir);
		return -1;
	}
	if ((dup = strdup(outdir)) == NULL)
		return -1;
	parent = dirname(dup);
	n = strlen(outdir);
	while (n > 1 && outdir[n - 1] == '/')
		n--;
	snprintf(tmp, sizeof(tmp), "%.*s.tmp.XXXXXX", (int)n, outdir);
	if (mkdtemp(tmp) == NULL) {
		errx_msg("migrate-postfix: cannot make a directory beside %s "
		    "(in %s): %s; nothing written", outdir, parent,
		    strerror(errno));
		free(dup);
		return -1;
	}
	free(dup);
	chmod(tmp, 0755);
	if (file(tmp, "smtpd.conf", 0644, w_smtpd, p, NULL) == -1 ||
	    file(tmp, "sqlite.conf", p->pfadmin_password != NULL ? 0600 :
	    0644, w_sqlite, p, NULL) == -1)
		goto fail;
	for (i = 0; i < p->nf; i++) {
		snprintf(name, sizeof(name), "filter-%s.conf", p->f[i].name);
		if (file(tmp, name, 0644, w_filter, p, &p->f[i]) == -1)
			goto fail;
	}
	if (!p->keep_pfadmin && database(env, p, rep, tmp) == -1)
		goto fail;
	if (file(tmp, "migration-report.txt", 0644, w_report, p, rep) == -1)
		goto fail;
	if (rename(tmp, outdir) == -1) {
		errx_msg("migrate-postfix: cannot rename %s to %s: %s; nothing "
		    "written", tmp, outdir, strerror(errno));
		goto fail;
	}
	return 0;
 fail:
	discard(tmp, p);
	return -1;
}
