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


#ifndef START_H
#define START_H

/*
 * The start of the programs smtpd runs, table-sqlite and
 * filter-submission: the options they share, where they log, the
 * check of -n, and what is opened before the sandbox closes.
 */

struct start {
	int	 check;		/* -n: check the configuration, and exit */
	int	 debug;		/* -d: log to stderr */
	int	 verbose;	/* -v: once more for each */
};

struct backend;

int	 start_option(struct start *, int);
void	 start_log(const char *, const struct start *, int);
void	 start_check(struct backend *, const char *const *);
void	 start_keep(struct backend *);

#endif
