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
 * The rows of the new database, from what Postfix and Dovecot knew:
 * local domains from virtual_mailbox_domains and virtual_alias_domains,
 * accounts from Dovecot's passdb and the mailboxes of
 * virtual_mailbox_maps, aliases from virtual_alias_maps, sender grants
 * from smtpd_sender_login_maps.  Every row that cannot be carried over
 * is reported, and so is every address a login may now send as that
 * the sender login maps did not allow.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../auth_helper.h"
#include "compat.h"
#include "migrate.h"
#include "passwd.h"
#include "pwcrypt.h"

/* The export of a mysql: or pgsql: table as file f, for import. */
static void
export(struct report *rep, struct plan *p, const char *param,
    struct postfix_map *m, enum xfile f)
{
	struct xsrc	 x;
	char		*what;

	memset(&x, 0, sizeof(x));
	x.type = m->type;
	x.query = m->query;
	x.ph = ph_postfix;
	x.hosts = m->hosts;
	x.user = m->user;
	x.dbname = m->dbname;
	if (asprintf(&what, "%s = %s", param, m->spec) == -1) {
		report_error(rep, "out of memory");
		return;
	}
	export_command(rep, what, &x, f, &p->exports[f]);
	free(what);
}

/* The domains of a domain list: names, /files, and tables. */
static int
domain_list(struct postfix_conf *c, const char *param, struct plan *p,
    struct report *rep)
{
	struct strlist		 l;
	struct postfix_maps	 maps;
	struct postfix_map	*m;
	char			*v, d[256];
	const char		*errstr;
	size_t			 i, j;
	int			 rv = 0, n = 0, set;

	memset(&l, 0, sizeof(l));
	/* Unset, it is the mailbox or alias tables: their domain keys. */
	set = postfix_is_set(c, NULL, param);
	if ((v = postfix_get(c, NULL, param)) == NULL)
		return -1;
	if (v[0] == '\0') {
		free(v);
		return 0;
	}
	if (postfix_maps_load(c, NULL, param, &maps, 1) == -1)
		rv = -1;
	for (i = 0; rv == 0 && i < maps.n; i++) {
		m = &maps.v[i];
		if (m->kind == MAP_EXTERNAL && !set)
			continue;	/* the alias or mailbox table itself */
		if (m->kind == MAP_EXTERNAL) {
			export(rep, p, param, m, X_DOMAINS);
			p->ext_domains = 1;
			continue;
		}
		for (j = 0; j < m->rows.n; j++) {
			if (!set && strchr(m->rows.v[j].a, '@') != NULL)
				continue;
			if (norm_domain(m->rows.v[j].a, d, sizeof(d),
			    &errstr) == -1) {
				report_add(rep, R_WARN, "%s: \"%s\": %s; not "
				    "imported", param, m->rows.v[j].a, errstr);
				continue;
			}
			if (!sl_has(&p->data.domains, d)) {
				sl_add(&p->data.domains, d);
				n++;
			}
		}
	}
	if (rv == 0 && (set || n > 0))
		report_add(rep, R_SETTING, "%s = %s: %d local domains", param,
		    v, n);
	postfix_maps_free(&maps);
	free(v);
	sl_free(&l);
	return rv;
}

static const struct account *
user_find(struct plan *p, const char *login)
{
	size_t	 i;

	for (i = 0; i < p->data.users.n; i++)
		if (strcmp(p->data.users.v[i].login, login) == 0)
			return &p->data.users.v[i];
	return NULL;
}

/* Is addr (normalised) in a local domain? */
static int
local(struct plan *p, const char *addr)
{
	const char	*at = strrchr(addr, '@');

	return at != NULL && sl_has(&p->data.domains, at + 1);
}

/* The accounts by what can check their hashes, for the report. */
struct hashkinds {
	struct strlist	 noauth;	/* no password */
	struct strlist	 offload;	/* the table only (auth_offload) */
	struct strlist	 unsupported;	/* nothing of the kit */
	struct strlist	 uncheckable;	/* not this system's crypt(3) */
};

/*
 * smtpd_sasl_type: 1 for dovecot, whose accounts are read; 0 for
 * another, said in the report; -1 on error.
 */
static int
accounts_sasl(struct postfix_conf *c, struct report *rep)
{
	char	*type;
	int	 r = 0;

	if ((type = postfix_get(c, NULL, "smtpd_sasl_type")) == NULL)
		return -1;
	if (strcmp(type, "cyrus") == 0)
		report_add(rep, R_TODO, "smtpd_sasl_type = cyrus (saslauthd "
		    "or the system's accounts): their passwords cannot be "
		    "read, so no account is moved; create each one with "
		    "auth-helper user add LOGIN (it asks for the password), "
		    "or let smtpd check system accounts itself with "
		    "\"auth-optional\" without a table on the listeners");
	else if (strcmp(type, "dovecot") != 0)
		report_add(rep, R_TODO, "smtpd_sasl_type = %s: unknown; no "
		    "account is moved", type);
	else
		r = 1;
	free(type);
	return r;
}

/* The account login with hash, in the list of what can check it. */
static void
accounts_hash(struct hashkinds *h, const char *login, const char *hash)
{
	char		 sch[PW_SCHEME_MAX];
	const char	*cp;

	if (hash[0] == '\0')
		sl_add(&h->noauth, login);
	else if ((cp = passwd_crypt_part(hash)) != NULL) {
		/* OpenBSD: every kind but bcrypt. */
		if (!pwcrypt_can_check(cp))
			sl_addf(&h->uncheckable, "%s (%s)", login,
			    passwd_scheme(cp, sch, sizeof(sch)));
	} else if (passwd_verify("", hash) != PW_UNSUPPORTED)
		sl_addf(&h->offload, "%s (%s)", login,
		    passwd_scheme(hash, sch, sizeof(sch)));
	else
		sl_addf(&h->unsupported, "%s (%s)", login,
		    passwd_scheme(hash, sch, sizeof(sch)));
}

