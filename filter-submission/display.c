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
 * What a mail reader shows of a display name, a comment or a quoted
 * local part, and the address-like strings in it.  The text is scanned
 * as written (a reader that decodes nothing), and decoded as the most
 * lenient reader would: RFC 2047 encoded words anywhere, converted from
 * their charset with iconv(3), quoted-pairs undone, control characters
 * dropped, then Unicode compatibility normalisation (NFKC, libunistring),
 * so that a full-width or small commercial at is an '@'.  Readers differ
 * on the white space between adjacent encoded words: RFC 2047 drops it,
 * Python's email package and others keep it; both readings are scanned.
 * A reader that does not know a charset shows the bytes as they are,
 * as UTF-8 where they are UTF-8: that reading is scanned too.  Encoded words are taken as leniently as
 * readers take them: white space in the charset name and in the text.
 * Addresses are looked for strictly and also across quotes, backslashes
 * and blanks next to the '@'.  Bidirectional controls, which let a reader
 * show text in another order than it is written, are refused.  Text that
 * cannot be decoded or is too long to scan whole is an error: the caller
 * refuses the header.  Every step is linear in the length of the text.
 */

#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <uninorm.h>
#include <unistr.h>

#include "submission.h"

#define DISPLAY_MAX	65536	/* decoded text of one name or comment */
#define CHARSET_MAX	64	/* longest charset name of an encoded word */
#define CHARSETS_MAX	8	/* charsets in one name or comment */

struct decoder {
	struct ibuf	 out;		/* decoded text, UTF-8 */
	struct ibuf	 word;		/* encoded-word bytes not yet converted */
	char		 charset[CHARSET_MAX + 1];
	char		 seen[CHARSETS_MAX][CHARSET_MAX + 1];
	int		 nseen;
	size_t		 ws;		/* white space held after a word */
	int		 keep_ws;	/* keep it, converting word by word */
	int		 raw;		/* bytes as they are, no charset */
	const char	*errstr;
};

/* The converters opened last, kept open: opening one is costly. */
static struct conv {
	char		 charset[CHARSET_MAX + 1];
	iconv_t		 cd;
	unsigned long	 used;
} convs[CHARSETS_MAX];
static unsigned long	 conv_clock;

/*
 * Where no converter can be opened once started (Capsicum's capability
 * mode: iconv reads its tables from files), those of the charsets mail
 * uses most, opened before and kept.  Another charset, or another
 * spelling of one, is then an unknown charset.
 */
static const char *const keep_names[] = { "utf-7", "utf-16", "utf-32",
    "iso-8859-1", "iso-8859-2", "iso-8859-3", "iso-8859-4", "iso-8859-5",
    "iso-8859-6", "iso-8859-7", "iso-8859-8", "iso-8859-9", "iso-8859-10",
    "iso-8859-13", "iso-8859-14", "iso-8859-15", "iso-8859-16",
    "windows-1250", "windows-1251", "windows-1252", "windows-1253",
    "windows-1254", "windows-1255", "windows-1256", "windows-1257",
    "windows-1258", "koi8-r", "koi8-u", "gb2312", "gbk", "gb18030", "big5",
    "shift_jis", "euc-jp", "euc-kr", "iso-2022-jp", "ks_c_5601-1987",
    "tis-620", "macintosh", NULL };
static iconv_t		 kept[sizeof(keep_names) / sizeof(keep_names[0])];
static int		 nkept;

