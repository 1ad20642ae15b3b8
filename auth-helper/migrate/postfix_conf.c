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
 * main.cf and master.cf as Postfix reads them (postconf(5), master(5)):
 * logical lines (a line starting with white space continues the one
 * before; comments and empty lines), "name = value" parameters, the
 * services of master.cf with their -o overrides, and values expanded
 * as a service sees them: $name, ${name}, $(name), ${name?text} and
 * ${name:text}, with Postfix's defaults for what is not set.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "addr.h"
#include "conf.h"
#include "migrate.h"

#define MAXDEPTH	32

/*
 * What the migration knows of a parameter: its default (postconf -d of
 * Debian's Postfix; those that depend on compatibility_level are
 * Postfix's own expressions), and whether it is read
 * (USED), has no bearing on the new setup (QUIET), or matters and
 * cannot be carried over (TODO: todos says what to do).
 */
enum pflag { USED, QUIET, TODO };

/*
 * Postfix's expression for a default that is old below
 * compatibility_level l and new from l on.
 */
#define BELOW_LEVEL(l, old, new) \
	"${{$compatibility_level} <level {" #l "} ? {" old "} : {" new "}}"

static const struct pfdef {
	const char	*name;
	const char	*dflt;
	enum pflag	 flag;
} defs[] = {
	{ "myhostname", NULL, USED },
	{ "mydomain", NULL, USED },
	{ "myorigin", "$myhostname", USED },
	{ "mydestination", "$myhostname, localhost.$mydomain, localhost",
	    USED },
	{ "config_directory", NULL, USED },
	{ "compatibility_level", "0", QUIET },
	{ "inet_interfaces", "all", USED },
	{ "inet_protocols", "all", QUIET },
	{ "proxy_interfaces", "", QUIET },
	{ "mynetworks", NULL, USED },
	{ "mynetworks_style", BELOW_LEVEL(2, "subnet", "host"), USED },
	{ "relay_domains", BELOW_LEVEL(2, "$mydestination", ""), USED },
	{ "relayhost", "", USED },
	{ "smtpd_relay_restrictions", BELOW_LEVEL(1, "", "permit_mynetworks, "
	    "permit_sasl_authenticated, defer_unauth_destination"), USED },
	{ "smtpd_recipient_restrictions", "", USED },
	{ "smtpd_client_restrictions", "", USED },
	{ "smtpd_helo_restrictions", "", USED },
	{ "smtpd_sender_restrictions", "", USED },
	{ "smtpd_data_restrictions", "", USED },
	{ "smtpd_end_of_data_restrictions", "", USED },
	{ "smtpd_etrn_restrictions", "", QUIET },
	{ "smtpd_sender_login_maps", "", USED },
	{ "smtpd_sasl_auth_enable", "no", USED },
	{ "smtpd_sasl_type", "cyrus", USED },
	{ "smtpd_sasl_path", "smtpd", USED },
	{ "smtpd_sasl_security_options", "noanonymous", TODO },
	{ "smtpd_sasl_tls_security_options", "$smtpd_sasl_security_options",
	    QUIET },
	{ "smtpd_sasl_local_domain", "", QUIET },
	{ "smtpd_sasl_authenticated_header", "no", QUIET },
	{ "broken_sasl_auth_clients", "no", TODO },
	{ "smtpd_tls_security_level", "", USED },
	{ "smtpd_use_tls", "no", USED },
	{ "smtpd_enforce_tls", "no", USED },
	{ "smtpd_tls_auth_only", "no", USED },
	{ "smtpd_tls_wrappermode", "no", USED },
	{ "smtpd_tls_cert_file", "", USED },
	{ "smtpd_tls_key_file", "$smtpd_tls_cert_file", USED },
	{ "smtpd_tls_chain_files", "", USED },
	{ "smtpd_tls_mandatory_protocols", ">=TLSv1", USED },
	{ "smtpd_tls_protocols", ">=TLSv1", USED },
	{ "soft_bounce", "no", USED },
	{ "smtpd_delay_reject", "yes", USED },
	{ "virtual_transport", "virtual", USED },
	{ "mailbox_transport", "", USED },
	{ "local_transport", "local:$myhostname", USED },
	{ "virtual_mailbox_base", "", USED },
	{ "virtual_mailbox_domains", "$virtual_mailbox_maps", USED },
	{ "virtual_mailbox_maps", "", USED },
	{ "virtual_alias_maps", "$virtual_maps", USED },
	{ "virtual_maps", "", USED },
	{ "virtual_alias_domains", "$virtual_alias_maps", USED },
	{ "virtual_uid_maps", "", QUIET },
	{ "virtual_gid_maps", "", QUIET },
	{ "virtual_minimum_uid", "100", QUIET },
	{ "local_recipient_maps", "proxy:unix:passwd.byname $alias_maps",
	    QUIET },
	{ "alias_maps", "hash:/etc/aliases", USED },
	{ "alias_database", "hash:/etc/aliases", QUIET },
	{ "recipient_delimiter", "", USED },
	{ "smtpd_client_message_rate_limit", "0", USED },
	{ "smtpd_client_recipient_rate_limit", "0", TODO },
	{ "smtpd_client_connection_count_limit", "50", QUIET },
	{ "smtpd_client_connection_rate_limit", "0", TODO },
	{ "smtpd_client_auth_rate_limit", "0", TODO },
	{ "smtpd_recipient_limit", "1000", USED },
	{ "message_size_limit", "10240000", USED },
	{ "smtpd_reject_unlisted_recipient", "yes", USED },
	{ "smtpd_reject_unlisted_sender", "no", USED },
	{ "unknown_local_recipient_reject_code", "550", USED },
	{ "smtpd_milters", "", TODO },
	{ "non_smtpd_milters", "", TODO },
	{ "milter_default_action", "tempfail", QUIET },
	{ "milter_protocol", "6", QUIET },
	{ "milter_macro_daemon_name", "$myhostname", QUIET },
	{ "header_checks", "", TODO },
	{ "body_checks", "", TODO },
	{ "mime_header_checks", "$header_checks", TODO },
	{ "nested_header_checks", "$header_checks", TODO },
	{ "content_filter", "", TODO },
	{ "smtpd_helo_required", "no", USED },
	{ "strict_rfc821_envelopes", "no", USED },
	{ "disable_vrfy_command", "no", USED },
	{ "queue_directory", "/var/spool/postfix", USED },
	{ "home_mailbox", "", TODO },
	{ "mailbox_command", "", TODO },
	{ "smtpd_banner", "$myhostname ESMTP $mail_name", QUIET },
	{ "biff", "yes", QUIET },
	{ "append_dot_mydomain", BELOW_LEVEL(1, "yes", "no"), QUIET },
	{ "readme_directory", "/usr/share/doc/postfix", QUIET },
	{ "mail_owner", "postfix", QUIET },
	{ "setgid_group", "postdrop", QUIET },
	{ "syslog_name", "postfix", QUIET },
	{ "syslog_facility", "mail", QUIET },
	{ "maillog_file", "", QUIET },
	{ "mailbox_size_limit", "51200000", QUIET },
	{ "smtputf8_enable", BELOW_LEVEL(1, "no", "yes"), QUIET },
	{ "smtpd_tls_session_cache_database", "", QUIET },
	{ "smtpd_tls_session_cache_timeout", "3600s", QUIET },
	{ "smtpd_tls_loglevel", "0", QUIET },
	{ "smtpd_tls_received_header", "no", QUIET },
	{ "smtpd_tls_CAfile", "", QUIET },
	{ "smtpd_tls_CApath", "", QUIET },
	{ "smtpd_tls_ask_ccert", "no", QUIET },
	{ "smtpd_tls_req_ccert", "no", TODO },
	{ "smtpd_tls_mandatory_ciphers", "medium", QUIET },
	{ "smtpd_tls_ciphers", "medium", QUIET },
	{ "smtpd_tls_exclude_ciphers", "", QUIET },
	{ "smtpd_tls_mandatory_exclude_ciphers", "", QUIET },
	{ "smtpd_tls_dh1024_param_file", "", QUIET },
	{ "smtpd_tls_eecdh_grade", "auto", QUIET },
	{ "tls_preempt_cipherlist", "no", QUIET },
	{ "tls_ssl_options", "", QUIET },
	{ "tls_random_source", "dev:/dev/urandom", QUIET },
	{ "smtp_tls_security_level", "", QUIET },
	{ "smtp_tls_session_cache_database", "", QUIET },
	{ "smtp_tls_CApath", "", QUIET },
	{ "smtp_tls_CAfile", "", QUIET },
	{ "smtp_tls_loglevel", "0", QUIET },
	{ "smtp_tls_mandatory_protocols", ">=TLSv1", QUIET },
	{ "smtp_tls_protocols", ">=TLSv1", QUIET },
	{ "smtp_tls_note_starttls_offer", "no", QUIET },
	{ "smtp_sasl_auth_enable", "no", TODO },
	{ "smtp_sasl_password_maps", "", QUIET },
	{ "smtp_sasl_security_options", "noplaintext, noanonymous", QUIET },
	{ "command_directory", "/usr/sbin", QUIET },
	{ "daemon_directory", "/usr/lib/postfix/sbin", QUIET },
	{ "data_directory", "/var/lib/postfix", QUIET },
	{ "meta_directory", "/etc/postfix", QUIET },
	{ "shlib_directory", "/usr/lib/postfix", QUIET },
	{ "manpage_directory", "/usr/share/man", QUIET },
	{ "sample_directory", "/etc/postfix", QUIET },
	{ "html_directory", "/usr/share/doc/postfix/html", QUIET },
	{ "sendmail_path", "/usr/sbin/sendmail", QUIET },
	{ "newaliases_path", "/usr/bin/newaliases", QUIET },
	{ "mailq_path", "/usr/bin/mailq", QUIET },
	{ "delay_warning_time", "0h", QUIET },
	{ "maximal_queue_lifetime", "5d", QUIET },
	{ "bounce_queue_lifetime", "5d", QUIET },
	{ "lmtp_destination_recipient_limit", "", QUIET },
	{ "virtual_destination_recipient_limit", "", QUIET },
	{ "dovecot_destination_recipient_limit", "", QUIET },
	{ "mail_spool_directory", "/var/mail", QUIET },
	{ "process_id_directory", "pid", QUIET },
	{ "default_database_type", "hash", QUIET },
	{ "default_transport", "smtp", QUIET },
	{ "relay_transport", "relay", QUIET },
	{ "transport_maps", "", USED },
	{ "relay_recipient_maps", "", QUIET },
	{ "default_privs", "nobody", QUIET },
	{ "owner_request_special", "yes", QUIET },
	{ "permit_mx_backup_networks", "", QUIET },
	{ "parent_domain_matches_subdomains", "debug_peer_list,"
	    "fast_flush_domains,mynetworks,permit_mx_backup_networks,"
	    "qmqpd_authorized_clients,relay_domains,smtpd_access_maps", QUIET },
	{ "mail_name", "Postfix", QUIET },
	{ "postscreen_access_list", "permit_mynetworks", TODO },
	{ "postscreen_dnsbl_sites", "", TODO },
};

