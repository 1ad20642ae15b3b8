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
 * The text protocol of table-sqlite, for smtpd 7.6 and later: the
 * smtpd-tables(7) handshake, then one answer for every request that
 * carries an id.  No input makes this exit: a bad line is logged and,
 * when it has an id, answered "error".
 *
 * smtpd sends a request and reads its answer before it sends the next
 * one.  A line that arrives while the answer to the previous request is
 * still unwritten is therefore not smtpd's: smtpd 7.6.0 to 7.8.0 put a
 * key holding a newline (an AUTH user name) into the request as it is,
 * and an answer to the line smuggled in after it would be read by smtpd
 * as the answer to its next request, on which it exits.  Such lines are
 * dropped unanswered.  smtpd 7.8.0p1 and later refuse such keys, so
 * pipelined requests (the benchmarks) are answered from them.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "proto.h"
#include "reader.h"
#include "readtx.h"
#include "table_sqlite.h"

#define LINE_MAX_TABLE	16384

struct dispatch {
	struct serve	 sv;
	int		 ready;		/* handshake done */
	int		 registered;	/* services told to smtpd */
	int		 warned_binary;
	int		 pipelining;	/* smtpd cannot smuggle a request */
	int		 smuggled;	/* lines dropped in this burst */
	char		 value[VALUE_MAX];
};

static struct dispatch	 d;

static void
do_register(void)
{
	d.registered = table_services(d.sv.b);
	table_register(&d.sv.io.out, d.registered);
	d.ready = 1;
	/*
	 * smtpd's table_lookup() lower-cases every key before a backend
	 * sees it, the "user:password" of an auth check too (OpenSMTPD
	 * issue 1268, 7.6.0 to 7.8.0p1 at least): no table can get the
	 * password back.
	 */
	if (d.registered & (1 << SVC_AUTH))
		log_warnx("auth_offload: smtpd hands the table the password "
		    "of an AUTH lower-cased (OpenSMTPD issue 1268): a "
		    "password with a capital letter cannot log in; see "
		    "table-sqlite(5), PASSWORDS");
}

static int
looks_binary(const char *line, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if ((unsigned char)line[i] < 0x20 && line[i] != '\t')
			return 1;
	return 0;
}

static void
handshake(char *line, size_t len)
{
	const char	*v;

	if (strncmp(line, "config|", 7) != 0 || memchr(line, '\0', len)) {
		if (looks_binary(line, len) && !d.warned_binary) {
			d.warned_binary = 1;
			log_warnx("binary input before the handshake, "
			    "neither smtpd's text protocol nor its imsg one; "
			    "ignored");
		} else
			log_warnx("unexpected line before the handshake "
			    "(%zu bytes), ignored", len);
		return;
	}
	if (strcmp(line, "config|ready") == 0) {
		do_register();
		return;
	}
	if ((v = proto_config(line, "smtpd-version")) != NULL) {
		/* 7.8.0p1, the first that refuses keys with a newline. */
		d.pipelining = proto_version_atleast(v, 7, 8, 0, 1);
		log_debug("smtpd %s: %s", v, d.pipelining ?
		    "pipelined requests are answered" :
		    "a request sent before the last answer is written is "
		    "dropped");
	} else if ((v = proto_config(line, "protocol")) != NULL &&
	    strcmp(v, TABLE_PROTOCOL) != 0)
		log_warnx("smtpd speaks table protocol %s, this table %s",
		    v, TABLE_PROTOCOL);
	else
		log_debug("%s", line);
}

static void
do_update(struct table_req *req)
{
	char	 err[512];

	if (serve_update(&d.sv, err, sizeof(err)) == -1) {
		table_reply_error(&d.sv.io.out, "update", req->id, err);
		return;
	}
	if ((table_services(d.sv.b) & ~d.registered) != 0)
		log_warnx("update: the new configuration answers services "
		    "smtpd was not told about; restart smtpd to use them");
	table_reply(&d.sv.io.out, "update", req->id, "ok", NULL);
}

static void
answer(struct table_req *req)
{
	struct table_query	 q = { req->op, req->service, req->key,
				    req->keylen };
	struct lookup		 lk = { d.value, sizeof(d.value), "" };
	int			 r;

	r = table_answer(d.sv.b, d.registered, &q, &lk);
	if (r == LOOKUP_FOUND && req->op == OP_CHECK)
		r = table_reply(&d.sv.io.out, req->opname, req->id, "found",
		    NULL);
	else if (r == LOOKUP_FOUND) {
		if (table_reply(&d.sv.io.out, req->opname, req->id, "found",
		    d.value) == -1) {
			log_warnx("%s %s: value cannot be sent",
			    req->opname, table_service_name(req->service));
			table_reply_error(&d.sv.io.out, req->opname, req->id,
			    "value cannot be sent");
		}
	} else if (r == LOOKUP_NOTFOUND)
		table_reply(&d.sv.io.out, req->opname, req->id, "not-found",
		    NULL);
	else
		table_reply_error(&d.sv.io.out, req->opname, req->id, lk.err);
}

static void
online(void *arg, char *line, size_t len, int flags)
{
	struct table_req	 req;
	const char		*errstr;
	int			 secret;

	if (!d.ready) {
		handshake(line, len);
		return;
	}
	/* Never log what an auth request holds. */
	secret = memmem(line, len, "|auth|", 6) != NULL;
	if (!d.pipelining && ibuf_size(&d.sv.io.out) > 0) {
		if (d.smuggled++ == 0)
			log_warnx("a request arrived before the answer to the "
			    "previous one was written: not from smtpd (a key "
			    "with a newline, as smtpd before 7.8.0p1 sends "
			    "it?); dropped, with any other in this burst");
		if (secret)
			explicit_bzero(line, len);
		return;
	}
	d.smuggled = 0;
	if (!d.pipelining && reader_pending(&d.sv.io)) {
		/*
		 * More came with this line: its key was cut at a newline,
		 * and the answer would be for a key smtpd did not ask.
		 */
		log_warnx("a request came with more input behind it: its key "
		    "holds a newline (an AUTH user name?); answered error, "
		    "the rest dropped");
		(void)table_parse_request(line, len, flags & LINE_TRUNCATED,
		    &req, &errstr);
		if (req.id != NULL)
			table_reply_error(&d.sv.io.out, req.opname, req.id,
			    "key holds a newline");
		d.smuggled = 1;
		if (secret)
			explicit_bzero(line, len);
		return;
	}
	if (table_parse_request(line, len, flags & LINE_TRUNCATED, &req,
	    &errstr) == -1) {
		log_warnx("bad request (%zu bytes%s): %s%s", len,
		    (flags & LINE_TRUNCATED) ? ", cut" : "", errstr,
		    req.id != NULL ? "; answered error" : "; not answered");
		if (req.id != NULL)
			table_reply_error(&d.sv.io.out, req.opname, req.id,
			    errstr);
	} else if (req.op == OP_UPDATE)
		do_update(&req);
	else
		answer(&req);
	if (secret)
		explicit_bzero(line, len);
}

static void
onclose(void *arg, const char *why)
{
	if (why == NULL)
		log_debug("smtpd closed the table");
	serve_end(&d.sv, why);
}

void
proto_text_run(const char *confpath, struct backend *b)
{
	if (reader_lines(&d.sv.io, 0, 1, LINE_MAX_TABLE, online, onclose,
	    NULL) == -1)
		fatalx("cannot read standard input: it must be a pipe or a "
		    "socket, as smtpd gives");
	serve_start(&d.sv, confpath, b);
	event_dispatch();
}
