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

#ifndef PROTO_H
#define PROTO_H

#include <stddef.h>

struct ibuf;

#define PROTO_FIELDS_MAX	8	/* fields of a line, for proto_addline() */

size_t	proto_split(char *, size_t, char **, size_t);
int	proto_token_ok(const char *, size_t);
int	proto_value_ok(const char *, size_t);
const char *proto_name(const char *const *, int, int);
const char *proto_config(const char *, const char *);
int	proto_version_atleast(const char *, unsigned int, unsigned int,
	    unsigned int, unsigned int);
int	proto_addline(struct ibuf *, const char *const *, size_t);
int	proto_register(struct ibuf *, const char *, const char *const *, int,
	    int);

#endif
