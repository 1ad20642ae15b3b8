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
#include <string.h>
#include <unistd.h>

#include <event.h>

#include "db.h"
#include "log.h"
#include "proto.h"
#include "reader.h"
#include "readtx.h"
#include "sandbox.h"
#include "start.h"
#include "submission.h"

/*
 * smtpd passes message lines of up to 65,534 bytes (SMTP_LINE_MAX in
 * smtp_session.c); the data-line request adds about 100 bytes to that.
 */
#define LINE_MAX_FILTER	(65536 + 4096)

static struct filter	 env;
static struct readtx	 readtx;
static struct reader	 io;
static struct event	 evusr1;
static struct event	 evlog;
static int		 ready;

static __dead void
usage(void)
{
	fprintf(stderr, "usage: filter-submission [-dnv] [-f file]\n");
	exit(1);
}

/* What we ask smtpd for: only what the enabled rules need. */
static void
do_register(void)
{
	int	 reports, phases;

	reports = 1 << EV_LINK_CONNECT | 1 << EV_LINK_DISCONNECT |
	    1 << EV_LINK_GREETING | 1 << EV_LINK_TLS | 1 << EV_LINK_AUTH |
	    1 << EV_TX_MAIL | 1 << EV_TX_RCPT | 1 << EV_TX_COMMIT;
	phases = 1 << PH_MAIL_FROM | 1 << PH_RCPT_TO;
	if (env.conf.auth_fail_limit > 0)
		phases |= 1 << PH_CONNECT;
	if (env.conf.require_tls || env.conf.auth_fail_limit > 0)
		phases |= 1 << PH_AUTH;
	if (env.conf.header_check)
		phases |= 1 << PH_DATA_LINE | 1 << PH_COMMIT;
	filter_register(&io.out, reports, phases);
	ready = 1;
}

static void
online(void *arg, char *line, size_t len, int flags)
{
	struct fline	 fl;
	const char	*errstr, *v;

	if (!ready) {
		if (strcmp(line, "config|ready") == 0)
			do_register();
		else if ((v = proto_config(line, "smtpd-version")) != NULL) {
			filter_smtpd_version(&env, v);
			log_debug("%s", line);
		}
		else if (strncmp(line, "config|", 7) != 0)
			log_warnx("unexpected line before the handshake, "
			    "ignored");
		else
			log_debug("%s", line);
		return;
	}
	if (flags & LINE_TRUNCATED) {
		log_warnx("line longer than %d bytes, dropped",
		    LINE_MAX_FILTER);
		return;
	}
	if (filter_parse(line, len, &fl, &errstr) == -1) {
		if (fl.type == FP_FILTER)
			filter_bad_request(&env, &fl, errstr);
		else
			log_warnx("bad line: %s", errstr);
		return;
	}
	if (fl.type == FP_REPORT)
		report_event(&env, &fl);
	else
		filter_request(&env, &fl);
}

/* SIGUSR1: the admin lifts every failed-AUTH lockout. */
static void
onusr1(int sig, short ev, void *arg)
{
	authlimit_clear();
}

/*
 * The log lines of a burst of requests go to syslog together, once the
 * burst is answered: a zero timer runs after the events at hand.
 */
static void
onlog(int fd, short ev, void *arg)
{
	log_flush();
}

static void
onhold(void)
{
	struct timeval	 now = { 0, 0 };

	evtimer_add(&evlog, &now);
}

static void
onclose(void *arg, const char *why)
{
	if (why != NULL)
		log_warnx("connection to smtpd lost: %s", why);
	exit(0);
}

/*
 * From here on the filter reads its configurations and the database,
 * writes in the lockout directory only, and talks to a database server
 * when the table names one.
 */
static void
confine(const char *path)
{
	const char	*paths[4], *wpaths[2];
	char		 err[512], dir[1024];

	paths[0] = path;
	paths[1] = env.conf.table;
	paths[2] = sandbox_dirname(env.backend->conf.dbpath, dir,
	    sizeof(dir));
	paths[3] = NULL;
	wpaths[0] = env.backend->conf.auth_lock_dir;
	wpaths[1] = NULL;
	authlimit_lockdir(env.backend->conf.auth_lock_dir);
	authlimit_store(env.backend);
	start_keep(env.backend);
	/* iconv's tables are files: the converters are opened now. */
	if (sandbox_no_paths() && display_keep_charsets() == 0)
		log_warnx("no charset converter could be opened: encoded "
		    "words in any charset but UTF-8 and US-ASCII are refused");
	if (sandbox_restrict(paths, wpaths, err, sizeof(err)) != SANDBOX_FULL)
		log_info("restrictions after start-up: %s", err);
}

int
main(int argc, char *argv[])
{
	struct start	 st = { 0 };
	const char	*path = CONF_DEFAULT, *paths[3];
	char		 err[512];
	int		 ch;

	while ((ch = getopt(argc, argv, "df:nv")) != -1) {
		if (ch == 'f')
			path = optarg;
		else if (start_option(&st, ch) == -1)
			usage();
	}
	if (optind != argc)
		usage();

	/*
	 * To syslog at each line's priority: smtpd would log what a filter
	 * writes on its standard error as an error.  -d or -n: stderr.
	 */
	start_log("filter-submission", &st, LOG_TO_SYSLOG);

	if (fconf_load(path, &env.conf, err, sizeof(err)) == -1)
		fatalx("%s", err);
	db_init();
	env.backend = backend_new(env.conf.table, err, sizeof(err));
	if (env.backend == NULL)
		fatalx("%s", err);
	if (env.conf.relay_check &&
	    env.backend->conf.query[Q_DOMAIN] == NULL)
		fatalx("%s: relay_check needs a domain query in %s",
		    path, env.conf.table);
	if ((env.conf.sender_check || env.conf.header_check) &&
	    env.backend->conf.query[Q_MAILADDRMAP] == NULL)
		fatalx("%s: sender_check and header_check need a "
		    "mailaddrmap query in %s", path, env.conf.table);
	if (st.check) {
		paths[0] = path;
		paths[1] = env.conf.table;
		paths[2] = NULL;
		start_check(env.backend, paths);
		fprintf(stderr, "configuration OK\n");
		return 0;
	}
	/* A missing database means temporary failures, not an exit. */
	(void)backend_ready(env.backend, err, sizeof(err));

	confine(path);

	signal(SIGPIPE, SIG_IGN);
	event_init();
	signal_set(&evusr1, SIGUSR1, onusr1, NULL);
	signal_add(&evusr1, NULL);
	evtimer_set(&evlog, onlog, NULL);
	log_hold(onhold);
	session_init(env.conf.max_sessions);
	if (reader_lines(&io, 0, 1, LINE_MAX_FILTER, online, onclose,
	    NULL) == -1)
		fatalx("cannot read standard input: it must be a pipe or a "
		    "socket, as smtpd gives");
	readtx_start(&readtx, env.backend);
	env.out = &io.out;
	filter_init(&env);
	event_dispatch();
	return 0;
}
