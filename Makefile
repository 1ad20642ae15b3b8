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
# opensmtpd-kit: table-sqlite, filter-submission, auth-helper.
# One Makefile for GNU make and BSD make: only the syntax both know.

# The platform: uname -s, or OS=OpenBSD, FreeBSD, NetBSD or Linux on the
# command line to install for another.  Each default below is where that
# system's smtpd and its packages look.
OS !=		uname -s
PREFIX ?=	/usr/local
# smtpd's libexec directory: PREFIX/libexec/smtpd on OpenBSD,
# PREFIX/libexec/opensmtpd elsewhere (Debian: /usr/libexec/opensmtpd).
LIBEXECSUB !=	[ "${OS}" = OpenBSD ] && echo smtpd || echo opensmtpd
LIBEXECDIR ?=	${PREFIX}/libexec/${LIBEXECSUB}
SBINDIR ?=	${PREFIX}/sbin
# Manual pages: PREFIX/man on OpenBSD, PREFIX/share/man elsewhere.
MANSUB !=	[ "${OS}" = OpenBSD ] && echo man || echo share/man
MANDIR ?=	${PREFIX}/${MANSUB}
# The configuration files: /etc/mail, PREFIX/etc/mail where smtpd is a
# port (FreeBSD, NetBSD, DragonFly).
SYSCONF_BASE =	/etc/mail
SYSCONF_PORT =	${PREFIX}/etc/mail
SYSCONFSEL !=	case "${OS}" in FreeBSD|NetBSD|DragonFly) echo PORT ;; \
		*) echo BASE ;; esac
SYSCONFDIR ?=	${SYSCONF_${SYSCONFSEL}}
# Sample configurations (never installed in SYSCONFDIR): PREFIX/share/
# examples on the BSDs, the documentation directory elsewhere.
EXAMPLESUB !=	case "${OS}" in *BSD|DragonFly) \
		echo share/examples/opensmtpd-kit ;; \
		*) echo share/doc/opensmtpd-kit/examples ;; esac
EXAMPLESDIR ?=	${PREFIX}/${EXAMPLESUB}
DESTDIR ?=

CC ?=		cc
PKG_CONFIG ?=	pkg-config
INSTALL ?=	install

# BSD make reads its sys.mk first, which sets CFLAGS: "CFLAGS ?=" would
# never apply there.  The kit's own flags are CSTD, VISFLAGS, CWARN and
# COPTS; CFLAGS stays the user's (or the system's) and comes last.
COPTS ?=	-O2 -g

# Each library on its own, with a plain -l when it has no pkg-config
# file (OpenBSD's libevent has none): one missing .pc file must not
# take the others' flags with it.
EVENT_CFLAGS !=	${PKG_CONFIG} --cflags libevent 2>/dev/null || true
EVENT_LIBS !=	${PKG_CONFIG} --libs libevent 2>/dev/null || echo -levent
SQLITE_CFLAGS != ${PKG_CONFIG} --cflags sqlite3 2>/dev/null || true
SQLITE_LIBS !=	${PKG_CONFIG} --libs sqlite3 2>/dev/null || echo -lsqlite3
CRYPTO_CFLAGS != ${PKG_CONFIG} --cflags libcrypto 2>/dev/null || true
CRYPTO_LIBS !=	${PKG_CONFIG} --libs libcrypto 2>/dev/null || echo -lcrypto
PKG_CFLAGS =	${EVENT_CFLAGS} ${SQLITE_CFLAGS} ${CRYPTO_CFLAGS}
PKG_LIBS =	${EVENT_LIBS} ${SQLITE_LIBS} ${CRYPTO_LIBS}
# crypt(3): libxcrypt, else libcrypt where there is one (FreeBSD), else
# libc (OpenBSD).
CRYPT_LIBS !=	${PKG_CONFIG} --libs libxcrypt 2>/dev/null || \
		{ printf 'int main(void) { return 0; }\n' | \
		${CC} -x c -o /dev/null - -lcrypt 2>/dev/null && echo -lcrypt; } || \
		true
