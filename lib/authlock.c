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
 * Lockouts of logins in auth_lock_dir, which table-sqlite honours: a
 * file named by the SHA-256 of the login (lower case, cut at a control
 * character or a ':': never the login itself, which a client chose),
 * its modification time the end of the lockout.  filter-submission
 * writes none any more (the table cannot tell the owner from an
 * attacker); it removes those an earlier version left.
 */

/* O_PATH, Linux only: glibc shows it with this alone. */
#define _GNU_SOURCE

#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "authlock.h"

#define NAME_LEN	64	/* hex of SHA-256 */

/*
 * A descriptor of the directory kept open (authlock_keep): where the
 * process can no longer open paths (Capsicum), every call goes through
 * it.  Followed (authlock_follow), it is the directory of its name
 * again once a second: one created, removed or replaced is seen within
 * a second, and a lookup in between costs one fstatat(2), or nothing
 * while there is no directory.  Otherwise each call opens the
 * directory by its path.
 */
static char	*kept_dir;
static int	 kept_fd = -1;
static int	 kept_err;	/* why it could not be opened */
static int	 kept_follow;
static time_t	 kept_at;	/* followed: when last compared */

static int	 dir_open(const char *);
static int	 path_open(const char *);

/* The file name of login's lockout (len bytes), into name. */
static int
lock_name(const char *login, size_t loginlen, char name[NAME_LEN + 1])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	char		 key[AUTHLOCK_LOGIN_MAX];
	unsigned int	 mdlen, i;
	size_t		 n;

	for (n = 0; n < loginlen && n < sizeof(key) - 1; n++) {
		if (iscntrl((unsigned char)login[n]) || login[n] == ':')
			break;
		key[n] = tolower((unsigned char)login[n]);
	}
	if (EVP_Digest(key, n, md, &mdlen, EVP_sha256(), NULL) != 1)
		return -1;
	for (i = 0; i < mdlen && 2 * i < NAME_LEN; i++)
		snprintf(name + 2 * i, 3, "%02x", md[i]);
	name[NAME_LEN] = '\0';
	return 0;
}

/*
 * Open dir now and use that descriptor for dir from here on.  The
 * descriptor, or -1 with errno set.
 */