/* What to do for the accounts whose hashes smtpd cannot check. */
static void
accounts_report(struct report *rep, const struct hashkinds *h)
{
	size_t	 i;

	for (i = 0; i < h->offload.n; i++)
		report_add(rep, R_TODO, "account %s: smtpd cannot check this "
		    "hash itself; the table can with auth_offload yes in "
		    "sqlite.conf (see table-sqlite(5) for its caveat), or set "
		    "a new password with auth-helper user passwd",
		    h->offload.v[i]);
	for (i = 0; i < h->unsupported.n; i++)
		report_add(rep, R_TODO, "account %s: no code of the kit can "
		    "check this hash: the account cannot log in until it has "
		    "a new password (auth-helper user passwd)",
		    h->unsupported.v[i]);
	for (i = 0; i < h->uncheckable.n; i++)
		report_add(rep, R_TODO, "account %s: this system's crypt(3) "
		    "cannot check this hash (it checks %s): the account cannot "
		    "log in until it has a new password (auth-helper user "
		    "passwd)", h->uncheckable.v[i], pwcrypt_checks());
	for (i = 0; i < h->noauth.n; i++)
		report_add(rep, R_TODO, "account %s has no password: set one "
		    "with auth-helper user passwd", h->noauth.v[i]);
}

/* The accounts of the passdb Postfix's AUTH used. */
static int
accounts(struct postfix_conf *c, const char *dovecot, struct plan *p,
    struct report *rep)
{
	struct accounts	 acc;
	struct hashkinds h;
	char		 login[MAXADDR];
	const char	*errstr;
	size_t		 i;
	int		 rv = 0;

	if (!p->sasl)
		return 0;
	if ((rv = accounts_sasl(c, rep)) != 1)
		return rv;
	rv = 0;
	memset(&acc, 0, sizeof(acc));
	memset(&h, 0, sizeof(h));
	if (dovecot_accounts(dovecot, &acc, rep) == -1) {
		accounts_free(&acc);
		return -1;
	}
	p->exports[X_USERS] |= acc.exported;
	for (i = 0; i < acc.n; i++) {
		/* The domains are exported: the accounts' are local. */
		if (p->ext_domains && norm_address(acc.v[i].login, 0, login,
		    sizeof(login), &errstr) == 0 && !local(p, login)) {
			sl_add(&p->data.domains, strrchr(login, '@') + 1);
			report_add(rep, R_SETTING, "domain %s: the domain of "
			    "account %s, imported before the export of "
			    "virtual_mailbox_domains", strrchr(login, '@') + 1,
			    login);
		}
		if (norm_address(acc.v[i].login, 0, login, sizeof(login),
		    &errstr) == -1 || !local(p, login)) {
			report_add(rep, R_TODO, "account %s: %s; not imported: "
			    "logins are addresses in a local domain",
			    acc.v[i].login, errstr != NULL && !local(p, login) ?
			    "not in a local domain" : errstr);
			errstr = NULL;
			continue;
		}
		if (user_find(p, login) != NULL) {
			report_add(rep, R_WARN, "account %s is in the passdb "
			    "twice: the first one is imported", login);
			continue;
		}
		accounts_hash(&h, login, acc.v[i].hash);
		if (accounts_add(&p->data.users, login, acc.v[i].hash, 1) ==
		    -1) {
			rv = report_error(rep, "out of memory");
			break;
		}
	}
	accounts_report(rep, &h);
	p->need_offload = h.offload.n > 0;
	accounts_free(&acc);
	sl_free(&h.noauth);
	sl_free(&h.offload);
	sl_free(&h.unsupported);
	sl_free(&h.uncheckable);
	return rv;
}

static int
mailboxes(struct postfix_conf *c, struct plan *p, struct report *rep)
{
	struct postfix_maps	 maps;
	struct postfix_map	*m;
	char			 addr[MAXADDR];
	const char		*errstr;
	size_t			 i, j;

	if (postfix_maps_load(c, NULL, "virtual_mailbox_maps", &maps,
	    0) == -1) {
		postfix_maps_free(&maps);
		return -1;
	}
	for (i = 0; i < maps.n; i++) {
		m = &maps.v[i];
		if (m->kind == MAP_EXTERNAL && p->data.users.n == 0 &&
		    p->exports[X_USERS] == 0)
			report_add(rep, R_TODO, "virtual_mailbox_maps = %s: "
			    "every mailbox needs an account: export them with "
			    "their password hashes as users.csv (login,password), "
			    "then: auth-helper import -u users.csv", m->spec);
		else if (m->kind == MAP_EXTERNAL &&
		    sql_alias_domains(m->query != NULL ? m->query : "", 0) ==
		    NULL)
			report_add(rep, R_TODO, "virtual_mailbox_maps = %s: not "
			    "exported: the kit's mailboxes are the accounts of "
			    "Dovecot's passdb; a mailbox listed only in this "
			    "table is not carried over: compare its keys with "
			    "auth-helper user list, and add those missing with "
			    "auth-helper user add", m->spec);
		for (j = 0; j < m->rows.n; j++) {
			if (norm_address(m->rows.v[j].a, 0, addr, sizeof(addr),
			    &errstr) == -1 || !local(p, addr))
				continue;
			if (user_find(p, addr) != NULL)
				continue;
			report_add(rep, R_TODO, "mailbox %s has no password in "
			    "Dovecot's passdb: imported without one; it "
			    "receives mail and cannot log in until "
			    "auth-helper user passwd %s", addr, addr);
			accounts_add(&p->data.users, addr, "", 1);
		}
	}
	/* Accounts that were no mailbox now receive mail. */
	for (i = 0; i < p->data.users.n && maps.n > 0; i++) {
		for (j = 0; j < maps.n; j++)
			if (maps.v[j].kind != MAP_ROWS ||
			    pl_get(&maps.v[j].rows, p->data.users.v[i].login))
				break;
		if (j == maps.n) {
			report_add(rep, R_DIFF, "account %s had no mailbox in "
			    "virtual_mailbox_maps: every account of the kit "
			    "receives mail", p->data.users.v[i].login);
		}
	}
	postfix_maps_free(&maps);
	return 0;
}

/* Is there an alias row for addr, or an account? */
static int
has_address(struct plan *p, size_t nalias, const char *addr)
{
	size_t	 i;

	if (user_find(p, addr) != NULL)
		return 1;
	for (i = 0; i < nalias; i++)
		if (strcmp(p->data.aliases.v[i].a, addr) == 0)
			return 1;
	return 0;
}

/*
 * The alias local@src -> a, where a is local@dst (at its '@'), unless
 * local@src exists or has it already.  Returns how many were added.
 */
static int
alias_at(struct plan *p, size_t nalias, const char *a, const char *at,
    const char *src)
{
	char	 addr[MAXADDR];

	snprintf(addr, sizeof(addr), "%.*s@%s", (int)(at - a), a, src);
	if (has_address(p, nalias, addr) || pl_has(&p->data.aliases, addr, a))
		return 0;
	pl_add(&p->data.aliases, addr, a);
	return 1;
}

