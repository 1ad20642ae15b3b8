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

/* filter-submission/session.c: the sessions, bounded. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "submission.h"
#include "unit.h"
#include "unitdb.h"

#define SID	"00000000000000aa"
#define TOK	"|000000000000000"	/* and a digit: a token */

static struct filter	 f;
static struct ibuf	 out;

/* The line "<type>|0.7|1|smtp-in|<rest>", as main.c hands it on. */
static void
feed(const char *type, const char *rest)
{
	struct fline	 fl;
	const char	*e;
	char		 line[512];

	snprintf(line, sizeof(line), "%s|0.7|1|smtp-in|%s", type, rest);
	if (filter_parse(line, strlen(line), &fl, &e) == -1) {
		printf("FAIL - %s does not parse: %s\n", rest, e);
		return;
	}
	if (fl.type == FP_REPORT)
		report_event(&f, &fl);
	else
		filter_request(&f, &fl);
}

/* The filter's answers since the last call hold s. */
static int
answered(const char *s)
{
	int	 found;

	ibuf_addz(&out, "", 0);
	found = strstr(ibuf_data(&out), s) != NULL;
	ibuf_truncate(&out, 0);
	return found;
}

/*
 * A session holds the state of a header check only from the MAIL FROM
 * of a message to its commit: an open session does not carry it.
 */
static void
header_state(void)
{
	struct session	*s;
	char		 path[160], err[512];
	FILE		*fp;

	unitdb_new();
	snprintf(path, sizeof(path), "%s/filter.conf", unitdb_dir);
	if ((fp = fopen(path, "w")) == NULL)
		exit(1);
	fputs("messages_per_hour 0\nrecipients_per_hour 0\n", fp);
	fclose(fp);
	if (fconf_load(path, &f.conf, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	unlink(path);
	f.backend = unitdb_backend();
	ibuf_init(&out, 0, 1024 * 1024);
	f.out = &out;
	filter_init(&f);

	feed("report", "link-connect|" SID "|rdns|pass|192.0.2.7:4242|"
	    "192.0.2.25:587");
	feed("report", "link-greeting|" SID "|mail.example.com");
	feed("report", "link-tls|" SID "|TLSv1.3");
	feed("report", "link-auth|" SID "|pass|bob@example.com");
	s = session_find(0xaa);
	check(s != NULL && s->authed && s->hdr == NULL,
	    "an open session holds no header check");
	feed("filter", "mail-from|" SID TOK "1|bob@example.com");
	check(answered(TOK "1|proceed") && s->hdr != NULL,
	    "MAIL FROM of a login begins one");
	feed("filter", "data-line|" SID TOK "2|From: ann@example.com");
	feed("filter", "data-line|" SID TOK "3|");
	feed("filter", "data-line|" SID TOK "4|.");
	feed("filter", "commit|" SID TOK "5|");
	check(answered(TOK "5|reject|550 5.7.1 <ann@example.com>: From ") && s->hdr == NULL,
	    "its commit answers its verdict and ends it");
	feed("filter", "mail-from|" SID TOK "6|bob@example.com");
	feed("filter", "mail-from|" SID TOK "7|ann@example.com");
	check(answered(TOK "7|reject|553 ") && s->hdr == NULL,
	    "a refused MAIL FROM ends the one before and begins none");
	feed("filter", "mail-from|" SID TOK "8|bob@example.com");
	feed("report", "link-disconnect|" SID);
	check(session_count() == 0,
	    "a session ending mid-message is freed, its header check too");
	ibuf_free(&out);
	backend_free(f.backend);
	fconf_free(&f.conf);
	unitdb_free();
}

int
main(void)
{
	struct session	*a, *b;
	char		 sid[17];
	int		 i;

	log_init("test_session", LOG_TO_STDERR, 0);
	session_init(16);
	a = session_new(1, "0000000000000001");
	check(a != NULL && session_find(1) == a && a->id == 1 &&
	    strcmp(a->sid, "0000000000000001") == 0 && session_count() == 1,
	    "a new session is found by its id");
	check(session_find(2) == NULL, "an unknown id is not");
	a->authed = 1;
	b = session_new(1, "0000000000000001");
	check(b != NULL && session_find(1) == b && !b->authed &&
	    session_count() == 1,
	    "a session opened again under its id starts afresh");

	for (i = 2; i <= 16; i++) {
		snprintf(sid, sizeof(sid), "%016x", i);
		session_new(i, sid);
	}
	session_find(1);
	session_new(17, "0000000000000011");
	check(session_count() == 16 && session_find(1) != NULL &&
	    session_find(2) == NULL && session_find(17) != NULL,
	    "past the limit, the session heard from least recently goes");
	session_free(session_find(17));
	check(session_count() == 15 && session_find(17) == NULL,
	    "a freed session is gone");
	session_free_all();
	check(session_count() == 0 && session_find(1) == NULL,
	    "all freed at the end");
	header_state();
	return unit_done();
}