int
authlock_keep(const char *dir)
{
	char	*copy;
	int	 fd, saved;

	authlock_unkeep();
	if ((copy = strdup(dir)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	fd = path_open(dir);
	saved = errno;
	kept_dir = copy;
	kept_fd = fd;
	/* Calls for dir answer this error from now on (ENOENT: none). */
	kept_err = fd == -1 ? saved : 0;
	errno = saved;
	return fd;
}

/*
 * Keep dir open as authlock_keep() does, but follow its name: compared
 * with the directory of that name at most once a second.  Nothing to do
 * when dir is kept already (capability mode: it must never be opened
 * again).  The descriptor, or -1 with errno set.
 */
int
authlock_follow(const char *dir)
{
	int	 fd;

	if (kept_dir != NULL && strcmp(dir, kept_dir) == 0) {
		errno = kept_err;
		return kept_fd;
	}
	fd = authlock_keep(dir);
	kept_follow = 1;
	kept_at = time(NULL);
	return fd;
}

/* Forget the kept descriptor: calls open their directory again. */
void
authlock_unkeep(void)
{
	if (kept_fd != -1)
		close(kept_fd);
	free(kept_dir);
	kept_dir = NULL;
	kept_fd = -1;
	kept_err = 0;
	kept_follow = 0;
}

/* Once a second, a followed directory: still the one of its name? */
static void
follow(void)
{
	struct stat	 now, kept;
	time_t		 t = time(NULL);

	if (t == kept_at)
		return;
	kept_at = t;
	if (stat(kept_dir, &now) == -1) {
		if (kept_fd != -1)
			close(kept_fd);
		kept_fd = -1;
		kept_err = errno;
		return;
	}
	if (kept_fd != -1 && fstat(kept_fd, &kept) == 0 &&
	    kept.st_dev == now.st_dev && kept.st_ino == now.st_ino)
		return;
	if (kept_fd != -1)
		close(kept_fd);
	kept_fd = path_open(kept_dir);
	kept_err = kept_fd == -1 ? errno : 0;
}

static int
dir_open(const char *dir)
{
	if (kept_dir != NULL && strcmp(dir, kept_dir) == 0) {
		if (kept_follow)
			follow();
		if (kept_fd == -1)
			errno = kept_err;
		return kept_fd;
	}
	return path_open(dir);
}

/*
 * A directory the process may search but not list (mode 0711) still
 * answers for a login's own file: opened for search alone where the
 * system can.
 */
static int
path_open(const char *dir)
{
	int	 fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
#if defined(O_SEARCH)
	if (fd == -1 && errno == EACCES)
		fd = open(dir, O_SEARCH | O_DIRECTORY | O_CLOEXEC);
#elif defined(O_PATH)
	if (fd == -1 && errno == EACCES)
		fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
#endif
	return fd;
}

static void
dir_close(int dfd)
{
	int	 saved = errno;

	if (dfd != kept_fd || kept_dir == NULL)
		close(dfd);
	errno = saved;
}

/*
 * Lock login out until the time until, in the directory open at dfd.
 * 0, or -1 with errno set.
 */
int
authlock_set_at(int dfd, const char *login, time_t until)
{
	struct timespec	 ts[2];
	char		 name[NAME_LEN + 1];
	int		 fd, saved;

	if (lock_name(login, strlen(login), name) == -1) {
		errno = EINVAL;
		return -1;
	}
	/* A new file each time: the directory's mtime tells the table. */
	if (unlinkat(dfd, name, 0) == -1 && errno != ENOENT)
		return -1;
	if ((fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0640)) == -1)
		return -1;
	memset(ts, 0, sizeof(ts));
	ts[0].tv_sec = ts[1].tv_sec = until;
	if (futimens(fd, ts) == -1) {
		saved = errno;
		close(fd);
		unlinkat(dfd, name, 0);
		errno = saved;
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Lock login out until the time until.  0, or -1 with errno set (ENOENT:
 * the directory does not exist).
 */
int
authlock_set(const char *dir, const char *login, time_t until)
{
	int	 dfd, rv;

	if ((dfd = dir_open(dir)) == -1)
		return -1;
	rv = authlock_set_at(dfd, login, until);
	dir_close(dfd);
	return rv;
}

/*
 * Is the login (len bytes) locked out at now, in the directory open at
 * dfd?  1 yes, 0 no, -1 with errno set.  It looks at the login's own
 * file alone, never at the directory's list: one fstatat(2), whatever
 * the number of files there.
 */
int
authlock_held_at(int dfd, const char *login, size_t len, time_t now)
{
	struct stat	 sb;
	char		 name[NAME_LEN + 1];

	if (lock_name(login, len, name) == -1)
		return 0;
	if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0)
		return S_ISREG(sb.st_mode) && sb.st_mtime > now;
	if (errno != ENOENT)
		return -1;
	return 0;
}

/*
 * Is the login (len bytes) locked out at now?  1 yes, 0 no, -1 when the
 * directory cannot be read (errno set; ENOENT: there is none).
 */
int
authlock_held(const char *dir, const char *login, size_t len, time_t now)
{
	int	 dfd, rv;

	if ((dfd = dir_open(dir)) == -1)
		return -1;
	rv = authlock_held_at(dfd, login, len, now);
	dir_close(dfd);
	return rv;
}

static int
is_lock_name(const char *name)
{
	size_t	 i;

	for (i = 0; i < NAME_LEN; i++)
		if (!isxdigit((unsigned char)name[i]) ||
		    isupper((unsigned char)name[i]))
			return 0;
	return name[NAME_LEN] == '\0';
}

/*
 * Remove the lockouts of the directory open at dfd that ended before now
 * (every one when now is 0).  The number left, or -1 with errno set.
 * dfd stays open.
 */
int
authlock_sweep_at(int dfd, time_t now)
{
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;
	int		 fd, left = 0;

	/* fdopendir(3) takes the descriptor it is given: a copy. */
	if ((fd = dup(dfd)) == -1)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (!is_lock_name(de->d_name))
			continue;
		if (now != 0 && fstatat(dfd, de->d_name, &sb,
		    AT_SYMLINK_NOFOLLOW) == 0 && sb.st_mtime > now) {
			left++;
			continue;
		}
		if (unlinkat(dfd, de->d_name, 0) == -1 && errno != ENOENT)
			left++;
	}
	closedir(d);
	return left;
}

/*
 * Remove the lockouts of dir that ended before now (every one when now
 * is 0).  The number left, or -1 with errno set.
 */
int
authlock_sweep(const char *dir, time_t now)
{
	int	 dfd, rv;

	if ((dfd = dir_open(dir)) == -1)
		return -1;
	rv = authlock_sweep_at(dfd, now);
	dir_close(dfd);
	return rv;
}
