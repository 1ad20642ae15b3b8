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
 *     [-a aliases.csv] [-s senders.csv] [-X domains]
 *
 * Load rows exported from anywhere (PostfixAdmin on MySQL or
 * PostgreSQL, another panel) in one transaction: all of them, or none
 * when a row is wrong; every file is read to the end first, so that one
 * run names every broken row.  Rows Postfix itself never used are left
 * out and named in one warning: PostfixAdmin's domain "ALL", and the
 * rows of a domain that is not the kit's (a disabled domain), which is
 * never added for them.  The columns:
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

#include "compat.h"
#include "../auth_helper.h"
#include "migrate.h"
#include "passwd.h"
#include "pwcrypt.h"

enum kind { K_DOMAIN, K_USER, K_ALIAS, K_SENDER };

static const char *headers[] = { "domain", "login", "address", "address" };

struct run {
	struct strlist	 pipes;		/* -X: targets a command took */
	int		 n[4];		/* rows imported, per kind */
	int		 errors;	/* broken rows: nothing is imported */
	struct pairlist	 skipped;	/* domain, "file, line N" */
	struct pairlist	 adom;		/* alias domains: src, dst */
	struct pairlist	 imported;	/* alias rows: address, target */
};

/* A broken row: said with its line; the import goes on to find more. */
static int
fail_row(struct run *r, struct csv *c, const char *what, const char *errstr)
{
	errx_msg("import: %s, line %d: %s%s%s", c->path, c->line, what,
	    errstr != NULL ? ": " : "", errstr != NULL ? errstr : "");
	r->errors++;
	return 0;
}

/* A row Postfix never used: left out, and named in the summary. */
static int
skip_row(struct run *r, struct csv *c, const char *domain)
{
	char	*where;
	int	 rv;

	if (asprintf(&where, "%s, line %d", c->path, c->line) == -1)
		return -1;
	rv = pl_add(&r->skipped, domain, where);
	free(where);
	return rv;
}

/*
 * Is the domain of addr one of the kit's?  1 yes, 0 no, -1 error.  The
 * rows of a domain that is not (PostfixAdmin's disabled domains: its
 * Dovecot and alias queries do not check domain.active) were never used
 * by Postfix, whose domain query decides.
 */
static int
in_domain(struct env *env, const char *addr)
{
	const char	*at = strrchr(addr, '@');

	return store_exists(env, "domains", "name", at + 1);
}

/* A row of domains.csv.  1 imported, 0 not (said), -1 error. */
static int
row_domain(struct env *env, struct run *run, struct csv *c,
    struct strlist *f)
{
	char		 a[MAXADDR];
	const char	*errstr = NULL;

	/* PostfixAdmin's placeholder for "every domain". */
	if (strcmp(f->v[0], "ALL") == 0)
		return skip_row(run, c, "ALL");
	if (norm_domain(f->v[0], a, sizeof(a), &errstr) == -1)
		return fail_row(run, c, f->v[0], errstr);
	return rows_domain(env, a) == -1 ? -1 : 1;
}

/* Says so when the account a cannot log in with hash. */
static void
user_hash(struct csv *c, const char *a, const char *hash)
{
	char		 sch[PW_SCHEME_MAX];
	const char	*cp;

	if (hash[0] == '\0')
		errx_msg("import: %s, line %d: %s has no password: "
		    "it cannot log in until auth-helper user passwd",
		    c->path, c->line, a);
	else if ((cp = passwd_crypt_part(hash)) != NULL &&
	    !pwcrypt_can_check(cp))
		errx_msg("import: %s, line %d: %s: this system's "
		    "crypt(3) cannot check a %s hash (it checks %s): "
		    "it cannot log in until auth-helper user passwd",
		    c->path, c->line, a, passwd_scheme(cp, sch,
		    sizeof(sch)), pwcrypt_checks());
	else if (cp == NULL && passwd_verify("", hash) == PW_UNSUPPORTED)
		errx_msg("import: %s, line %d: %s: no code of the kit "
		    "checks a %s hash: it cannot log in until "
		    "auth-helper user passwd", c->path, c->line, a,
		    passwd_scheme(hash, sch, sizeof(sch)));
}

