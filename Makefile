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
# Programs go in with INSTALL_PROGRAM, which the ports pass (strip or
# not: OpenBSD's DEBUG_PACKAGES); INSTALL_STRIP=-s strips here.
INSTALL_STRIP ?=
INSTALL_PROGRAM ?=	${INSTALL} ${INSTALL_STRIP} -m 0755

# BSD make reads its sys.mk first, which sets CFLAGS: "CFLAGS ?=" would
# never apply there.  The kit's own flags are CSTD, VISFLAGS, CWARN and
# COPTS; CFLAGS stays the user's (or the system's) and comes last.
COPTS ?=	-O2 -g
# WERROR=-Werror: warnings stop the build (.ci/run, make portable); a
# plain make never stops on a newer compiler's new warning.
WERROR ?=
FORCE_COMPAT ?=	no

# The compiler probes: ./configure writes their results to config.mk.
# It runs again only when config.mk is missing, older than configure, or
# was made for another CC, CPPFLAGS, LDFLAGS, PKG_CONFIG or FORCE_COMPAT
# (not OS=, which chooses install paths only), except for make install,
# uninstall and clean, which take what is there; CONFIGURE_ARGS pins a
# library's flags (NAME_CFLAGS=... NAME_LIBS=..., see configure).
# make FORCE_COMPAT=yes: no libbsd and every function of compat/ (make
# portable).
CONFIGURE_RUN != sh ./configure --if-changed \
		--goals="${MAKECMDGOALS} ${.TARGETS}" CC="${CC}" \
		CPPFLAGS="${CPPFLAGS}" LDFLAGS="${LDFLAGS}" \
		PKG_CONFIG="${PKG_CONFIG}" FORCE_COMPAT="${FORCE_COMPAT}" \
		${CONFIGURE_ARGS} >&2 || echo failed
# ./config.mk: BSD make would look for a plain config.mk in its cache of
# the directory, read before configure wrote it.
include ./config.mk
COMPAT_OBJS =	compat/asprintf.o compat/explicit_bzero.o compat/memmem.o \
		compat/readpassphrase.o compat/reallocarray.o compat/strlcat.o \
		compat/strlcpy.o compat/strsep.o compat/strtonum.o \
		compat/strunvis.o compat/vasprintf.o
# The server engines: db_pgsql.o and db_mysql.o are built either way,
# as stubs that refuse their engine at start (with the package to
# install) where configure found no libpq or libmariadb, or where
# CONFIGURE_ARGS pinned PQ_LIBS= or MARIADB_LIBS= empty.
DBSRV_OBJS =	lib/dbsrv.o lib/lockstore.o lib/sqlparam.o lib/db_pgsql.o \
		lib/db_mysql.o

# Where the database lives when sqlite.conf names none: /var/db on the
# BSDs, /var/lib elsewhere (OS=... on the command line for another).
DBDIR_BSD =	/var/db/opensmtpd-kit
DBDIR_OTHER =	/var/lib/opensmtpd-kit
DBPATH_BSD =	${DBDIR_BSD}/kit.sqlite
DBPATH_OTHER =	${DBDIR_OTHER}/kit.sqlite
DBDIR !=	case "${OS}" in *BSD|DragonFly) echo "${DBDIR_BSD}" ;; \
		*) echo "${DBDIR_OTHER}" ;; esac
DBPATH =	${DBDIR}/kit.sqlite

# make check SANITIZE=yes: everything built with ASan and UBSan.
SAN_FLAGS !=	[ "${SANITIZE}" = yes ] && echo "-fsanitize=address,undefined \
		    -fno-sanitize-recover=undefined -fno-omit-frame-pointer" || true
FUZZ_TIME ?=	60

CWARN =		-Wall -Wextra -Wno-unused-parameter ${WERROR}
PKG_CFLAGS =	${EVENT_CFLAGS} ${SQLITE_CFLAGS} ${CRYPTO_CFLAGS} \
		${CRYPT_CFLAGS} ${ICONV_CFLAGS} ${IDN_CFLAGS} \
		${PQ_CFLAGS} ${MARIADB_CFLAGS}
