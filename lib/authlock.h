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

#ifndef AUTHLOCK_H
#define AUTHLOCK_H

#include <sys/types.h>

#include <stddef.h>
#include <time.h>

#define AUTHLOCK_LOGIN_MAX	512

int	authlock_set(const char *, const char *, time_t);
int	authlock_held(const char *, const char *, size_t, time_t);
int	authlock_sweep(const char *, time_t);
int	authlock_set_at(int, const char *, time_t);
int	authlock_held_at(int, const char *, size_t, time_t);
int	authlock_sweep_at(int, time_t);
int	authlock_keep(const char *);
int	authlock_follow(const char *);
void	authlock_unkeep(void);

#endif
