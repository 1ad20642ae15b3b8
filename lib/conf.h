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

/*
 * A key of a configuration file and where its value goes, at off in
 * the structure the callback fills: a string (char *) given once, a
 * number (int) from 0 to max, or yes or no (int).  Numbers and yes or
 * no have a default for each of up to two modes (filter-submission's
 * submission and mx).
 */
struct conf_key {
	const char	*key;
	int		 type;
	size_t		 off;
	int		 max;		/* CONF_NUM */
	int		 dflt[2];	/* CONF_NUM, CONF_BOOL, per mode */
};

#define CONF_STR	0
#define CONF_NUM	1
#define CONF_BOOL	2

int	conf_read(const char *, conf_cb, void *, char *, size_t);
char	*conf_trim(char *);
int	conf_set(const struct conf_key *, size_t, void *, const char *,
	    const char *, char *, size_t);
void	conf_unset(const struct conf_key *, size_t, void *);
void	conf_defaults(const struct conf_key *, size_t, void *, int);
int	conf_setstr(char **, const char *, const char *, char *, size_t);

#endif
