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

#ifndef FUZZDB_H
#define FUZZDB_H

/*
 * What the fuzz targets share: a database of the default schema with a
 * few accounts, aliases and grants, its sqlite.conf, in a directory of
 * its own; the start of a target; a table query answered from it; and
 * the input split into NUL-terminated lines.
 */

#include <stddef.h>
#include <stdint.h>

struct backend;
struct ibuf;

/* What libFuzzer calls. */
int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

const char	*fuzzdb_dir(void);
const char	*fuzzdb_conf(void);
struct backend	*fuzzdb_backend(void);
struct backend	*fuzz_init(const char *, struct ibuf *);
int		 fuzz_answer(struct backend *, int, int, char *, size_t,
		    const char **, const char **);
char		*fuzz_copy(const unsigned char *, size_t);
char		*fuzz_line(char **, size_t *, size_t *);
void		 fuzz_lines(const unsigned char *, size_t,
		    void (*)(char *, size_t));

#endif
