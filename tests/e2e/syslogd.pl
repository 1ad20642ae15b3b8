#!/usr/bin/perl
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
# The syslog of one e2e run: receive what syslog(3) sends to the socket
# SOCKET (mounted on the root's /dev/log for smtpd and its children) and
# append each message to FILE as "facility.priority ident[pid]: text".
#
# usage: syslogd.pl SOCKET FILE

use strict;
use warnings;
use IO::Handle;
use IO::Socket::UNIX;
use Socket qw(SOCK_DGRAM MSG_DONTWAIT);

my ($path, $file) = @ARGV;
my @pri = qw(emerg alert crit err warning notice info debug);
my @fac = qw(kern user mail daemon auth syslog lpr news uucp cron authpriv
    ftp);

unlink $path;
my $sock = IO::Socket::UNIX->new(Type => SOCK_DGRAM, Local => $path)
    or die "syslogd.pl: $path: $!\n";
chmod 0666, $path;
open(my $out, '>>', $file) or die "syslogd.pl: $file: $!\n";
$SIG{TERM} = sub { unlink $path; exit 0 };
# Wait for a message, take whatever else is already there, and write
# them out together: one write for a burst, and nothing held after it.
while (1) {
	my ($msg, $n);
	defined $sock->recv($msg, 65536) or next;
	for ($n = 0; ; $n++) {
		$msg =~ s/\n+$//;
		if ($msg =~ s/^<(\d+)>//) {
			my $p = $1;
			my $f = $fac[$p >> 3] // 'local' . (($p >> 3) - 16);
			$msg =~ s/^\w{3} [ \d]\d \d\d:\d\d:\d\d //;
			print $out "$f.$pri[$p & 7] $msg\n";
		}
		last if $n >= 1000 ||
		    !defined $sock->recv($msg, 65536, MSG_DONTWAIT);
	}
	$out->flush;
}