# iconv(3): in libc (glibc, FreeBSD), else GNU libiconv (OpenBSD).
ICONV_LIBS !=	printf '\043include <iconv.h>\nint main(void) { return iconv_open("a", "b") == 0; }\n' | \
		${CC} ${CPPFLAGS} -x c -o /dev/null - ${LDFLAGS} 2>/dev/null || \
		echo -liconv
# libargon2: Dovecot's {ARGON2I} and {ARGON2ID}, which table-sqlite
# checks with auth_offload; without it (or with ARGON2=no) they are
# reported unsupported.
ARGON2_CFLAGS != [ "${ARGON2}" = no ] || \
		${PKG_CONFIG} --cflags libargon2 2>/dev/null || true
ARGON2_LIBS !=	[ "${ARGON2}" = no ] || { \
		l=$$(${PKG_CONFIG} --libs libargon2 2>/dev/null || echo -largon2); \
		printf '\043include <argon2.h>\nint main(void) { return argon2_verify("", "", 0, Argon2_id); }\n' | \
		${CC} ${ARGON2_CFLAGS} -x c -o /dev/null - $$l 2>/dev/null && \
		echo "$$l"; } || true
HAVE_ARGON2 !=	[ -n "${ARGON2_LIBS}" ] && echo "-DHAVE_ARGON2 ${ARGON2_CFLAGS}" || true
# libssl: only the benchmark's SMTP client, for STARTTLS.
SSL_LIBS !=	${PKG_CONFIG} --libs libssl 2>/dev/null || echo -lssl

# The C dialect: C99 and POSIX.1-2008, and what the system needs to show
# its BSD interfaces (initgroups, strsep): the first of these that
# compiles, else without _POSIX_C_SOURCE (FreeBSD shows all by default).
# No _GNU_SOURCE: the one Linux-only file that needs it defines it.
CSTD =		-std=c99 -D_POSIX_C_SOURCE=200809L
VISFLAGS !=	for v in "" -D_DEFAULT_SOURCE -D_BSD_SOURCE -D_NETBSD_SOURCE; do \
		printf '\043include <grp.h>\n\043include <string.h>\n\043include <unistd.h>\nint main(void) { char *s = 0; strsep(&s, ""); return initgroups("", 0); }\n' | \
		${CC} ${CSTD} $$v -Werror=implicit-function-declaration \
		-x c -o /dev/null - 2>/dev/null && { echo "$$v"; exit 0; }; \
		done; echo -U_POSIX_C_SOURCE

# libbsd, only where the system lacks the BSD headers (Linux), through
# its overlay headers; make FORCE_COMPAT=yes takes no libbsd and every
# function of compat/ instead (make portable).
FORCE_COMPAT ?=	no
BSD_CFLAGS !=	[ "${FORCE_COMPAT}" != yes ] && \
		! printf '\043include <sys/tree.h>\n' | ${CC} -E -x c - \
		>/dev/null 2>&1 && ${PKG_CONFIG} --cflags libbsd-overlay \
		2>/dev/null && echo -DLIBBSD_OPENBSD_VIS || true
BSD_LIBS !=	[ -n "${BSD_CFLAGS}" ] && ${PKG_CONFIG} --libs libbsd-overlay \
		2>/dev/null || true

# Feature checks, one per function compat/ can replace: -DHAVE_name
# where the system has it (with libbsd on Linux), nothing where it does
# not (then compat/name.c provides it) or with FORCE_COMPAT=yes.
HAVE_CC =	${CC} ${CSTD} ${VISFLAGS} ${BSD_CFLAGS} \
		-Werror=implicit-function-declaration -x c -o /dev/null -