/* A row of users.csv.  1 imported, 0 not (said), -1 error. */
static int
row_user(struct env *env, struct run *run, struct csv *c,
    struct strlist *f)
{
	char		 a[MAXADDR];
	const char	*errstr = NULL;
	int		 active = 1, r;

	if (norm_address(f->v[0], 0, a, sizeof(a), &errstr) == -1)
		return fail_row(run, c, f->v[0], errstr);
	if ((r = in_domain(env, a)) != 1)
		return r == -1 ? -1 : skip_row(run, c, strrchr(a, '@') + 1);
	if (f->n > 2 && strcmp(f->v[2], "0") == 0)
		active = 0;
	user_hash(c, a, f->v[1]);
	return rows_user(env, a, f->v[1], active) == -1 ? -1 : 1;
}

/*
 * The target t of the alias a, or a login t that may send as a.  0
 * imported or said why not, -1 error.
 */
static int
row_target(struct env *env, struct run *run, struct csv *c, enum kind k,
    const char *a, const char *t)
{
	char		 b[MAXADDR];
	const char	*errstr = NULL;
	int		 r;

	r = k == K_ALIAS ? norm_target(t, 0, b, sizeof(b), &errstr) :
	    norm_address(t, 0, b, sizeof(b), &errstr);
	if (r == -1)
		return fail_row(run, c, t, errstr);
	if (strcmp(a, b) == 0)
		return 0;	/* a mailbox, or its owner */
	if (k == K_ALIAS && strrchr(b, '@') != NULL &&
	    sl_has(&run->pipes, strrchr(b, '@') + 1)) {
		errx_msg("import: %s, line %d: alias %s: target %s went to a "
		    "command (-X %s, such as PostfixAdmin's vacation): not "
		    "imported", c->path, c->line, a, b, strrchr(b, '@') + 1);
		return 0;
	}
	/*
	 * An owner that is no login never matched one in Postfix either
	 * (an alias table used as sender map names outside addresses):
	 * left out, said.
	 */
	if (k == K_SENDER &&
	    (r = store_exists(env, "users", "login", b)) != 1) {
		if (r == -1)
			return -1;
		errx_msg("import: %s, line %d: %s may send as %s, but is no "
		    "user of the kit (import users before, with -u): not "
		    "imported", c->path, c->line, b, a);
		return 0;
	}
	if ((k == K_ALIAS ? rows_alias(env, a, b) : rows_sender(env, b, a)) ==
	    -1 || (k == K_ALIAS && pl_add(&run->imported, a, b) == -1))
		return -1;
	return 0;
}

/*
 * A row of aliases.csv or senders.csv.  1 imported, 0 not (said), -1
 * error.
 */
static int
row_pair(struct env *env, struct run *run, struct csv *c, enum kind k,
    struct strlist *f)
{
	struct strlist	 l;
	char		 a[MAXADDR], b[MAXADDR];
	const char	*errstr = NULL;
	size_t		 i;
	int		 r;

	if (norm_address(f->v[0], 1, a, sizeof(a), &errstr) == -1)
		return fail_row(run, c, f->v[0], errstr);
	/*
	 * Postfix looks a sender up by the address, its user@ and its
	 * @domain: the key "*@domain" is only the address of that name,
	 * which no sender uses.  In the kit's senders it would grant
	 * every address of the domain.
	 */
	if (k == K_SENDER && strncmp(a, "*@", 2) == 0) {
		errx_msg("import: %s, line %d: %s: Postfix read this key as "
		    "the address itself, which no sender uses; not imported "
		    "(the kit reads *@domain as every address of the "
		    "domain)", c->path, c->line, a);
		return 0;
	}
	if ((r = in_domain(env, a)) != 1)
		return r == -1 ? -1 : skip_row(run, c, strrchr(a, '@') + 1);
	/*
	 * "@alias.example @target.example": an alias domain, as
	 * virtual(5) reads it and as migrate-postfix exports
	 * PostfixAdmin's; its aliases are made once every row is in.
	 */
	if (k == K_ALIAS && a[0] == '@' && f->n == 2 && f->v[1][0] == '@') {
		if (norm_domain(f->v[1] + 1, b, sizeof(b), &errstr) == -1)
			return fail_row(run, c, f->v[1], errstr);
		if (pl_get(&run->adom, a + 1) == NULL &&
		    pl_add(&run->adom, a + 1, b) == -1)
			return -1;
		return 1;
	}
	/* More fields are more targets, as Postfix joins columns. */
	memset(&l, 0, sizeof(l));
	for (i = 1; i < f->n; i++)
		if (split_list(f->v[i], &l) == -1) {
			sl_free(&l);
			return -1;
		}
	for (i = 0; i < l.n; i++)
		if (row_target(env, run, c, k, a, l.v[i]) == -1) {
			sl_free(&l);
			return -1;
		}
	sl_free(&l);
	return 1;
}

