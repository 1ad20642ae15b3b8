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
 * What table-sqlite answers, whatever protocol smtpd speaks: one check,
 * lookup or fetch handed to the database side, and its result.  Both
 * protocol modules (dispatch.c, legacy.c) take their answers from here
 * and only put them into their own replies, so that the same database
 * gives the same answers to every smtpd.
 */

#include <stdio.h>

#include "table_sqlite.h"

/*
 * Answer op on service for key (keylen bytes; NULL for fetch), given
 * the services the configuration serves (a mask of 1 << service).
 * Returns 1 found, with the value in val for a lookup or a fetch, 0 not
 * found, -1 error with the reason in err.
 */
int
table_answer(struct backend *b, int services, enum table_op op, int service,
    char *key, size_t keylen, char *val, size_t vlen, char *err,
    size_t errlen)
{
	err[0] = '\0';
	if (service < 0 || service >= SVC_MAX ||
	    (services & (1 << service)) == 0) {
		snprintf(err, errlen, "service %s is not configured",
		    table_service_name(service));
		return -1;
	}
	if (op == OP_FETCH)
		return backend_fetch(b, service, val, vlen, err, errlen);
	if (service == SVC_AUTH) {
		if (op != OP_CHECK) {
			snprintf(err, errlen, "auth answers check only");
			return -1;
		}
		return auth_check(b, key, keylen, err, errlen);
	}
	if (op == OP_CHECK)
		return backend_check(b, service, key, err, errlen);
	return backend_lookup(b, service, key, val, vlen, err, errlen);
}
