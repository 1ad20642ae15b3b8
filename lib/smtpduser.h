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

#ifndef SMTPDUSER_H
#define SMTPDUSER_H

#include <sys/types.h>

#include <stddef.h>

/* The user smtpd runs its tables and filters as, on this system. */
struct smtpd_user {
	char	 name[32];
	char	 group[64];
	uid_t	 uid;
	gid_t	 gid;
};

int		 smtpd_user_find(struct smtpd_user *);
int		 smtpd_user_reads(const struct smtpd_user *, const char *,
		    char *, size_t);
struct sqlconf;
int		 smtpd_user_check(const char *const *, const struct sqlconf *,
		    char *, size_t);
const char	*self_user(char *, size_t);

#endif