HAVE_FUNCS !=	[ "${FORCE_COMPAT}" = yes ] || { set -f; \
		for f in "ASPRINTF stdio.h char *p; return asprintf(&p, \"x\");" \
		    "VASPRINTF stdio.h va_list ap; char *p; return vasprintf(&p, \"\", ap);" \
		    "EXPLICIT_BZERO string.h char b[1]; explicit_bzero(b, 1); return 0;" \
		    "MEMMEM string.h return memmem(\"a\", 1, \"a\", 1) == 0;" \
		    "REALLOCARRAY stdlib.h return reallocarray(0, 1, 1) == 0;" \
		    "STRLCAT string.h char b[2] = \"\"; return strlcat(b, \"a\", 2);" \
		    "STRLCPY string.h char b[2]; return strlcpy(b, \"a\", 2);" \
		    "STRSEP string.h char *s = 0; return strsep(&s, \"\") != 0;" \
		    "STRTONUM stdlib.h return strtonum(\"1\", 0, 1, 0) != 1;" \
		    "STRUNVIS vis.h char b[2]; return strunvis(b, \"a\");" \
		    "READPASSPHRASE readpassphrase.h char b[2]; return readpassphrase(\"\", b, 2, 0) == 0;" \
		    "SYS_TREE_H sys/tree.h return 0;"; do \
			set -- $$f; n=$$1; h=$$2; shift 2; \
			printf '\043include <stdarg.h>\n\043include <%s>\nint main(void) { %s }\n' \
			    "$$h" "$$*" | ${HAVE_CC} ${BSD_LIBS} 2>/dev/null && \
			    printf ' -DHAVE_%s' "$$n"; \
		done; }; echo
# crypt(3): which interface this system has (lib/pwcrypt.h picks one):
# OpenBSD's crypt_checkpass, libxcrypt's crypt_rn, else crypt_r or crypt.
HAVE_CRYPT !=	for f in "CRYPT_CHECKPASS pwd.h return crypt_checkpass(\"a\", \"b\");" \
		    "CRYPT_RN crypt.h char s[CRYPT_GENSALT_OUTPUT_SIZE]; struct crypt_data d; return crypt_rn(\"a\", crypt_gensalt_rn(\"\$$2b\$$\", 0, 0, 0, s, sizeof(s)), &d, sizeof(d)) == 0;" \
		    "CRYPT_R unistd.h struct crypt_data d; return crypt_r(\"a\", \"b\", &d) == 0;" \
		    "CRYPT_R crypt.h struct crypt_data d; return crypt_r(\"a\", \"b\", &d) == 0;" \
		    "CRYPT_H crypt.h return crypt(\"a\", \"b\") == 0;"; do \
			set -- $$f; n=$$1; h=$$2; shift 2; \
			printf '\043include <unistd.h>\n\043include <%s>\nint main(void) { %s }\n' \
			    "$$h" "$$*" | ${HAVE_CC} ${CRYPT_LIBS} 2>/dev/null && \
			    printf ' -DHAVE_%s' "$$n"; \
		done; echo
COMPAT_OBJS =	compat/asprintf.o compat/explicit_bzero.o compat/memmem.o \
		compat/readpassphrase.o compat/reallocarray.o compat/strlcat.o \
		compat/strlcpy.o compat/strsep.o compat/strtonum.o \
		compat/strunvis.o compat/vasprintf.o

# Where the database lives when sqlite.conf names none: /var/db on the
# BSDs, /var/lib elsewhere (OS=... on the command line for another).
DBPATH_BSD =	/var/db/opensmtpd-kit/kit.sqlite
DBPATH_OTHER =	/var/lib/opensmtpd-kit/kit.sqlite
DBPATH !=	case "${OS}" in *BSD|DragonFly) echo "${DBPATH_BSD}" ;; \
		*) echo "${DBPATH_OTHER}" ;; esac

# Feature checks: what the system offers to restrict a process.
HAVE_PLEDGE !=	printf '\043include <unistd.h>\nint main(void) { return pledge("stdio", 0); }\n' | \
		${CC} -x c -o /dev/null - 2>/dev/null && echo -DHAVE_PLEDGE || true
HAVE_UNVEIL !=	printf '\043include <unistd.h>\nint main(void) { return unveil("/", "r"); }\n' | \
		${CC} -x c -o /dev/null - 2>/dev/null && echo -DHAVE_UNVEIL || true
