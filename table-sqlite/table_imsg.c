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
 * The legacy table protocol of smtpd 6.6 to 7.5 (imsg, API version 2):
 * tell it from the text protocol, take a request frame apart, and make
 * the only replies smtpd accepts.
 *
 * smtpd sends one request and blocks until its reply, which must be of
 * type OK: empty for OPEN; an int for UPDATE (1 done, 0 failed) and
 * CHECK (1 found, 0 not found, -1 error); for LOOKUP and FETCH the same
 * int, followed when it is 1 by the value, NUL-terminated.  Any other
 * reply, a short or a long one, makes smtpd exit.  CLOSE has no reply.
 * CHECK, LOOKUP and FETCH carry an int service (a bit of smtpd's enum
 * table_service) and a size_t count of parameters that smtpd always
 * sends as 0; CHECK and LOOKUP then the key and its NUL.  smtpd and its
 * table run on one host, so int and size_t are this host's.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "ibuf.h"
#include "reader.h"
#include "table_imsg.h"
#include "table_proto.h"

/* smtpd's services, as bits, and which of ours each is (-1: none). */
static const struct {
	uint32_t	 bit;
	int		 service;
	const char	*name;
} services[] = {
	{ 0x001, SVC_ALIAS, "alias" },
	{ 0x002, SVC_DOMAIN, "domain" },
	{ 0x004, SVC_CREDENTIALS, "credentials" },
	{ 0x008, SVC_NETADDR, "netaddr" },
	{ 0x010, SVC_USERINFO, "userinfo" },
	{ 0x020, SVC_SOURCE, "source" },
	{ 0x040, SVC_MAILADDR, "mailaddr" },
	{ 0x080, SVC_ADDRNAME, "addrname" },
	{ 0x100, SVC_MAILADDRMAP, "mailaddrmap" },
	{ 0x200, -1, "relayhost" },
	{ 0x400, -1, "string" },
	{ 0x800, -1, "regex" },
};

static const char *type_names[] = {
	"OK", "FAIL", "OPEN", "CLOSE", "UPDATE", "CHECK", "LOOKUP", "FETCH"
};

/*
 * Which protocol smtpd speaks on fd, from the first byte it sends,
 * left unread: 1 the legacy one (smtpd 6.6 to 7.5 start with a binary
 * OPEN, type 2 in host order), 0 the text one (7.6 and later start with
 * "config|smtpd-version|"), -1 when the input ends first.  Any other
 * byte, and an fd that is no socket, go to the text protocol, which
 * logs what it cannot read: legacy replies go back on fd, which only a
 * socket allows.
 */
int
timsg_detect(int fd)
{
	uint32_t	 open = TIMSG_OPEN;
	struct pollfd	 pfd;
	unsigned char	 c;
	ssize_t		 n;

	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			return 0;
		}
		n = recv(fd, &c, 1, MSG_PEEK);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		break;
	}
	if (n == 0)
		return -1;
	if (n == -1)
		return 0;
	return c == *(unsigned char *)&open;
}

const char *
timsg_type_name(uint32_t type)
{
	if (type >= sizeof(type_names) / sizeof(type_names[0]))
		return "unknown";
	return type_names[type];
}

/* The name of smtpd's service bit k, NULL if it is none. */
const char *
timsg_service_name(uint32_t k)
{
	size_t	 i;

	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (services[i].bit == k)
			return services[i].name;
	return NULL;
}

static int
service_of(uint32_t k)
{
	size_t	 i;

	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (services[i].bit == k)
			return services[i].service;
	return -1;
}

static void
parse_open(const struct frame *f, struct timsg_req *req)
{
	const unsigned char	*p = f->data + sizeof(uint32_t);
	size_t			 i, n = f->datalen - sizeof(uint32_t);

	memcpy(&req->version, f->data, sizeof(uint32_t));
	for (i = 0; i < n && i < sizeof(req->name) - 1 && p[i] != '\0'; i++)
		req->name[i] = (p[i] > ' ' && p[i] < 0x7f) ? p[i] : '?';
	req->name[i] = '\0';
}

/*
 * Take the request frame f apart.  Returns 0, or -1 with *errstr set
 * when f is not a request smtpd could have sent; req->type is set
 * either way.  A service smtpd has but we do not serve is not an error:
 * req->service is then -1.  req->key points into f's payload.
 */
