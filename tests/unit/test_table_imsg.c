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
 * The legacy table protocol: imsg framing (reader.c) and the table
 * requests and replies (table_imsg.c), hostile frames included, and a
 * randomized run of whole streams cut at random places.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ibuf.h"
#include "reader.h"
#include "table_imsg.h"
#include "table_proto.h"
#include "unit.h"

#define STREAM_FRAMES	40
#define STREAM_RUNS	3000

static int	 pfd[2];

/* A frame header, host order. */
static size_t
hdr(unsigned char *p, uint32_t type, uint16_t len)
{
	uint32_t	 zero = 0;

	memcpy(p, &type, 4);
	memcpy(p + 4, &len, 2);
	memset(p + 6, 0, 2);
	memcpy(p + 8, &zero, 4);
	memcpy(p + 12, &zero, 4);
	return IMSG_HDR_SIZE;
}

/* A request frame: service, parameter count, then key bytes as given. */
static size_t
req(unsigned char *p, uint32_t type, uint32_t svc, size_t nparams,
    const char *key, size_t klen)
{
	int	 s = svc;
	size_t	 n = IMSG_HDR_SIZE;

	memcpy(p + n, &s, sizeof(s));
	n += sizeof(s);
	memcpy(p + n, &nparams, sizeof(nparams));
	n += sizeof(nparams);
	memcpy(p + n, key, klen);
	n += klen;
	hdr(p, type, n);
	return n;
}

/* Feed n bytes to fb through the pipe. */
static void
feed(struct reader *fb, const unsigned char *p, size_t n)
{
	while (n > 0) {
		size_t	 k = n > 4096 ? 4096 : n;

		if (write(pfd[1], p, k) != (ssize_t)k)
			abort();
		while (reader_read(fb, pfd[0]) > 0)
			;
		p += k;
		n -= k;
	}
}

/* Parse the single frame held in p. */
static int
parse1(const unsigned char *p, size_t n, struct timsg_req *r,
    const char **e)
{
	static struct reader	 fb;
	static struct frame	 f;

	if (fb.in.buf == NULL && reader_init(&fb, READ_FRAMES, 0) == -1)
		abort();
	feed(&fb, p, n);
	if (reader_frame(&fb, &f) != 1)
		return -2;
	return timsg_parse(&f, r, e);
}

