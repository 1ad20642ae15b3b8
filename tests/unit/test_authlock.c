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

/* lib/authlock.c: the lockouts the filter hands to the table. */

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "authlock.h"
#include "unit.h"

static char	 dir[] = "/tmp/test_authlock.XXXXXX";

static int
held(const char *login, time_t now)
{
	return authlock_held(dir, login, strlen(login), now);
}

/* Wait for the clock's next second (a followed directory is compared). */
static int
next_second(void)
{
	time_t	 t = time(NULL);

	while (time(NULL) == t)
		usleep(10000);
	return 1;
}

static int
files(void)
{
	struct dirent	*de;
	DIR		*d;
	int		 n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

int
main(void)
{
	char			 gone[64], other[128], moved[64], same[64];
	int			 dfd;
	time_t			 now = time(NULL);
	FILE			*fp;

	if (mkdtemp(dir) == NULL)
		return 1;
	check(held("bob@example.com", now) == 0, "no lockout: not held");
	check(authlock_set(dir, "bob@example.com", now + 600) == 0 &&
	    held("bob@example.com", now) == 1, "a lockout is held");
	check(held("BOB@Example.COM", now) == 1,
	    "whatever the case of the login");
	check(authlock_set(dir, "carl@example.com", now + 900) == 0 &&
	    authlock_set(dir, "carl@example.com", now + 1200) == 0 &&
	    held("carl@example.com", now + 901) == 1,
	    "a lockout set again holds until its new end");
	if (chmod(dir, 0300) == 0) {
		check(held("bob@example.com", now) == 1 &&
		    held("ann@example.com", now) == 0,
		    "the login's own file is looked at, never the directory's "
		    "list: a directory that cannot be listed answers alike");
		chmod(dir, 0700);
	}
	check(held("bob@example.com\nx", now) == 1 &&
	    held("bob@example.com:x", now) == 1 &&
	    authlock_held(dir, "bob@example.com:secret", 15, now) == 1,
	    "a login cut at a control character, a ':', or by length");
	check(held("ann@example.com", now) == 0 &&
	    held("bob@example.co", now) == 0, "another login is not");
	check(held("bob@example.com", now + 601) == 0,
	    "not past its end");
	check(authlock_set(dir, "old@example.com", now - 1) == 0 &&
	    held("old@example.com", now) == 0, "an ended lockout is not held");
	snprintf(other, sizeof(other), "%s/README", dir);
	if ((fp = fopen(other, "w")) != NULL)
		fclose(fp);
	check(authlock_sweep(dir, now) == 2 && files() == 3 &&
	    held("bob@example.com", now) == 1,
	    "a sweep removes ended lockouts, keeps the rest and other files");
	check(authlock_sweep(dir, 0) == 0 && files() == 1 &&
	    held("bob@example.com", now) == 0,
	    "a full sweep (SIGUSR1) lifts every lockout");
	snprintf(gone, sizeof(gone), "%s/none", dir);
	errno = 0;
	check(authlock_held(gone, "bob@example.com", 15, now) == -1 &&
	    errno == ENOENT, "no directory: told apart (ENOENT)");
	check(authlock_set(gone, "bob@example.com", now + 60) == -1 &&
	    errno == ENOENT, "and nothing can be locked there");

	/*
	 * A kept descriptor (before Capsicum's capability mode): every
	 * call for dir goes through it, so a renamed directory still
	 * answers under its old name, and a missing one stays missing.
	 */
	snprintf(moved, sizeof(moved), "%s.moved", dir);
	dfd = authlock_keep(dir);
	check(dfd != -1 && rename(dir, moved) == 0 &&
	    authlock_set(dir, "dan@example.com", now + 600) == 0 &&
	    held("dan@example.com", now) == 1 &&
	    authlock_held_at(dfd, "dan@example.com", 15, now) == 1,
	    "kept: the directory is reached through its descriptor, not "
	    "its path");
	check(authlock_set_at(dfd, "old@example.com", now - 1) == 0 &&
	    authlock_sweep(dir, now) == 1 &&
	    authlock_sweep_at(dfd, now) == 1 && files() == -1 &&
	    authlock_held_at(dfd, "dan@example.com", 15, now) == 1,
	    "kept: a sweep removes what ended, again and again (the "
	    "descriptor is read from its start each time)");
	check(authlock_sweep_at(dfd, 0) == 0 &&
	    authlock_held_at(dfd, "dan@example.com", 15, now) == 0,
	    "kept: a full sweep lifts every lockout");
	authlock_unkeep();
	errno = 0;
	check(authlock_held(dir, "dan@example.com", 15, now) == -1 &&
	    errno == ENOENT, "unkept: the path again");
	errno = 0;
	check(authlock_keep(dir) == -1 && errno == ENOENT &&
	    rename(moved, dir) == 0 &&
	    authlock_held(dir, "dan@example.com", 15, now) == -1 &&
	    errno == ENOENT,
	    "kept while missing: missing (ENOENT, no lockouts) even once "
	    "it is there, as in capability mode");
	authlock_unkeep();

	/*
	 * Followed (the table): kept, and compared with the directory of
	 * its name once a second, so that one removed, created or replaced
	 * is seen in the next second.
	 */
	check(authlock_follow(dir) != -1 &&
	    authlock_set(dir, "eve@example.com", now + 600) == 0 &&
	    held("eve@example.com", now) == 1,
	    "followed: a lockout set now is seen now");
	check(rename(dir, moved) == 0 && next_second() &&
	    authlock_held(dir, "eve@example.com", 15, now) == -1 &&
	    errno == ENOENT,
	    "followed: a directory removed is gone in the next second");
	snprintf(same, sizeof(same), "%s/.", dir);
	check(mkdir(dir, 0700) == 0 &&
	    authlock_set(same, "eve@example.com", now + 600) == 0 &&
	    next_second() && held("eve@example.com", now) == 1,
	    "followed: a directory created is read in the next second");
	check(authlock_sweep_at(authlock_follow(dir), 0) == 0 &&
	    rmdir(dir) == 0 && rename(moved, dir) == 0 && next_second() &&
	    held("eve@example.com", now) == 1 &&
	    held("dan@example.com", now) == 0,
	    "followed: a directory replaced is the new one in the next "
	    "second");
	authlock_unkeep();

	unlink(other);
	authlock_sweep(dir, 0);
	rmdir(dir);
	return unit_done();
}
