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
 * auth-helper import [-t] [-d domains.csv] [-u users.csv]
 *     [-a aliases.csv] [-s senders.csv]
 *
 * Load rows exported from anywhere (PostfixAdmin on MySQL or
 * PostgreSQL, another panel) in one transaction: all of them, or none
 * when one row is wrong.  The columns:
 *	domains.csv	domain
 *	users.csv	login, password hash (with its {SCHEME}), [active]
 *	aliases.csv	address, targets (separated by commas or blanks)
 *	senders.csv	address, logins that may send as it
 * In aliases.csv and senders.csv, further fields hold more targets or
 * logins, as Postfix joins the columns of a query's rows.
 * A first line whose first field is "domain", "login" or "address" is
 * a header and skipped.  -t: the files are tab-separated, as mysql
 * --batch writes them (csv.c).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth_helper.h"
#include "migrate.h"
#include "passwd.h"
#include "pwcrypt.h"

enum kind { K_DOMAIN, K_USER, K_ALIAS, K_SENDER };

static const char *headers[] = { "domain", "login", "address", "address" };

struct counts {
	int	 n[4];
};

static int
fail_row(struct csv *c, const char *what, const char *errstr)
{
	errx_msg("import: %s, line %d: %s%s%s; nothing imported", c->path,
	    c->line, what, errstr != NULL ? ": " : "",
	    errstr != NULL ? errstr : "");
	return -1;
}

static int
in_domain(struct env *env, struct csv *c, const char *addr)
{
	const char	*at = strrchr(addr, '@');
	int		 r;

	if ((r = store_exists(env, "domains", "name", at + 1)) == 1)
		return 0;
	if (r == 0) {
		errx_msg("import: %s, line %d: %s is not a local domain; "
		    "import it with -d or add it with auth-helper domain "
		    "add; nothing imported", c->path, c->line, at + 1);
	}
	return -1;
}

static int
row(struct env *env, struct csv *c, enum kind k, struct strlist *f,
    struct counts *cnt)
{
	struct strlist	 l;
	char		 a[MAXADDR], b[MAXADDR], sch[PW_SCHEME_MAX];
	const char	*errstr = NULL, *cp;
	size_t		 i;
	int		 active = 1, r;

