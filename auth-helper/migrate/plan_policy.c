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
 * From the smtpd services of master.cf and the restrictions they see,
 * the listeners of smtpd.conf and the filter-submission configurations
 * that make the same decisions.  The restriction lists are evaluated
 * as Postfix evaluates them (client, helo, sender, relay, recipient;
 * all at RCPT with smtpd_delay_reject) for each kind of session that
 * matters: with and without AUTH, to a local or remote recipient, as
 * the login's own address, another login's, a foreign one.  What the
 * outcomes say becomes the mode and the rules of the filter; every
 * restriction that plays no part is reported.
 */

#include <ctype.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "migrate.h"

enum verdict { DUNNO, PERMIT, REJECT };

enum sender { S_OWN, S_OTHER, S_FOREIGN, S_NULL };

struct situation {
	int		 auth;
	int		 mynet;		/* the client is in mynetworks */
	int		 remote;	/* the recipient is not local */
	enum sender	 sender;
};

struct outcome {
	enum verdict	 v;
	char		 by[128];	/* the restriction that decided */
	int		 warned;	/* a warn_if_reject would have */
	char		 warnby[128];
};

struct svctx {
	struct postfix_conf		*c;
	const struct postfix_service	*sv;
	struct report			*rep;
	const char			*name;
};

/* Restrictions that take the next word as their argument. */
static int
takes_arg(const char *r)
{
	return strncmp(r, "check_", 6) == 0 ||
	    strcmp(r, "reject_rbl_client") == 0 ||
	    strcmp(r, "reject_rhsbl_client") == 0 ||
	    strcmp(r, "reject_rhsbl_sender") == 0 ||
	    strcmp(r, "reject_rhsbl_helo") == 0 ||
	    strcmp(r, "reject_rhsbl_recipient") == 0 ||
	    strcmp(r, "reject_rhsbl_reverse_client") == 0 ||
	    strcmp(r, "permit_dnswl_client") == 0 ||
	    strcmp(r, "permit_rhswl_client") == 0 ||
	    strcmp(r, "sleep") == 0;
}

/* What to do instead, for restrictions the filter has no rule for. */
static const struct {
	const char	*prefix;
	const char	*todo;
} todos[] = {
	{ "check_policy_service", "run the policy's checks in an smtpd "
	    "filter: filter-rspamd (Debian: opensmtpd-filter-rspamd) checks "
	    "SPF and greylists, with rspamd" },
	{ "check_", "access tables: smtpd.conf match rules with from "
	    "src/rcpt-to/mail-from tables and reject" },
	{ "reject_rbl_client", "DNS blocklists: the filter filter-dnsbl "
	    "(OpenBSD: opensmtpd-filter-dnsbl), or filter-rspamd with "
	    "rspamd's RBL module" },
	{ "reject_rhsbl", "DNS blocklists: the filter filter-dnsbl "
	    "(OpenBSD: opensmtpd-filter-dnsbl), or filter-rspamd with "
	    "rspamd's RBL module" },
	{ "permit_dnswl", "DNS allowlists: the filter filter-rspamd, with "
	    "rspamd's RBL module" },
	{ "permit_rhswl", "DNS allowlists: the filter filter-rspamd, with "
	    "rspamd's RBL module" },
	{ "reject_unknown_sender_domain", "smtpd does not look up the "
	    "sender's domain: the filter filter-rspamd (rspamd's "
	    "HFILTER module) does" },
	{ "reject_unknown_hostname", "the old name of "
	    "reject_unknown_helo_hostname: smtpd does not check HELO names: "
	    "the filter filter-rspamd (rspamd's HFILTER module) does" },
	{ "reject_invalid_hostname", "the old name of "
	    "reject_invalid_helo_hostname: smtpd checks the HELO syntax "
	    "itself" },
	{ "reject_non_fqdn_hostname", "the old name of "
	    "reject_non_fqdn_helo_hostname: the filter filter-rspamd "
	    "(rspamd's HFILTER module) checks HELO names" },
	{ "reject_unknown_client", "smtpd.conf: match !from rdns ... "
	    "reject" },
	{ "reject_unknown_recipient_domain", "smtpd relays only for "
	    "authenticated clients: nothing to do for them" },
	{ "reject_unknown_helo_hostname", "smtpd does not check HELO "
	    "names: the filter filter-rspamd (rspamd's HFILTER module) "
	    "does" },
	{ "reject_invalid_helo_hostname", "smtpd checks the HELO syntax "
	    "itself" },
	{ "reject_non_fqdn_helo_hostname", "the filter filter-rspamd "
	    "(rspamd's HFILTER module) checks HELO names" },
	{ "reject_unknown_client_hostname", "smtpd.conf: match !from rdns "
	    "... reject" },
	{ "reject_unknown_reverse_client_hostname", "smtpd.conf: match "
	    "!from rdns ... reject" },
	{ "reject_non_fqdn_sender", "smtpd refuses senders without a domain "
	    "from the network" },
	{ "reject_non_fqdn_recipient", "smtpd refuses recipients without a "
	    "domain from the network" },
	{ "reject_unauth_pipelining", "smtpd refuses commands sent before "
	    "its banner (it always does)" },
	{ "reject_unlisted_sender", "the filter's sender_check refuses "
	    "addresses the login does not own; unknown local senders from "
	    "outside are not refused" },
	{ "reject_unlisted_recipient", "smtpd refuses unknown recipients "
	    "of the local domains itself" },
	{ "reject_multi_recipient_bounce", "no equivalent" },
	{ "reject_unverified", "no equivalent: smtpd does not verify "
	    "addresses" },
	{ "reject_plaintext_session", "smtpd.conf: tls-require on the "
	    "listener" },
	{ "permit_tls_", "client certificates: smtpd.conf listen ... "
	    "verify, and match rules" },
	{ "reject_known_sender_login_mismatch", NULL },
	{ "sleep", "no equivalent" },
	{ "permit_inet_interfaces", "mail from this machine goes through "
	    "sendmail(8) and smtpd's local socket" },
	{ "permit_mx_backup", "backup MX: relay_domains" },
	{ "defer_if_", "no equivalent" },
};