/*
 * Alias domains: virtual(5)'s "@src @dst" delivers local@src to
 * local@dst, after the entries of local@src itself.  The kit has no
 * such row: each address of dst that exists now (account or alias)
 * gets an alias at src, and the catch-all of dst becomes that of src.
 */
static void
alias_domains(struct plan *p, struct report *rep, const struct pairlist *ad)
{
	char		 addr[MAXADDR];
	const char	*src, *dst, *at, *a;
	size_t		 i, j, nalias = p->data.aliases.n, n;

	for (i = 0; i < ad->n; i++) {
		src = ad->v[i].a;
		dst = ad->v[i].b;
		n = 0;
		for (j = 0; j < p->data.users.n; j++) {
			a = p->data.users.v[j].login;
			if (!p->data.users.v[j].active ||
			    (at = strrchr(a, '@')) == NULL ||
			    strcmp(at + 1, dst) != 0)
				continue;
			n += alias_at(p, nalias, a, at, src);
		}
		for (j = 0; j < nalias; j++) {
			a = p->data.aliases.v[j].a;
			if (a[0] == '@' || (at = strrchr(a, '@')) == NULL ||
			    strcmp(at + 1, dst) != 0)
				continue;
			n += alias_at(p, nalias, a, at, src);
		}
		/* The catch-all of dst, unless src has its own. */
		snprintf(addr, sizeof(addr), "@%s", src);
		for (j = 0; j < nalias; j++) {
			if (p->data.aliases.v[j].a[0] != '@' ||
			    strcmp(p->data.aliases.v[j].a + 1, dst) != 0 ||
			    has_address(p, nalias, addr))
				continue;
			pl_add(&p->data.aliases, addr,
			    p->data.aliases.v[j].b);
			n++;
		}
		report_add(rep, R_SETTING, "virtual_alias_maps: @%s @%s, an "
		    "alias domain: %zu aliases at %s, one per address of %s "
		    "(local@%s -> local@%s)", src, dst, n, src, dst, src, dst);
		report_add(rep, R_DIFF, "alias domain %s: Postfix rewrote "
		    "every address of %s to %s; the kit has one alias per "
		    "address of %s that existed at the migration: give an "
		    "address added to %s later its alias too (auth-helper "
		    "alias add local@%s local@%s); an address of %s with no "
		    "counterpart in %s, which Postfix accepted and bounced, "
		    "is refused at RCPT TO", src, src, dst, dst, dst, src, dst,
		    src, dst);
	}
}

/*
 * transport_maps: the domains whose mail a pipe(8) service of
 * master.cf takes (PostfixAdmin's vacation: "autoreply.example.org
 * vacation:"), into pipes (domain, transport); every other entry is
 * reported with the smtpd.conf lines it needs.
 */
static int
transports(struct postfix_conf *c, struct pairlist *pipes, struct report *rep)
{
	struct postfix_maps	 maps;
	struct postfix_map	*m;
	char			 name[64], d[256], hop[256];
	const char		*v, *errstr;
	size_t			 i, j, k, n;

	if (postfix_maps_load(c, NULL, "transport_maps", &maps, 0) == -1) {
		postfix_maps_free(&maps);
		return -1;
	}
	for (i = 0; i < maps.n; i++) {
		m = &maps.v[i];
		if (m->kind == MAP_EXTERNAL)
			report_add(rep, R_TODO, "transport_maps = %s: its "
			    "entries are not read: give each next hop an "
			    "smtpd.conf action and a match line before the "
			    "others; a pipe(8) transport (PostfixAdmin's "
			    "vacation) has none: use Dovecot's Sieve vacation, "
			    "and remove the alias targets at its domain",
			    m->spec);
		for (j = 0; j < m->rows.n; j++) {
			v = m->rows.v[j].b;
			n = strcspn(v, ":");
			if (n >= sizeof(name))
				n = sizeof(name) - 1;
			memcpy(name, v, n);
			name[n] = '\0';
			for (k = 0; k < c->nsvc; k++)
				if (strcmp(c->svc[k].name, name) == 0)
					break;
			if (k < c->nsvc && strcmp(c->svc[k].command,
			    "pipe") == 0 && norm_domain(m->rows.v[j].a, d,
			    sizeof(d), &errstr) == 0) {
				pl_add(pipes, d, name);
				report_add(rep, R_TODO, "transport_maps: %s -> "
				    "%s, a pipe(8) command (master.cf line %d): "
				    "not carried over; alias targets at %s are "
				    "not imported%s", d, v, c->svc[k].line, d,
				    strcmp(name, "vacation") == 0 ? ": "
				    "PostfixAdmin's vacation; use Dovecot's "
				    "Sieve vacation (vacation extension) instead"
				    : ": run the command from an smtpd.conf "
				    "action mda instead");
				continue;
			}
			/* The next hop, without Postfix's [] (no MX). */
			hop[0] = '\0';
			for (k = 0, n = 0; v[n] != '\0' && v[n] != ':'; n++)
				;
			for (n = v[n] == ':' ? n + 1 : 0; v[n] != '\0' &&
			    k + 1 < sizeof(hop); n++)
				if (v[n] != '[' && v[n] != ']')
					hop[k++] = v[n];
			hop[k] = '\0';
			report_add(rep, R_TODO, "transport_maps: %s -> %s: not "
			    "carried over; in smtpd.conf, an action for that "
			    "next hop and a match line before the others, e.g. "
			    "action \"t-%s\" relay host smtp://%s and match "
			    "from any for domain %s action \"t-%s\"",
			    m->rows.v[j].a, v, m->rows.v[j].a, hop[0] != '\0' ?
			    hop : "HOST", m->rows.v[j].a, m->rows.v[j].a);
		}
	}
	postfix_maps_free(&maps);
	return 0;
}

/*
 * Does addr, a target in a local domain, receive mail in the kit: an
 * active account, an alias, or the catch-all of its domain?  Tried
 * whole, then without its extension (+tag), as Postfix does.
 */
static int
receives(struct plan *p, const char *addr)
{
	const struct account	*u;
	char			 base[MAXADDR];
	const char		*at = strrchr(addr, '@');
	size_t			 i, n;

	if (at == NULL)
		return 1;
	if ((u = user_find(p, addr)) != NULL && u->active)
		return 1;
	for (i = 0; i < p->data.aliases.n; i++) {
		const char *a = p->data.aliases.v[i].a;

		if (strcmp(a, addr) == 0 || (a[0] == '@' &&
		    strcmp(a + 1, at + 1) == 0))
			return 1;
	}
	n = strcspn(addr, "+");
	if (addr + n < at) {
		snprintf(base, sizeof(base), "%.*s%s", (int)n, addr, at);
		return receives(p, base);
	}
	return 0;
}

