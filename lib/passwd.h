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

#ifndef PASSWD_H
#define PASSWD_H

#include <stddef.h>

#define PW_OK		0	/* the password matches */
#define PW_FAIL		1	/* it does not */
#define PW_UNSUPPORTED	2	/* the stored hash is in no known format */

#define PW_HASH_MAX	512
#define PW_SCHEME_MAX	32	/* a buffer for passwd_scheme() */

const char	*passwd_crypt_part(const char *);
const char	*passwd_scheme(const char *, char *, size_t);
int		 passwd_verify(const char *, const char *);
int		 passwd_hash(const char *, const char *, char *, size_t);
int		 passwd_argon2(void);
int		 passwd_is_argon2(const char *);
void		 passwd_set_argon2(int (*)(const char *, const char *, int));

#endif