#define NDEFS	(sizeof(defs) / sizeof(defs[0]))

#define NO_HEADER_CHECKS \
	"smtpd has no header checks: use a proc-exec filter"

/* What to do instead, for each parameter that defs marks TODO. */
static const struct pftodo {
	const char	*name;
	const char	*text;
} todos[] = {
	{ "smtpd_sasl_security_options",
	    "smtpd offers AUTH PLAIN and LOGIN only, never anonymous, and "
	    "only after TLS (or on smtps): noanonymous and noplaintext "
	    "hold; clients set to another mechanism (CRAM-MD5, "
	    "DIGEST-MD5) must use PLAIN or LOGIN" },
	{ "broken_sasl_auth_clients",
	    "smtpd does not announce AUTH in the old AUTH= form: clients "
	    "that need it (Outlook Express, Outlook 2003 and older) cannot "
	    "log in until they are upgraded" },
	{ "smtpd_client_recipient_rate_limit",
	    "the filter counts recipients per login and hour: "
	    "recipients_per_hour in filter-submission.conf(5)" },
	{ "smtpd_client_connection_rate_limit",
	    "smtpd has no per-client connection rate: limit it in the "
	    "packet filter" },
	{ "smtpd_client_auth_rate_limit",
	    "the filter limits failed AUTH per client address: "
	    "auth_fail_limit in filter-submission.conf(5)" },
	{ "smtpd_milters",
	    "smtpd speaks no milter protocol: run the same checks as "
	    "smtpd filters (smtpd.conf(5) filter proc-exec), e.g. "
	    "filter-dkimsign for OpenDKIM, filter-rspamd for spam checks" },
	{ "non_smtpd_milters",
	    "locally submitted mail goes through the filters of no "
	    "listener: sign it with a filter on a relay listener" },
	{ "header_checks", NO_HEADER_CHECKS },
	{ "body_checks", "smtpd has no body checks: use a proc-exec filter" },
	{ "mime_header_checks", NO_HEADER_CHECKS },
	{ "nested_header_checks", NO_HEADER_CHECKS },
	{ "content_filter",
	    "run the content filter as an smtpd filter, or relay to it "
	    "with an action" },
	{ "home_mailbox",
	    "local system users' mailboxes: write an smtpd.conf action "
	    "(mbox or maildir) for them" },
	{ "mailbox_command",
	    "local delivery through a command: an smtpd.conf action "
	    "mda \"command\"" },
	{ "smtpd_tls_req_ccert",
	    "smtpd can ask for client certificates (listen ... "
	    "verify) but does not require them per client" },
	{ "smtp_sasl_auth_enable",
	    "AUTH towards the relay host: an smtpd.conf relay action with "
	    "auth <table>" },
	{ "postscreen_access_list",
	    "smtpd has no postscreen: use a filter or the packet filter" },
	{ "postscreen_dnsbl_sites",
	    "smtpd has no DNSBL checks: filter-dnsbl is one" },
};

