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

/* init, and domain add|del|list. */

#include <stdio.h>
#include <string.h>

#include "auth_helper.h"

int
cmd_init(struct env *env, int argc, char **argv)
{
	return store_init(env);
}

int
cmd_domain_add(struct env *env, int argc, char **argv)
{
	char	 d[256];
	int	 i, r;

	for (i = 0; i < argc; i++) {
		if (arg_domain("domain add", argv[i], d, sizeof(d)) == -1)
			return -1;
		if ((r = store_exec(env, "INSERT OR IGNORE INTO domains "
		    "VALUES (?1)", d, NULL)) == -1)
			return -1;
		if (r == 0) {
			errx_msg("domain add: %s exists already; nothing "
			    "changed", d);
			return -1;
		}
	}
	return 0;
}

int
cmd_domain_del(struct env *env, int argc, char **argv)
{
	char	 d[256], pat[260];
	int	 i, r;

	for (i = 0; i < argc; i++) {
		if (arg_domain("domain del", argv[i], d, sizeof(d)) == -1)
			return -1;
		snprintf(pat, sizeof(pat), "@%s", d);
		/* Accounts and aliases of the domain go first. */
		if (store_exists(env, "users",
		    "substr(login, instr(login, '@'))", pat) != 0 ||
		    store_exists(env, "aliases",
		    "substr(address, instr(address, '@'))", pat) != 0) {
			errx_msg("domain del: %s still has users or aliases; "
			    "delete them first (auth-helper user list %s, "
			    "alias list %s); nothing changed", d, d, d);
			return -1;
		}
		if ((r = store_exec(env, "DELETE FROM domains WHERE name = ?1",
		    d, NULL)) == -1)
			return -1;
		if (r == 0) {
			errx_msg("domain del: no domain %s; nothing changed",
			    d);
			return -1;
		}
	}
	return 0;
}

int
cmd_domain_list(struct env *env, int argc, char **argv)
{
	const char	*keys[] = { "domain" };

	return out_query(env, "SELECT name FROM domains ORDER BY name", NULL,
	    1, keys);
}