PKG_LIBS =	${EVENT_LIBS} ${SQLITE_LIBS} ${CRYPTO_LIBS}
CPPFLAGS_PKG =	${BSD_CFLAGS} ${PKG_CFLAGS} ${HAVE_FUNCS} ${HAVE_CRYPT} \
		${HAVE_SANDBOX} ${HAVE_ARGON2} ${HAVE_SENDMMSG} \
		${HAVE_LIBPQ} ${HAVE_LIBMARIADB} \
		${CPPFLAGS}
CPPFLAGS_DEFS =	-DSYSCONFDIR=\"${SYSCONFDIR}\" -DDBPATH_DEFAULT=\"${DBPATH}\"
CPPFLAGS_ALL =	-Ilib ${CPPFLAGS_DEFS} ${CPPFLAGS_PKG}
CFLAGS_ALL =	${CSTD} ${VISFLAGS} ${CWARN} ${COPTS} ${CFLAGS} ${SAN_FLAGS}
LIBS =		${SAN_FLAGS} ${PKG_LIBS} ${BSD_LIBS} ${CRYPT_LIBS} ${ICONV_LIBS} \
		${PQ_LIBS} ${MARIADB_LIBS}

LIB_OBJS =	lib/addr.o lib/auth.o lib/authlock.o lib/backend.o lib/conf.o \
		lib/db.o lib/ibuf.o lib/log.o lib/msgio.o lib/owner.o \
		lib/passwd.o lib/proto.o lib/pwcrypt.o \
		lib/pwargon2.o lib/pwschemes.o lib/reader.o lib/readtx.o \
		lib/sandbox.o lib/schema.o lib/sqlite_dirfd.o \
		lib/smtpduser.o lib/sqlconf.o lib/start.o ${DBSRV_OBJS} \
		${COMPAT_OBJS}
LIB_HDRS =	lib/addr.h lib/auth.h lib/authlock.h lib/backend.h \
		lib/compat.h lib/conf.h \
		lib/db.h lib/ibuf.h lib/log.h lib/msgio.h \
		lib/owner.h lib/passwd.h lib/proto.h lib/pwargon2.h \
		lib/pwcrypt.h lib/reader.h lib/readtx.h \
		lib/dbsrv.h lib/lockstore.h lib/sqlparam.h \
		lib/sandbox.h lib/schema.h lib/smtpduser.h lib/sqlconf.h \
		lib/sqlite_dirfd.h lib/start.h \
		lib/schema_sql.h lib/schema_pgsql_sql.h lib/schema_mysql_sql.h
LIBKIT =	lib/libkit.a

# Each program: its main.o, and its other objects, which its archive
# holds for the unit tests (tests/Makefile).
TABLE_MAIN =	table-sqlite/main.o
TABLE_OBJS =	table-sqlite/answer.o table-sqlite/proto_imsg.o \
		table-sqlite/proto_text.o table-sqlite/serve.o \
		table-sqlite/table_imsg.o table-sqlite/table_proto.o
TABLE_HDRS =	table-sqlite/table_imsg.h table-sqlite/table_proto.h \
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
# migrate-postfix and import: auth-helper/migrate/.
MIGRATE_OBJS =	auth-helper/migrate/cmd_import.o \
		auth-helper/migrate/cmd_migrate.o auth-helper/migrate/csv.o \
		auth-helper/migrate/dovecot_conf.o \
		auth-helper/migrate/kit_rows.o auth-helper/migrate/plan_data.o \
		auth-helper/migrate/plan_policy.o \
		auth-helper/migrate/postfix_conf.o \
		auth-helper/migrate/postfix_map.o \
		auth-helper/migrate/postfix_sql.o auth-helper/migrate/report.o \
		auth-helper/migrate/sql_export.o auth-helper/migrate/strlist.o \
		auth-helper/migrate/write.o