#define NTODOS	(sizeof(todos) / sizeof(todos[0]))

static const struct pfdef *
def_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < NDEFS; i++)
		if (strcmp(defs[i].name, name) == 0)
			return &defs[i];
	return NULL;
}

/* What to do instead of a TODO parameter (todos has every one). */
static const char *
todo_text(const char *name)
{
	size_t	 i;

	for (i = 0; i < NTODOS; i++)
		if (strcmp(todos[i].name, name) == 0)
			return todos[i].text;
	return "not carried over: check what it did by hand";
}

/*
 * Read the logical lines of path, calling fn for each with its first
 * physical line number.  Returns -1 when the file cannot be read.
 */
static int
read_lines(const char *path, struct report *rep,
    int (*fn)(void *, char *, int), void *arg)
{
	FILE	*fp;
	char	*line = NULL, *buf = NULL, *nb, *p;
	size_t	 sz = 0, blen = 0;
	ssize_t	 len;
	int	 lineno = 0, first = 0, rv = 0;

	if ((fp = fopen(path, "r")) == NULL)
		return report_error(rep, "cannot read %s: %s", path,
		    strerror(errno));
	for (;;) {
		len = getline(&line, &sz, fp);
		if (len != -1) {
			lineno++;
			if (memchr(line, '\0', len) != NULL) {
				report_add(rep, R_WARN, "%s, line %d: a NUL "
				    "byte; the text after it is ignored",
				    path, lineno);
			}
			line[strcspn(line, "\r\n")] = '\0';
			for (p = line; isspace((unsigned char)*p); p++)
				;
			/* An indented comment does not end a logical line. */
			if (*p == '#' && p != line)
				continue;
			if (*p != '\0' && p != line) {
				if (buf == NULL) {
					report_add(rep, R_WARN, "%s, line %d: "
					    "logical line must not start with "
					    "white space: \"%.30s\"; ignored, "
					    "as Postfix does", path, lineno, p);
					continue;
				}
				nb = realloc(buf, blen + strlen(p) + 2);
				if (nb == NULL) {
					rv = report_error(rep, "out of memory");
					break;
				}
				buf = nb;
				buf[blen++] = ' ';
				strlcpy(buf + blen, p, strlen(p) + 1);
				blen += strlen(p);
				continue;
			}
		}
		/* The end of a logical line: text at column 0, empty, EOF. */
		if (buf != NULL) {
			if (fn(arg, buf, first) == -1)
				rv = -1;
			free(buf);
			buf = NULL;
			blen = 0;
		}
		if (len == -1)
			break;
		if (*p == '\0' || *p == '#')
			continue;
		if ((buf = strdup(p)) == NULL) {
			rv = report_error(rep, "out of memory");
			break;
		}
		blen = strlen(buf);
		first = lineno;
	}
	if (ferror(fp))
		rv = report_error(rep, "cannot read %s: %s", path,
		    strerror(errno));
	free(buf);
	free(line);
	fclose(fp);
	return rv;
}

static int
name_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' &&
		    *s != '.')
			return 0;
	return 1;
}

/* Add or replace name in the list; later settings win, as in Postfix. */
static int
param_set(struct postfix_param **v, size_t *n, const char *name,
    const char *value, int line, int *replaced)
{
	struct postfix_param	*nv;
	size_t			 i;
	char			*val;

	if ((val = strdup(value)) == NULL)
		return -1;
	*replaced = 0;
	for (i = 0; i < *n; i++) {
		if (strcmp((*v)[i].name, name) == 0) {
			free((*v)[i].value);
			(*v)[i].value = val;
			(*v)[i].line = line;
			*replaced = 1;
			return 0;
		}
	}
	if ((nv = reallocarray(*v, *n + 1, sizeof(*nv))) == NULL) {
		free(val);
		return -1;
	}
	*v = nv;
	if ((nv[*n].name = strdup(name)) == NULL) {
		free(val);
		return -1;
	}
	nv[*n].value = val;
	nv[*n].line = line;
	(*n)++;
	return 0;
}

