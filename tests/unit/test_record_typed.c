/*
 * test_record_typed.c: the typed struct record that record_parse() fills,
 * over real records from tests/e2e/data/report (a failure written by the
 * shim under Python, and exit records with their coverage).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/logrecord.h"

/* Line lineno (1-based) of path, without its newline; malloc'd. */
static char *
read_line(const char *path, int lineno, size_t *lenp)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = -1;
	FILE *f;
	int i;

	f = fopen(path, "r");
	cr_assert_not_null(f, "cannot open %s (run from the top directory)",
	    path);
	for (i = 0; i < lineno; i++) {
		n = getline(&line, &cap, f);
		cr_assert(n > 0, "%s has no line %d", path, lineno);
	}
	fclose(f);
	if (line[n - 1] == '\n')
		line[--n] = '\0';
	*lenp = (size_t)n;
	return line;
}

Test(record_typed, real_failure)
{
	struct record r;
	size_t len;
	char *line;

	line = read_line("tests/e2e/data/report/real-e2e.log", 2, &len);
	cr_assert_eq(record_parse(line, len, &r), RECORD_OK);
	cr_expect(r.is_failure);
	cr_expect_eq(r.schema, 1);
	cr_expect_eq(r.pid, 13711);
	cr_expect_eq(r.tid, 13711);
	cr_expect_str_eq(r.name, "python3.11");
	cr_expect_str_eq(r.level, "error");
	cr_expect_str_eq(r.type, "SSLCertVerificationError");
	cr_expect_str_eq(r.call, "SSL_do_handshake");
	cr_expect_str_eq(r.ssl_error, "SSL_ERROR_SSL");
	cr_expect_str_eq(r.reason, "CERTIFICATE_VERIFY_FAILED");
	cr_expect_eq(r.verify_code, 10);
	cr_expect_eq(r.errnum, 0);
	cr_expect_str_eq(r.role, "client");
	cr_expect_str_eq(r.phase, "handshake");
	cr_expect_eq(r.shutdown_sent, 0);
	cr_expect_eq(r.shutdown_received, 0);
	cr_expect_eq(r.bytes_read, 651);
	cr_expect_eq(r.bytes_written, 524);
	cr_expect_eq(r.age_s, 0);
	cr_expect_str_eq(r.peer_ip, "127.0.0.1");
	cr_expect_eq(r.peer_port, 34713);
	cr_expect_str_eq(r.stack_id, "8cc14fe2e3f65e7b");

	cr_assert(r.has_backtrace);
	cr_assert_eq(r.nframes, 13);
	cr_expect_str_eq(r.frames[0].module,
	    "/root/.pyenv/versions/3.11.7/lib/python3.11/lib-dynload/"
	    "_ssl.cpython-311-x86_64-linux-gnu.so");
	cr_expect_str_eq(r.frames[0].build_id,
	    "864defc3177b46ea85d63266bdefc7070e3d7bb6");
	cr_expect_eq(r.frames[0].offset, 101533);
	cr_expect_null(r.frames[0].symbol);
	cr_expect_str_eq(r.frames[2].symbol, "PyObject_Vectorcall");
	cr_expect_str_eq(r.frames[12].symbol, "_start");
	cr_expect_eq(r.frames[12].offset, 4225);

	cr_assert_eq(r.nerrors, 1);
	cr_expect_eq(r.errors[0].code, 167772294);
	cr_expect_str_eq(r.errors[0].library, "SSL");
	cr_expect_str_eq(r.errors[0].reason, "CERTIFICATE_VERIFY_FAILED");
	cr_expect_str_eq(r.errors[0].text, "certificate verify failed");

	cr_expect_eq(r.ntruncated, 0);
	cr_expect_null(r.coverage, "a failure has no coverage");
	cr_expect(record_where(&r, "tlsdiag.verify_code", "10"));
	cr_expect(record_where(&r, "tlsdiag.shutdown.sent", "false"));
	cr_expect(!record_where(&r, "tlsdiag.shutdown", "false"));
	record_free(&r);
	free(line);
}

Test(record_typed, real_exit_coverage)
{
	struct record r;
	size_t len;
	char *line;

	line = read_line("tests/e2e/data/report/coverage.log", 12, &len);
	cr_assert_eq(record_parse(line, len, &r), RECORD_OK);
	cr_expect(!r.is_failure);
	cr_expect(!r.has_backtrace);
	cr_expect_eq(r.nframes, 0);
	cr_assert_not_null(r.coverage);
	cr_expect_eq(r.coverage->tls_seen, 1);
	cr_expect_eq(r.coverage->static_openssl, 0);
	cr_expect_eq(r.coverage->internal_callers_only, 0);
	cr_expect_eq(r.coverage->records, 5);
	cr_expect_eq(r.coverage->dropped, 0);
	cr_expect_eq(r.coverage->followups, 2);
	cr_expect(r.coverage->has_suppressed);
	cr_expect_eq(r.coverage->suppressed, 7);
	cr_assert_eq(r.coverage->nlibraries, 1);
	cr_expect_str_eq(r.coverage->libraries[0].path,
	    "/lib/x86_64-linux-gnu/libssl.so.3");
	cr_expect_null(r.coverage->libraries[0].scope);
	cr_assert_eq(r.coverage->nother_tls, 1);
	cr_expect_str_eq(r.coverage->other_tls[0], "libgnutls.so.30");
	record_free(&r);
	free(line);

	line = read_line("tests/e2e/data/report/coverage.log", 1, &len);
	cr_assert_eq(record_parse(line, len, &r), RECORD_OK);
	cr_assert_not_null(r.coverage);
	cr_expect_eq(r.coverage->static_openssl, 1);
	cr_expect_eq(r.coverage->tls_seen, 0);
	cr_expect_eq(r.coverage->nlibraries, 0);
	cr_expect_eq(r.coverage->nother_tls, 0);
	record_free(&r);
	free(line);
}

/* Mistyped items keep their slot (NULL), so lengths are the JSON's. */
Test(record_typed, mistyped_items)
{
	static const char line[] =
	    "{\"@timestamp\":\"2026-11-27T03:12:45Z\","
	    "\"event\":{\"action\":\"tls_failure\"},\"tlsdiag\":{\"schema\":1,"
	    "\"truncated\":[\"error.message\",7,null],"
	    "\"backtrace\":[1,{\"module\":\"/m\",\"offset\":-3},"
	    "{\"offset\":1.5,\"symbol\":\"f\"}],\"errors\":\"no\"}}";
	struct record r;

	cr_assert_eq(record_parse(line, strlen(line), &r), RECORD_OK);
	cr_assert_eq(r.ntruncated, 3);
	cr_expect_str_eq(r.truncated[0], "error.message");
	cr_expect_null(r.truncated[1]);
	cr_expect_null(r.truncated[2]);
	cr_expect(r.has_backtrace);
	cr_assert_eq(r.nframes, 2, "non-objects are not frames");
	cr_expect_str_eq(r.frames[0].module, "/m");
	cr_expect_eq(r.frames[0].offset, RECORD_NONE);
	cr_expect_null(r.frames[1].module);
	cr_expect_str_eq(r.frames[1].symbol, "f");
	cr_expect_eq(r.frames[1].offset, RECORD_NONE);
	cr_expect_eq(r.nerrors, 0);
	record_free(&r);
}
