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
 * Check a password against a crypt(3) string and make new ones, with
 * what this system has (see pwcrypt.h).  Every buffer that held a
 * password or a hash of it is wiped.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(PWCRYPT_OPENBSD) || defined(HAVE_CRYPT_CHECKPASS)
#include <pwd.h>
#elif defined(HAVE_CRYPT_H)
#include <crypt.h>
#endif

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "compat.h"
#include "passwd.h"
#include "pwcrypt.h"

#if defined(PWCRYPT_OPENBSD)

int
pwcrypt_check(const char *password, const char *hash)
{
	return crypt_checkpass(password, hash) == 0 ? PW_OK : PW_FAIL;
}

static int
newhash(const char *password, const char *scheme, char *out, size_t outlen)
{
	if (scheme != NULL && strcmp(scheme, "bcrypt") != 0)
		return -1;
	return crypt_newhash(password, "bcrypt,10", out, outlen);
}

#elif defined(PWCRYPT_XCRYPT)

int
pwcrypt_check(const char *password, const char *hash)
{
	struct crypt_data	*cd;
	size_t			 len;
	int			 rv = PW_FAIL;

	if ((cd = calloc(1, sizeof(*cd))) == NULL)
		return PW_FAIL;
	if (crypt_rn(password, hash, cd, sizeof(*cd)) != NULL) {
		len = strlen(cd->output);
		if (len == strlen(hash) && len > 0 &&
		    CRYPTO_memcmp(cd->output, hash, len) == 0)
			rv = PW_OK;
	}
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return rv;
}

static int
newhash(const char *password, const char *scheme, char *out, size_t outlen)
{
	struct crypt_data	*cd;
	char			 salt[CRYPT_GENSALT_OUTPUT_SIZE];
	const char		*prefix;
	unsigned long		 cost;
	int			 rv = -1;

	if (scheme == NULL || strcmp(scheme, "bcrypt") == 0) {
		prefix = "$2b$";
		cost = 10;
	} else if (strcmp(scheme, "yescrypt") == 0) {
		prefix = "$y$";
		cost = 5;
	} else if (strcmp(scheme, "sha512crypt") == 0) {
		prefix = "$6$";
		cost = 0;
	} else
		return -1;
	if (crypt_gensalt_rn(prefix, cost, NULL, 0, salt, sizeof(salt)) ==
	    NULL)
		return -1;
	if ((cd = calloc(1, sizeof(*cd))) == NULL)
		return -1;
	if (crypt_rn(password, salt, cd, sizeof(*cd)) != NULL &&
	    cd->output[0] != '*' &&
	    strlcpy(out, cd->output, outlen) < outlen)
		rv = 0;
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return rv;
}

#else

/*
 * crypt_r(3) where there is one (its struct crypt_data differs between
 * systems: only its size is used), else crypt(3): the programs have one
 * thread.  The result is copied out and wiped.
 */
static int
crypt_into(const char *password, const char *setting, char *out,
    size_t outlen)
{
#ifdef HAVE_CRYPT_R
	struct crypt_data	*cd;
#endif
	char			*h;
	int			 rv = -1;

#ifdef HAVE_CRYPT_R
	if ((cd = calloc(1, sizeof(*cd))) == NULL)
		return -1;
	h = crypt_r(password, setting, cd);
#else
	h = crypt(password, setting);
#endif
	if (h != NULL && h[0] != '*' && h[0] != '\0' &&
	    strlcpy(out, h, outlen) < outlen)
		rv = 0;
	if (h != NULL)
		explicit_bzero(h, strlen(h));
#ifdef HAVE_CRYPT_R
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
#endif
	return rv;
}

int
pwcrypt_check(const char *password, const char *hash)
{
	char	 out[PW_HASH_MAX];
	size_t	 len;
	int	 rv = PW_FAIL;

	if (crypt_into(password, hash, out, sizeof(out)) == 0) {
		len = strlen(out);
		if (len == strlen(hash) && CRYPTO_memcmp(out, hash, len) == 0)
			rv = PW_OK;
	}
	explicit_bzero(out, sizeof(out));
	return rv;
}

/*
 * n characters of the crypt alphabet, 6 random bits each.  bcrypt reads
 * its 22 as 128 bits: the last character carries 2 of them, the rest is
 * zero, as crypt(3) writes it.
 */
static int
salt_chars(const char *alphabet, char *out, size_t n, int bcrypt)
{
	unsigned char	 r[32];
	size_t		 i;

	if (n > sizeof(r) || RAND_bytes(r, n) != 1)
		return -1;
	for (i = 0; i < n; i++)
		out[i] = alphabet[r[i] & 0x3f];
	if (bcrypt)
		out[n - 1] = alphabet[r[n - 1] & 0x30];
	out[n] = '\0';
	explicit_bzero(r, sizeof(r));
	return 0;
}

static int
newhash(const char *password, const char *scheme, char *out, size_t outlen)
{
	char	 setting[64];

	if (scheme == NULL || strcmp(scheme, "bcrypt") == 0) {
		strlcpy(setting, "$2b$10$", sizeof(setting));
		if (salt_chars("./ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789", setting + 7, 22,
		    1) == -1)
			return -1;
	} else if (strcmp(scheme, "sha512crypt") == 0) {
		strlcpy(setting, "$6$", sizeof(setting));
		if (salt_chars("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz", setting + 3, 16, 0) == -1)
			return -1;
	} else
		return -1;
	return crypt_into(password, setting, out, outlen);
}

#endif

/*
 * A new crypt string of password in scheme ("bcrypt", the default,
 * "yescrypt", "sha512crypt": pwcrypt_can_make() says which work here),
 * checked round-trip before it is given out.  0, or -1 with out wiped.
 */
int
pwcrypt_newhash(const char *password, const char *scheme, char *out,
    size_t outlen)
{
	if (newhash(password, scheme, out, outlen) == 0 &&
	    pwcrypt_check(password, out) == PW_OK)
		return 0;
	explicit_bzero(out, outlen);
	return -1;
}