static void
todo(struct svctx *x, const char *list, const char *r, const char *arg)
{
	size_t	 i;

	for (i = 0; i < sizeof(todos) / sizeof(todos[0]); i++) {
		if (strncmp(r, todos[i].prefix, strlen(todos[i].prefix)) != 0)
			continue;
		if (todos[i].todo == NULL)
			return;
		report_add(x->rep, R_TODO, "%s: %s%s%s (service %s): not "
		    "carried over; %s", list, r, arg != NULL ? " " : "",
		    arg != NULL ? arg : "", x->name, todos[i].todo);
		return;
	}
	report_add(x->rep, R_TODO, "%s: %s%s%s (service %s): unknown to the "
	    "migration; not carried over", list, r, arg != NULL ? " " : "",
	    arg != NULL ? arg : "", x->name);
}

static enum verdict
one(struct svctx *x, const char *list, const char *r, const char *arg,
    const struct situation *s, int quiet)
{
	int	 owned = s->sender == S_OWN || s->sender == S_OTHER;

	if (strcmp(r, "permit") == 0)
		return PERMIT;
	if (strcmp(r, "reject") == 0 || strcmp(r, "defer") == 0)
		return REJECT;
	if (strcmp(r, "permit_sasl_authenticated") == 0)
		return s->auth ? PERMIT : DUNNO;
	if (strcmp(r, "permit_mynetworks") == 0)
		return s->mynet ? PERMIT : DUNNO;
	if (strcmp(r, "reject_unauth_destination") == 0 ||
	    strcmp(r, "defer_unauth_destination") == 0)
		return s->remote ? REJECT : DUNNO;
	if (strcmp(r, "permit_auth_destination") == 0)
		return s->remote ? DUNNO : PERMIT;
	if (strcmp(r, "reject_sender_login_mismatch") == 0)
		return (s->auth && s->sender != S_OWN &&
		    s->sender != S_NULL) || (!s->auth && owned) ?
		    REJECT : DUNNO;
	if (strcmp(r, "reject_authenticated_sender_login_mismatch") == 0)
		return s->auth && s->sender != S_OWN && s->sender != S_NULL ?
		    REJECT : DUNNO;
	if (strcmp(r, "reject_unauthenticated_sender_login_mismatch") == 0)
		return !s->auth && owned ? REJECT : DUNNO;
	if (strcmp(r, "reject_known_sender_login_mismatch") == 0) {
		if (!quiet)
			report_add(x->rep, R_DIFF, "%s: "
			    "reject_known_sender_login_mismatch (service %s): "
			    "logins could use addresses no one owns; the "
			    "filter refuses every address the login does not "
			    "own", list, x->name);
		return (s->auth && s->sender == S_OTHER) ||
		    (!s->auth && owned) ? REJECT : DUNNO;
	}
	return DUNNO;
}

/* The restrictions the evaluation above understands. */
static int
known(const char *r)
{
	static const char *k[] = { "permit", "reject", "defer",
	    "permit_sasl_authenticated", "permit_mynetworks",
	    "reject_unauth_destination", "defer_unauth_destination",
	    "permit_auth_destination", "reject_sender_login_mismatch",
	    "reject_authenticated_sender_login_mismatch",
	    "reject_unauthenticated_sender_login_mismatch",
	    "reject_known_sender_login_mismatch", "warn_if_reject" };
	size_t	 i;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (strcmp(r, k[i]) == 0)
			return 1;
	return 0;
}

/* Report every restriction of every list that is not carried over. */
static void
scan(struct svctx *x)
{
	static const char *all[] = { "smtpd_client_restrictions",
	    "smtpd_helo_restrictions", "smtpd_sender_restrictions",
	    "smtpd_relay_restrictions", "smtpd_recipient_restrictions",
	    "smtpd_data_restrictions", "smtpd_end_of_data_restrictions" };
	struct strlist	 l;
	char		*v;
	size_t		 i, j;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		memset(&l, 0, sizeof(l));
		if ((v = postfix_get(x->c, x->sv, all[i])) == NULL)
			continue;
		split_list(v, &l);
		free(v);
		for (j = 0; j < l.n; j++) {
			if (known(l.v[j]))
				continue;
			if (strcmp(l.v[j], "reject_unauth_pipelining") == 0)
				continue;	/* smtpd does it */
			todo(x, all[i], l.v[j], takes_arg(l.v[j]) &&
			    j + 1 < l.n ? l.v[j + 1] : NULL);
			if (takes_arg(l.v[j]))
				j++;
		}
		sl_free(&l);
	}
}

/* Evaluate one restriction list for situation s. */
static void
eval_list(struct svctx *x, const char *list, const struct situation *s,
    struct outcome *o, int quiet)
{
	struct strlist	 l;
	char		*v;
	const char	*arg;
	size_t		 i;
	enum verdict	 r;
	int		 warn = 0;

