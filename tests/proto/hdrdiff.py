#!/usr/bin/env python3
#
# Copyright (c) 2026 The opensmtpd-kit authors
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
#
# The header check against an independent reader: Python's email
# package with its default policy.  Generated From: headers (display
# names in every encoding, quoted-pairs, comments, groups, full-width
# forms, addresses owned by the login or not) go through hdrcheck, and
# the check must refuse every header in which the reader shows an
# address the login does not own.  It may refuse more.
#
# usage: hdrdiff.py HDRCHECK SQLITE.CONF [COUNT] [SEED]
# Prints one "ok"/"FAIL" line per kind of header and the closing line.

import base64
import email
import email.policy
import random
import re
import subprocess
import sys
import unicodedata

LOGIN = "bob@example.com"
OWNED = ["bob@example.com", "Bob@Example.COM", "team@example.com",
         "anyone@example.org", "bob+news@example.com"]
FOREIGN = ["ceo@bank.test", "ann@example.com", "evil@example.net",
           "jane+sales@example.com", "admin@b\u0430nk.test"]

# address-like text in what a reader shows: the same notion as the
# filter's, written independently
ATOM = r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\u0080-\U0010ffff-]"
DOM = r"[A-Za-z0-9._\u0080-\U0010ffff-]"
SHOWN = re.compile("(" + ATOM + "+)@(" + DOM + "+)")


def owned(addr):
    a = addr.lower()
    if "@" not in a:
        return False
    local, domain = a.rsplit("@", 1)
    if domain == "example.org":
        return True
    if a in ("bob@example.com", "team@example.com"):
        return True
    # recipient_delimiter +: an extension nobody owns is the base
    return local.split("+", 1)[0] == "bob" and domain == "example.com" and \
        a != "jane+sales@example.com"


def shown_in(text):
    """The address-like strings a reader shows in text."""
    out = []
    text = unicodedata.normalize("NFKC", text)
    for m in SHOWN.finditer(text):
        local, dom = m.group(1), m.group(2).rstrip(".")
        if dom and ("." in dom or any(ord(c) > 127 for c in dom)):
            out.append(local + "@" + dom)
    return out


def reader_shows(value):
    """What Python's reader displays of From: value, or None if it
    cannot read it."""
    try:
        msg = email.message_from_string("From: " + value + "\n\nbody\n",
                                        policy=email.policy.default)
        h = msg["From"]
        shown = []
        for g in h.groups:
            if g.display_name:
                shown += shown_in(g.display_name)
            for a in g.addresses:
                shown += shown_in(a.display_name or "")
                if a.addr_spec and "@" in a.addr_spec:
                    shown.append(a.addr_spec)
                shown += shown_in(a.username or "")
        return shown
    except Exception:
        return None


def ew(text, rnd):
    """text as one or more RFC 2047 encoded words."""
    cs = rnd.choice(["utf-8", "utf-8", "iso-8859-1", "utf-16", "utf-16le",
                     "utf-7", "cp037"])
    try:
        raw = text.encode(cs)
    except UnicodeEncodeError:
        cs = "utf-8"
        raw = text.encode(cs)
    if cs in ("utf-16", "utf-16le") or rnd.random() < 0.5:
        enc = "b"
        body = base64.b64encode(raw).decode()
    else:
        enc = "q"
        body = "".join(chr(b) if b < 128 and chr(b).isalnum() else "=%02X" % b
                       for b in raw)
    if enc == "b" and len(body) > 4 and rnd.random() < 0.2:
        # white space inside the text, which lenient readers skip
        cut = rnd.randrange(1, len(body))
        body = body[:cut] + " " + body[cut:]
    return "=?%s?%s?%s?=" % (cs, enc, body)