HAVE_LANDLOCK != printf '\043include <linux/landlock.h>\nint main(void) { return LANDLOCK_CREATE_RULESET_VERSION; }\n' | \
		${CC} -x c -o /dev/null - 2>/dev/null && echo -DHAVE_LANDLOCK || true
# and to send several syslog lines in one call (lib/log.c)
HAVE_SENDMMSG != printf '\043define _GNU_SOURCE\n\043include <sys/socket.h>\nint main(void) { return sendmmsg(0, 0, 0, 0); }\n' | \
		${CC} -x c -o /dev/null - 2>/dev/null && echo -DHAVE_SENDMMSG || true

# make check SANITIZE=yes: everything built with ASan and UBSan.
SAN_FLAGS !=	[ "${SANITIZE}" = yes ] && echo "-fsanitize=address,undefined \
		    -fno-sanitize-recover=undefined -fno-omit-frame-pointer" || true
FUZZ_TIME ?=	60

CWARN =		-Wall -Wextra -Werror -Wno-unused-parameter
CPPFLAGS_PKG =	${BSD_CFLAGS} ${PKG_CFLAGS} ${IDN_CFLAGS} ${HAVE_FUNCS} \
		${HAVE_CRYPT} ${HAVE_PLEDGE} ${HAVE_UNVEIL} ${HAVE_LANDLOCK} \
		${HAVE_SENDMMSG} ${HAVE_ARGON2} ${CPPFLAGS}
CPPFLAGS_DEFS =	-DSYSCONFDIR=\"${SYSCONFDIR}\" -DDBPATH_DEFAULT=\"${DBPATH}\"
CPPFLAGS_ALL =	-Ilib ${CPPFLAGS_DEFS} ${CPPFLAGS_PKG}
CFLAGS_ALL =	${CSTD} ${VISFLAGS} ${CWARN} ${COPTS} ${CFLAGS} ${SAN_FLAGS}
LIBS =		${SAN_FLAGS} ${PKG_LIBS} ${BSD_LIBS} ${CRYPT_LIBS} ${ICONV_LIBS}

LIB_OBJS =	lib/addr.o lib/auth.o lib/authlock.o lib/backend.o lib/conf.o \
		lib/db.o lib/linebuf.o lib/lineio.o lib/log.o lib/owner.o \
		lib/passwd.o lib/msgio.o lib/proto.o lib/pwcrypt.o \
		lib/pwargon2.o lib/pwschemes.o lib/readtx.o lib/sandbox.o \
		lib/schema.o \
		lib/smtpduser.o lib/sqlconf.o lib/strbuf.o ${COMPAT_OBJS}
LIB_HDRS =	lib/addr.h lib/auth.h lib/authlock.h lib/backend.h \
		lib/compat.h lib/conf.h \
		lib/db.h lib/linebuf.h lib/lineio.h lib/log.h lib/msgio.h \
		lib/owner.h lib/passwd.h lib/proto.h lib/pwargon2.h \
		lib/pwcrypt.h lib/readtx.h \
		lib/sandbox.h lib/schema.h lib/smtpduser.h lib/sqlconf.h \
		lib/strbuf.h \
		lib/schema_sql.h
LIBKIT =	lib/libkit.a

# Each program: its main.o, and its other objects, which its archive
# holds for the unit tests (tests/Makefile).
TABLE_MAIN =	table-sqlite/main.o
TABLE_OBJS =	table-sqlite/answer.o table-sqlite/dispatch.o \
		table-sqlite/frameio.o table-sqlite/imsg_frame.o \
		table-sqlite/legacy.o table-sqlite/table_imsg.o \
		table-sqlite/table_proto.o
TABLE_HDRS =	table-sqlite/frameio.h table-sqlite/imsg_frame.h \
		table-sqlite/table_imsg.h table-sqlite/table_proto.h \
		table-sqlite/table_sqlite.h
TABLE_LIB =	table-sqlite/libtable.a
TABLE =		table-sqlite/table-sqlite

