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
 * libFuzzer target: filter protocol lines (0.6 and 0.7) through the
 * whole filter: the parser, the report and request handlers, the
 * policy on a real database, the header check.  Every request must be
 * answered once, and no input may crash it.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzdb.h"
#include "log.h"
#include "submission.h"

static struct filter	 env;
static struct ibuf	 out;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	 path[128], err[512];
	FILE	*fp;

	env.backend = fuzz_init("fuzz_filter", &out);
	snprintf(path, sizeof(path), "%s/filter.conf", fuzzdb_dir());
	if ((fp = fopen(path, "w")) == NULL)
		fatal("%s", path);
	fprintf(fp, "table %s\nauth_fail_limit 3\nmessages_per_hour 50\n"
	    "recipients_per_message 5\nmax_sessions 16\n"
	    "auth_fail_exempt 192.0.2.0/30\n", fuzzdb_conf());
	fclose(fp);
	if (fconf_load(path, &env.conf, err, sizeof(err)) == -1)
		fatalx("%s", err);
	session_init(env.conf.max_sessions);
	env.out = &out;
	filter_init(&env);
	return 0;
}

/* One line from smtpd, as main.c handles it after the handshake. */
static void
smtpd_line(char *line, size_t len)
{
	struct fline	 fl;
	const char	*errstr;

	if (filter_parse(line, len, &fl, &errstr) == -1) {
		if (fl.type == FP_FILTER)
			filter_bad_request(&env, &fl, errstr);
		return;
	}
	if (fl.type == FP_REPORT)
		report_event(&env, &fl);
	else
		filter_request(&env, &fl);
	if (ibuf_size(&out) > 1024 * 1024)
		ibuf_truncate(&out, 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_lines(data, size, smtpd_line);
	ibuf_truncate(&out, 0);
	session_free_all();
	return 0;
}
