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
 * tablefloor: a table process that answers every check with "found" and
 * every lookup with a fixed value, without a database.  It reads and
 * writes through the same code as table-sqlite (reader.c, with
 * table_proto or, for smtpd before 7.6, table_imsg), and tells the
 * protocol the same way, so a benchmark against it measures the
 * protocol and the socket alone: the floor no table can go below.
 *
 * usage: tablefloor [value]
 */

#include <sys/types.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event.h>

#include "reader.h"
#include "table_imsg.h"
#include "table_proto.h"

#define LINE_MAX_FLOOR	16384

static struct reader	 io;
static struct reader	 fio;
static int		 ready;
static const char	*value = "user@example.com";
static size_t		 vlen;

/* The services of the default schema. */
#define SERVICES	(1 << SVC_ALIAS | 1 << SVC_DOMAIN | \
			    1 << SVC_CREDENTIALS | 1 << SVC_MAILADDR | \
			    1 << SVC_MAILADDRMAP)

static void
do_register(void)
{
	table_register(&io.out, SERVICES);
	ready = 1;
}

static void
online(void *arg, char *line, size_t len, int flags)
{
	struct table_req	 req;
	const char		*errstr;

	if (!ready) {
		if (strcmp(line, "config|ready") == 0)
			do_register();
		return;
	}
	if (table_parse_request(line, len, flags & LINE_TRUNCATED, &req,
	    &errstr) == -1) {
		if (req.id != NULL)
			table_reply_error(&io.out, req.opname, req.id, errstr);
	} else if (req.op == OP_UPDATE)
		table_reply(&io.out, "update", req.id, "ok", NULL);
	else if (req.op == OP_CHECK)
		table_reply(&io.out, req.opname, req.id, "found", NULL);
	else
		table_reply(&io.out, req.opname, req.id, "found", value);
}

/* The legacy protocol: the same answers, in frames. */
static void
onframe(void *arg, struct frame *f)
{
	struct timsg_req	 req;
	const char		*errstr;

	if (timsg_parse(f, &req, &errstr) == -1)
		timsg_reply_failure(&fio.out, f->type);
	else if (req.type == TIMSG_OPEN)
		timsg_reply_open(&fio.out);
	else if (req.type == TIMSG_CLOSE)
		reader_finish(&fio);
	else if (req.type == TIMSG_UPDATE || req.type == TIMSG_CHECK)
		timsg_reply_int(&fio.out, 1);
	else
		timsg_reply_value(&fio.out, value, vlen);
}

static void
onclose(void *arg, const char *why)
{
	if (why != NULL)
		fprintf(stderr, "tablefloor: %s\n", why);
	exit(0);
}

int
main(int argc, char *argv[])
{
	if (argc > 2) {
		fprintf(stderr, "usage: tablefloor [value]\n");
		return 1;
	}
	if (argc == 2)
		value = argv[1];
	vlen = strlen(value);
	signal(SIGPIPE, SIG_IGN);
	event_init();
	switch (timsg_detect(0)) {
	case -1:
		return 0;
	case 1:
		if (reader_frames(&fio, 0, onframe, onclose, NULL) == -1) {
			perror("tablefloor: reader_frames");
			return 1;
		}
		break;
	default:
		if (reader_lines(&io, 0, 1, LINE_MAX_FLOOR, online, onclose,
		    NULL) == -1) {
			perror("tablefloor: reader_lines");
			return 1;
		}
		break;
	}
	event_dispatch();
	return 0;
}