/* A row of the file of kind k: into the database, or said why not. */
static int
row(struct env *env, struct run *run, struct csv *c, enum kind k,
    struct strlist *f)
{
	int	 r = -1;

	if (f->n < (k == K_DOMAIN ? 1u : 2u))
		return fail_row(run, c, k == K_DOMAIN ? "no domain" :
		    "fewer than 2 fields", NULL);
	switch (k) {
	case K_DOMAIN:
		r = row_domain(env, run, c, f);
		break;
	case K_USER:
		r = row_user(env, run, c, f);
		break;
	case K_ALIAS:
	case K_SENDER:
		r = row_pair(env, run, c, k, f);
		break;
	}
	if (r != 1)
		return r;
	run->n[k]++;
	return 0;
}

/*
 * One warning for every row left out, by domain: "ALL", then each
 * domain with the lines of its rows.
 */
static void
say_skipped(struct run *r)
{
	struct strlist	 done;
	char		*lines;
	size_t		 i, j, n;

	memset(&done, 0, sizeof(done));
	for (i = 0; i < r->skipped.n; i++) {
		if (sl_has(&done, r->skipped.v[i].a))
			continue;
		if (sl_add(&done, r->skipped.v[i].a) == -1)
			break;
		if ((lines = strdup("")) == NULL)
			break;
		for (j = i, n = 0; j < r->skipped.n; j++) {
			char	*nl;

			if (strcmp(r->skipped.v[j].a, r->skipped.v[i].a) != 0)
				continue;
			if (asprintf(&nl, "%s%s%s", lines, n++ ? "; " : "",
			    r->skipped.v[j].b) == -1) {
				nl = NULL;
				break;
			}
			free(lines);
			lines = nl;
		}
		if (lines == NULL)
			break;
		if (strcmp(r->skipped.v[i].a, "ALL") == 0)
			errx_msg("import: skipped PostfixAdmin's placeholder "
			    "domain ALL (%s): no domain", lines);
		else
			errx_msg("import: skipped %zu row%s of %s, which is "
			    "not a domain of the kit (disabled in PostfixAdmin,"
			    " or not a domain of Postfix): Postfix never used "
			    "them (%s); it stays out: add it with auth-helper "
			    "domain add only if it should receive mail again",
			    n, n == 1 ? "" : "s", r->skipped.v[i].a, lines);
		free(lines);
	}
	sl_free(&done);
}

static int
load(struct env *env, const char *path, enum kind k, int tab,
    struct run *run)
{
	struct csv	 c;
	struct strlist	 f;
	const char	*errstr;
	char		 why[256];
	int		 r, rv = 0;

	memset(&f, 0, sizeof(f));
	c.path = path;
	c.line = 0;
	c.tab = tab;
	if ((c.fp = fopen(path, "r")) == NULL) {
		errx_msg("import: cannot read %s: %s", path, strerror(errno));
		run->errors++;
		return 0;
	}
	while ((r = csv_record(&c, &f, &errstr)) == 1) {
		if (f.n == 1 && f.v[0][0] == '\0')
			continue;	/* an empty line */
		if (c.line == 1 && strcmp(f.v[0], headers[k]) == 0)
			continue;
		if (row(env, run, &c, k, &f) == -1) {
			rv = -1;
			break;
		}
	}
	if (r == -1) {
		snprintf(why, sizeof(why), "%s; the rest of the file is not "
		    "read", errstr);
		fail_row(run, &c, tab ? "malformed tab-separated text" :
		    "malformed CSV", why);
	}
	sl_free(&f);
	fclose(c.fp);
	return rv;
}

