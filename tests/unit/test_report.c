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

/* filter-submission/report.c: what the reports tell of a session. */

#include <string.h>

#include "log.h"
#include "submission.h"
#include "unit.h"

#define SID	"00000000000000aa"

static struct filter	 f;

/* Parse the report "report|V|time|smtp-in|<rest>" and apply it. */
static void
report(const char *v, const char *rest)
{
	struct fline	 fl;
	const char	*e;
	char		 line[512];

	snprintf(line, sizeof(line), "report|%s|1|smtp-in|%s", v, rest);
	if (filter_parse(line, strlen(line), &fl, &e) == -1) {
		printf("FAIL - %s does not parse: %s\n", line, e);
		return;
	}
	report_event(&f, &fl);
}

static int
addr(const char *src, const char *want)
{
	char	 buf[48];

	client_addr(src, buf, sizeof(buf));
	return strcmp(buf, want) == 0;
}

int
main(void)
{
	struct session	*s;
	const char	*e;

	log_init("test_report", LOG_TO_STDERR, 0);
	session_init(16);
	check(addr("192.0.2.7:4242", "192.0.2.7") &&
	    addr("[2001:db8::1]:25", "2001:db8::1") &&
	    addr("192.0.2.7", "192.0.2.7") && addr("[::1]", "::1") &&
	    addr("unix:/var/run/smtpd.sock", "local") &&
	    addr("local", "local") && addr("2001:db8::1", "2001:db8::1"),
	    "the client address alone, from every form smtpd writes");

	netlist_add(&f.conf.auth_fail_exempt, "192.0.2.0/24", &e);
	report("0.7", "link-connect|" SID "|rdns|pass|192.0.2.7:4242|"
	    "192.0.2.25:587");
	s = session_find(0xaa);
	check(s != NULL && strcmp(s->client, "192.0.2.7") == 0 && s->exempt,
	    "link-connect opens the session, with its client");
	report("0.7", "link-greeting|" SID "|mail.example.org");
	report("0.7", "link-tls|" SID "|TLSv1.3");
	check(strcmp(s->hostname, "mail.example.org") == 0 && s->tls,
	    "link-greeting and link-tls");
	report("0.7", "link-auth|" SID "|fail|bob@example.com");
	check(!s->authed && s->login[0] == '\0',
	    "a failed AUTH logs no one in");
	report("0.6", "link-auth|" SID "|Bob@Example.COM|pass");
	check(s->authed && strcmp(s->login, "bob@example.com") == 0,
	    "a passed AUTH logs the login in, lower case (0.6 order)");
	report("0.7", "link-auth|" SID "|pass|a\\x0ab@example.com");
	check(!s->authed,
	    "a login that decodes to a newline (vis): not logged in");
	report("0.7", "link-auth|" SID "|pass|b\\\\ob@example.com");
	check(s->authed && strcmp(s->login, "b\\ob@example.com") == 0,
	    "the login is decoded as smtpd encodes it (vis)");
	report("0.7", "link-auth|" SID "|pass|\\M");
	check(!s->authed, "a login that decodes to nothing: not logged in");
	report("0.7", "link-disconnect|" SID);
	check(session_find(0xaa) == NULL, "link-disconnect closes it");
	report("0.7", "link-tls|" SID "|TLSv1.3");
	check(session_find(0xaa) == NULL,
	    "a report of an unknown session opens none");
	netlist_free(&f.conf.auth_fail_exempt);
	return unit_done();
}
