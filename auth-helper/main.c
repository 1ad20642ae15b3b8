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

#include <sys/types.h>
#include <sys/resource.h>
#if defined(__has_include)
#if __has_include(<sys/prctl.h>)
#include <sys/prctl.h>
#endif
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth_helper.h"
#include "db.h"
#include "log.h"
#include "migrate/migrate.h"

#define NODB	0	/* needs no database */
#define RW	1	/* opens it for writing */
#define CREATE	2	/* may create it */
#define TX	3	/* RW, in one transaction: see in_transaction() */

/*
 * Every command, its options for getopt(3) (env->opt holds what they
 * were given) and how many arguments follow them.
 */
static const struct command {
	const char	*name;
	const char	*opts;
	const char	*args;
	int		 min, max;	/* arguments; max -1: any */
	int		 db;
	int		 (*fn)(struct env *, int, char **);
} commands[] = {
	{ "init", "", "", 0, 0, CREATE, cmd_init },
	{ "domain add", "", "domain ...", 1, -1, TX, cmd_domain_add },
	{ "domain del", "", "domain ...", 1, -1, TX, cmd_domain_del },
	{ "domain list", "", "", 0, 0, RW, cmd_domain_list },
	{ "user add", "s:", "[-s scheme] login", 1, 1, RW, cmd_user_add },
	{ "user del", "", "login", 1, 1, TX, cmd_user_del },
	{ "user passwd", "s:", "[-s scheme] login", 1, 1, RW,
	    cmd_user_passwd },
	{ "user enable", "", "login", 1, 1, TX, cmd_user_enable },
	{ "user disable", "", "login", 1, 1, TX, cmd_user_disable },
	{ "user list", "", "[domain]", 0, 1, RW, cmd_user_list },
	{ "alias add", "p", "[-p] address target ...", 2, -1, TX,
	    cmd_alias_add },
	{ "alias del", "", "address [target]", 1, 2, TX, cmd_alias_del },
	{ "alias list", "", "[address | domain]", 0, 1, RW, cmd_alias_list },
	{ "alias owns", "", "[yes | no]", 0, 1, TX, cmd_alias_owns },
	{ "sender add", "", "login address", 2, 2, TX, cmd_sender_add },
	{ "sender del", "", "login address", 2, 2, TX, cmd_sender_del },
	{ "sender list", "", "[login]", 0, 1, RW, cmd_sender_list },
	{ "hash", "s:", "[-s scheme]", 0, 0, NODB, cmd_hash },
	{ "verify", "", "login", 1, 1, RW, cmd_verify },
	{ "owns", "d:", "[-d delimiters] login address", 2, 2, RW, cmd_owns },
	{ "plain", "", "login", 1, 1, NODB, cmd_plain },
	{ "check", "", "", 0, 0, RW, cmd_check },
	{ "backup", "", "dest", 1, 1, NODB, cmd_backup },
	{ "import", "td:u:a:s:X:", "[-t] [-d domains.csv] [-u users.csv] "
	    "[-a aliases.csv] [-s senders.csv] [-X domains]", 0, 0, RW,
	    cmd_import },
	{ "migrate-postfix", "npxc:d:D:o:r:", "[-npx] [-c confdir] "
	    "[-d dbpath] [-D dovecotdir] [-o outdir] [-r root] [postfixdir]",
	    0, 1, NODB,
	    cmd_migrate_postfix },
};

#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static __attribute__((__noreturn__)) void
usage(void)
{
	size_t	 i;

	fprintf(stderr, "usage: auth-helper [-j] [-f sqlite.conf] command "
	    "[argument ...]\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(stderr, "\t%s %s\n", commands[i].name,
		    commands[i].args);
	exit(1);
}

/*
 * "user" alone, or "user frobnicate": the commands of that group.
 * 0 when word names a group, -1 when not.
 */
static int
group_usage(const char *word)
{
	size_t	 i, n = strlen(word);
	int	 found = 0;

	for (i = 0; i < NCOMMANDS; i++) {
		if (strncmp(commands[i].name, word, n) != 0 ||
		    commands[i].name[n] != ' ')
			continue;
		if (!found)
			errx_msg("%s: which one?", word);
		found = 1;
		fprintf(stderr, "\tauth-helper %s %s\n", commands[i].name,
		    commands[i].args);
	}
	return found ? 0 : -1;
}