int
timsg_parse(const struct frame *f, struct timsg_req *req,
    const char **errstr)
{
	const size_t	 head = sizeof(int) + sizeof(size_t);
	char		*key, *nul;
	size_t		 nparams, klen;

	memset(req, 0, sizeof(*req));
	req->type = f->type;
	req->service = -1;
	*errstr = NULL;

	if (f->bad == FRAME_SHORT) {
		*errstr = "length below the header's";
		return -1;
	}
	if (f->bad == FRAME_LONG) {
		*errstr = "longer than 16384 bytes";
		return -1;
	}
	switch (f->type) {
	case TIMSG_OPEN:
		if (f->datalen < sizeof(uint32_t)) {
			*errstr = "no API version";
			return -1;
		}
		parse_open(f, req);
		return 0;
	case TIMSG_CLOSE:
	case TIMSG_UPDATE:
		if (f->datalen != 0) {
			*errstr = "unexpected payload";
			return -1;
		}
		return 0;
	case TIMSG_CHECK:
		req->op = OP_CHECK;
		break;
	case TIMSG_LOOKUP:
		req->op = OP_LOOKUP;
		break;
	case TIMSG_FETCH:
		req->op = OP_FETCH;
		break;
	default:
		*errstr = "unknown message type";
		return -1;
	}

	if (f->datalen < head) {
		*errstr = "too short for a service and a parameter count";
		return -1;
	}
	memcpy(&req->kservice, f->data, sizeof(int));
	memcpy(&nparams, f->data + sizeof(int), sizeof(size_t));
	if (nparams != 0) {
		*errstr = "parameters, which smtpd never sends";
		return -1;
	}
	if (timsg_service_name(req->kservice) == NULL) {
		*errstr = "unknown service";
		return -1;
	}
	req->service = service_of(req->kservice);
	if (f->type == TIMSG_FETCH) {
		if (f->datalen != head) {
			*errstr = "bytes after the parameter count";
			return -1;
		}
		return 0;
	}

	key = (char *)f->data + head;
	klen = f->datalen - head;
	if (klen == 0) {
		*errstr = "no key";
		return -1;
	}
	if ((nul = memchr(key, '\0', klen)) == NULL) {
		*errstr = "key not NUL-terminated";
		return -1;
	}
	if (nul != key + klen - 1) {
		*errstr = "bytes after the key's NUL";
		return -1;
	}
	if (klen > TIMSG_KEY_MAX) {
		*errstr = "key over 1024 bytes";
		return -1;
	}
	req->key = key;
	req->keylen = klen - 1;
	return 0;
}

/*
 * Queue one frame of type with the payload p1 then p2 (either may be
 * NULL).  Returns -1, queueing nothing, when it would not fit in
 * IMSG_FRAME_MAX or in the buffer.
 */
static int
frame_add(struct ibuf *wb, uint32_t type, const void *p1, size_t l1,
    const void *p2, size_t l2)
{
	static uint32_t	 pid;
	struct imsg_hdr	 h;
	size_t		 save = ibuf_size(wb);

	if (l1 > IMSG_FRAME_MAX || l2 > IMSG_FRAME_MAX ||
	    IMSG_HDR_SIZE + l1 + l2 > IMSG_FRAME_MAX)
		return -1;
	if (pid == 0)
		pid = getpid();
	memset(&h, 0, sizeof(h));
	h.type = type;
	h.len = IMSG_HDR_SIZE + l1 + l2;
	h.pid = pid;
	if (ibuf_add(wb, &h, sizeof(h)) == -1 ||
	    (l1 > 0 && ibuf_add(wb, p1, l1) == -1) ||
	    (l2 > 0 && ibuf_add(wb, p2, l2) == -1)) {
		ibuf_truncate(wb, save);
		return -1;
	}
	return 0;
}

/* The only reply to OPEN: OK, empty. */
int
timsg_reply_open(struct ibuf *wb)
{
	return frame_add(wb, TIMSG_OK, NULL, 0, NULL, 0);
}

/* OK with an int: the answer to UPDATE and CHECK, and r != 1 to LOOKUP. */
int
timsg_reply_int(struct ibuf *wb, int r)
{
	return frame_add(wb, TIMSG_OK, &r, sizeof(r), NULL, 0);
}

/*
 * OK with 1 and the value v (vlen bytes, NUL-terminated at vlen).
 * Refuses (-1, nothing queued) an empty value, one holding a NUL, and
 * one too long for a frame.
 */
int
timsg_reply_value(struct ibuf *wb, const char *v, size_t vlen)
{
	int	 r = 1;

	if (vlen == 0 || v[vlen] != '\0' || memchr(v, '\0', vlen) != NULL)
		return -1;
	return frame_add(wb, TIMSG_OK, &r, sizeof(r), v, vlen + 1);
}

/*
 * The failure answer to a frame of type that cannot be served: what
 * smtpd takes as a failure of that request (update 0, lookup -1), the
 * empty OK for OPEN (smtpd takes no other), nothing for CLOSE, and FAIL
 * for a type smtpd never sends.
 */
int
timsg_reply_failure(struct ibuf *wb, uint32_t type)
{
	switch (type) {
	case TIMSG_OPEN:
		return timsg_reply_open(wb);
	case TIMSG_CLOSE:
		return 0;
	case TIMSG_UPDATE:
		return timsg_reply_int(wb, 0);
	case TIMSG_CHECK:
	case TIMSG_LOOKUP:
	case TIMSG_FETCH:
		return timsg_reply_int(wb, -1);
	default:
		return frame_add(wb, TIMSG_FAIL, NULL, 0, NULL, 0);
	}
}
