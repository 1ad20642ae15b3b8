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
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "authlock.h"

#include "log.h"
#include "submission.h"
#include "unit.h"

/* AUTH PLAIN of "Bob+x@Example.com", AUTH LOGIN of "ann@example.com". */
#define PLAIN_BOB	"PLAIN AEJvYit4QEV4YW1wbGUuY29tAHB3"
#define LOGIN_ANN	"LOGIN YW5uQGV4YW1wbGUuY29t"

static struct fconf	 c;
static char		 locks[] = "/tmp/test_authlimit.XXXXXX";

static void
session(struct session *s, const char *client, int exempt)
{
	authlimit_release(s);	/* as session_free() does */
	memset(s, 0, sizeof(*s));
	strlcpy(s->client, client, sizeof(s->client));
	s->exempt = exempt;
}

/* AUTH PLAIN with the login l, password "pw", as a client sends it. */
static const char *
plain(const char *l)
{
	static char	 buf[512];
	unsigned char	 raw[256];
	size_t		 n = strlen(l);

	raw[0] = '\0';
	memcpy(raw + 1, l, n);
	raw[n + 1] = '\0';
	memcpy(raw + n + 2, "pw", 2);
	memcpy(buf, "PLAIN ", 6);
	EVP_EncodeBlock((unsigned char *)buf + 6, raw, n + 4);
	return buf;
}

/* A new session s of client, in which login fails n times. */
static void
fail_n(struct session *s, const char *client, int exempt, int n,
    const char *login)
{
	int	 i;

	session(s, client, exempt);
	for (i = 0; i < n; i++)
		authlimit_result(&c, s, "fail", login);
}

/*
 * Six failures of s, each of the login "<login>N" and then moving to the
 * client "<net>.N" (N from 0 to 5).
 */
static void
fail_six(struct session *s, const char *login, const char *net)
{
	char	 l[64];
	int	 i;

	for (i = 0; i < 6; i++) {
		snprintf(l, sizeof(l), "%s%d", login, i);
		authlimit_result(&c, s, "fail", l);
		s->authfails = 0;
		snprintf(s->client, sizeof(s->client), "%s.%d", net, i);
	}
}