	if (f->n < (k == K_DOMAIN ? 1u : 2u))
		return fail_row(c, k == K_DOMAIN ? "no domain" :
		    "fewer than 2 fields", NULL);
	switch (k) {
	case K_DOMAIN:
		if (norm_domain(f->v[0], a, sizeof(a), &errstr) == -1)
			return fail_row(c, f->v[0], errstr);
		if (rows_domain(env, a) == -1)
			return -1;
		break;
	case K_USER:
		if (norm_address(f->v[0], 0, a, sizeof(a), &errstr) == -1)
			return fail_row(c, f->v[0], errstr);
		if (in_domain(env, c, a) == -1)
			return -1;
		if (f->n > 2 && strcmp(f->v[2], "0") == 0)
			active = 0;
		if (f->v[1][0] == '\0')
			errx_msg("import: %s, line %d: %s has no password: "
			    "it cannot log in until auth-helper user passwd",
			    c->path, c->line, a);
		else if ((cp = passwd_crypt_part(f->v[1])) != NULL &&
		    !pwcrypt_can_check(cp))
			errx_msg("import: %s, line %d: %s: this system's "
			    "crypt(3) cannot check a %s hash (it checks %s): "
			    "it cannot log in until auth-helper user passwd",
			    c->path, c->line, a, passwd_scheme(cp, sch,
			    sizeof(sch)), pwcrypt_checks());
		else if (cp == NULL &&
		    passwd_verify("", f->v[1]) == PW_UNSUPPORTED)
			errx_msg("import: %s, line %d: %s: no code of the kit "
			    "checks a %s hash: it cannot log in until "
			    "auth-helper user passwd", c->path, c->line, a,
			    passwd_scheme(f->v[1], sch, sizeof(sch)));
		if (rows_user(env, a, f->v[1], active) == -1)
			return -1;
		break;
	case K_ALIAS:
	case K_SENDER:
		if (norm_address(f->v[0], 1, a, sizeof(a), &errstr) == -1)
			return fail_row(c, f->v[0], errstr);
		if (in_domain(env, c, a) == -1)
			return -1;
		/* More fields are more targets, as Postfix joins columns. */
		memset(&l, 0, sizeof(l));
		for (i = 1; i < f->n; i++)
			if (split_list(f->v[i], &l) == -1) {
				sl_free(&l);
				return -1;
			}
		for (i = 0; i < l.n; i++) {
			r = k == K_ALIAS ?
			    norm_target(l.v[i], 0, b, sizeof(b), &errstr) :
			    norm_address(l.v[i], 0, b, sizeof(b), &errstr);
			if (r == -1) {
				sl_free(&l);
				return fail_row(c, l.v[i], errstr);
			}
			if (strcmp(a, b) == 0)
				continue;	/* a mailbox, or its owner */
			/*
			 * An owner that is no login never matched one in
			 * Postfix either (an alias table used as sender
			 * map names outside addresses): left out, said.
			 */
			if (k == K_SENDER && (r = store_exists(env, "users",
			    "login", b)) != 1) {
				if (r == 0) {
					errx_msg("import: %s, line %d: %s may "
					    "send as %s, but is no user of the "
					    "kit (import users before, with "
					    "-u): not imported", c->path,
					    c->line, b, a);
					continue;
				}
				sl_free(&l);
				return -1;
			}
			if ((k == K_ALIAS ? rows_alias(env, a, b) :
			    rows_sender(env, b, a)) == -1) {
				sl_free(&l);
				return -1;
			}
		}
		sl_free(&l);
		break;
	}
	cnt->n[k]++;
	return 0;
}

static int
load(struct env *env, const char *path, enum kind k, int tab,
    struct counts *cnt)
{
	struct csv	 c;
	struct strlist	 f;
	const char	*errstr;
	int		 r, rv = 0;

	memset(&f, 0, sizeof(f));
	c.path = path;
	c.line = 0;
	c.tab = tab;
	if ((c.fp = fopen(path, "r")) == NULL) {
		errx_msg("import: cannot read %s: %s; nothing imported", path,
		    strerror(errno));
		return -1;
	}
	while ((r = csv_record(&c, &f, &errstr)) == 1) {
		if (f.n == 1 && f.v[0][0] == '\0')
			continue;	/* an empty line */
		if (c.line == 1 && strcmp(f.v[0], headers[k]) == 0)
			continue;
		if (row(env, &c, k, &f, cnt) == -1) {
			rv = -1;
			break;
		}
	}
	if (r == -1)
		rv = fail_row(&c, tab ? "malformed tab-separated text" :
		    "malformed CSV", errstr);
	sl_free(&f);
	fclose(c.fp);
	return rv;
}

int
cmd_import(struct env *env, int argc, char **argv)
{
	const char	*files[4];
	struct counts	 cnt;
	int		 k;

	memset(&cnt, 0, sizeof(cnt));
	files[K_DOMAIN] = env->opt['d'];
	files[K_USER] = env->opt['u'];
	files[K_ALIAS] = env->opt['a'];
	files[K_SENDER] = env->opt['s'];
	for (k = 0; k < 4 && files[k] == NULL; k++)
		;
	if (k == 4)
		return CMD_USAGE;
	if (store_begin(env) == -1)
		return -1;
	for (k = 0; k < 4; k++) {
		if (files[k] != NULL && load(env, files[k], k,
		    env->opt['t'] != NULL, &cnt) == -1) {
			store_rollback(env);
			return -1;
		}
	}
	if (store_commit(env) == -1)
		return -1;
	printf("imported %d domains, %d users, %d aliases, %d sender "
	    "grants\n", cnt.n[K_DOMAIN], cnt.n[K_USER], cnt.n[K_ALIAS],
	    cnt.n[K_SENDER]);
	return 0;
}
