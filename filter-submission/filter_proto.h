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

#ifndef FILTER_PROTO_H
#define FILTER_PROTO_H

#include <stdint.h>

struct ibuf;

/* smtp-in report events we read. */
enum fevent {
	EV_LINK_CONNECT,
	EV_LINK_DISCONNECT,
	EV_LINK_GREETING,
	EV_LINK_TLS,
	EV_LINK_AUTH,
	EV_TX_MAIL,
	EV_TX_RCPT,
	EV_TX_COMMIT,
	EV_OTHER
};

/* smtp-in filter phases. */
enum fphase {
	PH_CONNECT,
	PH_HELO,
	PH_EHLO,
	PH_STARTTLS,
	PH_AUTH,
	PH_MAIL_FROM,
	PH_RCPT_TO,
	PH_DATA,
	PH_DATA_LINE,
	PH_COMMIT,
	PH_MAX
};

#define FP_REPORT	1
#define FP_FILTER	2

struct fline {
	int		 type;		/* FP_REPORT or FP_FILTER */
	int		 minor;		/* protocol 0.<minor> */
	int		 what;		/* enum fevent or enum fphase */
	const char	*name;
	uint64_t	 sid;
	const char	*sidstr;
	const char	*token;		/* filters only */
	char		*param[4];	/* event or phase parameters; */
					/* link-auth: result, user; */
					/* tx-mail, tx-rcpt: msgid, */
					/* result, address; tx-commit: */
					/* msgid, size */
	int		 nparam;
};

const char	*filter_phase_name(int);
int		 filter_register(struct ibuf *, int, int);
int		 filter_parse(char *, size_t, struct fline *, const char **);
int		 filter_result(struct ibuf *, const char *, const char *,
		    const char *, const char *);
int		 filter_dataline(struct ibuf *, const char *, const char *,
		    const char *);

#endif