static void
test_framing(void)
{
	static unsigned char	 buf[70000];
	struct reader		 fb;
	struct frame		 f;
	size_t			 n;

	reader_init(&fb, READ_FRAMES, 0);
	n = hdr(buf, TIMSG_UPDATE, 16);
	feed(&fb, buf, 10);
	check(reader_frame(&fb, &f) == 0, "half a header is not a frame");
	feed(&fb, buf + 10, 6);
	check(reader_frame(&fb, &f) == 1 && f.type == TIMSG_UPDATE &&
	    f.len == 16 && f.datalen == 0 && f.bad == 0,
	    "a header cut in two makes one frame");
	check(reader_frame(&fb, &f) == 0 && !reader_pending(&fb),
	    "then nothing is left");

	n = req(buf, TIMSG_LOOKUP, 1, 0, "a@b", 4);
	n += req(buf + n, TIMSG_CHECK, 2, 0, "b", 2);
	feed(&fb, buf, n - 1);
	check(reader_frame(&fb, &f) == 1 && f.type == TIMSG_LOOKUP &&
	    f.datalen == 4 + sizeof(size_t) + 4,
	    "two frames in one read: the first");
	check(reader_frame(&fb, &f) == 0 && reader_pending(&fb),
	    "the second, one byte short, waits");
	feed(&fb, buf + n - 1, 1);
	check(reader_frame(&fb, &f) == 1 && f.type == TIMSG_CHECK,
	    "and comes with its last byte");

	hdr(buf, TIMSG_CHECK, 3);
	hdr(buf + 16, TIMSG_UPDATE, 16);
	feed(&fb, buf, 32);
	check(reader_frame(&fb, &f) == 1 && f.bad == FRAME_SHORT &&
	    f.type == TIMSG_CHECK && f.data == NULL,
	    "a length below 16: the header alone, marked short");
	check(reader_frame(&fb, &f) == 1 && f.bad == 0 &&
	    f.type == TIMSG_UPDATE, "the next frame starts after it");

	memset(buf, 'z', sizeof(buf));
	hdr(buf, TIMSG_LOOKUP, 40000);
	hdr(buf + 16, TIMSG_UPDATE, 16);
	feed(&fb, buf, 32);
	check(reader_frame(&fb, &f) == 1 && f.bad == FRAME_LONG &&
	    f.len == 40000 && f.data == NULL,
	    "over 16384 bytes: handed out at once, without payload");
	check(reader_frame(&fb, &f) == 1 && f.type == TIMSG_UPDATE &&
	    f.bad == 0, "the frame after its header is read: the length "
	    "claimed is not consumed");
	check(reader_frame(&fb, &f) == 0 && !reader_pending(&fb),
	    "and nothing is left waiting");

	memset(buf, 0, sizeof(buf));
	hdr(buf, TIMSG_LOOKUP, IMSG_FRAME_MAX);
	feed(&fb, buf, IMSG_FRAME_MAX);
	check(reader_frame(&fb, &f) == 1 && f.bad == 0 &&
	    f.datalen == IMSG_FRAME_MAX - 16, "16384 bytes is a frame");
	hdr(buf, TIMSG_LOOKUP, IMSG_FRAME_MAX + 1);
	hdr(buf + 16, TIMSG_CHECK, 16);
	feed(&fb, buf, 32);
	check(reader_frame(&fb, &f) == 1 && f.bad == FRAME_LONG &&
	    reader_frame(&fb, &f) == 1 && f.type == TIMSG_CHECK &&
	    reader_frame(&fb, &f) == 0 && !reader_pending(&fb),
	    "16385 is too long: its header alone is dropped");
	reader_free(&fb);
}

static void
test_compose(void)
{
	struct ibuf	 wb;
	uint32_t	 type;
	uint16_t	 len;
	int		 r;
	char		 big[IMSG_FRAME_MAX];

	ibuf_init(&wb, 64, 1 << 20);
	check(timsg_reply_open(&wb) == 0 && ibuf_size(&wb) == 16,
	    "OPEN's reply: a bare OK header");
	memcpy(&type, ibuf_data(&wb), 4);
	memcpy(&len, (unsigned char *)ibuf_data(&wb) + 4, 2);
	check(type == TIMSG_OK && len == 16, "type OK, length 16");
	ibuf_truncate(&wb, 0);
	timsg_reply_int(&wb, -1);
	memcpy(&len, (unsigned char *)ibuf_data(&wb) + 4, 2);
	memcpy(&r, (unsigned char *)ibuf_data(&wb) + 16, 4);
	check(ibuf_size(&wb) == 20 && len == 20 && r == -1, "an int reply");
	ibuf_truncate(&wb, 0);
	check(timsg_reply_value(&wb, "vmail", 5) == 0 && ibuf_size(&wb) == 26 &&
	    memcmp((unsigned char *)ibuf_data(&wb) + 20, "vmail", 6) == 0,
	    "a value: 1, then the value and its NUL");
	memcpy(&r, (unsigned char *)ibuf_data(&wb) + 16, 4);
	check(r == 1, "found is 1");
	ibuf_truncate(&wb, 0);
	check(timsg_reply_value(&wb, "", 0) == -1 && ibuf_size(&wb) == 0,
	    "an empty value is refused");
	check(timsg_reply_value(&wb, "a\0b", 3) == -1 && ibuf_size(&wb) == 0,
	    "a value with a NUL is refused");
	memset(big, 'v', sizeof(big));
	big[IMSG_FRAME_MAX - 21] = '\0';
	check(timsg_reply_value(&wb, big, IMSG_FRAME_MAX - 21) == 0 &&
	    ibuf_size(&wb) == IMSG_FRAME_MAX, "a value that fills a frame");
	ibuf_truncate(&wb, 0);
	big[IMSG_FRAME_MAX - 20] = '\0';
	check(timsg_reply_value(&wb, big, IMSG_FRAME_MAX - 20) == -1 &&
	    ibuf_size(&wb) == 0, "one byte more is refused, nothing queued");

	timsg_reply_failure(&wb, TIMSG_CHECK);
	memcpy(&r, (unsigned char *)ibuf_data(&wb) + 16, 4);
	check(ibuf_size(&wb) == 20 && r == -1, "failure of CHECK: -1");
	ibuf_truncate(&wb, 0);
	timsg_reply_failure(&wb, TIMSG_UPDATE);
	memcpy(&r, (unsigned char *)ibuf_data(&wb) + 16, 4);
	check(ibuf_size(&wb) == 20 && r == 0, "failure of UPDATE: 0");
	ibuf_truncate(&wb, 0);
	timsg_reply_failure(&wb, TIMSG_OPEN);
	memcpy(&type, ibuf_data(&wb), 4);
	check(ibuf_size(&wb) == 16 && type == TIMSG_OK, "failure of OPEN: OK");
	ibuf_truncate(&wb, 0);
	timsg_reply_failure(&wb, TIMSG_CLOSE);
	check(ibuf_size(&wb) == 0, "failure of CLOSE: nothing");
	timsg_reply_failure(&wb, 99);
	memcpy(&type, ibuf_data(&wb), 4);
	check(ibuf_size(&wb) == 16 && type == TIMSG_FAIL,
	    "an unknown type: FAIL");
	ibuf_free(&wb);
}