/* The command named by the first one or two words of argv. */
static const struct command *
lookup(int argc, char **argv, int *used)
{
	char	 two[64];
	size_t	 i;

	for (i = 0; i < NCOMMANDS; i++) {
		if (strchr(commands[i].name, ' ') == NULL) {
			if (strcmp(commands[i].name, argv[0]) == 0) {
				*used = 1;
				return &commands[i];
			}
			continue;
		}
		if (argc < 2)
			continue;
		snprintf(two, sizeof(two), "%s %s", argv[0], argv[1]);
		if (strcmp(commands[i].name, two) == 0) {
			*used = 2;
			return &commands[i];
		}
	}
	return NULL;
}

/*
 * The options of command c into env->opt.  argv[0] is the command's last
 * word, as getopt(3) wants; the arguments left are returned in *argcp,
 * *argvp.  -1 on an unknown option or a missing argument.
 */
static int
command_options(const struct command *c, struct env *env, int *argcp,
    char ***argvp)
{
	char		 optstr[32];
	const char	*o;
	int		 ch;

	/* Without options, an argument starting with '-' is an argument. */
	if (c->opts[0] == '\0')
		return 0;
	/* '+': stop at the first argument, not only in POSIX mode. */
	snprintf(optstr, sizeof(optstr), "+%s", c->opts);
	opterr = 0;
	optind = 1;
	while ((ch = getopt(*argcp + 1, *argvp - 1, optstr)) != -1) {
		if (ch == '?' || (o = strchr(c->opts, ch)) == NULL)
			return -1;
		env->opt[ch] = o[1] == ':' ? optarg : "";
	}
	*argcp -= optind - 1;
	*argvp += optind - 1;
	return 0;
}

/*
 * Run command c in one transaction: committed when it succeeds, rolled
 * back when it fails, so that a failed command changes nothing.
 */
static int
in_transaction(const struct command *c, struct env *env, int argc,
    char **argv)
{
	int	 rv;

	if (store_begin(env) == -1)
		return -1;
	if ((rv = c->fn(env, argc, argv)) != 0) {
		store_rollback(env);
		return rv;
	}
	return store_commit(env);
}

/* No core dump may hold a password this process read. */
static void
no_core_dumps(void)
{
	struct rlimit	 rl = { 0, 0 };

	setrlimit(RLIMIT_CORE, &rl);
#ifdef PR_SET_DUMPABLE
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

int
main(int argc, char *argv[])
{
	const struct command	*c;
	struct env		 env;
	int			 used, rv;

	no_core_dumps();
	memset(&env, 0, sizeof(env));
	env.confpath = SQLCONF_DEFAULT;
	/* Options come before the command; the command's own follow it. */
	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		if (strcmp(argv[0], "-j") == 0)
			env.json = 1;
		else if (strcmp(argv[0], "-f") == 0 && argc > 1) {
			env.confpath = argv[1];
			argc--;
			argv++;
		} else
			usage();
	}
	if (argc == 0)
		usage();
	if ((c = lookup(argc, argv, &used)) == NULL) {
		if (group_usage(argv[0]) == 0)
			return 1;
		errx_msg("unknown command \"%s%s%s\"", argv[0],
		    argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
		usage();
	}
	argc -= used;
	argv += used;
	if (command_options(c, &env, &argc, &argv) == -1 ||
	    argc < c->min || (c->max != -1 && argc > c->max)) {
		errx_msg("usage: auth-helper %s %s", c->name, c->args);
		return 1;
	}
	log_init("auth-helper", LOG_TO_STDERR, 0);
	db_init();
	if (c->db != NODB && store_open(&env, c->db == CREATE) == -1) {
		store_close(&env);
		return 1;
	}
	/* import (migrate/) writes SQLite only, as yet. */
	if (env.conn != NULL && c->fn == cmd_import) {
		errx_msg("import writes an SQLite database only: import into "
		    "one, then copy its rows to the server, or use the "
		    "other commands");
		store_close(&env);
		return 1;
	}
	if (c->db == TX)
		rv = in_transaction(c, &env, argc, argv);
	else
		rv = c->fn(&env, argc, argv);
	if (c->db != NODB)
		store_close(&env);
	if (rv == CMD_USAGE)
		errx_msg("usage: auth-helper %s %s", c->name, c->args);
	return rv == 0 ? 0 : 1;
}
