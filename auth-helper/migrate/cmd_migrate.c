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
 * auth-helper migrate-postfix [-npx] [-c confdir] [-d dbpath]
 *     [-D dovecotdir] [-o outdir] [-r root] [postfixdir]
 *
 * Read a Postfix (and Dovecot) server and write the OpenSMTPD one: the
 * readers, planners and writers are in their own files; this one takes
 * the options and runs them in turn.  Exit 0 when written (warnings are
 * in the report), 1 when refused, with one line saying why.
 */

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../auth_helper.h"
#include "migrate.h"

/* The database auth-helper uses today: the one its sqlite.conf names. */
static char *
current_dbpath(struct env *env)
{
	struct sqlconf	 c;
	char		 err[512], *r;

	if (access(env->confpath, R_OK) == -1 ||
	    sqlconf_load(env->confpath, &c, err, sizeof(err)) == -1)
		return strdup(MIGRATE_DBPATH);
	r = strdup(c.dbpath);
	sqlconf_free(&c);
	return r;
}

static size_t
count(struct plan *p)
{
	return p->data.domains.n + p->data.users.n + p->data.aliases.n +
	    p->data.senders.n;
}

/* -x: main.cf and master.cf as Postfix reads them, printed. */
static int
print_postfix(const char *postfix)
{
	struct postfix_conf	 pc;
	struct report		*rep;
	const char		*err;
	int			 rv = -1;

	memset(&pc, 0, sizeof(pc));
	if ((rep = report_new()) == NULL)
		return -1;
	if (postfix_conf_read(postfix, &pc, rep) == 0 &&
	    postfix_print(&pc, stdout) == 0)
		rv = 0;
	if ((err = report_first_error(rep)) != NULL)
		errx_msg("migrate-postfix: %s", err);
	report_free(rep);
	postfix_conf_free(&pc);
	return rv;
}

/* -p on MariaDB or PostgreSQL: what sqlite.conf reads, and its secret. */
static void
report_pfadmin_server(const struct plan *plan, struct report *rep)
{
	struct strlist	 hosts;
	const char	*eng = plan->pfadmin_engine == PF_MYSQL ? "MariaDB" :
			    "PostgreSQL";

	memset(&hosts, 0, sizeof(hosts));
	if (plan->pfadmin_hosts != NULL)
		split_list(plan->pfadmin_hosts, &hosts);
	report_add(rep, R_DATA, "none: sqlite.conf reads PostfixAdmin's "
	    "%s database %s in place, live, as the maps did (hosts %s, user "
	    "%s): a row added or changed in PostfixAdmin is read at the next "
	    "lookup", eng, plan->pfadmin_db, plan->pfadmin_hosts != NULL ?
	    plan->pfadmin_hosts : "the default", plan->pfadmin_user != NULL ?
	    plan->pfadmin_user : "the default");
	report_add(rep, R_SETTING, "-p: sqlite.conf's queries are "
	    "PostfixAdmin's tables in %s SQL (%s): query_domain the active "
	    "domains that are no backup MX, and the active alias domains; "
	    "query_alias the aliases, the mailboxes and the addresses of the "
	    "alias domains; query_credentials the mailboxes' passwords, as "
	    "Dovecot's passdb of PostfixAdmin reads them; query_owners and "
	    "query_mailaddrmap %s", eng, plan->pfadmin_engine == PF_MYSQL ?
	    "CONCAT() for ||, active = '1' on tinyint" : "strpos() and btrim() "
	    "for instr() and trim(), active = '1' on boolean",
	    plan->no_alias_owns ? "the mailboxes only, since "
	    "smtpd_sender_login_maps read no alias" : "the mailboxes and the "
	    "targets of an alias, as smtpd_sender_login_maps read them (an "
	    "address \"*@domain\" never grants)");
	if (plan->pfadmin_engine == PF_MYSQL && hosts.n > 1)
		report_add(rep, R_TODO, "-p: the maps name %zu MariaDB hosts; "
		    "sqlite.conf connects to the first, %s, only", hosts.n,
		    hosts.v[0]);
	if (plan->pfadmin_password != NULL)
		report_add(rep, R_TODO, "-p: sqlite.conf holds the password "
		    "of the database user %s: it is written mode 0600; install "
		    "it owner root, group of smtpd's user, mode 0640 (chgrp "
		    "opensmtpd sqlite.conf on Debian, _smtpd on OpenBSD; chmod "
		    "0640 sqlite.conf): the table and the filter refuse a file "
		    "that others can read",
		    plan->pfadmin_user != NULL ? plan->pfadmin_user : "");
	sl_free(&hosts);
}