struct ctx {
	struct postfix_conf	*c;
	const char		*path;
};

static int
main_line(void *arg, char *s, int line)
{
	struct ctx	*x = arg;
	char		*eq, *name, *value;
	int		 replaced;

	if ((eq = strchr(s, '=')) == NULL)
		return report_error(x->c->rep, "%s, line %d: missing '=' "
		    "after parameter name \"%.40s\"; Postfix would not start "
		    "with it: fix main.cf first", x->path, line, s);
	*eq = '\0';
	name = conf_trim(s);
	value = conf_trim(eq + 1);
	if (!name_ok(name))
		return report_error(x->c->rep, "%s, line %d: \"%.40s\" is "
		    "not a parameter name; fix main.cf first", x->path, line,
		    name);
	if (param_set(&x->c->params, &x->c->nparams, name, value, line,
	    &replaced) == -1)
		return report_error(x->c->rep, "out of memory");
	if (replaced)
		report_add(x->c->rep, R_WARN, "%s, line %d: %s is set again; "
		    "the last setting counts, as in Postfix", x->path, line,
		    name);
	return 0;
}

/*
 * The next master.cf token at *sp: a word, or a "{ ... }" group returned
 * without its braces.  NULL at the end.
 */
static char *
token(char **sp)
{
	char	*s = *sp, *t;
	int	 depth = 0;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return NULL;
	if (*s == '{') {
		t = ++s;
		for (depth = 1; *s != '\0'; s++) {
			if (*s == '{')
				depth++;
			else if (*s == '}' && --depth == 0)
				break;
		}
		if (*s == '}')
			*s++ = '\0';
		*sp = s;
		return conf_trim(t);
	}
	t = s;
	while (*s != '\0' && !isspace((unsigned char)*s))
		s++;
	if (*s != '\0')
		*s++ = '\0';
	*sp = s;
	return t;
}

static int
master_line(void *arg, char *s, int line)
{
	struct ctx		*x = arg;
	struct postfix_conf	*c = x->c;
	struct postfix_service	*sv, *nv;
	char			*f[8], *t, *eq;
	int			 i, replaced;

	for (i = 0; i < 8; i++) {
		if ((f[i] = token(&s)) == NULL)
			return report_error(c->rep, "%s, line %d: a service "
			    "needs 8 fields, this one has %d; Postfix would "
			    "not start with it: fix master.cf first", x->path,
			    line, i);
	}
	if ((nv = reallocarray(c->svc, c->nsvc + 1, sizeof(*nv))) == NULL)
		return report_error(c->rep, "out of memory");
	c->svc = nv;
	sv = &c->svc[c->nsvc];
	memset(sv, 0, sizeof(*sv));
	sv->line = line;
	if ((sv->name = strdup(f[0])) == NULL ||
	    (sv->type = strdup(f[1])) == NULL ||
	    (sv->chroot = strdup(f[4])) == NULL ||
	    (sv->command = strdup(f[7])) == NULL)
		return report_error(c->rep, "out of memory");
	c->nsvc++;
	while ((t = token(&s)) != NULL) {
		if (strcmp(t, "-o") == 0) {
			if ((t = token(&s)) == NULL) {
				report_add(c->rep, R_WARN, "%s, line %d: -o "
				    "without a value; ignored", x->path, line);
				break;
			}
		} else if (strncmp(t, "-o", 2) == 0)
			t += 2;
		else
			continue;
		if ((eq = strchr(t, '=')) == NULL) {
			report_add(c->rep, R_WARN, "%s, line %d: -o %s has "
			    "no '='; ignored", x->path, line, t);
			continue;
		}
		*eq = '\0';
		if (param_set(&sv->opts, &sv->nopts, conf_trim(t),
		    conf_trim(eq + 1), line, &replaced) == -1)
			return report_error(c->rep, "out of memory");
	}
	return 0;
}

/*
 * -r root: the source server's files are a copy under root.  Paths
 * named in its configuration keep their meaning on the source host
 * ($config_directory is /etc/postfix); only opening them adds root.
 */
static char	*mig_root;

void
mig_set_root(const char *root)
{
	size_t	 n;

	free(mig_root);
	mig_root = NULL;
	if (root == NULL || (mig_root = strdup(root)) == NULL)
		return;
	n = strlen(mig_root);
	while (n > 1 && mig_root[n - 1] == '/')
		mig_root[--n] = '\0';
}

/* The path this host opens for path as the source server names it. */
const char *
mig_path(const char *path, char *buf, size_t sz)
{
	if (mig_root == NULL || path[0] != '/')
		return path;
	snprintf(buf, sz, "%s%s", mig_root, path);
	return buf;
}

int
postfix_conf_read(const char *dir, struct postfix_conf *c, struct report *rep)
{
	struct ctx	 x;
	char		 path[2048], buf[1024];

	memset(c, 0, sizeof(*c));
	c->rep = rep;
	if ((c->dir = strdup(dir)) == NULL)
		return report_error(rep, "out of memory");
	x.c = c;
	dir = mig_path(dir, buf, sizeof(buf));
	snprintf(path, sizeof(path), "%s/main.cf", dir);
	x.path = path;
	if (read_lines(path, rep, main_line, &x) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/master.cf", dir);
	if (read_lines(path, rep, master_line, &x) == -1)
		return -1;
	return 0;
}

static void
params_free(struct postfix_param *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].value);
	}
	free(v);
}