	memset(&l, 0, sizeof(l));
	o->v = DUNNO;
	if ((v = postfix_get(x->c, x->sv, list)) == NULL)
		return;
	split_list(v, &l);
	free(v);
	for (i = 0; i < l.n; i++) {
		if (strcmp(l.v[i], "warn_if_reject") == 0) {
			warn = 1;
			continue;
		}
		arg = NULL;
		if (takes_arg(l.v[i]) && i + 1 < l.n)
			arg = l.v[i + 1];
		r = one(x, list, l.v[i], arg, s, quiet);
		if (arg != NULL)
			i++;
		if (warn) {
			if (r == REJECT && !o->warned) {
				o->warned = 1;
				snprintf(o->warnby, sizeof(o->warnby), "%s",
				    l.v[i - (arg != NULL)]);
			}
			warn = 0;
			continue;
		}
		if (r != DUNNO) {
			o->v = r;
			snprintf(o->by, sizeof(o->by), "%s: %s", list,
			    l.v[i - (arg != NULL)]);
			break;
		}
	}
	sl_free(&l);
}

static const char *lists[] = {
	"smtpd_client_restrictions", "smtpd_helo_restrictions",
	"smtpd_sender_restrictions", "smtpd_relay_restrictions",
	"smtpd_recipient_restrictions",
};

/* The decision for s: the first list that rejects decides. */
static void
decide(struct svctx *x, const struct situation *s, struct outcome *o,
    int quiet)
{
	struct outcome	 lo;
	size_t		 i;

	memset(o, 0, sizeof(*o));
	o->v = PERMIT;
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		memset(&lo, 0, sizeof(lo));
		eval_list(x, lists[i], s, &lo, quiet);
		if (lo.warned && !o->warned) {
			o->warned = 1;
			strlcpy(o->warnby, lo.warnby, sizeof(o->warnby));
		}
		if (lo.v == REJECT) {
			o->v = REJECT;
			strlcpy(o->by, lo.by, sizeof(o->by));
			return;
		}
	}
}

static int
by_login(const struct outcome *o)
{
	return strstr(o->by, "sender_login_mismatch") != NULL;
}

/* The port of a service name; -1 when unknown. */
static int
service_port(const char *name)
{
	struct servent	*se;
	const char	*errstr;
	long long	 n;

	if (strcmp(name, "smtp") == 0)
		return 25;
	if (strcmp(name, "submission") == 0)
		return 587;
	if (strcmp(name, "submissions") == 0 || strcmp(name, "smtps") == 0)
		return 465;
	n = strtonum(name, 1, 65535, &errstr);
	if (errstr == NULL)
		return n;
	if ((se = getservbyname(name, "tcp")) != NULL)
		return ntohs(se->s_port);
	return -1;
}

static int
add_listener(struct plan *p, struct report *rep, const char *svc,
    const char *addr, int port, enum ltls tls, int auth, int senders,
    int filter)
{
	struct listener	*l;

	if (p->nl == MAXLISTEN)
		return report_error(rep, "more than %d listeners", MAXLISTEN);
	if (!smtpd_quotable(addr))
		return report_error(rep, "service %s: address %s: a backslash "
		    "or a control character, which smtpd.conf cannot hold",
		    svc, addr);
	l = &p->l[p->nl++];
	memset(l, 0, sizeof(*l));
	if ((l->service = strdup(svc)) == NULL ||
	    (l->addr = strdup(addr)) == NULL)
		return report_error(rep, "out of memory");
	l->port = port;
	l->tls = tls;
	l->auth = auth;
	l->senders = senders;
	l->filter = filter;
	return 0;
}

/* The filter configuration f, shared with an equal one if any. */
static int
add_filter(struct plan *p, struct report *rep, struct fconfig *f,
    const char *svc)
{
	size_t	 i;

	for (i = 0; i < p->nf; i++) {
		strlcpy(f->name, p->f[i].name, sizeof(f->name));
		if (memcmp(f, &p->f[i], sizeof(*f)) == 0)
			return i;
	}
	if (p->nf == MAXFILTER)
		return report_error(rep, "more than %d filter configurations",
		    MAXFILTER);
	strlcpy(f->name, f->mx ? "mx" : "submission", sizeof(f->name));
	for (i = 0; i < p->nf; i++)
		if (strcmp(p->f[i].name, f->name) == 0)
			strlcpy(f->name, svc, sizeof(f->name));
	p->f[p->nf] = *f;
	return p->nf++;
}

/* The addresses of inet_interfaces, as smtpd.conf can name them. */
static int
addresses(struct postfix_conf *c, const struct postfix_service *sv,
    struct report *rep, struct strlist *out)
{
	struct strlist	 l;
	char		*v, *proto;
	size_t		 i;
	int		 v4 = 1, v6 = 1;

	memset(&l, 0, sizeof(l));
	if ((proto = postfix_get(c, sv, "inet_protocols")) != NULL) {
		if (strstr(proto, "all") == NULL) {
			v4 = strstr(proto, "ipv4") != NULL;
			v6 = strstr(proto, "ipv6") != NULL;
		}
		free(proto);
	}
	if ((v = postfix_get(c, sv, "inet_interfaces")) == NULL)
		return -1;
	split_list(v, &l);
	for (i = 0; i < l.n; i++) {
		if (strcmp(l.v[i], "all") == 0) {
			if (v4)
				sl_add(out, "0.0.0.0");
			if (v6)
				sl_add(out, "::");
			report_add(rep, R_SETTING, "inet_interfaces = %s: "
			    "listen on 0.0.0.0%s (smtpd on Linux refuses "
			    "\"listen on all\")", v, v6 ? " and ::" : "");
		} else if (strcmp(l.v[i], "loopback-only") == 0 ||
		    strcmp(l.v[i], "localhost") == 0) {
			if (v4)
				sl_add(out, "127.0.0.1");
			if (v6)
				sl_add(out, "::1");
		} else
			sl_add(out, l.v[i]);
	}
	free(v);
	sl_free(&l);
	return 0;
}

