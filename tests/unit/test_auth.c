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

/* lib/auth.c: the auth service, user:password checked. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "auth.h"
#include "passwd.h"
#include "unit.h"
#include "unitdb.h"

static struct backend	*b;
static char		 err[512];

static int
auth(const char *s)
{
	char	 key[256];

	strlcpy(key, s, sizeof(key));
	return auth_check(b, key, strlen(key), err, sizeof(err));
}

int
main(void)
{
	char	 hash[PW_HASH_MAX], sql[768], key[64];
	size_t	 i;
	int	 wiped = 1;

	unitdb_new();
	if (passwd_hash("s3cret pw", "sha512crypt", hash, sizeof(hash)) == -1)
		return 1;
	snprintf(sql, sizeof(sql), "INSERT INTO users VALUES "
	    "('crypt@example.com', '%s', 1), "
	    "('odd@example.com', '{MD4}abc', 1)", hash);
	unitdb_exec(sql);
	b = unitdb_backend();

	check(auth("crypt@example.com:s3cret pw") == 1 &&
	    auth("bob@example.com:secret") == 1,
	    "a right password, crypt(3) or a scheme of our own");
	check(auth("crypt@example.com:s3cret") == 0 &&
	    auth("crypt@example.com:") == 0, "a wrong one");
	check(auth("bob@example.com:secret:x") == 0,
	    "the password is what follows the first colon");
	check(auth("nobody@example.com:secret") == 0 &&
	    auth("off@example.com:secret") == 0,
	    "an unknown or disabled user");
	check(auth("odd@example.com:abc") == 0,
	    "a hash of no scheme we know: refused, not an error");
	check(auth("no colon") == 0 && auth(":secret") == 0,
	    "no user:password: refused");

	strlcpy(key, "bob@example.com:secret", sizeof(key));
	auth_check(b, key, strlen(key), err, sizeof(err));
	for (i = strlen("bob@example.com") + 1; i < strlen("bob@example.com:"
	    "secret"); i++)
		if (key[i] != '\0')
			wiped = 0;
	check(wiped, "the password is wiped once checked");

	unitdb_exec("DROP TABLE users");
	check(auth("bob@example.com:secret") == -1 && err[0] != '\0',
	    "a database that cannot answer is an error, not a no");
	backend_free(b);
	unitdb_free();
	return unit_done();
}