void
postfix_conf_free(struct postfix_conf *c)
{
	size_t	 i;

	params_free(c->params, c->nparams);
	for (i = 0; i < c->nsvc; i++) {
		free(c->svc[i].name);
		free(c->svc[i].type);
		free(c->svc[i].chroot);
		free(c->svc[i].command);
		params_free(c->svc[i].opts, c->svc[i].nopts);
	}
	free(c->svc);
	free(c->dir);
	memset(c, 0, sizeof(*c));
}

static const char *
find(const struct postfix_param *v, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return v[i].value;
	return NULL;
}

static int
append(char **out, size_t *len, const char *s, size_t n)
{
	char	*nb;

	if ((nb = realloc(*out, *len + n + 1)) == NULL)
		return -1;
	memcpy(nb + *len, s, n);
	*len += n;
	nb[*len] = '\0';
	*out = nb;
	return 0;
}

/*
 * mynetworks as Postfix computes it when unset: the addresses of the
 * interfaces Postfix listens on (inet_interfaces), each as a host
 * (style host), its subnet (subnet) or its class A/B/C network (class),
 * IPv4 before IPv6, as postconf -x prints them.
 */
static int
net_add(char **out, size_t *len, int af, const void *addr, int plen)
{
	char	 a[INET6_ADDRSTRLEN], item[INET6_ADDRSTRLEN + 8];

	if (inet_ntop(af, addr, a, sizeof(a)) == NULL)
		return 0;
	snprintf(item, sizeof(item), af == AF_INET6 ? "[%s]/%d" : "%s/%d",
	    a, plen);
	if (*out != NULL && **out != '\0') {
		/* An address on two interfaces, or two hosts of one net. */
		char	*p;
		size_t	 n = strlen(item);

		for (p = *out; (p = strstr(p, item)) != NULL; p += n)
			if ((p == *out || p[-1] == ' ') &&
			    (p[n] == ' ' || p[n] == '\0'))
				return 0;
		if (append(out, len, " ", 1) == -1)
			return -1;
	}
	return append(out, len, item, strlen(item));
}

static int
masklen(const unsigned char *m, size_t n)
{
	size_t	 i;
	int	 b, l = 0;

	for (i = 0; i < n; i++)
		for (b = 7; b >= 0; b--) {
			if ((m[i] & (1 << b)) == 0)
				return l;
			l++;
		}
	return l;
}

static int
listened(const struct strlist *ifs, int af, const void *addr)
{
	char	 a[INET6_ADDRSTRLEN], br[INET6_ADDRSTRLEN + 2];
	int	 loop;

	if (inet_ntop(af, addr, a, sizeof(a)) == NULL)
		return 0;
	snprintf(br, sizeof(br), "[%s]", a);
	loop = af == AF_INET ? strncmp(a, "127.", 4) == 0 :
	    strcmp(a, "::1") == 0;
	return sl_has(ifs, "all") || sl_has(ifs, a) || sl_has(ifs, br) ||
	    (loop && (sl_has(ifs, "loopback-only") ||
	    sl_has(ifs, "localhost")));
}

static char *
mynetworks(struct postfix_conf *c, const struct postfix_service *sv)
{
	struct ifaddrs		*ifa, *i;
	struct strlist		 ifs;
	unsigned char		 a[16], m[16];
	char			*style, *v, *proto, *out = NULL;
	size_t			 len = 0, n, k;
	int			 pass, af, plen;

	memset(&ifs, 0, sizeof(ifs));
	style = postfix_get(c, sv, "mynetworks_style");
	v = postfix_get(c, sv, "inet_interfaces");
	proto = postfix_get(c, sv, "inet_protocols");
	if (style == NULL || v == NULL || proto == NULL ||
	    split_list(v, &ifs) == -1 || (out = strdup("")) == NULL)
		goto done;
	for (k = 0; k < ifs.n; k++)
		addr_lower(ifs.v[k]);
	addr_lower(proto);
	if (getifaddrs(&ifa) == -1) {
		report_add(c->rep, R_WARN, "mynetworks: cannot list this "
		    "host's interfaces (%s); taken as 127.0.0.0/8 [::1]/128",
		    strerror(errno));
		free(out);
		out = strdup("127.0.0.0/8 [::1]/128");
		goto done;
	}
	for (pass = 0; pass < 2; pass++) {
		af = pass == 0 ? AF_INET : AF_INET6;
		if (strstr(proto, "all") == NULL && strstr(proto,
		    af == AF_INET ? "ipv4" : "ipv6") == NULL)
			continue;
		for (i = ifa; i != NULL; i = i->ifa_next) {
			if (i->ifa_addr == NULL || i->ifa_netmask == NULL ||
			    i->ifa_addr->sa_family != af)
				continue;
			if (af == AF_INET) {
				memcpy(a, &((struct sockaddr_in *)
				    (void *)i->ifa_addr)->sin_addr, 4);
				memcpy(m, &((struct sockaddr_in *)
				    (void *)i->ifa_netmask)->sin_addr, 4);
				n = 4;
			} else {
				memcpy(a, &((struct sockaddr_in6 *)
				    (void *)i->ifa_addr)->sin6_addr, 16);
				memcpy(m, &((struct sockaddr_in6 *)
				    (void *)i->ifa_netmask)->sin6_addr, 16);
				n = 16;
			}
			if (!listened(&ifs, af, a))
				continue;
			plen = n * 8;
			if (strcasecmp(style, "subnet") == 0 ||
			    strcasecmp(style, "class") == 0) {
				plen = masklen(m, n);
				if (strcasecmp(style, "class") == 0 &&
				    af == AF_INET)
					plen = a[0] < 128 ? 8 : a[0] < 192 ?
					    16 : a[0] < 224 ? 24 : plen;
				for (k = 0; k < n; k++) {
					int	 bits = plen - (int)k * 8;

					a[k] &= bits >= 8 ? 0xff : bits <= 0 ?
					    0 : (0xff << (8 - bits)) & 0xff;
				}
			}
			if (net_add(&out, &len, af, a, plen) == -1) {
				free(out);
				out = NULL;
				break;
			}
		}
	}
	freeifaddrs(ifa);
 done:
	sl_free(&ifs);
	free(style);
	free(v);
	free(proto);
	return out;
}

