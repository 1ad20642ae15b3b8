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
 * What both protocols of table-sqlite do with the backend they serve:
 * start serving it, replace it on smtpd's update, and end when smtpd
 * is gone.
 */

#include <stdlib.h>

#include "authlock.h"
#include "log.h"
#include "table_sqlite.h"

/* Serve b, read from confpath, once io is set up. */
void
serve_start(struct serve *sv, const char *confpath, struct backend *b)
{
	sv->b = b;
	sv->confpath = confpath;
	readtx_start(&sv->rt, sv->b);
}

/*
 * smtpd's update: the configuration read again serves from now on.
 * -1 with the reason in err when it cannot be read: the old one still
 * serves.
 */
int
serve_update(struct serve *sv, char *err, size_t errlen)
{
	struct backend	*nb;

	if ((nb = backend_reload(sv->confpath, err, errlen)) == NULL) {
		log_warnx("update failed, still serving the old "
		    "configuration: %s", err);
		return -1;
	}
	backend_free(sv->b);
	sv->b = nb;
	readtx_start(&sv->rt, sv->b);
	/* Another auth_lock_dir is followed as the first one was. */
	(void)authlock_follow(sv->b->conf.auth_lock_dir);
	log_info("configuration %s reloaded", sv->confpath);
	return 0;
}

/* The end of smtpd's input, and of this process; why: NULL or lost. */
__dead void
serve_end(struct serve *sv, const char *why)
{
	if (why != NULL)
		log_warnx("connection to smtpd lost: %s", why);
	backend_free(sv->b);
	exit(0);
}
