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
 * check: what in the database is inconsistent or cannot work.  One line
 * a problem: its kind, the row, what is wrong.  Exit 1 when any.
 */

#include <stdio.h>
#include <string.h>

#include "auth_helper.h"
#include "passwd.h"
#include "pwcrypt.h"
#include "smtpduser.h"

static const char	*target_problem(const char *, char *, size_t);
static const char	*hash_problem(const char *, char *, size_t);

/*
 * Each query's rows: a subject and its detail, or, with a function, a
 * value of the subject's, which the function tells what is wrong with
 * (NULL: nothing).
 */
static const struct check {
	const char	*kind;
	const char	*sql;
	const char	*(*problem)(const char *, char *, size_t);
} checks[] = {
	{ "unknown-domain",
	    "SELECT login, 'user in a domain not in domains' FROM users "
	    "WHERE substr(login, instr(login, '@') + 1) NOT IN "
	    "(SELECT name FROM domains) "
	    "UNION ALL SELECT address, 'alias in a domain not in domains' "
	    "FROM aliases WHERE target <> '' AND "
	    "substr(address, instr(address, '@') + 1) NOT IN "
	    "(SELECT name FROM domains) ORDER BY 1", NULL },
	{ "alias-to-nowhere",
	    "SELECT a.address, 'target ' || a.target || ' is neither an "
	    "account nor an alias' FROM aliases a WHERE a.target <> '' AND "
	    "instr(a.target, '@') > 0 AND substr(a.target, "
	    "instr(a.target, '@') + 1) IN (SELECT name FROM domains) AND "
	    "NOT EXISTS (SELECT 1 FROM users u WHERE u.login = a.target) AND "
	    "NOT EXISTS (SELECT 1 FROM aliases b WHERE b.address = a.target) "
	    "ORDER BY 1", NULL },
	{ "inactive-target",
	    "SELECT a.address, 'target ' || a.target || ' is a disabled "
	    "account' FROM aliases a JOIN users u ON u.login = a.target "
	    "WHERE u.active <> 1 ORDER BY 1", NULL },
	{ "alias-loop",
	    "WITH RECURSIVE walk(start, cur, depth) AS ("
	    " SELECT address, target, 1 FROM aliases WHERE target <> ''"
	    " UNION SELECT w.start, a.target, w.depth + 1 FROM walk w"
	    " JOIN aliases a ON a.address = w.cur"
	    " WHERE a.target <> '' AND w.depth < 32)"
	    " SELECT DISTINCT start, 'expands back to itself' FROM walk"
	    " WHERE cur = start ORDER BY 1", NULL },
	{ "duplicate",
	    "SELECT lower(login), count(*) || ' accounts differ only in "
	    "case' FROM users GROUP BY lower(login) HAVING count(*) > 1 "
	    "UNION ALL SELECT login, 'not in lower case: smtpd looks up "
	    "lower case only' FROM users WHERE login <> lower(login) "
	    "UNION ALL SELECT address, 'not in lower case: smtpd looks up "
	    "lower case only' FROM aliases WHERE address <> lower(address) "
	    "ORDER BY 1", NULL },
	{ "dangling-grant",
	    "SELECT login, 'grant for ' || address || ' to no account' FROM "
	    "senders WHERE login NOT IN (SELECT login FROM users) ORDER BY 1",
	    NULL },
	{ "unsafe-target",
	    "SELECT address, target FROM aliases WHERE target <> '' "
	    "ORDER BY address, target", target_problem },
	{ "hash", "SELECT login, password FROM users ORDER BY login",
	    hash_problem },
};

static void
problem(struct env *env, const char *kind, const char *subject,
    const char *detail)
{
	const char	*keys[] = { "problem", "subject", "detail" };
	const char	*vals[3];

	vals[0] = kind;
	vals[1] = subject;
	vals[2] = detail;
	out_row(env, 3, keys, vals);
}

/*
 * What this system must have for smtpd to use the database: its user
 * can read the configuration and the database; the virtual user exists.
 */
