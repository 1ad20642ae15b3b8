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
 * Lists of client addresses and networks ("192.0.2.7", "2001:db8::/32",
 * "local" for a connection on smtpd's unix socket), matched against the
 * client address of a session as report.c writes it.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "submission.h"

/* Add one entry; -1 with *errstr when it is not an address or network. */
int
netlist_add(struct netlist *nl, const char *s, const char **errstr)
{
	struct net	 n, *v;
	char		 buf[64], *slash;
	int		 max;

	memset(&n, 0, sizeof(n));
	if (strcmp(s, "local") == 0) {
		n.af = AF_UNIX;
		goto add;
	}
	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf)) {
		*errstr = "not an address or network";
		return -1;
	}
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, n.addr) == 1) {
		n.af = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, n.addr) == 1) {
		n.af = AF_INET6;
		max = 128;
	} else {
		*errstr = "not an address or network";
		return -1;
	}
	n.prefix = max;
	if (slash != NULL) {
		n.prefix = strtonum(slash, 0, max, errstr);
		if (*errstr != NULL) {
			*errstr = "bad prefix length";
			return -1;
		}
	}
 add:
	if ((v = reallocarray(nl->net, nl->n + 1, sizeof(*v))) == NULL) {
		*errstr = "out of memory";
		return -1;
	}
	nl->net = v;
	nl->net[nl->n++] = n;
	return 0;
}

static int
prefix_match(const unsigned char *a, const unsigned char *b, int bits)
{
	int	 bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, bytes) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((a[bytes] ^ b[bytes]) & (0xff << (8 - rest))) == 0;
}

/* Is the client ("192.0.2.7", "::1", "local") in the list? */
int
netlist_match(const struct netlist *nl, const char *client)
{
	unsigned char	 a[16];
	size_t		 i;
	int		 af;

	if (strcmp(client, "local") == 0)
		af = AF_UNIX;
	else if (inet_pton(AF_INET, client, a) == 1)
		af = AF_INET;
	else if (inet_pton(AF_INET6, client, a) == 1)
		af = AF_INET6;
	else
		return 0;
	for (i = 0; i < nl->n; i++) {
		if (nl->net[i].af != af)
			continue;
		if (af == AF_UNIX ||
		    prefix_match(a, nl->net[i].addr, nl->net[i].prefix))
			return 1;
	}
	return 0;
}

void
netlist_free(struct netlist *nl)
{
	free(nl->net);
	nl->net = NULL;
	nl->n = 0;
}
