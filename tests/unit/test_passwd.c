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

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "passwd.h"
#include "pwargon2.h"
#include "pwcrypt.h"
#include "unit.h"

/*
 * Fixed vectors, made with other tools: openssl passwd -6/-5/-1, and
 * Dovecot-style digests of "secret".
 */
#define SHA512CRYPT	"$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1"
#define SHA256CRYPT	"$5$saltsalt$0IyaXrmV7.sGNS6tirgqHLqX/G.FBvgkYA.lpPdS5sA"
#define MD5CRYPT	"$1$saltsalt$9xy1btjgzLYfb7hivXtC//"
#define SSHA512		"{SSHA512}E491yrR9AdCoE7rbOPYS3EZgSuZpVE65AD9xko08s6floNesY/Zpe9zMVvLix4S2FiQSJ99RIkNvhHomNO9uL3NhbHQ="
#define SHA512		"{SHA512}vSsar3708Jvp9Szi2NWZZ02Bqp1qRCFpbcTZPdBhnWgs5WtNZKnvCXdhztmeD2cmW192CF5bDufKRpayrW/isg=="
#define SHA256		"{SHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols="
/* The example of the reference implementation's README ("password"). */
#define ARGON2I_REF	"$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"
/* "Secret-Pass", made with the argon2 command (Debian's argon2). */
#define ARGON2I		"$argon2i$v=19$m=4096,t=2,p=2$ZTJlc2FsdHNhbHQ$xxeK+cJqUpob5VPqi4qDxDt1T46O58k8Ip/Gd/rpDUQ"
#define ARGON2ID	"$argon2id$v=19$m=4096,t=2,p=2$ZTJlc2FsdHNhbHQ$DAnE3h8sICZ8t9wxumyYxV59sCaODIH81me8snkZTYE"

/*
 * Hostile PHC strings: each is refused as unsupported at once, before
 * libargon2 runs it (a time cost of 2^32-1 ran for hours, a parallelism
 * of 131072 started threads until it failed).  The alarm turns a hang
 * into a failure of this program.
 */
#define A2SALT	"$ZTJlc2FsdHNhbHQ$DAnE3h8sICZ8t9wxumyYxV59sCaODIH81me8snkZTYE"

static void
hung(int sig)
{
	char	 buf[128];
	int	 n;

	n = snprintf(buf, sizeof(buf), "FAIL - an Argon2 check ran for 60 "
	    "seconds\n%d passed, %d failed\n", unit_pass, unit_fail + 1);
	write(STDOUT_FILENO, buf, n);
	_exit(1);
}

static void
hostile_argon2(void)
{
	static const struct {
		const char	*phc, *name;
	} h[] = {
		{ "$argon2id$v=19$m=8,t=4294967295,p=1" A2SALT,
		    "a time cost of 2^32-1" },
		{ "$argon2id$v=19$m=4096,t=2000,p=1" A2SALT,
		    "a time cost that makes the work above 4 GiB passes" },
		{ "$argon2id$v=19$m=1048576,t=5,p=1" A2SALT,
		    "1 GiB for 5 passes" },
		{ "$argon2id$v=19$m=1048576,t=1,p=131072" A2SALT,
		    "a parallelism of 131072 threads" },
		{ "$argon2id$v=19$m=1024,t=1,p=17" A2SALT,
		    "a parallelism above 16" },
		{ "$argon2id$v=19$m=8,t=0,p=1" A2SALT, "a time cost of 0" },
		{ "$argon2id$v=19$m=8,t=1,p=0" A2SALT, "a parallelism of 0" },
		{ "$argon2id$v=19$m=18446744073709551617,t=1,p=1" A2SALT,
		    "a memory cost beyond 64 bits" },
		{ "$argon2id$v=19$m=4096,t=1" A2SALT, "no parallelism" },
		{ "$argon2id$v=19$t=1,m=4096,p=1" A2SALT,
		    "the parameters out of order" },
		{ "$argon2id$v=19$m=4096,t=1,p=1,m=4194304" A2SALT,
		    "a parameter given twice" },
		{ "$argon2id$v=19$x$m=4096,t=1,p=1" A2SALT,
		    "a field before the parameters" },
		{ "$argon2id$v=19$m=-4096,t=1,p=1" A2SALT,
		    "a negative memory cost" },
		{ "$argon2id$v=19$m=+4096,t=1,p=1" A2SALT,
		    "a signed memory cost" },
		{ "$argon2id$v=19$m=4096,t=1,p=1", "no salt nor hash" },
		{ "$argon2id$v=19$m=4096,t=1,p=1$$", "an empty salt and hash" },
		{ "$argon2id$", "nothing after the type" },
		{ "$argon2id$v=19$m=4096,t=1,p=1$Z*Z$DAnE", "bad base64" },
	};
	char	 long_phc[4096], a2000[2001];
	size_t	 i;

	signal(SIGALRM, hung);
	alarm(60);
	for (i = 0; i < sizeof(h) / sizeof(h[0]); i++)
		check(passwd_verify("x", h[i].phc) == PW_UNSUPPORTED,
		    h[i].name);
	/* A salt and a hash of 2000 characters each: no crash, no yes. */
	memset(a2000, 'A', sizeof(a2000) - 1);
	a2000[sizeof(a2000) - 1] = '\0';
	snprintf(long_phc, sizeof(long_phc), "$argon2id$v=19$m=64,t=1,p=1$"
	    "%s$%s", a2000, a2000);
	check(passwd_verify("x", long_phc) != PW_OK,
	    "a salt and a hash of 2000 characters: no crash, never a match");
	check(passwd_verify("x", "$argon2i$m=64,t=1,p=1$c29tZXNhbHQ$"
	    "RdescudvJCsgt3ub+b+dWRWJTmaaJObG") == PW_FAIL,
	    "a string without v= (version 16) is still read");
	alarm(0);
}