/*
 * An alias target in a local domain that receives nothing (a disabled
 * or deleted mailbox): Postfix bounced that copy and delivered to the
 * other targets; smtpd would refuse the whole recipient (524).  It is
 * left out, and said.
 */
static void
dead_targets(struct plan *p, struct report *rep)
{
	size_t	 i, j;

	/* Only where every account and alias is known here. */
	if (p->data.users.n == 0 || p->exports[X_USERS] != 0 ||
	    p->exports[X_ALIASES] != 0 || p->ext_domains)
		return;
	for (i = 0; i < p->data.aliases.n;) {
		const char *t = p->data.aliases.v[i].b;

		if (!local(p, t) || receives(p, t)) {
			i++;
			continue;
		}
		if (p->keep_pfadmin)
			report_add(rep, R_DIFF, "alias %s: target %s receives "
			    "nothing (no active account, no alias: a disabled "
			    "mailbox?): Postfix bounced that copy and delivered "
			    "to the other targets; smtpd refuses the whole "
			    "recipient (524 5.2.4): remove the target from the "
			    "alias in PostfixAdmin", p->data.aliases.v[i].a, t);
		else
			report_add(rep, R_DIFF, "alias %s: target %s receives "
			    "nothing (no active account, no alias: a disabled "
			    "mailbox?): not imported; Postfix bounced that copy "
			    "and delivered to the other targets, smtpd would "
			    "have refused the recipient", p->data.aliases.v[i].a,
			    t);
		free(p->data.aliases.v[i].a);
		free(p->data.aliases.v[i].b);
		for (j = i + 1; j < p->data.aliases.n; j++)
			p->data.aliases.v[j - 1] = p->data.aliases.v[j];
		p->data.aliases.n--;
	}
}

/* What the rows of virtual_alias_maps are read with. */
struct aliasctx {
	struct plan	*p;
	struct report	*rep;
	struct pairlist	 ad;		/* alias domains: src -> dst */
	struct pairlist	 pipes;		/* domains of pipe(8) transports */
	char		*orig;		/* myorigin, for bare targets */
	int		 localorigin;	/* myorigin is in mydestination */
	const char	*errstr;	/* of the last address that failed */
};

/*
 * "@src @dst": an alias domain (virtual(5), and PostfixAdmin's
 * alias_domain queries read as pairs); in Postfix the address lookup,
 * whatever the table, comes before a catch-all @src.  1 when the row
 * a -> b is one.
 */
static int
alias_domain_row(struct aliasctx *x, const char *a, const char *b)
{
	char	 key[MAXADDR], d[256];

	if (a[0] != '@' || b[0] != '@' || strpbrk(b, ", \t") != NULL ||
	    norm_domain(a + 1, key, sizeof(key), &x->errstr) != 0 ||
	    norm_domain(b + 1, d, sizeof(d), &x->errstr) != 0)
		return 0;
	if (!local(x->p, a) && !sl_has(&x->p->data.domains, key))
		report_add(x->rep, R_TODO, "alias domain %s -> %s: %s is no "
		    "local domain; not imported", key, d, key);
	else if (pl_get(&x->ad, key) == NULL)
		pl_add(&x->ad, key, d);
	return 1;
}

/*
 * The target t of the alias key, into the plan.  Returns 1 when it is
 * the alias itself.
 */
static int
alias_target(struct aliasctx *x, const char *key, const char *t)
{
	char		 target[MAXADDR], d[256];
	const char	*tat;

	/* "@src @dst": an alias domain. */
	if (key[0] == '@' && t[0] == '@' &&
	    norm_domain(t + 1, d, sizeof(d), &x->errstr) == 0) {
		if (pl_get(&x->ad, key + 1) == NULL)
			pl_add(&x->ad, key + 1, d);
		return 0;
	}
	if (strchr(t, '@') == NULL && !x->localorigin && x->orig != NULL) {
		snprintf(target, sizeof(target), "%s@%s", t, x->orig);
		if (norm_address(target, 0, target, sizeof(target),
		    &x->errstr) == -1)
			target[0] = '\0';
	} else if (norm_target(t, 0, target, sizeof(target),
	    &x->errstr) == -1)
		target[0] = '\0';
	if (target[0] == '\0') {
		report_add(x->rep, R_TODO, "alias %s: target \"%s\": %s; not "
		    "imported", key, t, x->errstr);
		return 0;
	}
	/* A target a pipe(8) transport took. */
	if ((tat = strrchr(target, '@')) != NULL &&
	    pl_get(&x->pipes, tat + 1) != NULL) {
		report_add(x->rep, R_DIFF, "alias %s: target %s went to the "
		    "%s transport (a command): not imported, never an outside "
		    "forward", key, target, pl_get(&x->pipes, tat + 1));
		return 0;
	}
	if (strcmp(target, key) != 0) {
		pl_add(&x->p->data.aliases, key, target);
		return 0;
	}
	if (user_find(x->p, key) == NULL)
		pl_add(&x->p->data.aliases, key, target);
	return 1;
}

/* The row a -> b of virtual_alias_maps (one of maps), into the plan. */
static void
alias_row(struct aliasctx *x, const struct postfix_maps *maps, const char *a,
    const char *b)
{
	struct strlist	 t;
	char		 key[MAXADDR], d[256];
	size_t		 k;
	int		 self = 0;

	if (alias_domain_row(x, a, b))
		return;
	/* The first table with the key decides. */
	if (postfix_maps_get(maps, a) != b)
		return;
	/* "example.com anything": the domain, virtual(5). */
	if (strchr(a, '@') == NULL && norm_domain(a, d, sizeof(d),
	    &x->errstr) == 0 && sl_has(&x->p->data.domains, d))
		return;
	if (norm_address(a, 1, key, sizeof(key), &x->errstr) == -1 ||
	    !local(x->p, key)) {
		report_add(x->rep, R_TODO, "virtual_alias_maps: %s: %s; not "
		    "imported: aliases are addresses in a local domain", a,
		    x->errstr != NULL && strchr(a, '@') == NULL ?
		    "a bare user name" : "not a local domain");
		x->errstr = NULL;
		return;
	}
	memset(&t, 0, sizeof(t));
	split_list(b, &t);
	for (k = 0; k < t.n; k++)
		if (alias_target(x, key, t.v[k]))
			self = 1;
	if (!self && user_find(x->p, key) != NULL && t.n > 0)
		report_add(x->rep, R_DIFF, "%s is an account and an alias: "
		    "Postfix delivered its mail to the alias targets only; "
		    "the kit delivers it to the mailbox too", key);
	sl_free(&t);
}

