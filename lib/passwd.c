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
 * Password hashes: the crypt(3) formats smtpd can check itself, the
 * Dovecot "{SCHEME}" prefixes PostfixAdmin databases carry, and the
 * non-crypt Dovecot schemes that only our own check understands.
 * Every buffer that held a password or a derived key is wiped.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "compat.h"
#include "passwd.h"
#include "pwcrypt.h"

/* crypt(3) prefixes we accept, strongest first. */
static const char *crypt_prefixes[] = {
	"$2b$", "$2a$", "$2y$", "$y$", "$gy$", "$7$", "$6$", "$5$", "$1$",
	NULL
};

/* Dovecot schemes whose value is a crypt string, and what it must be. */
static const struct {
	const char	*scheme;
	const char	*prefix[4];
} crypt_schemes[] = {
	{ "{BLF-CRYPT}",	{ "$2b$", "$2a$", "$2y$", NULL } },
	{ "{SHA512-CRYPT}",	{ "$6$", NULL } },
	{ "{SHA256-CRYPT}",	{ "$5$", NULL } },
	{ "{MD5-CRYPT}",	{ "$1$", NULL } },
	{ "{CRYPT}",		{ "$2b$", "$2a$", "$2y$", "$y$" } },
};

enum digest { D_SHA1, D_SHA256, D_SHA512 };

