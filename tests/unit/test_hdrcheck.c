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
static int		 since75;	/* smtpd 7.5 or later */

/* Feed the lines of msg (LF-separated, then ".") as smtpd sends them. */
static int
message(const char *msg)
{
	char	*copy, *p, *nl;

	hdr_begin(&h, LOGIN, "192.0.2.7", linemax, since75);
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

/* One header line of len bytes (a NUL in it), then a From: of the login. */
static int
line_n(const char *line, size_t len)
{
	hdr_begin(&h, LOGIN, "192.0.2.7", linemax, since75);
	hdr_line(&h, b, LOGIN, "+", line, len);
	hdr_line(&h, b, LOGIN, "+", "From: bob@example.com", 21);
	hdr_line(&h, b, LOGIN, "+", "", 0);
	hdr_end(&h, b, LOGIN, "+");
	return h.verdict;
}

static int
refused(const char *msg, const char *reply)
{
	return message(msg) == HDR_REJECT && strcmp(h.reply, reply) == 0;
}

#define BADNAME	"550 5.7.1 Message header rejected: malformed header field name"
#define NOCOLON	"550 5.7.1 Message header rejected: line without a colon " \
		"in the header section"
#define FIRSTWS	"550 5.7.1 Message header rejected: folded line with no " \
		"header field before it"

/* Field names a reader trims to From or Sender, and their kin. */
static void
header_names(void)
{
	static const char *bad[] = {
		"From\v: Jane Boss <jane@example.org>",
		"From\f: ann@example.com",
		"\vFrom: ann@example.com",
		"\fFrom: ann@example.com",
		"From\xa0: ann@example.com",
		"From\xc2\xa0: ann@example.com",
		"\xc2\xa0" "From: ann@example.com",
		"From\xe2\x80\xa8: ann@example.com",
		"\xef\xbb\xbf" "From: ann@example.com",
		"Sender\v: ann@example.com",
		"sender\f : ann@example.com",
		"From\x1c: ann@example.com",
		"\x1f" "From: ann@example.com",
		"From\x7f: ann@example.com",
		"From \v\t: ann@example.com",
		"Fr om: ann@example.com",
		"\xef\xbc\xa6rom: ann@example.com",
		": ann@example.com",
		"X-Note\v: harmless",
		/* the other blanks of JavaScript's trim() and of \s */
		"From\xe3\x80\x80: ann@example.com",
		"From\xe1\x9a\x80: ann@example.com",
		"From\xe1\xa0\x8e: ann@example.com",
		"From\xe2\x80\x8b: ann@example.com",
		"From\xe2\x80\xa9: ann@example.com",
		"From\xc2\x85: ann@example.com",
		"From\x85: ann@example.com",
		"\xe2\x80\x8b" "From: ann@example.com",
		"Reply-To\v: ann@example.com",
		"Resent-From\f: ann@example.com",
	};
	char	 msg[256];
	size_t	 i;
	int	 ok = 1;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* Before, after and without a From: of the login. */
		snprintf(msg, sizeof(msg), "%s\nFrom: bob@example.com\n\n",
		    bad[i]);
		if (!refused(msg, BADNAME)) {
			printf("# not refused as a bad name: %s (%s)\n", bad[i],
			    h.reply);
			ok = 0;
		}
		snprintf(msg, sizeof(msg), "From: bob@example.com\n%s\n\n",
		    bad[i]);
		if (!refused(msg, BADNAME))
			ok = 0;
		snprintf(msg, sizeof(msg), "Subject: x\n%s\n\nbody", bad[i]);
		if (!refused(msg, BADNAME))
			ok = 0;
	}
	check(ok, "a field name with a control, 8-bit or blank character "
	    "(other than blanks before the colon) is refused, wherever it is");
	check(line_n("From\0: ann@example.com", 22) == HDR_REJECT &&
	    strcmp(h.reply, BADNAME) == 0 &&
	    line_n("\0From: ann@example.com", 22) == HDR_REJECT,
	    "a NUL in a field name is refused");
	check(message("From \t: ann@example.com\n\n") == HDR_REJECT &&
	    strcmp(h.addr, "ann@example.com") == 0 &&
	    message("From\t : bob@example.com\n\n") == HDR_OK &&
	    message("sender \t: ann@example.com\nFrom: bob@example.com\n\n") ==
	    HDR_REJECT && strstr(h.reply, "Sender address rejected") != NULL,
	    "blanks before the colon: still From:/Sender:, checked");
	check(refused("From \t: bob@example.com\nFROM: bob@example.com\n\n",
	    "550 5.7.1 Message header rejected: more than one From: or "
	    "Sender: header") &&
	    refused("Sender: bob@example.com\nFrom: bob@example.com\n"
	    "Sender\t: bob@example.com\n\n", "550 5.7.1 Message header "
	    "rejected: more than one From: or Sender: header"),
	    "and counted for the one-From: rule");
	check(refused(" From: ann@example.com\nFrom: bob@example.com\n\n",
	    FIRSTWS) &&
	    refused("\tFrom: ann@example.com\nFrom: bob@example.com\n\n",
	    FIRSTWS) &&
	    refused(" \nFrom: bob@example.com\n\n", FIRSTWS),
	    "a first header line that starts with a blank is refused");
	check(message("Subject: a\n From: ann@example.com\n"
	    "From: bob@example.com\n\n") == HDR_OK,
	    "a folded line after a field is part of it");
	check(refused("From\v Jane <jane@example.org>\nFrom: bob@example.com"
	    "\n\n", NOCOLON) &&
	    refused("From: bob@example.com\nno colon here\n\nbody", NOCOLON) &&
	    refused("From: bob@example.com\n..\n\n", NOCOLON),
	    "a line without a colon in the header section is refused");
	check(message("From: bob@example.com\n\nno colon\n From: x\n\vFrom: "
	    "ann@example.com\n\xa0: x") == HDR_OK,
	    "the body is not looked at");
	check(message("Received: from mua.example.com (mua.example.com "
	    "[192.0.2.7])\n\tby mx.example.com (OpenSMTPD) with ESMTPSA id "
	    "1a2b3c4d\n\tfor <ann@example.net>;\n\tSun, 6 Dec 2026 21:00:00 "
	    "+0000 (UTC)\n"
	    "Message-ID: <d1e2@example.com>\n"
	    "Date: Sun, 6 Dec 2026 21:59:59 +0100\n"
	    "MIME-Version: 1.0\n"
	    "User-Agent: Mozilla Thunderbird\n"
	    "Content-Language: en-US\n"
	    "From: Bob <bob@example.com>\n"
	    "To: Ann <ann@example.net>\n"
	    "Subject: =?UTF-8?Q?caf=C3=A9?=\n"
	    "Content-Type: text/plain; charset=UTF-8; format=flowed\n"
	    "Content-Transfer-Encoding: 8bit\n"
	    "Thread-Topic: lunch\n"
	    "Thread-Index: AQHbR2x0c3Rlc3Q=\n"
	    "X-MS-Has-Attach:\n"
	    "X-MS-TNEF-Correlator:\n"
	    "msip_labels:\n"
	    "x-ms-exchange-organization-authas: Internal\n"
	    "Accept-Language: en-US\n"
	    "X-Mailer: Apple Mail (2.3774.500.171.1.1)\n"
	    "Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.500.171.1.1\\))\n"
	    "X-Universally-Unique-Identifier: 9F1A-22\n"
	    "X-Mailer: git-send-email 2.39.5\n"
	    "In-Reply-To: <a@example.net>\n"
	    "References: <a@example.net>\n <b@example.net>\n"
	    "X-Priority: 3\n"
	    "DKIM-Signature: v=1; a=rsa-sha256;\n\td=example.com; b=abc\n"
	    "Mail-Followup-To: bob@example.com\n"
	    "Subject :  blanks before the colon\n"
	    "\nbody\n") == HDR_OK,
	    "the header names Thunderbird, Outlook, Apple Mail, mutt and "
	    "git send-email write pass, empty values too");
}