static int
is_local(unsigned char c)
{
	return isalnum(c) || c >= 0x80 ||
	    strchr(".!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

static int
is_domain(unsigned char c)
{
	return isalnum(c) || c >= 0x80 || c == '.' || c == '-' || c == '_';
}

/* What a lenient reading looks through: quotes and backslashes. */
static int
is_noise(unsigned char c)
{
	return c == '"' || c == '\\';
}

/* ... and next to the '@', blanks too. */
static int
is_gap(unsigned char c)
{
	return is_noise(c) || c == ' ' || c == '\t';
}

/* Add a (len bytes, lower-cased) to al->shown unless it is there. */
static int
shown_add(struct addrlist *al, const char *a, size_t len,
    const char **errstr)
{
	int	 k;

	for (k = 0; k < al->nshown; k++)
		if (strcmp(al->shown[k], a) == 0)
			return 0;
	if (al->nshown == ADDRLIST_MAX) {
		*errstr = "too many addresses in display names";
		return -1;
	}
	memcpy(al->shown[al->nshown++], a, len + 1);
	return 0;
}

/*
 * Add every address-like string of s (n bytes) to al->shown: text
 * before an '@' and after it, the part after it holding a dot or any
 * character beyond ASCII.  Leniently, quotes, backslashes and blanks
 * next to the '@' are skipped and quotes and backslashes in the runs
 * left out, as a reader that drops them shows the text.  -1 when there
 * are more than ADDRLIST_MAX.
 */
static int
scan(const char *s, size_t n, int lenient, struct addrlist *al,
    const char **errstr)
{
	char	 a[sizeof(al->shown[0])];
	size_t	 at, b, e, lb, re, i, len;
	int	 dot;

	for (at = 0; at < n; at++) {
		if (s[at] != '@')
			continue;
		lb = at;
		re = at + 1;
		if (lenient) {
			while (lb > 0 && is_gap(s[lb - 1]))
				lb--;
			while (re < n && is_gap(s[re]))
				re++;
		}
		for (b = lb; b > 0 && (is_local(s[b - 1]) ||
		    (lenient && is_noise(s[b - 1]))); b--)
			;
		for (e = re, dot = 0; e < n && (is_domain(s[e]) ||
		    (lenient && is_noise(s[e]))); e++)
			if (s[e] == '.' || (unsigned char)s[e] >= 0x80)
				dot = 1;
		while (e > re && (s[e - 1] == '.' || is_noise(s[e - 1])))
			e--;
		if (!dot)
			continue;
		len = 0;
		for (i = b; i < e && len < sizeof(a) - 1; i++) {
			if (i == at)
				a[len++] = '@';
			else if ((i < lb || i >= re) && !is_noise(s[i]))
				a[len++] = tolower((unsigned char)s[i]);
		}
		a[len] = '\0';
		if (a[0] == '@' || a[len - 1] == '@')
			continue;
		if (shown_add(al, a, len, errstr) == -1)
			return -1;
	}
	return 0;
}

/* Both readings of the '@' strings of s: strict, then lenient. */
static int
scan_both(const char *s, size_t n, struct addrlist *al,
    const char **errstr)
{
	if (scan(s, n, 0, al, errstr) == -1)
		return -1;
	return scan(s, n, 1, al, errstr);
}

/*
 * Does s (n bytes, UTF-8) hold a bidirectional override or isolate,
 * U+202A to U+202E or U+2066 to U+2069, which make a reader show text
 * in another order than it is written?
 */
static int
has_bidi(const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i;

	for (i = 0; i + 2 < n; i++) {
		if (u[i] != 0xe2)
			continue;
		if (u[i + 1] == 0x80 && u[i + 2] >= 0xaa && u[i + 2] <= 0xae)
			return 1;
		if (u[i + 1] == 0x81 && u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9)
			return 1;
	}
	return 0;
}

/*
 * Drop the direction marks U+200E, U+200F and U+061C from s (UTF-8):
 * Hebrew and Arabic names carry them, and a reader shows nothing for
 * them.  The new length.
 */
static size_t
drop_marks(char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, j;

	for (i = j = 0; i < n; i++) {
		if (i + 1 < n && u[i] == 0xd8 && u[i + 1] == 0x9c) {
			i++;
			continue;
		}
		if (i + 2 < n && u[i] == 0xe2 && u[i + 1] == 0x80 &&
		    (u[i + 2] == 0x8e || u[i + 2] == 0x8f)) {
			i += 2;
			continue;
		}
		s[j++] = s[i];
	}
	return j;
}

/*
 * Is charset one every reader converts?  Only for the others is the
 * reading of the bytes as they are one that some reader shows.
 */
static int
charset_known(const char *charset)
{
	/* Not UTF-7: mailparser shows it as it is. */
	static const char *const known[] = { "utf-8", "utf-16", "utf-32",
	    "utf8", "us-ascii", "ascii", "iso-8859-", "iso8859-", "iso_8859-",
	    "latin", "windows-", "cp125", "koi8-", "gb2312", "gbk", "gb18030",
	    "big5", "shift_jis", "shift-jis", "sjis", "euc-", "iso-2022-",
	    "ks_c_5601", "tis-620", "macintosh", NULL };
	size_t	 i;

	for (i = 0; known[i] != NULL; i++)
		if (strncasecmp(charset, known[i], strlen(known[i])) == 0)
			return 1;
	return 0;
}

/*
 * A converter from charset to UTF-8, in its initial state: one kept
 * open, or opened now in the place of the least recently used.
 */
static iconv_t
conv_get(const char *charset)
{
	struct conv	*c, *old = &convs[0];
	size_t		 i;

	/* "" is the locale's charset to iconv: no charset of a word. */
	if (charset[0] == '\0')
		return (iconv_t)-1;
	for (i = 0; nkept > 0 && keep_names[i] != NULL; i++)
		if (kept[i] != (iconv_t)-1 &&
		    strcasecmp(keep_names[i], charset) == 0) {
			iconv(kept[i], NULL, NULL, NULL, NULL);
			return kept[i];
		}
	for (i = 0; i < CHARSETS_MAX; i++) {
		c = &convs[i];
		if (c->charset[0] != '\0' &&
		    strcasecmp(c->charset, charset) == 0) {
			c->used = ++conv_clock;
			iconv(c->cd, NULL, NULL, NULL, NULL);
			return c->cd;
		}
		if (c->used < old->used)
			old = c;
	}
	if (old->charset[0] != '\0') {
		iconv_close(old->cd);
		old->charset[0] = '\0';
	}
	if ((old->cd = iconv_open("UTF-8", charset)) == (iconv_t)-1)
		return (iconv_t)-1;
	strlcpy(old->charset, charset, sizeof(old->charset));
	old->used = ++conv_clock;
	return old->cd;
}

/* Convert the pending encoded-word bytes to UTF-8 and add them. */
static int
flush_word(struct decoder *d)
{
	iconv_t	 cd;
	char	 tmp[4096], *w, *in, *out;
	size_t	 i, len, wlen, inleft, outleft;
	ucs4_t	 uc;
	int	 r, raw, rv = 0;

	if ((wlen = ibuf_size(&d->word)) == 0)
		return 0;
	w = ibuf_data(&d->word);
	/*
	 * What a reader that knows no such charset shows: the bytes as
	 * UTF-8 (mailparser does), a blank for each that is not.
	 */
	raw = d->raw && !charset_known(d->charset);
	for (i = 0; raw && i < wlen; i += len) {
		len = 1;
		if ((unsigned char)w[i] < 0x80)
			continue;
		if ((r = u8_mbtoucr(&uc, (const uint8_t *)w + i,
		    wlen - i)) > 0)
			len = r;
		else
			w[i] = ' ';
	}
	if (raw || strcasecmp(d->charset, "utf-8") == 0 ||
	    strcasecmp(d->charset, "us-ascii") == 0) {
		rv = ibuf_add(&d->out, w, wlen);
		ibuf_truncate(&d->word, 0);
		if (rv == -1)
			d->errstr = "display name too long to check";
		return rv;
	}
	if ((cd = conv_get(d->charset)) == (iconv_t)-1) {
		d->errstr = "encoded word in an unknown charset";
		return -1;
	}
	in = w;
	inleft = wlen;
	while (inleft > 0) {
		out = tmp;
		outleft = sizeof(tmp);
		if (iconv(cd, &in, &inleft, &out, &outleft) == (size_t)-1 &&
		    errno != E2BIG) {
			if (!d->keep_ws) {
				d->errstr = "encoded word that cannot be "
				    "converted from its charset";
				rv = -1;
				break;
			}
			/* A reader converting word by word shows U+FFFD. */
			if (outleft >= 3) {
				memcpy(out, "\xef\xbf\xbd", 3);
				out += 3;
			}
			in++;
			inleft--;
		}
		if (ibuf_add(&d->out, tmp, out - tmp) == -1) {
			d->errstr = "display name too long to check";
			rv = -1;
			break;
		}
	}
	/* A shift state left open (UTF-7, ISO-2022-JP) is text too. */
	out = tmp;
	outleft = sizeof(tmp);
	if (rv == 0 && iconv(cd, NULL, NULL, &out, &outleft) != (size_t)-1 &&
	    ibuf_add(&d->out, tmp, out - tmp) == -1) {
		d->errstr = "display name too long to check";
		rv = -1;
	}
	ibuf_truncate(&d->word, 0);
	return rv;
}

/* Literal text: what was held is written out first. */
static int
literal(struct decoder *d, const char *s, size_t n, const char *held)
{
	if (flush_word(d) == -1)
		return -1;
	if ((d->ws > 0 && ibuf_add(&d->out, held - d->ws, d->ws) == -1) ||
	    ibuf_add(&d->out, s, n) == -1) {
		d->errstr = "display name too long to check";
		return -1;
	}
	d->ws = 0;
	return 0;
}

static int
b64_value(unsigned char c)
{
	const char	*set = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789+/";
	const char	*p;

	if (c == '\0' || (p = strchr(set, c)) == NULL)
		return -1;
	return p - set;
}

/* Decode base64 (s, n bytes; padding may be left out) onto d->word. */
static int
decode_b(struct decoder *d, const char *s, size_t n)
{
	unsigned int	 acc = 0;
	int		 bits = 0, v;
	char		 c;
	size_t		 i;

	while (n > 0 && (s[n - 1] == '=' || s[n - 1] == ' ' ||
	    s[n - 1] == '\t'))
		n--;
	for (i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		if ((v = b64_value(s[i])) == -1) {
			d->errstr = "encoded word that is not base64";
			return -1;
		}
		acc = (acc << 6) | v;
		if ((bits += 6) >= 8) {
			bits -= 8;
			c = (acc >> bits) & 0xff;
			if (ibuf_add(&d->word, &c, 1) == -1) {
				d->errstr = "display name too long to check";
				return -1;
			}
		}
	}
	return 0;
}

/* Decode Q (s, n bytes) onto d->word, leniently as readers do. */
static int
decode_q(struct decoder *d, const char *s, size_t n)
{
	char	 c, hex[3];
	size_t	 i;

	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == '_')
			c = ' ';
		else if (c == '=' && i + 2 < n &&
		    isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			hex[0] = s[i + 1];
			hex[1] = s[i + 2];
			hex[2] = '\0';
			c = strtol(hex, NULL, 16);
			i += 2;
		}
		if (ibuf_add(&d->word, &c, 1) == -1) {
			d->errstr = "display name too long to check";
			return -1;
		}
	}
	return 0;
}