/* virtual_alias_maps: the aliases and alias domains. */
static int
aliases(struct postfix_conf *c, struct plan *p, struct report *rep)
{
	struct aliasctx		 x;
	struct postfix_maps	 maps;
	struct postfix_map	*m;
	char			*dest, *n;
	size_t			 i, j;

	memset(&x, 0, sizeof(x));
	x.p = p;
	x.rep = rep;
	if (transports(c, &x.pipes, rep) == -1) {
		pl_free(&x.pipes);
		return -1;
	}
	if (postfix_maps_load(c, NULL, "virtual_alias_maps", &maps, 0) == -1) {
		pl_free(&x.pipes);
		postfix_maps_free(&maps);
		return -1;
	}
	x.orig = postfix_get(c, NULL, "myorigin");
	dest = postfix_get(c, NULL, "mydestination");
	x.localorigin = x.orig != NULL && dest != NULL &&
	    strstr(dest, x.orig);
	free(dest);
	for (i = 0; i < maps.n; i++) {
		m = &maps.v[i];
		if (m->kind == MAP_EXTERNAL)
			export(rep, p, "virtual_alias_maps", m, X_ALIASES);
		for (j = 0; j < m->rows.n; j++)
			alias_row(&x, &maps, m->rows.v[j].a, m->rows.v[j].b);
	}
	alias_domains(p, rep, &x.ad);
	dead_targets(p, rep);
	/* For the import of exported rows: import -X. */
	for (i = 0; i < x.pipes.n; i++) {
		if (asprintf(&n, "%s%s%s", p->pipe_domains != NULL ?
		    p->pipe_domains : "", p->pipe_domains != NULL ? "," : "",
		    x.pipes.v[i].a) == -1)
			break;
		free(p->pipe_domains);
		p->pipe_domains = n;
	}
	pl_free(&x.ad);
	pl_free(&x.pipes);
	free(x.orig);
	postfix_maps_free(&maps);
	return 0;
}

/* May login send as addr in the kit (own address, direct alias)? */
static int
kit_owns(struct plan *p, const char *login, const char *addr)
{
	if (strcmp(login, addr) == 0 && user_find(p, login) != NULL)
		return 1;
	if (!p->no_alias_owns && addr[0] != '@' &&
	    pl_has(&p->data.aliases, addr, login))
		return 1;
	return pl_has(&p->data.senders, login, addr);
}

/* Is the word w (of SQL) at s, in q? */
static int
word_at(const char *q, const char *s, const char *w)
{
	size_t	 n = strlen(w);

	if (s > q && (isalnum((unsigned char)s[-1]) || s[-1] == '_'))
		return 0;
	return strncasecmp(s, w, n) == 0 &&
	    !isalnum((unsigned char)s[n]) && s[n] != '_';
}

/* One name of SQL at *sp, unquoted, lower case, into name; its length. */
static size_t
sql_name(const char **sp, char *name, size_t len)
{
	const char	*s = *sp;
	size_t		 n = 0;

	if (*s == '"' || *s == '`')
		s++;
	for (; isalnum((unsigned char)*s) || *s == '_' || *s == '.'; s++) {
		if (*s == '.')
			n = 0;		/* schema.table: the table */
		else if (n < len - 1)
			name[n++] = tolower((unsigned char)*s);
	}
	if (*s == '"' || *s == '`')
		s++;
	name[n] = '\0';
	*sp = s;
	return n;
}

/*
 * The tables an SQL query reads (the names after FROM, with the
 * comma-separated ones that follow, and after JOIN), into out.
 */
static void
query_tables(const char *q, struct strlist *out)
{
	const char	*s;
	char		 name[128];
	int		 from;

	for (s = q; *s != '\0'; s++) {
		if (!(from = word_at(q, s, "from")) && !word_at(q, s, "join"))
			continue;
		s += 4;
		for (;;) {
			while (isspace((unsigned char)*s))
				s++;
			if (sql_name(&s, name, sizeof(name)) == 0)
				break;
			if (!sl_has(out, name))
				sl_add(out, name);
			while (isspace((unsigned char)*s))
				s++;
			/* "alias a", "alias AS a" */
			if (*s != ',' && !word_at(q, s, "where") &&
			    !word_at(q, s, "join") && !word_at(q, s, "union")) {
				if (word_at(q, s, "as"))
					s += 2;
				while (isspace((unsigned char)*s))
					s++;
				sql_name(&s, name, sizeof(name));
				while (isspace((unsigned char)*s))
					s++;
			}
			if (!from || *s != ',')
				break;
			s++;
		}
		if (*s == '\0')
			break;
	}
}

/* The tables the SQL queries of the maps of param read, into out. */
static int
param_tables(struct postfix_conf *c, const char *param, struct strlist *out)
{
	struct postfix_maps	 maps;
	size_t			 i;

	if (postfix_maps_load(c, NULL, param, &maps, 0) == -1) {
		postfix_maps_free(&maps);
		return -1;
	}
	for (i = 0; i < maps.n; i++)
		if (maps.v[i].query != NULL)
			query_tables(maps.v[i].query, out);
	postfix_maps_free(&maps);
	return 0;
}

/* Is m the same table as n: the same spec, file or query? */
static int
same_map(const struct postfix_map *m, const struct postfix_map *n)
{
	if (strcmp(m->spec, n->spec) == 0)
		return 1;
	if (m->type != NULL && n->type != NULL && m->name != NULL &&
	    n->name != NULL && strcmp(m->type, n->type) == 0 &&
	    strcmp(m->name, n->name) == 0)
		return 1;
	return m->query != NULL && n->query != NULL &&
	    strcmp(m->query, n->query) == 0;
}

/*
 * Did the sender maps sm read the aliases, as PostfixAdmin's sender
 * query does?  A sender map that is a table of virtual_alias_maps
 * (its file, or its query), or a query that reads a table the alias
 * queries read and the mailbox queries do not ("alias").  why gets
 * which; addom the spec of a PostfixAdmin alias-domain map exported
 * for the import (mysql:, pgsql:) that no sender map is, or "".  1, 0,
 * or -1 on error.
 */
