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
 * The second reader of hdrdiff.py: Nodemailer's mailparser, as webmails
 * and helpdesks run it.  Each line of standard input is a message in
 * hex; each line of output is JSON: for "from" and "sender", the
 * [address, name] pairs mailparser shows (group members included), or
 * "error".
 *
 * usage: NODE_PATH=... node hdrdiff.js
 */

'use strict';

const simpleParser = require('mailparser').simpleParser;
const readline = require('readline');

const options = {
	skipHtmlToText: true,
	skipTextToHtml: true,
	skipImageLinks: true,
	skipTextLinks: true
};

function shown(list, out) {
	for (const a of list) {
		out.push([a.address || '', a.name || '']);
		if (a.group)
			shown(a.group, out);
	}
	return out;
}

async function main() {
	const rl = readline.createInterface({ input: process.stdin });

	for await (const line of rl) {
		let out = {};

		try {
			const p = await simpleParser(Buffer.from(line.trim(),
			    'hex'), options);
			for (const key of ['from', 'sender']) {
				const v = p.headers.get(key);
				if (v && v.value)
					out[key] = shown(v.value, []);
			}
		} catch (e) {
			out = { error: String(e) };
		}
		process.stdout.write(JSON.stringify(out) + '\n');
	}
}

main();
