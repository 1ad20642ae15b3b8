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
 * Which crypt(3) strings this system checks and which it makes.  On
 * OpenBSD a table says it (a test build may name that branch, see
 * pwcrypt.h); elsewhere each kind is tried once on a fixed vector of
 * the password "secret", made with libxcrypt at the lowest cost each
 * kind allows (all of them in about 6 ms, and a table tries them at
 * start): libxcrypt may be built without some kinds, and other
 * systems' crypt(3) differ.
 */

#include <string.h>

#include "compat.h"
#include "passwd.h"
#include "pwcrypt.h"

struct kind {
	const char	*prefix;
	const char	*vector;	/* crypt("secret", its salt) */
};

static const struct kind kinds[] = {
	{ "$2b$",
	    "$2b$04$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW" },
	{ "$2a$",
	    "$2a$04$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW" },
	{ "$2y$",
	    "$2y$04$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW" },
	{ "$y$",
	    "$y$j75$fhqOfhqOfhqOfhqOfhqOf/$gnwkr6S20cHzZQHK7GYlupX2O62Y5hMOi7s"
	    "xvltfn4A" },
	{ "$gy$",
	    "$gy$j75$fhqOfhqOfhqOfhqOfhqOf/$naWp/x.iT.REHbFiI17O.ii65RKxKKtip"
	    "iP.tgE8vK/" },
	{ "$7$",
	    "$7$0/..../....saltsaltsalt$GFNBpiNnTMg2sYPRHr3itEiCobPkiHZrDzx.R9"
	    "EfA/0" },
	{ "$6$",
	    "$6$rounds=1000$fhqOfhqOfhqOfhqO$dEjN05tWgxzKs23jwC1pQ.dUg2yUDC46C9"
	    "fPuGkXL1cKm8R9xCBeSckzU4Wd7H1uMvo8/5vRyks.qMi.QF8M11" },
	{ "$5$",
	    "$5$rounds=1000$fhqOfhqOfhqOfhqO$QEzoL3TwUU/0Kquz0SjFI00Q5v6UA8OuNe"
	    "7fexlDyM0" },
	{ "$1$", "$1$saltsalt$9xy1btjgzLYfb7hivXtC//" },
};

#define NKINDS		(sizeof(kinds) / sizeof(kinds[0]))
#define K_BCRYPT	0	/* the places in kinds[] of what we make */
#define K_YESCRYPT	3
#define K_SHA512CRYPT	6

#if defined(PWCRYPT_OPENBSD)

/* OpenBSD's bcrypt knows the minor versions a and b, not y. */
static int
checks_kind(size_t i)
{
	return strcmp(kinds[i].prefix, "$2a$") == 0 ||
	    strcmp(kinds[i].prefix, "$2b$") == 0;
}

const char *
pwcrypt_system(void)
{
	return "OpenBSD crypt_checkpass(3)";
}

int
pwcrypt_can_make(const char *scheme)
{
	return scheme == NULL || strcmp(scheme, "bcrypt") == 0;
}

#else

/* Each kind tried once on its vector: what this crypt(3) really does. */
static int	 tried[NKINDS], works[NKINDS];

static int
checks_kind(size_t i)
{
	if (!tried[i]) {
		works[i] = pwcrypt_check("secret", kinds[i].vector) == PW_OK;
		tried[i] = 1;
	}
	return works[i];
}

const char *
pwcrypt_system(void)
{
#ifdef PWCRYPT_XCRYPT
	return "libxcrypt";
#else
	return "crypt(3)";
#endif
}

int
pwcrypt_can_make(const char *scheme)
{
	if (scheme == NULL || strcmp(scheme, "bcrypt") == 0)
		return checks_kind(K_BCRYPT);
	if (strcmp(scheme, "sha512crypt") == 0)
		return checks_kind(K_SHA512CRYPT);
#ifdef PWCRYPT_XCRYPT
	/* Salts of other kinds are made by crypt_gensalt_rn(3) only. */
	if (strcmp(scheme, "yescrypt") == 0)
		return checks_kind(K_YESCRYPT);
#endif
	return 0;
}

#endif

/*
 * Whether this system's crypt(3) checks a crypt string of this kind
 * (passwd_crypt_part() says whether it is one at all).
 */
int
pwcrypt_can_check(const char *hash)
{
	size_t	 i;

	if (hash == NULL)
		return 0;
	for (i = 0; i < NKINDS; i++)
		if (strncmp(hash, kinds[i].prefix,
		    strlen(kinds[i].prefix)) == 0)
			return checks_kind(i);
	return 0;
}

/* The kinds it checks, for messages: "$2b$ $2a$", or "none". */
const char *
pwcrypt_checks(void)
{
	static char	 list[64];
	size_t		 i;

	list[0] = '\0';
	for (i = 0; i < NKINDS; i++) {
		if (!checks_kind(i))
			continue;
		if (list[0] != '\0')
			strlcat(list, " ", sizeof(list));
		strlcat(list, kinds[i].prefix, sizeof(list));
	}
	return list[0] != '\0' ? list : "none";
}

/* The schemes it makes, for messages: "bcrypt, yescrypt, sha512crypt". */
const char *
pwcrypt_makes(void)
{
	static char	 list[64];
	const char	*schemes[] = { "bcrypt", "yescrypt", "sha512crypt" };
	size_t		 i;

	list[0] = '\0';
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		if (!pwcrypt_can_make(schemes[i]))
			continue;
		if (list[0] != '\0')
			strlcat(list, ", ", sizeof(list));
		strlcat(list, schemes[i], sizeof(list));
	}
	return list[0] != '\0' ? list : "none";
}
