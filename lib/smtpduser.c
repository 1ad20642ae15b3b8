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
 * The user smtpd runs its tables and filters as (_smtpd on OpenBSD,
 * opensmtpd on Debian), and whether it can read a file: the checks run
 * as root (-n, auth-helper check) ask it as that user, so that a
 * database only root can read is found before smtpd starts, not by the
 * first client.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "sqlconf.h"
#include "smtpduser.h"

static const char *names[] = { "_smtpd", "opensmtpd", "smtpd", NULL };

/* 1 with u filled in when this system has such a user, else 0. */
int
smtpd_user_find(struct smtpd_user *u)
{
	struct passwd	*pw;
	struct group	*gr;
	size_t		 i;

	for (i = 0; names[i] != NULL; i++) {
		if ((pw = getpwnam(names[i])) == NULL)
			continue;
		strlcpy(u->name, pw->pw_name, sizeof(u->name));
		u->uid = pw->pw_uid;
		u->gid = pw->pw_gid;
		if ((gr = getgrgid(pw->pw_gid)) != NULL)
			strlcpy(u->group, gr->gr_name, sizeof(u->group));
		else
			snprintf(u->group, sizeof(u->group), "%u",
			    (unsigned)pw->pw_gid);
		return 1;
	}
	return 0;
}

/*
 * Can u open path for reading?  1 yes; 0 no, with err saying so; -1
 * cannot tell (not root).  Asked in a child that becomes u.
 */
int
smtpd_user_reads(const struct smtpd_user *u, const char *path, char *err,
    size_t errlen)
{
	struct stat	 sb;
	pid_t		 pid;
	int		 st, fd;

	if (geteuid() != 0)
		return -1;
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if (initgroups(u->name, u->gid) == -1 ||
		    setgid(u->gid) == -1 || setuid(u->uid) == -1)
			_exit(255);
		if ((fd = open(path, O_RDONLY)) == -1)
			_exit(errno > 0 && errno < 255 ? errno : 254);
		close(fd);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) == -1 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) >= 254)
		return -1;
	if (WEXITSTATUS(st) == 0)
		return 1;
	if (WEXITSTATUS(st) == EACCES && stat(path, &sb) == 0 &&
	    S_ISDIR(sb.st_mode))
		snprintf(err, errlen, "permission denied for user %s on %s: "
		    "smtpd runs the table and the filter as %s; give the "
		    "directory to group %s, mode 0770", u->name, path, u->name,
		    u->group);
	else if (WEXITSTATUS(st) == EACCES)
		snprintf(err, errlen, "permission denied for user %s on %s: "
		    "smtpd runs the table and the filter as %s; give the file "
		    "to group %s, mode 0640, and its directories mode 0750 or "
		    "more", u->name, path, u->name, u->group);
	else
		snprintf(err, errlen, "user %s cannot read %s: %s", u->name,
		    path, strerror(WEXITSTATUS(st)));
	return 0;
}

/*
 * The checks of -n and auth-helper check: can smtpd's user read every
 * configuration file of confs (NULL-terminated), the database of c and
 * its auth_lock_dir, when there is one?  0 yes, or nothing to ask (not
 * root); -1 no, with err; 1 there is no smtpd user here, with err saying
 * so.
 */
int
smtpd_user_check(const char *const *confs, const struct sqlconf *c,
    char *err, size_t errlen)
{
	struct smtpd_user	 u;
	size_t			 i;

	if (geteuid() != 0)
		return 0;
	if (!smtpd_user_find(&u)) {
		snprintf(err, errlen, "no user _smtpd or opensmtpd on this "
		    "system to check the permissions for: is smtpd installed?");
		return 1;
	}
	for (i = 0; confs[i] != NULL; i++)
		if (smtpd_user_reads(&u, confs[i], err, errlen) == 0)
			return -1;
	/* A database server has no file here. */
	if (c->engine == ENGINE_SQLITE &&
	    smtpd_user_reads(&u, c->dbpath, err, errlen) == 0)
		return -1;
	/* Without the directory there are no lockouts, and no fault. */
	if (access(c->auth_lock_dir, F_OK) == 0 &&
	    smtpd_user_reads(&u, c->auth_lock_dir, err, errlen) == 0)
		return -1;
	return 0;
}

/*
 * The name of the user running this process, for messages.  It is
 * looked up once: call it before the process is restricted (sandbox.c),
 * after which /etc/passwd cannot be read.
 */
const char *
self_user(char *buf, size_t len)
{
	static char	 name[64];
	struct passwd	*pw;

	if (name[0] == '\0') {
		if ((pw = getpwuid(geteuid())) != NULL)
			strlcpy(name, pw->pw_name, sizeof(name));
		else
			snprintf(name, sizeof(name), "uid %u",
			    (unsigned)geteuid());
	}
	strlcpy(buf, name, len);
	return buf;
}