/*
 * An encoded word =?charset?e?text?= at s (n bytes left): its length,
 * or 0 when s does not start one.  As lenient readers do, the charset
 * and the text may hold white space (the charset's is dropped, into
 * name).  Each try reads at most to the third '?' after s, so trying at
 * every "=?" stays linear.
 */
static size_t
encoded_word(const char *s, size_t n, char *name, char *enc,
    const char **text, size_t *textlen)
{
	size_t	 i = 2, j, k = 0;

	if (n < 8 || s[0] != '=' || s[1] != '?')
		return 0;
	for (j = i; j < n && j - i <= CHARSET_MAX && s[j] != '?' &&
	    ((unsigned char)s[j] >= ' ' || s[j] == '\t') && s[j] != 0x7f; j++)
		if (s[j] != ' ' && s[j] != '\t' && k < CHARSET_MAX)
			name[k++] = s[j];
	name[k] = '\0';
	if (k == 0 || j - i > CHARSET_MAX || j >= n || s[j] != '?')
		return 0;
	if (j + 2 >= n || s[j + 2] != '?')
		return 0;
	*enc = s[j + 1];
	i = j + 3;
	for (j = i; j < n && s[j] != '?' &&
	    ((unsigned char)s[j] > ' ' || s[j] == ' ' || s[j] == '\t'); j++)
		;
	if (j + 1 >= n || s[j] != '?' || s[j + 1] != '=')
		return 0;
	*text = s + i;
	*textlen = j - i;
	return j + 2;
}

