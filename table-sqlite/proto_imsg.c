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
 * The imsg protocol of table-sqlite, for smtpd 6.6 to 7.5: imsg frames
 * on standard input, both ways (table_imsg.c says what they hold).
 * smtpd sends one request and waits for its reply, and exits on any
 * reply it does not expect: every request gets exactly the one reply of
 * its type, an error included (-1, a temporary failure for smtpd).  A
 * frame smtpd could not have sent is logged and gets the failure answer
 * of its type.  Only CLOSE, and the end of input, end the process.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "reader.h"
#include "readtx.h"
#include "table_imsg.h"
#include "table_sqlite.h"

#define VALUE_MAX_LEGACY \
	(IMSG_FRAME_MAX - IMSG_HDR_SIZE - sizeof(int) - 1)

struct legacy {
	struct serve	 sv;
	int		 services;	/* what the configuration serves */
	int		 warned;	/* services logged as not configured */
	uint32_t	 warned_k;	/* smtpd services logged as not served */
	char		 value[VALUE_MAX];
};

static struct legacy	 l;

static void
configured(void)
{
	l.services = table_services(l.sv.b);
	l.warned = 0;
	if (l.services & (1 << SVC_AUTH))
		log_warnx("auth_offload is set, but smtpd before 7.6 has no "
		    "auth service: it looks up credentials and checks the "
		    "password itself, so only crypt(3) hashes it knows work");
}

static const char *
failure_text(uint32_t type)
{
	switch (type) {
	case TIMSG_OPEN:
		return "answered OK, its only reply";
	case TIMSG_CLOSE:
		return "ignored";
	case TIMSG_UPDATE:
		return "answered as a failed update";
	case TIMSG_CHECK:
	case TIMSG_LOOKUP:
	case TIMSG_FETCH:
		return "answered error";
	default:
		return "answered FAIL";
	}
}

static void
do_open(struct timsg_req *req)
{
	if (req->version != TIMSG_API_VERSION)
		log_warnx("smtpd opened table \"%s\" with API version %u; "
		    "answering as version %d does", req->name, req->version,
		    TIMSG_API_VERSION);
	else
		log_debug("smtpd opened table \"%s\" (imsg protocol, "
		    "smtpd before 7.6)", req->name);
	timsg_reply_open(&l.sv.io.out);
}

static void
do_update(void)
{
	char	 err[512];

	if (serve_update(&l.sv, err, sizeof(err)) == -1) {
		timsg_reply_int(&l.sv.io.out, 0);
		return;
	}
	configured();
	timsg_reply_int(&l.sv.io.out, 1);
}

/* A service smtpd asks for that is not served: logged once each. */
static void
not_served(struct timsg_req *req, const char *why)
{
	const char	*name = timsg_service_name(req->kservice);

	if (req->service == -1) {
		if ((l.warned_k & req->kservice) == 0)
			log_warnx("smtpd asks for %s lookups, which "
			    "table-sqlite does not serve; answered error",
			    name);
		l.warned_k |= req->kservice;
		return;
	}
	if ((l.warned & (1 << req->service)) == 0)
		log_warnx("%s; smtpd asks for it: add query_%s to %s, or "
		    "use another table for it (answered error until then)",
		    why, name, l.sv.confpath);
	l.warned |= 1 << req->service;
}

static void
answer(struct timsg_req *req)
{
	struct table_query	 q = { req->op, req->service, req->key,
				    req->keylen };
	struct lookup		 lk = { l.value, sizeof(l.value), "" };
	size_t			 n;
	int			 r;

	r = table_answer(l.sv.b, l.services, &q, &lk);
	if (r == LOOKUP_FOUND && req->op != OP_CHECK) {
		n = strlen(l.value);
		if (timsg_reply_value(&l.sv.io.out, l.value, n) == 0)
			return;
		log_warnx("%s %s: the value, %zu bytes, does not fit in a "
		    "reply of smtpd's (%zu at most); answered error",
		    timsg_type_name(req->type),
		    timsg_service_name(req->kservice), n,
		    (size_t)VALUE_MAX_LEGACY);
		r = LOOKUP_ERROR;
	} else if (r == LOOKUP_ERROR && (req->service == -1 ||
	    (l.services & (1 << req->service)) == 0))
		not_served(req, lk.err);
	else if (r == LOOKUP_ERROR)
		log_warnx("%s %s: %s; answered error",
		    timsg_type_name(req->type),
		    timsg_service_name(req->kservice), lk.err);
	timsg_reply_int(&l.sv.io.out, r);
}

static void
onframe(void *arg, struct frame *f)
{
	struct timsg_req	 req;
	const char		*errstr;

	if (timsg_parse(f, &req, &errstr) == -1) {
		log_warnx("bad frame of type %u (%s), %zu bytes: %s; %s",
		    f->type, timsg_type_name(f->type), f->len, errstr,
		    failure_text(f->type));
		timsg_reply_failure(&l.sv.io.out, f->type);
		return;
	}
	switch (req.type) {
	case TIMSG_OPEN:
		do_open(&req);
		break;
	case TIMSG_CLOSE:
		log_debug("smtpd closed the table");
		reader_finish(&l.sv.io);
		break;
	case TIMSG_UPDATE:
		do_update();
		break;
	default:
		answer(&req);
		break;
	}
}

static void
onclose(void *arg, const char *why)
{
	serve_end(&l.sv, why);
}

void
proto_imsg_run(const char *confpath, struct backend *b)
{
	if (reader_frames(&l.sv.io, 0, onframe, onclose, NULL) == -1)
		fatal("cannot serve the imsg protocol on standard input");
	serve_start(&l.sv, confpath, b);
	configured();
	event_dispatch();
}
