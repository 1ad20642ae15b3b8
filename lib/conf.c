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
 * Read a configuration file of "key value" lines.  Blank lines and lines
 * starting with '#' are skipped; "key: value" is accepted too, as
 * table-sqlite 1.0 did.  Errors name the file and the line.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "conf.h"

#define CONF_LINE_MAX	8192

/* s without the white space around it, in place. */
char *
conf_trim(char *s)
{
	char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int
conf_read(const char *path, conf_cb cb, void *arg, char *err, size_t errlen)
{
	FILE	*fp;
	char	*line = NULL, *key, *value, msg[256];
	size_t	 sz = 0;
	ssize_t	 len;
	int	 lineno = 0, rv = -1;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &sz, fp)) != -1) {
		lineno++;
		if (memchr(line, '\0', len) != NULL) {
			snprintf(err, errlen, "%s:%d: NUL byte in line",
			    path, lineno);
			goto done;
		}
		if (len > CONF_LINE_MAX) {
			snprintf(err, errlen, "%s:%d: line longer than %d bytes",
			    path, lineno, CONF_LINE_MAX);
			goto done;
		}
		key = conf_trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		value = key + strcspn(key, " \t:");
		if (*value != '\0')
			*value++ = '\0';
		while (isspace((unsigned char)*value) || (*value == ':' &&
		    isspace((unsigned char)value[1])))
			value++;
		if (*value == '\0') {
			snprintf(err, errlen, "%s:%d: %s: missing value",
			    path, lineno, key);
			goto done;
		}
		msg[0] = '\0';
		if (cb(arg, key, value, msg, sizeof(msg)) == -1) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
			goto done;
		}
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto done;
	}
	rv = 0;
 done:
	free(line);
	fclose(fp);
	return rv;
}

/*
 * The setters: each stores the value of key, or returns -1 with a
 * message in err that names the key.
 */

#define UNSET		-1

/* yes/no, on/off, true/false, 1/0. */
static int
setbool(int *var, const char *key, const char *value, char *err,
    size_t errlen)
{
	if (strcmp(value, "yes") == 0 || strcmp(value, "on") == 0 ||
	    strcmp(value, "true") == 0 || strcmp(value, "1") == 0)
		*var = 1;
	else if (strcmp(value, "no") == 0 || strcmp(value, "off") == 0 ||
	    strcmp(value, "false") == 0 || strcmp(value, "0") == 0)
		*var = 0;
	else {
		snprintf(err, errlen, "%s: %s is not yes or no", key, value);
		return -1;
	}
	return 0;
}

/* A whole number from 0 to max. */
static int
setnum(int *var, const char *key, const char *value, int max, char *err,
    size_t errlen)
{
	const char	*errstr;

	*var = strtonum(value, 0, max, &errstr);
	if (errstr != NULL) {
		snprintf(err, errlen, "%s: %s is %s (0 to %d)", key, value,
		    errstr, max);
		return -1;
	}
	return 0;
}

/* A string, given once. */
int
conf_setstr(char **var, const char *key, const char *value, char *err,
    size_t errlen)
{
	if (*var != NULL) {
		snprintf(err, errlen, "%s given twice", key);
		return -1;
	}
	if ((*var = strdup(value)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static void *
field(const struct conf_key *k, void *obj)
{
	return (char *)obj + k->off;
}

/*
 * Set key of obj to value as the n keys say: 0, -1 with err when the
 * value is not one the key takes, 1 when key is none of them.
 */
int
conf_set(const struct conf_key *keys, size_t n, void *obj, const char *key,
    const char *value, char *err, size_t errlen)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(keys[i].key, key) != 0)
			continue;
		switch (keys[i].type) {
		case CONF_STR:
			return conf_setstr(field(&keys[i], obj), key, value,
			    err, errlen);
		case CONF_NUM:
			return setnum(field(&keys[i], obj), key, value,
			    keys[i].max, err, errlen);
		default:
			return setbool(field(&keys[i], obj), key, value, err,
			    errlen);
		}
	}
	return 1;
}

/* Before the file is read: no number nor yes or no is set yet. */
void
conf_unset(const struct conf_key *keys, size_t n, void *obj)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (keys[i].type != CONF_STR)
			*(int *)field(&keys[i], obj) = UNSET;
}

/* After: what the file did not set takes the default of mode (0, 1). */
void
conf_defaults(const struct conf_key *keys, size_t n, void *obj, int mode)
{
	int	*v;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (keys[i].type == CONF_STR)
			continue;
		v = field(&keys[i], obj);
		if (*v == UNSET)
			*v = keys[i].dflt[mode];
	}
}
