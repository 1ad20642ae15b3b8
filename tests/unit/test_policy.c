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

/* filter-submission/policy.c: the decisions at each phase. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "submission.h"
#include "unit.h"
#include "unitdb.h"

static struct backend	*b;
static struct filter	 sub, mx;
static struct verdict	 v;

static void
conf(struct fconf *c, const char *text)
{
	char	 path[160], err[512];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/filter.conf", unitdb_dir);
	if ((fp = fopen(path, "w")) == NULL)
		exit(1);
	fputs(text, fp);
	fclose(fp);
	if (fconf_load(path, c, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	unlink(path);
}

static void
session(struct session *s, const char *login)
{
	memset(s, 0, sizeof(*s));
	strlcpy(s->client, "192.0.2.7", sizeof(s->client));
	s->tls = 1;
	if (login != NULL) {
		strlcpy(s->login, login, sizeof(s->login));
		s->authed = 1;
	}
}

/* The verdict's rule is rule and its reply starts with reply. */
static int
is(const char *rule, const char *reply)
{
	return strcmp(v.rule, rule) == 0 &&
	    strncmp(v.reply, reply, strlen(reply)) == 0 &&
	    (reply[0] != '\0' || v.reply[0] == '\0');
}

int
main(void)
{
	struct session	 s;

	unitdb_new();
	b = unitdb_backend();
	conf(&sub.conf, "messages_per_hour 2\nrecipients_per_message 2\n"
	    "recipients_per_hour 2\nauth_fail_limit 2\n");
	conf(&mx.conf, "mode mx\n");
	sub.backend = mx.backend = b;
	policy_init(&sub);

	session(&s, NULL);
	s.tls = 0;
	policy_auth(&sub, &s, "PLAIN x", &v);
	check(is("tls", "530 5.7.0 Must issue a STARTTLS command first"),
	    "AUTH before STARTTLS refused");
	policy_mail(&sub, &s, "bob@example.com", &v);
	check(is("tls", "530 5.7.0"), "so is MAIL FROM");
	s.tls = 1;
	policy_auth(&sub, &s, "PLAIN x", &v);
	check(is("auth", ""), "AUTH after STARTTLS goes on");
	policy_mail(&sub, &s, "bob@example.com", &v);
	check(is("auth", "530 5.7.0 Authentication required"),
	    "submission: MAIL FROM without AUTH refused");
	policy_rcpt(&sub, &s, "x@example.com", &v);
	check(is("auth", "530 5.7.0"), "and RCPT TO");

	session(&s, "bob@example.com");
	policy_mail(&sub, &s, "bob+x@example.com", &v);
	check(is("sender-login", ""), "a sender the login owns");
	policy_mail(&sub, &s, "ann@example.com", &v);
	check(is("sender-login", "553 5.7.1 <ann@example.com>: Sender address "
	    "rejected: not owned by user bob@example.com"),
	    "a sender the login does not own");
	policy_mail(&sub, &s, "a b@example.com", &v);
	check(is("syntax", "553 5.1.7 <a b@example.com>: Sender address "
	    "rejected: "), "a sender that does not parse");
	policy_mail(&sub, &s, "bob", &v);
	check(is("syntax", "451 4.3.0 <bob>: Sender address has no domain"),
	    "no domain, smtpd's name unknown: try again");
	strlcpy(s.hostname, "example.com", sizeof(s.hostname));
	policy_mail(&sub, &s, "bob", &v);
	check(is("sender-login", ""),
	    "no domain: completed with smtpd's name, as smtpd does");
	policy_mail(&sub, &s, "", &v);
	check(is("message-rate", "450 4.7.1 Error: too much mail from "
	    "bob@example.com"), "the third message in the hour: 450");

	session(&s, "ann@example.com");
	policy_mail(&sub, &s, "", &v);
	check(is("null-sender", ""), "the null sender");
	policy_rcpt(&sub, &s, "x@elsewhere.test", &v);
	check(is("relay-auth", ""), "relay after AUTH");
	policy_rcpt(&sub, &s, "y@elsewhere.test", &v);
	policy_rcpt(&sub, &s, "z@elsewhere.test", &v);
	check(is("recipient-limit", "452 4.5.3 Error: too many recipients"),
	    "past recipients_per_message: 452");
	s.nrcpt = 0;
	policy_rcpt(&sub, &s, "y@elsewhere.test", &v);
	check(is("recipient-rate", "450 4.7.1 Error: too many recipients "
	    "from ann@example.com"), "past recipients_per_hour: 450");

	session(&s, NULL);
	policy_rcpt(&mx, &s, "anyone@EXAMPLE.org", &v);
	check(is("relay", ""), "mx: mail for a local domain");
	policy_rcpt(&mx, &s, "x@elsewhere.test", &v);
	check(is("relay", "554 5.7.1 <x@elsewhere.test>: Relay access denied"),
	    "mx: no relay without AUTH");
	policy_rcpt(&mx, &s, "x%elsewhere.test@example.com", &v);
	check(is("relay", "554 5.7.1"), "nor through a routed address");
	strlcpy(s.hostname, "mail.example.net", sizeof(s.hostname));
	policy_rcpt(&mx, &s, "postmaster@mail.example.net", &v);
	check(is("relay", ""), "smtpd's own name is local");
	policy_mail(&mx, &s, "bob@example.com", &v);
	check(is("sender-login", "553 5.7.1 <bob@example.com>: Sender address "
	    "rejected: not logged in"),
	    "mx: a sender some login owns must log in");
	policy_mail(&mx, &s, "stranger@example.com", &v);
	check(is("sender", ""), "mx: a sender no login owns");

	authlimit_result(&sub.conf, &s, "fail", "eve@example.com");
	authlimit_result(&sub.conf, &s, "fail", "eve@example.com");
	policy_connect(&sub, &s, &v);
	check(is("auth-limit", "421 4.7.0 Error: too many failed AUTH "
	    "attempts from 192.0.2.7"), "a client past the AUTH limit: 421");
	s.authfails = 0;
	policy_auth(&sub, &s, "PLAIN x", &v);
	check(is("auth-limit", "421 4.7.0"), "its AUTH too");

	unitdb_exec("DROP TABLE owners; DROP TABLE domains");
	session(&s, "bob@example.com");
	policy_mail(&mx, &s, "bob@example.com", &v);
	check(is("sender-login", "451 4.3.0 <bob@example.com>: Temporary "
	    "lookup failure"), "the database cannot answer: 451, not a yes");
	session(&s, NULL);
	policy_rcpt(&mx, &s, "x@example.com", &v);
	check(is("relay", "451 4.3.0 <x@example.com>: Temporary lookup "
	    "failure"), "nor a no");

	fconf_free(&sub.conf);
	fconf_free(&mx.conf);
	backend_free(b);
	unitdb_free();
	return unit_done();
}
