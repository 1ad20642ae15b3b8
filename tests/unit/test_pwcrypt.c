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
 * The crypt(3) interface with this system's crypt: what it checks, what
 * it makes, round trips.  Only what every system does is asserted:
 * bcrypt $2b$; the rest is printed.
 */

#include <stdio.h>
#include <string.h>
#ifdef HAVE_CRYPT_RN
#include <crypt.h>
#endif

#include "passwd.h"
#include "pwcrypt.h"
#include "unit.h"

int
main(void)
{
	char	 h[PW_HASH_MAX];

	printf("# %s checks: %s\n", pwcrypt_system(), pwcrypt_checks());
	check(pwcrypt_can_check("$2b$10$abcdefghijklmnopqrstuu"),
	    "bcrypt $2b$ can be checked");
	check(strstr(pwcrypt_checks(), "$2b$") != NULL,
	    "the list of kinds names $2b$");
	check(!pwcrypt_can_check("$9$x") && !pwcrypt_can_check("") &&
	    !pwcrypt_can_check(NULL) && !pwcrypt_can_check("{SSHA}x"),
	    "unknown kinds cannot");
	check(pwcrypt_can_make(NULL) && pwcrypt_can_make("bcrypt") &&
	    !pwcrypt_can_make("des"), "bcrypt is made, des is not");
	check(strncmp(pwcrypt_makes(), "bcrypt", 6) == 0,
	    "the list of schemes made starts with bcrypt");

#ifdef HAVE_CRYPT_RN
	/* Each kind libxcrypt makes a salt for, our vector of it checks. */
	{
		const char	*kinds[] = { "$2b$", "$2a$", "$2y$", "$y$",
				    "$gy$", "$7$", "$6$", "$5$", "$1$" };
		char		 salt[CRYPT_GENSALT_OUTPUT_SIZE];
		size_t		 i;
		int		 bad = 0;

		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (crypt_gensalt_rn(kinds[i], 0, NULL, 0, salt,
			    sizeof(salt)) != NULL && !pwcrypt_can_check(salt)) {
				printf("# %s: libxcrypt has it, its vector "
				    "fails\n", kinds[i]);
				bad++;
			}
		check(bad == 0, "every kind libxcrypt has is checked");
	}
#endif
	check(pwcrypt_newhash("s3cret", NULL, h, sizeof(h)) == 0 &&
	    strncmp(h, "$2b$10$", 7) == 0 && strlen(h) == 60,
	    "a new hash is bcrypt, cost 10");
	check(pwcrypt_check("s3cret", h) == PW_OK &&
	    pwcrypt_check("s3creT", h) == PW_FAIL &&
	    pwcrypt_check("", h) == PW_FAIL, "it checks the password only");
	check(pwcrypt_newhash("s3cret", "des", h, sizeof(h)) == -1 &&
	    h[0] == '\0', "an unknown scheme: refused, buffer wiped");
	check(pwcrypt_newhash("s3cret", NULL, h, 20) == -1,
	    "too small a buffer: refused");
	if (pwcrypt_can_make("sha512crypt"))
		check(pwcrypt_newhash("s3cret", "sha512crypt", h,
		    sizeof(h)) == 0 && strncmp(h, "$6$", 3) == 0 &&
		    pwcrypt_check("s3cret", h) == PW_OK,
		    "sha512crypt where it is made");
	check(pwcrypt_check("s3cret", "$2b$10$short") == PW_FAIL,
	    "a broken hash fails");
	return unit_done();
}
