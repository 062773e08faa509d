/* test_report_summary.c: the compact summary "tlsdiag run" prints. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../analyzer/report.h"

#define HEAD(ts, action)                                                       \
	"{\"@timestamp\":\"" ts "\",\"log.level\":"                            \
	"\"info\",\"message\":\"m\",\"event\":{\"action\":\"" action "\"},"    \
	"\"process\":{\"pid\":7,\"name\":\"prog\"},"

/* An exit record of process pid named name with coverage fields cov. */
#define EXIT(pid, name, cov)                                                   \
	"{\"@timestamp\":\"2026-01-01T00:00:09Z\","                            \
	"\"log.level\":\"warning\",\"message\":\"m\",\"event\":{\"action\":"   \
	"\"tlsdiag_exit\"},\"process\":{\"pid\":" #pid ",\"name\":\"" name     \
	"\"},\"tlsdiag\":{\"schema\":1,\"coverage\":{" cov "}}}\n"
#define FAIL(ts)                                                               \
	HEAD(ts, "tls_failure")                                                \
	"\"error\":{\"type\":"                                                 \
	"\"SSLEOFError\"},\"tlsdiag\":{\"schema\":1,\"reason\":"               \
	"\"UNEXPECTED_EOF_WHILE_READING\"}}\n"
#define SUPP(n)                                                                \
	HEAD("2026-01-01T00:00:05Z", "tlsdiag_suppressed")                     \
	"\"tlsdiag\":{\"schema\":1,\"suppressed\":" #n "}}\n"
#define NO_TLS "tlsdiag: no TLS activity seen\n"

static const struct {
	const char *log;
	int want_rc;
	const char *want_text; /* must appear in the output */
	const char *not_text;  /* must not, unless NULL */
} cases[] = {
	{ "", 0, NO_TLS, NULL },
	{ "not json\n", 0, NO_TLS, NULL },
	{ HEAD("2026-01-01T00:00:00Z",
	      "tlsdiag_exit") "\"tlsdiag\":{\"schema\":1,\"coverage\":{\"tls_seen\":false}}}\n",
	    0, NO_TLS, NULL },
	{ HEAD("2026-01-01T00:00:00Z",
	      "tlsdiag_start") "\"tlsdiag\":{\"schema\":1}}\n",
	    0, "tlsdiag: no TLS failures (1 processes)\n", NO_TLS },
	{ HEAD("2026-01-01T00:00:00Z",
	      "tls_failure") "\"error\":{\"type\":\"SSLEOFError\"},\"tlsdiag\":{\"schema\":1,"
			     "\"reason\":\"UNEXPECTED_EOF_WHILE_READING\"}}\n" HEAD(
				 "2026-01-01T00:00:01Z",
				 "tls_failure") "\"error\":{\"type\":\"SSLEOFError\"},\"tlsdiag\":{\"schema\":1,"
						"\"reason\":\"UNEXPECTED_EOF_WHILE_READING\"}}\n",
	    2,
	    "tlsdiag:      2  SSLEOFError: UNEXPECTED_EOF_WHILE_READING  "
	    "peer -  prog\n",
	    NULL },
	/* What the exit records say could not be seen, instead of nothing. */
	{ EXIT(7, "node",
	      "\"tls_seen\":false,\"static_openssl\":true,"
	      "\"libraries\":[],\"other_tls\":[]"),
	    0,
	    "tlsdiag: node carries its own OpenSSL (statically linked): "
	    "nothing could be hooked\n",
	    NO_TLS },
	{ EXIT(8, "git-remote-http",
	      "\"tls_seen\":false,\"static_openssl\":"
	      "false,\"libraries\":[],\"other_tls\":[\"libgnutls.so.30\"]"),
	    0,
	    "tlsdiag: git-remote-http uses libgnutls.so.30, which tlsdiag does "
	    "not cover\n",
	    NO_TLS },
	{ EXIT(9, "python3.11",
	      "\"tls_seen\":false,\"static_openssl\":false,"
	      "\"libraries\":[{\"path\":"
	      "\"/usr/lib/x86_64-linux-gnu/libssl.so.3\"}],\"other_tls\":[]"),
	    0,
	    "tlsdiag: python3.11 loaded libssl.so.3 privately but no TLS call "
	    "reached tlsdiag\n",
	    NO_TLS },
	{ HEAD("2026-01-01T00:00:00Z",
	      "tlsdiag_start") "\"tlsdiag\":{\"schema\":1}}\n" EXIT(7, "prog",
	      "\"tls_seen\":true,\"internal_callers_only\":true"),
	    0,
	    "tlsdiag: prog called OpenSSL only from inside libssl (dlsym "
	    "pointers or BIO_f_ssl): its own failures may be unseen\n",
	    NO_TLS },
	{ EXIT(7, "node", "\"tls_seen\":false,\"static_openssl\":true")
		EXIT(8, "node", "\"tls_seen\":false,\"static_openssl\":true"),
	    0, "(statically linked): nothing could be hooked (2 processes)\n",
	    NULL },
	/* The rate limit: the exit record's count, not added twice. */
	{ FAIL("2026-01-01T00:00:00Z") FAIL("2026-01-01T00:00:01Z") SUPP(5)
		SUPP(2) EXIT(7, "prog",
		    "\"tls_seen\":true,\"suppressed\":7,"
		    "\"other_tls\":[]"),
	    2,
	    "tlsdiag: 2 TLS failures in 1 process, 7 more suppressed by the "
	    "rate limit\n",
	    NULL },
	{ FAIL("2026-01-01T00:00:00Z") SUPP(5), 1,
	    "tlsdiag: 1 TLS failure in 1 process, 5 more suppressed by the "
	    "rate limit\n",
	    NULL },
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

	snprintf(path, sizeof(path), "/tmp/tlsdiag-summary-%ld",
	    (long)getpid());
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
		if (cases[i].not_text != NULL)
			cr_expect_null(strstr(buf, cases[i].not_text),
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
	cr_expect_str_eq(buf,
	    "tlsdiag: cannot open '/nonexistent/x.log': No "
	    "such file or directory\n");
	free(buf);
}
