/*
 * test_certtime.c: certificate and record time parsing.  The OpenSSL-form
 * table was produced by running CPython 3.11.7's ssl.cert_time_to_seconds()
 * on each input (spec/python-ssl-error-model.md section 10).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "../../analyzer/certtime.h"

struct ossl_case {
	const char *in;
	enum certtime_status st;
	long long secs;
};

static const struct ossl_case ossl_cases[] = {
	{ "Jan  5 09:34:43 2018 GMT", CERTTIME_OK, 1515144883LL },
	{ "Jan 5 09:34:43 2018 GMT", CERTTIME_OK, 1515144883LL },
	{ "Jan 05 09:34:43 2018 GMT", CERTTIME_OK, 1515144883LL },
	{ "jan  5 09:34:43 2018 GMT", CERTTIME_OK, 1515144883LL },
	{ "JAN  5 09:34:43 2018 GMT", CERTTIME_OK, 1515144883LL },
	{ "Jan  5 09:34:43 2018 gmt", CERTTIME_OK, 1515144883LL },
	{ "Foo  5 09:34:43 2018 GMT", CERTTIME_BAD_MONTH, 0LL },
	{ "Jan  5 09:34:43 2018 UTC", CERTTIME_NO_MATCH, 0LL },
	{ "Jan  5 09:34:43 2018", CERTTIME_NO_MATCH, 0LL },
	{ "Feb 30 00:00:00 2018 GMT", CERTTIME_OK, 1519948800LL },
	{ "Jan 31 23:59:60 2018 GMT", CERTTIME_OK, 1517443200LL },
	{ "Jan  1 00:00:00 1950 GMT", CERTTIME_OK, -631152000LL },
	{ "Dec 31 23:59:59 9999 GMT", CERTTIME_OK, 253402300799LL },
	{ "Jan  5 09:34:43 2018 GMT ", CERTTIME_UNCONVERTED, 0LL },
	{ "Jan  5 09:34:43.5 2018 GMT", CERTTIME_NO_MATCH, 0LL },
	{ "Jan  5 9:4:3 2018 GMT", CERTTIME_OK, 1515143043LL },
	{ "Jan  5 09:34:43 18 GMT", CERTTIME_NO_MATCH, 0LL },
	{ "Jan  5 09:34:43 20180 GMT", CERTTIME_NO_MATCH, 0LL },
	{ "Jan 32 00:00:00 2018 GMT", CERTTIME_NO_MATCH, 0LL },
	{ "Jan  0 00:00:00 2018 GMT", CERTTIME_NO_MATCH, 0LL },
	{ "Jan  5 24:00:00 2018 GMT", CERTTIME_NO_MATCH, 0LL },
	{ "Jan  5 23:60:00 2018 GMT", CERTTIME_NO_MATCH, 0LL },
	{ "Jan  5 23:59:62 2018 GMT", CERTTIME_NO_MATCH, 0LL },
	{ "Jan5 09:34:43 2018 GMT", CERTTIME_NO_MATCH, 0LL },
	{ "Jan\0115\01109:34:43\0112018\011GMT", CERTTIME_OK, 1515144883LL },
	{ "Jan  5 09:34:43 2018  GMT", CERTTIME_OK, 1515144883LL },
	{ "  Jan 5 09:34:43 2018 GMT", CERTTIME_BAD_MONTH, 0LL },
	{ "Janu 5 09:34:43 2018 GMT", CERTTIME_NO_MATCH, 0LL },
	{ "Jan  5 09:34:43 0000 GMT", CERTTIME_YEAR_RANGE, 0LL },
	{ "Jan  5 09:34:43 0001 GMT", CERTTIME_OK, -62135216717LL },
	/* U+017F LONG S title-cases to 'S' */
	{ "\305\277ep  5 09:34:43 2018 GMT", CERTTIME_OK, 1536140083LL },
	/* Arabic-Indic 1 5: %d's first digit must be ASCII */
	{ "Jan \331\241\331\245 09:34:43 2018 GMT", CERTTIME_NO_MATCH, 0LL },
	/* ASCII 1, Arabic-Indic 5 */
	{ "Jan 1\331\245 09:34:43 2018 GMT", CERTTIME_OK, 1516008883LL },
	/* NO-BREAK SPACE and EM SPACE are \s */
	{ "Jan\302\2405 09:34:43 2018 GMT", CERTTIME_OK, 1515144883LL },
	{ "Jan\342\200\2035 09:34:43 2018 GMT", CERTTIME_OK, 1515144883LL },
	{ "Jan 005 09:34:43 2018 GMT", CERTTIME_NO_MATCH, 0LL },
	{ "", CERTTIME_BAD_MONTH, 0LL },
	{ "Ja", CERTTIME_BAD_MONTH, 0LL },
	{ "Jan", CERTTIME_NO_MATCH, 0LL },
	{ "Jan ", CERTTIME_NO_MATCH, 0LL },
	{ "Feb 29 12:00:00 2019 GMT", CERTTIME_OK, 1551441600LL },
	{ "Jun  1 00:00:00 1970 GMT", CERTTIME_OK, 13046400LL },
	{ "Dec 31 23:59:59 1969 GMT", CERTTIME_OK, -1LL },
	{ "Jan  5 09:34:43 2018 GMT\012", CERTTIME_UNCONVERTED, 0LL },
	{ "Jan  5 09:34:43 2018 GMTX", CERTTIME_UNCONVERTED, 0LL },
	{ "Jan  5 09:34: 43 2018 GMT", CERTTIME_NO_MATCH, 0LL },
	{ "Jan 1  09:34:43 2018 GMT", CERTTIME_OK, 1514799283LL },
	/* FULLWIDTH digits in %Y */
	{ "Jan  5 09:34:43 \357\274\222\357\274\220\357\274\221\357\274\230 GMT",
	    CERTTIME_OK, 1515144883LL },
	/* invalid UTF-8 */
	{ "J\377n  5 09:34:43 2018 GMT", CERTTIME_BAD_MONTH, 0LL },
};

