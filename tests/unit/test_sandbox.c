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
 * sandbox_restrict(): after it, a process reads what it was given and
 * the system's libraries, and can neither write nor create a file,
 * execute a program, nor open a TCP connection.  Each attempt runs in a
 * child of its own.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"
#include "unit.h"

static char	 dir[] = "/tmp/test_sandbox.XXXXXX";
static char	 allowed[64], inside[128], outside[128], made[128];
static char	 locks[64], lockfile[128];
static int	 level;

enum { READ_IN, READ_OUT, WRITE_IN, CREATE_IN, EXEC, TCP, READ_LIB,
    CREATE_LOCK, REMOVE_LOCK };

/* In a sandboxed child: 0 when the action is allowed, 1 when refused. */
static int
attempt(int what)
{
	struct sockaddr_in	 sin;
	const char		*paths[] = { allowed, NULL };
	const char		*wpaths[] = { locks, NULL };
	char			 msg[256];
	pid_t			 pid;
	int			 st, fd, rv;

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		sandbox_restrict(paths, wpaths, msg, sizeof(msg));
		switch (what) {
		case CREATE_LOCK:
			rv = open(lockfile, O_WRONLY | O_CREAT, 0600);
			break;
		case REMOVE_LOCK:
			rv = unlink(lockfile);
			break;
		case READ_IN:
			rv = open(inside, O_RDONLY);
			break;
		case READ_OUT:
			rv = open(outside, O_RDONLY);
			break;
		case WRITE_IN:
			rv = open(inside, O_WRONLY);
			break;
		case CREATE_IN:
			rv = open(made, O_WRONLY | O_CREAT, 0600);
			break;
		case EXEC:
			execl("/bin/true", "true", (char *)NULL);
			rv = -1;
			break;
		case TCP:
			memset(&sin, 0, sizeof(sin));
			sin.sin_family = AF_INET;
			sin.sin_port = htons(9);
			sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			fd = socket(AF_INET, SOCK_STREAM, 0);
			rv = connect(fd, (struct sockaddr *)&sin, sizeof(sin));
			/* Nothing listens there: refused by the kernel. */
			if (rv == -1 && errno == ECONNREFUSED)
				rv = 0;
			break;
		default:
			rv = open("/usr/lib/os-release", O_RDONLY);
			if (rv == -1 && errno == ENOENT)
				rv = 0;
			break;
		}
		_exit(rv == -1 && (errno == EACCES || errno == EPERM));
	}
	if (waitpid(pid, &st, 0) == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

int
main(void)
{
	const char	*paths[] = { "/", NULL };
	char		 msg[256];
	pid_t		 pid;
	int		 st, fd;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(allowed, sizeof(allowed), "%s/allowed", dir);
	snprintf(inside, sizeof(inside), "%s/file", allowed);
	snprintf(outside, sizeof(outside), "%s/outside", dir);
	snprintf(made, sizeof(made), "%s/new", allowed);
	snprintf(locks, sizeof(locks), "%s/locks", dir);
	snprintf(lockfile, sizeof(lockfile), "%s/lock", locks);
	mkdir(allowed, 0700);
	mkdir(locks, 0700);
	close(open(inside, O_WRONLY | O_CREAT, 0600));
	close(open(outside, O_WRONLY | O_CREAT, 0600));

	/* What this system offers, told by a child that tries it. */
	if ((pid = fork()) == 0)
		_exit(sandbox_restrict(paths, NULL, msg, sizeof(msg)) ==
		    SANDBOX_FULL ? 2 : 1);
	waitpid(pid, &st, 0);
	level = WIFEXITED(st) ? WEXITSTATUS(st) : 0;
	if (level != 2) {
		sandbox_restrict(paths, NULL, msg, sizeof(msg));
		printf("# partial sandbox on this system: %s\n", msg);
	}

	check(attempt(READ_IN) == 0, "the paths given can be read");
	check(attempt(READ_LIB) == 0, "the system's libraries can be read");
#if defined(HAVE_LANDLOCK) || defined(HAVE_PLEDGE)
	check(attempt(WRITE_IN) == 1, "no file can be written, given or not");
	check(attempt(CREATE_IN) == 1, "no file can be made");
	check(attempt(READ_OUT) == 1, "what was not given cannot be read");
	check(attempt(EXEC) == 1, "no program can be run");
	if (level == 2)
		check(attempt(TCP) == 1, "no TCP connection can be made");
	check(access(made, F_OK) == -1, "and nothing was made");
	check(attempt(CREATE_LOCK) == 0 && access(lockfile, F_OK) == 0,
	    "a file can be made in the writable directory");
	check(attempt(REMOVE_LOCK) == 0 && access(lockfile, F_OK) == -1,
	    "and removed");
#else
	printf("# no sandbox on this system: only reading is checked\n");
#endif
	if ((fd = open(made, O_RDONLY)) != -1)
		close(fd);
	unlink(made);
	unlink(inside);
	unlink(outside);
	unlink(lockfile);
	rmdir(locks);
	rmdir(allowed);
	rmdir(dir);
	return unit_done();
}