/* Defaults computed from the host, as Postfix does. */
static char *
computed(struct postfix_conf *c, const struct postfix_service *sv,
    const char *name)
{
	char	 host[256], *h, *dot, *d, *r;

	if (strcmp(name, "config_directory") == 0)
		return strdup(c->dir);
	if (strcmp(name, "myhostname") == 0) {
		if (gethostname(host, sizeof(host)) == -1)
			strlcpy(host, "localhost", sizeof(host));
		host[sizeof(host) - 1] = '\0';
		if (strchr(host, '.') != NULL)
			return strdup(host);
		/* Not a FQDN: Postfix appends $mydomain, if set. */
		d = NULL;
		if (postfix_is_set(c, sv, "mydomain"))
			d = postfix_get(c, sv, "mydomain");
		if (asprintf(&r, "%s.%s", host, d != NULL && *d != '\0' ? d :
		    "localdomain") == -1)
			r = NULL;
		free(d);
		return r;
	}
	if (strcmp(name, "mydomain") == 0) {
		if ((h = postfix_get(c, sv, "myhostname")) == NULL)
			return NULL;
		dot = strchr(h, '.');
		r = strdup(dot != NULL ? dot + 1 : "localdomain");
		free(h);
		return r;
	}
	if (strcmp(name, "mynetworks") == 0)
		return mynetworks(c, sv);
	return strdup("");
}

/* The raw value of name for sv: -o, main.cf, default.  NULL: unset. */
static const char *
raw(struct postfix_conf *c, const struct postfix_service *sv, const char *name,
    int *isdef)
{
	const struct pfdef	*d;
	const char		*v;

	*isdef = 0;
	if (sv != NULL && (v = find(sv->opts, sv->nopts, name)) != NULL)
		return v;
	if ((v = find(c->params, c->nparams, name)) != NULL)
		return v;
	*isdef = 1;
	if ((d = def_find(name)) != NULL && d->dflt != NULL)
		return d->dflt;
	return NULL;
}

struct exp {
	struct postfix_conf		*c;
	const struct postfix_service	*sv;
	const char			*stack[MAXDEPTH];
	int				 depth;
	int				 failed;
};

static int expand(struct exp *, const char *, char **);

/* The expanded value of one parameter, in the context of e. */
static int
value_of(struct exp *e, const char *name, char **out)
{
	const char	*v;
	char		 chain[512];
	int		 i, isdef, rv;

	for (i = 0; i < e->depth; i++) {
		if (strcmp(e->stack[i], name) != 0)
			continue;
		chain[0] = '\0';
		for (; i < e->depth; i++) {
			strlcat(chain, e->stack[i], sizeof(chain));
			strlcat(chain, " -> $", sizeof(chain));
		}
		strlcat(chain, name, sizeof(chain));
		if (!e->failed)
			report_error(e->c->rep, "$name loop: %s; Postfix "
			    "would not start with it: fix main.cf or "
			    "master.cf first", chain);
		e->failed = 1;
		return -1;
	}
	if (e->depth == MAXDEPTH) {
		if (!e->failed)
			report_error(e->c->rep, "parameter %s: $name "
			    "references nested deeper than %d", name,
			    MAXDEPTH);
		e->failed = 1;
		return -1;
	}
	v = raw(e->c, e->sv, name, &isdef);
	if (v == NULL) {
		if (isdef && def_find(name) != NULL) {
			*out = computed(e->c, e->sv, name);
			return *out == NULL ? -1 : 0;
		}
		report_add(e->c->rep, R_WARN, "$%s is used but not set: it "
		    "expands to nothing, as in Postfix (check with postconf "
		    "-x that Postfix does not define it)", name);
		*out = strdup("");
		return *out == NULL ? -1 : 0;
	}
	e->stack[e->depth++] = name;
	rv = expand(e, v, out);
	e->depth--;
	return rv;
}

/*
 * Is name non-empty for ${name?...} and ${name:...}?  Postfix tests
 * the value before expansion: a default such as relay_domains's
 * ${{$compatibility_level} ...} is non-empty even where it expands to
 * nothing (postconf -x agrees).
 */
static int
is_nonempty(struct exp *e, const char *name)
{
	const char	*v;
	int		 isdef;

	if ((v = raw(e->c, e->sv, name, &isdef)) != NULL)
		return *v != '\0';
	if (def_find(name) == NULL)
		return 0;
	return strcmp(name, "config_directory") == 0 ||
	    strcmp(name, "myhostname") == 0 ||
	    strcmp(name, "mydomain") == 0 || strcmp(name, "mynetworks") == 0;
}

/* Postfix's compatibility levels compare field by field: 3.10 > 3.6. */
static int
level_cmp(const char *a, const char *b)
{
	long long	 x, y;
	char		*ea, *eb;

	for (;;) {
		x = strtoll(a, &ea, 10);
		y = strtoll(b, &eb, 10);
		if (x != y)
			return x < y ? -1 : 1;
		if (ea == a && eb == b)
			return 0;
		a = *ea == '.' ? ea + 1 : ea;
		b = *eb == '.' ? eb + 1 : eb;
		if (*a == '\0' && *b == '\0')
			return 0;
	}
}

static int
syntax(struct exp *e, const char *s, const char *why)
{
	if (!e->failed)
		report_error(e->c->rep, "\"%.60s\": %s; Postfix would not "
		    "start with it: fix main.cf or master.cf first", s, why);
	e->failed = 1;
	return -1;
}

/*
 * The text in the braces at *pp (after white space), trimmed, and *pp
 * moved past them.  NULL when *pp holds no balanced "{...}".
 */