FILTER_MAIN =	filter-submission/main.o
FILTER_OBJS =	filter-submission/addrlist.o filter-submission/authlimit.o \
		filter-submission/budget.o filter-submission/display.o \
		filter-submission/fconf.o filter-submission/filter.o \
		filter-submission/filter_proto.o filter-submission/hdrcheck.o \
		filter-submission/limits.o filter-submission/netlist.o \
		filter-submission/policy.o filter-submission/report.o \
		filter-submission/session.o filter-submission/smtpdfrom.o
FILTER_HDRS =	filter-submission/filter_proto.h \
		filter-submission/submission.h
FILTER_LIB =	filter-submission/libfilter.a
FILTER =	filter-submission/filter-submission

HELPER_MAIN =	auth-helper/main.o
HELPER_OBJS =	auth-helper/args.o auth-helper/askpass.o \
		auth-helper/cmd_alias.o auth-helper/cmd_backup.o \
		auth-helper/cmd_check.o \
		auth-helper/cmd_domain.o auth-helper/cmd_tools.o \
		auth-helper/cmd_user.o auth-helper/names.o auth-helper/output.o \
		auth-helper/store.o ${MIGRATE_OBJS}
MIGRATE_OBJS =	auth-helper/cmd_import.o auth-helper/csv.o \
		auth-helper/dovecot_conf.o auth-helper/kit_rows.o \
		auth-helper/migrate.o auth-helper/migrate_data.o \
		auth-helper/migrate_export.o \
		auth-helper/migrate_policy.o auth-helper/migrate_report.o \
		auth-helper/migrate_write.o auth-helper/pf_conf.o \
		auth-helper/pf_map.o auth-helper/pf_sql.o auth-helper/strlist.o
HELPER_HDRS =	auth-helper/auth_helper.h auth-helper/migrate.h
HELPER_LIB =	auth-helper/libhelper.a
HELPER =	auth-helper/auth-helper
IDN_CFLAGS !=	${PKG_CONFIG} --cflags libidn2 2>/dev/null || true
IDN_LIBS !=	${PKG_CONFIG} --libs libidn2 2>/dev/null || echo -lidn2
# libunistring (NFKC of display names) has no pkg-config file on Debian.
UNISTRING_LIBS != ${PKG_CONFIG} --libs libunistring 2>/dev/null || echo -lunistring

EXAMPLES =	examples/filter-mx.conf examples/filter-submission.conf \
		examples/smtpd.conf examples/sqlite.conf

MAN5 =		man/filter-submission.conf.5 man/table-sqlite.5
MAN8 =		man/auth-helper.8 man/filter-submission.8 man/table-sqlite.8

PROGS =		${TABLE} ${FILTER} ${HELPER}

all: ${PROGS}

.SUFFIXES: .c .o
.c.o:
	${CC} ${CPPFLAGS_ALL} ${CFLAGS_ALL} -c $< -o $@

lib/schema_sql.h: lib/schema.sql
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' \
	    lib/schema.sql > lib/schema_sql.h

${LIB_OBJS}: ${LIB_HDRS}
${TABLE_MAIN} ${TABLE_OBJS}: ${LIB_HDRS} ${TABLE_HDRS}
${FILTER_MAIN} ${FILTER_OBJS}: ${LIB_HDRS} ${FILTER_HDRS}
${HELPER_MAIN} ${HELPER_OBJS}: ${LIB_HDRS} ${HELPER_HDRS}

${LIBKIT}: ${LIB_OBJS}
	rm -f $@
	ar rcs $@ ${LIB_OBJS}
${TABLE_LIB}: ${TABLE_OBJS}
	rm -f $@
	ar rcs $@ ${TABLE_OBJS}
${FILTER_LIB}: ${FILTER_OBJS}
	rm -f $@
	ar rcs $@ ${FILTER_OBJS}
${HELPER_LIB}: ${HELPER_OBJS}
	rm -f $@
	ar rcs $@ ${HELPER_OBJS}

${TABLE}: ${TABLE_MAIN} ${TABLE_OBJS} ${LIBKIT}
	${CC} ${LDFLAGS} -o $@ ${TABLE_MAIN} ${TABLE_OBJS} ${LIBKIT} ${LIBS} \
	    ${ARGON2_LIBS}

