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
 * The functions compat/ can replace, as the kit relies on them: the
 * system's (or libbsd's) in the ordinary build, compat/'s in the build
 * of make FORCE_COMPAT=yes (make portable): both must pass.
 */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "unit.h"

#if defined(__SANITIZE_ADDRESS__)
#define ASAN_BUILD
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN_BUILD
#endif
#endif

#ifdef ASAN_BUILD
/* ASan stops at an overflowing reallocarray: the test wants its NULL. */
const char	*__asan_default_options(void);

const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
#endif

#ifdef HAVE_STRLCPY
#define FROM	"the system's"
#else
#define FROM	"compat/"
#endif

/* Does vasprintf, handed the arguments as a va_list, make want? */
static int
vformats(const char *want, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;
	int	 n, ok;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n == -1)
		return 0;
	ok = (size_t)n == strlen(want) && strcmp(p, want) == 0;
	free(p);
	return ok;
}

int
main(void)
{
	char		 b[8], big[64], *p, *s, *tok;
	const char	*why;
	long long	 n;
	void		*v;
	int		 r;
	volatile size_t	 huge = SIZE_MAX / 2;

	printf("# functions: " FROM "\n");
	check(strlcpy(b, "abc", sizeof(b)) == 3 && strcmp(b, "abc") == 0,
	    "strlcpy copies a short string");
	check(strlcpy(b, "abcdefghij", sizeof(b)) == 10 &&
	    strcmp(b, "abcdefg") == 0, "strlcpy truncates, ends it, tells");
	b[0] = 'x';
	check(strlcpy(b, "abc", 0) == 3 && b[0] == 'x',
	    "strlcpy into no room writes nothing");
	strlcpy(b, "ab", sizeof(b));
	check(strlcat(b, "cd", sizeof(b)) == 4 && strcmp(b, "abcd") == 0,
	    "strlcat appends");
	check(strlcat(b, "efghij", sizeof(b)) == 10 &&
	    strcmp(b, "abcdefg") == 0, "strlcat truncates, ends it, tells");
	memcpy(b, "12345678", 8);
	check(strlcat(b, "x", sizeof(b)) == 9,
	    "strlcat on an unended buffer: size plus length");

	check(strtonum("42", 0, 100, &why) == 42 && why == NULL,
	    "strtonum in range");
	check(strtonum("-5", -10, 10, &why) == -5 && why == NULL,
	    "strtonum negative");
	check(strtonum("101", 0, 100, &why) == 0 && why != NULL &&
	    strcmp(why, "too large") == 0, "strtonum too large");
	check(strtonum("-1", 0, 100, &why) == 0 && why != NULL &&
	    strcmp(why, "too small") == 0, "strtonum too small");
	check(strtonum("12x", 0, 100, &why) == 0 && why != NULL &&
	    strcmp(why, "invalid") == 0, "strtonum trailing junk invalid");
	check(strtonum("", 0, 100, &why) == 0 && why != NULL,
	    "strtonum empty invalid");
	check(strtonum("1", 5, 1, &why) == 0 && why != NULL,
	    "strtonum min above max refused");
	n = strtonum("99999999999999999999", 0, LLONG_MAX, &why);
	check(n == 0 && why != NULL && strcmp(why, "too large") == 0,
	    "strtonum overflow too large");

	v = reallocarray(NULL, 4, 8);
	check(v != NULL, "reallocarray allocates");
	free(v);
	errno = 0;
	check(reallocarray(NULL, huge, 3) == NULL && errno == ENOMEM,
	    "reallocarray refuses an overflowing size");

	memset(big, 'A', sizeof(big));
	explicit_bzero(big, 10);
	check(big[0] == 0 && big[9] == 0 && big[10] == 'A',
	    "explicit_bzero wipes what it is told, no more");

	check(asprintf(&p, "%s-%d", "a", 7) == 3 && strcmp(p, "a-7") == 0,
	    "asprintf formats into a new string");
	free(p);
	check(vformats("00042", "%05d", 42),
	    "vasprintf formats into a new string");

	strlcpy(big, "abcabd", sizeof(big));
	check(memmem(big, 6, "abd", 3) == big + 3,
	    "memmem finds after a false start");
	strlcpy(big, "x=?y", sizeof(big));
	s = big;
	check(memmem(s, 4, "=?", 2) == s + 1, "memmem finds the place");
	check(memmem(s, 1, "=?", 2) == NULL, "memmem stays within length");
	check(memmem("ab\0cd", 5, "cd", 2) != NULL,
	    "memmem looks past a NUL byte");
	check(memmem(s, 4, "zz", 2) == NULL, "memmem: not there");

	strlcpy(big, "a,b,,c", sizeof(big));
	s = big;
	tok = strsep(&s, ",");
	check(tok == big && strcmp(tok, "a") == 0 && s == big + 2,
	    "strsep cuts the first token");
	strsep(&s, ",");
	tok = strsep(&s, ",");
	check(tok != NULL && tok[0] == '\0', "strsep: an empty token");
	tok = strsep(&s, ",");
	check(tok != NULL && strcmp(tok, "c") == 0 && s == NULL,
	    "strsep: the last token, then NULL");
	check(strsep(&s, ",") == NULL, "strsep past the end");

	check(strunvis(big, "plain@example.com") == 17 &&
	    strcmp(big, "plain@example.com") == 0, "strunvis: plain text");
	check(strunvis(big, "a\\040b\\\\c") == 5 &&
	    strcmp(big, "a b\\c") == 0, "strunvis: octal and backslash");
	check(strunvis(big, "a\\^Jb") == 3 && strcmp(big, "a\nb") == 0,
	    "strunvis: control");
	check(strunvis(big, "\\M-a\\M^A") == 2 &&
	    (unsigned char)big[0] == 0341 && (unsigned char)big[1] == 0201,
	    "strunvis: meta");
	check(strunvis(big, "a\\sb\\tc") == 5 && strcmp(big, "a b\tc") == 0,
	    "strunvis: C style");
	check(strunvis(big, "a\\x0ab") == 3 && strcmp(big, "a\nb") == 0,
	    "strunvis: hexadecimal");
	/* What report.c relies on: refused, or never longer than it was. */
	r = strunvis(big, "bad\\");
	check(r == -1 || (r >= 0 && r < 4), "strunvis: a lone backslash");
	r = strunvis(big, "\\M");
	check(r == -1 || (r >= 0 && r < 2), "strunvis: a cut meta escape");

	return unit_done();
}
