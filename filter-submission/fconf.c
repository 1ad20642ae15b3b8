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
 * The filter-submission configuration file: "key value" lines.  Keys not
 * given take the default of the mode.
 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "submission.h"

#define UNSET		-1

static int
fconf_key(void *arg, const char *key, const char *value, char *err,
    size_t errlen)
{
	struct fconf	*c = arg;
	static const struct {
		const char	*key;
		size_t		 off;
	} bools[] = {
		{ "require_tls", offsetof(struct fconf, require_tls) },
		{ "require_auth", offsetof(struct fconf, require_auth) },
		{ "relay_check", offsetof(struct fconf, relay_check) },
		{ "sender_check", offsetof(struct fconf, sender_check) },
		{ "unauth_sender_check",
		    offsetof(struct fconf, unauth_sender_check) },
		{ "header_check", offsetof(struct fconf, header_check) },
		{ "null_sender", offsetof(struct fconf, null_sender) },
		{ "soft_bounce", offsetof(struct fconf, soft_bounce) },
		{ "warn_only", offsetof(struct fconf, warn_only) },
	}, nums[] = {
		{ "auth_fail_limit", offsetof(struct fconf, auth_fail_limit) },
		{ "auth_fail_window", offsetof(struct fconf, auth_fail_window) },
		{ "messages_per_hour",
		    offsetof(struct fconf, messages_per_hour) },
		{ "recipients_per_message",
		    offsetof(struct fconf, recipients_per_message) },
		{ "recipients_per_hour",
		    offsetof(struct fconf, recipients_per_hour) },
		{ "max_sessions", offsetof(struct fconf, max_sessions) },
	};
	long long	 n;
	size_t		 i;

	if (strcmp(key, "table") == 0)
		return conf_setstr(&c->table, key, value, err, errlen);
	if (strcmp(key, "mode") == 0) {
		if (strcmp(value, "submission") == 0)
			c->mode = MODE_SUBMISSION;
		else if (strcmp(value, "mx") == 0)
			c->mode = MODE_MX;
		else {
			snprintf(err, errlen, "mode: %s is not submission or "
			    "mx", value);
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "auth_fail_exempt") == 0) {
		char		*list, *p, *w;
		const char	*errstr = NULL;

		if ((list = strdup(value)) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		for (p = list; (w = strsep(&p, " \t,")) != NULL;) {
			if (*w == '\0')
				continue;
			if (netlist_add(&c->auth_fail_exempt, w, &errstr) ==
			    -1) {
				snprintf(err, errlen, "auth_fail_exempt: %s: %s",
				    w, errstr);
				free(list);
				return -1;
			}
		}
		free(list);
		return 0;
	}
	if (strcmp(key, "recipient_delimiter") == 0) {
		if (strcmp(value, "none") == 0) {
			c->delims[0] = '\0';
			return 0;
		}
		if (strlcpy(c->delims, value, sizeof(c->delims)) >=
		    sizeof(c->delims) || strpbrk(value, "@\"\\ ") != NULL) {
			snprintf(err, errlen, "recipient_delimiter: %s is not "
			    "a set of up to 15 characters", value);
			return -1;
		}
		return 0;
	}
	for (i = 0; i < sizeof(bools) / sizeof(bools[0]); i++)
		if (strcmp(key, bools[i].key) == 0)
			return conf_setbool((int *)((char *)c + bools[i].off),
			    key, value, err, errlen);
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (strcmp(key, nums[i].key) != 0)
			continue;
		if (conf_setnum(&n, key, value, 0, 1000000, err, errlen) == -1)
			return -1;
		*(int *)((char *)c + nums[i].off) = n;
		return 0;
	}
	snprintf(err, errlen, "unknown key %s", key);
	return -1;
}

static void
dflt(int *v, int submission, int mx, int mode)
{
	if (*v == UNSET)
		*v = mode == MODE_SUBMISSION ? submission : mx;
}

int
fconf_load(const char *path, struct fconf *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	c->mode = MODE_SUBMISSION;
	c->require_tls = c->require_auth = c->relay_check = UNSET;
	c->sender_check = c->unauth_sender_check = c->header_check = UNSET;
	c->null_sender = UNSET;
	c->soft_bounce = c->warn_only = 0;
	c->auth_fail_limit = c->auth_fail_window = UNSET;
	c->messages_per_hour = c->recipients_per_message = UNSET;
	c->recipients_per_hour = c->max_sessions = UNSET;
	strlcpy(c->delims, "+", sizeof(c->delims));

	if (conf_read(path, fconf_key, c, err, errlen) == -1) {
		fconf_free(c);
		return -1;
	}
	if (c->table == NULL && (c->table = strdup(SQLCONF_DEFAULT)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	dflt(&c->require_tls, 1, 0, c->mode);
	dflt(&c->require_auth, 1, 0, c->mode);
	dflt(&c->relay_check, 1, 1, c->mode);
	dflt(&c->sender_check, 1, 1, c->mode);
	dflt(&c->unauth_sender_check, 0, 1, c->mode);
	dflt(&c->header_check, 1, 0, c->mode);
	dflt(&c->null_sender, 1, 1, c->mode);
	dflt(&c->auth_fail_limit, 5, 5, c->mode);
	dflt(&c->auth_fail_window, 600, 600, c->mode);
	dflt(&c->messages_per_hour, 200, 200, c->mode);
	dflt(&c->recipients_per_message, 100, 100, c->mode);
	dflt(&c->recipients_per_hour, 1000, 1000, c->mode);
	dflt(&c->max_sessions, 20000, 20000, c->mode);
	if (c->max_sessions < 16)
		c->max_sessions = 16;
	return 0;
}

void
fconf_free(struct fconf *c)
{
	free(c->table);
	c->table = NULL;
	netlist_free(&c->auth_fail_exempt);
}