static const struct {
	const char	*scheme;
	enum digest	 digest;
	int		 salted;
} digest_schemes[] = {
	{ "{SSHA512}",	D_SHA512, 1 },
	{ "{SHA512}",	D_SHA512, 0 },
	{ "{SSHA256}",	D_SHA256, 1 },
	{ "{SHA256}",	D_SHA256, 0 },
	{ "{SSHA}",	D_SHA1, 1 },
	{ "{SHA}",	D_SHA1, 0 },
	{ "{SHA1}",	D_SHA1, 0 },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static int
has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static int
is_crypt(const char *s)
{
	size_t	 i;

	for (i = 0; crypt_prefixes[i] != NULL; i++)
		if (has_prefix(s, crypt_prefixes[i]) &&
		    strlen(s) > strlen(crypt_prefixes[i]) + 8)
			return 1;
	return 0;
}

/*
 * The crypt(3) string inside a stored hash: the hash itself, or what
 * follows a Dovecot prefix whose value is a crypt string of its kind.
 * NULL when smtpd could not check it with crypt(3).
 */
const char *
passwd_crypt_part(const char *stored)
{
	const char	*rest;
	size_t		 i, j;

	if (stored == NULL || stored[0] == '\0')
		return NULL;
	if (stored[0] != '{')
		return is_crypt(stored) ? stored : NULL;
	for (i = 0; i < NELEM(crypt_schemes); i++) {
		if (!has_prefix(stored, crypt_schemes[i].scheme))
			continue;
		rest = stored + strlen(crypt_schemes[i].scheme);
		for (j = 0; j < 4 && crypt_schemes[i].prefix[j] != NULL; j++)
			if (has_prefix(rest, crypt_schemes[i].prefix[j]) &&
			    is_crypt(rest))
				return rest;
		return NULL;
	}
	return NULL;
}

/*
 * The scheme of a stored hash, for messages: "{SSHA512}", "$2b$", ...,
 * in buf (PW_SCHEME_MAX bytes will do), or a constant string.
 */
const char *
passwd_scheme(const char *stored, char *buf, size_t len)
{
	size_t	 n;

	if (stored == NULL || stored[0] == '\0')
		return "empty";
	if (stored[0] == '{' || stored[0] == '$') {
		n = strcspn(stored + 1, stored[0] == '{' ? "}" : "$");
		if (n + 2 < len && stored[n + 1] != '\0') {
			memcpy(buf, stored, n + 2);
			buf[n + 2] = '\0';
			return buf;
		}
	}
	return "unknown";
}

/*
 * A crypt string, checked by this system's crypt(3): one of a kind it
 * cannot check (OpenBSD: all but bcrypt) is unsupported, not wrong.
 */
static int
verify_crypt(const char *password, const char *hash)
{
	if (!pwcrypt_can_check(hash))
		return PW_UNSUPPORTED;
	return pwcrypt_check(password, hash);
}

/* Compare through a digest, so that the time does not tell the length. */
static int
verify_plain(const char *password, const char *plain)
{
	unsigned char	 a[SHA256_DIGEST_LENGTH], b[SHA256_DIGEST_LENGTH];
	int		 rv;

	SHA256((const unsigned char *)password, strlen(password), a);
	SHA256((const unsigned char *)plain, strlen(plain), b);
	rv = CRYPTO_memcmp(a, b, sizeof(a)) == 0 ? PW_OK : PW_FAIL;
	explicit_bzero(a, sizeof(a));
	explicit_bzero(b, sizeof(b));
	return rv;
}

static int
verify_digest(const char *password, const char *b64, enum digest d,
    int salted)
{
	unsigned char	 raw[512], out[EVP_MAX_MD_SIZE];
	const EVP_MD	*md;
	EVP_MD_CTX	*ctx;
	size_t		 b64len, dlen;
	unsigned int	 olen;
	int		 n, pad = 0, rv = PW_FAIL;

	switch (d) {
	case D_SHA1:
		md = EVP_sha1();
		break;
	case D_SHA256:
		md = EVP_sha256();
		break;
	default:
		md = EVP_sha512();
		break;
	}
	dlen = EVP_MD_size(md);
	b64len = strlen(b64);
	if (b64len == 0 || b64len % 4 != 0 || b64len / 4 * 3 > sizeof(raw))
		return PW_UNSUPPORTED;
	if ((n = EVP_DecodeBlock(raw, (const unsigned char *)b64,
	    b64len)) < 0)
		return PW_UNSUPPORTED;
	if (b64[b64len - 1] == '=')
		pad++;
	if (b64[b64len - 2] == '=')
		pad++;
	n -= pad;
	if ((size_t)n < dlen || (!salted && (size_t)n != dlen))
		return PW_UNSUPPORTED;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return PW_FAIL;
	if (EVP_DigestInit_ex(ctx, md, NULL) == 1 &&
	    EVP_DigestUpdate(ctx, password, strlen(password)) == 1 &&
	    EVP_DigestUpdate(ctx, raw + dlen, n - dlen) == 1 &&
	    EVP_DigestFinal_ex(ctx, out, &olen) == 1 && olen == dlen &&
	    CRYPTO_memcmp(out, raw, dlen) == 0)
		rv = PW_OK;
	EVP_MD_CTX_free(ctx);
	explicit_bzero(out, sizeof(out));
	explicit_bzero(raw, sizeof(raw));
	return rv;
}

/*
 * Dovecot's {ARGON2I} and {ARGON2ID}, and the PHC strings they hold:
 * "$argon2id$v=19$m=65536,t=3,p=1$salt$hash".  libargon2 checks them,
 * in the programs that call pwargon2_enable() (table-sqlite: the others
 * do not link libargon2); elsewhere they are unsupported.  The check
 * runs in the table process, and smtpd waits for it: costs beyond
 * these are refused as unsupported before libargon2 sees them.  The
 * work, memory times passes, stays within libsodium's "sensitive"
 * presets (1 GiB for 4 passes, 512 MiB for 8); libargon2 runs one
 * thread per lane.
 */
#define ARGON2_MEM_MAX	(1024 * 1024)		/* KiB */
#define ARGON2_WORK_MAX	(4LL * 1024 * 1024)	/* KiB times passes */
#define ARGON2_LANES_MAX 16

static int	(*argon2_check)(const char *, const char *, int);

void
passwd_set_argon2(int (*fn)(const char *, const char *, int))
{
	argon2_check = fn;
}

/* Can passwd_verify() check Argon2 hashes here? */
int
passwd_argon2(void)
{
	return argon2_check != NULL;
}

/* Is stored an Argon2 hash, {ARGON2I}, {ARGON2ID} or a bare PHC string? */
int
passwd_is_argon2(const char *stored)
{
	return has_prefix(stored, "{ARGON2I") || has_prefix(stored, "$argon2");
}

/*
 * The decimal number at *p, from 1 to max, ended by end: *p moves past
 * end.  Returns the number, or -1.
 */
static long long
phc_number(const char **p, const char *name, char end, long long max)
{
	const char	*errstr;
	char		 num[16];
	size_t		 n, k = strlen(name);
	long long	 v;

	if (strncmp(*p, name, k) != 0)
		return -1;
	*p += k;
	if ((n = strspn(*p, "0123456789")) == 0 || n >= sizeof(num) ||
	    (*p)[n] != end)
		return -1;
	memcpy(num, *p, n);
	num[n] = '\0';
	v = strtonum(num, 1, max, &errstr);
	if (errstr != NULL)
		return -1;
	*p += n + 1;
	return v;
}

static int
verify_argon2(const char *password, const char *phc, int id)
{
	const char	*p;
	long long	 m, t, lanes;

	if (argon2_check == NULL ||
	    !has_prefix(phc, id ? "$argon2id$" : "$argon2i$"))
		return PW_UNSUPPORTED;
	/* The version, if any, then "m=...,t=...,p=...$", in that order. */
	p = phc + (id ? 10 : 9);
	if (has_prefix(p, "v=") && phc_number(&p, "v=", '$', 255) == -1)
		return PW_UNSUPPORTED;
	if ((m = phc_number(&p, "m=", ',', ARGON2_MEM_MAX)) == -1 ||
	    (t = phc_number(&p, "t=", ',', ARGON2_WORK_MAX)) == -1 ||
	    (lanes = phc_number(&p, "p=", '$', ARGON2_LANES_MAX)) == -1 ||
	    m * t > ARGON2_WORK_MAX || *p == '\0')
		return PW_UNSUPPORTED;
	return argon2_check(password, phc, id);
}

/*
 * Check password against a stored hash of any supported kind.
 * Returns PW_OK, PW_FAIL or PW_UNSUPPORTED.  An empty hash never matches.
 */
int
passwd_verify(const char *password, const char *stored)
{
	const char	*c;
	size_t		 i;

	if (stored == NULL || stored[0] == '\0' || password == NULL)
		return PW_FAIL;
	if ((c = passwd_crypt_part(stored)) != NULL)
		return verify_crypt(password, c);
	if (has_prefix(stored, "{PLAIN}") || has_prefix(stored, "{CLEAR}") ||
	    has_prefix(stored, "{CLEARTEXT}")) {
		c = strchr(stored, '}') + 1;
		if (*c == '\0')
			return PW_FAIL;
		return verify_plain(password, c);
	}
	if (has_prefix(stored, "{ARGON2ID}"))
		return verify_argon2(password, stored + 10, 1);
	if (has_prefix(stored, "{ARGON2I}"))
		return verify_argon2(password, stored + 9, 0);
	if (has_prefix(stored, "$argon2id$"))
		return verify_argon2(password, stored, 1);
	if (has_prefix(stored, "$argon2i$"))
		return verify_argon2(password, stored, 0);
	for (i = 0; i < NELEM(digest_schemes); i++)
		if (has_prefix(stored, digest_schemes[i].scheme))
			return verify_digest(password,
			    stored + strlen(digest_schemes[i].scheme),
			    digest_schemes[i].digest, digest_schemes[i].salted);
	return PW_UNSUPPORTED;
}

/*
 * Hash password with scheme "bcrypt" (the default: every smtpd can check
 * it), "yescrypt" or "sha512crypt" where this system's crypt(3) makes
 * them (pwcrypt_can_make()), checked round-trip.
 */
int
passwd_hash(const char *password, const char *scheme, char *out,
    size_t outlen)
{
	return pwcrypt_newhash(password, scheme, out, outlen);
}