/* The report's rows of each table, and the user the mail needs. */
static void
report_data(const struct plan *plan, struct report *rep,
    const char *outdir)
{
	if (!plan->keep_pfadmin) {
		report_add(rep, R_DATA, "domains: %zu rows",
		    plan->data.domains.n);
		report_add(rep, R_DATA, "users: %zu rows",
		    plan->data.users.n);
		report_add(rep, R_DATA, "aliases: %zu rows",
		    plan->data.aliases.n);
		report_add(rep, R_DATA, "senders: %zu rows",
		    plan->data.senders.n);
		if (outdir != NULL)
			report_add(rep, R_DATA, "%s/kit.sqlite holds every "
			    "password hash: it is written mode 0600; once "
			    "copied to its place (auth-helper init gives the "
			    "copy its group and mode), remove %s", outdir,
			    outdir);
	} else if (plan->pfadmin_engine == PF_SQLITE)
		report_add(rep, R_DATA, "none: sqlite.conf reads "
		    "PostfixAdmin's database %s in place", plan->pfadmin_db);
	else
		report_pfadmin_server(plan, rep);
	if (getpwnam("vmail") == NULL)
		report_add(rep, R_TODO, "every account's mail is delivered "
		    "as the system user vmail, which this machine lacks: "
		    "create it, or name another with virtual_user in "
		    "sqlite.conf");
}

int
cmd_migrate_postfix(struct env *env, int argc, char **argv)
{
	struct postfix_conf	 pc;
	struct plan		 plan;
	struct report		*rep;
	const char		*postfix = "/etc/postfix";
	const char		*dovecot = "/etc/dovecot";
	const char		*outdir = env->opt['o'], *err;
	char			*dbpath, dbuf[1024];
	int			 dry = env->opt['n'] != NULL, rv = -1;

	memset(&plan, 0, sizeof(plan));
	memset(&pc, 0, sizeof(pc));
	plan.confdir = SYSCONFDIR;
	if (env->opt['c'] != NULL)
		plan.confdir = env->opt['c'];
	if (env->opt['D'] != NULL)
		dovecot = env->opt['D'];
	plan.keep_pfadmin = env->opt['p'] != NULL;
	if (env->opt['r'] != NULL) {
		if (env->opt['r'][0] != '/') {
			errx_msg("migrate-postfix: -r %s: give the copy's "
			    "directory as an absolute path", env->opt['r']);
			return CMD_USAGE;
		}
		mig_set_root(env->opt['r']);
	}
	if (argc == 1)
		postfix = argv[0];
	if (env->opt['x'] != NULL)
		return print_postfix(postfix);
	if (outdir == NULL && !dry) {
		errx_msg("migrate-postfix: give -o outdir (or -n to print the "
		    "report only)");
		return CMD_USAGE;
	}
	if (plan.keep_pfadmin && env->opt['d'] != NULL) {
		errx_msg("migrate-postfix: -p keeps PostfixAdmin's database, "
		    "so -d has no meaning with it");
		return CMD_USAGE;
	}
	if (env->opt['d'] != NULL)
		dbpath = strdup(env->opt['d']);
	else
		dbpath = current_dbpath(env);
	if (dbpath == NULL)
		return -1;
	plan.dbpath = dbpath;
	if ((rep = report_new()) == NULL) {
		free(dbpath);
		return -1;
	}
	report_add(rep, R_SETTING, "read %s (main.cf, master.cf) and %s "
	    "(dovecot.conf); the configuration names %s and the database "
	    "%s", postfix, dovecot, plan.confdir, plan.keep_pfadmin ?
	    "of PostfixAdmin, in place" : dbpath);
	if (env->opt['r'] != NULL)
		report_add(rep, R_SETTING, "-r %s: the source server's files "
		    "are read from a copy there; paths keep the meaning they "
		    "had on the source server", env->opt['r']);
	dovecot = mig_path(dovecot, dbuf, sizeof(dbuf));
	if (postfix_conf_read(postfix, &pc, rep) == 0 &&
	    plan_policy(&pc, &plan, rep) == 0 &&
	    plan_data(&pc, dovecot, &plan, rep) == 0) {
		postfix_check_unknown(&pc);
		report_data(&plan, rep, outdir);
	}
	err = report_first_error(rep);
	if (dry) {
		report_print(rep, stdout);
		rv = err == NULL ? 0 : -1;
	} else if (err != NULL)
		errx_msg("migrate-postfix: %s; nothing written", err);
	else if (migrate_write(env, &plan, rep, outdir) == 0) {
		printf("wrote %s: smtpd.conf, sqlite.conf, %zu filter "
		    "configuration%s, %s; %zu rows; read "
		    "%s/migration-report.txt before using them\n", outdir,
		    plan.nf, plan.nf == 1 ? "" : "s", plan.keep_pfadmin ?
		    "no database (-p)" : "kit.sqlite", count(&plan), outdir);
		rv = 0;
	}
	report_free(rep);
	plan_free(&plan);
	postfix_conf_free(&pc);
	free(dbpath);
	return rv;
}
