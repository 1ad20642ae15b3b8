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

#ifndef SUBMISSION_H
#define SUBMISSION_H

#include <sys/types.h>
#include <sys/queue.h>

#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "backend.h"
#include "compat.h"
#include "filter_proto.h"
#include "ibuf.h"
#include "owner.h"

#define MODE_SUBMISSION	0
#define MODE_MX		1

#define CONF_DEFAULT	SYSCONFDIR "/filter-submission.conf"

/* Addresses and networks, for auth_fail_exempt. */
struct netlist {
	struct net {
		int		 af;		/* AF_INET, AF_INET6, AF_UNIX */
		unsigned char	 addr[16];
		int		 prefix;
	}		*net;
	size_t		 n;
};

struct fconf {
	char		*table;			/* table-sqlite configuration */
	int		 mode;
	int		 soft_bounce;
	int		 warn_only;
	int		 require_tls;
	int		 require_auth;
	int		 relay_check;
	int		 sender_check;
	int		 unauth_sender_check;
	int		 header_check;
	int		 null_sender;
	char		 delims[16];
	int		 auth_fail_limit;
	int		 auth_fail_window;
	struct netlist	 auth_fail_exempt;
	int		 messages_per_hour;
	int		 recipients_per_message;
	int		 recipients_per_hour;
	int		 max_sessions;
};

/*
 * The filter: its configuration, the database it reads and where its
 * answers go.  Built once in main.c, handed to every handler.
 */
struct filter {
	struct fconf	 conf;
	struct backend	*backend;
	struct ibuf	*out;
	int		 cuts_lines;	/* smtpd before 7.4 */
	int		 since75;	/* smtpd 7.5 or later */
};

/* The From:/Sender: check of one message, fed line by line. */
struct hdrcheck {
	int		 in_headers;
	int		 collecting;	/* inside a From: or Sender: header */
	char		 name[8];	/* "From" or "Sender" */
	struct ibuf	 val;		/* its unfolded value */
	int		 seen_field;	/* a header field began */
	int		 nfrom;		/* From: headers seen */
	int		 nsender;	/* Sender: headers seen */
	size_t		 linemax;	/* longest header line smtpd keeps */
	int		 since75;	/* smtpd 7.5 or later */
	int		 verdict;	/* HDR_OK, HDR_REJECT, HDR_TEMPFAIL */
	char		 reply[512];
	char		 addr[320];
	char		 login[256];	/* whose budget holds buf */
	char		 client[48];
};

#define HDR_OK		0
#define HDR_REJECT	1
#define HDR_TEMPFAIL	2

struct session {
	RB_ENTRY(session)	 node;
	TAILQ_ENTRY(session)	 lru;
	uint64_t		 id;
	char			 sid[17];
	char			 client[48];
	char			 hostname[256];	/* smtpd's, from link-greeting */
	char			 login[256];	/* lower case, "" if none */
	int			 tls;
	int			 authed;
	int			 authfails;	/* failed AUTH in this session */
	int			 exempt;	/* client in auth_fail_exempt */
	int			 authpending;	/* an AUTH awaits smtpd */
	char			*authpend;	/* the login key it named, or NULL */
	int			 refusals;	/* counted refusals without AUTH */
	int			 nrcpt;		/* in this transaction */
	struct hdrcheck		*hdr;		/* this message's, NULL none */
	/* smtpd's transaction, from its tx-* reports: for the log */
	char			 txid[9];	/* msgid; "" none open */
	char			*txfrom;	/* its sender, as smtpd takes it */
	int			 txrcpt;	/* recipients smtpd took */
};

/* fconf.c */
int		 fconf_load(const char *, struct fconf *, char *, size_t);
void		 fconf_free(struct fconf *);

/* session.c */
void		 session_init(int);
struct session	*session_new(uint64_t, const char *);
struct session	*session_find(uint64_t);
void		 session_free(struct session *);
void		 session_free_all(void);
void		 session_hdr_end(struct session *);
size_t		 session_count(void);

/* report.c */
void		 report_event(struct filter *, struct fline *);
void		 client_addr(const char *, char *, size_t);

/* netlist.c */
int		 netlist_add(struct netlist *, const char *, const char **);
int		 netlist_match(const struct netlist *, const char *);
void		 netlist_free(struct netlist *);

/* authlimit.c: what refuses a client, whose doing it is */
#define AL_OK		0
#define AL_OWN		1	/* the session's or the address's own failures */
#define AL_NET		2	/* failures from its /64, not from it */
#define AL_LOGIN	3	/* a login closed to new networks */
#define AL_ERROR	4	/* out of memory: refused for now */

void		 authlimit_init(struct fconf *);
void		 authlimit_lockdir(const char *);
struct backend;
void		 authlimit_store(struct backend *);
void		 authlimit_clear(void);
void		 authlimit_release(struct session *);
int		 authlimit_client_over(struct fconf *, struct session *);
int		 authlimit_auth_over(struct fconf *, struct session *,
		    const char *);
void		 authlimit_result(struct fconf *, struct session *,
		    const char *, const char *);

/* filter.c */
void		 filter_init(struct filter *);
void		 filter_request(struct filter *, struct fline *);
void		 filter_bad_request(struct filter *, struct fline *,
		    const char *);
void		 filter_smtpd_version(struct filter *, const char *);

/* hdrcheck.c */
void		 hdr_init(void);
void		 hdr_begin(struct hdrcheck *, const char *, const char *,
		    size_t, int);
void		 hdr_free(struct hdrcheck *);
void		 hdr_line(struct hdrcheck *, struct backend *, const char *,
		    const char *, const char *, size_t);
void		 hdr_end(struct hdrcheck *, struct backend *, const char *,
		    const char *);

/* addrlist.c */
#define ADDRLIST_MAX	64
struct addrlist {
	struct addr	 a[ADDRLIST_MAX];
	int		 n;
	char		 shown[ADDRLIST_MAX][320];	/* addresses in names */
	int		 nshown;
};
int		 addrlist_parse(const char *, struct addrlist *, const char **);

/* display.c */
int		 display_keep_charsets(void);
int		 display_scan(const char *, size_t, struct addrlist *,
		    const char **);

/* smtpdfrom.c */
int		 smtpd_completes_from(const char *, size_t, int);

/* budget.c */
struct budget;
struct budget	*budget_new(size_t);
int		 budget_take(struct budget *, const char *, size_t);
void		 budget_give(struct budget *, const char *, size_t);
void		 budget_free(struct budget *);

/* limits.c */
struct limit;
struct limit	*limit_new(int, int);
void		 limit_free(struct limit *);
int		 limit_count(struct limit *, const char *, time_t);
int		 limit_add(struct limit *, const char *, time_t);
int		 limit_mark(struct limit *, const char *, time_t);
void		 limit_sub(struct limit *, const char *, time_t);

/* policy.c */
struct verdict {
	const char	*rule;
	char		 reply[512];	/* "" means proceed */
};
void		 policy_init(struct filter *);
void		 policy_connect(struct filter *, struct session *,
		    struct verdict *);
void		 policy_auth(struct filter *, struct session *, const char *,
		    struct verdict *);
void		 policy_mail(struct filter *, struct session *, const char *,
		    struct verdict *);
void		 policy_rcpt(struct filter *, struct session *, const char *,
		    struct verdict *);

#endif