static int
senders_read_aliases(struct postfix_conf *c, const struct postfix_maps *sm,
    char *why, size_t whylen, char *addom, size_t addomlen)
{
	struct postfix_maps	 am;
	struct strlist		 at, mt, st;
	size_t			 i, j;
	int			 r = 0;

	memset(&at, 0, sizeof(at));
	memset(&mt, 0, sizeof(mt));
	addom[0] = '\0';
	if (postfix_maps_load(c, NULL, "virtual_alias_maps", &am, 0) == -1) {
		postfix_maps_free(&am);
		return -1;
	}
	for (i = 0; i < sm->n && !r; i++)
		for (j = 0; j < am.n && !r; j++)
			if (same_map(&sm->v[i], &am.v[j])) {
				snprintf(why, whylen, "%s is a table of "
				    "virtual_alias_maps", sm->v[i].spec);
				r = 1;
			}
	for (j = 0; j < am.n; j++) {
		if (am.v[j].query == NULL)
			continue;
		query_tables(am.v[j].query, &at);
		if (addom[0] != '\0' || am.v[j].kind != MAP_EXTERNAL ||
		    sql_alias_domains(am.v[j].query, 0) == NULL)
			continue;
		for (i = 0; i < sm->n; i++)
			if (same_map(&sm->v[i], &am.v[j]))
				break;
		if (i == sm->n)
			strlcpy(addom, am.v[j].spec, addomlen);
	}
	postfix_maps_free(&am);
	if (!r && at.n > 0 &&
	    param_tables(c, "virtual_mailbox_maps", &mt) == -1)
		r = -1;
	for (i = 0; r == 0 && i < sm->n; i++) {
		if (sm->v[i].query == NULL)
			continue;
		memset(&st, 0, sizeof(st));
		query_tables(sm->v[i].query, &st);
		for (j = 0; j < st.n && !r; j++)
			if (sl_has(&at, st.v[j]) && !sl_has(&mt, st.v[j])) {
				snprintf(why, whylen, "%s reads the table %s "
				    "of the alias queries", sm->v[i].spec,
				    st.v[j]);
				r = 1;
			}
		sl_free(&st);
	}
	sl_free(&at);
	sl_free(&mt);
	return r;
}

/*
 * Whether the aliases own their addresses: only where the sender maps
 * read them.  Says so in the report; -1 on error.
 */
static int
senders_alias_owns(struct postfix_conf *c, const struct postfix_maps *maps,
    int used, struct plan *p, struct report *rep)
{
	char	 why[512], addom[512];
	int	 r;

	if ((r = senders_read_aliases(c, maps, why, sizeof(why),
	    addom, sizeof(addom))) == -1)
		return -1;
	p->no_alias_owns = r == 0;
	if (r == 1)
		report_add(rep, R_SETTING, "smtpd_sender_login_maps "
		    "reads the aliases (%s): an alias lets its "
		    "targets send as its address (alias owns yes), "
		    "as in Postfix", why);
	/*
	 * The import makes an alias per address of an alias
	 * domain, which then owns it; Postfix looked the address
	 * up in the sender maps, which are not that map.
	 */
	if (r == 1 && addom[0] != '\0' && used)
		report_add(rep, R_DIFF, "alias domains (%s): each alias "
		    "the import makes, local@alias-domain -> "
		    "local@target-domain, lets its target send as "
		    "local@alias-domain, which smtpd_sender_login_maps "
		    "did not list; to refuse it as Postfix did, run "
		    "auth-helper alias owns no and give each login "
		    "the other addresses its sender map listed "
		    "(auth-helper sender add)", addom);
	if (r == 0)
		report_add(rep, R_SETTING, "smtpd_sender_login_maps "
		    "does not read virtual_alias_maps: %s (alias owns "
		    "no: an alias gives its targets no right to send "
		    "as its address); the owners the sender maps list "
		    "are sender grants", p->keep_pfadmin ?
		    "query_owners and query_mailaddrmap of sqlite.conf "
		    "read no alias" : "the database has the setting "
		    "alias_owns no");
	return 0;
}

/*
 * The rows of the sender map m (of maps) Postfix would read: grants,
 * each one into allowed too.
 */
static void
senders_map(const struct postfix_maps *maps, const struct postfix_map *m,
    struct plan *p, struct report *rep, struct pairlist *allowed)
{
	struct strlist	 o;
	char		 key[MAXADDR], login[MAXADDR];
	const char	*errstr;
	size_t		 j, k;

	for (j = 0; j < m->rows.n; j++) {
		if (postfix_maps_get(maps, m->rows.v[j].a) != m->rows.v[j].b)
			continue;
		if (norm_address(m->rows.v[j].a, 1, key, sizeof(key),
		    &errstr) == -1) {
			report_add(rep, R_TODO, "smtpd_sender_login_"
			    "maps: %s: %s; not imported",
			    m->rows.v[j].a, errstr);
			continue;
		}
		/* Postfix reads "*@domain" as that address only. */
		if (strncmp(key, "*@", 2) == 0) {
			report_add(rep, R_SETTING, "smtpd_sender_login_"
			    "maps: %s: Postfix read this key as the "
			    "address itself, which no sender uses; not "
			    "imported (in the kit, *@domain would grant "
			    "every address of the domain)", key);
			continue;
		}
		memset(&o, 0, sizeof(o));
		split_list(m->rows.v[j].b, &o);
		for (k = 0; k < o.n; k++) {
			if (norm_address(o.v[k], 0, login, sizeof(login),
			    &errstr) == -1 || user_find(p, login) == NULL) {
				report_add(rep, R_TODO, "smtpd_sender_"
				    "login_maps: %s may use %s, but "
				    "%s is no account; not imported",
				    o.v[k], key, o.v[k]);
				continue;
			}
			pl_add(allowed, login, key);
			if (!kit_owns(p, login, key))
				pl_add(&p->data.senders, login, key);
		}
		sl_free(&o);
	}
}

/*
 * What the kit allows that the sender maps did not: an alias's
 * targets its address (alias owns yes), an account its own address.
 */
static void
senders_widened(struct plan *p, struct report *rep,
    const struct pairlist *allowed)
{
	const struct pair	*a;
	const char		*u;
	size_t			 i;

	for (i = 0; !p->no_alias_owns && i < p->data.aliases.n; i++) {
		a = &p->data.aliases.v[i];
		if (a->a[0] == '@' || user_find(p, a->b) == NULL)
			continue;
		if (!pl_has(allowed, a->b, a->a))
			report_add(rep, R_DIFF, "%s may now send as %s (an "
			    "alias pointing to it); smtpd_sender_login_maps "
			    "did not allow it", a->b, a->a);
	}
	for (i = 0; i < p->data.users.n; i++) {
		u = p->data.users.v[i].login;
		if (!pl_has(allowed, u, u))
			report_add(rep, R_DIFF, "%s may now send as its own "
			    "address; smtpd_sender_login_maps did not allow "
			    "it", u);
	}
}

