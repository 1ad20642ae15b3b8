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

/* auth-helper/args.c: arguments normalised, or refused in one line. */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth_helper.h"
#include "unit.h"

static int	 errpipe[2];
static char	 said[512];

/* What was written on standard error since the last call. */
static const char *
stderr_text(void)
{
	ssize_t	 n;

	fflush(stderr);
	n = read(errpipe[0], said, sizeof(said) - 1);
	said[n > 0 ? n : 0] = '\0';
	return said;
}

int
main(void)
{
	char	 out[MAXADDR];

	if (pipe(errpipe) == -1 || dup2(errpipe[1], STDERR_FILENO) == -1)
		return 1;
	check(arg_address("user del", "Bob@Example.COM", 0, out,
	    sizeof(out)) == 0 && strcmp(out, "bob@example.com") == 0,
	    "an address, normalised");
	check(arg_address("alias add", "@Example.com", 1, out,
	    sizeof(out)) == 0 && strcmp(out, "@example.com") == 0,
	    "a catch-all where one is taken");
	check(arg_address("user del", "bob", 0, out, sizeof(out)) == -1 &&
	    strcmp(stderr_text(), "auth-helper: user del: \"bob\": no "
	    "'@domain'; nothing changed\n") == 0,
	    "a bad address: the command, the argument and why, in one line");
	check(arg_domain("domain add", "Bücher.example", out,
	    sizeof(out)) == 0 && strcmp(out, "xn--bcher-kva.example") == 0,
	    "a domain, in A-labels");
	check(arg_domain("domain del", "localhost", out, sizeof(out)) == -1 &&
	    strcmp(stderr_text(), "auth-helper: domain del: \"localhost\": "
	    "not a domain name; nothing changed\n") == 0,
	    "a bad domain refused the same way");
	check(arg_target("alias add", "|/bin/prog", 0, out, sizeof(out)) ==
	    -1 && strncmp(stderr_text(), "auth-helper: alias add: target "
	    "\"|/bin/prog\": a program", 54) == 0,
	    "a program target refused without -p, called a target");
	check(arg_target("alias add", "|/bin/prog", 1, out, sizeof(out)) ==
	    0 && strcmp(out, "|/bin/prog") == 0, "and taken with it");
	return unit_done();
}
