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

#ifndef UNITDB_H
#define UNITDB_H

/*
 * For the unit tests that need a database (unitdb.c): one of the
 * default schema, in a directory of its own, with a table configuration
 * naming it.
 */

struct backend;

/* A few accounts, aliases and grants. */
#define UNITDB_ROWS \
	"INSERT INTO domains VALUES ('example.com'), ('example.org');" \
	"INSERT INTO users VALUES ('bob@example.com', '{PLAIN}secret', 1)," \
	" ('ann@example.com', '{PLAIN}secret', 1)," \
	" ('jane@example.com', '{PLAIN}secret', 1)," \
	" ('jane+sales@example.com', '{PLAIN}secret', 1)," \
	" ('off@example.com', '{PLAIN}secret', 0);" \
	"INSERT INTO aliases VALUES ('team@example.com', 'bob@example.com')," \
	" ('team@example.com', 'ann@example.com')," \
	" ('@example.org', 'bob@example.com');" \
	"INSERT INTO senders VALUES ('bob@example.com', '@example.net');"

extern char	 unitdb_dir[64], unitdb_path[128], unitdb_conf[128];

void		 unitdb_dirs(void);
void		 unitdb_new(void);
void		 unitdb_config(const char *);
void		 unitdb_exec(const char *);
struct backend	*unitdb_backend(void);
int		 unitdb_lookup(struct backend *, int, const char *, char *,
		    char *);
void		 unitdb_free(void);

#endif