/* smtpd_sender_login_maps: the sender grants, and what differs. */
static int
senders(struct postfix_conf *c, struct plan *p, struct report *rep)
{
	struct postfix_maps	 maps;
	struct postfix_map	*m;
	struct pairlist		 allowed;
	size_t			 i;
	int			 used = 0, known = 1;

	memset(&allowed, 0, sizeof(allowed));
	for (i = 0; i < p->nf; i++)
		if (p->f[i].sender_check || p->f[i].unauth_sender_check)
			used = 1;
	if (postfix_maps_load(c, NULL, "smtpd_sender_login_maps", &maps,
	    0) == -1) {
		postfix_maps_free(&maps);
		return -1;
	}
	if (maps.n > 0 && !used)
		report_add(rep, R_SETTING, "smtpd_sender_login_maps is set but "
		    "no restriction uses it: no sender check, as in Postfix");
	/* Aliases own their addresses only where the sender maps said so. */
	if (maps.n > 0 && senders_alias_owns(c, &maps, used, p, rep) == -1) {
		postfix_maps_free(&maps);
		return -1;
	}
	for (i = 0; i < maps.n; i++) {
		m = &maps.v[i];
		if (m->kind == MAP_EXTERNAL)
			export(rep, p, "smtpd_sender_login_maps", m,
			    X_SENDERS);
		if (m->static_value != NULL) {
			report_add(rep, R_TODO, "smtpd_sender_login_maps = %s: "
			    "every address belongs to %s: give that login the "
			    "domains with auth-helper sender add", m->spec,
			    m->static_value);
			continue;
		}
		senders_map(&maps, m, p, rep, &allowed);
	}
	/*
	 * What the kit allows that the maps did not; the rows of a
	 * mysql: or pgsql: map are not known here (the import reads them).
	 */
	for (i = 0; i < maps.n; i++)
		if (maps.v[i].kind == MAP_EXTERNAL)
			known = 0;
	if (used && known && maps.n > 0)
		senders_widened(p, rep, &allowed);
	pl_free(&allowed);
	postfix_maps_free(&maps);
	return 0;
}

/*
 * The domains of a list parameter (names, and the keys of the tables
 * it names) into out, space-separated; the tables that cannot be read
 * here (mysql:, pgsql:) into ext.  -1 on error.
 */
static int
list_domains(struct postfix_conf *c, const char *param, char **out, char **ext)
{
	struct postfix_maps	 maps;
	char			 d[256], *n;
	const char		*errstr;
	size_t			 i, j;

	*out = strdup("");
	*ext = strdup("");
	if (*out == NULL || *ext == NULL)
		return -1;
	if (postfix_maps_load(c, NULL, param, &maps, 1) == -1) {
		postfix_maps_free(&maps);
		return -1;
	}
	for (i = 0; i < maps.n; i++) {
		if (maps.v[i].kind == MAP_EXTERNAL) {
			if (asprintf(&n, "%s%s%s", *ext, **ext ? ", " : "",
			    maps.v[i].spec) == -1)
				goto fail;
			free(*ext);
			*ext = n;
			continue;
		}
		for (j = 0; j < maps.v[i].rows.n; j++) {
			if (strchr(maps.v[i].rows.v[j].a, '@') != NULL ||
			    norm_domain(maps.v[i].rows.v[j].a, d, sizeof(d),
			    &errstr) == -1)
				continue;
			if (asprintf(&n, "%s%s%s", *out, **out ? " " : "", d) ==
			    -1)
				goto fail;
			free(*out);
			*out = n;
		}
	}
	postfix_maps_free(&maps);
	return 0;
 fail:
	postfix_maps_free(&maps);
	return -1;
}

/*
 * mydestination with alias_maps (postmaster@ the host name, mail to
 * root), and relay_domains (a backup MX): the smtpd.conf lines each
 * needs, in the report.
 */
static int
local_and_relay(struct postfix_conf *c, struct plan *p, struct report *rep)
{
	char	*dest = NULL, *ext = NULL, *am = NULL, *lt = NULL;
	char	*rd = NULL, *rext = NULL, *host = NULL;
	int	 rv = -1;

	if (list_domains(c, "mydestination", &dest, &ext) == -1 ||
	    (am = postfix_get(c, NULL, "alias_maps")) == NULL ||
	    (lt = postfix_get(c, NULL, "local_transport")) == NULL ||
	    (host = postfix_get(c, NULL, "myhostname")) == NULL)
		goto done;
	if ((dest[0] != '\0' || ext[0] != '\0') && strncmp(lt, "local", 5) == 0) {
		report_add(rep, R_TODO, "mydestination = %s%s%s: Postfix "
		    "delivered mail for these domains itself, through "
		    "alias_maps = %s (postmaster@ and root@ the host name, "
		    "mail from cron and sendmail root); smtpd would relay it "
		    "out, or refuse it from outside: add to smtpd.conf, before its match lines, these "
		    "lines:", dest, ext[0] != '\0' ? " " : "", ext, am);
		report_add(rep, R_TODO, "    table aliases file:/etc/aliases");
		report_add(rep, R_TODO, "    action \"local\" mbox alias "
		    "<aliases>");
		report_add(rep, R_TODO, "    match from local for local "
		    "action \"local\"");
		if (dest[0] != '\0')
			report_add(rep, R_TODO, "    match from any for domain "
			    "{ %s } action \"local\"", dest);
	}
	/* Unset under compatibility_level < 2, it is mydestination. */
	if (postfix_is_set(c, NULL, "relay_domains")) {
		if (list_domains(c, "relay_domains", &rd, &rext) == -1)
			goto done;
		if (rd[0] != '\0' || rext[0] != '\0') {
			report_add(rep, R_TODO, "relay_domains = %s%s%s: "
			    "Postfix was a backup MX for these domains, which "
			    "smtpd would refuse: add to smtpd.conf, before its "
			    "match lines, these lines%s:", rd,
			    rext[0] != '\0' ? " " : "", rext, rext[0] != '\0' ?
			    " (with the domains of the tables named)" : "");
			report_add(rep, R_TODO, "    action \"backup-mx\" "
			    "relay backup mx %s", host);
			report_add(rep, R_TODO, "    match from any for domain "
			    "{ %s } action \"backup-mx\"", rd[0] != '\0' ? rd :
			    "DOMAINS");
		}
	}
	/*
	 * The filter of a port-25 service lets clients without AUTH send
	 * only to the kit's domains and smtpd's host name.
	 */
	if ((dest[0] != '\0' && strncmp(lt, "local", 5) == 0) ||
	    (rd != NULL && rd[0] != '\0')) {
		size_t	 i;

		for (i = 0; i < p->nf; i++)
			if (p->f[i].mx && p->f[i].relay_check)
				report_add(rep, R_TODO, "in filter-%s.conf: "
				    "relay_check no, with the lines above (the "
				    "filter lets clients without AUTH send only "
				    "to the kit's domains and smtpd's host name; "
				    "smtpd's match lines then decide, and refuse "
				    "the rest)", p->f[i].name);
	}
	rv = 0;
 done:
	free(dest);
	free(ext);
	free(am);
	free(lt);
	free(rd);
	free(rext);
	free(host);
	return rv;
}

