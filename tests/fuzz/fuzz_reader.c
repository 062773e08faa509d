/*
 * fuzz_reader.c: libFuzzer harness for the analyzer's reading side.  The
 * input is a log file (plain or gzip'd: the reader decides by content),
 * read through the whole "tlsdiag report" pipeline (input, record_parse,
 * filter, aggregate, render) in the format chosen by the first byte.
 * Beyond not crashing (ASan, UBSan), every format's output must be safe
 * for a terminal, JSON output must parse and so must each NDJSON line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "report.h"
#include "textcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every NDJSON line parses on its own. */
static void
check_ndjson(const char *out, size_t outlen)
{
	const char *p = out;
	const char *end = out + outlen;
	const char *nl;
	cJSON *j;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			fprintf(stderr, "NDJSON without a final newline\n");
			abort();
		}
		j = cJSON_ParseWithLength(p, (size_t)(nl - p));
		if (j == NULL) {
			fprintf(stderr, "invalid NDJSON line: %.*s\n",
			    (int)(nl - p), p);
			abort();
		}
		cJSON_Delete(j);
		p = nl + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_opts o;
	struct report_result res;
	char path[64];
	char *files[1] = { path };
	char *out = NULL;
	size_t outlen = 0, at;
	FILE *f;
	cJSON *j;
	int fd;

	if (size < 1)
		return 0;
	fd = memfd_create("log", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	report_opts_init(&o);
	o.format = (enum report_format)(data[0] % 4);
	o.top = data[0] & 0x10 ? 0 : 3;
	o.max_line = data[0] & 0x20 ? 256 : 1024 * 1024;
	o.now = 1800000000LL * 1000000; /* fixed: no flaky "ago" text */
	o.symbolize = 0;
	memset(&res, 0, sizeof(res));
	f = open_memstream(&out, &outlen);
	if (f == NULL)
		abort();
	(void)report_run(&o, files, 1, f, &res);
	fclose(f);
	close(fd);
	/* Text, CSV, JSON and NDJSON: safe for a terminal (the JSON
	 * renderers indent with tabs). */
	if (!textcheck_safe(out, outlen,
		o.format == REPORT_JSON || o.format == REPORT_NDJSON, &at)) {
		fprintf(stderr, "unsafe output (format %d) at byte %zu:\n%s\n",
		    (int)o.format, at, out);
		abort();
	}
	if (o.format == REPORT_NDJSON)
		check_ndjson(out, outlen);
	if (o.format == REPORT_JSON) {
		j = cJSON_ParseWithLength(out, outlen);
		if (j == NULL) {
			fprintf(stderr, "invalid JSON output:\n%s\n", out);
			abort();
		}
		cJSON_Delete(j);
	}
	free(out);
	report_opts_free(&o);
	return 0;
}