/* -X: the domains of the targets a command took, normalised. */
static int
import_pipes(const char *list, struct run *run)
{
	char		 d[256];
	const char	*errstr;
	size_t		 i;

	if (split_list(list, &run->pipes) == -1)
		return -1;
	for (i = 0; i < run->pipes.n; i++) {
		errstr = NULL;
		if (norm_domain(run->pipes.v[i], d, sizeof(d),
		    &errstr) == -1) {
			errx_msg("import: -X %s: %s", run->pipes.v[i],
			    errstr);
			return -1;
		}
		free(run->pipes.v[i]);
		if ((run->pipes.v[i] = strdup(d)) == NULL)
			return -1;
	}
	return 0;
}

/*
 * Once every row is in: the aliases of the alias domains, and the
 * alias targets that receive nothing left out.
 */
static int
import_aliases(struct env *env, struct run *run)
{
	size_t	 i;
	int	 n;

	for (i = 0; i < run->adom.n; i++) {
		if ((n = rows_alias_domain(env, run->adom.v[i].a,
		    run->adom.v[i].b)) == -1)
			return -1;
		errx_msg("import: alias domain %s -> %s: %d aliases at %s, one "
		    "per address of %s now; an address added to %s later needs "
		    "its own (auth-helper alias add)", run->adom.v[i].a,
		    run->adom.v[i].b, n, run->adom.v[i].a, run->adom.v[i].b,
		    run->adom.v[i].b);
	}
	for (i = 0; i < run->imported.n; i++) {
		if ((n = rows_dead_target(env, run->imported.v[i].a,
		    run->imported.v[i].b)) == -1)
			return -1;
		if (n > 0)
			errx_msg("import: alias %s: target %s receives nothing "
			    "(no active account, no alias: a disabled "
			    "mailbox?): left out; Postfix bounced that copy "
			    "and delivered to the other targets, smtpd would "
			    "refuse the recipient", run->imported.v[i].a,
			    run->imported.v[i].b);
	}
	return 0;
}

int
cmd_import(struct env *env, int argc, char **argv)
{
	const char	*files[4];
	struct run	 run;
	int		 k, rv = -1;

	memset(&run, 0, sizeof(run));
	files[K_DOMAIN] = env->opt['d'];
	files[K_USER] = env->opt['u'];
	files[K_ALIAS] = env->opt['a'];
	files[K_SENDER] = env->opt['s'];
	for (k = 0; k < 4 && files[k] == NULL; k++)
		;
	if (k == 4)
		return CMD_USAGE;
	if (env->opt['X'] != NULL && import_pipes(env->opt['X'], &run) == -1) {
		sl_free(&run.pipes);
		return -1;
	}
	if (store_begin(env) == -1) {
		sl_free(&run.pipes);
		return -1;
	}
	/* Every file is read, so that one run names every problem. */
	for (k = 0; k < 4; k++) {
		if (files[k] != NULL && load(env, files[k], k,
		    env->opt['t'] != NULL, &run) == -1) {
			store_rollback(env);
			goto done;
		}
	}
	if (import_aliases(env, &run) == -1) {
		store_rollback(env);
		goto done;
	}
	say_skipped(&run);
	if (run.errors > 0) {
		store_rollback(env);
		errx_msg("import: %d row%s or file%s cannot be imported (above);"
		    " nothing imported", run.errors, run.errors == 1 ? "" :
		    "s", run.errors == 1 ? "" : "s");
		goto done;
	}
	if (store_commit(env) == -1)
		goto done;
	printf("imported %d domains, %d users, %d aliases, %d sender "
	    "grants", run.n[K_DOMAIN], run.n[K_USER], run.n[K_ALIAS],
	    run.n[K_SENDER]);
	if (run.skipped.n > 0)
		printf("; skipped %zu rows (above)", run.skipped.n);
	printf("\n");
	rv = 0;
 done:
	pl_free(&run.skipped);
	pl_free(&run.adom);
	pl_free(&run.imported);
	sl_free(&run.pipes);
	return rv;
}
