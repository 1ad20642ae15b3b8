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
 * The reader of reader.h.  Both cutters take from the read end of the
 * input buffer and never look past what they hand out.
 *
 * Lines: a line longer than max comes out once, cut, and the rest of it
 * is dropped, however long, without holding more than twice max.
 *
 * Frames: a frame whose length is below the header's own, or over
 * IMSG_FRAME_MAX, is taken as its 16 header bytes alone: the length it
 * claims is never trusted, so that the frame after it, which smtpd
 * sends once it has its answer, is read where it begins.  No length in
 * the input makes it read, keep or allocate more than a fixed buffer.
 */

#include <sys/types.h>

#include <string.h>

#include "reader.h"

#define FRAMES_SIZE	(4 * IMSG_FRAME_MAX)

/*
 * Set r up to cut kind (READ_LINES, lines of at most max bytes, or
 * READ_FRAMES) from input that reader_read gives it.
 */
int
reader_init(struct reader *r, int kind, size_t max)
{
	size_t	 size;

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->max = max;
	size = kind == READ_LINES ? max * 2 + 2 : FRAMES_SIZE;
	return ibuf_init(&r->in, size, size);
}

/*
 * Room for input: a line's cutter keeps one byte to end the longest
 * line it holds with a NUL.
 */
static size_t
room(const struct reader *r)
{
	size_t	 size = r->in.size - ibuf_size(&r->in);

	return r->kind == READ_LINES ? size - 1 : size;
}

/*
 * Read once from fd into the room left.  Returns what read(2) returned:
 * the byte count, 0 at end of file, -1 with errno set (ENOBUFS when
 * what is held fills the buffer: only messages not handed out yet do).
 */
ssize_t
reader_read(struct reader *r, int fd)
{
	return ibuf_read(&r->in, fd, room(r));
}

/*
 * Hand out the next complete line, NUL-terminated in place, without its
 * newline.  It may hold NUL bytes of its own: callers use *lenp.  A line
 * longer than max comes out once, cut to max bytes, with LINE_TRUNCATED
 * in *flagsp; the rest of it is dropped.  Returns 1 for a line, 0 when
 * more input is needed.  The line stays valid until the next read.
 */
int
reader_line(struct reader *r, char **linep, size_t *lenp, int *flagsp)
{
	char	*start, *nl;
	size_t	 avail;

	for (;;) {
		start = ibuf_data(&r->in);
		avail = ibuf_size(&r->in);
		nl = memchr(start, '\n', avail);

		if (r->skipping) {
			if (nl == NULL) {
				ibuf_truncate(&r->in, 0);
				return 0;
			}
			ibuf_skip(&r->in, nl - start + 1);
			r->skipping = 0;
			continue;
		}

		if (nl != NULL && (size_t)(nl - start) <= r->max) {
			*nl = '\0';
			*linep = start;
			*lenp = nl - start;
			*flagsp = 0;
			ibuf_skip(&r->in, nl - start + 1);
			return 1;
		}
		if (nl == NULL && avail <= r->max)
			return 0;

		/* Oversized: hand out the head, drop the rest. */
		*linep = start;
		*lenp = r->max;
		*flagsp = LINE_TRUNCATED;
		if (nl != NULL)
			ibuf_skip(&r->in, nl - start + 1);
		else {
			ibuf_skip(&r->in, avail);
			r->skipping = 1;
		}
		start[r->max] = '\0';
		return 1;
	}
}

/*
 * Hand out the next frame: 1 with *f set, 0 when more input is needed.
 * The payload stays valid until the next read.
 */
int
reader_frame(struct reader *r, struct frame *f)
{
	struct imsg_hdr	 h;
	unsigned char	*p = ibuf_data(&r->in);
	size_t		 avail = ibuf_size(&r->in);

	memset(f, 0, sizeof(*f));
	if (avail < IMSG_HDR_SIZE)
		return 0;
	memcpy(&h, p, sizeof(h));
	f->type = h.type;
	f->len = h.len;
	if (h.len < IMSG_HDR_SIZE) {
		f->bad = FRAME_SHORT;
		ibuf_skip(&r->in, IMSG_HDR_SIZE);
		return 1;
	}
	if (h.len > IMSG_FRAME_MAX) {
		f->bad = FRAME_LONG;
		ibuf_skip(&r->in, IMSG_HDR_SIZE);
		return 1;
	}
	if (avail < h.len)
		return 0;
	f->data = p + IMSG_HDR_SIZE;
	f->datalen = h.len - IMSG_HDR_SIZE;
	ibuf_skip(&r->in, h.len);
	return 1;
}

/*
 * Is input held past the message just handed out?  A peer that waits
 * for each answer before it writes again leaves none.  At the end of
 * input, a frame's bytes held are a frame begun and not finished.
 */
int
reader_pending(const struct reader *r)
{
	return !r->skipping && ibuf_size(&r->in) > 0;
}

/* msgio's side: read, hand out one message, what is wrong at the end. */
static ssize_t
io_read(void *owner, int fd, size_t *roomp)
{
	struct reader	*r = owner;

	*roomp = room(r);
	return reader_read(r, fd);
}

static int
io_next(void *owner)
{
	struct reader	*r = owner;
	struct frame	 f;
	char		*line;
	size_t		 len;
	int		 flags;

	if (r->kind == READ_FRAMES) {
		if (reader_frame(r, &f) != 1)
			return 0;
		r->onframe(r->arg, &f);
		return 1;
	}
	if (reader_line(r, &line, &len, &flags) != 1)
		return 0;
	r->online(r->arg, line, len, flags);
	return 1;
}

static const char *
io_cut(void *owner)
{
	struct reader	*r = owner;

	if (r->kind == READ_FRAMES && reader_pending(r))
		return "input ended inside a frame";
	return NULL;
}

static const struct msgio_ops reader_ops = { io_read, io_next, io_cut };

/*
 * Lines of at most max bytes from infd to online(arg, line, len, flags),
 * replies in r->out (msgio.c sets it up) written to outfd; onclose(arg,
 * why) at the end.
 */
int
reader_lines(struct reader *r, int infd, int outfd, size_t max,
    void (*online)(void *, char *, size_t, int),
    void (*onclose)(void *, const char *), void *arg)
{
	if (reader_init(r, READ_LINES, max) == -1)
		return -1;
	r->online = online;
	r->arg = arg;
	return msgio_init(&r->m, infd, outfd, &r->out, &reader_ops, r,
	    onclose, arg);
}

/*
 * imsg frames on fd, both ways (smtpd before 7.6 gives its table one
 * socket, on standard input), to onframe(arg, frame).
 */
int
reader_frames(struct reader *r, int fd, void (*onframe)(void *, struct frame *),
    void (*onclose)(void *, const char *), void *arg)
{
	if (reader_init(r, READ_FRAMES, 0) == -1)
		return -1;
	r->onframe = onframe;
	r->arg = arg;
	return msgio_init(&r->m, fd, fd, &r->out, &reader_ops, r, onclose,
	    arg);
}

/* Read no more: close once what is queued is written. */
void
reader_finish(struct reader *r)
{
	msgio_finish(&r->m);
}

/* Stop watching the descriptors and free the buffers. */
void
reader_free(struct reader *r)
{
	msgio_free(&r->m);
	ibuf_free(&r->in);
}
