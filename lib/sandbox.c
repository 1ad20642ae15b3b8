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
 * What table-sqlite and filter-submission give up once started: they
 * only read their configuration and database, write to the descriptors
 * they have and, for the filter, create and remove files in one
 * directory (the failed-AUTH lockouts).  On OpenBSD, pledge(2) and unveil(2).  On
 * Linux, no new privileges (PR_SET_NO_NEW_PRIVS) and a Landlock rule set:
 * reading the paths given and the system's libraries (/usr: iconv loads
 * its converters there), nothing else: no writing, creating or removing
 * a file, no executing a program, no TCP, and (ABI 6) no abstract
 * socket or signal outside.  Where the kernel has no
 * Landlock, or an older version of it, the caller gets SANDBOX_PARTIAL
 * and a message to log.  Each system's part is chosen by a feature check
 * of the build (HAVE_PLEDGE, HAVE_UNVEIL, HAVE_LANDLOCK), not by its
 * name: pledge(2) without unveil(2) (before OpenBSD 6.4) is partial.
 * A process that reads a database server (PostgreSQL, MariaDB) calls
 * sandbox_network() first: it may then connect out (TCP and Unix
 * sockets, name lookups), and read /etc (resolv.conf, hosts, the
 * certificates) and what the engine's library opens by name when it
 * connects again (a password file, certificates, the directory where
 * /etc/resolv.conf leads: lib/dbsrv.c), each only if it exists then;
 * binding a port stays forbidden.
 *
 * On FreeBSD (HAVE_CAPSICUM), capability mode (cap_enter(2)): no path
 * can be opened any more, so what is needed later is opened before by
 * sandbox_keep(): the database's directory, through which SQLite then
 * reaches its files (lib/sqlite_dirfd.c), and auth_lock_dir
 * (lib/authlock.c); each descriptor, and the standard ones, limited
 * with cap_rights_limit(2) to what is done with it.  The configuration
 * was read before; a reload (SIGHUP) cannot read it again and keeps the
 * running one, as a reload that fails does.
 *
 * With a server engine (sandbox_network()), capability mode is not
 * entered: libpq and MariaDB Connector/C resolve names and open sockets
 * on every reconnection, which it forbids.  sandbox_restrict() then
 * says so (logged once, at start) and the process runs without it.
 */

#ifdef HAVE_LANDLOCK
/* O_PATH and syscall(2), Linux only: glibc shows them with this alone. */
#define _GNU_SOURCE
#endif

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_LANDLOCK
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/landlock.h>
#endif

#ifdef HAVE_CAPSICUM
#include <sys/capsicum.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#endif

#include "authlock.h"
#include "compat.h"
#include "sandbox.h"
#include "sqlite_dirfd.h"

#ifndef HAVE_CAPSICUM
int
sandbox_no_paths(void)
{
	return 0;
}

/* Paths stay open to the process: nothing to open beforehand. */
int
sandbox_keep(const char *dbpath, const char *lockdir, char *msg, size_t len)
{
	msg[0] = '\0';
	return 0;
}
#endif

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZER_BUILD
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZER_BUILD
#endif
#endif

static int	 network;	/* connections to a database server */
static const char *const *net_read;	/* files a reconnection reads */
static const char *const *net_sock;	/* directories of its sockets */

/*
 * Connections to a database server, which read the files of rpaths
 * and connect to sockets in the directories of spaths (each list
 * NULL-terminated or NULL; kept until sandbox_restrict()).
 */
void
sandbox_network(const char *const *rpaths, const char *const *spaths)
{
	network = 1;
	net_read = rpaths;
	net_sock = spaths;
}

/*
 * The directory of path, into buf: SQLite opens its journal files
 * beside the database.
 */
const char *
sandbox_dirname(const char *path, char *buf, size_t len)
{
	char	*slash;

	if (strlcpy(buf, path, len) >= len ||
	    (slash = strrchr(buf, '/')) == NULL)
		strlcpy(buf, ".", len);
	else if (slash == buf)
		slash[1] = '\0';
	else
		*slash = '\0';
	return buf;
}

#ifdef HAVE_CAPSICUM

static int	 lock_fd = -1;

/* Can no file be opened by its path once sandboxed?  Capsicum: yes
 * (but not with a server engine, which does not enter capability mode). */
int
sandbox_no_paths(void)
{
	return !network;
}

