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
 * libFuzzer target: the configuration readers (the key-value reader,
 * table-sqlite's sqlite.conf, the filter's configuration), on the input
 * written to a file as an admin would.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzzdb.h"
#include "log.h"
#include "sqlconf.h"
#include "submission.h"

static char	 path[128];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	snprintf(path, sizeof(path), "%s/fuzz.%d.conf", fuzzdb_dir(),
	    (int)getpid());
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sqlconf	 sc;
	struct fconf	 fc;
	char		 err[512];
	FILE		*fp;

	if ((fp = fopen(path, "w")) == NULL)
		fatal("%s", path);
	if (fwrite(data, 1, size, fp) != size)
		fatal("%s", path);
	fclose(fp);
	if (sqlconf_load(path, &sc, err, sizeof(err)) == 0)
		sqlconf_free(&sc);
	if (fconf_load(path, &fc, err, sizeof(err)) == 0)
		fconf_free(&fc);
	return 0;
}