static void
test_parse(void)
{
	static unsigned char	 buf[8192];
	static char		 key[2048];
	struct timsg_req	 r;
	const char		*e;
	size_t			 n;
	uint32_t		 v = 2;

	n = hdr(buf, TIMSG_OPEN, 16 + 4 + 2048);
	memcpy(buf + n, &v, 4);
	memset(buf + n + 4, 0, 2048);
	memcpy(buf + n + 4, "kit", 3);
	check(parse1(buf, 16 + 4 + 2048, &r, &e) == 0 && r.version == 2 &&
	    strcmp(r.name, "kit") == 0, "OPEN: version and table name");
	hdr(buf, TIMSG_OPEN, 16 + 4 + 4096);
	memset(buf + 20, 0, 4096);
	check(parse1(buf, 16 + 4 + 4096, &r, &e) == 0,
	    "OPEN with musl's 4096-byte name field");
	hdr(buf, TIMSG_OPEN, 18);
	check(parse1(buf, 18, &r, &e) == -1 && r.type == TIMSG_OPEN,
	    "OPEN without a whole version refused");
	hdr(buf, TIMSG_UPDATE, 16);
	check(parse1(buf, 16, &r, &e) == 0 && r.type == TIMSG_UPDATE,
	    "UPDATE");
	hdr(buf, TIMSG_UPDATE, 17);
	check(parse1(buf, 17, &r, &e) == -1, "UPDATE with a payload refused");
	hdr(buf, TIMSG_CLOSE, 16);
	check(parse1(buf, 16, &r, &e) == 0 && r.type == TIMSG_CLOSE, "CLOSE");

	n = req(buf, TIMSG_LOOKUP, 0x1, 0, "bob@example.com", 16);
	check(parse1(buf, n, &r, &e) == 0 && r.service == SVC_ALIAS &&
	    r.op == OP_LOOKUP && r.keylen == 15 &&
	    strcmp(r.key, "bob@example.com") == 0, "LOOKUP alias");
	n = req(buf, TIMSG_CHECK, 0x100, 0, "", 1);
	check(parse1(buf, n, &r, &e) == 0 && r.service == SVC_MAILADDRMAP &&
	    r.op == OP_CHECK && r.keylen == 0, "CHECK mailaddrmap, empty key");
	n = req(buf, TIMSG_LOOKUP, 0x4, 0, "a|b\nc\r", 7);
	check(parse1(buf, n, &r, &e) == 0 && r.service == SVC_CREDENTIALS &&
	    r.keylen == 6, "a key may hold '|', CR and LF");
	n = req(buf, TIMSG_LOOKUP, 0x200, 0, "k", 2);
	check(parse1(buf, n, &r, &e) == 0 && r.service == -1 &&
	    r.kservice == 0x200,
	    "relayhost: smtpd's, not served: no service, not an error");
	n = req(buf, TIMSG_FETCH, 0x20, 0, "", 0);
	check(parse1(buf, n, &r, &e) == 0 && r.service == SVC_SOURCE &&
	    r.op == OP_FETCH && r.key == NULL, "FETCH source");
	n = req(buf, TIMSG_FETCH, 0x20, 0, "", 1);
	check(parse1(buf, n, &r, &e) == -1, "FETCH with a byte more refused");

	n = req(buf, TIMSG_LOOKUP, 0x1, 0, "abc", 3);
	check(parse1(buf, n, &r, &e) == -1 &&
	    strcmp(e, "key not NUL-terminated") == 0,
	    "key without NUL refused");
	n = req(buf, TIMSG_LOOKUP, 0x1, 0, "a\0bc", 5);
	check(parse1(buf, n, &r, &e) == -1, "bytes after the key's NUL refused");
	n = req(buf, TIMSG_LOOKUP, 0x1, 0, "", 0);
	check(parse1(buf, n, &r, &e) == -1, "no key refused");
	n = req(buf, TIMSG_LOOKUP, 0x1, 2, "k", 2);
	check(parse1(buf, n, &r, &e) == -1, "parameters refused");
	n = req(buf, TIMSG_LOOKUP, 0x3, 0, "k", 2);
	check(parse1(buf, n, &r, &e) == -1 && strcmp(e, "unknown service") ==
	    0, "two services at once refused");
	n = req(buf, TIMSG_LOOKUP, 0x1000, 0, "k", 2);
	check(parse1(buf, n, &r, &e) == -1, "7.6's auth bit refused");
	memset(key, 'k', sizeof(key));
	key[1023] = '\0';
	n = req(buf, TIMSG_CHECK, 0x2, 0, key, 1024);
	check(parse1(buf, n, &r, &e) == 0 && r.keylen == 1023,
	    "a key of 1023 bytes, as long as smtpd sends");
	key[1023] = 'k';
	key[1024] = '\0';
	n = req(buf, TIMSG_CHECK, 0x2, 0, key, 1025);
	check(parse1(buf, n, &r, &e) == -1 &&
	    strcmp(e, "key over 1024 bytes") == 0, "1024 bytes refused");
	hdr(buf, TIMSG_LOOKUP, 16 + 6);
	check(parse1(buf, 22, &r, &e) == -1,
	    "too short for service and count refused");
	hdr(buf, 42, 16);
	check(parse1(buf, 16, &r, &e) == -1 &&
	    strcmp(e, "unknown message type") == 0 && r.type == 42,
	    "unknown type refused, its type kept");
	hdr(buf, TIMSG_OK, 16);
	check(parse1(buf, 16, &r, &e) == -1, "an OK from the peer refused");
	hdr(buf, TIMSG_LOOKUP, 2);
	check(parse1(buf, 16, &r, &e) == -1 && r.type == TIMSG_LOOKUP,
	    "a short frame refused, its type kept");
}