${FILTER}: ${FILTER_MAIN} ${FILTER_OBJS} ${LIBKIT}
	${CC} ${LDFLAGS} -o $@ ${FILTER_MAIN} ${FILTER_OBJS} ${LIBKIT} ${LIBS} \
	    ${UNISTRING_LIBS}

${HELPER}: ${HELPER_MAIN} ${HELPER_OBJS} ${LIBKIT}
	${CC} ${LDFLAGS} -o $@ ${HELPER_MAIN} ${HELPER_OBJS} ${LIBKIT} ${LIBS} \
	    ${IDN_LIBS}

# The unit tests and the tools of the tests and benchmarks: tests/Makefile.
test-programs: ${PROGS} ${TABLE_LIB} ${FILTER_LIB} ${HELPER_LIB}
	@cd tests && ${MAKE} CC="${CC}" CPPFLAGS_PKG="${CPPFLAGS_PKG}" \
	    SYSCONFDIR="${SYSCONFDIR}" DBPATH="${DBPATH}" \
	    CFLAGS_ALL="${CFLAGS_ALL}" LDFLAGS="${LDFLAGS}" \
	    LIBS="${LIBS} ${ARGON2_LIBS}" \
	    UNISTRING_LIBS="${UNISTRING_LIBS}" \
	    IDN_LIBS="${IDN_LIBS}" SSL_LIBS="${SSL_LIBS}"

# make check: install what is missing (as root), build, run every test.
# Objects of another build (SANITIZE=yes or not) are removed first.
check:
	@sh tests/deps.sh build test fuzz sql
	@if [ "$$(cat .build-flavor 2>/dev/null)" != "${SANITIZE}:" ]; then \
	    ${MAKE} -s clean; echo "${SANITIZE}:" > .build-flavor; fi
	@${MAKE} test-programs
	@SANITIZE="${SANITIZE}" FUZZ_CPPFLAGS="${FUZZ_CPPFLAGS}" \
	    FUZZ_LIBS="${FUZZ_LIBS}" sh tests/run.sh

# make fuzz: each libFuzzer target for FUZZ_TIME seconds (clang).
FUZZ_CPPFLAGS =	${BSD_CFLAGS} ${PKG_CFLAGS} ${IDN_CFLAGS} ${HAVE_FUNCS} \
		${HAVE_CRYPT} ${CPPFLAGS}
FUZZ_LIBS =	${PKG_LIBS} ${BSD_LIBS} ${CRYPT_LIBS} ${UNISTRING_LIBS} \
		${ARGON2_LIBS}
fuzz-flags:
	@echo "FUZZ_CPPFLAGS='${FUZZ_CPPFLAGS}'"
	@echo "FUZZ_LIBS='${FUZZ_LIBS}'"

fuzz:
	@sh tests/deps.sh build fuzz
	@${MAKE} lib/schema_sql.h
	@FUZZ_CPPFLAGS="${FUZZ_CPPFLAGS}" FUZZ_LIBS="${FUZZ_LIBS}" \
	    sh tests/fuzz/run.sh -t ${FUZZ_TIME}

# make portable: the tree built apart with every compat/ function and
# strict portable flags, under GNU make and BSD make (tests/portable.sh).
portable:
	@sh tests/deps.sh build test
	@sh tests/portable.sh

bench:
	@sh tests/deps.sh build test
	@${MAKE} test-programs
	@sh tests/bench/run.sh

demo:
	@sh tests/deps.sh build test
	@${MAKE} all
	@sh tests/e2e/demo.sh

# make dist: opensmtpd-kit-VERSION.tar.gz, the same bytes from the same
# sources (pkg/dist.sh).
dist:
	@sh pkg/dist.sh

# make deb: the Debian packages, built from that tarball in a Debian 13
# root with debhelper and lintian (pkg/deb.sh); their paths are printed.
deb:
	@sh pkg/deb.sh

