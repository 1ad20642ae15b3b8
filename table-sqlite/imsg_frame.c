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
 * imsg framing of a byte stream (see imsg_frame.h).  framebuf_next hands
 * out one frame at a time and never looks past the end its header gives:
 * a frame whose length is below the header's own, or over IMSG_FRAME_MAX,
 * is taken as its 16 header bytes alone: the length it claims is never
 * trusted, so that the frame after it, which smtpd sends once it has
 * its answer, is read where it begins.  No length in the input makes it
 * read, keep or allocate more than a fixed buffer.
 */

#include <sys/types.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg_frame.h"
#include "ibuf.h"

#define FRAMEBUF_SIZE	(4 * IMSG_FRAME_MAX)

/* The header as it is on the wire, host byte order. */
struct hdr {
	uint32_t	 type;
	uint16_t	 len;
	uint16_t	 flags;
	uint32_t	 peerid;
	uint32_t	 pid;
};

int
framebuf_init(struct framebuf *fb)
{
	memset(fb, 0, sizeof(*fb));
	fb->cap = FRAMEBUF_SIZE;
	if ((fb->buf = malloc(fb->cap)) == NULL)
		return -1;
	return 0;
}

void
framebuf_free(struct framebuf *fb)
{
	if (fb->buf != NULL)
		explicit_bzero(fb->buf, fb->cap);
	free(fb->buf);
	fb->buf = NULL;
}

/*
 * Read once from fd into the free space.  Returns what read(2) returned:
 * the byte count, 0 at end of file, -1 with errno set.
 */
ssize_t
framebuf_read(struct framebuf *fb, int fd)
{
	ssize_t	 n;

	if (fb->off > 0) {
		memmove(fb->buf, fb->buf + fb->off, fb->len - fb->off);
		fb->len -= fb->off;
		fb->off = 0;
	}
	if (fb->len == fb->cap) {
		/* Frames not handed out yet fill it: let next() take some. */
		errno = ENOBUFS;
		return -1;
	}
	do {
		n = read(fd, fb->buf + fb->len, fb->cap - fb->len);
	} while (n == -1 && errno == EINTR);
	if (n > 0)
		fb->len += n;
	return n;
}

/*
 * Hand out the next frame: 1 with *f set, 0 when more input is needed.
 * The payload stays valid until the next framebuf_read.
 */
int
framebuf_next(struct framebuf *fb, struct frame *f)
{
	struct hdr	 h;
	size_t		 avail;

	memset(f, 0, sizeof(*f));
	avail = fb->len - fb->off;
	if (avail < IMSG_HDR_SIZE)
		return 0;
	memcpy(&h, fb->buf + fb->off, sizeof(h));
	f->type = h.type;
	f->len = h.len;
	if (h.len < IMSG_HDR_SIZE) {
		f->bad = FRAME_SHORT;
		fb->off += IMSG_HDR_SIZE;
		return 1;
	}
	if (h.len > IMSG_FRAME_MAX) {
		f->bad = FRAME_LONG;
		fb->off += IMSG_HDR_SIZE;
		return 1;
	}
	if (avail < h.len)
		return 0;
	f->data = fb->buf + fb->off + IMSG_HDR_SIZE;
	f->datalen = h.len - IMSG_HDR_SIZE;
	fb->off += h.len;
	return 1;
}

/* Bytes of a frame begun but not complete (at end of input). */
int
framebuf_partial(struct framebuf *fb)
{
	return fb->len > fb->off;
}

/*
 * Queue one frame of type with the payload p1 then p2 (either may be
 * NULL).  Returns -1, queueing nothing, when it would not fit in
 * IMSG_FRAME_MAX or in the buffer.
 */
int
frame_add(struct ibuf *wb, uint32_t type, const void *p1, size_t l1,
    const void *p2, size_t l2)
{
	static uint32_t	 pid;
	struct hdr	 h;
	size_t		 save = ibuf_size(wb);

	if (l1 > IMSG_FRAME_MAX || l2 > IMSG_FRAME_MAX ||
	    IMSG_HDR_SIZE + l1 + l2 > IMSG_FRAME_MAX)
		return -1;
	if (pid == 0)
		pid = getpid();
	memset(&h, 0, sizeof(h));
	h.type = type;
	h.len = IMSG_HDR_SIZE + l1 + l2;
	h.pid = pid;
	if (ibuf_add(wb, &h, sizeof(h)) == -1 ||
	    (l1 > 0 && ibuf_add(wb, p1, l1) == -1) ||
	    (l2 > 0 && ibuf_add(wb, p2, l2) == -1)) {
		ibuf_truncate(wb, save);
		return -1;
	}
	return 0;
}