static char *
braced(const char **pp)
{
	const char	*p = *pp, *q;
	char		*t, *r;
	int		 d = 0;

	while (isspace((unsigned char)*p))
		p++;
	if (*p != '{')
		return NULL;
	for (q = p; *q != '\0'; q++) {
		if (*q == '{')
			d++;
		else if (*q == '}' && --d == 0)
			break;
	}
	if (*q != '}')
		return NULL;
	if ((t = strndup(p + 1, q - p - 1)) == NULL)
		return NULL;
	r = strdup(conf_trim(t));
	free(t);
	*pp = q + 1;
	return r;
}

static int
at_end(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return *p == '\0';
}

/* ${{text} op {text} ? {yes} : {no}}, Postfix 3.x. */
static int
relational(struct exp *e, const char *whole, const char *p, char **out)
{
	char		*t1 = NULL, *t2 = NULL, *yes = NULL, *no = NULL;
	char		*x1 = NULL, *x2 = NULL, op[16], *end;
	long long	 n1, n2;
	size_t		 n;
	int		 c, r = -1, truth;

	*out = NULL;
	if ((t1 = braced(&p)) == NULL)
		goto bad;
	while (isspace((unsigned char)*p))
		p++;
	n = strcspn(p, " \t{");
	if (n == 0 || n >= sizeof(op))
		goto bad;
	memcpy(op, p, n);
	op[n] = '\0';
	p += n;
	if ((t2 = braced(&p)) == NULL)
		goto bad;
	while (isspace((unsigned char)*p))
		p++;
	if (*p++ != '?' || (yes = braced(&p)) == NULL)
		goto bad;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == ':') {
		p++;
		if ((no = braced(&p)) == NULL)
			goto bad;
	}
	if (!at_end(p))
		goto bad;
	if (expand(e, t1, &x1) == -1 || expand(e, t2, &x2) == -1)
		goto done;
	if (strcmp(op, "==") == 0 || strcmp(op, "!=") == 0)
		truth = (strcmp(x1, x2) == 0) == (op[0] == '=');
	else {
		if (strstr(op, "level") != NULL)
			c = level_cmp(x1, x2);
		else {
			n1 = strtoll(x1, &end, 10);
			if (*x1 == '\0' || *end != '\0')
				goto bad;
			n2 = strtoll(x2, &end, 10);
			if (*x2 == '\0' || *end != '\0')
				goto bad;
			c = n1 < n2 ? -1 : n1 > n2;
		}
		if (strncmp(op, "<=", 2) == 0)
			truth = c <= 0;
		else if (strncmp(op, ">=", 2) == 0)
			truth = c >= 0;
		else if (op[0] == '<')
			truth = c < 0;
		else if (op[0] == '>')
			truth = c > 0;
		else
			goto bad;
	}
	r = expand(e, truth ? yes : no != NULL ? no : "", out);
	goto done;
 bad:
	r = syntax(e, whole, "a ${{...} op {...} ? {...} : {...}} "
	    "Postfix cannot parse");
 done:
	free(t1);
	free(t2);
	free(yes);
	free(no);
	free(x1);
	free(x2);
	return r;
}

/*
 * The inside of ${...} or $(...): name, name?text, name:text,
 * name?{text}, name:{text}, name?{text}:{text}, or a relational
 * expression.
 */
static int
macro(struct exp *e, const char *whole, const char *in, char **out)
{
	const char	*p = in, *q, *choice;
	char		 name[128], *yes = NULL, *no = NULL;
	size_t		 n;
	int		 op, set, r;

	*out = NULL;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '{')
		return relational(e, whole, p, out);
	for (n = 0; isalnum((unsigned char)p[n]) || p[n] == '_'; n++)
		;
	if (n == 0 || n >= sizeof(name))
		return syntax(e, whole, "an empty or too long $name");
	memcpy(name, p, n);
	name[n] = '\0';
	for (p += n; isspace((unsigned char)*p); p++)
		;
	if (*p == '\0')
		return value_of(e, name, out);
	if (*p != '?' && *p != ':')
		return syntax(e, whole, "a $name followed by neither ? nor :");
	op = *p++;
	q = p;
	while (isspace((unsigned char)*q))
		q++;
	if (*q == '{') {
		if ((yes = braced(&q)) == NULL)
			return syntax(e, whole, "unbalanced braces");
		while (isspace((unsigned char)*q))
			q++;
		if (op == '?' && *q == ':') {
			q++;
			if ((no = braced(&q)) == NULL) {
				free(yes);
				return syntax(e, whole, "unbalanced braces");
			}
		}
		if (!at_end(q)) {
			free(yes);
			free(no);
			return syntax(e, whole, "text after {...}");
		}
	} else if ((yes = strdup(p)) == NULL)
		return -1;
	set = is_nonempty(e, name);
	if (op == ':')
		choice = set ? NULL : yes;
	else
		choice = set ? yes : no;
	r = choice == NULL ? ((*out = strdup("")) == NULL ? -1 : 0) :
	    expand(e, choice, out);
	free(yes);
	free(no);
	return r;
}

static int
expand(struct exp *e, const char *s, char **out)
{
	char		*in, *val;
	const char	*p, *q;
	size_t		 len = 0, n;
	int		 d, open, close;

	if ((*out = strdup("")) == NULL)
		return -1;
	for (p = s; *p != '\0';) {
		if (*p != '$') {
			n = strcspn(p, "$");
			if (append(out, &len, p, n) == -1)
				goto fail;
			p += n;
			continue;
		}
		p++;
		if (*p == '$') {
			if (append(out, &len, "$", 1) == -1)
				goto fail;
			p++;
			continue;
		}
		if (*p == '{' || *p == '(') {
			open = *p;
			close = open == '{' ? '}' : ')';
			for (d = 0, q = p; *q != '\0'; q++) {
				if (*q == open)
					d++;
				else if (*q == close && --d == 0)
					break;
			}
			if (*q != close) {
				syntax(e, s, "unbalanced $" "{ or $(");
				goto fail;
			}
			if ((in = strndup(p + 1, q - p - 1)) == NULL)
				goto fail;
			p = q + 1;
			d = macro(e, s, in, &val);
			free(in);
			if (d == -1)
				goto fail;
		} else {
			for (n = 0; isalnum((unsigned char)p[n]) ||
			    p[n] == '_'; n++)
				;
			if (n == 0) {
				syntax(e, s, "an empty $name");
				goto fail;
			}
			if ((in = strndup(p, n)) == NULL)
				goto fail;
			p += n;
			d = value_of(e, in, &val);
			free(in);
			if (d == -1)
				goto fail;
		}
		if (append(out, &len, val, strlen(val)) == -1) {
			free(val);
			goto fail;
		}
		free(val);
	}
	return 0;
 fail:
	free(*out);
	*out = NULL;
	return -1;
}

