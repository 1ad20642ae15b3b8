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


/* What table-sqlite and filter-submission do alike when they start. */

#include <stddef.h>
#include <syslog.h>
#include <unistd.h>

#include "backend.h"
#include "log.h"
#include "sandbox.h"
#include "smtpduser.h"
#include "start.h"

/* An option both take, from getopt(3): 0, or -1 when ch is not one. */
int
start_option(struct start *st, int ch)
{
	switch (ch) {
	case 'd':
		st->debug = 1;
		return 0;
	case 'n':
		st->check = 1;
		return 0;
	case 'v':
		st->verbose++;
		return 0;
	default:
		return -1;
	}
}

/* Log as name: to stderr under -d or -n, else to where (LOG_TO_*). */
void
start_log(const char *name, const struct start *st, int where)
{
	log_init(name, st->debug || st->check ? LOG_TO_STDERR : where,
	    LOG_MAIL);
	log_setverbose(st->verbose);
}

/*
 * -n: the database answers, and smtpd's user can read the files of
 * paths (NULL-terminated) and the database.  Exits when not; what
 * smtpd's user may lack is a warning.
 */
void
start_check(struct backend *b, const char *const *paths)
{
	char	 err[512];

	if (backend_ready(b, err, sizeof(err)) == -1)
		fatalx("%s", err);
	switch (smtpd_user_check(paths, &b->conf, err, sizeof(err))) {
	case -1:
		fatalx("%s", err);
	case 1:
		log_warnx("%s", err);
		break;
	}
}

/* What a server engine reads at reconnection: the sandbox holds it. */
static struct dbsrv_files netfiles;

/*
 * Before sandbox_restrict(): learn and open now what b needs and the
 * sandbox would forbid later.  What fails is logged, and fails again
 * per request.
 */
void
start_keep(struct backend *b)
{
	char	 err[512];
	size_t	 i;

	/* The messages name this process's user: learn it while we can. */
	self_user(err, sizeof(err));
	/*
	 * A database server: connections out, again after an outage,
	 * reading what the engine reads then, where it exists now.
	 */
	if (b->srv != NULL) {
		dbsrv_files_free(&netfiles);
		dbsrv_files(b->srv, &b->conf, &netfiles);
		for (i = 0; i < netfiles.nread; i++)
			if (access(netfiles.read[i], F_OK) == 0)
				log_debug("readable for reconnections: %s",
				    netfiles.read[i]);
		for (i = 0; i < netfiles.nsock; i++)
			log_debug("socket directory for reconnections: %s",
			    netfiles.sock[i]);
		sandbox_network((const char *const *)netfiles.read,
		    (const char *const *)netfiles.sock);
	}
	if (sandbox_keep(b->conf.dbpath, b->conf.auth_lock_dir, err,
	    sizeof(err)) == -1)
		log_warnx("%s", err);
}