/* Count a charset of d; more than CHARSETS_MAX is an error. */
static int
charset_seen(struct decoder *d, const char *name)
{
	int	 k;

	for (k = 0; k < d->nseen; k++)
		if (strcasecmp(d->seen[k], name) == 0)
			return 0;
	if (d->nseen == CHARSETS_MAX) {
		d->errstr = "encoded words in too many charsets";
		return -1;
	}
	strlcpy(d->seen[d->nseen++], name, sizeof(d->seen[0]));
	return 0;
}

/* Decode s (n bytes) into d->out as a lenient reader shows it. */
static int
decode(struct decoder *d, const char *s, size_t n)
{
	const char	*text;
	char		 enc, name[CHARSET_MAX + 1], *star;
	size_t		 i = 0, len, textlen;
	int		 after_word = 0;

	while (i < n) {
		if (s[i] == '=' && (len = encoded_word(s + i, n - i, name,
		    &enc, &text, &textlen)) > 0 &&
		    (enc == 'B' || enc == 'b' || enc == 'Q' || enc == 'q')) {
			/* RFC 2231: "charset*language". */
			if ((star = strchr(name, '*')) != NULL)
				*star = '\0';
			if (charset_seen(d, name) == -1)
				return -1;
			if (!after_word || strcasecmp(name, d->charset) != 0) {
				if (after_word && flush_word(d) == -1)
					return -1;
				if (!after_word &&
				    literal(d, "", 0, s + i) == -1)
					return -1;
				strlcpy(d->charset, name, sizeof(d->charset));
			}
			/* White space between two words is not shown. */
			d->ws = 0;
			if ((enc == 'B' || enc == 'b' ?
			    decode_b(d, text, textlen) :
			    decode_q(d, text, textlen)) == -1)
				return -1;
			i += len;
			after_word = 1;
			continue;
		}
		if (after_word && (s[i] == ' ' || s[i] == '\t') &&
		    !d->keep_ws) {
			d->ws++;
			i++;
			continue;
		}
		if (s[i] == '\\' && i + 1 < n) {
			if (literal(d, s + i + 1, 1, s + i) == -1)
				return -1;
			i += 2;
		} else if (s[i] == '"') {
			if (literal(d, "", 0, s + i) == -1)
				return -1;
			i++;
		} else {
			if (literal(d, s + i, 1, s + i) == -1)
				return -1;
			i++;
		}
		after_word = 0;
	}
	return literal(d, "", 0, s + n);
}

