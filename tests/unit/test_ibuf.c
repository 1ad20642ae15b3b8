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

/* lib/ibuf.c: the buffer every other one is. */

#include <sys/types.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "ibuf.h"
#include "unit.h"

int
main(void)
{
	struct ibuf	 b;
	char		 out[64], big[100], *p;
	int		 fd[2];

	ibuf_init(&b, 4, 64);
	check(ibuf_add(&b, "hello ", 6) == 0 && ibuf_add(&b, "world", 5) == 0 &&
	    ibuf_size(&b) == 11 &&
	    memcmp(ibuf_data(&b), "hello world", 11) == 0,
	    "the buffer grows and keeps order");
	memset(big, 0, sizeof(big));
	check(ibuf_add(&b, big, 100) == -1 && ibuf_size(&b) == 11,
	    "it refuses to grow past its limit, adding nothing");
	check(ibuf_reserve(&b, 54) == NULL && ibuf_reserve(&b, 53) != NULL &&
	    ibuf_size(&b) == 64 && b.size == 64,
	    "it grows up to its limit exactly");
	ibuf_truncate(&b, 11);
	if (pipe(fd) == 0) {
		check(ibuf_write(&b, fd[1]) == 0 && ibuf_size(&b) == 0 &&
		    read(fd[0], out, sizeof(out)) == 11 &&
		    memcmp(out, "hello world", 11) == 0,
		    "write writes everything held");
		close(fd[0]);
		close(fd[1]);
	}

	ibuf_truncate(&b, 0);
	ibuf_add(&b, "abcdef", 6);
	ibuf_skip(&b, 2);
	check(ibuf_size(&b) == 4 && memcmp(ibuf_data(&b), "cdef", 4) == 0,
	    "skip takes bytes at the read end");
	check((p = ibuf_reserve(&b, 60)) != NULL && ibuf_size(&b) == 64 &&
	    memcmp(ibuf_data(&b), "cdef", 4) == 0,
	    "the bytes taken make room before the limit is reached");
	ibuf_skip(&b, 64);
	check(ibuf_size(&b) == 0 && b.rpos == 0 && b.wpos == 0,
	    "an emptied buffer starts over");

	check(ibuf_addz(&b, "abc", 3) == 0 && ibuf_size(&b) == 3 &&
	    strcmp(ibuf_data(&b), "abc") == 0 && ibuf_addz(&b, "de", 2) == 0 &&
	    strcmp(ibuf_data(&b), "abcde") == 0,
	    "addz keeps a NUL after the bytes, not counted");
	ibuf_truncate(&b, 0);
	memset(big, 'x', 63);
	check(ibuf_addz(&b, big, 64) == -1 && ibuf_addz(&b, big, 63) == 0 &&
	    ibuf_size(&b) == 63, "and the NUL must fit within the limit");
	ibuf_free(&b);

	ibuf_init(&b, 0, 256);
	check(b.buf == NULL && ibuf_grow(&b, 512) == -1 &&
	    ibuf_grow(&b, 100) == 0 && b.size == 100 && ibuf_left(&b) == 100,
	    "grow sets the allocation, within the limit");
	ibuf_free(&b);

	ibuf_fixed(&b, out, 8);
	check(ibuf_addz(&b, "ab", 2) == 0 && ibuf_addz(&b, "cdef", 2) == 0 &&
	    ibuf_size(&b) == 4 && strcmp(out, "abcd") == 0,
	    "over the caller's memory: pieces appended, NUL-terminated");
	check(ibuf_addz(&b, "efg", 3) == 0 && strcmp(out, "abcdefg") == 0 &&
	    ibuf_addz(&b, "h", 1) == -1 && ibuf_size(&b) == 7 &&
	    strcmp(out, "abcdefg") == 0 && b.buf == (unsigned char *)out,
	    "filled up to the byte the NUL needs, and never grown");
	ibuf_free(&b);

	ibuf_init(&b, 8, 8);
	if (pipe(fd) == 0) {
		if (write(fd[1], "0123456789", 10) != 10)
			check(0, "writing the input");
		check(ibuf_read(&b, fd[0], 100) == 8 && ibuf_size(&b) == 8,
		    "read fills the room at most, without growing");
		check(ibuf_read(&b, fd[0], 100) == -1 && errno == ENOBUFS,
		    "and says so when there is none");
		ibuf_skip(&b, 4);
		check(ibuf_read(&b, fd[0], 1) == 1 && ibuf_size(&b) == 5 &&
		    memcmp(ibuf_data(&b), "45678", 5) == 0,
		    "the bytes taken make room, and n bounds the read");
		close(fd[1]);
		ibuf_truncate(&b, 0);
		check(ibuf_read(&b, fd[0], 8) == 1 &&
		    ibuf_read(&b, fd[0], 8) == 0, "0 at end of file");
		close(fd[0]);
	}
	ibuf_free(&b);
	return unit_done();
}
