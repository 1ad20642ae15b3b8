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
 * filter-submission/display.c: the converters kept for a process that
 * can open no file once started (Capsicum).  Root runs each case in a
 * child chrooted to an empty directory, where iconv finds no table:
 * what the filter meets in capability mode.
 */

#include <sys/types.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "submission.h"
#include "unit.h"

#define CYRILLIC	" =?windows-1251?q?=C8=E2=E0=ED?= <bob@example.com>"
#define GREEK		" =?ISO-8859-7?q?=C1=ED=ED=E1?= <bob@example.com>"
#define NOT_KEPT	" =?ibm866?q?=88=A2=A0=AD?= <bob@example.com>"

static char	 empty[] = "/tmp/test_keepconv.XXXXXX";

/*
 * Parse value in a child with no files to read, the converters kept
 * first or not: 0 parsed, 1 refused as an unknown charset, 2 else.
 */
static int
parse_closed(const char *value, int keep)
{
	struct addrlist	 al;
	const char	*e = NULL;
	pid_t		 pid;
	int		 status;

	if ((pid = fork()) == -1)
		return 2;
	if (pid == 0) {
		if (keep)
			display_keep_charsets();
		if (chroot(empty) == -1 || chdir("/") == -1)
			_exit(2);
		if (addrlist_parse(value, &al, &e) == 0)
			_exit(0);
		_exit(e != NULL && strstr(e, "unknown charset") != NULL ?
		    1 : 2);
	}
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status))
		return 2;
	return WEXITSTATUS(status);
}

int
main(void)
{
	struct addrlist	 al;
	const char	*e;
	int		 n;

	/* First: a converter once loaded stays in a child's memory. */
	if (getuid() != 0 || mkdtemp(empty) == NULL)
		printf("# not root: no child without files, those cases not "
		    "run\n");
	else {
		check(parse_closed(CYRILLIC, 0) == 1,
		    "with no files and nothing kept: an unknown charset "
		    "(refused)");
		check(parse_closed(CYRILLIC, 1) == 0 &&
		    parse_closed(GREEK, 1) == 0,
		    "with no files, the kept converters decode");
		check(parse_closed(NOT_KEPT, 1) == 1,
		    "with no files, a charset not kept is refused, not "
		    "accepted");
		rmdir(empty);
	}

	n = display_keep_charsets();
	check(n >= 30, "the charsets mail uses most are kept open");
	check(display_keep_charsets() == n,
	    "keeping them again keeps the same ones");
	check(addrlist_parse(CYRILLIC, &al, &e) == 0 &&
	    addrlist_parse(GREEK, &al, &e) == 0 &&
	    addrlist_parse(NOT_KEPT, &al, &e) == 0,
	    "with files, every charset decodes");
	return unit_done();
}