HELPER_HDRS =	auth-helper/auth_helper.h auth-helper/migrate/migrate.h
HELPER_LIB =	auth-helper/libhelper.a
HELPER =	auth-helper/auth-helper

EXAMPLES =	examples/filter-mx.conf examples/filter-submission.conf \
		examples/smtpd.conf examples/sqlite.conf

MAN5 =		man/filter-submission.conf.5 man/table-sqlite.5
MAN8 =		man/auth-helper.8 man/filter-submission.8 man/table-sqlite.8

PROGS =		${TABLE} ${FILTER} ${HELPER}

all: ${PROGS}

.SUFFIXES: .c .o
.c.o:
	${CC} ${CPPFLAGS_ALL} ${CFLAGS_ALL} -c $< -o $@

# The schema as the bytes of a char array: a string literal that long
# is more than C99 promises a compiler takes (-pedantic says so).
lib/schema_sql.h: lib/schema.sql
	od -An -v -t u1 lib/schema.sql | \
	    awk '{ for (i = 1; i <= NF; i++) printf "%s,", $$i; print "" }' \
	    > lib/schema_sql.h
lib/schema_pgsql_sql.h: lib/schema_pgsql.sql
	od -An -v -t u1 lib/schema_pgsql.sql | \
	    awk '{ for (i = 1; i <= NF; i++) printf "%s,", $$i; print "" }' \
	    > lib/schema_pgsql_sql.h
lib/schema_mysql_sql.h: lib/schema_mysql.sql
	od -An -v -t u1 lib/schema_mysql.sql | \
	    awk '{ for (i = 1; i <= NF; i++) printf "%s,", $$i; print "" }' \
	    > lib/schema_mysql_sql.h

${LIB_OBJS}: config.mk ${LIB_HDRS}
${TABLE_MAIN} ${TABLE_OBJS}: config.mk ${LIB_HDRS} ${TABLE_HDRS}
${FILTER_MAIN} ${FILTER_OBJS}: config.mk ${LIB_HDRS} ${FILTER_HDRS}
${HELPER_MAIN} ${HELPER_OBJS}: config.mk ${LIB_HDRS} ${HELPER_HDRS}

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
archives: ${LIBKIT} ${TABLE_LIB} ${FILTER_LIB} ${HELPER_LIB}

test-programs: ${PROGS} ${TABLE_LIB} ${FILTER_LIB} ${HELPER_LIB}
	@cd tests && ${MAKE} CC="${CC}" CPPFLAGS_PKG="${CPPFLAGS_PKG}" \
	    SYSCONFDIR="${SYSCONFDIR}" DBPATH="${DBPATH}" \
	    CFLAGS_ALL="${CFLAGS_ALL}" LDFLAGS="${LDFLAGS}" \
	    LIBS="${LIBS} ${ARGON2_LIBS}" \
	    UNISTRING_LIBS="${UNISTRING_LIBS}" \
	    IDN_LIBS="${IDN_LIBS}" SSL_LIBS="${SSL_LIBS}"

# make check: install what is missing (as root), build, run every test.
# Objects of another build (SANITIZE=yes or not) are removed first.
# deps.sh runs before a make of its own (check-run): this make read
# config.mk before the packages deps.sh installs were there.
check:
	@sh tests/deps.sh build test fuzz sql
	@${MAKE} check-run

check-run:
	@if [ "$$(cat .build-flavor 2>/dev/null)" != "${SANITIZE}:" ]; then \
	    ${MAKE} -s clean; echo "${SANITIZE}:" > .build-flavor; fi
	@${MAKE} test-programs
	@SANITIZE="${SANITIZE}" FUZZ_CPPFLAGS="${FUZZ_CPPFLAGS}" \
	    FUZZ_LIBS="${FUZZ_LIBS}" T="${T}" sh tests/run.sh

