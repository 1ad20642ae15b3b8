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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "backend.h"
#include "db.h"
#include "fuzzdb.h"
#include "ibuf.h"
#include "log.h"
#include "schema.h"
#include "table_sqlite.h"

static char	 dir[] = "/tmp/kitfuzz.XXXXXX";
static char	 conf[64];

static const char *rows =
    "INSERT INTO domains VALUES ('example.com'), ('example.org');"
    "INSERT INTO users VALUES ('bob@example.com', '$2b$10$x', 1),"
    " ('ann@example.com', '{SSHA512}eA==', 1),"
    " ('jane+sales@example.com', 'x', 1), ('off@example.com', 'x', 0);"
    "INSERT INTO aliases VALUES ('team@example.com', 'bob@example.com'),"
    " ('team@example.com', 'ann@example.com'),"
    " ('@example.org', 'bob@example.com');"
    "INSERT INTO senders VALUES ('bob@example.com', '@example.net');";

static void
setup(void)
{
	sqlite3	*db;
	char	 path[64];
	FILE	*fp;

	if (conf[0] != '\0')
		return;
	if (mkdtemp(dir) == NULL)
		fatal("mkdtemp");
	snprintf(path, sizeof(path), "%s/kit.sqlite", dir);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, rows, NULL, NULL, NULL) != SQLITE_OK)
		fatalx("fuzz database: %s", sqlite3_errmsg(db));
	sqlite3_close(db);
	snprintf(conf, sizeof(conf), "%s/sqlite.conf", dir);
	if ((fp = fopen(conf, "w")) == NULL)
		fatal("%s", conf);
	fprintf(fp, "dbpath %s\n", path);
	fclose(fp);
}

const char *
fuzzdb_dir(void)
{
	setup();
	return dir;
}

const char *
fuzzdb_conf(void)
{
	setup();
	return conf;
}

struct backend *
fuzzdb_backend(void)
{
	struct backend	*b;
	char		 err[512];

	setup();
	db_init();
	if ((b = backend_new(conf, err, sizeof(err))) == NULL ||
	    backend_ready(b, err, sizeof(err)) == -1)
		fatalx("fuzz backend: %s", err);
	return b;
}

/*
 * The start of target name: logging (to stderr with FUZZ_VERBOSE set:
 * the lines would drown the fuzzer's own output), out (when not NULL)
 * ready to take replies, and the backend on the database.
 */
struct backend *
fuzz_init(const char *name, struct ibuf *out)
{
	log_init(name, getenv("FUZZ_VERBOSE") != NULL ? LOG_TO_STDERR :
	    LOG_TO_NOWHERE, 0);
	if (out != NULL && ibuf_init(out, 65536, 8 * 1024 * 1024) == -1)
		fatal("ibuf");
	return fuzzdb_backend();
}

/*
 * table_answer() for the query op, service, key from b, as table-sqlite's
 * protocol front-ends ask it: the value found in *val, the reason of an
 * error in *err, each valid until the next call.
 */
int
fuzz_answer(struct backend *b, int op, int service, char *key,
    size_t keylen, const char **val, const char **err)
{
	static char		 value[VALUE_MAX];
	static struct lookup	 lk;
	struct table_query	 q = { op, service, key, keylen };
	int			 r;

	lk.val = value;
	lk.vlen = sizeof(value);
	lk.err[0] = '\0';
	r = table_answer(b, table_services(b), &q, &lk);
	*val = value;
	*err = lk.err;
	return r;
}

/* The input as a NUL-terminated string (a NUL inside stays). */
char *
fuzz_copy(const unsigned char *data, size_t size)
{
	char	*s;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * The next line of *p (*left bytes), NUL-terminated, its length in *len
 * (a NUL may be inside); NULL at the end.
 */
char *
fuzz_line(char **p, size_t *left, size_t *len)
{
	char	*line = *p, *nl;

	if (*left == 0)
		return NULL;
	if ((nl = memchr(line, '\n', *left)) == NULL) {
		*len = *left;
		*p += *left;
		*left = 0;
		return line;
	}
	*nl = '\0';
	*len = nl - line;
	*left -= nl - line + 1;
	*p = nl + 1;
	return line;
}

/* Hand each line of the input to fn, NUL-terminated, with its length. */
void
fuzz_lines(const unsigned char *data, size_t size,
    void (*fn)(char *, size_t))
{
	char	*buf, *p, *line;
	size_t	 left = size, len;

	p = buf = fuzz_copy(data, size);
	while ((line = fuzz_line(&p, &left, &len)) != NULL)
		fn(line, len);
	free(buf);
}
