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
 * readpassphrase(3) where libc has none: a prompt on the terminal and
 * a line read from it with echo off, the terminal put back as it was
 * even when a signal ends the read (the signal is raised again after).
 * Understood: RPP_ECHO_ON, RPP_REQUIRE_TTY, RPP_STDIN.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "compat.h"

#ifndef HAVE_READPASSPHRASE

static volatile sig_atomic_t	 caught;

static void
onsig(int sig)
{
	caught = sig;
}

/* A prompt or a newline: nothing to do when it cannot be written. */
static void
say(int fd, const char *s)
{
	ssize_t	 n;

	n = write(fd, s, strlen(s));
	(void)n;
}

static const int	 sigs[] = { SIGALRM, SIGHUP, SIGINT, SIGPIPE,
			    SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU };
#define NSIGS	(sizeof(sigs) / sizeof(sigs[0]))

char *
readpassphrase(const char *prompt, char *buf, size_t bufsiz, int flags)
{
	struct sigaction	 sa, old[NSIGS];
	struct termios		 term, saved;
	size_t			 i, n = 0;
	ssize_t			 r;
	char			 ch;
	int			 in, out, restore = 0, save_errno;

	if (bufsiz == 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((flags & RPP_STDIN) ||
	    (in = out = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1) {
		if (flags & RPP_REQUIRE_TTY) {
			errno = ENOTTY;
			return NULL;
		}
		in = STDIN_FILENO;
		out = STDERR_FILENO;
	}
	caught = 0;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = onsig;
	for (i = 0; i < NSIGS; i++)
		sigaction(sigs[i], &sa, &old[i]);
	if (!(flags & RPP_ECHO_ON) && tcgetattr(in, &saved) == 0) {
		term = saved;
		term.c_lflag &= ~(ECHO | ECHONL);
		if (tcsetattr(in, TCSAFLUSH, &term) == 0)
			restore = 1;
	}
	if (!(flags & RPP_STDIN) && prompt != NULL)
		say(out, prompt);
	while ((r = read(in, &ch, 1)) == 1 && ch != '\n' && ch != '\r')
		if (n < bufsiz - 1)
			buf[n++] = ch;
	buf[n] = '\0';
	save_errno = errno;
	if (restore) {
		tcsetattr(in, TCSAFLUSH, &saved);
		say(out, "\n");
	}
	for (i = 0; i < NSIGS; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (in != STDIN_FILENO)
		close(in);
	if (caught != 0) {
		explicit_bzero(buf, bufsiz);
		kill(getpid(), caught);
		errno = EINTR;
		return NULL;
	}
	if (r == -1) {
		explicit_bzero(buf, bufsiz);
		errno = save_errno;
		return NULL;
	}
	ch = 0;
	return buf;
}

#endif