/* A From: must hold at least one mailbox, all the login's. */
static void
no_mailbox(void)
{
	check(refused("From: CEO Jane Smith:;\n\n",
	    "550 5.7.1 From: header rejected: no address") &&
	    refused("From: \"CEO Jane Smith\":;\n\n",
	    "550 5.7.1 From: header rejected: no address") &&
	    refused("From: =?utf-8?q?CEO?=:\n ;\n\n",
	    "550 5.7.1 From: header rejected: no address") &&
	    refused("From: CEO: ;, Board:;\n\n",
	    "550 5.7.1 From: header rejected: no address"),
	    "a From: holding only empty groups is refused");
	check(refused("From:\n\n", "550 5.7.1 From: header rejected: no "
	    "address") &&
	    refused("From:   \n\n", "550 5.7.1 From: header rejected: no "
	    "address") &&
	    refused("From: \t\n \n\n", "550 5.7.1 From: header rejected: no "
	    "address") &&
	    refused("From: (Jane Smith)\n\n", "550 5.7.1 From: header "
	    "rejected: no address") &&
	    refused("From: ,\n\n", "550 5.7.1 From: header rejected: no "
	    "address"),
	    "an empty From:, blanks, a comment or a comma alone is refused");
	check(refused("From: bob@example.com\nSender:\n\n",
	    "550 5.7.1 Sender: header rejected: no address"),
	    "likewise an empty Sender:");
	check(refused("From: \"Jane Smith\" <>\n\n", "550 5.7.1 From: header "
	    "rejected: address without domain") &&
	    message("From: Jane Smith\n\n") == HDR_REJECT,
	    "the refusals of a From: with no address keep their texts");
	check(refused("From: undisclosed-recipients:;\nSender: "
	    "bob@example.com\n\n", "550 5.7.1 From: header rejected: no "
	    "address") && refused("From: <>\nSender: bob@example.com\n\n",
	    "550 5.7.1 From: header rejected: address without domain") &&
	    message("From: \"x\" <bob@example.com>, ann@example.com\n\n") ==
	    HDR_REJECT && strstr(h.reply, "<ann@example.com>: From address "
	    "rejected") != NULL, "a Sender: of the login does not make up "
	    "for a From: without one, and every From: address is owned");
	check(message("From: CEO:;, Bob <bob@example.com>\n\n") == HDR_OK,
	    "an empty group beside a mailbox of the login's passes");
	check(refused("From: \vbob@example.com\n\n", "550 5.7.1 From: header "
	    "rejected: control character") &&
	    refused("From: Bob\x01 <bob@example.com>\n\n", "550 5.7.1 From: "
	    "header rejected: control character") &&
	    refused("From: bob@example.com\nSender: bob@example.com\f\n\n",
	    "550 5.7.1 Sender: header rejected: control character") &&
	    message("From:\tBob\t<bob@example.com>\n\n") == HDR_OK,
	    "a control character in a From: or Sender: value is refused, "
	    "a tab is not");
	check(message("From: =?cp037?q?ceo=EF=BC=A0bank.test?= "
	    "<bob@example.com>\n\n") == HDR_REJECT &&
	    strstr(h.reply, "display name rejected") != NULL,
	    "an encoded word in a rare charset is read as UTF-8 too, as "
	    "mailparser shows it");
	check(message("From: ceo@bank.test:;\n\n") == HDR_REJECT &&
	    strstr(h.reply, "display name rejected") != NULL,
	    "an address in the group name is still the reason given");
}

int
main(void)
{
	char	*big;

	unitdb_new();
	b = unitdb_backend();
	hdr_init();
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
	check(message("From: \"Robert \\\"Bob\\\" Smith, Jr.\" "
	    "<bob@example.com>\n\n") == HDR_REJECT,
	    "an escaped quote and a comma in a name: smtpd 7.4 would cut it");
	since75 = 1;
	check(message("From: \"Robert \\\"Bob\\\" Smith, Jr.\" "
	    "<bob@example.com>\n\n") == HDR_OK,
	    "smtpd 7.5 and later read it as readers do: it passes");
	check(message("From: ceo (\\), x) <bob@example.com>\n\n") ==
	    HDR_REJECT, "the comment trick still refused on 7.5 and later");
	since75 = 0;
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

	header_names();
	no_mailbox();

	unitdb_exec("DROP TABLE owners");
	check(message("From: bob@example.com\n\n") == HDR_TEMPFAIL &&
	    strncmp(h.reply, "451 4.3.0", 9) == 0,
	    "a database that cannot answer: a temporary failure");
	hdr_free(&h);
	backend_free(b);
	unitdb_free();
	return unit_done();
}