/* The TLS level a service asks for: 0 none, 1 may, 2 encrypt. */
static int
tls_level(struct postfix_conf *c, const struct postfix_service *sv)
{
	char	*v;
	int	 r;

	if ((v = postfix_get(c, sv, "smtpd_tls_security_level")) == NULL)
		return 0;
	if (v[0] != '\0')
		r = strcmp(v, "encrypt") == 0 ? 2 : strcmp(v, "may") == 0 ?
		    1 : 0;
	else if (postfix_bool(c, sv, "smtpd_enforce_tls"))
		r = 2;
	else
		r = postfix_bool(c, sv, "smtpd_use_tls");
	free(v);
	return r;
}

static const char *
verdict_text(const struct outcome *o)
{
	static char	 buf[160];

	if (o->v != REJECT)
		return "accepted";
	snprintf(buf, sizeof(buf), "refused by %s", o->by);
	return buf;
}

/*
 * A service's listener, as master.cf and main.cf describe it (the
 * plan's struct listener is one of its addresses).
 */
struct svc_listen {
	struct strlist	 addrs;
	int		 port;
	int		 sasl;
	int		 level;		/* tls_level() */
	int		 wrapper;	/* smtpd_tls_wrappermode */
	enum ltls	 tls;
};

/* The outcomes of the sessions that tell a service's policy apart. */
struct sessions {
	struct outcome	 un_local;	/* no AUTH, to a local domain */
	struct outcome	 un_remote;	/* no AUTH, to another domain */
	struct outcome	 mynet_remote;	/* no AUTH, mynetworks, relaying */
	struct outcome	 un_owned;	/* no AUTH, a login's address */
	struct outcome	 au_own;	/* AUTH, its own address */
	struct outcome	 au_other;	/* AUTH, another login's address */
	struct outcome	 au_foreign;	/* AUTH, an address no login owns */
	struct outcome	 au_remote_own;	/* AUTH, own address, relaying */
};

/* The addresses, port, TLS and AUTH of the listener of sv, into l. */
static int
service_listener(struct postfix_conf *c, const struct postfix_service *sv,
    const struct postfix_service *opts, struct plan *p, struct report *rep,
    struct svc_listen *l)
{
	char		 host[256], *colon;
	const char	*svcname = sv->name;

	/* "host:port" or a port/service name */
	host[0] = '\0';
	if ((colon = strrchr(sv->name, ':')) != NULL) {
		snprintf(host, sizeof(host), "%.*s",
		    (int)(colon - sv->name), sv->name);
		if (host[0] == '[') {
			memmove(host, host + 1, strlen(host));
			host[strcspn(host, "]")] = '\0';
		}
		svcname = colon + 1;
	}
	if ((l->port = service_port(svcname)) == -1)
		return report_error(rep, "master.cf line %d: service %s: "
		    "unknown port name %s", sv->line, sv->name, svcname);
	if (host[0] != '\0')
		sl_add(&l->addrs, host);
	else if (addresses(c, opts, rep, &l->addrs) == -1)
		return -1;

	l->sasl = postfix_bool(c, opts, "smtpd_sasl_auth_enable");
	l->level = tls_level(c, opts);
	l->wrapper = postfix_bool(c, opts, "smtpd_tls_wrappermode");
	if ((l->level > 0 || l->wrapper) && p->cert == NULL) {
		report_add(rep, R_WARN, "service %s: TLS asked for but no "
		    "smtpd_tls_cert_file: no TLS on its listener, as Postfix "
		    "would run it", sv->name);
		l->level = 0;
		l->wrapper = 0;
	}
	if (l->wrapper)
		l->tls = L_SMTPS;
	else if (l->level > 0)
		l->tls = L_TLS;
	else
		l->tls = L_NOTLS;
	if (l->sasl)
		p->sasl = 1;
	if (l->sasl && !postfix_bool(c, opts, "smtpd_tls_auth_only") &&
	    !l->wrapper)
		report_add(rep, R_DIFF, "service %s: smtpd_tls_auth_only = no: "
		    "smtpd offers AUTH only after TLS", sv->name);
	return 0;
}

/* The sessions that tell the policy apart, as x's restrictions decide. */
static void
service_sessions(struct svctx *x, int sasl, struct sessions *o)
{
	struct situation s;

	memset(o, 0, sizeof(*o));
	memset(&s, 0, sizeof(s));
	s.sender = S_FOREIGN;
	scan(x);
	decide(x, &s, &o->un_local, 1);
	s.remote = 1;
	decide(x, &s, &o->un_remote, 1);
	/* A client in mynetworks, without AUTH, to another domain. */
	s.mynet = 1;
	decide(x, &s, &o->mynet_remote, 1);
	s.mynet = 0;
	s.remote = 0;
	s.sender = S_OWN;
	decide(x, &s, &o->un_owned, 1);
	if (!sasl)
		return;
	s.auth = 1;
	s.remote = 1;
	s.sender = S_OWN;
	decide(x, &s, &o->au_remote_own, 1);
	s.remote = 0;
	decide(x, &s, &o->au_own, 1);
	s.sender = S_OTHER;
	decide(x, &s, &o->au_other, 1);
	s.sender = S_FOREIGN;
	decide(x, &s, &o->au_foreign, 1);
}

