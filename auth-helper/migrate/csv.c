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
 * CSV records as RFC 4180 writes them, and as PostgreSQL's COPY ... TO
 * STDOUT WITH (FORMAT csv) produces them: fields separated by commas,
 * optionally in double quotes (a quote doubled inside), a quoted field
 * may hold commas and line breaks; CRLF or LF.
 *
 * Or tab-separated, as mysql --batch writes its rows: fields separated
 * by tabs, one record a line; a backslash escapes a tab (\t), a line
 * break (\n), a NUL (\0, refused) and itself (\\); a NULL is the word
 * NULL, read as an empty field.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrate.h"

#define CSV_MAX		65536

static int
field(struct strlist *f, char *buf, size_t n, const char **errstr)
{
	buf[n] = '\0';
	if (strcmp(buf, "NULL") == 0)
		buf[0] = '\0';
	if (sl_add(f, buf) == -1) {
		*errstr = "out of memory";
		return -1;
	}
	return 0;
}

static int
tsv_record(struct csv *c, struct strlist *f, const char **errstr)
{
	char	 buf[CSV_MAX];
	size_t	 n = 0;
	int	 ch;

	for (;;) {
		ch = getc(c->fp);
		if (ch == EOF) {
			if (ferror(c->fp)) {
				*errstr = "read error";
				return -1;
			}
			if (n == 0 && f->n == 0)
				return 0;
			ch = '\n';
		}
		if (ch == '\0') {
			*errstr = "a NUL byte";
			return -1;
		}
		if (ch == '\t' || ch == '\n') {
			if (field(f, buf, n, errstr) == -1)
				return -1;
			n = 0;
			if (ch == '\n')
				return 1;
			continue;
		}
		if (ch == '\\') {
			switch (ch = getc(c->fp)) {
			case 't':
				ch = '\t';
				break;
			case 'n':
				ch = '\n';
				break;
			case '\\':
				break;
			case '0':
				*errstr = "a NUL byte";
				return -1;
			default:
				*errstr = "a backslash that mysql --batch does "
				    "not write";
				return -1;
			}
		}
		if (n + 1 >= sizeof(buf)) {
			*errstr = "a record longer than 64 kB";
			return -1;
		}
		buf[n++] = ch;
	}
}

/*
 * Read the next record of c into f (emptied first).  Returns 1, 0 at
 * the end of the file, -1 with *errstr.
 */
int
csv_record(struct csv *c, struct strlist *f, const char **errstr)
{
	char	 buf[CSV_MAX];
	size_t	 n = 0;
	int	 ch, quoted = 0, inq = 0, any = 0;

	sl_free(f);
	c->line++;
	if (c->tab)
		return tsv_record(c, f, errstr);
	for (;;) {
		ch = getc(c->fp);
		if (ch == EOF) {
			if (ferror(c->fp)) {
				*errstr = "read error";
				return -1;
			}
			if (inq) {
				*errstr = "a quoted field is not closed";
				return -1;
			}
			if (!any && n == 0)
				return 0;
			ch = '\n';
		}
		any = 1;
		if (ch == '\0') {
			*errstr = "a NUL byte";
			return -1;
		}
		if (inq) {
			if (ch == '"') {
				ch = getc(c->fp);
				if (ch != '"') {
					inq = 0;
					if (ch != EOF)
						ungetc(ch, c->fp);
					continue;
				}
			} else if (ch == '\n')
				c->line++;
		} else if (ch == '"' && n == 0 && !quoted) {
			inq = quoted = 1;
			continue;
		} else if (ch == ',' || ch == '\n') {
			if (n > 0 && buf[n - 1] == '\r' && ch == '\n' &&
			    !quoted)
				n--;
			buf[n] = '\0';
			if (sl_add(f, buf) == -1) {
				*errstr = "out of memory";
				return -1;
			}
			n = 0;
			quoted = 0;
			if (ch == '\n')
				return 1;
			continue;
		} else if (ch == '\r' && quoted) {
			continue;
		} else if (quoted) {
			*errstr = "text after a closing quote";
			return -1;
		}
		if (n + 1 >= sizeof(buf)) {
			*errstr = "a record longer than 64 kB";
			return -1;
		}
		buf[n++] = ch;
	}
}
