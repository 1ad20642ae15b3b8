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
# The header check against two independent readers: Python's email
# package with its default policy, and Nodemailer's mailparser (npm), the
# parser of many webmails and helpdesks.  Generated headers go through
# hdrcheck: From: values (display names in every encoding, quoted-pairs,
# comments, groups, full-width forms, addresses owned by the login or
# not, no address at all), and header sections whose field NAMES are
# hostile (a vertical tab, a form feed, a no-break space, a BOM and the
# like before, in or after "From"/"Sender", a first line that starts
# with a blank, a line without a colon).  The check must refuse every
# one in which either reader shows, as From: or Sender:, an address the
# login does not own, or a From: without one the login owns.  It may
# refuse more, but not the header sections real clients write.
#
# usage: hdrdiff.py HDRCHECK SQLITE.CONF NODE_READER [COUNT] [SEED]
# NODE_READER is hdrdiff.js, run with node (NODE_PATH finds mailparser).
# Prints one "ok"/"FAIL" line per kind of header and the closing line.

import base64
import email
import email.policy
import json
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
# filter's, written independently; U+FFFD, which a reader shows for bytes
# it cannot decode, is no part of one
ATOM = r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\u0080-\ufffc\ufffe-\U0010ffff-]"
DOM = r"[A-Za-z0-9._\u0080-\ufffc\ufffe-\U0010ffff-]"
SHOWN = re.compile("(" + ATOM + "+)@(" + DOM + "+)")


def owned(addr):
    a = addr.lower()
    if "@" not in a:
        return False
    local, domain = a.rsplit("@", 1)
    if domain == "example.org":
        return True
    if domain != "example.com":
        return False
    # accounts of their own
    if a in ("ann@example.com", "jane+sales@example.com"):
        return False
    # recipient_delimiter +: an extension nobody owns is the base, bob
    # or bob's alias team
    return local.split("+", 1)[0] in ("bob", "team")


def shown_in(text):
    """The address-like strings a reader shows in text."""
    out = []
    text = unicodedata.normalize("NFKC", text)
    for m in SHOWN.finditer(text):
        local, dom = m.group(1), m.group(2).rstrip(".")
        if dom and ("." in dom or any(ord(c) > 127 for c in dom)):
            out.append(local + "@" + dom)
    return out


def as_text(raw):
    """The section as a reader decodes it: UTF-8, else byte by byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def python_shows(raw):
    """Per From:/Sender: header Python's reader finds in the section:
    (name, addresses it shows, whether one is a mailbox the login owns),
    or None if it cannot read the section."""
    try:
        msg = email.message_from_string(as_text(raw) + "\n\nbody\n",
                                        policy=email.policy.default)
        out = []
        for name in ("From", "Sender"):
            for h in msg.get_all(name, []):
                shown = []
                mine = False
                for g in h.groups:
                    if g.display_name:
                        shown += shown_in(g.display_name)
                    for a in g.addresses:
                        shown += shown_in(a.display_name or "")
                        if a.addr_spec and "@" in a.addr_spec:
                            shown.append(a.addr_spec)
                            mine = mine or owned(a.addr_spec)
                        shown += shown_in(a.username or "")
                out.append((name, shown, mine))
        return out
    except Exception:
        return None


def mailparser_shows(answer):
    """The same from mailparser's answer (a line of hdrdiff.js)."""
    if "error" in answer:
        return None
    out = []
    for key, name in (("from", "From"), ("sender", "Sender")):
        if key not in answer:
            continue
        shown = []
        mine = False
        for addr, dname in answer[key]:
            shown += shown_in(dname)
            if "@" in addr:
                shown.append(addr)
                mine = mine or owned(addr)
            shown += shown_in(addr)
        out.append((name, shown, mine))
    return out


def bad_in(headers):
    """What a reader shows that the check must refuse: addresses the
    login does not own, a From: with none it owns."""
    bad = []
    for name, shown, mine in headers:
        bad += [a for a in shown if not owned(a)]
        if name == "From" and not mine:
            bad.append("(a From: with no address of the login's)")
    return bad


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


EMPTY = ["", "   ", "CEO Jane Smith:;", "\"CEO Jane Smith\":;", "(Jane Smith)",
         ",", "Board: ;, CEO:;", "=?utf-8?q?CEO?=:;", "\"Jane Smith\" <>",
         "Jane Smith", "undisclosed-recipients:;"]


def header(rnd):
    if rnd.random() < 0.03:
        return rnd.choice(EMPTY)
    k = rnd.randrange(6)
    if k == 0:
        return display_name(rnd) + ": " + mailbox(rnd) + ";"
    if k == 1:
        return mailbox(rnd) + ", " + mailbox(rnd)
    return mailbox(rnd)


