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

/* filter-submission/netlist.c: addresses and networks of clients. */

#include <string.h>

#include "submission.h"
#include "unit.h"

int
main(void)
{
	struct netlist	 nl = { NULL, 0 };
	const char	*e = NULL;

	check(netlist_add(&nl, "192.0.2.0/24", &e) == 0 &&
	    netlist_add(&nl, "198.51.100.128/25", &e) == 0 &&
	    netlist_add(&nl, "2001:db8::/32", &e) == 0 &&
	    netlist_add(&nl, "203.0.113.9", &e) == 0 &&
	    netlist_add(&nl, "local", &e) == 0 && nl.n == 5,
	    "networks, an address and local read");
	check(netlist_match(&nl, "192.0.2.7") &&
	    !netlist_match(&nl, "192.0.3.7"), "an IPv4 network");
	check(netlist_match(&nl, "198.51.100.200") &&
	    !netlist_match(&nl, "198.51.100.100"),
	    "a prefix that is not a whole number of bytes");
	check(netlist_match(&nl, "2001:db8::1") &&
	    !netlist_match(&nl, "2001:db9::1"), "an IPv6 network");
	check(netlist_match(&nl, "203.0.113.9") &&
	    !netlist_match(&nl, "203.0.113.10"), "one address");
	check(netlist_match(&nl, "local"), "the unix socket");
	check(!netlist_match(&nl, "::ffff:192.0.2.7") &&
	    !netlist_match(&nl, "garbage"),
	    "an IPv4 network does not match an IPv6 client; garbage nothing");
	check(netlist_add(&nl, "300.1.2.3", &e) == -1 &&
	    strcmp(e, "not an address or network") == 0 &&
	    netlist_add(&nl, "10.0.0.0/33", &e) == -1 &&
	    strcmp(e, "bad prefix length") == 0 &&
	    netlist_add(&nl, "example.com", &e) == -1 && nl.n == 5,
	    "what is no address or network refused, the list unchanged");
	netlist_free(&nl);
	check(nl.n == 0 && !netlist_match(&nl, "192.0.2.7"),
	    "a freed list matches nothing");
	return unit_done();
}
