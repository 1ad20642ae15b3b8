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
 * SQLite's files through a descriptor of the database's directory.
 * SQLite's unix VFS opens its files by name: the database, its -journal,
 * -wal and -shm beside it, and the database again when the file was
 * replaced; it also looks at each directory above the file to resolve
 * symbolic links.  Where a process can no longer open a path (Capsicum's
 * capability mode), the system calls that take a name are replaced here
 * (the VFS's xSetSystemCall): a file of the database's directory is
 * opened, looked at or removed relative to a descriptor of the directory
 * taken beforehand (openat(2), fstatat(2), faccessat(2), unlinkat(2)); a
 * directory above it is answered from what it was at installation;
 * anything else is refused (EACCES).  Nothing here needs Capsicum: the
 * same code runs, and is tested, on any POSIX system.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "compat.h"
#include "sandbox.h"
#include "sqlite_dirfd.h"

#define ALIASES		3	/* names of the directory: as given, absolute, real */
#define ABOVE_MAX	64	/* directories above it, each spelling */

struct above {
	char		 path[PATH_MAX];
	struct stat	 lsb;		/* lstat(2) */
	int		 lerr;
	struct stat	 sb;		/* stat(2) */
	int		 serr;
	char		*link;		/* its target, when a symbolic link */
};

static int		 dirfd_ = -1;
static char		 alias[ALIASES][PATH_MAX];
static struct above	 above[ABOVE_MAX];
static size_t		 nabove;
static char		 cwd[PATH_MAX];
static sqlite3_vfs	*vfs;

/*
 * path's name in the directory: "." for the directory itself, NULL for a
 * path elsewhere (or below a subdirectory: SQLite puts nothing there).
 */
static const char *
inside(const char *path)
{
	const char	*rest;
	size_t		 i, n;

	for (i = 0; i < ALIASES; i++) {
		if (alias[i][0] == '\0')
			continue;
		if (strcmp(alias[i], ".") == 0) {
			rest = path;
			if (strncmp(rest, "./", 2) == 0)
				rest += 2;
		} else {
			n = strlen(alias[i]);
			if (strncmp(path, alias[i], n) != 0)
				continue;
			if (path[n] == '\0')
				return ".";
			/* "/" is its own separator */
			if (n > 0 && alias[i][n - 1] == '/')
				rest = path + n;
			else if (path[n] == '/')
				rest = path + n + 1;
			else
				continue;
		}
		if (rest[0] == '\0' || strchr(rest, '/') != NULL ||
		    strcmp(rest, ".") == 0 || strcmp(rest, "..") == 0)
			continue;
		return rest;
	}
	return NULL;
}

static struct above *
above_find(const char *path)
{
	size_t	 i;

	for (i = 0; i < nabove; i++)
		if (strcmp(above[i].path, path) == 0)
			return &above[i];
	return NULL;
}

static int
shim_open(const char *path, int flags, int mode)
{
	const char	*name;

	if ((name = inside(path)) == NULL) {
		errno = EACCES;
		return -1;
	}
	return openat(dirfd_, name, flags, (mode_t)mode);
}

static int
shim_access(const char *path, int mode)
{
	const char	*name;

	if ((name = inside(path)) == NULL) {
		errno = EACCES;
		return -1;
	}
	return faccessat(dirfd_, name, mode, 0);
}

static int
shim_unlink(const char *path)
{
	const char	*name;

	if ((name = inside(path)) == NULL || strcmp(name, ".") == 0) {
		errno = EACCES;
		return -1;
	}
	return unlinkat(dirfd_, name, 0);
}

static int
stat_common(const char *path, struct stat *sb, int nofollow)
{
	struct above	*a;
	const char	*name;

	if ((name = inside(path)) != NULL) {
		if (strcmp(name, ".") == 0)
			return fstat(dirfd_, sb);
		return fstatat(dirfd_, name, sb,
		    nofollow ? AT_SYMLINK_NOFOLLOW : 0);
	}
	if ((a = above_find(path)) == NULL) {
		errno = EACCES;
		return -1;
	}
	if ((nofollow ? a->lerr : a->serr) != 0) {
		errno = nofollow ? a->lerr : a->serr;
		return -1;
	}
	*sb = nofollow ? a->lsb : a->sb;
	return 0;
}

static int
shim_stat(const char *path, struct stat *sb)
{
	return stat_common(path, sb, 0);
}

static int
shim_lstat(const char *path, struct stat *sb)
{
	return stat_common(path, sb, 1);
}

static ssize_t
shim_readlink(const char *path, char *buf, size_t len)
{
	struct above	*a;
	const char	*name;
	size_t		 n;

	if ((name = inside(path)) != NULL)
		return readlinkat(dirfd_, name, buf, len);
	if ((a = above_find(path)) == NULL || a->link == NULL) {
		errno = a == NULL ? EACCES : EINVAL;
		return -1;
	}
	n = strlen(a->link);
	if (n > len)
		n = len;
	memcpy(buf, a->link, n);
	return n;
}

static char *
shim_getcwd(char *buf, size_t len)
{
	if (cwd[0] == '\0') {
		errno = EACCES;
		return NULL;
	}
	if (strlcpy(buf, cwd, len) >= len) {
		errno = ERANGE;
		return NULL;
	}
	return buf;
}

/* path without "//", "/./" and "/../" (each ".." takes one name off). */
static int
normalize(const char *path, char *buf, size_t len)
{
	const char	*p = path, *e;
	size_t		 n = 0, l;

	buf[0] = '\0';
	while (*p != '\0') {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		e = strchr(p, '/');
		l = e != NULL ? (size_t)(e - p) : strlen(p);
		if (l == 1 && p[0] == '.')
			;
		else if (l == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 0 && buf[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			buf[n] = '\0';
		} else {
			if (n + 1 + l + 1 > len)
				return -1;
			buf[n++] = '/';
			memcpy(buf + n, p, l);
			n += l;
			buf[n] = '\0';
		}
		p += l;
	}
	if (n == 0)
		strlcpy(buf, "/", len);
	return 0;
}

/* Remember each directory above path and path itself, as they are now. */
static void
remember(const char *path)
{
	struct above	*a;
	char		 pre[PATH_MAX], target[PATH_MAX];
	const char	*p;
	ssize_t		 n;

	for (p = path; p != NULL; p = strchr(p + 1, '/')) {
		if (p == path)
			strlcpy(pre, "/", sizeof(pre));
		else if ((size_t)(p - path) < sizeof(pre)) {
			memcpy(pre, path, p - path);
			pre[p - path] = '\0';
		} else
			return;
		if (above_find(pre) != NULL)
			continue;
		if (nabove == ABOVE_MAX)
			return;
		a = &above[nabove++];
		strlcpy(a->path, pre, sizeof(a->path));
		a->lerr = lstat(pre, &a->lsb) == -1 ? errno : 0;
		a->serr = stat(pre, &a->sb) == -1 ? errno : 0;
		a->link = NULL;
		if (a->lerr == 0 && S_ISLNK(a->lsb.st_mode) &&
		    (n = readlink(pre, target, sizeof(target) - 1)) > 0) {
			target[n] = '\0';
			a->link = strdup(target);
		}
	}
	if (above_find(path) == NULL && nabove < ABOVE_MAX) {
		a = &above[nabove++];
		strlcpy(a->path, path, sizeof(a->path));
		a->lerr = lstat(path, &a->lsb) == -1 ? errno : 0;
		a->serr = stat(path, &a->sb) == -1 ? errno : 0;
		a->link = NULL;
	}
}

static const struct {
	const char		*name;
	sqlite3_syscall_ptr	 fn;
} shims[] = {
	{ "open",	(sqlite3_syscall_ptr)shim_open },
	{ "access",	(sqlite3_syscall_ptr)shim_access },
	{ "unlink",	(sqlite3_syscall_ptr)shim_unlink },
	{ "stat",	(sqlite3_syscall_ptr)shim_stat },
	{ "lstat",	(sqlite3_syscall_ptr)shim_lstat },
	{ "readlink",	(sqlite3_syscall_ptr)shim_readlink },
	{ "getcwd",	(sqlite3_syscall_ptr)shim_getcwd },
};

/* Put SQLite's own system calls back and close the directory. */
void
sqlite_dirfd_remove(void)
{
	size_t	 i;

	if (vfs != NULL && vfs->xSetSystemCall != NULL)
		vfs->xSetSystemCall(vfs, NULL, NULL);
	vfs = NULL;
	if (dirfd_ != -1)
		close(dirfd_);
	dirfd_ = -1;
	for (i = 0; i < nabove; i++)
		free(above[i].link);
	nabove = 0;
	for (i = 0; i < ALIASES; i++)
		alias[i][0] = '\0';
	cwd[0] = '\0';
}

/*
 * From now on, SQLite reaches the files of dbpath's directory through a
 * descriptor of it, and nothing else.  After sqlite3_config(3), before
 * the database is opened.  0, or -1 with the reason in err.
 */
int
sqlite_dirfd_install(const char *dbpath, char *err, size_t errlen)
{
	char	 dir[PATH_MAX], abs[PATH_MAX], tmp[PATH_MAX], real[PATH_MAX];
	size_t	 i;
	int	 rc;

	sqlite_dirfd_remove();
	sandbox_dirname(dbpath, dir, sizeof(dir));
	if ((dirfd_ = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "database directory %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		cwd[0] = '\0';
	strlcpy(alias[0], dir, sizeof(alias[0]));
	/* SQLite names its files by the path it makes absolute. */
	if (dir[0] == '/')
		strlcpy(tmp, dir, sizeof(tmp));
	else if ((size_t)snprintf(tmp, sizeof(tmp), "%s/%s", cwd, dir) >=
	    sizeof(tmp))
		tmp[0] = '\0';
	if (tmp[0] != '\0' && normalize(tmp, abs, sizeof(abs)) == 0) {
		strlcpy(alias[1], abs, sizeof(alias[1]));
		remember(abs);
	}
	if (realpath(dir, real) != NULL) {
		strlcpy(alias[2], real, sizeof(alias[2]));
		remember(real);
	}
	if ((vfs = sqlite3_vfs_find(NULL)) == NULL ||
	    vfs->iVersion < 3 || vfs->xSetSystemCall == NULL) {
		snprintf(err, errlen, "SQLite's default VFS cannot replace "
		    "its system calls");
		sqlite_dirfd_remove();
		return -1;
	}
	for (i = 0; i < sizeof(shims) / sizeof(shims[0]); i++) {
		rc = vfs->xSetSystemCall(vfs, shims[i].name, shims[i].fn);
		/* Not every version has every call ("stat" is older). */
		if (rc == SQLITE_NOTFOUND)
			continue;
		if (rc != SQLITE_OK) {
			snprintf(err, errlen, "SQLite system call %s: %s",
			    shims[i].name, sqlite3_errstr(rc));
			sqlite_dirfd_remove();
			return -1;
		}
	}
	return 0;
}

/* The directory's descriptor, -1 when the shim is not installed. */
int
sqlite_dirfd_fd(void)
{
	return dirfd_;
}

/* stat(2) of the database's path: through the directory when installed. */
int
sqlite_dirfd_stat(const char *path, struct stat *sb)
{
	if (dirfd_ == -1)
		return stat(path, sb);
	return stat_common(path, sb, 0);
}