Test(certtime, openssl_form_matches_python)
{
	size_t i;

	for (i = 0; i < sizeof(ossl_cases) / sizeof(ossl_cases[0]); i++) {
		const struct ossl_case *c = &ossl_cases[i];
		int64_t secs = 0;
		enum certtime_status st;

		st = certtime_parse_openssl(c->in, &secs);
		cr_expect_eq(st, c->st, "case %zu '%s': status %d, want %d", i,
		    c->in, st, c->st);
		if (st == CERTTIME_OK && c->st == CERTTIME_OK)
			cr_expect_eq(secs, c->secs,
			    "case %zu '%s': %lld, want "
			    "%lld",
			    i, c->in, (long long)secs, c->secs);
	}
}

Test(certtime, long_whitespace_runs)
{
	char buf[512];
	int64_t secs;

	/* re's \s+ has no upper bound. */
	memset(buf, ' ', sizeof(buf));
	memcpy(buf, "Jan", 3);
	strcpy(buf + 300, "5 09:34:43 2018 GMT");
	cr_assert_eq(certtime_parse_openssl(buf, &secs), CERTTIME_OK);
	cr_assert_eq(secs, 1515144883LL);
}

struct rfc_case {
	const char *in;
	int ok;
	long long usec;
};

static const struct rfc_case rfc_cases[] = {
	{ "2026-11-27T03:12:45.123456Z", 1, 1795749165123456LL },
	{ "2026-11-27T03:12:45Z", 1, 1795749165000000LL },
	{ "2026-11-27t03:12:45z", 1, 1795749165000000LL },
	{ "2026-11-27 03:12:45Z", 1, 1795749165000000LL },
	{ "2026-11-27T04:12:45+01:00", 1, 1795749165000000LL },
	{ "2026-11-27T02:42:45-00:30", 1, 1795749165000000LL },
	{ "2026-11-27T03:12:45.5Z", 1, 1795749165500000LL },
	{ "2026-11-27T03:12:45.1234569Z", 1, 1795749165123456LL },
	{ "1970-01-01T00:00:00Z", 1, 0LL },
	{ "1969-12-31T23:59:59Z", 1, -1000000LL },
	{ "2024-02-29T00:00:00Z", 1, 1709164800000000LL },
	{ "2023-02-29T00:00:00Z", 0, 0 },
	{ "2026-13-01T00:00:00Z", 0, 0 },
	{ "2026-11-27T24:00:00Z", 0, 0 },
	{ "2026-11-27T03:12:45", 0, 0 },
	{ "2026-11-27T03:12:45.Z", 0, 0 },
	{ "2026-11-27T03:12:45Z ", 0, 0 },
	{ "2026-11-27", 0, 0 },
	{ "", 0, 0 },
	{ "Jan  5 09:34:43 2018 GMT", 0, 0 },
};

Test(certtime, rfc3339)
{
	size_t i;

	for (i = 0; i < sizeof(rfc_cases) / sizeof(rfc_cases[0]); i++) {
		const struct rfc_case *c = &rfc_cases[i];
		int64_t us = 0;
		int rc = certtime_parse_rfc3339(c->in, &us);

		cr_expect_eq(rc == 0, c->ok, "case '%s': rc %d", c->in, rc);
		if (rc == 0 && c->ok)
			cr_expect_eq(us, c->usec, "case '%s': %lld, want %lld",
			    c->in, (long long)us, c->usec);
	}
}

Test(certtime, parse_any_accepts_both_forms)
{
	int64_t a;
	int64_t b;

	cr_assert_eq(certtime_parse_any("2018-01-05T09:34:43Z", &a), 0);
	cr_assert_eq(certtime_parse_any("Jan  5 09:34:43 2018 GMT", &b), 0);
	cr_assert_eq(a, b);
	cr_assert_eq(certtime_parse_any("yesterday", &a), -1);
}

Test(certtime, format_round_trip)
{
	static const char *const times[] = {
		"1970-01-01T00:00:00.000000Z",
		"2026-11-27T03:12:45.123456Z",
		"2000-02-29T23:59:59.999999Z",
		"1969-12-31T23:59:59.500000Z",
		"9999-12-31T23:59:59.000000Z",
	};
	char buf[CERTTIME_BUFSZ];
	int64_t us;
	size_t i;

	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		cr_assert_eq(certtime_parse_rfc3339(times[i], &us), 0);
		cr_expect_str_eq(certtime_format(us, 1, buf), times[i]);
	}
	cr_expect_str_eq(certtime_format(0, 0, buf), "1970-01-01T00:00:00Z");
}

Test(certtime, durations)
{
	static const struct {
		int64_t us;
		const char *want;
	} cases[] = {
		{ 250000, "0.250s" },
		{ 42000000, "42s" },
		{ 300000000, "5m" },
		{ 423000000, "7m 3s" },
		{ 3600000000LL, "1h" },
		{ 18720000000LL, "5h 12m" },
		{ 86400000000LL, "1d" },
		{ 273600000000LL, "3d 4h" },
		{ -86400000000LL, "1d" },
	};
	char buf[CERTTIME_BUFSZ];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_str_eq(certtime_format_duration(cases[i].us, buf),
		    cases[i].want, "case %zu", i);
}
