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
 * What smtpd does to a From: header after the filters have passed it.
 *
 * smtpd cuts the value of every From:, To: and Cc: header into parts at
 * commas and appends "@" and the listener's hostname to each part that
 * holds no domain.  Its reading of quotes, comments and backslashes is
 * not RFC 5322's: a backslash escapes nothing inside a comment, and the
 * commas that cut the value are looked for inside angle brackets too.  So
 * the address it completes may sit where RFC 5322 sees a comment or a
 * quoted string, and a reader shows it.  The filter cannot know the
 * hostname smtpd appends (it is the listener's, not always the greeting's),
 * so it refuses any From: that smtpd would change.
 *
 * smtpd before 7.5 did not let a backslash escape inside quotes when it
 * looked for the commas; when the version is older or not known, both
 * readings are tried.
 */

#include <ctype.h>
#include <stddef.h>

#include "submission.h"

/* Where a scan of smtpd's is: in a comment, in quotes, after a '\\'. */
struct scan {
	long	 comment;
	int	 quote;
	int	 esc;
};

/*
 * Take the character c into the scan s, as smtpd does: a backslash
 * escapes the opening of a comment or a quoted string and, where
 * escape_in_quotes is set, a character in quotes; never in a comment.
 */
static void
scan_step(struct scan *s, int c, int escape_in_quotes)
{
	if (c == '(' && !s->esc && !s->quote)
		s->comment++;
	else if (c == '"' && !s->esc && s->comment == 0)
		s->quote = !s->quote;
	else if (c == ')' && !s->esc && !s->quote && s->comment > 0)
		s->comment--;
	s->esc = (c == '\\' && !s->esc && s->comment == 0 &&
	    (escape_in_quotes || !s->quote));
}

/*
 * Would smtpd append a domain to this part of the value?  The part is the
 * len bytes at p, followed by a '\n' when nl is set, as smtpd holds it.
 * It is scanned the way smtpd scans it there: a backslash escapes only
 * outside quotes and comments.
 */
static int
part_completed(const char *p, size_t len, int nl)
{
	struct scan	 sc = { 0, 0, 0 };
	size_t		 i, n, last = 0, close = 0;
	int		 open = 0, domain = 0, group = 0, brackets = 0;
	int		 c;

	n = len + (nl ? 1 : 0);
	for (i = 0; i < n; i++) {
		c = i < len ? (unsigned char)p[i] : '\n';
		scan_step(&sc, c, 0);
		if (sc.comment == 0 && !sc.quote) {
			if (c == '<' && !open) {
				open = 1;
				brackets = 1;
			} else if (c == '>' && open) {
				open = 0;
				close = i;
			} else if (c == '@')
				domain = 1;
			else if (c == ':')
				group = 1;
		}
		if (sc.comment == 0 && c != ')' && !isspace(c))
			last = i;
	}

	if (sc.esc || sc.quote || sc.comment > 0 || open)
		return 0;		/* smtpd leaves what it cannot parse */
	if (domain || group)
		return 0;
	if (brackets) {
		/* "<>" and "< >" stay as they are */
		i = close;
		while (i > 0 && isspace((unsigned char)p[i - 1]))
			i--;
		return i > 0 && p[i - 1] != '<';
	}
	if (n == 0 || last >= len || isspace((unsigned char)p[last]))
		return 0;
	return 1;
}

/*
 * Cut the value into parts at the commas smtpd cuts at;
 * escape_in_quotes chooses between smtpd's readings.  The value holds
 * folded lines joined by '\n'; smtpd scans each line's characters,
 * carries its state over the '\n' and ends the last part with one.  A
 * backslash does not keep a comma from cutting.
 */
static int
value_completed(const char *v, size_t len, int escape_in_quotes)
{
	struct scan	 sc = { 0, 0, 0 };
	size_t		 i, start = 0;
	int		 c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)v[i];
		if (c == '\n')
			continue;
		scan_step(&sc, c, escape_in_quotes);
		if (c == ',' && !sc.quote && sc.comment == 0) {
			if (part_completed(v + start, i - start, 0))
				return 1;
			start = i + 1;
		}
	}
	return part_completed(v + start, len - start, 1);
}

/*
 * Would smtpd change this From: value (its folded lines joined by '\n')
 * when it stores the message?  since75 says smtpd is 7.5 or later, which
 * lets a backslash escape inside quotes; else both readings are tried.
 */
int
smtpd_completes_from(const char *v, size_t len, int since75)
{
	if (value_completed(v, len, 1))
		return 1;
	return !since75 && value_completed(v, len, 0);
}