/*
 * Open now what capability mode would forbid later: the directory of
 * dbpath for SQLite, lockdir (NULL: none) for the lockouts, the time
 * zone.  0, or -1 with what is missing in msg (the caller logs it and
 * goes on: what is missing then fails per request).
 */
int
sandbox_keep(const char *dbpath, const char *lockdir, char *msg, size_t len)
{
	char		 err[256];
	int		 rv = 0;
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;

	msg[0] = '\0';
	tzset();
	/*
	 * OpenSSL reads its configuration and finds its digests on first
	 * use: the lockouts' names and {SHA*} passwords use them later.
	 */
	OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL);
	(void)EVP_Digest("", 0, md, &mdlen, EVP_sha1(), NULL);
	(void)EVP_Digest("", 0, md, &mdlen, EVP_sha256(), NULL);
	(void)EVP_Digest("", 0, md, &mdlen, EVP_sha512(), NULL);
	/* A server engine: no capability mode, no SQLite file. */
	if (network)
		return 0;
	if (sqlite_dirfd_install(dbpath, err, sizeof(err)) == -1) {
		snprintf(msg, len, "%s: the database cannot be opened once "
		    "sandboxed; restart once it is there", err);
		rv = -1;
	}
	if (lockdir != NULL && (lock_fd = authlock_keep(lockdir)) == -1 &&
	    errno != ENOENT && rv == 0) {
		snprintf(msg, len, "auth_lock_dir %s: %s", lockdir,
		    strerror(errno));
		rv = -1;
	}
	return rv;
}

static int
limit(int fd, cap_rights_t *r, const char *what, char *msg, size_t len)
{
	if (fd == -1 || cap_rights_limit(fd, r) == 0)
		return 0;
	snprintf(msg, len, "cap_rights_limit %s: %s", what, strerror(errno));
	return -1;
}

int
sandbox_restrict(const char *const *paths, const char *const *wpaths,
    char *msg, size_t len)
{
	cap_rights_t	 r;
	int		 w = wpaths != NULL && wpaths[0] != NULL, fd;

	msg[0] = '\0';
	if (network) {
		snprintf(msg, len, "capability mode not entered: a database "
		    "server is reached by name and socket on each "
		    "reconnection, which it forbids");
		return SANDBOX_PARTIAL;
	}
	/* Standard input and output: smtpd's pipe or socket. */
	cap_rights_init(&r, CAP_READ, CAP_WRITE, CAP_EVENT, CAP_FSTAT,
	    CAP_FCNTL);
	for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
		if (limit(fd, &r, "standard descriptors", msg, len) == -1)
			return SANDBOX_PARTIAL;
	/*
	 * The database's directory: its files are opened there, read, and
	 * locked; a reader of a WAL database writes and creates its -shm.
	 */
	cap_rights_init(&r, CAP_LOOKUP, CAP_READ, CAP_WRITE, CAP_SEEK,
	    CAP_FSTAT, CAP_FSTATAT, CAP_FCNTL, CAP_FLOCK, CAP_MMAP_RW,
	    CAP_CREATE, CAP_FTRUNCATE);
	if (limit(sqlite_dirfd_fd(), &r, "database directory", msg,
	    len) == -1)
		return SANDBOX_PARTIAL;
	/* auth_lock_dir: the table looks a file up, the filter sweeps. */
	if (w)
		cap_rights_init(&r, CAP_LOOKUP, CAP_READ, CAP_SEEK, CAP_FSTAT,
		    CAP_FSTATAT, CAP_FCNTL, CAP_UNLINKAT);
	else
		cap_rights_init(&r, CAP_LOOKUP, CAP_FSTAT, CAP_FSTATAT);
	if (limit(lock_fd, &r, "auth_lock_dir", msg, len) == -1)
		return SANDBOX_PARTIAL;
	if (cap_enter() == -1) {
		snprintf(msg, len, "cap_enter: %s", strerror(errno));
		return SANDBOX_PARTIAL;
	}
	return SANDBOX_FULL;
}

#elif defined(HAVE_PLEDGE)

