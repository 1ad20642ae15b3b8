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
 * The visible sender: the From: and Sender: headers of a message sent
 * by an authenticated client, checked against what the login owns; and
 * the header section around them, which must read alike in every reader
 * (field names as RFC 5322 has them, no bare CR), so that none shows a
 * From: the check did not see.  The message streams through line by
 * line; only the value of a From: or Sender: header is held, up to
 * HDR_VALUE_MAX bytes.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "submission.h"

#define HDR_VALUE_MAX	16384		/* one header's value */
#define HDR_HELD_MAX	(8 * 1024 * 1024)	/* all sessions' together */
#define HDR_LOGIN_MAX	(HDR_HELD_MAX / 16)	/* one login's sessions' */
#define HDR_CLIENT_MAX	(HDR_HELD_MAX / 8)	/* one client's sessions' */

#define HOLD_TOOLONG	-1
#define HOLD_NOROOM	-2

static size_t		 hdr_held;	/* bytes held over all sessions */
static struct budget	*bylogin, *byclient;

/*
 * The addresses of the header being checked: one header is checked at a
 * time, and this list (54 KB) is not taken from the heap and given back
 * for every message, which would have the allocator return its pages to
 * the system and fault them in again, message after message.
 */
static struct addrlist	 hdr_addrs;

/* The budgets of every session's header buffers, once at start-up. */
void
hdr_init(void)
{
	if (bylogin != NULL)
		return;
	if ((bylogin = budget_new(HDR_LOGIN_MAX)) == NULL ||
	    (byclient = budget_new(HDR_CLIENT_MAX)) == NULL)
		fatalx("out of memory for the header check");
}

/* Release what h holds; the only place header buffers are freed. */
void
hdr_free(struct hdrcheck *h)
{
	if (h->val.size > 0) {
		hdr_held -= h->val.size;
		budget_give(bylogin, h->login, h->val.size);
		budget_give(byclient, h->client, h->val.size);
	}
	ibuf_free(&h->val);
}

/*
 * A new message of login from client.  linemax, when not 0, is the
 * longest header line smtpd keeps whole after the filter (smtpd before
 * 7.4 cuts longer ones, so the header it stores is not the one checked);
 * since75 says smtpd is 7.5 or later (smtpdfrom.c).
 */
void
hdr_begin(struct hdrcheck *h, const char *login, const char *client,
    size_t linemax, int since75)
{
	hdr_free(h);
	memset(h, 0, sizeof(*h));
	ibuf_init(&h->val, 0, HDR_VALUE_MAX);
	strlcpy(h->login, login, sizeof(h->login));
	strlcpy(h->client, client, sizeof(h->client));
	h->linemax = linemax;
	h->since75 = since75;
	h->in_headers = 1;
	h->verdict = HDR_OK;
}

static void
set_verdict(struct hdrcheck *h, int verdict, const char *addr,
    const char *reply)
{
	if (h->verdict != HDR_OK)
		return;
	h->verdict = verdict;
	strlcpy(h->addr, addr, sizeof(h->addr));
	strlcpy(h->reply, reply, sizeof(h->reply));
}

/*
 * Add n bytes of s to the value, NUL-terminated.  Its buffer grows by
 * doubling, each step paid from the budgets of the login and the client
 * before it is taken.
 */
static int
hold(struct hdrcheck *h, const char *s, size_t n)
{
	size_t	 need, have = h->val.size, cap;

	need = ibuf_size(&h->val) + n + 1;
	if (need > HDR_VALUE_MAX)
		return HOLD_TOOLONG;
	if (need > have) {
		cap = have ? have * 2 : 256;
		while (cap < need)
			cap *= 2;
		if (hdr_held - have + cap > HDR_HELD_MAX)
			return HOLD_NOROOM;
		if (budget_take(bylogin, h->login, cap - have) == -1)
			return HOLD_NOROOM;
		if (budget_take(byclient, h->client, cap - have) == -1) {
			budget_give(bylogin, h->login, cap - have);
			return HOLD_NOROOM;
		}
		if (ibuf_grow(&h->val, cap) == -1) {
			budget_give(bylogin, h->login, cap - have);
			budget_give(byclient, h->client, cap - have);
			return HOLD_NOROOM;
		}
		hdr_held += cap - have;
	}
	/* Within what was paid for: it does not grow. */
	return ibuf_addz(&h->val, s, n) == -1 ? HOLD_NOROOM : 0;
}

