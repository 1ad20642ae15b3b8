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
 * The auth service (smtpd 7.6 and later, "auth_offload yes"): smtpd
 * sends "user:password" and asks whether it is right.  The password is
 * never logged, never handed to SQLite, and wiped once checked.
 */

#include <string.h>

#include "auth.h"
#include "log.h"
#include "passwd.h"

/* key is "user:password" (keylen bytes); returns 1 ok, 0 wrong, -1 error. */
int
auth_check(struct backend *b, char *key, size_t keylen, char *err,
    size_t errlen)
{
	char	 hash[PW_HASH_MAX], *password, k[LOG_VALUE_MAX];
	char	 sch[PW_SCHEME_MAX];
	int	 r;

	if ((password = memchr(key, ':', keylen)) == NULL || password == key)
		return 0;
	*password++ = '\0';

	r = backend_stored_hash(b, key, hash, sizeof(hash), err, errlen);
	if (r == 1) {
		switch (passwd_verify(password, hash)) {
		case PW_OK:
			break;
		case PW_UNSUPPORTED:
			log_warnx("auth %s: password hash scheme %s is "
			    "not supported", log_escape(key, 0, k, sizeof(k)),
			    passwd_scheme(hash, sch, sizeof(sch)));
			r = 0;
			break;
		default:
			r = 0;
			break;
		}
	}
	explicit_bzero(hash, sizeof(hash));
	explicit_bzero(password, keylen - (password - key));
	return r;
}