lint:
	mandoc -Tlint -Wwarning ${MAN5} ${MAN8}

# A file of a Debian package is not overwritten by hand (on upgrade or
# removal the package would put back or delete it): say how to go on.
# The manuals name the configuration files where SYSCONFDIR puts them.
install: all
	@[ -n "${DESTDIR}" ] || ! command -v dpkg-query >/dev/null || \
	for f in ${LIBEXECDIR}/table-sqlite ${LIBEXECDIR}/filter-submission \
	    ${SBINDIR}/auth-helper; do \
		[ "$$(dpkg-divert --truename "$$f")" = "$$f" ] || continue; \
		p=$$(dpkg-query -S "$$f" 2>/dev/null | grep -v '^diversion' | \
		    cut -d: -f1); \
		[ -z "$$p" ] && continue; \
		echo "install: $$f belongs to the Debian package $$p;" \
		    "remove it first (apt-get remove $$p) or divert it" \
		    "(dpkg-divert --local --rename --add $$f)" >&2; \
		exit 1; \
	done
	${INSTALL} -d ${DESTDIR}${LIBEXECDIR} ${DESTDIR}${MANDIR}/man5 \
	    ${DESTDIR}${MANDIR}/man8
	${INSTALL} -m 0755 ${TABLE} ${DESTDIR}${LIBEXECDIR}/table-sqlite
	${INSTALL} -m 0755 ${FILTER} ${DESTDIR}${LIBEXECDIR}/filter-submission
	${INSTALL} -d ${DESTDIR}${SBINDIR}
	${INSTALL} -m 0755 ${HELPER} ${DESTDIR}${SBINDIR}/auth-helper
	for m in ${MAN5} ${MAN8}; do \
		d=${DESTDIR}${MANDIR}/man$${m##*.}; \
		sed 's|/etc/mail|${SYSCONFDIR}|g' $$m > $$d/$${m##*/} && \
		chmod 0644 $$d/$${m##*/} || exit 1; \
	done
	${INSTALL} -d ${DESTDIR}${EXAMPLESDIR}
	for e in ${EXAMPLES}; do \
		d=${DESTDIR}${EXAMPLESDIR}/$${e##*/}; \
		sed -e 's|/etc/mail|${SYSCONFDIR}|g' \
		    -e 's|${DBPATH_OTHER}|${DBPATH}|g' $$e > $$d && \
		chmod 0644 $$d || exit 1; \
	done
	@echo "install: sample configurations in ${EXAMPLESDIR};" \
	    "copy what you need to ${SYSCONFDIR}"

uninstall:
	rm -f ${DESTDIR}${LIBEXECDIR}/table-sqlite
	rm -f ${DESTDIR}${LIBEXECDIR}/filter-submission
	rm -f ${DESTDIR}${SBINDIR}/auth-helper
	rm -f ${DESTDIR}${MANDIR}/man5/table-sqlite.5
	rm -f ${DESTDIR}${MANDIR}/man5/filter-submission.conf.5
	rm -f ${DESTDIR}${MANDIR}/man8/table-sqlite.8
	rm -f ${DESTDIR}${MANDIR}/man8/filter-submission.8
	rm -f ${DESTDIR}${MANDIR}/man8/auth-helper.8
	for e in ${EXAMPLES}; do rm -f ${DESTDIR}${EXAMPLESDIR}/$${e##*/}; done
	-rmdir ${DESTDIR}${EXAMPLESDIR}

clean:
	rm -f ${LIB_OBJS} ${LIBKIT} lib/schema_sql.h
	rm -f ${TABLE_MAIN} ${TABLE_OBJS} ${TABLE_LIB}
	rm -f ${FILTER_MAIN} ${FILTER_OBJS} ${FILTER_LIB}
	rm -f ${HELPER_MAIN} ${HELPER_OBJS} ${HELPER_LIB}
	rm -f ${PROGS} .build-flavor
	cd tests && ${MAKE} clean

.PHONY: all check bench deb demo dist fuzz fuzz-flags lint install uninstall \
	clean portable test-programs
