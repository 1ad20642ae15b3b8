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

/* filter-submission/hdrcheck.c: the From:/Sender: check of a message. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "submission.h"
#include "unit.h"
#include "unitdb.h"

#define LOGIN	"bob@example.com"

static struct backend	*b;
static struct hdrcheck	 h;
static size_t		 linemax;	/* 0, or smtpd 7.3's limit */

/* Feed the lines of msg (LF-separated, then ".") as smtpd sends them. */
static int
message(const char *msg)
{
	char	*copy, *p, *nl;

	hdr_begin(&h, LOGIN, "192.0.2.7", linemax);
	if ((copy = strdup(msg)) == NULL)
		return -1;
	for (p = copy; p != NULL; p = nl) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		hdr_line(&h, b, LOGIN, "+", p, strlen(p));
	}
	free(copy);
	hdr_end(&h, b, LOGIN, "+");
	return h.verdict;
}

int
main(void)
{
	char	*big;

	unitdb_new();
	b = unitdb_backend();
	memset(&h, 0, sizeof(h));

	check(message("From: Bob <bob@example.com>\nSubject: hi\n\nbody") ==
	    HDR_OK, "a From: the login owns");
	check(message("From: Ann <ann@example.com>\n\nbody") == HDR_REJECT &&
	    strcmp(h.reply, "550 5.7.1 <ann@example.com>: From address "
	    "rejected: not owned by user bob@example.com") == 0 &&
	    strcmp(h.addr, "ann@example.com") == 0,
	    "a From: of another account: 550, naming the address");
	check(message("Sender: ann@example.com\nFrom: bob@example.com\n\n") ==
	    HDR_REJECT && strstr(h.reply, "Sender address rejected") != NULL,
	    "Sender: is checked as well");
	check(message("From: bob@example.com,\n ann@example.com\n\n") ==
	    HDR_REJECT && strcmp(h.addr, "ann@example.com") == 0,
	    "a folded header is checked whole");
	check(message("fROM : team@example.com\n\n") == HDR_OK,
	    "the header name in any case, blanks before the colon");
	check(message("From: \"ann@example.com\" <bob@example.com>\n\n") ==
	    HDR_REJECT && strstr(h.reply, "display name rejected") != NULL,
	    "an address shown in the display name counts");
	check(message("Subject: a\rFrom: ann@example.com\n\n") == HDR_REJECT &&
	    strstr(h.reply, "bare CR") != NULL,
	    "a bare CR in the headers is refused");
	check(message("From: bob@example.com\n\nFrom: ann@example.com") ==
	    HDR_OK, "a From: line in the body is not a header");
	check(message("From: <<bob@example.com\n\n") == HDR_REJECT &&
	    strncmp(h.reply, "550 5.7.1 From: header rejected: ", 33) == 0,
	    "a From: that does not parse is refused");
	check(message("Subject: no sender\n\n") == HDR_OK,
	    "no From: nor Sender: at all: nothing to refuse");
	if ((big = malloc(20000)) != NULL) {
		memcpy(big, "From: ", 6);
		memset(big + 6, 'a', 19000);
		strlcpy(big + 19006, "@example.com\n\n", 20000 - 19006);
		check(message(big) == HDR_REJECT &&
		    strstr(h.reply, "header too long") != NULL,
		    "a header longer than the check holds is refused");
		free(big);
	}

	check(message("From: bob@example.com\nFrom: ann@example.com\n\n") ==
	    HDR_REJECT && strstr(h.reply, "more than one From:") != NULL,
	    "two From: headers refused (readers differ on which they show)");
	check(message("Sender: bob@example.com\nsender: bob@example.com\n"
	    "From: bob@example.com\n\n") == HDR_REJECT &&
	    strstr(h.reply, "more than one") != NULL,
	    "two Sender: headers refused, whatever their case");
	check(message("From: bob@example.com\nSender: bob@example.com\n\n") ==
	    HDR_OK, "one From: and one Sender: pass");
	check(message("From: ceo (\\), x) <bob@example.com>\n\n") ==
	    HDR_REJECT && strstr(h.reply, "smtpd would add its domain") !=
	    NULL, "a From: smtpd would complete with its domain is refused");
	check(message("From: \\\"ceo,\" <bob@example.com>\n\n") ==
	    HDR_REJECT && strstr(h.reply, "smtpd would add") != NULL,
	    "an escaped quote smtpd cuts at: refused");
	check(message("From: Bob\n <bob@example.com>\n\n") == HDR_OK,
	    "a folded From: smtpd leaves alone passes");
	if ((big = malloc(4000)) != NULL) {
		memcpy(big, "X-Long: ", 8);
		memset(big + 8, 'a', 1990);
		strlcpy(big + 1998, "\nFrom: bob@example.com\n\n", 4000 - 1998);
		check(message(big) == HDR_OK,
		    "a 1998-byte header line passes where smtpd keeps it whole");
		linemax = 1997;
		check(message(big) == HDR_REJECT &&
		    strstr(h.reply, "header line too long") != NULL,
		    "and is refused where smtpd would cut it");
		check(message("From: bob@example.com\n\nshort body") ==
		    HDR_OK, "short lines pass there");
		memcpy(big, "\n", 1);
		check(message(big) == HDR_OK,
		    "a long line in the body is not a header line");
		linemax = 0;
		free(big);
	}

	unitdb_exec("DROP TABLE owners");
	check(message("From: bob@example.com\n\n") == HDR_TEMPFAIL &&
	    strncmp(h.reply, "451 4.3.0", 9) == 0,
	    "a database that cannot answer: a temporary failure");
	hdr_free(&h);
	backend_free(b);
	unitdb_free();
	return unit_done();
}
