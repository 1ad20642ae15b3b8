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

/* filter-submission/authlimit.c: the failed-AUTH limits. */

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "submission.h"
#include "unit.h"

/* AUTH PLAIN of "Bob+x@Example.com", AUTH LOGIN of "ann@example.com". */
#define PLAIN_BOB	"PLAIN AEJvYit4QEV4YW1wbGUuY29tAHB3"
#define LOGIN_ANN	"LOGIN YW5uQGV4YW1wbGUuY29t"

static struct fconf	 c;

static void
session(struct session *s, const char *client, int exempt)
{
	memset(s, 0, sizeof(*s));
	strlcpy(s->client, client, sizeof(s->client));
	s->exempt = exempt;
}

int
main(void)
{
	struct session	 s1, s2, s3;
	int		 i;

	log_init("test_authlimit", LOG_TO_STDERR, 0);
	c.auth_fail_limit = 3;
	c.auth_fail_window = 600;
	strlcpy(c.delims, "+", sizeof(c.delims));
	authlimit_init(&c);

	session(&s1, "192.0.2.1", 0);
	for (i = 0; i < 2; i++)
		authlimit_result(&c, &s1, "fail", "bob@example.com");
	check(s1.authfails == 2 && !authlimit_auth_over(&c, &s1, "PLAIN x") &&
	    !authlimit_client_over(&c, &s1), "under the limit: AUTH goes on");
	authlimit_result(&c, &s1, "error", "bob@example.com");
	check(s1.authfails == 2,
	    "a temporary failure of the server is not one");
	authlimit_result(&c, &s1, "fail", "BOB+news@example.com");
	check(authlimit_auth_over(&c, &s1, "PLAIN x"),
	    "the session past the limit");
	session(&s2, "192.0.2.1", 0);
	check(authlimit_client_over(&c, &s2),
	    "the client past it, in a new session");
	session(&s3, "198.51.100.1", 0);
	check(!authlimit_client_over(&c, &s3) &&
	    authlimit_auth_over(&c, &s3, PLAIN_BOB),
	    "the login past it from another client: case and extension "
	    "do not give a fresh count");
	check(!authlimit_auth_over(&c, &s3, LOGIN_ANN) &&
	    !authlimit_auth_over(&c, &s3, "PLAIN !!!!"),
	    "another login, or none that decodes, is not");
	check(authlimit_auth_over(&c, &s3, "plain\tAEJvYit4QEV4YW1wbGUuY29tAHB3"),
	    "the login after a tab, as smtpd splits the mechanism off");
	check(!authlimit_auth_over(&c, &s3, "PLAIN\tx AEJvYit4QEV4YW1wbGUuY29tAHB3"),
	    "a mechanism smtpd does not know names no login");
	authlimit_result(&c, &s3, "pass", "bob@example.com");
	check(s3.locked, "a login past the limit that gets in is locked");
	session(&s3, "198.51.100.2", 0);
	for (i = 0; i < 3; i++) {
		char	 l[64];

		snprintf(l, sizeof(l), "carol@example.com\n%d", i);
		authlimit_result(&c, &s3, "fail", l);
	}
	check(authlimit_auth_over(&c, &s3,
	    "PLAIN AGNhcm9sQGV4YW1wbGUuY29tAHB3"),
	    "a login cut at a newline counts for the part before it");
	session(&s3, "198.51.100.3", 0);
	for (i = 0; i < 3; i++) {
		char	 l[64];

		snprintf(l, sizeof(l), "dora@example.com:pw%d", i);
		authlimit_result(&c, &s3, "fail", l);
	}
	check(authlimit_auth_over(&c, &s3,
	    "PLAIN AGRvcmFAZXhhbXBsZS5jb20AcHc="),
	    "and at a ':', as the table's auth check splits login:password");

	session(&s1, "2001:db8:1:2::1", 0);
	authlimit_result(&c, &s1, "fail", "dan@example.com");
	session(&s1, "2001:db8:1:2:ffff::7", 0);
	authlimit_result(&c, &s1, "fail", "dan1@example.com");
	session(&s1, "2001:db8:1:2:abcd::9", 0);
	authlimit_result(&c, &s1, "fail", "dan2@example.com");
	session(&s2, "2001:db8:1:2::42", 0);
	session(&s3, "2001:db8:1:3::1", 0);
	check(authlimit_client_over(&c, &s2) && !authlimit_client_over(&c, &s3),
	    "IPv6 clients count by their /64");
	session(&s1, "::ffff:192.0.2.77", 0);
	for (i = 0; i < 3; i++)
		authlimit_result(&c, &s1, "fail", "erin@example.com");
	session(&s2, "192.0.2.77", 0);
	check(authlimit_client_over(&c, &s2),
	    "an IPv4-mapped client counts as its IPv4 address");

	session(&s1, "203.0.113.1", 1);
	for (i = 0; i < 5; i++)
		authlimit_result(&c, &s1, "fail", "eve@example.com");
	session(&s2, "203.0.113.1", 1);
	check(!authlimit_client_over(&c, &s2) &&
	    authlimit_auth_over(&c, &s1, "PLAIN x"),
	    "an exempt client has no count, its sessions still have");

	authlimit_clear();
	session(&s2, "192.0.2.1", 0);
	check(!authlimit_client_over(&c, &s2) &&
	    !authlimit_auth_over(&c, &s2, PLAIN_BOB),
	    "cleared (SIGUSR1): every lockout lifted");
	return unit_done();
}
