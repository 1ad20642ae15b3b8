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
 * Argon2 through libargon2, for the programs that check passwords of
 * that kind (table-sqlite's auth service): only they link the library.
 * Built without it (the Makefile's probe found none, or ARGON2_LIBS= pinned empty),
 * Argon2 hashes stay unsupported.
 */

#include <string.h>

#ifdef HAVE_ARGON2
#include <argon2.h>
#endif

#include "passwd.h"
#include "pwargon2.h"

#ifdef HAVE_ARGON2
/* phc, a PHC string of the type id says, checked by libargon2. */
static int
check(const char *password, const char *phc, int id)
{
	int	 r;

	r = argon2_verify(phc, password, strlen(password),
	    id ? Argon2_id : Argon2_i);
	if (r == ARGON2_OK)
		return PW_OK;
	if (r == ARGON2_VERIFY_MISMATCH)
		return PW_FAIL;
	return PW_UNSUPPORTED;
}
#endif

/* Let passwd_verify() check Argon2 hashes: 1, or 0 built without it. */
int
pwargon2_enable(void)
{
#ifdef HAVE_ARGON2
	passwd_set_argon2(check);
	return 1;
#else
	return 0;
#endif
}
