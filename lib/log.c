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
 * Logging: to syslog with the mail facility, at the priority of each
 * line (faults at err, refusals at notice, the rest at info and debug),
 * and to standard error when asked: with -d, or for a table whose
 * standard error leads somewhere (smtpd -d gives it its own; a daemon
 * smtpd gives /dev/null).  smtpd logs everything a filter writes on its
 * standard error as an error, so a filter writes there only with -d.
 * A fatal error goes to standard error as well, where smtpd shows it.
 */

#ifdef HAVE_SENDMMSG
#define _GNU_SOURCE		/* sendmmsg(2) of glibc */
#endif

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL	0
#endif

static int	 log_dest = LOG_TO_STDERR;
static int	 log_verbose;
static const char *log_name = "opensmtpd-kit";
static int	 log_facility;
static int	 log_fd = -1;		/* the syslog socket, see log_send() */
static time_t	 log_when = -1;		/* the second log_stamp shows */
static char	 log_stamp[32];

/*
 * Lines held for log_flush(), see log_hold(): each as sent, and where
 * its text starts, should syslog(3) have to take it over.
 */
#define LOG_HELD_MAX	64
static struct held {
	int	 pri;
	int	 len;
	int	 text;
	char	 line[1024 + 128];
}		 log_held[LOG_HELD_MAX];
static int	 log_nheld;
static void	(*log_onhold)(void);

/*
 * syslog(3) of glibc formats each line through a stdio memory stream
 * and malloc: at a line or two per message that is a fair part of the
 * filter's time.  So lines go straight to the syslog socket, connected
 * here before any sandbox, in the form syslog(3) writes
 * ("<pri>Mmm dd hh:mm:ss tag[pid]: text"), the time formatted once a
 * second.  When that socket cannot be used (no syslog daemon yet, one
 * that restarted, a stream socket), syslog(3) takes over for good: it
 * reconnects where the sandbox allows it (sendsyslog(2) on OpenBSD).
 */
static void
log_connect(void)
{
#ifdef _PATH_LOG
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, _PATH_LOG, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		return;
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1)
		return;
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		close(fd);
		return;
	}
	log_fd = fd;
#endif
}

void
log_init(const char *name, int dest, int facility)
{
	log_name = name;
	log_dest = dest;
	log_facility = facility;
	if (dest & LOG_TO_SYSLOG) {
		openlog(name, LOG_PID | LOG_NDELAY, facility);
		log_connect();
	}
	tzset();
}

/*
 * Hold the lines for the syslog socket until log_flush(), and call
 * onhold when the first one is held: a program that logs a line or two
 * per message of a burst sends them together, the syslog daemon woken
 * once for them, not once a line.  onhold must make log_flush() run
 * soon (an event loop: before it waits again); errors and worse are
 * never held, and exit flushes.
 */
void
log_hold(void (*onhold)(void))
{
	log_onhold = onhold;
	if (onhold != NULL)
		atexit(log_flush);
}

/* Give the held lines from i on to syslog(3): the socket failed. */
static void
log_fallback(int i)
{
	for (; i < log_nheld; i++)
		syslog(log_held[i].pri, "%s",
		    log_held[i].line + log_held[i].text);
	log_nheld = 0;
	if (log_fd != -1)
		close(log_fd);
	log_fd = -1;
}

void
log_flush(void)
{
	int		 i = 0;
#ifdef HAVE_SENDMMSG
	struct mmsghdr	 mm[LOG_HELD_MAX];
	struct iovec	 iov[LOG_HELD_MAX];
	int		 n;

	memset(mm, 0, sizeof(mm));
	for (n = 0; n < log_nheld; n++) {
		iov[n].iov_base = log_held[n].line;
		iov[n].iov_len = log_held[n].len;
		mm[n].msg_hdr.msg_iov = &iov[n];
		mm[n].msg_hdr.msg_iovlen = 1;
	}
	while (i < log_nheld) {
		if ((n = sendmmsg(log_fd, mm + i, log_nheld - i,
		    MSG_NOSIGNAL)) <= 0) {
			log_fallback(i);
			return;
		}
		i += n;
	}
#else
	for (; i < log_nheld; i++)
		if (send(log_fd, log_held[i].line, log_held[i].len,
		    MSG_NOSIGNAL) == -1) {
			log_fallback(i);
			return;
		}
#endif
	log_nheld = 0;
}

