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
 * RFC 5322 address lists, as in From: and Sender: headers: display
 * names, comments, quoted strings, angle addresses with or without a
 * route, groups.  Besides the addresses themselves it reports every
 * address-like text a reader may show in a display name, a comment or a
 * quoted local part (display.c decodes them).  Pure functions.
 */

#include <ctype.h>
#include <string.h>

#include "submission.h"

#define SPECIALS	"()<>[]:;@\\,.\""

enum { T_ATOM, T_QSTR, T_DLIT, T_SPECIAL };

struct tok {
	int		 type;
	const char	*s;		/* atom, quoted string body, literal */
	size_t		 n;
	char		 c;		/* the special */
};

#define TOK_MAX		512

static int
tokenize(const char *s, struct tok *t, int max, struct addrlist *al,
    const char **errstr)
{
	const char	*open;
	int		 n = 0, depth;

	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			return n;
		if (n == max) {
			*errstr = "header too complex";
			return -1;
		}
		if (*s == '(') {
			/* Some readers show a comment as the name. */
			open = s;
			for (depth = 0; *s != '\0'; s++) {
				if (*s == '\\' && s[1] != '\0')
					s++;
				else if (*s == '(')
					depth++;
				else if (*s == ')' && --depth == 0)
					break;
			}
			if (*s == '\0') {
				*errstr = "unterminated comment";
				return -1;
			}
			if (display_scan(open + 1, s - open - 1, al, errstr) == -1)
				return -1;
			s++;
			continue;
		}
		if (*s == '"') {
			t[n].type = T_QSTR;
			t[n].s = ++s;
			while (*s != '\0' && *s != '"') {
				if (*s == '\\' && s[1] != '\0')
					s++;
				s++;
			}
			if (*s == '\0') {
				*errstr = "unterminated quoted string";
				return -1;
			}
			t[n].n = s - t[n].s;
			s++;
			n++;
			continue;
		}
		if (*s == '[') {
			t[n].type = T_DLIT;
			t[n].s = s;
			while (*s != '\0' && *s != ']')
				s++;
			if (*s == '\0') {
				*errstr = "unterminated domain literal";
				return -1;
			}
			t[n].n = ++s - t[n].s;
			n++;
			continue;
		}
		if (strchr(SPECIALS, *s) != NULL) {
			t[n].type = T_SPECIAL;
			t[n].c = *s;
			t[n].s = s++;
			t[n++].n = 1;
			continue;
		}
		t[n].type = T_ATOM;
		t[n].s = s;
		while (*s != '\0' && !isspace((unsigned char)*s) &&
		    strchr(SPECIALS, *s) == NULL)
			s++;
		t[n].n = s - t[n].s;
		n++;
	}
}

static int
is_special(const struct tok *t, char c)
{
	return t->type == T_SPECIAL && t->c == c;
}

/* A display name (tokens [b, e)): what a reader may show of it. */
static int
phrase(const struct tok *t, int b, int e, struct addrlist *al,
    const char **errstr)
{
	const char	*p, *end;

	if (b >= e)
		return 0;
	p = t[b].s;
	end = t[e - 1].s + t[e - 1].n;
	if (t[e - 1].type == T_QSTR)
		end++;		/* the closing quote */
	if (t[b].type == T_QSTR)
		p--;		/* the opening one */
	return display_scan(p, end - p, al, errstr);
}