/*
 * Control characters are not shown: drop them, white space becomes a
 * space.  Then NFKC.  The result replaces d->out.
 */
static int
normalise(struct decoder *d)
{
	uint8_t		*nf;
	char		*o = ibuf_data(&d->out);
	size_t		 i, j, n, nflen, ascii = 1;
	unsigned char	 c;
	int		 rv;

	for (i = j = 0, n = ibuf_size(&d->out); i < n; i++) {
		c = o[i];
		if (c == '\t' || c == '\r' || c == '\n')
			c = ' ';
		else if (c < 0x20 || c == 0x7f)
			continue;
		if (c >= 0x80)
			ascii = 0;
		o[j++] = c;
	}
	ibuf_truncate(&d->out, j);
	if (ascii)
		return 0;
	n = drop_marks(o, j);
	ibuf_truncate(&d->out, n);
	if (has_bidi(o, n)) {
		d->errstr = "bidirectional control character";
		return -1;
	}
	if (u8_check((const uint8_t *)o, n) != NULL) {
		d->errstr = "8-bit text that is not UTF-8";
		return -1;
	}
	nf = u8_normalize(UNINORM_NFKC, (const uint8_t *)o, n, NULL, &nflen);
	if (nf == NULL) {
		d->errstr = "text that cannot be normalised";
		return -1;
	}
	if (nflen > DISPLAY_MAX) {
		free(nf);
		d->errstr = "display name too long to check";
		return -1;
	}
	ibuf_truncate(&d->out, 0);
	rv = ibuf_add(&d->out, nf, nflen);
	free(nf);
	if (rv == -1)
		d->errstr = "display name too long to check";
	return rv;
}

/*
 * Open now the converters of the charsets mail uses most, for a process
 * that can open none later.  The number this system has.
 */
int
display_keep_charsets(void)
{
	size_t	 i;

	for (i = 0; keep_names[i] != NULL; i++) {
		if (nkept > 0 && kept[i] != (iconv_t)-1)
			continue;
		kept[i] = iconv_open("UTF-8", keep_names[i]);
	}
	nkept = 0;
	for (i = 0; keep_names[i] != NULL; i++)
		if (kept[i] != (iconv_t)-1)
			nkept++;
	return nkept;
}

/*
 * The address-like strings a reader may show for s (n bytes), as
 * written and as decoded, added to al->shown.  0, or -1 with *errstr
 * when the text cannot be decoded or scanned whole.
 */
int
display_scan(const char *s, size_t n, struct addrlist *al,
    const char **errstr)
{
	struct decoder	 d;
	int		 reading, readings, rv = 0;

	if (n > DISPLAY_MAX) {
		*errstr = "display name too long to check";
		return -1;
	}
	if (has_bidi(s, n)) {
		*errstr = "bidirectional control character";
		return -1;
	}
	if (scan_both(s, n, al, errstr) == -1)
		return -1;
	/*
	 * Readings 0 and 1 convert encoded words and drop or keep the
	 * white space between them; 2 and 3 do the same with their bytes
	 * as they are.  Without an encoded word, all are the same.
	 */
	readings = memmem(s, n, "=?", 2) != NULL ? 4 : 1;
	for (reading = 0; reading < readings && rv == 0; reading++) {
		memset(&d, 0, sizeof(d));
		d.keep_ws = reading & 1;
		d.raw = reading >= 2;
		if (ibuf_init(&d.out, 256, DISPLAY_MAX) == -1 ||
		    ibuf_init(&d.word, 256, DISPLAY_MAX) == -1 ||
		    decode(&d, s, n) == -1 || normalise(&d) == -1) {
			*errstr = d.errstr != NULL ? d.errstr :
			    "display name too long to check";
			rv = -1;
		} else
			rv = scan_both(ibuf_data(&d.out), ibuf_size(&d.out), al,
			    errstr);
		ibuf_free(&d.out);
		ibuf_free(&d.word);
	}
	return rv;
}