static int
check_system(struct env *env)
{
	const char	*paths[2];
	char		 err[1024];
	int		 n = 0;

	paths[0] = env->confpath;
	paths[1] = NULL;
	switch (smtpd_user_check(paths, &env->conf, err, sizeof(err))) {
	case -1:
		problem(env, "permission", store_name(env), err);
		n++;
		break;
	case 1:
		/* Not smtpd's host: nothing to check, and no fault. */
		if (!env->json)
			printf("note: %s\n", err);
		break;
	}
	if (sqlconf_virtual_user_missing(&env->conf)) {
		snprintf(err, sizeof(err), "virtual_user %s does not exist on "
		    "this system: smtpd refuses every local recipient with 550 "
		    "Invalid recipient; create it (see virtual_user in "
		    "table-sqlite(5))", env->conf.virtual_user);
		problem(env, "virtual-user", env->conf.virtual_user, err);
		n++;
	}
	return n;
}

struct check_ctx {
	struct env		*env;
	const struct check	*check;
	int			 n;
};

static int
check_row(void *arg, int ncols, const char **v)
{
	struct check_ctx	*c = arg;
	char			 detail[1024];
	const char		*why = v[1];

	if (c->check->problem != NULL && (v[0] == NULL ||
	    (why = c->check->problem(v[1], detail, sizeof(detail))) == NULL))
		return 0;
	problem(c->env, c->check->kind, v[0], why);
	c->n++;
	return 0;
}

/* The rows each query of checks finds.  Their number, or -1. */
static int
check_queries(struct env *env)
{
	struct check_ctx	 c = { env, NULL, 0 };
	size_t			 i;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		c.check = &checks[i];
		if (store_rows(env, checks[i].sql, NULL, 0, check_row,
		    &c) == -1)
			return -1;
	}
	return c.n;
}

/* What smtpd would do with the alias target t that it should not. */
static const char *
target_problem(const char *t, char *detail, size_t len)
{
	const char	*why;

	if (t == NULL)
		return NULL;
	switch (target_kind(t)) {
	case TARGET_PROGRAM:
		why = "runs a program as smtpd's user";
		break;
	case TARGET_FILE:
		why = "writes a file as smtpd's user";
		break;
	case TARGET_INCLUDE:
		why = "reads its targets from a file";
		break;
	case TARGET_ERROR:
		why = "answers with an error";
		break;
	case TARGET_BAD:
		why = "is read by smtpd as several targets or none";
		break;
	default:
		return NULL;
	}
	snprintf(detail, len, "target %s %s", t, why);
	return detail;
}

/*
 * What is wrong with the hash pw, or NULL: can smtpd check it, or
 * only the auth service?  detail holds the text that needs one.
 */
static const char *
hash_problem(const char *pw, char *detail, size_t len)
{
	char		 sch[PW_SCHEME_MAX];
	const char	*c;

	if (pw == NULL || pw[0] == '\0')
		return "empty password: the account cannot log in";
	if ((c = passwd_crypt_part(pw)) != NULL) {
		if (pwcrypt_can_check(c))
			return NULL;
		/* OpenBSD: every kind but bcrypt. */
		snprintf(detail, len, "%s hash: this system's %s cannot "
		    "check it (it checks %s): the account cannot log in; set "
		    "a new password (auth-helper user passwd)",
		    passwd_scheme(c, sch, sizeof(sch)), pwcrypt_system(),
		    pwcrypt_checks());
		return detail;
	}
	if (passwd_is_argon2(pw))
		return "Argon2 hash: table-sqlite checks it only with "
		    "auth_offload yes, built with libargon2, and then only "
		    "for a password without capital letters (smtpd "
		    "lower-cases what it hands the table); set a new password "
		    "(auth-helper user passwd)";
	if (passwd_verify("", pw) == PW_UNSUPPORTED)
		return "unsupported hash format: the account cannot log in";
	return "not a crypt(3) hash: works only with auth_offload yes, and "
	    "then only for a password without capital letters (smtpd "
	    "lower-cases what it hands the table); set a new password "
	    "(auth-helper user passwd)";
}

int
cmd_check(struct env *env, int argc, char **argv)
{
	int	 n;

	if ((n = check_queries(env)) == -1)
		return -1;
	n += check_system(env);
	if (n == 0 && !env->json)
		printf("%s: no problem found\n", store_name(env));
	return n == 0 ? 0 : 1;
}
