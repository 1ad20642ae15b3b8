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

/* filter-submission/fconf.c: the filter's configuration file. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "submission.h"
#include "unit.h"

static struct fconf	 c;
static char		 err[512];

static int
load(const char *text)
{
	char	 path[64];
	FILE	*fp;
	int	 r;

	strlcpy(path, "/tmp/test_fconf.XXXXXX", sizeof(path));
	if ((fp = fdopen(mkstemp(path), "w")) == NULL)
		return -2;
	fputs(text, fp);
	fclose(fp);
	r = fconf_load(path, &c, err, sizeof(err));
	unlink(path);
	return r;
}

int
main(void)
{
	check(load("") == 0 && c.mode == MODE_SUBMISSION &&
	    strcmp(c.table, SQLCONF_DEFAULT) == 0 && c.require_tls &&
	    c.require_auth && c.header_check && !c.unauth_sender_check &&
	    c.auth_fail_limit == 5 && c.messages_per_hour == 200 &&
	    strcmp(c.delims, "+") == 0 && !c.soft_bounce && !c.warn_only,
	    "an empty file: submission and its defaults");
	fconf_free(&c);
	check(load("mode mx\ntable /x.conf\n") == 0 && c.mode == MODE_MX &&
	    strcmp(c.table, "/x.conf") == 0 && !c.require_tls &&
	    !c.require_auth && !c.header_check && c.unauth_sender_check &&
	    c.relay_check, "mode mx and its defaults");
	fconf_free(&c);
	check(load("mode mx\nrequire_tls yes\nheader_check on\n"
	    "messages_per_hour 0\nrecipient_delimiter none\n") == 0 &&
	    c.require_tls && c.header_check && c.messages_per_hour == 0 &&
	    c.delims[0] == '\0', "what is set beats the mode's defaults");
	fconf_free(&c);
	check(load("auth_fail_exempt 192.0.2.0/24, local 2001:db8::1\n") ==
	    0 && c.auth_fail_exempt.n == 3 &&
	    netlist_match(&c.auth_fail_exempt, "192.0.2.9"),
	    "auth_fail_exempt: a list, blanks or commas between");
	fconf_free(&c);
	check(load("max_sessions 3\n") == 0 && c.max_sessions == 16,
	    "max_sessions is at least 16");
	fconf_free(&c);

	check(load("mode relay\n") == -1 && strstr(err, "not submission or mx"),
	    "an unknown mode refused");
	check(load("require_tls maybe\n") == -1 &&
	    strstr(err, "require_tls: maybe is not yes or no"),
	    "a yes/no key with another value refused");
	check(load("auth_fail_limit 1000001\n") == -1 &&
	    strstr(err, "(0 to 1000000)"), "a number out of range refused");
	check(load("auth_fail_exempt 192.0.2.0/24 nowhere\n") == -1 &&
	    strstr(err, "auth_fail_exempt: nowhere:"),
	    "an exempt entry that is no address refused, naming it");
	check(load("recipient_delimiter a@\n") == -1 &&
	    strstr(err, "recipient_delimiter"), "a delimiter '@' refused");
	check(load("table /a\ntable /b\n") == -1 &&
	    strstr(err, "table given twice"), "table given twice refused");
	check(load("sender_chek yes\n") == -1 &&
	    strstr(err, ":1: unknown key sender_chek"),
	    "an unknown key refused with its line");
	return unit_done();
}
