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

#ifndef READER_H
#define READER_H

#include <sys/types.h>

#include <stdint.h>

#include "ibuf.h"
#include "msgio.h"

/*
 * The one reader of smtpd's protocols: non-blocking input on libevent
 * (msgio.c) into one bounded buffer, cut in place, without a copy or an
 * allocation, into lines (the text protocols) or into imsg frames (the
 * table protocol of smtpd 6.6 to 7.5); replies queued in out.  The
 * cutters read no input of their own: reader_read feeds them, so that
 * they are tested and fuzzed without an event loop.
 */

#define LINE_TRUNCATED	0x01	/* the line was longer than max: prefix only */

/*
 * OpenBSD imsg framing, as smtpd 6.6 to 7.5 uses it with its table
 * processes: a 16-byte header in host byte order (type, total length,
 * flags, peer id, pid), then the payload.
 */
#define IMSG_HDR_SIZE	16
#define IMSG_FRAME_MAX	16384	/* longest frame smtpd sends or takes */

#define FRAME_SHORT	1	/* length below the header's own: header only */
#define FRAME_LONG	2	/* over IMSG_FRAME_MAX: header only */

struct imsg_hdr {
	uint32_t	 type;
	uint16_t	 len;
	uint16_t	 flags;
	uint32_t	 peerid;
	uint32_t	 pid;
};

struct frame {
	uint32_t	 type;
	size_t		 len;		/* total length, as the header says */
	unsigned char	*data;		/* the payload, when bad is 0 */
	size_t		 datalen;
	int		 bad;		/* FRAME_SHORT, FRAME_LONG or 0 */
};

#define READ_LINES	0
#define READ_FRAMES	1

struct reader {
	struct ibuf	 in;
	struct ibuf	 out;
	struct msgio	 m;
	int		 kind;		/* READ_LINES or READ_FRAMES */
	size_t		 max;		/* longest line handed out whole */
	int		 skipping;	/* dropping an oversized line's tail */
	void		(*online)(void *, char *, size_t, int);
	void		(*onframe)(void *, struct frame *);
	void		*arg;
};

int	reader_init(struct reader *, int, size_t);
ssize_t	reader_read(struct reader *, int);
int	reader_line(struct reader *, char **, size_t *, int *);
int	reader_frame(struct reader *, struct frame *);
int	reader_pending(const struct reader *);

int	reader_lines(struct reader *, int, int, size_t,
	    void (*)(void *, char *, size_t, int),
	    void (*)(void *, const char *), void *);
int	reader_frames(struct reader *, int, void (*)(void *, struct frame *),
	    void (*)(void *, const char *), void *);
void	reader_finish(struct reader *);
void	reader_free(struct reader *);

#endif