int
sandbox_restrict(const char *const *paths, const char *const *wpaths,
    char *msg, size_t len)
{
	int	 w = wpaths != NULL && wpaths[0] != NULL;
#ifdef HAVE_UNVEIL
	size_t	 i;

	/* The configuration files and the database's directory, read. */
	for (i = 0; paths[i] != NULL; i++)
		if (unveil(paths[i], "r") == -1 && errno != ENOENT) {
			snprintf(msg, len, "unveil %s: %s", paths[i],
			    strerror(errno));
			return SANDBOX_PARTIAL;
		}
	for (i = 0; w && wpaths[i] != NULL; i++)
		if (unveil(wpaths[i], "rwc") == -1 && errno != ENOENT) {
			snprintf(msg, len, "unveil %s: %s", wpaths[i],
			    strerror(errno));
			return SANDBOX_PARTIAL;
		}
	/* The server's socket (w: connect), name lookups, certificates. */
	if (network && (unveil("/etc", "r") == -1 ||
	    unveil("/tmp", "rw") == -1 || unveil("/var/run", "rw") == -1)) {
		snprintf(msg, len, "unveil: %s", strerror(errno));
		return SANDBOX_PARTIAL;
	}
	/* What the engine reads or connects to: where it can be. */
	for (i = 0; network && net_read != NULL && net_read[i] != NULL; i++)
		(void)unveil(net_read[i], "r");
	for (i = 0; network && net_sock != NULL && net_sock[i] != NULL; i++)
		(void)unveil(net_sock[i], "rw");
	if (unveil(NULL, NULL) == -1) {
		snprintf(msg, len, "unveil: %s", strerror(errno));
		return SANDBOX_PARTIAL;
	}
#endif
	if (pledge(network ? (w ?
	    "stdio rpath wpath cpath fattr flock inet dns unix" :
	    "stdio rpath flock inet dns unix") : (w ?
	    "stdio rpath wpath cpath fattr flock" : "stdio rpath flock"),
	    NULL) == -1) {
		snprintf(msg, len, "pledge: %s", strerror(errno));
		return SANDBOX_PARTIAL;
	}
#ifndef HAVE_UNVEIL
	snprintf(msg, len, "no unveil(2) on this system: which files are "
	    "read or written is not restricted");
	return SANDBOX_PARTIAL;
#else
	msg[0] = '\0';
	return SANDBOX_FULL;
#endif
}

#elif defined(HAVE_LANDLOCK)

/* Landlock rights newer than some system headers: the values are ABI. */
#define LL_FS_REFER		(1ULL << 13)	/* ABI 2 */
#define LL_FS_TRUNCATE		(1ULL << 14)	/* ABI 3 */
#define LL_FS_IOCTL_DEV		(1ULL << 15)	/* ABI 5 */
#define LL_NET_BIND_TCP		(1ULL << 0)	/* ABI 4 */
#define LL_NET_CONNECT_TCP	(1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX	(1ULL << 0)	/* ABI 6 */
#define LL_SCOPE_SIGNAL		(1ULL << 1)

#define LL_FS_READ	(LANDLOCK_ACCESS_FS_READ_FILE | \
			    LANDLOCK_ACCESS_FS_READ_DIR)
#define LL_FS_V1	(LANDLOCK_ACCESS_FS_EXECUTE | \
			    LANDLOCK_ACCESS_FS_WRITE_FILE | \
			    LANDLOCK_ACCESS_FS_READ_FILE | \
			    LANDLOCK_ACCESS_FS_READ_DIR | \
			    LANDLOCK_ACCESS_FS_REMOVE_DIR | \
			    LANDLOCK_ACCESS_FS_REMOVE_FILE | \
			    LANDLOCK_ACCESS_FS_MAKE_CHAR | \
			    LANDLOCK_ACCESS_FS_MAKE_DIR | \
			    LANDLOCK_ACCESS_FS_MAKE_REG | \
			    LANDLOCK_ACCESS_FS_MAKE_SOCK | \
			    LANDLOCK_ACCESS_FS_MAKE_FIFO | \
			    LANDLOCK_ACCESS_FS_MAKE_BLOCK | \
			    LANDLOCK_ACCESS_FS_MAKE_SYM)

/* struct landlock_ruleset_attr as of ABI 6 */
struct ll_attr {
	uint64_t	 fs;
	uint64_t	 net;
	uint64_t	 scoped;
};

/* Files created, written and removed in a directory: the lockouts. */
#define LL_FS_FILES	(LL_FS_READ | LANDLOCK_ACCESS_FS_WRITE_FILE | \
			    LANDLOCK_ACCESS_FS_MAKE_REG | \
			    LANDLOCK_ACCESS_FS_REMOVE_FILE | LL_FS_TRUNCATE)

