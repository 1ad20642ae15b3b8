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

#ifndef AUTH_HELPER_H
#define AUTH_HELPER_H

#include <sys/types.h>

#include <stddef.h>

#include <sqlite3.h>

#include "sqlconf.h"

#define MAXADDR		512
#define OPT_MAX		128

struct dbsrv_ops;
struct dbconn;

struct env {
	const char	*confpath;
	struct sqlconf	 conf;
	sqlite3		*db;		/* SQLite, or: */
	const struct dbsrv_ops *srv;	/* a server engine */
	struct dbconn	*conn;
	int		 prepared;	/* conn holds a statement */
	int		 json;
	const char	*opt[OPT_MAX];	/* the command's -x: its argument, */
					/* "" for a flag, NULL when not given */
};

/* store.c */
int	 store_open(struct env *, int);
void	 store_close(struct env *);
int	 store_begin(struct env *);
int	 store_commit(struct env *);
void	 store_rollback(struct env *);
int	 store_exec(struct env *, const char *, ...);
int	 store_rows(struct env *, const char *, const char *const *, int,
	    int (*)(void *, int, const char **), void *);
const char *store_name(struct env *);
int	 store_exists(struct env *, const char *, const char *, const char *);
int	 store_init(struct env *);
int	 store_user(struct env *, const char *, const char *);
int	 store_local_address(struct env *, const char *, const char *, int,
	    char *, size_t);

/* args.c */
int	 arg_address(const char *, const char *, int, char *, size_t);
int	 arg_domain(const char *, const char *, char *, size_t);
int	 arg_target(const char *, const char *, int, char *, size_t);
int	 arg_list_address(const char *, const char *, int, char *, size_t);
int	 arg_list_domain(const char *, const char *, char *, size_t);

/* askpass.c */
int	 read_password(char *, size_t, int);

/* names.c */
int	 norm_domain(const char *, char *, size_t, const char **);
int	 norm_address(const char *, int, char *, size_t, const char **);
int	 norm_target(const char *, int, char *, size_t, const char **);
int	 target_kind(const char *);

/* What smtpd makes of an alias target. */
#define TARGET_MAILBOX	0	/* "": the account's own mailbox */
#define TARGET_ADDRESS	1
#define TARGET_USER	2	/* a local user name */
#define TARGET_PROGRAM	3	/* "|command" */
#define TARGET_FILE	4	/* "/path" */
#define TARGET_INCLUDE	5	/* ":include:/path" */
#define TARGET_ERROR	6	/* "error:code text" */
#define TARGET_BAD	7	/* none of these, or several */

/* output.c */
void	 errx_msg(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
void	 out_row(struct env *, int, const char **, const char **);
int	 out_query(struct env *, const char *, const char *, int,
	    const char **);

/* cmd_*.c: 0 done, -1 failed (said why), CMD_USAGE: main.c shows it */
#define CMD_USAGE	(-2)
int	 cmd_init(struct env *, int, char **);
int	 cmd_domain_add(struct env *, int, char **);
int	 cmd_domain_del(struct env *, int, char **);
int	 cmd_domain_list(struct env *, int, char **);
int	 cmd_user_add(struct env *, int, char **);
int	 cmd_user_del(struct env *, int, char **);
int	 cmd_user_passwd(struct env *, int, char **);
int	 cmd_user_enable(struct env *, int, char **);
int	 cmd_user_disable(struct env *, int, char **);
int	 cmd_user_list(struct env *, int, char **);
int	 cmd_alias_add(struct env *, int, char **);
int	 cmd_alias_del(struct env *, int, char **);
int	 cmd_alias_list(struct env *, int, char **);
int	 cmd_alias_owns(struct env *, int, char **);
int	 cmd_sender_add(struct env *, int, char **);
int	 cmd_sender_del(struct env *, int, char **);
int	 cmd_sender_list(struct env *, int, char **);
int	 cmd_hash(struct env *, int, char **);
int	 cmd_verify(struct env *, int, char **);
int	 cmd_owns(struct env *, int, char **);
int	 cmd_plain(struct env *, int, char **);
int	 cmd_check(struct env *, int, char **);
int	 cmd_backup(struct env *, int, char **);

#endif