/* s for a reply: printable ASCII only, the rest as '?'. */
static const char *
printable(const char *s, char *buf, size_t len)
{
	size_t	 i;

	strlcpy(buf, s, len);
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < 0x21 ||
		    (unsigned char)buf[i] >= 0x7f)
			buf[i] = '?';
	return buf;
}

/*
 * Folded lines were joined by '\n', as smtpd unfolds them: blanks now.
 * A control character is refused: blank to the parser here, part of the
 * address to Python's email, a line end to others.
 */
static int
unfold(struct hdrcheck *h, char *v, size_t vlen)
{
	char	 reply[128];
	size_t	 i;

	for (i = 0; i < vlen; i++) {
		if (v[i] == '\n')
			v[i] = ' ';
		else if (v[i] != '\t' && ((unsigned char)v[i] < 0x20 ||
		    v[i] == 0x7f)) {
			snprintf(reply, sizeof(reply), "550 5.7.1 %s: header "
			    "rejected: control character", h->name);
			set_verdict(h, HDR_REJECT, "", reply);
			return -1;
		}
	}
	return 0;
}

/* The collected header is complete: check every address in it. */
static void
check_header(struct hdrcheck *h, struct backend *b, const char *login,
    const char *delims)
{
	struct addrlist	*al = &hdr_addrs;
	struct addr	 shown;
	const char	*errstr;
	char		 reply[1024], why[320], full[ADDR_LOCAL_MAX +
			    ADDR_DOMAIN_MAX], text[320];
	enum own	 own;
	char		*v;
	size_t		 vlen;
	int		 i, j;

	h->collecting = 0;
	if (h->verdict != HDR_OK)
		return;
	/* No value held: an empty one, as the header had none. */
	v = h->val.buf != NULL ? ibuf_data(&h->val) : NULL;
	vlen = ibuf_size(&h->val);
	if (strcmp(h->name, "From") == 0 && v != NULL &&
	    smtpd_completes_from(v, vlen, h->since75)) {
		set_verdict(h, HDR_REJECT, "", "550 5.7.1 From: header "
		    "rejected: smtpd would add its domain to a part of it");
		goto done;
	}
	if (unfold(h, v, vlen) == -1)
		goto done;
	if (addrlist_parse(v != NULL ? v : "", al, &errstr) == -1) {
		snprintf(reply, sizeof(reply), "550 5.7.1 %s: header rejected: "
		    "%s", h->name, errstr);
		set_verdict(h, HDR_REJECT, "", reply);
		goto done;
	}
	for (i = 0; i < al->n; i++) {
		addr_key(&al->a[i], NULL, full, sizeof(full));
		own = owner_owns(b, login, &al->a[i], delims, why,
		    sizeof(why));
		if (own == OWN_TEMPFAIL) {
			snprintf(reply, sizeof(reply), "451 4.3.0 <%s>: "
			    "Temporary lookup failure", full);
			set_verdict(h, HDR_TEMPFAIL, full, reply);
			goto done;
		}
		if (own == OWN_NO) {
			snprintf(reply, sizeof(reply), "550 5.7.1 <%s>: %s "
			    "address rejected: not owned by user %s", full,
			    h->name, login);
			set_verdict(h, HDR_REJECT, full, reply);
			goto done;
		}
	}
	/* What a reader sees in display names counts too. */
	for (j = 0; j < al->nshown; j++) {
		printable(al->shown[j], text, sizeof(text));
		/* What is no address of the login's is not owned. */
		if (addr_parse(al->shown[j], &shown, &errstr) == -1 ||
		    shown.domain[0] == '\0')
			own = OWN_NO;
		else
			own = owner_owns(b, login, &shown, delims, why,
			    sizeof(why));
		if (own == OWN_TEMPFAIL) {
			snprintf(reply, sizeof(reply), "451 4.3.0 <%s>: "
			    "Temporary lookup failure", text);
			set_verdict(h, HDR_TEMPFAIL, al->shown[j], reply);
			goto done;
		}
		if (own == OWN_NO) {
			snprintf(reply, sizeof(reply), "550 5.7.1 <%s>: %s "
			    "display name rejected: not owned by user %s",
			    text, h->name, login);
			set_verdict(h, HDR_REJECT, al->shown[j], reply);
			goto done;
		}
	}
	/*
	 * An empty value or an empty group ("CEO Jane Smith:;"): readers
	 * show a name and no address.  One of the login's is required.
	 */
	if (al->n == 0) {
		snprintf(reply, sizeof(reply), "550 5.7.1 %s: header "
		    "rejected: no address", h->name);
		set_verdict(h, HDR_REJECT, "", reply);
	}
 done:
	hdr_free(h);
}