# What readers trim around a field name, or take for a blank or a line
# end: C's isspace(), JavaScript's trim(), Python's str.strip(), Unicode
# blanks, a bare CR.  Not NUL: smtpd cuts a line there.
JUNK = [b"\x0b", b"\x0c", b"\xa0", b"\xc2\xa0", b"\x1c", b"\x1d", b"\x1e",
        b"\x1f", b"\x85", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9",
        b"\xef\xbb\xbf", b"\xe3\x80\x80", b"\xe2\x80\x8b", b"\x7f", b"\r",
        b"\x01", b" ", b"\t"]
NAMES = [b"From", b"Sender", b"from", b"FROM", b"sender", b"SeNdEr"]


def junk(rnd):
    return b"".join(rnd.choice(JUNK) for _ in range(rnd.randrange(1, 3)))


def hostile_line(rnd, first):
    """A header line with a From: or Sender: value under a name a reader
    may trim to From or Sender; first: it may open the section."""
    base = rnd.choice(NAMES)
    value = (header(rnd) if rnd.random() < 0.8
             else rnd.choice(FOREIGN)).encode("utf-8")
    k = rnd.randrange(9 if first else 8)
    if not first and rnd.random() < 0.3:
        k = rnd.choice([4, 7])
    if k == 0:
        name = junk(rnd) + base
    elif k == 1:
        name = base + junk(rnd)
    elif k == 2:
        name = junk(rnd) + base + junk(rnd)
    elif k == 3:
        cut = rnd.randrange(1, len(base))
        name = base[:cut] + junk(rnd) + base[cut:]
    elif k == 4:
        # blanks before the colon: RFC 5322's obsolete syntax, a From:
        name = base + rnd.choice([b" ", b"\t", b" \t", b"  "])
    elif k == 5:
        # no colon at all
        return base + junk(rnd) + b" " + value
    elif k == 6:
        # folded under another field, its value a header of its own
        return (b"X-Note: x\n" + rnd.choice([b" ", b"\t", b"\x0b", b"\x0c"]) +
                base + b": " + value)
    elif k == 7:
        name = base
    else:
        # the section opens with a blank
        name = rnd.choice([b" ", b"\t", b" \t"]) + base
    return name + b":" + rnd.choice([b" ", b"", b"\x0b"]) + value


def names_section(rnd):
    """A header section with hostile field names among plain ones, or
    now and then one with plain names only."""
    lines = []
    if rnd.random() < 0.1:
        for name in (b"From", b"Sender", b"Subject"):
            if name == b"From" or rnd.random() < 0.5:
                lines.append(name + rnd.choice([b"", b" ", b"\t", b" \t"]) +
                             b": " + rnd.choice(OWNED).encode())
        rnd.shuffle(lines)
        return b"\n".join(lines)
    for _ in range(rnd.randrange(1, 3)):
        lines.append(hostile_line(rnd, False))
    if rnd.random() < 0.6:
        lines.append(b"From: " + rnd.choice(OWNED).encode())
    if rnd.random() < 0.3:
        lines.append(b"Subject: hello")
    rnd.shuffle(lines)
    if rnd.random() < 0.15:
        lines.insert(0, hostile_line(rnd, True))
    return b"\n".join(lines)


# Header sections as real clients write them: all must pass.
REAL = [
    b"Message-ID: <d1e2@example.com>\nDate: Sun, 6 Dec 2026 21:59:59 +0100"
    b"\nMIME-Version: 1.0\nUser-Agent: Mozilla Thunderbird\n"
    b"Content-Language: en-US\nFrom: Bob <bob@example.com>\n"
    b"To: Ann <ann@example.net>\nSubject: lunch\n"
    b"Content-Type: text/plain; charset=UTF-8; format=flowed\n"
    b"Content-Transfer-Encoding: 7bit",
    b"From: Bob Smith <bob@example.com>\nTo: Ann <ann@example.net>\n"
    b"Subject: RE: lunch\nThread-Topic: lunch\nThread-Index: AQHbR2x0c3Q=\n"
    b"Date: Sun, 6 Dec 2026 20:59:59 +0000\nMessage-ID:\n"
    b" <AM0PR01MB1234@AM0PR01MB1234.eurprd01.prod.outlook.com>\n"
    b"Accept-Language: en-US\nContent-Language: en-US\nX-MS-Has-Attach:\n"
    b"X-MS-TNEF-Correlator:\nmsip_labels:\n"
    b"x-ms-exchange-organization-authas: Internal\n"
    b"Content-Type: text/plain; charset=\"us-ascii\"\nMIME-Version: 1.0",
    b"From: Bob <bob@example.com>\n"
    b"Content-Type: text/plain;\n\tcharset=us-ascii\n"
    b"Content-Transfer-Encoding: 7bit\n"
    b"Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.500.171.1.1\\))\n"
    b"Subject: hi\nMessage-Id: <0B1A@example.com>\n"
    b"Date: Sun, 6 Dec 2026 21:00:00 +0100\nTo: ann@example.net\n"
    b"X-Mailer: Apple Mail (2.3774.500.171.1.1)",
    b"Date: Sun, 6 Dec 2026 21:00:00 +0100\nFrom: Bob <bob@example.com>\n"
    b"To: ann@example.net\nSubject: Re: mutt\n"
    b"Message-ID: <Z1a2b3c4@example.com>\nReferences: <a@example.net>\n"
    b"MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n"
    b"Content-Disposition: inline\nIn-Reply-To: <a@example.net>\n"
    b"User-Agent: Mutt/2.2.12 (2023-09-09)",
    b"From: Bob Smith <bob@example.com>\nTo: dev@example.net\n"
    b"Cc: Ann <ann@example.net>\nSubject: [PATCH v2 1/3] lib: fix it\n"
    b"Date: Sun,  6 Dec 2026 21:00:00 +0100\n"
    b"Message-ID: <20261206.1-bob@example.com>\nX-Mailer: git-send-email "
    b"2.39.5\nIn-Reply-To: <20261206.0-bob@example.com>\n"
    b"References: <20261206.0-bob@example.com>\nMIME-Version: 1.0\n"
    b"Content-Transfer-Encoding: 8bit",
    b"Sender: Bob <bob@example.com>\nFrom: Team <team@example.com>\n"
    b"Subject : blanks before the colon\nX-Empty:",
]


