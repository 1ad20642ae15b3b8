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

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "authlock.h"

#define NAME_LEN	64	/* hex of SHA-256 */

/* The file of login's lockout in dir, into buf. */
static int
lock_path(const char *dir, const char *login, size_t loginlen, char *buf,
    size_t len)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	char		 key[AUTHLOCK_LOGIN_MAX], hex[NAME_LEN + 1];
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
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[NAME_LEN] = '\0';
	if ((size_t)snprintf(buf, len, "%s/%s", dir, hex) >= len)
		return -1;
	return 0;
}

/*
 * Lock login out until the time until.  0, or -1 with errno set (ENOENT:
 * the directory does not exist).
 */
int
authlock_set(const char *dir, const char *login, time_t until)
{
	struct timeval	 tv[2];
	char		 path[1024];
	int		 fd, saved;

	if (lock_path(dir, login, strlen(login), path, sizeof(path)) == -1) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* A new file each time: the directory's mtime tells the table. */
	if (unlink(path) == -1 && errno != ENOENT)
		return -1;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0640)) == -1)
		return -1;
	memset(tv, 0, sizeof(tv));
	tv[0].tv_sec = tv[1].tv_sec = until;
	if (futimes(fd, tv) == -1) {
		saved = errno;
		close(fd);
		unlink(path);
		errno = saved;
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Is the login (len bytes) locked out at now?  1 yes, 0 no, -1 when the
 * directory cannot be read (errno set; ENOENT: there is none).  It looks
 * at the login's own file alone, never at the directory's list: one
 * lstat(2), and a stat(2) of the directory when there is no such file,
 * whatever the number of files there.
 */
int
authlock_held(const char *dir, const char *login, size_t len, time_t now)
{
	struct stat	 sb;
	char		 path[1024];

	if (lock_path(dir, login, len, path, sizeof(path)) == -1)
		return 0;
	if (lstat(path, &sb) == 0)
		return S_ISREG(sb.st_mode) && sb.st_mtime > now;
	if (errno != ENOENT)
		return -1;
	if (stat(dir, &sb) == -1)
		return -1;
	return 0;
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
 * Remove the lockouts of dir that ended before now (every one when now
 * is 0).  The number left, or -1 with errno set.
 */
int
authlock_sweep(const char *dir, time_t now)
{
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;
	int		 dfd, left = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	dfd = dirfd(d);
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
