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

#ifndef PWCRYPT_H
#define PWCRYPT_H

/*
 * crypt(3) behind one small interface: check a password against a
 * crypt string, make a new one, and say which kinds this system's crypt
 * checks.  One implementation per kind of system, chosen by a feature
 * check of the build, not by its name:
 *	PWCRYPT_XCRYPT	libxcrypt: crypt_rn(3), crypt_gensalt_rn(3) (Linux)
 *	PWCRYPT_OPENBSD	crypt_checkpass(3), crypt_newhash(3): bcrypt only
 *	PWCRYPT_CRYPT	crypt_r(3) or crypt(3), salts made here (FreeBSD,
 *			NetBSD: struct crypt_data in <unistd.h>)
 * A test build may name one itself (the schemes' tables only).
 */

#include <stddef.h>

#if defined(PWCRYPT_XCRYPT) || defined(PWCRYPT_OPENBSD) || \
    defined(PWCRYPT_CRYPT)
/* named by the build */
#elif defined(HAVE_CRYPT_CHECKPASS)
#define PWCRYPT_OPENBSD
#elif defined(HAVE_CRYPT_RN)
#define PWCRYPT_XCRYPT
#else
#define PWCRYPT_CRYPT
#endif

/* pwcrypt.c */
int		 pwcrypt_check(const char *, const char *);
int		 pwcrypt_newhash(const char *, const char *, char *, size_t);

/* pwschemes.c */
const char	*pwcrypt_system(void);
int		 pwcrypt_can_check(const char *);
int		 pwcrypt_can_make(const char *);
const char	*pwcrypt_checks(void);
const char	*pwcrypt_makes(void);

#endif