int
main(void)
{
	char	 h[PW_HASH_MAX + 16], bf[PW_HASH_MAX];
	const char *c;

	check(passwd_verify("secret", SHA512CRYPT) == PW_OK,
	    "sha512crypt verifies");
	check(passwd_verify("Secret", SHA512CRYPT) == PW_FAIL,
	    "sha512crypt refuses another password");
	check(passwd_verify("secret", SHA256CRYPT) == PW_OK,
	    "sha256crypt verifies");
	check(passwd_verify("secret", MD5CRYPT) == PW_OK,
	    "md5crypt verifies");
	check(passwd_verify("secret", "{SHA512-CRYPT}" SHA512CRYPT) == PW_OK,
	    "{SHA512-CRYPT} prefix verifies");
	check(passwd_verify("secret", SSHA512) == PW_OK, "{SSHA512} verifies");
	check(passwd_verify("secreT", SSHA512) == PW_FAIL,
	    "{SSHA512} refuses another password");
	check(passwd_verify("secret", SHA512) == PW_OK, "{SHA512} verifies");
	check(passwd_verify("secret", SHA256) == PW_OK, "{SHA256} verifies");
	check(passwd_verify("secret", "{PLAIN}secret") == PW_OK,
	    "{PLAIN} verifies");
	check(passwd_verify("secre", "{PLAIN}secret") == PW_FAIL,
	    "{PLAIN} refuses a prefix of the password");
	check(passwd_verify("", "") == PW_FAIL &&
	    passwd_verify("x", "") == PW_FAIL,
	    "an empty hash never matches");
	check(passwd_verify("", "{PLAIN}") == PW_FAIL,
	    "an empty {PLAIN} never matches");
	check(passwd_verify("secret", "{NTLM}abc") == PW_UNSUPPORTED,
	    "unknown scheme reported unsupported");
	check(passwd_verify("secret", "{SSHA512}!!notbase64") == PW_UNSUPPORTED,
	    "broken base64 reported unsupported");

	c = passwd_crypt_part("{SHA512-CRYPT}" SHA512CRYPT);
	check(c != NULL && strcmp(c, SHA512CRYPT) == 0,
	    "{SHA512-CRYPT} prefix stripped for smtpd");
	check(passwd_crypt_part("{SHA512-CRYPT}" SHA256CRYPT) == NULL,
	    "{SHA512-CRYPT} with a $5$ value is refused");
	check(passwd_crypt_part(SSHA512) == NULL,
	    "{SSHA512} is not a crypt string");
	check(passwd_crypt_part("") == NULL && passwd_crypt_part(NULL) == NULL,
	    "no crypt part in an empty hash");
	check(passwd_crypt_part("$6$") == NULL, "a bare prefix is no hash");
	check(passwd_crypt_part(MD5CRYPT) != NULL, "md5crypt passed on");

	check(passwd_hash("secret", NULL, bf, sizeof(bf)) == 0 &&
	    strncmp(bf, "$2b$", 4) == 0 && passwd_verify("secret", bf) == PW_OK,
	    "default hash is bcrypt and round-trips");
	snprintf(h, sizeof(h), "{BLF-CRYPT}%s", bf);
	c = passwd_crypt_part(h);
	check(c != NULL && strcmp(c, bf) == 0 &&
	    passwd_verify("secret", h) == PW_OK,
	    "{BLF-CRYPT} prefix stripped and verified");
	/* yescrypt: where libxcrypt makes it; elsewhere refused. */
	if (pwcrypt_can_make("yescrypt"))
		check(passwd_hash("secret", "yescrypt", h, sizeof(h)) == 0 &&
		    strncmp(h, "$y$", 3) == 0 &&
		    passwd_verify("secret", h) == PW_OK &&
		    passwd_verify("Secret", h) == PW_FAIL,
		    "yescrypt round-trips");
	else
		check(passwd_hash("secret", "yescrypt", h, sizeof(h)) == -1,
		    "yescrypt refused where it is not made");
	check(passwd_hash("secret", "sha512crypt", h, sizeof(h)) == 0 &&
	    strncmp(h, "$6$", 3) == 0, "sha512crypt made on request");
	check(passwd_hash("secret", "des", h, sizeof(h)) == -1,
	    "unknown scheme refused");

	{
		char		 s1[PW_SCHEME_MAX], s2[PW_SCHEME_MAX], tiny[4];
		const char	*a, *b;

		a = passwd_scheme("{SSHA512}abcd", s1, sizeof(s1));
		b = passwd_scheme(bf, s2, sizeof(s2));
		check(strcmp(a, "{SSHA512}") == 0 && strcmp(b, "$2b$") == 0,
		    "two schemes named at once, each in its own buffer");
		check(strcmp(passwd_scheme("{SSHA512}x", tiny, sizeof(tiny)),
		    "unknown") == 0,
		    "a scheme longer than the buffer: unknown");
		check(strcmp(passwd_scheme("", s1, sizeof(s1)), "empty") == 0 &&
		    strcmp(passwd_scheme("{NOEND", s1, sizeof(s1)),
		    "unknown") == 0 &&
		    strcmp(passwd_scheme("plain", s1, sizeof(s1)),
		    "unknown") == 0, "empty and unknown hashes named so");
	}
	check(passwd_verify("Secret-Pass", "{ARGON2ID}" ARGON2ID) ==
	    PW_UNSUPPORTED && !passwd_argon2(),
	    "Argon2 unsupported until a program enables it");
	if (pwargon2_enable()) {
		check(passwd_verify("password", ARGON2I_REF) == PW_OK,
		    "argon2i: the reference implementation's example");
		check(passwd_verify("Secret-Pass", "{ARGON2I}" ARGON2I) ==
		    PW_OK, "{ARGON2I} verifies, case kept");
		check(passwd_verify("secret-pass", "{ARGON2I}" ARGON2I) ==
		    PW_FAIL, "{ARGON2I}: the password lower-cased fails");
		check(passwd_verify("Secret-Pass", "{ARGON2ID}" ARGON2ID) ==
		    PW_OK, "{ARGON2ID} verifies");
		check(passwd_verify("Secret-Pasz", "{ARGON2ID}" ARGON2ID) ==
		    PW_FAIL, "{ARGON2ID}: a wrong password fails");
		check(passwd_verify("Secret-Pass", ARGON2ID) == PW_OK,
		    "a bare PHC string too");
		check(passwd_verify("Secret-Pass", "{ARGON2I}" ARGON2ID) ==
		    PW_UNSUPPORTED, "{ARGON2I} holding an argon2id string: "
		    "unsupported, not a wrong password");
		check(passwd_verify("x", "{ARGON2ID}$argon2id$v=19$"
		    "m=4194304,t=1,p=1$ZTJlc2FsdHNhbHQ$DAnE3h8sICZ8t9wxumyYxV59s"
		    "CaODIH81me8snkZTYE") == PW_UNSUPPORTED,
		    "a memory cost above 1 GiB is not run");
		check(passwd_verify("Secret-Pass", "{ARGON2ID}$argon2id$v=19$"
		    "m=4096,t=2,p=2$!!$DAnE") == PW_UNSUPPORTED,
		    "a broken string is unsupported");
		hostile_argon2();
	} else
		check(passwd_verify("Secret-Pass", "{ARGON2ID}" ARGON2ID) ==
		    PW_UNSUPPORTED, "built without libargon2: {ARGON2ID} "
		    "unsupported");
	return unit_done();
}