/* The filter's settings for the outcomes o of a service, into f. */
static void
service_filter(struct postfix_conf *c, const struct postfix_service *sv,
    const struct postfix_service *opts, struct report *rep,
    const struct svc_listen *l, const struct sessions *o, struct fconfig *f)
{
	char		*v;
	int		 warned, hard;
	long long	 n;

	f->mx = o->un_local.v != REJECT;
	f->require_tls = l->level == 2 && !l->wrapper;
	f->require_auth = !f->mx;
	f->relay_check = 1;
	f->null_sender = 1;
	/* A rule under warn_if_reject is on, and warn_only decides. */
	f->sender_check = l->sasl && ((o->au_other.v == REJECT &&
	    by_login(&o->au_other)) || (o->au_other.warned &&
	    strstr(o->au_other.warnby, "login_mismatch") != NULL));
	f->header_check = f->sender_check && !f->mx;
	f->unauth_sender_check = f->mx && ((o->un_owned.v == REJECT &&
	    by_login(&o->un_owned)) || (o->un_owned.warned &&
	    strstr(o->un_owned.warnby, "login_mismatch") != NULL));
	f->messages_per_hour = 0;
	f->recipients_per_hour = 0;
	f->auth_fail_limit = 5;
	f->soft_bounce = postfix_bool(c, opts, "soft_bounce");
	if ((v = postfix_get(c, opts, "recipient_delimiter")) != NULL) {
		strlcpy(f->delims, v[0] != '\0' ? v : "none",
		    sizeof(f->delims));
		free(v);
	}
	f->recipients_per_message = 1000;
	if ((v = postfix_get(c, opts, "smtpd_recipient_limit")) != NULL) {
		n = strtonum(v, 0, 1000000, NULL);
		if (n > 0)
			f->recipients_per_message = n;
		free(v);
	}
	if ((v = postfix_get(c, opts,
	    "smtpd_client_message_rate_limit")) != NULL) {
		n = strtonum(v, 0, 1000000, NULL);
		if (n > 0) {
			f->messages_per_hour = n * 60;
			report_add(rep, R_DIFF, "service %s: "
			    "smtpd_client_message_rate_limit = %lld per "
			    "minute and client address: messages_per_hour "
			    "%lld per login", sv->name, n, n * 60);
		}
		free(v);
	}

	/* warn_if_reject: the filter warns for all its rules or none. */
	warned = o->un_local.warned || o->un_remote.warned ||
	    o->au_other.warned || o->un_owned.warned;
	/* Relaying stays refused by smtpd's match rules in any case. */
	hard = (f->sender_check && o->au_other.v == REJECT) ||
	    (f->unauth_sender_check && o->un_owned.v == REJECT) ||
	    f->require_auth;
	f->warn_only = 0;
	if (warned && !hard) {
		f->warn_only = 1;
		report_add(rep, R_SETTING, "service %s: warn_if_reject %s: "
		    "warn_only yes (nothing is refused, every decision is "
		    "logged)", sv->name, o->un_owned.warnby[0] != '\0' ?
		    o->un_owned.warnby : o->au_other.warnby);
	} else if (warned)
		report_add(rep, R_TODO, "service %s: warn_if_reject before "
		    "%s: the filter warns for all its rules or for none; "
		    "that rule is enforced. Set warn_only yes in the filter's "
		    "configuration to roll out with warnings only", sv->name,
		    o->un_local.warnby[0] != '\0' ? o->un_local.warnby :
		    o->au_other.warnby);
}

/* The report's lines on what the service did and what the filter does. */
static void
service_report(struct postfix_conf *c, const struct postfix_service *sv,
    const struct postfix_service *opts, struct report *rep,
    const struct svc_listen *l, const struct sessions *o,
    const struct fconfig *f)
{
	char	*v;

	report_add(rep, R_SETTING, "service %s (master.cf line %d): without "
	    "AUTH, to a local domain: %s", sv->name, sv->line,
	    verdict_text(&o->un_local));
	report_add(rep, R_SETTING, "service %s: without AUTH, to another "
	    "domain: %s", sv->name, verdict_text(&o->un_remote));
	if (l->sasl) {
		report_add(rep, R_SETTING, "service %s: with AUTH, to another "
		    "domain: %s", sv->name, verdict_text(&o->au_remote_own));
		report_add(rep, R_SETTING, "service %s: with AUTH, as another "
		    "login's address: %s", sv->name,
		    verdict_text(&o->au_other));
	}
	report_add(rep, R_SETTING, "service %s: filter mode %s%s%s%s",
	    sv->name, f->mx ? "mx" : "submission",
	    f->require_auth ? ", require_auth" : "",
	    f->sender_check ? ", sender_check" : "",
	    f->unauth_sender_check ? ", unauth_sender_check" : "");
	if (!f->mx && !l->sasl)
		report_add(rep, R_DIFF, "service %s refuses mail from anyone "
		    "without AUTH and has no AUTH: its listener refuses "
		    "everything, as it did", sv->name);
	if (!f->mx && l->sasl) {
		report_add(rep, R_DIFF, "service %s: without AUTH, Postfix "
		    "refused at RCPT TO (%s); the filter refuses MAIL FROM "
		    "with 530 5.7.0 Authentication required (RFC 4954)",
		    sv->name, o->un_local.by);
		if (l->port == 25)
			report_add(rep, R_DIFF, "service %s (port 25) refuses "
			    "mail from other servers without AUTH, as it did: "
			    "no mail from outside reaches the local domains",
			    sv->name);
	}
	if (f->mx && o->un_remote.v != REJECT)
		report_add(rep, R_DIFF, "service %s relayed for anyone (an "
		    "open relay): the filter refuses relaying without AUTH",
		    sv->name);
	if (f->mx &&
	    strstr(o->un_remote.by, "defer_unauth_destination") != NULL)
		report_add(rep, R_DIFF, "service %s: relaying without AUTH: "
		    "Postfix answered 454 4.7.1 (defer_unauth_destination); "
		    "the filter answers 554 5.7.1 Relay access denied",
		    sv->name);
	if (l->sasl && o->au_remote_own.v == REJECT)
		report_add(rep, R_DIFF, "service %s refused relaying even "
		    "with AUTH (%s): smtpd relays for every authenticated "
		    "client", sv->name, o->au_remote_own.by);
	if (l->sasl && f->sender_check && o->au_foreign.v != REJECT)
		report_add(rep, R_DIFF, "service %s: addresses no login owns "
		    "could be used after AUTH; the filter refuses them",
		    sv->name);
	if (f->header_check)
		report_add(rep, R_DIFF, "service %s: added: the From: and "
		    "Sender: headers must be addresses the login owns "
		    "(header_check; Postfix does not check them)", sv->name);
	if (!postfix_bool(c, opts, "smtpd_reject_unlisted_recipient"))
		report_add(rep, R_DIFF, "service %s: "
		    "smtpd_reject_unlisted_recipient = no: Postfix took mail "
		    "for unknown local recipients and bounced it; smtpd refuses "
		    "them at RCPT TO", sv->name);
	/*
	 * Only where permit_mynetworks decided, before any list refused:
	 * a submission service whose client restrictions refuse every
	 * client without AUTH answered 554 to mynetworks too.
	 */
	if (o->mynet_remote.v == PERMIT && o->un_remote.v == REJECT) {
		v = postfix_get(c, opts, "mynetworks");
		report_add(rep, R_DIFF, "service %s: permit_mynetworks: "
		    "clients in mynetworks (%s) could relay without AUTH; the "
		    "filter asks every network client for AUTH, and local "
		    "programs send with sendmail(8) through smtpd's local "
		    "socket", sv->name, v != NULL ? v : "");
		free(v);
	}
}