# make test: what the ports run (TEST_TARGET): the unit, protocol and
# lint tests, with the build dependencies, POSIX tools and what the BSD
# base systems ship.  It installs nothing; a test that needs more (rsync,
# python3, fail2ban, GNU tar) says so and is not counted.
test: test-programs
	@KIT_SUITE=ports sh tests/run.sh

# make fuzz: each libFuzzer target for FUZZ_TIME seconds (clang).
FUZZ_CPPFLAGS =	${BSD_CFLAGS} ${PKG_CFLAGS} ${HAVE_FUNCS} \
		${HAVE_CRYPT} ${CPPFLAGS}
FUZZ_LIBS =	${PKG_LIBS} ${BSD_LIBS} ${CRYPT_LIBS} ${UNISTRING_LIBS} \
		${ARGON2_LIBS}
fuzz-flags:
	@echo "FUZZ_CPPFLAGS='${FUZZ_CPPFLAGS}'"
	@echo "FUZZ_LIBS='${FUZZ_LIBS}'"

fuzz:
	@sh tests/deps.sh build fuzz
	@${MAKE} fuzz-run

fuzz-run:
	@${MAKE} lib/schema_sql.h lib/schema_pgsql_sql.h lib/schema_mysql_sql.h
	@FUZZ_CPPFLAGS="${FUZZ_CPPFLAGS}" FUZZ_LIBS="${FUZZ_LIBS}" \
	    sh tests/fuzz/run.sh -t ${FUZZ_TIME}

# make portable: the tree built apart with every compat/ function and
# strict portable flags, under GNU make and BSD make (tests/portable.sh).
portable:
	@sh tests/deps.sh build test portable
	@sh tests/portable.sh

bench:
	@sh tests/deps.sh build test
	@${MAKE} test-programs
	@sh tests/bench/run.sh
	@sh tests/deps.sh sql
	@sh tests/bench/sqlsrv.sh

# The table on PostgreSQL and MariaDB against Debian's table-postgres and
# table-mysql, alone (tests/bench/sqlsrv.sh).
bench-sql:
	@sh tests/deps.sh build test sql
	@${MAKE} test-programs
	@sh tests/bench/sqlsrv.sh

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
# The manuals name the configuration files where SYSCONFDIR puts them,
# and their examples the database where this system keeps it.
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
	${INSTALL_PROGRAM} ${TABLE} ${DESTDIR}${LIBEXECDIR}/table-sqlite
	${INSTALL_PROGRAM} ${FILTER} ${DESTDIR}${LIBEXECDIR}/filter-submission
	${INSTALL} -d ${DESTDIR}${SBINDIR}
	${INSTALL_PROGRAM} ${HELPER} ${DESTDIR}${SBINDIR}/auth-helper
	for m in ${MAN5} ${MAN8}; do \
		d=${DESTDIR}${MANDIR}/man$${m##*.}; \
		sed -e 's|/etc/mail|${SYSCONFDIR}|g' \
		    -e '/^\.Bd/,/^\.Ed/s|${DBDIR_OTHER}|${DBDIR}|g' \
		    $$m > $$d/$${m##*/} && \
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
	rm -f ${LIB_OBJS} ${LIBKIT} lib/schema_sql.h lib/schema_pgsql_sql.h \
	    lib/schema_mysql_sql.h lib/db_pgsql.o \
	    lib/db_mysql.o
	rm -f ${TABLE_MAIN} ${TABLE_OBJS} ${TABLE_LIB}
	rm -f ${FILTER_MAIN} ${FILTER_OBJS} ${FILTER_LIB}
	rm -f ${HELPER_MAIN} ${HELPER_OBJS} ${HELPER_LIB}
	rm -f ${PROGS} .build-flavor
	cd tests && ${MAKE} clean

# distclean: clean, and configure's results.
distclean: clean
	rm -f config.mk config.log

.PHONY: all archives check check-run fuzz-run test bench bench-sql deb demo dist distclean fuzz fuzz-flags \
	lint install uninstall clean portable test-programs
