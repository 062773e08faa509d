/* test_aggregate.c: grouping, totals, EOF classes, histogram spikes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../analyzer/aggregate.h"

/* Build a failure line from a few fields and fold it into a. */
static void
add(struct agg *a, const char *ts, const char *type, const char *host,
    int pid, const char *extra_tlsdiag)
{
	char line[2048];
	struct record r;

	snprintf(line, sizeof(line), "{\"@timestamp\":\"%s\",\"log.level\":"
	    "\"error\",\"message\":\"m\",\"event\":{\"action\":\"tls_failure\"},"
	    "\"error\":{\"type\":\"%s\"},\"tlsdiag\":{\"schema\":1%s%s},"
	    "\"tls\":{\"client\":{\"server_name\":\"h.example\"}},"
	    "\"destination\":{\"ip\":\"192.0.2.1\",\"port\":443},"
	    "\"process\":{\"pid\":%d,\"name\":\"prog\"},"
	    "\"host\":{\"hostname\":\"%s\"}}", ts, type,
	    extra_tlsdiag[0] ? "," : "", extra_tlsdiag, pid, host);
	cr_assert_eq(record_parse(line, strlen(line), &r), RECORD_OK, "%s",
	    line);
	cr_assert_eq(agg_add(a, &r), 0);
	record_free(&r);
}

static uint64_t
sum_counts(const struct strmap *m)
{
	const struct agg_stat *st;
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < m->cap; i++) {
		if (m->slots[i] == NULL)
			continue;
		st = m->slots[i]->val;
		n += st->count;
	}
	return n;
}

Test(aggregate, totals_add_up_across_groups)
{
	static struct agg a;
	int i;

	agg_init(&a);
	for (i = 0; i < 50; i++)
		add(&a, "2026-11-27T03:00:00Z", i % 3 ? "SSLEOFError" :
		    "SSLCertVerificationError", i % 2 ? "web-1" : "web-2",
		    100 + i % 5, i % 4 ? "\"reason\":\"R1\"" : "\"reason\":\"R2\"");
	cr_expect_eq(a.failures, 50);
	cr_expect_eq(sum_counts(&a.types), 50);
	cr_expect_eq(sum_counts(&a.groups), 50);
	cr_expect_eq(a.hosts.count, 2);
	cr_expect_eq(a.procs.count, 10, "5 pids on each of 2 hosts");
	cr_expect_eq(a.types.count, 2);
	agg_free(&a);
}

Test(aggregate, sort_is_deterministic)
{
	static struct agg a;
	struct strmap_ent **e;

	agg_init(&a);
	/* Equal counts and times: ties break on the key. */
	add(&a, "2026-11-27T03:00:00Z", "TypeB", "h", 1, "");
	add(&a, "2026-11-27T03:00:00Z", "TypeA", "h", 1, "");
	add(&a, "2026-11-27T02:00:00Z", "TypeC", "h", 1, "");
	add(&a, "2026-11-27T04:00:00Z", "TypeD", "h", 1, "");
	add(&a, "2026-11-27T04:00:01Z", "TypeD", "h", 1, "");
	e = agg_sorted(&a.types);
	cr_assert_not_null(e);
	cr_expect_str_eq(e[0]->key, "TypeD", "highest count first");
	cr_expect_str_eq(e[1]->key, "TypeC", "then earliest first seen");
	cr_expect_str_eq(e[2]->key, "TypeA", "then key order");
	cr_expect_str_eq(e[3]->key, "TypeB");
	free(e);
	agg_free(&a);
}

