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
 * hash, verify, owns, plain: the tools that answer an admin's
 * questions with the very code smtpd's plugins run.
 */

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "compat.h"
#include "addr.h"
#include "auth.h"
#include "auth_helper.h"
#include "backend.h"
#include "owner.h"
#include "passwd.h"
#include "pwcrypt.h"

int
cmd_hash(struct env *env, int argc, char **argv)
{
	char		 pw[1024], hash[PW_HASH_MAX];
	const char	*scheme = env->opt['s'];

	if (read_password(pw, sizeof(pw), 1) == -1)
		return -1;
	if (passwd_hash(pw, scheme, hash, sizeof(hash)) == -1) {
		explicit_bzero(pw, sizeof(pw));
		errx_msg("hash: cannot make a %s hash on this system; it "
		    "makes %s (bcrypt by default)",
		    scheme != NULL ? scheme : "bcrypt", pwcrypt_makes());
		return -1;
	}
	explicit_bzero(pw, sizeof(pw));
	printf("%s\n", hash);
	explicit_bzero(hash, sizeof(hash));
	return 0;
}

/* The table's own reader, on the same configuration. */
static struct backend *
reader(struct env *env)
{
	struct backend	*b;
	char		 err[512];

	if ((b = backend_new(env->confpath, err, sizeof(err))) == NULL ||
	    backend_ready(b, err, sizeof(err)) == -1) {
		errx_msg("%s", err);
		backend_free(b);
		return NULL;
	}
	return b;
}

/* Exit 0 when the password read matches, as the auth service says. */
int
cmd_verify(struct env *env, int argc, char **argv)
{
	struct backend	*b;
	char		 key[2048], pw[1024], err[512];
	int		 r, n;

	if (read_password(pw, sizeof(pw), 0) == -1)
		return -1;
	n = snprintf(key, sizeof(key), "%s:%s", argv[0], pw);
	explicit_bzero(pw, sizeof(pw));
	if (n < 0 || (size_t)n >= sizeof(key)) {
		explicit_bzero(key, sizeof(key));
		errx_msg("verify: login and password too long");
		return -1;
	}
	if ((b = reader(env)) == NULL) {
		explicit_bzero(key, sizeof(key));
		return -1;
	}
	r = auth_check(b, key, n, err, sizeof(err));
	explicit_bzero(key, sizeof(key));
	backend_free(b);
	if (r == -1) {
		errx_msg("verify: %s", err);
		return -1;
	}
	printf("%s: password %s\n", argv[0], r == 1 ? "matches" :
	    "does not match (or no such active user)");
	return r == 1 ? 0 : 1;
}

struct via_ctx {
	const char	*login, *entry;
};

static int
via_row(void *arg, int n, const char **v)
{
	struct via_ctx	*c = arg;
	const char	*via = v[0] != NULL ? v[0] : "";

	if (strcmp(via, "user") == 0)
		printf("  the account's own address (users row %s)\n",
		    c->login);
	else if (strcmp(via, "alias") == 0)
		printf("  an alias pointing to it (aliases row %s -> %s)\n",
		    c->entry, c->login);
	else
		printf("  a sender grant (senders row %s %s)\n", c->login,
		    c->entry);
	return 0;
}

/* Why may login send as entry?  The owners rows that say so. */
static void
owns_via(struct env *env, const char *login, const char *entry)
{
	struct via_ctx	 c = { login, entry };
	const char	*args[2] = { login, entry };

	store_rows(env, "SELECT via FROM owners WHERE login = ?1 AND "
	    "address = ?2 ORDER BY via", args, 2, via_row, &c);
}

/*
 * Exit 0 when login may send as address, by the filter's own rules,
 * with the row that grants it; 1 when not, with the filter's reply.
 */
int
cmd_owns(struct env *env, int argc, char **argv)
{
	struct backend	*b;
	struct addr	 a;
	char		 login[MAXADDR], why[512];
	const char	*errstr, *delims = "+";
	enum own	 r;

	if (env->opt['d'] != NULL)
		delims = env->opt['d'];
	strlcpy(login, argv[0], sizeof(login));
	addr_lower(login);
	/* The address as smtpd takes it from MAIL FROM. */
	if (addr_envelope(argv[1], NULL, &a, &errstr) == -1 || a.null) {
		errx_msg("owns: \"%s\": %s", argv[1],
		    a.null ? "the null sender" : errstr);
		return -1;
	}
	if ((b = reader(env)) == NULL)
		return -1;
	r = owner_owns(b, login, &a, delims, why, sizeof(why));
	backend_free(b);
	if (r == OWN_TEMPFAIL) {
		errx_msg("owns: the database cannot answer; the filter "
		    "answers 451 4.3.0 meanwhile");
		return -1;
	}
	if (r == OWN_YES) {
		printf("yes: %s may send as %s, through the entry %s:\n",
		    login, argv[1], why);
		owns_via(env, login, why);
		return 0;
	}
	printf("no: %s may not send as %s; filter-submission answers "
	    "553 5.7.1 <%s@%s>: Sender address rejected: not owned by user "
	    "%s\n", login, argv[1], a.local, a.domain, login);
	return 1;
}

/* The AUTH PLAIN token: base64 of "\0login\0password". */
int
cmd_plain(struct env *env, int argc, char **argv)
{
	unsigned char	 raw[2100], out[2900];
	char		 pw[1024];
	size_t		 ll = strlen(argv[0]), pl;

	if (read_password(pw, sizeof(pw), 0) == -1)
		return -1;
	pl = strlen(pw);
	if (ll + pl + 2 > sizeof(raw)) {
		explicit_bzero(pw, sizeof(pw));
		errx_msg("plain: login and password too long");
		return -1;
	}
	raw[0] = '\0';
	memcpy(raw + 1, argv[0], ll);
	raw[ll + 1] = '\0';
	memcpy(raw + ll + 2, pw, pl);
	explicit_bzero(pw, sizeof(pw));
	EVP_EncodeBlock(out, raw, ll + pl + 2);
	explicit_bzero(raw, sizeof(raw));
	printf("%s\n", out);
	explicit_bzero(out, sizeof(out));
	return 0;
}
