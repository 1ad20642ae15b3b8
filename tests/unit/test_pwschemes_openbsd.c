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
 * What auth-helper check and the password check say on OpenBSD, proved
 * here: lib/pwschemes.c compiled with its OpenBSD branch (which needs
 * no crypt_checkpass to answer).  OpenBSD's crypt checks bcrypt of the
 * minor versions a and b only, and makes bcrypt only.
 */

#define PWCRYPT_OPENBSD
#include "pwschemes.c"

#include <stdio.h>

#include "unit.h"

int
main(void)
{
	check(strcmp(pwcrypt_system(), "OpenBSD crypt_checkpass(3)") == 0,
	    "the OpenBSD branch is the one built");
	check(pwcrypt_can_check("$2b$10$abcdefghijklmnopqrstuu") &&
	    pwcrypt_can_check("$2a$10$abcdefghijklmnopqrstuu"),
	    "bcrypt $2b$ and $2a$ are checked");
	check(!pwcrypt_can_check("$2y$10$abcdefghijklmnopqrstuu"),
	    "$2y$ (PHP's bcrypt) is not");
	check(!pwcrypt_can_check("$6$saltsalt$x") &&
	    !pwcrypt_can_check("$5$saltsalt$x") &&
	    !pwcrypt_can_check("$1$saltsalt$x") &&
	    !pwcrypt_can_check("$y$j9T$salt$x") &&
	    !pwcrypt_can_check("$gy$j9T$salt$x") &&
	    !pwcrypt_can_check("$7$CU..$x"),
	    "sha512crypt, sha256crypt, md5crypt, yescrypt, scrypt are not");
	check(strcmp(pwcrypt_checks(), "$2b$ $2a$") == 0,
	    "the message names $2b$ $2a$");
	check(pwcrypt_can_make(NULL) && pwcrypt_can_make("bcrypt") &&
	    !pwcrypt_can_make("yescrypt") && !pwcrypt_can_make("sha512crypt"),
	    "bcrypt is made, nothing else");
	check(strcmp(pwcrypt_makes(), "bcrypt") == 0,
	    "the message names bcrypt alone");
	return unit_done();
}