int
main(void)
{
	static struct session	 s1, s2, s3, many[40];
	int			 i, n;
	char		 ip[64];

	log_init("test_authlimit", LOG_TO_STDERR, 0);
	c.auth_fail_limit = 3;
	c.auth_fail_window = 600;
	strlcpy(c.delims, "+", sizeof(c.delims));
	authlimit_init(&c);

	fail_n(&s1, "192.0.2.1", 0, 2, "bob@example.com");
	check(s1.authfails == 2 && authlimit_auth_over(&c, &s1, "PLAIN x") ==
	    AL_OK && authlimit_client_over(&c, &s1) == AL_OK,
	    "under the limit: AUTH goes on");
	authlimit_result(&c, &s1, "error", "bob@example.com");
	check(s1.authfails == 2,
	    "a temporary failure of the server is not one");
	authlimit_result(&c, &s1, "fail", "BOB+news@example.com");
	check(authlimit_auth_over(&c, &s1, "PLAIN x") == AL_OWN,
	    "the session past the limit: its own doing");
	session(&s2, "192.0.2.1", 0);
	check(authlimit_client_over(&c, &s2) == AL_OWN,
	    "the client past it, in a new session: its own doing");

	/* The owner is not locked out by an attacker's failures. */
	session(&s3, "198.51.100.1", 0);
	check(authlimit_client_over(&c, &s3) == AL_OK &&
	    authlimit_auth_over(&c, &s3, PLAIN_BOB) == AL_OK &&
	    authlimit_auth_over(&c, &s3, "LOGIN") == AL_OK,
	    "the login past the limit from one client: another client that "
	    "never failed still logs in, naming it or not");
	authlimit_result(&c, &s3, "pass", "bob@example.com");
	check(authlimit_auth_over(&c, &s3, "PLAIN x") == AL_OK,
	    "and is not refused after it passed");
	check(authlimit_auth_over(&c, &s3, "plain\tAEJvYit4QEV4YW1wbGUuY29tAHB3")
	    == AL_OK, "the login after a tab, as smtpd splits the mechanism "
	    "off, is read (and not refused)");

	/* Distributed guessing: twice the limit closes it to new networks. */
	for (i = 0; i < 3; i++) {
		snprintf(ip, sizeof(ip), "203.0.113.%d", 10 + i);
		session(&s2, ip, 0);
		authlimit_result(&c, &s2, "fail", "bob@EXAMPLE.com");
	}
	session(&s2, "203.0.113.99", 0);
	check(authlimit_auth_over(&c, &s2, PLAIN_BOB) == AL_LOGIN,
	    "6 failures of a login from many clients: a new network naming "
	    "it gets the temporary refusal of another's doing");
	check(authlimit_auth_over(&c, &s2, plain("Bob+x@Example.com")) ==
	    AL_LOGIN && authlimit_auth_over(&c, &s2,
	    plain("BOB@example.com")) == AL_LOGIN,
	    "case and extension variants are the same login");
	check(authlimit_auth_over(&c, &s2, "LOGIN") == AL_LOGIN &&
	    authlimit_auth_over(&c, &s2, "PLAIN") == AL_LOGIN,
	    "and an AUTH naming no login, from a network no one passed from");
	check(authlimit_auth_over(&c, &s2, LOGIN_ANN) == AL_OK,
	    "another login it names is not closed");
	check(authlimit_client_over(&c, &s2) == AL_OK,
	    "nor is the new client turned away at connection");
	session(&s3, "198.51.100.1", 0);
	check(authlimit_auth_over(&c, &s3, PLAIN_BOB) == AL_OK &&
	    authlimit_auth_over(&c, &s3, plain("bob+x@example.com")) ==
	    AL_OK && authlimit_auth_over(&c, &s3, "LOGIN") == AL_OK,
	    "the network the owner passed from still logs in, named or not");
	session(&s3, "198.51.100.200", 1);
	check(authlimit_auth_over(&c, &s3, PLAIN_BOB) == AL_OK &&
	    authlimit_auth_over(&c, &s3, "LOGIN") == AL_OK,
	    "and so does an auth_fail_exempt client");
	for (i = 0; i < 40; i++) {
		snprintf(ip, sizeof(ip), "203.0.113.%d", 100 + i);
		session(&s2, ip, 0);
		if (authlimit_auth_over(&c, &s2, PLAIN_BOB) == AL_OK)
			authlimit_result(&c, &s2, "fail", "bob@example.com");
	}
	check(authlimit_auth_over(&c, &s2, PLAIN_BOB) == AL_LOGIN,
	    "guesses from many networks stay bounded");

	session(&s3, "198.51.100.2", 0);
	fail_six(&s3, "carol@example.com\n", "198.51.101");
	check(authlimit_auth_over(&c, &s3,
	    "PLAIN AGNhcm9sQGV4YW1wbGUuY29tAHB3") == AL_LOGIN,
	    "a login cut at a newline counts for the part before it");
	fail_six(&s3, "dora@example.com:pw", "198.51.102");
	check(authlimit_auth_over(&c, &s3,
	    "PLAIN AGRvcmFAZXhhbXBsZS5jb20AcHc=") == AL_LOGIN,
	    "and at a ':', as the table's auth check splits login:password");

	/* No lockout handed to the table: it would refuse the owner too. */
	if (mkdtemp(locks) != NULL) {
		authlimit_lockdir(locks);
		for (i = 0; i < 6; i++) {
			snprintf(ip, sizeof(ip), "198.51.103.%d", i);
			session(&s3, ip, 0);
			authlimit_result(&c, &s3, "fail",
			    "Jane+Sales@example.org");
		}
		check(authlock_held(locks, "jane@example.org", 16,
		    time(NULL)) == 0 && authlock_held(locks,
		    "jane+sales@example.org", 22, time(NULL)) == 0,
		    "no lockout in auth_lock_dir, which the table would "
		    "hold against the owner's network too");
		authlock_set(locks, "old@example.org", time(NULL) - 5);
		authlock_set(locks, "kept@example.org", time(NULL) + 60);
		authlimit_lockdir(locks);
		check(authlock_sweep(locks, time(NULL)) == 1 &&
		    authlock_held(locks, "kept@example.org", 16,
		    time(NULL)) == 1, "an earlier version's lockouts that "
		    "ended are removed at start");
		authlimit_clear();
		check(authlock_sweep(locks, 0) == 0,
		    "and all of them by SIGUSR1");
		authlimit_lockdir(NULL);
		rmdir(locks);
	}

	/* IPv6: a /64's count refuses its other addresses temporarily. */
	session(&s1, "2001:db8:1:2::1", 0);
	authlimit_result(&c, &s1, "fail", "dan@example.com");
	session(&s1, "2001:db8:1:2:ffff::7", 0);
	authlimit_result(&c, &s1, "fail", "dan1@example.com");
	session(&s1, "2001:db8:1:2:abcd::9", 0);
	authlimit_result(&c, &s1, "fail", "dan2@example.com");
	session(&s2, "2001:db8:1:2::42", 0);
	session(&s3, "2001:db8:1:3::1", 0);
	check(authlimit_client_over(&c, &s2) == AL_NET &&
	    authlimit_auth_over(&c, &s2, LOGIN_ANN) == AL_NET &&
	    authlimit_client_over(&c, &s3) == AL_OK,
	    "IPv6 clients count by their /64, as a neighbour's doing");
	fail_n(&s1, "fd00:1::2", 0, 3, "fred@example.com");
	session(&s2, "fd00:1::3", 0);
	check(authlimit_client_over(&c, &s1) == AL_OWN &&
	    authlimit_client_over(&c, &s2) == AL_NET,
	    "fd00:1::2 failed: its own doing; fd00:1::3 never did: not its");
	fail_n(&s1, "::ffff:192.0.2.77", 0, 3, "erin@example.com");
	session(&s2, "192.0.2.77", 0);
	check(authlimit_client_over(&c, &s2) == AL_OWN,
	    "an IPv4-mapped client counts as its IPv4 address");

	fail_n(&s1, "203.0.113.1", 1, 5, "eve@example.com");
	session(&s2, "203.0.113.1", 1);
	check(authlimit_client_over(&c, &s2) == AL_OK &&
	    authlimit_auth_over(&c, &s1, "PLAIN x") == AL_OWN,
	    "an exempt client has no count, its sessions still have");

	authlimit_clear();
	session(&s2, "192.0.2.1", 0);
	check(authlimit_client_over(&c, &s2) == AL_OK &&
	    authlimit_auth_over(&c, &s2, PLAIN_BOB) == AL_OK,
	    "cleared (SIGUSR1): every lockout lifted");

	/*
	 * Sessions that send AUTH at once: each AUTH let through counts
	 * until smtpd answers it, or none would be refused before the
	 * first failure came back.
	 */
	authlimit_clear();
	session(&s2, "192.0.2.1", 0);
	for (i = n = 0; i < 40; i++) {
		session(&many[i], "192.0.2.50", 0);
		switch (authlimit_auth_over(&c, &many[i], "LOGIN")) {
		case AL_OK:
			n++;
			break;
		case AL_LOGIN:
			n += 100;
			break;
		}
	}
	check(n == c.auth_fail_limit + 100 * (40 - c.auth_fail_limit),
	    "40 sessions of one address sending AUTH at once: only "
	    "auth_fail_limit go through before any answer, the others "
	    "are refused for now, not as failures");
	check(authlimit_client_over(&c, &many[0]) == AL_OK,
	    "nor turned away at connection for what is in flight");
	for (i = 0; i < c.auth_fail_limit; i++)
		authlimit_result(&c, &many[i], "fail", "zed@example.com");
	check(authlimit_client_over(&c, &many[0]) == AL_OWN &&
	    authlimit_client_over(&c, &s2) == AL_OK,
	    "once they failed, the address is past its limit; an address "
	    "that did nothing is not");
	authlimit_clear();
	for (i = n = 0; i < 40; i++) {
		snprintf(ip, sizeof(ip), "198.18.0.%d", i);
		session(&many[i], ip, 0);
		if (authlimit_auth_over(&c, &many[i], PLAIN_BOB) == AL_OK)
			n++;
	}
	check(n == 2 * c.auth_fail_limit,
	    "40 addresses naming one login at once: twice auth_fail_limit "
	    "guesses, not 40");
	for (i = 0; i < 40; i++)
		session(&many[i], "198.18.1.1", 0);
	check(authlimit_auth_over(&c, &s2, PLAIN_BOB) == AL_OK,
	    "sessions that ended unanswered are not counted as failures");
	authlimit_result(&c, &s2, "pass", "bob@example.com");
	for (i = n = 0; i < 4; i++) {
		session(&many[i], "192.0.2.1", 0);
		if (authlimit_auth_over(&c, &many[i], PLAIN_BOB) == AL_OK)
			n++;
		authlimit_result(&c, &many[i], "pass", "bob@example.com");
	}
	check(n == 4 && authlimit_client_over(&c, &s2) == AL_OK,
	    "a login that passes is not counted against its client");
	for (i = 0; i < 40; i++)
		session(&many[i], "198.18.1.1", 0);
	return unit_done();
}