def check(hdrcheck, conf, sections):
    data = "".join(s.hex() + "\n" for s in sections)
    out = subprocess.run([hdrcheck, conf, LOGIN], input=data.encode(),
                         stdout=subprocess.PIPE, check=True)
    return out.stdout.decode().splitlines()


def mailparser(node_reader, sections):
    data = "".join((s + b"\n\nbody\n").hex() + "\n" for s in sections)
    out = subprocess.run(["node", node_reader], input=data.encode(),
                         stdout=subprocess.PIPE, check=True)
    # U+2028 in a name is no line end: not splitlines()
    return [json.loads(line) for line in out.stdout.decode().split("\n")
            if line != ""]


def compare(what, sections, verdicts, answers):
    """One line per reader: did the check refuse all it must?"""
    passed = failed = 0
    for reader, shows in (("Python's email",
                           lambda i: python_shows(sections[i])),
                          ("mailparser",
                           lambda i: mailparser_shows(answers[i]))):
        missed = []
        foreign = 0
        for i, (s, verdict) in enumerate(zip(sections, verdicts)):
            seen = shows(i)
            if seen is None:
                continue
            bad = bad_in(seen)
            if bad:
                foreign += 1
            if bad and verdict == "ok":
                missed.append((s, bad))
        if missed:
            failed += 1
            print("FAIL - %s: %d of %d show in %s an address the login "
                  "does not own (or a From: with none it owns) and were "
                  "accepted; first ones:" % (what, len(missed),
                                             len(sections), reader))
            for s, bad in missed[:5]:
                print("    %r shows %r" % (s, bad))
        else:
            passed += 1
            print("ok - %s: the %d of %d in which %s shows an address not "
                  "owned by %s (or a From: with none) are all refused" %
                  (what, foreign, len(sections), reader, LOGIN))
    return passed, failed


def main():
    hdrcheck, conf, node_reader = sys.argv[1], sys.argv[2], sys.argv[3]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 3000
    rnd = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 2026)
    passed = failed = 0

    values = [("From: " + header(rnd)).encode("utf-8") for _ in range(count)]
    names = [names_section(rnd) for _ in range(count)]
    for what, sections in (("From: values", values),
                           ("field names", names)):
        verdicts = check(hdrcheck, conf, sections)
        answers = mailparser(node_reader, sections)
        if len(verdicts) != len(sections) or len(answers) != len(sections):
            print("FAIL - %s: hdrcheck answered %d, mailparser %d of %d" %
                  (what, len(verdicts), len(answers), len(sections)))
            failed += 1
            continue
        p, f = compare(what, sections, verdicts, answers)
        passed += p
        failed += f
        refused = sum(1 for v in verdicts if v.startswith("refused"))
        accepted = len(sections) - refused
        if refused > len(sections) // 10 and accepted > len(sections) // 20:
            passed += 1
            print("ok - %s: the generator makes both kinds: %d refused, "
                  "%d accepted" % (what, refused, accepted))
        else:
            failed += 1
            print("FAIL - %s: the generator is lopsided: %d refused, "
                  "%d accepted" % (what, refused, accepted))

    verdicts = check(hdrcheck, conf, REAL)
    wrong = [(s, v) for s, v in zip(REAL, verdicts) if v != "ok"]
    if wrong or len(verdicts) != len(REAL):
        failed += 1
        print("FAIL - header sections real clients write refused:")
        for s, v in wrong:
            print("    %r: %s" % (s, v))
    else:
        passed += 1
        print("ok - the %d header sections of Thunderbird, Outlook, Apple "
              "Mail, mutt and git send-email pass" % len(REAL))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