/*
 * Is the field name s (n bytes, the blanks before the colon dropped) one
 * RFC 5322 allows: printable ASCII, no colon?  Readers trim more than
 * blanks (JavaScript's trim() a vertical tab, a form feed, a no-break
 * space; libmime backs up over isspace() before the colon), so that
 * "From\v:" would be a From: header to them and an unknown one here.
 */
static int
name_ok(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

/* Add to the header being collected; a failure ends the collection. */
static void
collect(struct hdrcheck *h, const char *s, size_t n)
{
	switch (hold(h, s, n)) {
	case 0:
		return;
	case HOLD_TOOLONG:
		set_verdict(h, HDR_REJECT, "", "550 5.7.1 From: or Sender: "
		    "header too long");
		break;
	default:
		log_warnx("header check: %d bytes of headers held, no room "
		    "for more; refusing with a temporary failure",
		    HDR_HELD_MAX);
		set_verdict(h, HDR_TEMPFAIL, "", "451 4.3.0 Temporary failure "
		    "checking the message headers");
		break;
	}
	h->collecting = 0;
	hdr_free(h);
}

/*
 * One line of the message as smtpd sends it (dot-stuffed, no CRLF).
 */
void
hdr_line(struct hdrcheck *h, struct backend *b, const char *login,
    const char *delims, const char *line, size_t len)
{
	const char	*colon;
	size_t		 n;

	if (!h->in_headers)
		return;
	if (h->linemax > 0 && len > h->linemax)
		set_verdict(h, HDR_REJECT, "", "550 5.7.1 Message header "
		    "rejected: header line too long for this smtpd");
	if (len > 0 && line[0] == '.') {
		line++;
		len--;
	}
	/*
	 * smtpd keeps a CR that is not part of CRLF, and some readers take
	 * it for the end of a line: "X-A: a\rFrom: ceo@bank.test" then
	 * shows a From: header that was never checked.
	 */
	if (memchr(line, '\r', len) != NULL)
		set_verdict(h, HDR_REJECT, "", "550 5.7.1 Message header "
		    "rejected: bare CR in the header section");
	if (len > 0 && (line[0] == ' ' || line[0] == '\t')) {
		/* Some readers take it for a header with its name trimmed. */
		if (!h->seen_field)
			set_verdict(h, HDR_REJECT, "", "550 5.7.1 Message "
			    "header rejected: folded line with no header field "
			    "before it");
		if (h->collecting)
			collect(h, "\n", 1);
		if (h->collecting)
			collect(h, line, len);
		return;
	}
	if (h->collecting)
		check_header(h, b, login, delims);
	if (len == 0) {
		h->in_headers = 0;
		return;
	}
	h->seen_field = 1;
	/*
	 * A header line every reader reads as the filter does, or a refusal
	 * (smtpd itself refuses a line without a colon there).
	 */
	if ((colon = memchr(line, ':', len)) == NULL) {
		set_verdict(h, HDR_REJECT, "", "550 5.7.1 Message header "
		    "rejected: line without a colon in the header section");
		return;
	}
	n = colon - line;
	while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	if (!name_ok(line, n)) {
		set_verdict(h, HDR_REJECT, "", "550 5.7.1 Message header "
		    "rejected: malformed header field name");
		return;
	}
	if ((n == 4 && strncasecmp(line, "From", 4) == 0 && h->nfrom++ > 0) ||
	    (n == 6 && strncasecmp(line, "Sender", 6) == 0 &&
	    h->nsender++ > 0)) {
		/* Readers differ on which one they show. */
		set_verdict(h, HDR_REJECT, "", "550 5.7.1 Message header "
		    "rejected: more than one From: or Sender: header");
		return;
	}
	if ((n == 4 && strncasecmp(line, "From", 4) == 0) ||
	    (n == 6 && strncasecmp(line, "Sender", 6) == 0)) {
		memcpy(h->name, line, n);
		h->name[n] = '\0';
		h->name[0] = toupper((unsigned char)h->name[0]);
		for (n = 1; h->name[n] != '\0'; n++)
			h->name[n] = tolower((unsigned char)h->name[n]);
		h->collecting = 1;
		ibuf_truncate(&h->val, 0);
		collect(h, colon + 1, len - (colon + 1 - line));
	}
}

/* The end of the message: a header still open is checked now. */
void
hdr_end(struct hdrcheck *h, struct backend *b, const char *login,
    const char *delims)
{
	if (h->collecting)
		check_header(h, b, login, delims);
	h->in_headers = 0;
	hdr_free(h);
}