Test(aggregate, eof_kinds)
{
	static const struct {
		const char *type;
		const char *td;
		int want;
	} cases[] = {
		{ "SSLEOFError", "\"phase\":\"handshake\"", AGG_EOF_HANDSHAKE },
		{ "SSLEOFError", "\"phase\":\"shutdown\"",
		    AGG_EOF_NO_CLOSE_NOTIFY },
		{ "SSLEOFError", "\"phase\":\"data\",\"call\":\"SSL_read_ex\","
		    "\"bytes\":{\"read\":10,\"written\":5}",
		    AGG_EOF_NO_CLOSE_NOTIFY },
		{ "SSLEOFError", "\"phase\":\"data\",\"call\":\"SSL_read_ex\","
		    "\"bytes\":{\"read\":0,\"written\":5}", AGG_EOF_MID_STREAM },
		{ "SSLEOFError", "\"phase\":\"data\",\"call\":\"SSL_write\","
		    "\"bytes\":{\"read\":10,\"written\":5}", AGG_EOF_MID_STREAM },
		{ "SSLEOFError", "\"phase\":\"data\",\"call\":\"SSL_write\","
		    "\"shutdown\":{\"sent\":true}", AGG_EOF_NO_CLOSE_NOTIFY },
		{ "SSLEOFError", "\"phase\":\"data\"", AGG_EOF_UNKNOWN },
		{ "SSLEOFError", "", AGG_EOF_UNKNOWN },
		{ "SSLSyscallError", "\"errno\":0,\"phase\":\"handshake\"",
		    AGG_EOF_HANDSHAKE },
		{ "SSLSyscallError", "\"errno\":104,\"phase\":\"handshake\"", -1 },
		{ "SSLError", "\"reason\":\"UNEXPECTED_EOF_WHILE_READING\","
		    "\"phase\":\"handshake\"", AGG_EOF_HANDSHAKE },
		{ "ConnectionResetError", "\"phase\":\"data\"", -1 },
		{ "SSLCertVerificationError", "\"phase\":\"handshake\"", -1 },
	};
	char line[1024];
	struct record r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line), "{\"@timestamp\":"
		    "\"2026-01-01T00:00:00Z\",\"event\":{\"action\":"
		    "\"tls_failure\"},\"error\":{\"type\":\"%s\"},\"tlsdiag\":"
		    "{\"schema\":1%s%s}}", cases[i].type,
		    cases[i].td[0] ? "," : "", cases[i].td);
		cr_assert_eq(record_parse(line, strlen(line), &r), RECORD_OK);
		cr_expect_eq(agg_eof_kind(&r), cases[i].want, "case %zu: %d",
		    i, agg_eof_kind(&r));
		record_free(&r);
	}
}

Test(aggregate, histogram_finds_spike_start)
{
	static struct agg a;
	struct agg_hist h;
	char ts[64];
	int m;
	int i;

	agg_init(&a);
	/* One failure a minute for 30 minutes, then 20 in each of the
	 * minutes 30 and 31. */
	for (m = 0; m < 30; m++) {
		snprintf(ts, sizeof(ts), "2026-11-27T03:%02d:10Z", m);
		add(&a, ts, "SSLEOFError", "h", 1, "");
	}
	for (i = 0; i < 40; i++) {
		snprintf(ts, sizeof(ts), "2026-11-27T03:%02d:%02dZ", 30 + i / 20,
		    17 + i % 20);
		add(&a, ts, "SSLEOFError", "h", 1, "");
	}
	cr_assert_eq(agg_histogram(&a, 48, &h), 0);
	cr_expect_eq(h.bucket_us, 60000000LL, "32 minutes fit 1m buckets");
	cr_expect_eq(h.n, 32);
	cr_expect_eq(h.peak, 20);
	cr_expect_eq(h.baseline, 1);
	cr_assert(h.has_spike);
	cr_expect_eq(h.spike_bucket, 30);
	cr_expect_eq(h.spike_first, 1795750217000000LL, "03:30:17");
	free(h.counts);
	agg_free(&a);
}

Test(aggregate, histogram_flat_has_no_spike)
{
	static struct agg a;
	struct agg_hist h;
	char ts[64];
	int m;

	agg_init(&a);
	for (m = 0; m < 20; m++) {
		snprintf(ts, sizeof(ts), "2026-11-27T0%d:%02d:00Z", m / 6,
		    m % 6 * 10);
		add(&a, ts, "SSLEOFError", "h", 1, "");
	}
	cr_assert_eq(agg_histogram(&a, 48, &h), 0);
	cr_expect_eq(h.bucket_us, 300000000LL, "3h10m fits 39 5m buckets");
	cr_expect_eq(h.n, 39);
	cr_expect(!h.has_spike);
	free(h.counts);
	agg_free(&a);
}

Test(aggregate, skipped_samples_are_capped)
{
	static struct agg a;
	int i;

	agg_init(&a);
	for (i = 0; i < 20; i++)
		agg_skip(&a, "x.log", (uint64_t)i + 1, RECORD_BAD_JSON, "{bad",
		    4);
	agg_skip(&a, "y.log", 99, RECORD_NEWER_SCHEMA, NULL, 0);
	cr_expect_eq(a.nskipped, 21);
	cr_expect_eq(a.skipped[RECORD_BAD_JSON], 20);
	cr_expect_eq(a.skipped[RECORD_NEWER_SCHEMA], 1);
	cr_expect_eq(a.nsamples, AGG_MAX_SAMPLES);
	cr_expect_eq(a.samples[0].line, 1);
	cr_expect_str_eq(a.samples[0].excerpt, "{bad");
	agg_free(&a);
}
