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

#ifndef CONF_H
#define CONF_H

#include <stddef.h>

/*
 * The "key value" configuration files of the kit.  The callback gets each
 * key and value; it returns -1 with a message in err to stop the read.
 */
typedef int (*conf_cb)(void *, const char *, const char *, char *, size_t);

int	conf_read(const char *, conf_cb, void *, char *, size_t);
char	*conf_trim(char *);
int	conf_setbool(int *, const char *, const char *, char *, size_t);
int	conf_setnum(long long *, const char *, const char *, long long,
	    long long, char *, size_t);
int	conf_setstr(char **, const char *, const char *, char *, size_t);

#endif
