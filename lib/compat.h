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

#ifndef COMPAT_H
#define COMPAT_H

/*
 * What libc lacks on some systems.  The Makefile checks each function
 * (HAVE_STRLCPY, ...); what is missing comes from compat/, one file per
 * function.  On Linux, libbsd's overlay headers provide most of them
 * (the Makefile adds them where the system has no <sys/tree.h>).
 * Include it after every system header: glibc has structure members
 * named __unused.
 */

#include <stdarg.h>
#include <stddef.h>

#ifdef HAVE_SYS_TREE_H
#include <sys/tree.h>
#else
/* libbsd's copy: macros only, nothing to link. */
#include <bsd/sys/tree.h>
#endif

#ifdef HAVE_STRUNVIS
#include <vis.h>
#else
int		 strunvis(char *, const char *);
#endif

#ifdef HAVE_READPASSPHRASE
#include <readpassphrase.h>
#else
#define RPP_ECHO_OFF	0x00
#define RPP_ECHO_ON	0x01
#define RPP_REQUIRE_TTY	0x02
#define RPP_STDIN	0x20
char		*readpassphrase(const char *, char *, size_t, int);
#endif

#ifndef HAVE_ASPRINTF
int		 asprintf(char **, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
#endif
#ifndef HAVE_VASPRINTF
int		 vasprintf(char **, const char *, va_list)
		    __attribute__((__format__ (printf, 2, 0)));
#endif
#ifndef HAVE_EXPLICIT_BZERO
void		 explicit_bzero(void *, size_t);
#endif
#ifndef HAVE_MEMMEM
void		*memmem(const void *, size_t, const void *, size_t);
#endif
#ifndef HAVE_REALLOCARRAY
void		*reallocarray(void *, size_t, size_t);
#endif
#ifndef HAVE_STRLCAT
size_t		 strlcat(char *, const char *, size_t);
#endif
#ifndef HAVE_STRLCPY
size_t		 strlcpy(char *, const char *, size_t);
#endif
#ifndef HAVE_STRSEP
char		*strsep(char **, const char *);
#endif
#ifndef HAVE_STRTONUM
long long	 strtonum(const char *, long long, long long, const char **);
#endif

#ifndef __unused
#define __unused	__attribute__((__unused__))
#endif

#ifndef __dead
#define __dead		__attribute__((__noreturn__))
#endif

#endif