static void
test_detect(void)
{
	int	 sp[2], p[2];
	char	 c;
	unsigned char h[16];

	check(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0 &&
	    write(sp[1], "config|smtpd-version|7.6.0\n", 27) == 27,
	    "a config line written");
	check(timsg_detect(sp[0]) == 0, "a config line: the text protocol");
	check(read(sp[0], &c, 1) == 1 && c == 'c', "its first byte left unread");
	close(sp[0]);
	close(sp[1]);

	hdr(h, TIMSG_OPEN, 16 + 4 + 2048);
	check(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0 &&
	    write(sp[1], h, 1) == 1, "an OPEN's first byte written");
	check(timsg_detect(sp[0]) == 1, "an OPEN's first byte: legacy");
	close(sp[0]);
	close(sp[1]);

	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	close(sp[1]);
	check(timsg_detect(sp[0]) == -1, "end of input first: -1");
	close(sp[0]);

	check(pipe(p) == 0 && write(p[1], h, 1) == 1,
	    "a byte written to a pipe");
	check(timsg_detect(p[0]) == 0,
	    "a pipe: the text protocol (legacy replies need a socket)");
	close(p[0]);
	close(p[1]);
}

/*
 * Streams of random frames, sound and not, written in one go and read
 * back: the frames handed out are the ones made, in order, whatever the
 * lengths say, and parsing any of them is safe.
 */
