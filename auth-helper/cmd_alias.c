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

/* alias add|del|list and sender add|del|list. */

#include <stdio.h>
#include <string.h>

#include "auth_helper.h"

int
cmd_alias_add(struct env *env, int argc, char **argv)
{
	char	 addr[MAXADDR], target[MAXADDR];
	int	 i, programs = env->opt['p'] != NULL;

	if (store_local_address(env, "alias add", argv[0], 1, addr,
	    sizeof(addr)) == -1)
		return -1;
	for (i = 1; i < argc; i++) {
		if (arg_target("alias add", argv[i], programs, target,
		    sizeof(target)) == -1)
			return -1;
		if (strcmp(addr, target) == 0) {
			errx_msg("alias add: %s to itself; nothing changed",
			    addr);
			return -1;
		}
		if (store_exec(env, "INSERT OR IGNORE INTO aliases "
		    "VALUES (?1, ?2)", addr, target, NULL) == -1)
			return -1;
	}
	return 0;
}

int
cmd_alias_del(struct env *env, int argc, char **argv)
{
	char	 addr[MAXADDR], target[MAXADDR];
	int	 r;

	if (arg_address("alias del", argv[0], 1, addr, sizeof(addr)) == -1 ||
	    (argc == 2 && arg_target("alias del", argv[1], 1, target,
	    sizeof(target)) == -1))
		return -1;
	/* The empty target is an account's mailbox: not an alias. */
	if (argc == 2)
		r = store_exec(env, "DELETE FROM aliases WHERE address = ?1 "
		    "AND target = ?2 AND target <> ''", addr, target, NULL);
	else
		r = store_exec(env, "DELETE FROM aliases WHERE address = ?1 "
		    "AND target <> ''", addr, NULL);
	if (r <= 0) {
		if (r == 0)
			errx_msg("alias del: no such alias %s%s%s; nothing "
			    "changed", addr, argc == 2 ? " -> " : "",
			    argc == 2 ? target : "");
		return -1;
	}
	return 0;
}

int
cmd_alias_list(struct env *env, int argc, char **argv)
{
	const char	*keys[] = { "address", "target" };
	char		 addr[MAXADDR];

	if (argc == 0)
		return out_query(env, "SELECT address, target FROM aliases "
		    "WHERE target <> '' ORDER BY address, target", NULL, 2,
		    keys);
	if (strchr(argv[0], '@') == NULL) {
		/* A domain: its aliases and its catch-all. */
		if (arg_list_domain("alias list", argv[0], addr + 1,
		    sizeof(addr) - 1) == -1)
			return -1;
		addr[0] = '@';
		return out_query(env, "SELECT address, target FROM aliases "
		    "WHERE target <> '' AND substr(address, "
		    "instr(address, '@')) = ?1 ORDER BY address, target",
		    addr, 2, keys);
	}
	if (arg_list_address("alias list", argv[0], 1, addr,
	    sizeof(addr)) == -1)
		return -1;
	return out_query(env, "SELECT address, target FROM aliases "
	    "WHERE address = ?1 AND target <> '' ORDER BY target", addr, 2,
	    keys);
}

/*
 * A grant: an address, "@domain" (the addresses of the domain that have
 * no owner of their own) or "*@domain" (every address of the domain).
 */
static int
arg_grant(const char *cmd, const char *in, char *out, size_t len)
{
	if (in[0] != '*' || in[1] != '@')
		return arg_address(cmd, in, 1, out, len);
	if (len < 2)
		return -1;
	out[0] = '*';
	return arg_address(cmd, in + 1, 1, out + 1, len - 1);
}

/*
 * alias owns [yes | no]: whether an alias makes its targets own it (the
 * settings row alias_owns); without an argument, print it.
 */
int
cmd_alias_owns(struct env *env, int argc, char **argv)
{
	const char	*keys[] = { "alias_owns" };

	if (argc == 0)
		return out_query(env, "SELECT CASE WHEN EXISTS (SELECT 1 "
		    "FROM settings WHERE name = 'alias_owns' AND value = 'no') "
		    "THEN 'no' ELSE 'yes' END", NULL, 1, keys);
	if (strcmp(argv[0], "yes") != 0 && strcmp(argv[0], "no") != 0) {
		errx_msg("alias owns: \"%s\": yes or no; nothing changed",
		    argv[0]);
		return -1;
	}
	if (store_exec(env, "INSERT OR REPLACE INTO settings "
	    "VALUES ('alias_owns', ?1)", argv[0], NULL) == -1)
		return -1;
	return 0;
}

int
cmd_sender_add(struct env *env, int argc, char **argv)
{
	char	 login[MAXADDR], addr[MAXADDR];

	if (arg_address("sender add", argv[0], 0, login, sizeof(login)) == -1 ||
	    arg_grant("sender add", argv[1], addr, sizeof(addr)) == -1 ||
	    store_user(env, "sender add", login) == -1)
		return -1;
	if (store_exec(env, "INSERT OR IGNORE INTO senders VALUES (?1, ?2)",
	    login, addr, NULL) == -1)
		return -1;
	return 0;
}

int
cmd_sender_del(struct env *env, int argc, char **argv)
{
	char	 login[MAXADDR], addr[MAXADDR];
	int	 r;

	if (arg_address("sender del", argv[0], 0, login, sizeof(login)) == -1 ||
	    arg_grant("sender del", argv[1], addr, sizeof(addr)) == -1)
		return -1;
	if ((r = store_exec(env, "DELETE FROM senders WHERE login = ?1 "
	    "AND address = ?2", login, addr, NULL)) <= 0) {
		if (r == 0)
			errx_msg("sender del: %s has no grant for %s; nothing "
			    "changed", login, addr);
		return -1;
	}
	return 0;
}

int
cmd_sender_list(struct env *env, int argc, char **argv)
{
	const char	*keys[] = { "login", "address" };
	char		 login[MAXADDR];

	if (argc == 0)
		return out_query(env, "SELECT login, address FROM senders "
		    "ORDER BY login, address", NULL, 2, keys);
	if (arg_list_address("sender list", argv[0], 0, login,
	    sizeof(login)) == -1)
		return -1;
	return out_query(env, "SELECT login, address FROM senders "
	    "WHERE login = ?1 ORDER BY address", login, 2, keys);
}