/* One smtpd service: its listeners and its filter configuration. */
static int
service(struct postfix_conf *c, const struct postfix_service *sv,
    const struct postfix_service *opts, struct plan *p, struct report *rep)
{
	struct svctx		 x;
	struct svc_listen	 l;
	struct sessions		 o;
	struct fconfig		 f;
	size_t			 i;
	int			 fi, rv = -1;

	memset(&x, 0, sizeof(x));
	memset(&l, 0, sizeof(l));
	/* add_filter compares configurations whole, padding included. */
	memset(&f, 0, sizeof(f));
	x.c = c;
	x.sv = opts;
	x.rep = rep;
	x.name = sv->name;

	if (service_listener(c, sv, opts, p, rep, &l) == -1)
		goto done;
	service_sessions(&x, l.sasl, &o);
	service_filter(c, sv, opts, rep, &l, &o, &f);
	service_report(c, sv, opts, rep, &l, &o, &f);
	if ((fi = add_filter(p, rep, &f, sv->name)) == -1)
		goto done;
	/*
	 * smtpd's senders <kit> is never written: it answers 530 to the
	 * null sender of an authenticated client, which Postfix accepted
	 * (read receipts, vacation replies); the filter's sender_check
	 * makes the ownership decision, with Postfix's replies.
	 */
	if (f.sender_check && !f.warn_only)
		report_add(rep, R_SETTING, "service %s: the owner of MAIL FROM "
		    "is checked by filter-submission (sender_check), not by "
		    "smtpd's senders option, which would refuse the null "
		    "sender <> after AUTH (530) where Postfix accepted it",
		    sv->name);
	for (i = 0; i < l.addrs.n; i++)
		if (add_listener(p, rep, sv->name, l.addrs.v[i], l.port,
		    l.tls, l.sasl, 0, fi) == -1)
			goto done;
	rv = 0;
 done:
	sl_free(&l.addrs);
	return rv;
}

static int
pki(struct postfix_conf *c, struct plan *p, struct report *rep)
{
	struct strlist	 l;
	char		*cert, *key, *chain;

	memset(&l, 0, sizeof(l));
	cert = postfix_get(c, NULL, "smtpd_tls_cert_file");
	key = postfix_get(c, NULL, "smtpd_tls_key_file");
	chain = postfix_get(c, NULL, "smtpd_tls_chain_files");
	if (cert == NULL || key == NULL || chain == NULL) {
		free(cert);
		free(key);
		free(chain);
		return -1;
	}
	if (chain[0] != '\0') {
		/* The key first, then the certificates. */
		split_list(chain, &l);
		if (l.n > 0) {
			free(key);
			free(cert);
			key = strdup(l.v[0]);
			cert = strdup(l.v[l.n - 1]);
			report_add(rep, R_SETTING, "smtpd_tls_chain_files = %s: "
			    "pki key %s, cert %s", chain, key, cert);
		}
		sl_free(&l);
	}
	free(chain);
	if (cert != NULL && cert[0] != '\0' && (!smtpd_quotable(cert) ||
	    key == NULL || !smtpd_quotable(key))) {
		free(cert);
		free(key);
		return report_error(rep, "smtpd_tls_cert_file, "
		    "smtpd_tls_key_file: a backslash or a control character, "
		    "which smtpd.conf cannot hold");
	}
	if (cert != NULL && cert[0] != '\0') {
		p->cert = cert;
		p->key = key;
		report_add(rep, R_SETTING, "smtpd_tls_cert_file = %s, "
		    "smtpd_tls_key_file = %s: pki %s", cert, key,
		    p->hostname);
		return 0;
	}
	free(cert);
	free(key);
	return 0;
}

/* Is s safe as it is in a sh(1) command line and a smtpd.conf string? */
static int
shell_word(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("/._+-:@%,", *s) ==
		    NULL)
			return 0;
	return 1;
}

