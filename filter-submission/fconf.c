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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "submission.h"

#define NUM_MAX		1000000

/* The keys but the few below, and their defaults in each mode. */
static const struct conf_key keys[] = {
	{ "table", CONF_STR, offsetof(struct fconf, table), 0, { 0, 0 } },
	{ "require_tls", CONF_BOOL, offsetof(struct fconf, require_tls), 0,
	    { 1, 0 } },
	{ "require_auth", CONF_BOOL, offsetof(struct fconf, require_auth), 0,
	    { 1, 0 } },
	{ "relay_check", CONF_BOOL, offsetof(struct fconf, relay_check), 0,
	    { 1, 1 } },
	{ "sender_check", CONF_BOOL, offsetof(struct fconf, sender_check), 0,
	    { 1, 1 } },
	{ "unauth_sender_check", CONF_BOOL,
	    offsetof(struct fconf, unauth_sender_check), 0, { 0, 1 } },
	{ "header_check", CONF_BOOL, offsetof(struct fconf, header_check), 0,
	    { 1, 0 } },
	{ "null_sender", CONF_BOOL, offsetof(struct fconf, null_sender), 0,
	    { 1, 1 } },
	{ "soft_bounce", CONF_BOOL, offsetof(struct fconf, soft_bounce), 0,
	    { 0, 0 } },
	{ "warn_only", CONF_BOOL, offsetof(struct fconf, warn_only), 0,
	    { 0, 0 } },
	{ "auth_fail_limit", CONF_NUM, offsetof(struct fconf, auth_fail_limit),
	    NUM_MAX, { 5, 5 } },
	{ "auth_fail_window", CONF_NUM,
	    offsetof(struct fconf, auth_fail_window), NUM_MAX, { 600, 600 } },
	{ "messages_per_hour", CONF_NUM,
	    offsetof(struct fconf, messages_per_hour), NUM_MAX, { 200, 200 } },
	{ "recipients_per_message", CONF_NUM,
	    offsetof(struct fconf, recipients_per_message), NUM_MAX,
	    { 100, 100 } },
	{ "recipients_per_hour", CONF_NUM,
	    offsetof(struct fconf, recipients_per_hour), NUM_MAX,
	    { 1000, 1000 } },
	{ "max_sessions", CONF_NUM, offsetof(struct fconf, max_sessions),
	    NUM_MAX, { 20000, 20000 } },
};
#define NKEYS		(sizeof(keys) / sizeof(keys[0]))

static int
fconf_key(void *arg, const char *key, const char *value, char *err,
    size_t errlen)
{
	struct fconf	*c = arg;
	int		 r;

	if ((r = conf_set(keys, NKEYS, c, key, value, err, errlen)) != 1)
		return r;
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
	snprintf(err, errlen, "unknown key %s", key);
	return -1;
}

int
fconf_load(const char *path, struct fconf *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	c->mode = MODE_SUBMISSION;
	conf_unset(keys, NKEYS, c);
	strlcpy(c->delims, "+", sizeof(c->delims));

	if (conf_read(path, fconf_key, c, err, errlen) == -1) {
		fconf_free(c);
		return -1;
	}
	if (c->table == NULL && (c->table = strdup(SQLCONF_DEFAULT)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* The modes, MODE_SUBMISSION and MODE_MX, index the defaults. */
	conf_defaults(keys, NKEYS, c, c->mode);
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