static void
test_streams(void)
{
	static unsigned char	 s[STREAM_FRAMES * 70000];
	struct reader		 fb;
	struct frame		 f;
	struct timsg_req	 r;
	const char		*e;
	uint32_t		 types[STREAM_FRAMES];
	size_t			 lens[STREAM_FRAMES], n, k, off;
	int			 run, i, got, bad = 0, fl;

	fl = fcntl(pfd[0], F_GETFL);
	fcntl(pfd[0], F_SETFL, fl | O_NONBLOCK);
	srandom(11);
	for (run = 0; run < STREAM_RUNS && !bad; run++) {
		reader_init(&fb, READ_FRAMES, 0);
		n = 0;
		for (i = 0; i < STREAM_FRAMES; i++) {
			uint32_t	 t = random() % 10;
			size_t		 l;

			switch (random() % 8) {
			case 0:
				l = random() % 16;
				break;
			case 1:
				l = IMSG_FRAME_MAX + 1 +
				    random() % (65535 - IMSG_FRAME_MAX);
				break;
			default:
				l = 16 + random() % 600;
				break;
			}
			hdr(s + n, t, l);
			if (l > 16 && l <= IMSG_FRAME_MAX)
				memset(s + n + 16, random() % 3 ? 0 : 'k', l - 16);
			for (k = 16; k < l && k < 96 && l <= IMSG_FRAME_MAX;
			    k++)
				s[n + k] = random() % 3 == 0 ? 0 : random();
			types[i] = t;
			lens[i] = l;
			/* A bad length is its header alone on the wire. */
			n += l < 16 || l > IMSG_FRAME_MAX ? 16 : l;
		}
		got = 0;
		off = 0;
		while (off < n) {
			k = 1 + random() % 9000;
			if (k > n - off)
				k = n - off;
			if (write(pfd[1], s + off, k) != (ssize_t)k)
				abort();
			off += k;
			while (reader_read(&fb, pfd[0]) > 0)
				;
			while (reader_frame(&fb, &f) == 1) {
				if (got >= STREAM_FRAMES ||
				    f.type != types[got] || f.len != lens[got])
					bad++;
				(void)timsg_parse(&f, &r, &e);
				got++;
			}
		}
		if (got != STREAM_FRAMES || reader_pending(&fb))
			bad++;
		reader_free(&fb);
	}
	check(bad == 0, "3000 streams of 40 random frames cut at random: "
	    "every frame read back as made");
	fcntl(pfd[0], F_SETFL, fl);
}

int
main(void)
{
	if (pipe(pfd) == -1)
		return 1;
	fcntl(pfd[0], F_SETFL, fcntl(pfd[0], F_GETFL) | O_NONBLOCK);
	test_framing();
	test_compose();
	test_parse();
	test_detect();
	test_streams();
	return unit_done();
}