/*
 * The value of name as service sv (NULL: main.cf alone) sees it,
 * expanded.  NULL on a loop (an error is in the report) or no memory.
 */
char *
postfix_get(struct postfix_conf *c, const struct postfix_service *sv,
    const char *name)
{
	struct exp	 e;
	char		*out;

	memset(&e, 0, sizeof(e));
	e.c = c;
	e.sv = sv;
	if (value_of(&e, name, &out) == -1)
		return NULL;
	return out;
}

static int
param_cmp(const void *a, const void *b)
{
	const struct postfix_param	*x = a, *y = b;

	return strcmp(x->name, y->name);
}

/*
 * Every parameter of main.cf, expanded, sorted by name, runs of white
 * space printed as one space: what postconf -n -x prints.  -1 when one
 * does not expand.
 */
int
postfix_print(struct postfix_conf *c, FILE *fp)
{
	struct postfix_param	*v;
	size_t			 i;
	char			*x, *p, *q;
	int			 rv = 0;

	if ((v = reallocarray(NULL, c->nparams + 1, sizeof(*v))) == NULL)
		return -1;
	memcpy(v, c->params, c->nparams * sizeof(*v));
	qsort(v, c->nparams, sizeof(*v), param_cmp);
	for (i = 0; i < c->nparams; i++) {
		if ((x = postfix_get(c, NULL, v[i].name)) == NULL) {
			rv = -1;
			continue;
		}
		for (p = q = x; *p != '\0'; p++) {
			if (isspace((unsigned char)*p) && (q == x ||
			    isspace((unsigned char)p[1]) || p[1] == '\0'))
				continue;
			*q++ = isspace((unsigned char)*p) ? ' ' : *p;
		}
		*q = '\0';
		fprintf(fp, "%s = %s\n", v[i].name, x);
		free(x);
	}
	free(v);
	return rv;
}

/* A boolean parameter: 1 yes, 0 no (anything else is no, and said). */
int
postfix_bool(struct postfix_conf *c, const struct postfix_service *sv,
    const char *name)
{
	char	*v;
	int	 r;

	if ((v = postfix_get(c, sv, name)) == NULL)
		return 0;
	if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0)
		r = 1;
	else {
		if (strcasecmp(v, "no") != 0 && strcasecmp(v, "false") != 0 &&
		    v[0] != '\0')
			report_add(c->rep, R_WARN, "%s = %s is not yes or "
			    "no: taken as no", name, v);
		r = 0;
	}
	free(v);
	return r;
}

/* Is name set in main.cf or by a -o of sv? */
int
postfix_is_set(struct postfix_conf *c, const struct postfix_service *sv,
    const char *name)
{
	if (sv != NULL && find(sv->opts, sv->nopts, name) != NULL)
		return 1;
	return find(c->params, c->nparams, name) != NULL;
}

/* Is $name used in s? */
static int
references(const char *s, const char *name)
{
	const char	*p;
	size_t		 n = strlen(name);

	for (p = s; (p = strchr(p, '$')) != NULL; p++) {
		if ((p[1] == '{' || p[1] == '(') &&
		    strncmp(p + 2, name, n) == 0 &&
		    strchr("})?:", p[2 + n]) != NULL)
			return 1;
		if (strncmp(p + 1, name, n) == 0 &&
		    !isalnum((unsigned char)p[1 + n]) && p[1 + n] != '_')
			return 1;
	}
	return 0;
}

static int
referenced(struct postfix_conf *c, const char *name)
{
	size_t	 i, j;

	for (i = 0; i < c->nparams; i++)
		if (references(c->params[i].value, name))
			return 1;
	for (i = 0; i < c->nsvc; i++)
		for (j = 0; j < c->svc[i].nopts; j++)
			if (references(c->svc[i].opts[j].value, name))
				return 1;
	for (i = 0; i < NDEFS; i++)
		if (defs[i].dflt != NULL && references(defs[i].dflt, name))
			return 1;
	return 0;
}

/*
 * Report every parameter of main.cf that matters and is not carried
 * over, and every one the migration does not know and nothing uses.
 */
void
postfix_check_unknown(struct postfix_conf *c)
{
	const struct pfdef	*d;
	struct postfix_param	*p;
	size_t			 i;

	for (i = 0; i < c->nparams; i++) {
		p = &c->params[i];
		if ((d = def_find(p->name)) != NULL) {
			if (d->flag == TODO && p->value[0] != '\0' &&
			    strcmp(p->value, "0") != 0 &&
			    strcmp(p->value, "no") != 0)
				report_add(c->rep, R_TODO, "%s = %s: %s",
				    p->name, p->value, todo_text(p->name));
			continue;
		}
		if (referenced(c, p->name))
			continue;
		if (strncmp(p->name, "smtp_", 5) == 0 ||
		    strncmp(p->name, "lmtp_", 5) == 0)
			continue;	/* the client side: smtpd decides */
		report_add(c->rep, R_TODO, "%s = %s (main.cf line %d): "
		    "unknown to the migration and used by no other setting; "
		    "not carried over: check what it did by hand", p->name,
		    p->value, p->line);
	}
}
