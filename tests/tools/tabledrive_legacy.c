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
 * tabledrive -L: play smtpd 6.6 to 7.5, whose table processes speak
 * imsg frames on their stdin.  This side is written from the rules of
 * smtpd's table_proc.c, apart from the table's own code, so that the two
 * can disagree: every reply is judged as smtpd would take it and printed
 * in the words of the text protocol ("lookup-result|ID|found|value"), or
 * as "(smtpd exits: why)" when smtpd would call fatalx on it.
 *
 * Script lines, besides those of tabledrive.c:
 *	open [VERSION [LEN]]	send OPEN (API VERSION, 2; a name field of
 *				LEN bytes, 2048 as glibc's LINE_MAX) and
 *				judge the reply
 *	close			send CLOSE
 *	exit			wait for the table to end: "exited N",
 *				"killed by signal N" or "running"
 *	reply TYPE		judge the next frame as the reply to a
 *				request of TYPE
 *	?			print the next frame as it is
 *	frame TYPE LEN ITEM...	send a frame of TYPE (name or number) with
 *				the length field LEN ("-": the real one) and
 *				the payload ITEMs: int:N, size:N (host
 *				order), str:TEXT (C escapes), nul, fill:N:C
 *				(N bytes C)
 *	stdout			what the table wrote on its stdout, which
 *				is not the channel: "stdout: N bytes"
 *	fuzz N SEED OP SERVICE KEY
 *				the robustness run: N hostile frames from
 *				the random SEED, each reply checked, and
 *				the request OP SERVICE KEY sent between
 *				them, which must keep its first answer
 */

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "tabledrive.h"
#include "toolutil.h"

#define HDR		16
#define MAXFRAME	16384		/* smtpd's MAX_IMSGSIZE */
#define NAME_FIELD	2048		/* LINE_MAX, struct table_open_params */
#define KEY_MAX		1024		/* smtpd's key buffer */

enum { T_OK, T_FAIL, T_OPEN, T_CLOSE, T_UPDATE, T_CHECK, T_LOOKUP, T_FETCH };

static const char *types[] = {
	"ok", "fail", "open", "close", "update", "check", "lookup", "fetch"
};

static const struct {
	const char	*name;
	uint32_t	 bit;
} services[] = {
	{ "alias", 0x001 }, { "domain", 0x002 }, { "credentials", 0x004 },
	{ "netaddr", 0x008 }, { "userinfo", 0x010 }, { "source", 0x020 },
	{ "mailaddr", 0x040 }, { "addrname", 0x080 },
	{ "mailaddrmap", 0x100 }, { "relayhost", 0x200 },
	{ "string", 0x400 }, { "regex", 0x800 },
};

/* A frame being made: header and payload, up to what a header can say. */
struct out {
	unsigned char	 buf[HDR + 65535 + 4096];
	size_t		 len;
};

struct reply {
	uint32_t	 type;
	size_t		 len;		/* the length field */
	int		 badlen;	/* out of 16..16384: smtpd's ERANGE */
	unsigned char	 data[MAXFRAME];
	size_t		 datalen;
};

static int	 outfd = -1;		/* the table's stdout */
static long	 outbytes;

void
legacy_child_stdout(int fd)
{
	int	 fl;

	outfd = fd;
	if ((fl = fcntl(fd, F_GETFL)) != -1)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static long
child_stdout(void)
{
	char	 buf[4096];
	ssize_t	 n;

	while (outfd != -1 && (n = read(outfd, buf, sizeof(buf))) > 0)
		outbytes += n;
	return outbytes;
}

static int
type_byname(const char *s, uint32_t *t)
{
	char		*ep;
	size_t		 i;
	unsigned long	 v;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(s, types[i]) == 0) {
			*t = i;
			return 0;
		}
	errno = 0;
	v = strtoul(s, &ep, 0);
	if (*s == '\0' || *ep != '\0' || errno != 0 || v > UINT32_MAX)
		return -1;
	*t = v;
	return 0;
}

static const char *
type_name(uint32_t t)
{
	return t < sizeof(types) / sizeof(types[0]) ? types[t] : "unknown";
}

/* A service by smtpd's name, or a number. */
static int
service_byname(const char *s, uint32_t *bit)
{
	size_t	 i;

	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (strcmp(s, services[i].name) == 0) {
			*bit = services[i].bit;
			return 0;
		}
	return type_byname(s, bit);
}

static int
known_service(uint32_t bit)
{
	size_t	 i;

	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (services[i].bit == bit)
			return 1;
	return 0;
}

static void
out_begin(struct out *o, uint32_t type)
{
	uint32_t	 pid = getpid();

	memset(o->buf, 0, HDR);
	memcpy(o->buf, &type, 4);
	memcpy(o->buf + 12, &pid, 4);
	o->len = HDR;
}

static int
out_add(struct out *o, const void *p, size_t n)
{
	if (n > sizeof(o->buf) - o->len)
		return -1;
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	return 0;
}

/* Write the length field: len, or the real length when len is -1. */
static void
out_seal(struct out *o, long len)
{
	uint16_t	 l = len < 0 ? (long)o->len : len;

	memcpy(o->buf + 4, &l, 2);
}

/* A request as smtpd makes it: service, parameter count 0, key, NUL. */
static int
mkframe(struct out *o, uint32_t type, uint32_t service, const char *key)
{
	size_t	 zero = 0;
	int	 s = service;

	out_begin(o, type);
	if (type == T_CHECK || type == T_LOOKUP || type == T_FETCH) {
		out_add(o, &s, sizeof(s));
		out_add(o, &zero, sizeof(zero));
	}
	if ((type == T_CHECK || type == T_LOOKUP) &&
	    out_add(o, key, strlen(key) + 1) == -1)
		return -1;
	out_seal(o, -1);
	return o->len;
}

static int
mkopen(struct out *o, uint32_t version, size_t namelen)
{
	char	 name[8192];

	if (namelen > sizeof(name))
		namelen = sizeof(name);
	memset(name, 0, sizeof(name));
	strlcpy(name, tname, namelen > 0 ? namelen : 1);
	out_begin(o, T_OPEN);
	out_add(o, &version, sizeof(version));
	out_add(o, name, namelen);
	out_seal(o, -1);
	return o->len;
}

/*
 * The next frame from the table: 1; 0 on timeout or end of input.  A
 * length field out of range takes the header only, as nothing tells
 * where the frame ends (smtpd stops there).
 */
static int
readframe(struct reply *rp, int ms)
{
	uint16_t	 l;

	for (;;) {
		if (rlen >= HDR) {
			memcpy(&rp->type, rbuf, 4);
			memcpy(&l, rbuf + 4, 2);
			rp->len = l;
			rp->badlen = l < HDR || l > MAXFRAME;
			rp->datalen = 0;
			if (rp->badlen) {
				rlen -= HDR;
				memmove(rbuf, rbuf + HDR, rlen);
				return 1;
			}
			if (rlen >= l) {
				rp->datalen = l - HDR;
				memcpy(rp->data, rbuf + HDR, rp->datalen);
				rlen -= l;
				memmove(rbuf, rbuf + l, rlen);
				return 1;
			}
		}
		if (!fill(ms))
			return 0;
	}
}

/*
 * Judge rp as the reply to a request of type t, as smtpd's table_proc.c
 * takes it, into out: 0 taken, 1 smtpd exits on it, 2 taken but not an
 * answer of the protocol (an int other than -1, 0, 1; a NUL inside a
 * value, which smtpd would cut).
 */
static int
judge(uint32_t t, const struct reply *rp, char *out, size_t sz)
{
	const char	*op = type_name(t), *v;
	size_t		 rest;
	int		 r;

	if (rp->badlen) {
		snprintf(out, sz, "(smtpd exits: length %zu out of range)",
		    rp->len);
		return 1;
	}
	if (rp->type != T_OK) {
		snprintf(out, sz, "(smtpd exits: reply of type %u, %s)",
		    rp->type, type_name(rp->type));
		return 1;
	}
	if (t == T_OPEN) {
		if (rp->datalen != 0) {
			snprintf(out, sz, "(smtpd exits: %zu bytes of bogus "
			    "data after OPEN's OK)", rp->datalen);
			return 1;
		}
		snprintf(out, sz, "open-result|ID|ok");
		return 0;
	}
	if (rp->datalen < sizeof(int)) {
		snprintf(out, sz, "(smtpd exits: %zu bytes, too short for "
		    "an int)", rp->datalen);
		return 1;
	}
	memcpy(&r, rp->data, sizeof(r));
	rest = rp->datalen - sizeof(int);
	if ((t == T_LOOKUP || t == T_FETCH) && r == 1) {
		if (rest == 0) {
			snprintf(out, sz, "(smtpd exits: empty response)");
			return 1;
		}
		if (rp->data[rp->datalen - 1] != '\0') {
			snprintf(out, sz, "(smtpd exits: value not "
			    "NUL-terminated)");
			return 1;
		}
		v = (const char *)rp->data + sizeof(int);
		snprintf(out, sz, "%s-result|ID|found|%s", op, v);
		if (strlen(v) != rest - 1) {
			strlcat(out, " (a NUL inside the value)", sz);
			return 2;
		}
		return 0;
	}
	if (rest != 0) {
		snprintf(out, sz, "(smtpd exits: %zu bytes of bogus data "
		    "after the int %d)", rest, r);
		return 1;
	}
	if (t == T_UPDATE && (r == 0 || r == 1)) {
		snprintf(out, sz, "update-result|ID|%s", r ? "ok" : "error");
		return 0;
	}
	if (t != T_UPDATE && r >= -1 && r <= 1) {
		snprintf(out, sz, "%s-result|ID|%s", op,
		    r == 1 ? "found" : r == 0 ? "not-found" : "error");
		return 0;
	}
	snprintf(out, sz, "%s-result|ID|int %d (odd)", op, r);
	return 2;
}

static void
print_judged(uint32_t t)
{
	struct reply	 rp;
	char		 out[MAXFRAME + 256];

	if (!readframe(&rp, timeout_ms)) {
		printf("(no reply)\n");
		return;
	}
	judge(t, &rp, out, sizeof(out));
	printf("%s\n", out);
}

static void
print_raw(void)
{
	struct reply	 rp;
	size_t		 i;

	if (!readframe(&rp, timeout_ms)) {
		printf("(no reply)\n");
		return;
	}
	printf("frame type=%u len=%zu payload=", rp.type, rp.len);
	for (i = 0; i < rp.datalen && i < 64; i++)
		printf("%02x", rp.data[i]);
	printf("%s\n", rp.datalen > 64 ? "..." : "");
}

/* OPEN as smtpd sends it, then its reply. */
void
legacy_open(int verbose)
{
	struct out	 o;
	struct reply	 rp;
	char		 out[256];

	mkopen(&o, 2, NAME_FIELD);
	sendall((char *)o.buf, o.len);
	if (!readframe(&rp, timeout_ms))
		snprintf(out, sizeof(out), "(no reply to OPEN)");
	else
		judge(T_OPEN, &rp, out, sizeof(out));
	if (verbose)
		printf("%s\n", out);
}

static void
wait_exit(void)
{
	int	 status, n;

	for (n = 0; n < timeout_ms / 10; n++) {
		if (waitpid(child, &status, WNOHANG) == child) {
			if (WIFEXITED(status))
				printf("exited %d\n", WEXITSTATUS(status));
			else
				printf("killed by signal %d\n",
				    WTERMSIG(status));
			child = -1;
			return;
		}
		usleep(10000);
	}
	printf("running\n");
}

/* "frame TYPE LEN ITEM...": a frame as the items say. */
static void
craft(char *args)
{
	static struct out o;
	static char	 text[65536];
	char		*tok, *ep;
	uint32_t	 type;
	long		 len = -1, n;
	size_t		 z;
	int		 i, nonl;

	if ((tok = strtok(args, " ")) == NULL || type_byname(tok, &type) ==
	    -1 || (tok = strtok(NULL, " ")) == NULL) {
		printf("(bad frame line)\n");
		return;
	}
	if (strcmp(tok, "-") != 0 && ((len = strtol(tok, &ep, 0)) < 0 ||
	    len > 65535 || *ep != '\0')) {
		printf("(bad frame length %s)\n", tok);
		return;
	}
	out_begin(&o, type);
	while ((tok = strtok(NULL, " ")) != NULL) {
		if (strncmp(tok, "int:", 4) == 0) {
			i = strtol(tok + 4, NULL, 0);
			out_add(&o, &i, sizeof(i));
		} else if (strncmp(tok, "size:", 5) == 0) {
			z = strtoull(tok + 5, NULL, 0);
			out_add(&o, &z, sizeof(z));
		} else if (strncmp(tok, "str:", 4) == 0) {
			z = unescape(tok + 4, text, &nonl);
			out_add(&o, text, z);
		} else if (strcmp(tok, "nul") == 0)
			out_add(&o, "", 1);
		else if (strncmp(tok, "fill:", 5) == 0 &&
		    (n = strtol(tok + 5, &ep, 0)) >= 0 &&
		    n <= (long)sizeof(text) && *ep == ':') {
			unescape(ep + 1, text, &nonl);
			memset(text + 1, text[0], n > 1 ? n - 1 : 0);
			if (out_add(&o, text, n) == -1)
				printf("(frame too big)\n");
		} else {
			printf("(bad frame item %s)\n", tok);
			return;
		}
	}
	out_seal(&o, len);
	sendall((char *)o.buf, o.len);
}

/*
 * The robustness run.  Each hostile frame has the reply the protocol
 * gives it: a request smtpd could send gets a reply smtpd takes; one it
 * could not send gets the failure answer of its type (OPEN the empty OK,
 * UPDATE 0, CHECK, LOOKUP and FETCH -1, CLOSE none, any other type
 * FAIL), its length field telling where it ends (a length below the
 * header's: the header alone).
 */
enum expect { EXP_ACCEPT, EXP_FAILURE, EXP_NONE };

static uint32_t
rnd(uint32_t n)
{
	return n == 0 ? 0 : (uint32_t)random() % n;
}

/* Is the payload p (n bytes) a request smtpd could send as type? */
static enum expect
oracle(uint32_t type, size_t declared, const unsigned char *p, size_t n)
{
	const size_t	 head = sizeof(int) + sizeof(size_t);
	const unsigned char *nul;
	uint32_t	 svc;
	size_t		 np;

	if (declared < HDR || declared > MAXFRAME)
		return type == T_CLOSE ? EXP_NONE : EXP_FAILURE;
	switch (type) {
	case T_OPEN:
		return n >= 4 ? EXP_ACCEPT : EXP_FAILURE;
	case T_CLOSE:
		return EXP_NONE;	/* never sent empty: that would end it */
	case T_UPDATE:
		return n == 0 ? EXP_ACCEPT : EXP_FAILURE;
	case T_CHECK:
	case T_LOOKUP:
	case T_FETCH:
		break;
	default:
		return EXP_FAILURE;
	}
	if (n < head)
		return EXP_FAILURE;
	memcpy(&svc, p, 4);
	memcpy(&np, p + sizeof(int), sizeof(size_t));
	if (np != 0 || !known_service(svc))
		return EXP_FAILURE;
	if (type == T_FETCH)
		return n == head ? EXP_ACCEPT : EXP_FAILURE;
	n -= head;
	p += head;
	if (n == 0 || n > KEY_MAX || (nul = memchr(p, '\0', n)) == NULL ||
	    nul != p + n - 1)
		return EXP_FAILURE;
	return EXP_ACCEPT;
}

static void
randbytes(unsigned char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		p[i] = rnd(8) == 0 ? 0 : rnd(256);
}

/* One hostile frame into o: returns its class (0 a type smtpd sends with
 * a length in range, 1 another type, 2 a length out of range). */
static int
hostile(struct out *o, uint32_t *typep, size_t *declp)
{
	static unsigned char pay[65536];
	const uint32_t	 reqtypes[] = { T_CHECK, T_LOOKUP, T_FETCH };
	uint32_t	 type, svc;
	size_t		 n = 0, np = 0, klen, decl;
	int		 s, kind = rnd(12);

	type = reqtypes[rnd(3)];
	svc = services[rnd(sizeof(services) / sizeof(services[0]))].bit;
	switch (kind) {
	case 0:		/* any type, random bytes */
		type = rnd(4) ? rnd(12) : ((uint32_t)random() << 1) ^ random();
		n = rnd(300);
		randbytes(pay, n);
		break;
	case 1:		/* a key without its NUL, or with one inside */
	case 2:
		type = rnd(2) ? T_CHECK : T_LOOKUP;
		s = svc;
		memcpy(pay, &s, 4);
		memcpy(pay + sizeof(int), &np, sizeof(np));
		n = sizeof(int) + sizeof(size_t);
		klen = 1 + rnd(64);
		randbytes(pay + n, klen);
		if (kind == 1)
			pay[n + klen - 1] = 'x';
		else {
			pay[n + rnd(klen)] = '\0';
			pay[n + klen - 1] = 'y';
		}
		n += klen;
		break;
	case 3:		/* keys around smtpd's limit, any bytes */
		type = rnd(2) ? T_CHECK : T_LOOKUP;
		s = svc;
		memcpy(pay, &s, 4);
		memcpy(pay + sizeof(int), &np, sizeof(np));
		n = sizeof(int) + sizeof(size_t);
		klen = KEY_MAX - 8 + rnd(16);
		memset(pay + n, 'k', klen);
		pay[n + klen - 1] = '\0';
		n += klen;
		break;
	case 4:		/* parameters, odd services, short payloads */
		s = rnd(2) ? (int)random() : (int)svc;
		np = rnd(3) ? rnd(4) : (size_t)random();
		memcpy(pay, &s, 4);
		memcpy(pay + sizeof(int), &np, sizeof(np));
		n = rnd(sizeof(int) + sizeof(size_t) + 1);
		if (rnd(2)) {
			n = sizeof(int) + sizeof(size_t);
			memcpy(pay + n, "k@x\0", 4);
			n += type == T_FETCH ? rnd(2) : 4;
		}
		break;
	case 5:		/* a length below the header's: header only */
		type = rnd(9);
		decl = rnd(HDR);
		out_begin(o, type);
		out_seal(o, decl);
		*typep = type;
		*declp = decl;
		return 2;
	case 6:		/* a header claiming more than smtpd allows */
		type = rnd(9);
		decl = MAXFRAME + 1 + rnd(65535 - MAXFRAME);
		out_begin(o, type);
		out_seal(o, decl);
		*typep = type;
		*declp = decl;
		return 2;
	case 7:		/* OPEN of any size and version */
		type = T_OPEN;
		n = rnd(3) ? rnd(8) : rnd(MAXFRAME - HDR + 1);
		randbytes(pay, n);
		break;
	case 8:		/* UPDATE with a payload */
		type = T_UPDATE;
		n = 1 + rnd(64);
		randbytes(pay, n);
		break;
	case 9:		/* CLOSE with a payload */
		type = T_CLOSE;
		n = 1 + rnd(64);
		randbytes(pay, n);
		break;
	case 10:	/* a sound request, any service smtpd has */
		s = svc;
		memcpy(pay, &s, 4);
		memcpy(pay + sizeof(int), &np, sizeof(np));
		n = sizeof(int) + sizeof(size_t);
		if (type != T_FETCH) {
			klen = 1 + rnd(200);
			randbytes(pay + n, klen);
			pay[n + klen - 1] = '\0';
			if (memchr(pay + n, '\0', klen - 1) != NULL)
				memset(pay + n, 'a', klen - 1);
			n += klen;
		}
		break;
	default:	/* a payload of the size of a frame */
		n = MAXFRAME - HDR - rnd(3);
		randbytes(pay, n);
		break;
	}
	if (type == T_CLOSE && n == 0)
		pay[n++] = 'c';
	out_begin(o, type);
	out_add(o, pay, n);
	out_seal(o, -1);
	*typep = type;
	*declp = o->len;
	return type >= T_OPEN && type <= T_FETCH ? 0 : 1;
}

/* Send o in pieces of random sizes, as a stream may cut it. */
static void
send_cut(const struct out *o)
{
	size_t	 off = 0, k;

	while (off < o->len) {
		k = rnd(4) ? o->len - off : 1 + rnd(o->len - off);
		if (rnd(4) == 0 && k > 16)
			k = 1 + rnd(16);
		sendall((const char *)o->buf + off, k);
		off += k;
	}
}

/* Is rp exactly the failure answer to a frame of type? */
static int
is_failure(uint32_t type, const struct reply *rp)
{
	int	 r;

	if (rp->badlen)
		return 0;
	switch (type) {
	case T_OPEN:
		return rp->type == T_OK && rp->datalen == 0;
	case T_UPDATE:
	case T_CHECK:
	case T_LOOKUP:
	case T_FETCH:
		if (rp->type != T_OK || rp->datalen != sizeof(int))
			return 0;
		memcpy(&r, rp->data, sizeof(r));
		return r == (type == T_UPDATE ? 0 : -1);
	default:
		return rp->type == T_FAIL && rp->datalen == 0;
	}
}

static void
fuzz(char *args)
{
	static struct out o, probe;
	struct reply	 rp;
	char		*tok, *op, *svc, *key, first[MAXFRAME + 256];
	char		 got[MAXFRAME + 256];
	uint32_t	 ptype, pserv, type;
	size_t		 decl;
	long		 i, n, cls[3] = { 0, 0, 0 }, accepted = 0, failures = 0;
	long		 fails = 0, none = 0, probes = 0, wrong = 0;
	int		 status, dead = 0, need_probe;
	enum expect	 exp;

	if ((tok = strtok(args, " ")) == NULL || (n = atol(tok)) <= 0 ||
	    (tok = strtok(NULL, " ")) == NULL ||
	    (op = strtok(NULL, " ")) == NULL ||
	    (svc = strtok(NULL, " ")) == NULL ||
	    (key = strtok(NULL, "")) == NULL ||
	    type_byname(op, &ptype) == -1 || service_byname(svc, &pserv) == -1) {
		printf("(bad fuzz line)\n");
		return;
	}
	srandom(strtoul(tok, NULL, 0));
	mkframe(&probe, ptype, pserv, key);
	sendall((char *)probe.buf, probe.len);
	if (!readframe(&rp, timeout_ms) ||
	    judge(ptype, &rp, first, sizeof(first)) != 0) {
		printf("fuzz: the probe is not answered soundly\n");
		return;
	}
	for (i = 0; i < n && !dead; i++) {
		cls[hostile(&o, &type, &decl)]++;
		exp = oracle(type, decl, o.buf + HDR, o.len - HDR);
		send_cut(&o);
		need_probe = i % 8 == 7;
		if (exp == EXP_NONE) {
			none++;
			need_probe = 1;
		} else if (!readframe(&rp, timeout_ms)) {
			if (wrong++ < 10)
				printf("fuzz: frame %ld (type %u, length "
				    "%zu): no reply\n", i, type, decl);
			dead = waitpid(child, &status, WNOHANG) != 0;
			break;
		} else if (exp == EXP_FAILURE && is_failure(type, &rp)) {
			if (type >= T_OPEN && type <= T_FETCH)
				failures++;
			else
				fails++;
		} else if (exp == EXP_ACCEPT &&
		    judge(type, &rp, got, sizeof(got)) == 0)
			accepted++;
		else {
			judge(type, &rp, got, sizeof(got));
			if (wrong++ < 10)
				printf("fuzz: frame %ld (type %u, length "
				    "%zu): wrong reply: type %u, %zu bytes: "
				    "%s\n", i, type, decl, rp.type,
				    rp.datalen, got);
		}
		if (need_probe) {
			probes++;
			sendall((char *)probe.buf, probe.len);
			if (!readframe(&rp, timeout_ms) ||
			    judge(ptype, &rp, got, sizeof(got)) != 0 ||
			    strcmp(got, first) != 0) {
				if (wrong++ < 10)
					printf("fuzz: probe after frame %ld "
					    "(type %u, length %zu) answered "
					    "otherwise\n", i, type, decl);
				rlen = 0;
			}
		}
		if (i % 64 == 0 && waitpid(child, &status, WNOHANG) != 0)
			dead = 1;
	}
	if (!dead && waitpid(child, &status, WNOHANG) != 0)
		dead = 1;
	printf("fuzz: %ld hostile frames: %ld of smtpd's request types, "
	    "%ld of other types, %ld with a length out of range\n",
	    cls[0] + cls[1] + cls[2], cls[0], cls[1], cls[2]);
	printf("fuzz: replies: %ld taken by smtpd as answers, %ld failure "
	    "answers smtpd takes, %ld FAIL to types smtpd never sends, %ld "
	    "none where none is due\n", accepted, failures, fails, none);
	printf("fuzz: %ld probes, %ld wrong, table %s\n", probes, wrong,
	    dead ? "DEAD" : "alive");
}

/* A script line of legacy mode: 1 if it was one. */
int
legacy_command(char *line)
{
	struct out	 o;
	char		*op, *a1, *a2;
	uint32_t	 type, svc = 0;

	if (strcmp(line, "?") == 0) {
		print_raw();
		return 1;
	}
	if (strcmp(line, "close") == 0) {
		mkframe(&o, T_CLOSE, 0, NULL);
		sendall((char *)o.buf, o.len);
		return 1;
	}
	if (strcmp(line, "exit") == 0) {
		wait_exit();
		return 1;
	}
	if (strcmp(line, "stdout") == 0) {
		printf("stdout: %ld bytes\n", child_stdout());
		return 1;
	}
	if (strncmp(line, "frame ", 6) == 0) {
		craft(line + 6);
		return 1;
	}
	if (strncmp(line, "fuzz ", 5) == 0) {
		fuzz(line + 5);
		return 1;
	}
	op = strtok(line, " ");
	a1 = strtok(NULL, " ");
	a2 = strtok(NULL, "");
	if (op != NULL && strcmp(op, "reply") == 0) {
		if (a1 == NULL || type_byname(a1, &type) == -1)
			return 0;
		print_judged(type);
		return 1;
	}
	if (op == NULL || type_byname(op, &type) == -1)
		return 0;
	switch (type) {
	case T_OPEN:
		mkopen(&o, a1 ? strtoul(a1, NULL, 0) : 2,
		    a2 ? strtoul(a2, NULL, 0) : NAME_FIELD);
		break;
	case T_UPDATE:
		mkframe(&o, type, 0, NULL);
		break;
	case T_CHECK:
	case T_LOOKUP:
	case T_FETCH:
		if (a1 == NULL || service_byname(a1, &svc) == -1 ||
		    (type != T_FETCH && a2 == NULL))
			return 0;
		if (mkframe(&o, type, svc, a2 ? a2 : "") == -1) {
			printf("(key too long)\n");
			return 1;
		}
		break;
	default:
		return 0;
	}
	sendall((char *)o.buf, o.len);
	print_judged(type);
	return 1;
}

static int
mkreq_legacy(char *buf, size_t sz, const char *op, const char *svc,
    const char *key)
{
	static struct out o;
	uint32_t	 type, s;

	if (type_byname(op, &type) == -1 || service_byname(svc, &s) == -1 ||
	    mkframe(&o, type, s, key) == -1 || o.len > sz)
		return -1;
	memcpy(buf, o.buf, o.len);
	return o.len;
}

/* One reply frame: 1, with *err set unless it is an answer; 0 if none. */
static int
reply_legacy(int *err)
{
	struct reply	 rp;
	int		 r = -1;

	if (!readframe(&rp, timeout_ms))
		return 0;
	if (!rp.badlen && rp.type == T_OK && rp.datalen >= sizeof(int))
		memcpy(&r, rp.data, sizeof(r));
	*err = r == -1;
	return 1;
}

const struct drive_ops legacy_ops = { mkreq_legacy, reply_legacy };
