/* test_report_summary.c: the compact summary "tlsdiag run" prints. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../analyzer/report.h"

#define HEAD(ts, action) "{\"@timestamp\":\"" ts "\",\"log.level\":" \
    "\"info\",\"message\":\"m\",\"event\":{\"action\":\"" action "\"}," \
    "\"process\":{\"pid\":7,\"name\":\"prog\"},"

static const struct {
	const char *log;
	int want_rc;
	const char *want_text;	/* must appear in the output */
} cases[] = {
	{ "", 0, "tlsdiag: no TLS activity seen\n" },
	{ "not json\n", 0, "tlsdiag: no TLS activity seen\n" },
	{ HEAD("2026-01-01T00:00:00Z", "tlsdiag_exit")
	    "\"tlsdiag\":{\"schema\":1,\"coverage\":{\"tls_seen\":false}}}\n",
	    0, "tlsdiag: no TLS activity seen\n" },
	{ HEAD("2026-01-01T00:00:00Z", "tlsdiag_start")
	    "\"tlsdiag\":{\"schema\":1}}\n", 0,
	    "tlsdiag: no TLS failures (1 processes)\n" },
	{ HEAD("2026-01-01T00:00:00Z", "tls_failure")
	    "\"error\":{\"type\":\"SSLEOFError\"},\"tlsdiag\":{\"schema\":1,"
	    "\"reason\":\"UNEXPECTED_EOF_WHILE_READING\"}}\n"
	    HEAD("2026-01-01T00:00:01Z", "tls_failure")
	    "\"error\":{\"type\":\"SSLEOFError\"},\"tlsdiag\":{\"schema\":1,"
	    "\"reason\":\"UNEXPECTED_EOF_WHILE_READING\"}}\n", 2,
	    "tlsdiag:      2  SSLEOFError: UNEXPECTED_EOF_WHILE_READING  "
	    "peer -  prog\n" },
};

Test(report_summary, cases)
{
	char path[64];
	char *buf;
	size_t bufsz;
	FILE *fp;
	FILE *out;
	size_t i;
	int rc;

	snprintf(path, sizeof(path), "/tmp/tlsdiag-summary-%ld", (long)getpid());
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fp = fopen(path, "w");
		cr_assert_not_null(fp);
		fputs(cases[i].log, fp);
		fclose(fp);
		out = open_memstream(&buf, &bufsz);
		cr_assert_not_null(out);
		rc = report_summary(path, out);
		fclose(out);
		cr_expect_eq(rc, cases[i].want_rc, "case %zu: rc %d", i, rc);
		cr_expect_not_null(strstr(buf, cases[i].want_text),
		    "case %zu: output:\n%s", i, buf);
		free(buf);
	}
	unlink(path);
}

Test(report_summary, unreadable_log)
{
	char *buf;
	size_t bufsz;
	FILE *out = open_memstream(&buf, &bufsz);

	cr_assert_not_null(out);
	cr_expect_eq(report_summary("/nonexistent/x.log", out), -1);
	fclose(out);
	cr_expect_str_eq(buf, "tlsdiag: cannot open '/nonexistent/x.log': No "
	    "such file or directory\n");
	free(buf);
}