/* One line to the syslog socket: 0, or -1 when syslog(3) must do it. */
static int
log_send(int pri, const char *msg)
{
	struct held	*h;
	struct tm	 tm;
	time_t		 now;
	int		 n, text;

	if (log_fd == -1)
		return -1;
	if ((now = time(NULL)) != log_when) {
		if (localtime_r(&now, &tm) == NULL ||
		    strftime(log_stamp, sizeof(log_stamp), "%b %e %H:%M:%S",
		    &tm) == 0)
			return -1;
		log_when = now;
	}
	if (log_nheld == LOG_HELD_MAX)
		log_flush();
	if (log_fd == -1)
		return -1;
	h = &log_held[log_nheld];
	text = snprintf(h->line, sizeof(h->line), "<%d>%s %s[%ld]: ",
	    log_facility | pri, log_stamp, log_name, (long)getpid());
	if (text < 0 || (size_t)text >= sizeof(h->line))
		return -1;
	n = text + strlcpy(h->line + text, msg, sizeof(h->line) - text);
	if ((size_t)n >= sizeof(h->line))
		n = sizeof(h->line) - 1;
	h->pri = pri;
	h->len = n;
	h->text = text;
	log_nheld++;
	if (log_onhold == NULL || pri <= LOG_WARNING)
		log_flush();
	else if (log_nheld == 1)
		log_onhold();
	return 0;
}

/* Does standard error lead anywhere (not closed, not /dev/null)? */
int
log_stderr_useful(void)
{
	struct stat	 sb, null;

	if (fstat(STDERR_FILENO, &sb) == -1)
		return 0;
	if (stat("/dev/null", &null) == 0 && sb.st_dev == null.st_dev &&
	    sb.st_ino == null.st_ino)
		return 0;
	return 1;
}

void
log_setverbose(int v)
{
	log_verbose = v;
}

int
log_getverbose(void)
{
	return log_verbose;
}

/*
 * s as one value of a key=value log line: every byte outside printable
 * ASCII, and '"', '\\' and '=' (a space too, unless spaces is set), is
 * written \xHH, so that no value can end its field or forge another.
 * A value longer than buf is cut and ends in "...".  Returns buf; an
 * empty or NULL s is "-".
 */
const char *
log_escape(const char *s, int spaces, char *buf, size_t len)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 c;
	size_t			 n = 0;

	if (len < 8)
		return "-";
	if (s == NULL || *s == '\0') {
		strlcpy(buf, "-", len);
		return buf;
	}
	for (; *s != '\0'; s++) {
		if (n + 4 >= len - 3) {
			memcpy(buf + n, "...", 3);
			n += 3;
			break;
		}
		c = *s;
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' ||
		    c == '=' || (c == ' ' && !spaces)) {
			buf[n++] = '\\';
			buf[n++] = 'x';
			buf[n++] = hex[c >> 4];
			buf[n++] = hex[c & 0xf];
		} else
			buf[n++] = c;
	}
	buf[n] = '\0';
	return buf;
}

static void
logstr(int pri, char *buf)
{
	size_t	 i;

	/* One event, one line: never let a value split a log line. */
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == '\n' || buf[i] == '\r')
			buf[i] = ' ';
	if ((log_dest & LOG_TO_SYSLOG) && log_send(pri, buf) == -1)
		syslog(pri, "%s", buf);
	if ((log_dest & LOG_TO_STDERR) ||
	    (pri <= LOG_CRIT && (log_dest & LOG_TO_SYSLOG)))
		fprintf(stderr, "%s: %s\n", log_name, buf);
}

/* A line at pri; with saved, an errno, what it says after it. */
static void
vlog(int pri, int saved, const char *fmt, va_list ap)
{
	char	 buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (saved != 0) {
		strlcat(buf, ": ", sizeof(buf));
		strlcat(buf, strerror(saved), sizeof(buf));
	}
	logstr(pri, buf);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vlog(LOG_ERR, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, 0, fmt, ap);
	va_end(ap);
}

void
log_notice(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_NOTICE, 0, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, 0, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (log_verbose == 0)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, 0, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vlog(LOG_CRIT, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, 0, fmt, ap);
	va_end(ap);
	exit(1);
}