/* Two optional strings equal. */
static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* -p, a mysql: or pgsql: map: its server, which every map must share. */
static int
pfadmin_server(struct plan *p, const struct postfix_map *m,
    struct report *rep)
{
	int	 engine = strcmp(m->type, "mysql") == 0 ? PF_MYSQL : PF_PGSQL;

	if (m->dbname == NULL)
		return report_error(rep, "-p: %s names no dbname", m->name);
	if (p->pfadmin_db == NULL) {
		p->pfadmin_engine = engine;
		if ((p->pfadmin_db = strdup(m->dbname)) == NULL ||
		    (m->hosts != NULL &&
		    (p->pfadmin_hosts = strdup(m->hosts)) == NULL) ||
		    (m->user != NULL &&
		    (p->pfadmin_user = strdup(m->user)) == NULL) ||
		    (m->password != NULL &&
		    (p->pfadmin_password = strdup(m->password)) == NULL))
			return report_error(rep, "out of memory");
		return 0;
	}
	if (p->pfadmin_engine != engine || strcmp(p->pfadmin_db,
	    m->dbname) != 0 || !same(p->pfadmin_hosts, m->hosts) ||
	    !same(p->pfadmin_user, m->user) ||
	    !same(p->pfadmin_password, m->password))
		return report_error(rep, "-p: the maps read two databases, "
		    "%s and %s (%s): one sqlite.conf names one", p->pfadmin_db,
		    m->dbname, m->name);
	return 0;
}

/* -p: the PostfixAdmin database the sqlite:, mysql: or pgsql: maps read. */
static int
pfadmin(struct postfix_conf *c, struct plan *p, struct report *rep)
{
	static const char *params[] = { "virtual_mailbox_domains",
	    "virtual_mailbox_maps", "virtual_alias_maps" };
	struct postfix_maps	 maps;
	struct postfix_map	*m;
	size_t			 i, j;

	for (i = 0; i < 3; i++) {
		if (postfix_maps_load(c, NULL, params[i], &maps, 0) == -1) {
			postfix_maps_free(&maps);
			return -1;
		}
		for (j = 0; j < maps.n; j++) {
			m = &maps.v[j];
			if (m->kind == MAP_EXTERNAL) {
				pfadmin_server(p, m, rep);
				continue;
			}
			if (m->dbpath == NULL)
				continue;
			if (p->pfadmin_db == NULL)
				p->pfadmin_db = strdup(m->dbpath);
			else if (p->pfadmin_engine != PF_SQLITE ||
			    strcmp(p->pfadmin_db, m->dbpath) != 0)
				report_error(rep, "-p: the maps read two "
				    "databases, %s and %s", p->pfadmin_db,
				    m->dbpath);
		}
		postfix_maps_free(&maps);
	}
	if (p->pfadmin_db != NULL && p->pfadmin_engine != PF_SQLITE) {
		export_in_place();
		report_add(rep, R_DIFF, "-p: an alias with a target that "
		    "receives nothing (a disabled mailbox): Postfix bounced that "
		    "copy and delivered to the other targets; smtpd refuses the "
		    "whole recipient (524 5.2.4): remove such targets from the "
		    "aliases in PostfixAdmin");
	}
	if (p->pfadmin_db == NULL)
		return report_error(rep, "-p: no sqlite:, mysql: or pgsql: "
		    "map names a PostfixAdmin database; run without -p");
	return report_first_error(rep) == NULL ? 0 : -1;
}

void
plan_free(struct plan *p)
{
	size_t	 i;

	for (i = 0; i < p->nl; i++) {
		free(p->l[i].service);
		free(p->l[i].addr);
	}
	free(p->hostname);
	free(p->cert);
	free(p->key);
	free(p->deliver);
	free(p->relayhost);
	free(p->pfadmin_db);
	free(p->pfadmin_hosts);
	free(p->pfadmin_user);
	if (p->pfadmin_password != NULL) {
		explicit_bzero(p->pfadmin_password,
		    strlen(p->pfadmin_password));
		free(p->pfadmin_password);
	}
	free(p->pipe_domains);
	sl_free(&p->data.domains);
	accounts_free(&p->data.users);
	pl_free(&p->data.aliases);
	pl_free(&p->data.senders);
}

int
plan_data(struct postfix_conf *c, const char *dovecot, struct plan *p,
    struct report *rep)
{
	/* First: with a server kept in place (-p), nothing is exported. */
	if (p->keep_pfadmin && pfadmin(c, p, rep) == -1)
		return -1;
	if (domain_list(c, "virtual_mailbox_domains", p, rep) == -1 ||
	    domain_list(c, "virtual_alias_domains", p, rep) == -1)
		return -1;
	if (accounts(c, dovecot, p, rep) == -1 || mailboxes(c, p, rep) == -1 ||
	    aliases(c, p, rep) == -1 || senders(c, p, rep) == -1 ||
	    local_and_relay(c, p, rep) == -1)
		return -1;
	export_import(rep, p);
	if (p->data.domains.n == 0 && p->exports[X_DOMAINS] == 0)
		report_add(rep, R_TODO, "no local (virtual) domain was found: "
		    "add them with auth-helper domain add");
	if (p->keep_pfadmin && p->data.senders.n > 0 && !p->no_alias_owns)
		report_add(rep, R_TODO, "-p: %zu sender grants of "
		    "smtpd_sender_login_maps that PostfixAdmin's aliases do "
		    "not give are not written anywhere: add them as aliases in "
		    "PostfixAdmin, or migrate without -p", p->data.senders.n);
	else if (p->keep_pfadmin && p->data.senders.n > 0)
		report_add(rep, R_TODO, "-p: %zu sender grants of "
		    "smtpd_sender_login_maps other than a mailbox's own "
		    "address are not written anywhere (the owners query of "
		    "sqlite.conf reads the mailboxes only): migrate without "
		    "-p to keep them", p->data.senders.n);
	return 0;
}
