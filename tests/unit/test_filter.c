/* test_filter.c: every filter option against a fixed record. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../analyzer/filter.h"

static const char line[] =
    "{\"@timestamp\":\"2026-11-27T03:12:45.123456Z\",\"log.level\":\"error\","
    "\"message\":\"m\",\"event\":{\"action\":\"tls_failure\"},"
    "\"error\":{\"type\":\"SSLCertVerificationError\"},"
    "\"tlsdiag\":{\"schema\":1,\"reason\":\"CERTIFICATE_VERIFY_FAILED\","
    "\"verify_code\":10,\"stale_queue\":false,\"library\":null,"
    "\"role\":\"client\"},"
    "\"tls\":{\"client\":{\"server_name\":\"LocalHost\"}},"
    "\"destination\":{\"ip\":\"127.0.0.1\",\"port\":8443},"
    "\"process\":{\"pid\":4242,\"executable\":\"/usr/bin/curl\","
    "\"name\":\"curl\"},\"host\":{\"hostname\":\"web-7\"}}";

struct term {
	enum filter_field f;
	const char *v;
};

struct fcase {
	struct term terms[3]; /* f == FILTER_NFIELDS ends the list */
	int want;
};

#define END                                                                    \
	{                                                                      \
		FILTER_NFIELDS, NULL                                           \
	}

static const struct fcase cases[] = {
	{ { END }, 1 },
	{ { { FILTER_TYPE, "SSLCertVerificationError" }, END }, 1 },
	{ { { FILTER_TYPE, "CertificateError" }, END }, 1 },
	{ { { FILTER_TYPE, "SSLEOFError" }, END }, 0 },
	{ { { FILTER_TYPE, "SSLEOFError" }, { FILTER_TYPE, "CertificateError" },
	      END },
	    1 },
	{ { { FILTER_HOST, "web-7" }, END }, 1 },
	{ { { FILTER_HOST, "web-8" }, END }, 0 },
	{ { { FILTER_PID, "4242" }, END }, 1 },
	{ { { FILTER_PID, "4243" }, END }, 0 },
	{ { { FILTER_EXE, "/usr/bin/curl" }, END }, 1 },
	{ { { FILTER_EXE, "curl" }, END }, 1 },
	{ { { FILTER_EXE, "url" }, END }, 0 },
	{ { { FILTER_PEER, "127.0.0.1" }, END }, 1 },
	{ { { FILTER_PEER, "127.0.0.1:8443" }, END }, 1 },
	{ { { FILTER_PEER, "127.0.0.1:443" }, END }, 0 },
	{ { { FILTER_PEER, "localhost" }, END }, 1 },
	{ { { FILTER_SNI, "localhost" }, END }, 1 },
	{ { { FILTER_SNI, "other" }, END }, 0 },
	{ { { FILTER_WHERE, "tlsdiag.reason=CERTIFICATE_VERIFY_FAILED" }, END },
	    1 },
	{ { { FILTER_WHERE, "tlsdiag.reason=X" }, END }, 0 },
	{ { { FILTER_WHERE, "log.level=error" }, END }, 1 },
	{ { { FILTER_WHERE, "tlsdiag.verify_code=10" }, END }, 1 },
	{ { { FILTER_WHERE, "tlsdiag.verify_code=10.0" }, END }, 1 },
	{ { { FILTER_WHERE, "tlsdiag.verify_code=1" }, END }, 0 },
	{ { { FILTER_WHERE, "tlsdiag.stale_queue=false" }, END }, 1 },
	{ { { FILTER_WHERE, "tlsdiag.library=null" }, END }, 1 },
	{ { { FILTER_WHERE, "tlsdiag.missing=" }, END }, 0 },
	{ { { FILTER_WHERE, "log.level=error" },
	      { FILTER_WHERE, "host.hostname=web-8" }, END },
	    0 },
	{ { { FILTER_HOST, "web-7" }, { FILTER_TYPE, "SSLEOFError" }, END },
	    0 },
};

Test(filter, table)
{
	struct record r;
	struct filter f;
	char err[256];
	size_t i;
	size_t j;

	cr_assert_eq(record_parse(line, strlen(line), &r), RECORD_OK);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		filter_init(&f);
		for (j = 0; cases[i].terms[j].f != FILTER_NFIELDS; j++)
			cr_assert_eq(filter_add(&f, cases[i].terms[j].f,
					 cases[i].terms[j].v, err, sizeof(err)),
			    0, "%s", err);
		cr_expect_eq(filter_match(&f, &r), cases[i].want, "case %zu",
		    i);
		filter_free(&f);
	}
	record_free(&r);
}

Test(filter, invalid_terms)
{
	struct filter f;
	char err[256];

	filter_init(&f);
	cr_expect_eq(filter_add(&f, FILTER_PID, "12x", err, sizeof(err)), -1);
	cr_expect_str_eq(err, "invalid pid '12x'");
	cr_expect_eq(filter_add(&f, FILTER_WHERE, "noequals", err, sizeof(err)),
	    -1);
	cr_expect_eq(filter_add(&f, FILTER_WHERE, "=v", err, sizeof(err)), -1);
	cr_expect_eq(f.nterms, 0);
	filter_free(&f);
}

Test(filter, times)
{
	static const struct {
		const char *spec;
		int ok;
		long long want;
	} tcases[] = {
		{ "-15m", 1, 1000000000000000LL - 900000000LL },
		{ "-2h", 1, 1000000000000000LL - 7200000000LL },
		{ "-3d", 1, 1000000000000000LL - 259200000000LL },
		{ "-1w", 1, 1000000000000000LL - 604800000000LL },
		{ "30s", 1, 1000000000000000LL - 30000000LL },
		{ "2026-11-27T03:12:45Z", 1, 1795749165000000LL },
		{ "-15", 0, 0 },
		{ "-15x", 0, 0 },
		{ "-m", 0, 0 },
		{ "-15mm", 0, 0 },
		{ "", 0, 0 },
	};
	int64_t t;
	size_t i;

	for (i = 0; i < sizeof(tcases) / sizeof(tcases[0]); i++) {
		int rc =
		    filter_parse_time(tcases[i].spec, 1000000000000000LL, &t);

		cr_expect_eq(rc == 0, tcases[i].ok, "'%s'", tcases[i].spec);
		if (rc == 0 && tcases[i].ok)
			cr_expect_eq(t, tcases[i].want, "'%s'", tcases[i].spec);
	}
}

Test(filter, since_until_window)
{
	struct record r;
	struct filter f;
	char err[256];

	cr_assert_eq(record_parse(line, strlen(line), &r), RECORD_OK);
	filter_init(&f);
	cr_assert_eq(filter_set_time(&f, 0, "2026-11-27T03:12:45.123456Z", 0,
			 err, sizeof(err)),
	    0);
	cr_expect(filter_match(&f, &r), "since is inclusive");
	cr_assert_eq(filter_set_time(&f, 1, "2026-11-27T03:12:45.123456Z", 0,
			 err, sizeof(err)),
	    0);
	cr_expect(!filter_match(&f, &r), "until is exclusive");
	cr_expect_eq(filter_set_time(&f, 1, "soon", 0, err, sizeof(err)), -1);
	filter_free(&f);
	record_free(&r);
}