static int
add_path(int ruleset, const char *path, uint64_t rights, uint64_t handled)
{
	struct landlock_path_beneath_attr	 pb;
	struct stat				 sb;
	int					 fd, rv;

	if ((fd = open(path, O_PATH | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : -1;
	pb.parent_fd = fd;
	pb.allowed_access = rights & handled;
	/* A file takes file rights only. */
	if (fstat(fd, &sb) == 0 && !S_ISDIR(sb.st_mode))
		pb.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE & handled;
	rv = syscall(SYS_landlock_add_rule, ruleset,
	    LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	close(fd);
	return rv == -1 ? -1 : 0;
}

int
sandbox_restrict(const char *const *paths, const char *const *wpaths,
    char *msg, size_t len)
{
	struct ll_attr	 attr;
	size_t		 attrlen, i;
	long		 abi;
	int		 ruleset;

	msg[0] = '\0';
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(msg, len, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		return SANDBOX_PARTIAL;
	}
	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1) {
		snprintf(msg, len, "this kernel has no Landlock (%s): files "
		    "and programs are not restricted", strerror(errno));
		return SANDBOX_PARTIAL;
	}
	memset(&attr, 0, sizeof(attr));
	attr.fs = LL_FS_V1;
	if (abi >= 2)
		attr.fs |= LL_FS_REFER;
	if (abi >= 3)
		attr.fs |= LL_FS_TRUNCATE;
	if (abi >= 5)
		attr.fs |= LL_FS_IOCTL_DEV;
	attrlen = sizeof(attr.fs);
	if (abi >= 4) {
		attr.net = LL_NET_BIND_TCP |
		    (network ? 0 : LL_NET_CONNECT_TCP);
		attrlen = offsetof(struct ll_attr, scoped);
	}
	/* No abstract sockets or signals out of the sandbox either. */
	if (abi >= 6) {
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
		attrlen = sizeof(attr);
	}
	if ((ruleset = syscall(SYS_landlock_create_ruleset, &attr, attrlen,
	    0)) == -1) {
		snprintf(msg, len, "landlock_create_ruleset: %s",
		    strerror(errno));
		return SANDBOX_PARTIAL;
	}
	for (i = 0; paths[i] != NULL; i++)
		if (add_path(ruleset, paths[i], LL_FS_READ, attr.fs) == -1) {
			snprintf(msg, len, "landlock: %s: %s", paths[i],
			    strerror(errno));
			close(ruleset);
			return SANDBOX_PARTIAL;
		}
	for (i = 0; wpaths != NULL && wpaths[i] != NULL; i++)
		if (add_path(ruleset, wpaths[i], LL_FS_FILES, attr.fs) == -1) {
			snprintf(msg, len, "landlock: %s: %s", wpaths[i],
			    strerror(errno));
			close(ruleset);
			return SANDBOX_PARTIAL;
		}
	/*
	 * What the engine reads, where it can be: one that cannot be
	 * opened now is left out, not the sandbox.  Connecting to a Unix
	 * socket is no right Landlock handles here: net_sock needs none.
	 */
	for (i = 0; network && net_read != NULL && net_read[i] != NULL; i++)
		(void)add_path(ruleset, net_read[i], LL_FS_READ, attr.fs);
	if (add_path(ruleset, "/usr", LL_FS_READ, attr.fs) == -1 ||
	    (network && add_path(ruleset, "/etc", LL_FS_READ, attr.fs) == -1) ||
#ifdef SANITIZER_BUILD
	    /* LeakSanitizer reads /proc/self at exit. */
	    add_path(ruleset, "/proc", LL_FS_READ, attr.fs) == -1 ||
#endif
	    syscall(SYS_landlock_restrict_self, ruleset, 0) == -1) {
		snprintf(msg, len, "landlock_restrict_self: %s",
		    strerror(errno));
		close(ruleset);
		return SANDBOX_PARTIAL;
	}
	close(ruleset);
	if (abi < 4)
		snprintf(msg, len, "Landlock ABI %ld: TCP is not restricted",
		    abi);
	return abi < 4 ? SANDBOX_PARTIAL : SANDBOX_FULL;
}

#else

int
sandbox_restrict(const char *const *paths, const char *const *wpaths,
    char *msg, size_t len)
{
	snprintf(msg, len, "no sandbox on this system (neither pledge, "
	    "Landlock nor Capsicum)");
	return SANDBOX_PARTIAL;
}

#endif