/*
 * The path fmt makes, quoted for smtpd.conf, into *out: 0, -1 out of
 * memory, -2 when smtpd.conf cannot hold it.
 */
static int
qpath(char **out, const char *fmt, ...)
{
	va_list	 ap;
	char	*raw;
	int	 n;

	*out = NULL;
	va_start(ap, fmt);
	n = vasprintf(&raw, fmt, ap);
	va_end(ap);
	if (n == -1)
		return -1;
	if (!smtpd_quotable(raw)) {
		free(raw);
		return -2;
	}
	*out = smtpd_quote(raw);
	free(raw);
	return *out == NULL ? -1 : 0;
}

/* The delivery action of the local (virtual) domains. */
static int
delivery(struct postfix_conf *c, struct plan *p, struct report *rep)
{
	char	*t, *q, *base, *path, *s = NULL;
	int	 n, rv = 0;

	if ((t = postfix_get(c, NULL, "virtual_transport")) == NULL)
		return -1;
	q = postfix_get(c, NULL, "queue_directory");
	base = postfix_get(c, NULL, "virtual_mailbox_base");
	if (strncmp(t, "lmtp:", 5) == 0) {
		path = t + 5;
		if (strncmp(path, "unix:", 5) == 0) {
			path += 5;
			if (path[0] != '/')
				n = qpath(&s, "%s/%s", q, path);
			else
				n = qpath(&s, "%s", path);
			if (n != -1)
				n = asprintf(&p->deliver, "lmtp %s rcpt-to "
				    "virtual <kit>", s);
			report_add(rep, R_TODO, "virtual_transport = %s: "
			    "Dovecot's LMTP socket is in Postfix's queue "
			    "directory; once Postfix is gone, move it (in "
			    "10-master.conf, service lmtp) and change the "
			    "action \"deliver\" of smtpd.conf", t);
		} else {
			if (strncmp(path, "inet:", 5) == 0)
				path += 5;
			if ((n = qpath(&s, "%s", path)) != -1)
				n = asprintf(&p->deliver, "lmtp %s rcpt-to "
				    "virtual <kit>", s);
		}
	} else if (strcmp(t, "virtual") == 0 && base != NULL &&
	    base[0] != '\0') {
		if ((n = qpath(&s, "%s/%%{dest.domain:lowercase}/"
		    "%%{dest.user:lowercase}", base)) != -1)
			n = asprintf(&p->deliver, "maildir %s virtual <kit>",
			    s);
		report_add(rep, R_DIFF, "virtual_transport = virtual: every "
		    "mailbox is the maildir %s/DOMAIN/USER, whatever "
		    "virtual_mailbox_maps said; move those that differ", base);
	} else if (strncmp(t, "dovecot", 7) == 0) {
		n = asprintf(&p->deliver, "mda \"/usr/lib/dovecot/deliver "
		    "-f %%{sender} -d %%{rcpt}\" virtual <kit>");
	} else {
		n = asprintf(&p->deliver, "maildir \"/var/vmail/"
		    "%%{dest.domain:lowercase}/%%{dest.user:lowercase}\" "
		    "virtual <kit>");
		report_add(rep, R_TODO, "virtual_transport = %s: not known to "
		    "the migration; mail is delivered to maildirs under "
		    "/var/vmail: change the action \"deliver\"", t);
	}
	free(s);
	if (n == -2) {
		p->deliver = NULL;
		rv = report_error(rep, "virtual_transport = %s: a backslash "
		    "or a control character in the path, which smtpd.conf "
		    "cannot hold", t);
	} else 	if (n == -1) {
		p->deliver = NULL;
		rv = report_error(rep, "out of memory");
	} else
		report_add(rep, R_SETTING, "virtual_transport = %s: action "
		    "\"deliver\" %s", t, p->deliver);
	free(t);
	free(q);
	free(base);
	return rv;
}

static int
relay(struct postfix_conf *c, struct plan *p, struct report *rep)
{
	char	*r, *h, *port;
	int	 n;

	if ((r = postfix_get(c, NULL, "relayhost")) == NULL)
		return -1;
	if (r[0] == '\0') {
		free(r);
		return 0;
	}
	h = r;
	if (h[0] == '[') {
		h++;
		port = strchr(h, ']');
		if (port != NULL)
			*port++ = '\0';
	} else
		port = strrchr(h, ':');
	if (port != NULL && *port == ':')
		*port++ = '\0';
	else
		port = NULL;
	if (port != NULL && *port != '\0')
		n = qpath(&p->relayhost, "smtp://%s:%s", h, port);
	else
		n = qpath(&p->relayhost, "smtp://%s", h);
	if (n == -2) {
		report_error(rep, "relayhost = %s: a backslash or a control "
		    "character, which smtpd.conf cannot hold", r);
		free(r);
		return -1;
	}
	if (n == -1) {
		p->relayhost = NULL;
		free(r);
		return report_error(rep, "out of memory");
	}
	report_add(rep, R_SETTING, "relayhost = %s: action \"outbound\" "
	    "relay host %s", r, p->relayhost);
	if (r[0] != '[')
		report_add(rep, R_DIFF, "relayhost = %s without brackets: "
		    "Postfix looked up its MX; smtpd connects to the host "
		    "itself", r);
	free(r);
	return 0;
}