def obscure(addr, rnd):
    """An address as a display name may hide it."""
    k = rnd.randrange(11)
    local, domain = addr.rsplit("@", 1)
    if k == 7:
        return '"' + local + '"@' + domain
    if k == 8:
        return local + " @ " + domain
    if k == 9:
        return local + "\\@" + domain
    if k == 10:
        return "\u202e" + addr[::-1]
    if k == 0:
        return addr
    if k == 1:
        return addr.replace("@", "\uff20")
    if k == 2:
        return addr.replace("@", "\ufe6b").replace(".", "\uff0e")
    if k == 3:
        return "".join(chr(ord(c) + 0xfee0) if "!" <= c <= "~" else c
                       for c in addr)
    if k == 4:
        return addr.upper()
    if k == 5:
        return "x " + addr + " y"
    return addr + "!"


def display_name(rnd):
    parts = []
    for _ in range(rnd.randrange(1, 4)):
        k = rnd.randrange(6)
        if k == 0:
            parts.append(rnd.choice(["John", "Smith", "Sales", "J."]))
        elif k in (1, 2):
            parts.append(obscure(rnd.choice(FOREIGN + OWNED), rnd))
        elif k == 3:
            parts.append("CEO")
        else:
            parts.append(obscure(rnd.choice(FOREIGN), rnd))
    text = " ".join(parts)
    form = rnd.randrange(6)
    if form == 0:
        return text if all(c.isalnum() or c in " ." for c in text) \
            else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if form == 1:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') \
            .replace("@", "\\@") + '"'
    if form == 2:
        return ew(text, rnd)
    if form == 3:
        # split into adjacent encoded words
        cut = rnd.randrange(1, max(2, len(text)))
        return ew(text[:cut], rnd) + " " + ew(text[cut:], rnd)
    if form == 4:
        return '"' + ew(text, rnd) + '"'
    return ew(text, rnd) + " (" + rnd.choice(["x", "y"]) + ")"


def mailbox(rnd):
    addr = rnd.choice(OWNED + OWNED + FOREIGN)
    k = rnd.randrange(4)
    if k == 0:
        return addr
    if k == 1:
        return addr + " (" + rnd.choice(["Bob", obscure(
            rnd.choice(FOREIGN), rnd)]) + ")"
    return display_name(rnd) + " <" + addr + ">"


def header(rnd):
    k = rnd.randrange(6)
    if k == 0:
        return display_name(rnd) + ": " + mailbox(rnd) + ";"
    if k == 1:
        return mailbox(rnd) + ", " + mailbox(rnd)
    return mailbox(rnd)


def check(hdrcheck, conf, values):
    data = "".join(("From: " + v).encode("utf-8").hex() + "\n"
                   for v in values)
    out = subprocess.run([hdrcheck, conf, LOGIN], input=data.encode(),
                         stdout=subprocess.PIPE, check=True)
    return out.stdout.decode().splitlines()


def main():
    hdrcheck, conf = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    rnd = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 2026)
    values = [header(rnd) for _ in range(count)]
    verdicts = check(hdrcheck, conf, values)
    passed = failed = 0
    missed = []
    refused = foreign = 0
    for v, verdict in zip(values, verdicts):
        shown = reader_shows(v)
        if shown is None:
            continue
        bad = [a for a in shown if not owned(a)]
        if bad:
            foreign += 1
        if verdict.startswith("refused"):
            refused += 1
        if bad and verdict == "ok":
            missed.append((v, bad))
    if len(verdicts) != len(values):
        print("FAIL - hdrcheck answered %d of %d headers" %
              (len(verdicts), len(values)))
        failed += 1
    if missed:
        failed += 1
        print("FAIL - %d of %d headers show an address the login does "
              "not own and were accepted; first ones:" %
              (len(missed), count))
        for v, bad in missed[:5]:
            print("    From: %r shows %r" % (v, bad))
    else:
        passed += 1
        print("ok - %d generated headers: the %d in which Python's reader "
              "shows an address not owned by %s are all refused" %
              (count, foreign, LOGIN))
    if foreign > count // 10 and refused < count:
        passed += 1
        print("ok - the generator makes both kinds: %d with a foreign "
              "address, %d of %d refused in all" % (foreign, refused, count))
    else:
        failed += 1
        print("FAIL - the generator is lopsided: %d foreign, %d refused" %
              (foreign, refused))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
