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
 * SQLite helpers: open a database the way a reader in the mail path
 * must (read-only, never created, short busy timeout), prepare and check
 * statements.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "smtpduser.h"

/*
 * Settings for a reader: a bounded page cache, no temporary files, and
 * no mmap: a database file that an admin overwrites or truncates in
 * place would kill the process with SIGBUS on the next read of a page
 * past the new end.
 */
static const char *reader_pragmas =
    "PRAGMA query_only = 1;"
    "PRAGMA mmap_size = 0;"
    "PRAGMA cache_size = -2048;"
    "PRAGMA temp_store = MEMORY;";

/* The message for a database this process may not read: who it is. */
void
db_denied(const char *path, char *err, size_t errlen)
{
	char	 who[64];

	snprintf(err, errlen, "cannot open database %s: permission denied "
	    "for user %s; make the file and its directories readable by it "
	    "(auth-helper init makes the file 0640, group of smtpd's user)",
	    path, self_user(who, sizeof(who)));
}

/* Before any other SQLite call: one thread, no allocation statistics. */
void
db_init(void)
{
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int
db_open_ro(const char *path, int busy_ms, sqlite3 **dbp, char *err,
    size_t errlen)
{
	sqlite3	*db = NULL;
	int	 rc;

	*dbp = NULL;
	rc = sqlite3_open_v2(path, &db,
	    SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		if (db != NULL && sqlite3_system_errno(db) == EACCES)
			db_denied(path, err, errlen);
		else
			snprintf(err, errlen, "cannot open database %s: %s",
			    path, db != NULL ? sqlite3_errmsg(db) :
			    sqlite3_errstr(rc));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, busy_ms);
	sqlite3_extended_result_codes(db, 1);
	if (sqlite3_exec(db, reader_pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		if (sqlite3_system_errno(db) == EACCES)
			db_denied(path, err, errlen);
		else
			snprintf(err, errlen, "cannot read database %s: %s",
			    path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	*dbp = db;
	return 0;
}

/* Prepare sql, which must return ncols columns (any count if ncols < 0). */
int
db_prepare(sqlite3 *db, const char *sql, int ncols, sqlite3_stmt **stp,
    char *err, size_t errlen)
{
	sqlite3_stmt	*st = NULL;

	*stp = NULL;
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s in query \"%s\"",
		    sqlite3_errmsg(db), sql);
		return -1;
	}
	if (st == NULL) {
		snprintf(err, errlen, "empty query");
		return -1;
	}
	if (ncols >= 0 && sqlite3_column_count(st) != ncols) {
		snprintf(err, errlen, "query returns %d columns, %d expected: "
		    "\"%s\"", sqlite3_column_count(st), ncols, sql);
		sqlite3_finalize(st);
		return -1;
	}
	*stp = st;
	return 0;
}

/* Is this result code a state of the file that may pass (locked, busy)? */
int
db_transient(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return 1;
	default:
		return 0;
	}
}