static void
simple(struct postfix_conf *c, struct plan *p, struct report *rep)
{
	char		*v;
	long long	 n;

	if ((v = postfix_get(c, NULL, "message_size_limit")) != NULL) {
		n = strtonum(v, 0, 1LL << 40, NULL);
		if (n > 0) {
			p->max_size = n;
			report_add(rep, R_SETTING, "message_size_limit = %s: "
			    "smtp max-message-size %lld", v, n);
		} else
			report_add(rep, R_DIFF, "message_size_limit = %s "
			    "(no limit): smtpd always has one; its default "
			    "is 35M: raise it with smtp max-message-size", v);
		free(v);
	}
	if (postfix_bool(c, NULL, "soft_bounce"))
		report_add(rep, R_SETTING, "soft_bounce = yes: soft_bounce "
		    "yes in the filter configurations (its refusals are 4xx); "
		    "smtpd's own refusals (unknown recipient, failed AUTH) "
		    "stay 5xx. Set it to no once the new server is tested");
	if (postfix_bool(c, NULL, "smtpd_reject_unlisted_sender"))
		report_add(rep, R_TODO, "smtpd_reject_unlisted_sender = yes: "
		    "the filter refuses, after AUTH, addresses the login does "
		    "not own (sender_check); unknown local senders without "
		    "AUTH are not refused");
	if (postfix_bool(c, NULL, "smtpd_helo_required"))
		report_add(rep, R_SETTING, "smtpd_helo_required = yes: smtpd "
		    "always requires HELO or EHLO");
	if (postfix_bool(c, NULL, "disable_vrfy_command"))
		report_add(rep, R_SETTING, "disable_vrfy_command = yes: smtpd "
		    "has no VRFY");
	if (postfix_bool(c, NULL, "strict_rfc821_envelopes"))
		report_add(rep, R_SETTING, "strict_rfc821_envelopes = yes: "
		    "smtpd parses MAIL FROM and RCPT TO addresses strictly "
		    "itself");
	if ((v = postfix_get(c, NULL,
	    "smtpd_tls_mandatory_protocols")) != NULL) {
		if (strstr(v, "TLSv1.2") != NULL || strstr(v, "TLSv1.3") !=
		    NULL)
			report_add(rep, R_SETTING, "smtpd_tls_mandatory_"
			    "protocols = %s: smtpd's default (TLSv1.2 and "
			    "TLSv1.3) is the same", v);
		free(v);
	}
	if ((v = postfix_get(c, NULL, "unknown_local_recipient_reject_code")) !=
	    NULL) {
		if (strcmp(v, "550") != 0)
			report_add(rep, R_DIFF, "unknown_local_recipient_"
			    "reject_code = %s: smtpd refuses unknown "
			    "recipients with a 5xx reply of its own", v);
		free(v);
	}
	if ((v = postfix_get(c, NULL, "smtpd_data_restrictions")) != NULL) {
		if (strstr(v, "reject_unauth_pipelining") != NULL)
			report_add(rep, R_SETTING, "smtpd_data_restrictions = "
			    "%s: smtpd refuses clients that talk before its "
			    "banner", v);
		free(v);
	}
	report_add(rep, R_DIFF, "unknown recipients in a local domain: "
	    "Postfix answers 550 5.1.1 ... User unknown; smtpd refuses them "
	    "itself, with 524 5.2.4 Mailing list expansion problem (or 550 "
	    "Invalid recipient), which soft_bounce does not soften");
	report_add(rep, R_DIFF, "a failed AUTH: Postfix answers 535 5.7.8 "
	    "Error: authentication failed; smtpd answers 535 Authentication "
	    "failed, without an enhanced status code");
	report_add(rep, R_DIFF, "added: after 5 failed AUTH from one "
	    "address within 10 minutes, its connections are refused for the "
	    "rest of that time (auth_fail_limit; Postfix leaves that to "
	    "fail2ban)");
}

/*
 * Fill p with the listeners, filter configurations and actions that
 * carry over what the smtpd services of master.cf did.
 */
int
plan_policy(struct postfix_conf *c, struct plan *p, struct report *rep)
{
	const struct postfix_service	*sv, *opts;
	size_t				 i, j, n = 0;
	char				*v;

	if ((p->hostname = postfix_get(c, NULL, "myhostname")) == NULL)
		return -1;
	if (!smtpd_quotable(p->hostname))
		return report_error(rep, "myhostname = %s: a backslash or a "
		    "control character, which smtpd.conf cannot hold",
		    p->hostname);
	if (!shell_word(p->confdir))
		return report_error(rep, "-c %s: smtpd.conf runs the filter "
		    "through sh(1) with this directory in its command line: "
		    "name one without spaces or shell characters", p->confdir);
	if (pki(c, p, rep) == -1 || delivery(c, p, rep) == -1 ||
	    relay(c, p, rep) == -1)
		return -1;
	simple(c, p, rep);
	if ((v = postfix_get(c, NULL, "smtpd_sasl_type")) == NULL)
		return -1;
	free(v);
	for (i = 0; i < c->nsvc; i++) {
		sv = &c->svc[i];
		if (strcmp(sv->type, "inet") != 0)
			continue;
		opts = sv;
		if (strcmp(sv->command, "postscreen") == 0) {
			report_add(rep, R_TODO, "service %s: postscreen: smtpd "
			    "has no postscreen; its checks are not carried "
			    "over (a filter such as filter-dnsbl)", sv->name);
			opts = NULL;
			for (j = 0; j < c->nsvc; j++)
				if (strcmp(c->svc[j].type, "pass") == 0 &&
				    strcmp(c->svc[j].command, "smtpd") == 0)
					opts = &c->svc[j];
			if (opts == NULL)
				continue;
		} else if (strcmp(sv->command, "smtpd") != 0)
			continue;
		if (service(c, sv, opts, p, rep) == -1)
			return -1;
		n++;
	}
	if (n == 0)
		return report_error(rep, "%s/master.cf has no smtpd service "
		    "(type inet, command smtpd): nothing to migrate", c->dir);
	return 0;
}
