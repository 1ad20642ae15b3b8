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
 * pwhash: print the hash of the password read from stdin, for tests.
 * usage: pwhash [bcrypt | yescrypt | sha512crypt]
 */

#include <stdio.h>
#include <string.h>

#include "passwd.h"

int
main(int argc, char *argv[])
{
	char	 pw[1024], out[PW_HASH_MAX];

	if (fgets(pw, sizeof(pw), stdin) == NULL)
		return 1;
	pw[strcspn(pw, "\n")] = '\0';
	if (passwd_hash(pw, argc > 1 ? argv[1] : NULL, out, sizeof(out)) == -1) {
		fprintf(stderr, "pwhash: cannot hash with %s\n",
		    argc > 1 ? argv[1] : "bcrypt");
		return 1;
	}
	explicit_bzero(pw, sizeof(pw));
	printf("%s\n", out);
	return 0;
}
