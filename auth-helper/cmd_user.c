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

/* user add|del|passwd|enable|disable|list. */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "auth_helper.h"
#include "passwd.h"
#include "pwcrypt.h"

#define PASSWORD_ADVISED	12	/* characters; shorter ones are warned of */

/* Read a new password twice (on a terminal), hash it, wipe it. */
static int
new_hash(const char *scheme, char *hash, size_t len)
{
	char	 pw[1024];
	int	 rv;

	if (read_password(pw, sizeof(pw), 1) == -1)
		return -1;
	if (strlen(pw) < PASSWORD_ADVISED)
		fprintf(stderr, "auth-helper: warning: a password of %zu "
		    "characters is easy to guess; %d or more are advised\n",
		    strlen(pw), PASSWORD_ADVISED);
	rv = passwd_hash(pw, scheme, hash, len);
	explicit_bzero(pw, sizeof(pw));
	if (rv == -1)
		errx_msg("cannot make a %s hash on this system (it makes "
		    "%s); nothing changed", scheme != NULL ? scheme : "bcrypt",
		    pwcrypt_makes());
	return rv;
}

int
cmd_user_add(struct env *env, int argc, char **argv)
{
	char		 login[MAXADDR], hash[PW_HASH_MAX];
	const char	*scheme = env->opt['s'];
	int		 r;

	/* Check before asking for the password, write after. */
	if (store_begin(env) == -1)
		return -1;
	if (store_local_address(env, "user add", argv[0], 0, login,
	    sizeof(login)) == -1)
		goto fail;
	if ((r = store_exists(env, "users", "login", login)) != 0) {
		if (r == 1)
			errx_msg("user add: %s exists already; nothing "
			    "changed", login);
		goto fail;
	}
	store_rollback(env);
	if (new_hash(scheme, hash, sizeof(hash)) == -1)
		return -1;
	if (store_begin(env) == -1)
		return -1;
	if ((r = store_exec(env, "INSERT OR IGNORE INTO users "
	    "(login, password, active) VALUES (?1, ?2, 1)", login, hash,
	    NULL)) <= 0) {
		if (r == 0)
			errx_msg("user add: %s exists already; nothing "
			    "changed", login);
		goto fail;
	}
	explicit_bzero(hash, sizeof(hash));
	return store_commit(env);
 fail:
	explicit_bzero(hash, sizeof(hash));
	store_rollback(env);
	return -1;
}

/* Run sql (?1 the login) for an existing user. */
static int
user_change(struct env *env, const char *cmd, const char *in,
    const char *sql)
{
	char	 login[MAXADDR];
	int	 r;

	if (arg_address(cmd, in, 0, login, sizeof(login)) == -1)
		return -1;
	if ((r = store_exec(env, sql, login, NULL)) == -1)
		return -1;
	if (r == 0 && store_exists(env, "users", "login", login) == 0) {
		errx_msg("%s: no user %s; nothing changed", cmd, login);
		return -1;
	}
	return 0;
}

int
cmd_user_del(struct env *env, int argc, char **argv)
{
	char	 login[MAXADDR];
	int	 r;

	if (arg_address("user del", argv[0], 0, login, sizeof(login)) == -1)
		return -1;
	if ((r = store_exec(env, "DELETE FROM users WHERE login = ?1",
	    login, NULL)) <= 0) {
		if (r == 0)
			errx_msg("user del: no user %s; nothing changed",
			    login);
		return -1;
	}
	/* Its grants go with it; aliases naming it stay, check says so. */
	if (store_exec(env, "DELETE FROM senders WHERE login = ?1", login,
	    NULL) == -1)
		return -1;
	return 0;
}

int
cmd_user_passwd(struct env *env, int argc, char **argv)
{
	char		 login[MAXADDR], hash[PW_HASH_MAX];
	const char	*scheme = env->opt['s'];
	int		 r;

	if (arg_address("user passwd", argv[0], 0, login,
	    sizeof(login)) == -1 || store_user(env, "user passwd", login) == -1)
		return -1;
	if (new_hash(scheme, hash, sizeof(hash)) == -1)
		return -1;
	if (store_begin(env) == -1)
		goto fail;
	if ((r = store_exec(env, "UPDATE users SET password = ?2 "
	    "WHERE login = ?1", login, hash, NULL)) <= 0) {
		if (r == 0)
			errx_msg("user passwd: no user %s; nothing changed",
			    login);
		store_rollback(env);
		goto fail;
	}
	explicit_bzero(hash, sizeof(hash));
	return store_commit(env);
 fail:
	explicit_bzero(hash, sizeof(hash));
	return -1;
}

int
cmd_user_enable(struct env *env, int argc, char **argv)
{
	return user_change(env, "user enable", argv[0],
	    "UPDATE users SET active = 1 WHERE login = ?1 AND active <> 1");
}

int
cmd_user_disable(struct env *env, int argc, char **argv)
{
	return user_change(env, "user disable", argv[0],
	    "UPDATE users SET active = 0 WHERE login = ?1 AND active <> 0");
}

static void
user_row(struct env *env, const char *login, int active, const char *pw)
{
	const char	*keys[] = { "login", "active", "scheme" };
	const char	*vals[3];
	char		 sch[PW_SCHEME_MAX];

	vals[0] = login;
	vals[1] = active ? "active" : "disabled";
	vals[2] = passwd_scheme(pw, sch, sizeof(sch));
	out_row(env, 3, keys, vals);
}

static int
user_one(void *arg, int n, const char **v)
{
	const char	*errstr;
	int		 active;

	active = v[1] != NULL ? (int)strtonum(v[1], INT_MIN, INT_MAX,
	    &errstr) : 0;
	user_row(arg, v[0] != NULL ? v[0] : "", active, v[2]);
	return 0;
}

int
cmd_user_list(struct env *env, int argc, char **argv)
{
	char		 d[256], pat[260];
	const char	*arg = pat;

	if (argc == 0)
		return store_rows(env, "SELECT login, active, password FROM "
		    "users ORDER BY login", NULL, 0, user_one, env);
	if (arg_list_domain("user list", argv[0], d, sizeof(d)) == -1)
		return -1;
	snprintf(pat, sizeof(pat), "@%s", d);
	return store_rows(env, "SELECT login, active, password FROM users "
	    "WHERE substr(login, instr(login, '@')) = ?1 ORDER BY login",
	    &arg, 1, user_one, env);
}