static int
has_8bit(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

/* The addr-spec in tokens [b, e), route dropped, into al. */
static int
mailbox(const struct tok *t, int b, int e, struct addrlist *al,
    const char **errstr)
{
	struct ibuf	 a;
	char		 buf[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX + 8];
	int		 i, r;

	/* Obsolete route: "@a,@b:" before the address. */
	if (b < e && is_special(&t[b], '@')) {
		for (i = b; i < e && !is_special(&t[i], ':'); i++)
			;
		if (i == e) {
			*errstr = "bad route";
			return -1;
		}
		b = i + 1;
	}
	buf[0] = '\0';
	for (i = b; i < e && !is_special(&t[i], '@'); i++) {
		/* A quoted or encoded local part may show an address. */
		if ((t[i].type == T_QSTR ||
		    memmem(t[i].s, t[i].n, "=?", 2) != NULL ||
		    has_8bit(t[i].s, t[i].n)) &&
		    display_scan(t[i].s, t[i].n, al, errstr) == -1)
			return -1;
	}
	/* The address as a string in buf, NUL-terminated throughout. */
	ibuf_fixed(&a, buf, sizeof(buf));
	for (i = b; i < e; i++) {
		if (t[i].type == T_QSTR) {
			r = ibuf_addz(&a, "\"", 1) ||
			    ibuf_addz(&a, t[i].s, t[i].n) ||
			    ibuf_addz(&a, "\"", 1);
		} else if (t[i].type == T_SPECIAL && t[i].c != '.' &&
		    t[i].c != '@') {
			*errstr = "unexpected character in address";
			return -1;
		} else
			r = ibuf_addz(&a, t[i].s, t[i].n);
		if (r != 0) {
			*errstr = "address too long";
			return -1;
		}
	}
	if (al->n == ADDRLIST_MAX) {
		*errstr = "too many addresses";
		return -1;
	}
	if (addr_parse(buf, &al->a[al->n], errstr) == -1)
		return -1;
	if (al->a[al->n].null || al->a[al->n].domain[0] == '\0') {
		*errstr = "address without domain";
		return -1;
	}
	al->n++;
	return 0;
}

/*
 * Parse a header value (unfolded) into its addresses.  Returns 0, or -1
 * with *errstr.
 */
int
addrlist_parse(const char *value, struct addrlist *al, const char **errstr)
{
	struct tok	 t[TOK_MAX];
	int		 n, i, start, lt, gt, ingroup = 0;

	memset(al, 0, sizeof(*al));
	*errstr = NULL;
	if ((n = tokenize(value, t, TOK_MAX, al, errstr)) == -1)
		return -1;
	start = 0;
	lt = gt = -1;
	for (i = 0; i <= n; i++) {
		if (i < n && lt != -1 && gt == -1) {
			if (is_special(&t[i], '>'))
				gt = i;
			else if (is_special(&t[i], '<')) {
				*errstr = "nested angle brackets";
				return -1;
			}
			continue;
		}
		if (i < n && is_special(&t[i], '<')) {
			if (lt != -1) {
				*errstr = "two angle addresses";
				return -1;
			}
			lt = i;
			continue;
		}
		if (i < n && is_special(&t[i], ':') && lt == -1) {
			if (ingroup) {
				*errstr = "nested group";
				return -1;
			}
			if (phrase(t, start, i, al, errstr) == -1)
				return -1;
			ingroup = 1;
			start = i + 1;
			continue;
		}
		if (i < n && !is_special(&t[i], ',') && !is_special(&t[i], ';'))
			continue;
		if (i < n && is_special(&t[i], ';')) {
			if (!ingroup) {
				*errstr = "';' outside a group";
				return -1;
			}
			ingroup = 0;
		}
		/* End of one mailbox: tokens [start, i). */
		if (lt != -1) {
			if (gt == -1 || gt != i - 1) {
				*errstr = "bad angle address";
				return -1;
			}
			if (phrase(t, start, lt, al, errstr) == -1 ||
			    mailbox(t, lt + 1, gt, al, errstr) == -1)
				return -1;
		} else if (i > start) {
			if (mailbox(t, start, i, al, errstr) == -1)
				return -1;
		}
		start = i + 1;
		lt = gt = -1;
	}
	if (lt != -1 && gt == -1) {
		*errstr = "unterminated angle address";
		return -1;
	}
	/* An unterminated group at the end is taken as closed. */
	return 0;
}
