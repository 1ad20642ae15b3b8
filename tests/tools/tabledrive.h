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

#ifndef TABLEDRIVE_H
#define TABLEDRIVE_H

#include <sys/types.h>

#include <stddef.h>

/* What tabledrive.c and tabledrive_legacy.c share. */

#define RBUF_SIZE	(1 << 20)

extern int		 sock;		/* our end of the table's socket */
extern pid_t		 child;
extern int		 timeout_ms;
extern const char	*tname;
extern char		 rbuf[RBUF_SIZE];
extern size_t		 rlen;

void	sendall(const char *, size_t);
int	fill(int);

/* How bench() sends requests and reads replies. */
struct drive_ops {
	int	(*mkreq)(char *, size_t, const char *, const char *,
		    const char *);
	int	(*reply)(int *);
};
void	bench(const char *, long, int, const struct drive_ops *);

/* tabledrive_legacy.c */
extern const struct drive_ops legacy_ops;
void	legacy_child_stdout(int);
void	legacy_open(int);
int	legacy_command(char *);

#endif
