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

#include <sys/types.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <event.h>

#include "authlock.h"
#include "db.h"
#include "log.h"
#include "pwargon2.h"
#include "pwcrypt.h"
#include "sandbox.h"
#include "start.h"
#include "table_imsg.h"
#include "table_sqlite.h"

static __dead void
usage(void)
{
	fprintf(stderr, "usage: table-sqlite [-dnv] [config]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	struct start	 st = { 0 };
	struct backend	*b;
	const char	*path = SQLCONF_DEFAULT, *paths[4];
	char		 err[512], dir[1024];
	int		 ch;

	while ((ch = getopt(argc, argv, "dnv")) != -1)
		if (start_option(&st, ch) == -1)
			usage();
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage();
	if (argc == 1)
		path = argv[0];

	/* Under smtpd -d the table's stderr is smtpd's own: write there too. */
	start_log("table-sqlite", &st,
	    LOG_TO_SYSLOG | (log_stderr_useful() ? LOG_TO_STDERR : 0));

	db_init();
	pwargon2_enable();
	if ((b = backend_new(path, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	if (st.check) {
		paths[0] = path;
		paths[1] = NULL;
		start_check(b, paths);
		if (sqlconf_virtual_user_missing(&b->conf))
			fatalx("virtual_user %s does not exist on this system: "
			    "smtpd would refuse every local recipient (550 "
			    "Invalid recipient); create it (see virtual_user "
			    "in table-sqlite(5))", b->conf.virtual_user);
		fprintf(stderr, "configuration OK\n");
		backend_free(b);
		return 0;
	}
	/* A database that is not there yet is an error per request. */
	(void)backend_ready(b, err, sizeof(err));
	/*
	 * What this crypt(3) checks is tried now (a few ms), not during
	 * the first credentials lookup that finds a user.
	 */
	log_debug("crypt(3) checks %s", pwcrypt_checks());

	/* From here on: read the configuration and the database, no more. */
	paths[0] = path;
	paths[1] = sandbox_dirname(b->conf.dbpath, dir, sizeof(dir));
	paths[2] = b->conf.auth_lock_dir;	/* the filter's lockouts */
	paths[3] = NULL;
	start_keep(b);
	/* The lockouts: one fstatat(2) a lookup, not a walk of the path. */
	(void)authlock_follow(b->conf.auth_lock_dir);
	if (sandbox_restrict(paths, NULL, err, sizeof(err)) != SANDBOX_FULL)
		log_info("restrictions after start-up: %s", err);

	signal(SIGPIPE, SIG_IGN);
	event_init();
	/* The one place that tells which protocol smtpd speaks. */
	switch (timsg_detect(STDIN_FILENO)) {
	case -1:
		log_debug("smtpd closed the table before any request");
		break;
	case 1:
		proto_imsg_run(path, b);
		break;
	default:
		proto_text_run(path, b);
		break;
	}
	backend_free(b);
	return 0;
}
