/* test_aggregate.c: grouping, totals, EOF classes, histogram spikes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../analyzer/aggregate.h"
#include "../../analyzer/render_json.h"
#include "../../analyzer/view.h"

/* Build a failure line from a few fields and fold it into a. */
static void
add(struct agg *a, const char *ts, const char *type, const char *host, int pid,
    const char *extra_tlsdiag)
{
	char line[2048];
	struct record r;

	snprintf(line, sizeof(line),
	    "{\"@timestamp\":\"%s\",\"log.level\":"
	    "\"error\",\"message\":\"m\",\"event\":{\"action\":\"tls_failure\"},"
	    "\"error\":{\"type\":\"%s\"},\"tlsdiag\":{\"schema\":1%s%s},"
	    "\"tls\":{\"client\":{\"server_name\":\"h.example\"}},"
	    "\"destination\":{\"ip\":\"192.0.2.1\",\"port\":443},"
	    "\"process\":{\"pid\":%d,\"name\":\"prog\"},"
	    "\"host\":{\"hostname\":\"%s\"}}",
	    ts, type, extra_tlsdiag[0] ? "," : "", extra_tlsdiag, pid, host);
	cr_assert_eq(record_parse(line, strlen(line), &r), RECORD_OK, "%s",
	    line);
	cr_assert_eq(agg_add(a, &r), 0);
	record_free(&r);
}

static uint64_t
sum_counts(const struct strmap *m)
{
	const struct agg_stat *st;
	struct strmap_iter it;
	struct strmap_ent *e;
	uint64_t n = 0;

	strmap_iter_init(&it, m);
	while ((e = strmap_iter_next(&it)) != NULL) {
		st = e->val;
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
		add(&a, "2026-11-27T03:00:00Z",
		    i % 3 ? "SSLEOFError" : "SSLCertVerificationError",
		    i % 2 ? "web-1" : "web-2", 100 + i % 5,
		    i % 4 ? "\"reason\":\"R1\"" : "\"reason\":\"R2\"");
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
		{ "SSLEOFError",
		    "\"phase\":\"data\",\"call\":\"SSL_read_ex\","
		    "\"bytes\":{\"read\":10,\"written\":5}",
		    AGG_EOF_NO_CLOSE_NOTIFY },
		{ "SSLEOFError",
		    "\"phase\":\"data\",\"call\":\"SSL_read_ex\","
		    "\"bytes\":{\"read\":0,\"written\":5}",
		    AGG_EOF_MID_STREAM },
		{ "SSLEOFError",
		    "\"phase\":\"data\",\"call\":\"SSL_write\","
		    "\"bytes\":{\"read\":10,\"written\":5}",
		    AGG_EOF_MID_STREAM },
		{ "SSLEOFError",
		    "\"phase\":\"data\",\"call\":\"SSL_write\","
		    "\"shutdown\":{\"sent\":true}",
		    AGG_EOF_NO_CLOSE_NOTIFY },
		{ "SSLEOFError", "\"phase\":\"data\"", AGG_EOF_UNKNOWN },
		{ "SSLEOFError", "", AGG_EOF_UNKNOWN },
		{ "SSLSyscallError", "\"errno\":0,\"phase\":\"handshake\"",
		    AGG_EOF_HANDSHAKE },
		{ "SSLSyscallError", "\"errno\":104,\"phase\":\"handshake\"",
		    -1 },
		{ "SSLError",
		    "\"reason\":\"UNEXPECTED_EOF_WHILE_READING\","
		    "\"phase\":\"handshake\"",
		    AGG_EOF_HANDSHAKE },
		{ "ConnectionResetError", "\"phase\":\"data\"", -1 },
		{ "SSLCertVerificationError", "\"phase\":\"handshake\"", -1 },
	};
	char line[1024];
	struct record r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line),
		    "{\"@timestamp\":"
		    "\"2026-01-01T00:00:00Z\",\"event\":{\"action\":"
		    "\"tls_failure\"},\"error\":{\"type\":\"%s\"},\"tlsdiag\":"
		    "{\"schema\":1%s%s}}",
		    cases[i].type, cases[i].td[0] ? "," : "", cases[i].td);
		cr_assert_eq(record_parse(line, strlen(line), &r), RECORD_OK);
		cr_expect_eq(agg_eof_kind(&r), cases[i].want, "case %zu: %d", i,
		    agg_eof_kind(&r));
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
		snprintf(ts, sizeof(ts), "2026-11-27T03:%02d:%02dZ",
		    30 + i / 20, 17 + i % 20);
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

/* Fold any record line into a. */
static void
add_line(struct agg *a, const char *line)
{
	struct record r;

	cr_assert_eq(record_parse(line, strlen(line), &r), RECORD_OK, "%s",
	    line);
	cr_assert_eq(agg_add(a, &r), 0);
	record_free(&r);
}

/* The only call site's entry. */
static const struct agg_stack *
only_stack(const struct agg *a)
{
	struct strmap_iter it;
	struct strmap_ent *e;

	cr_assert_eq(a->stacks.count, 1);
	strmap_iter_init(&it, &a->stacks);
	e = strmap_iter_next(&it);
	return e != NULL ? e->val : NULL;
}

Test(aggregate, stack_counts_every_type)
{
	static const char *const orders[2][2] = {
		{ "SSLEOFError", "SSLCertVerificationError" },
		{ "SSLCertVerificationError", "SSLEOFError" },
	};
	static struct agg a;
	const struct agg_stack *s;
	int k;

	/* curl's SSL_connect: one site, two outcomes, in either order. */
	for (k = 0; k < 2; k++) {
		agg_init(&a);
		add(&a, "2026-11-27T03:00:00Z", orders[k][0], "h", 1,
		    "\"stack_id\":\"c0ffee\"");
		add(&a, "2026-11-27T03:00:01Z", orders[k][1], "h", 1,
		    "\"stack_id\":\"c0ffee\"");
		s = only_stack(&a);
		cr_assert_eq(s->ntypes, 2);
		cr_expect_str_eq(s->types[0].type, "SSLCertVerificationError",
		    "order %d: ties sort by name", k);
		cr_expect_eq(s->types[0].count, 1);
		cr_expect_str_eq(s->types[1].type, "SSLEOFError");
		cr_expect_eq(s->types[1].count, 1);
		cr_expect_str_eq(s->type, orders[k][0], "the first one seen");
		/* Two more EOFs: the more frequent type comes first. */
		add(&a, "2026-11-27T03:00:02Z", "SSLEOFError", "h", 1,
		    "\"stack_id\":\"c0ffee\"");
		add(&a, "2026-11-27T03:00:03Z", "SSLEOFError", "h", 1,
		    "\"stack_id\":\"c0ffee\"");
		cr_expect_str_eq(s->types[0].type, "SSLEOFError");
		cr_expect_eq(s->types[0].count, 3);
		cr_expect_eq(s->types[1].count, 1);
		cr_expect_eq(s->st.count, 4);
		cr_expect_eq(s->other_types, 0);
		agg_free(&a);
	}
}

Test(aggregate, stack_types_are_capped)
{
	static struct agg a;
	const struct agg_stack *s;
	uint64_t sum = 0;
	char type[32];
	size_t i;
	int k;

	agg_init(&a);
	/* 12 types, type k failing k + 1 times. */
	for (k = 0; k < 12; k++) {
		snprintf(type, sizeof(type), "Type%02d", k);
		for (i = 0; i <= (size_t)k; i++)
			add(&a, "2026-11-27T03:00:00Z", type, "h", 1,
			    "\"stack_id\":\"s\"");
	}
	s = only_stack(&a);
	cr_expect_eq(s->ntypes, AGG_STACK_TYPES);
	/* The first 8 seen are kept, most frequent first. */
	cr_expect_str_eq(s->types[0].type, "Type07");
	cr_expect_str_eq(s->types[AGG_STACK_TYPES - 1].type, "Type00");
	for (i = 0; i < s->ntypes; i++)
		sum += s->types[i].count;
	cr_expect_eq(s->other_types, 9 + 10 + 11 + 12);
	cr_expect_eq(sum + s->other_types, s->st.count);
	cr_expect_eq(s->st.count, 78);
	agg_free(&a);
}

#define EVT(ts, action, pid, name)                                                 \
	"{\"@timestamp\":\"" ts "\","                                              \
	"\"log.level\":\"info\",\"message\":\"m\",\"event\":{\"action\":\"" action \
	"\"},\"process\":{\"pid\":" #pid ",\"name\":\"" name "\"},"                \
	"\"host\":{\"hostname\":\"h\"},"
#define SUPP(pid, n)                                                           \
	EVT("2026-11-27T03:00:00Z", "tlsdiag_suppressed", pid, "curl")         \
	"\"tlsdiag\":{\"schema\":1,\"suppressed\":" #n "}}"
#define EXIT(pid, cov)                                                         \
	EVT("2026-11-27T03:00:09Z", "tlsdiag_exit", pid, "curl")               \
	"\"tlsdiag\":{\"schema\":1,\"coverage\":{" cov "}}}"

Test(aggregate, suppressed_counted_once_per_process)
{
	static const struct {
		const char *lines[4];
		uint64_t want;
	} cases[] = {
		/* Only tlsdiag_suppressed records: their sum. */
		{ { SUPP(1, 5), SUPP(1, 2) }, 7 },
		/* The exit record counts them all, also the one at exit. */
		{ { SUPP(1, 5), SUPP(1, 2), EXIT(1, "\"suppressed\":7") }, 7 },
		{ { EXIT(1, "\"suppressed\":7"), SUPP(1, 5), SUPP(1, 2) }, 7 },
		{ { SUPP(1, 5), EXIT(1, "\"suppressed\":7"), SUPP(1, 2) }, 7 },
		/* The exit record is preferred even when it says less. */
		{ { SUPP(1, 3), EXIT(1, "\"suppressed\":0") }, 0 },
		/* Per process: pid 2 has no exit record. */
		{ { SUPP(1, 5), EXIT(1, "\"suppressed\":6"), SUPP(2, 4) }, 10 },
		/* An exit record without the count leaves the records' sum. */
		{ { SUPP(1, 5), EXIT(1, "\"tls_seen\":true") }, 5 },
		/* Without a pid nothing can be matched: each counts. */
		{ { "{\"@timestamp\":\"2026-11-27T03:00:00Z\",\"event\":{"
		    "\"action\":\"tlsdiag_suppressed\"},\"tlsdiag\":{"
		    "\"schema\":1,\"suppressed\":3}}",
		      "{\"@timestamp\":\"2026-11-27T03:00:01Z\",\"event\":{"
		      "\"action\":\"tlsdiag_exit\"},\"tlsdiag\":{\"schema\":1,"
		      "\"coverage\":{\"suppressed\":3}}}" },
		    6 },
	};
	static struct agg a;
	size_t i;
	size_t j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		agg_init(&a);
		for (j = 0; j < 4 && cases[i].lines[j] != NULL; j++)
			add_line(&a, cases[i].lines[j]);
		cr_expect_eq(a.cov.suppressed, cases[i].want, "case %zu: %llu",
		    i, (unsigned long long)a.cov.suppressed);
		agg_free(&a);
	}
}

/* The note of kind for program, or NULL. */
static const struct agg_note *
find_note(const struct agg *a, int kind, const char *program)
{
	const struct agg_note *n;
	struct strmap_iter it;
	struct strmap_ent *e;

	strmap_iter_init(&it, &a->notes);
	while ((e = strmap_iter_next(&it)) != NULL) {
		n = e->val;
		if (n->kind == kind && strcmp(n->program, program) == 0)
			return n;
	}
	return NULL;
}

#define NOTE_EXIT(pid, name, cov)                                              \
	EVT("2026-11-27T03:00:00Z", "tlsdiag_exit", pid, name)                 \
	"\"tlsdiag\":{\"schema\":1,\"coverage\":{" cov "}}}"

Test(aggregate, exit_records_become_notes)
{
	static struct agg a;
	const struct agg_note *n;
	char buf[256];

	agg_init(&a);
	add_line(&a,
	    NOTE_EXIT(1, "node",
		"\"tls_seen\":false,"
		"\"static_openssl\":true,\"libraries\":[],\"other_tls\":[]"));
	add_line(&a,
	    NOTE_EXIT(2, "node",
		"\"tls_seen\":false,"
		"\"static_openssl\":true,\"libraries\":[],\"other_tls\":[]"));
	add_line(&a,
	    NOTE_EXIT(3, "git-remote-http",
		"\"tls_seen\":false,"
		"\"static_openssl\":false,\"libraries\":[],"
		"\"other_tls\":[\"/usr/lib/libgnutls.so.30\"]"));
	add_line(&a,
	    NOTE_EXIT(4, "curl",
		"\"tls_seen\":true,"
		"\"libraries\":[{\"path\":\"/lib/libssl.so.3\",\"version\":\"3\"}],"
		"\"other_tls\":[\"libgnutls.so.30\"]"));
	add_line(&a,
	    NOTE_EXIT(5, "python3.11",
		"\"tls_seen\":false,"
		"\"libraries\":[{\"path\":\"/usr/lib/x86_64-linux-gnu/"
		"libssl.so.3\"}],\"other_tls\":[]"));
	add_line(&a,
	    NOTE_EXIT(6, "dl",
		"\"tls_seen\":true,"
		"\"internal_callers_only\":true,\"libraries\":[{\"path\":"
		"\"/lib/libssl.so.3\",\"version\":\"3\"}]"));
	/* Nothing unseen: no note. */
	add_line(&a,
	    NOTE_EXIT(7, "ok",
		"\"tls_seen\":true,"
		"\"static_openssl\":false,\"internal_callers_only\":false,"
		"\"libraries\":[{\"path\":\"/lib/libssl.so.3\",\"version\":\"3\"}],"
		"\"other_tls\":[]"));
	cr_expect_eq(a.notes.count, 5);
	cr_expect_eq(a.cov.static_openssl, 2);
	cr_expect_eq(a.cov.other_tls, 2);
	cr_expect_eq(a.cov.private_libssl, 1);
	cr_expect_eq(a.cov.internal_only, 1);

	n = find_note(&a, AGG_NOTE_STATIC, "node");
	cr_assert_not_null(n);
	cr_expect_eq(n->st.count, 2);
	view_note_describe(n->kind, n->program, n->detail, n->st.count, buf,
	    sizeof(buf));
	cr_expect_str_eq(buf,
	    "node carries its own OpenSSL (statically "
	    "linked): nothing could be hooked (2 processes)");
	n = find_note(&a, AGG_NOTE_OTHER_TLS, "git-remote-http");
	cr_assert_not_null(n);
	view_note_describe(n->kind, n->program, n->detail, n->st.count, buf,
	    sizeof(buf));
	cr_expect_str_eq(buf,
	    "git-remote-http uses libgnutls.so.30, which "
	    "tlsdiag does not cover");
	n = find_note(&a, AGG_NOTE_ALSO_TLS, "curl");
	cr_assert_not_null(n, "GnuTLS besides a libssl that was reached");
	cr_expect_str_eq(n->detail, "libgnutls.so.30");
	n = find_note(&a, AGG_NOTE_PRIVATE, "python3.11");
	cr_assert_not_null(n);
	view_note_describe(n->kind, n->program, n->detail, n->st.count, buf,
	    sizeof(buf));
	cr_expect_str_eq(buf,
	    "python3.11 loaded libssl.so.3 privately but no "
	    "TLS call reached tlsdiag");
	cr_expect_not_null(find_note(&a, AGG_NOTE_INTERNAL, "dl"));
	cr_expect_null(find_note(&a, AGG_NOTE_PRIVATE, "curl"),
	    "bound libraries are not private ones");
	agg_free(&a);
}

/* A libssl linked in and never called, beside GnuTLS: no TLS call made. */
Test(aggregate, linked_but_unused_libssl)
{
	static struct agg a;
	const struct agg_note *n;
	char buf[256];

	agg_init(&a);
	add_line(&a,
	    NOTE_EXIT(1, "curl",
		"\"tls_seen\":false,"
		"\"libraries\":[{\"path\":\"/lib/libssl.so.3\",\"bound\":false,"
		"\"scope\":\"global\"}],\"other_tls\":[\"libgnutls.so.30\"]"));
	n = find_note(&a, AGG_NOTE_NO_CALL, "curl");
	cr_assert_not_null(n);
	view_note_describe(n->kind, n->program, n->detail, n->st.count, buf,
	    sizeof(buf));
	cr_expect_str_eq(buf, "curl links libssl.so.3 but made no TLS call");
	cr_expect_not_null(find_note(&a, AGG_NOTE_ALSO_TLS, "curl"),
	    "GnuTLS is 'also' when libssl is linked");
	cr_expect_null(find_note(&a, AGG_NOTE_OTHER_TLS, "curl"));
	cr_expect_null(find_note(&a, AGG_NOTE_PRIVATE, "curl"));
	cr_expect_eq(a.cov.private_libssl, 0);
	agg_free(&a);
}

Test(aggregate, followups_and_age_in_seconds)
{
	static struct agg a;
	const struct agg_eof *e = &a.eof[AGG_EOF_HANDSHAKE];

	agg_init(&a);
	add(&a, "2026-11-27T03:00:00Z", "SSLEOFError", "h", 1,
	    "\"phase\":\"handshake\",\"age_s\":0");
	add(&a, "2026-11-27T03:00:01Z", "SSLEOFError", "h", 1,
	    "\"phase\":\"handshake\",\"age_s\":1");
	add(&a, "2026-11-27T03:00:02Z", "SSLEOFError", "h", 1,
	    "\"phase\":\"handshake\",\"age_s\":5");
	/* The field's old name is not read: its unit was milliseconds. */
	add(&a, "2026-11-27T03:00:03Z", "SSLEOFError", "h", 1,
	    "\"phase\":\"handshake\",\"age_ms\":9000");
	cr_expect_eq(e->count, 4);
	cr_expect_eq(e->nage, 3);
	cr_expect_eq(e->sum_age, 6);
	cr_expect_eq(e->max_age, 5);
	add_line(&a, EXIT(1, "\"followups\":4"));
	add_line(&a, EXIT(2, "\"followups\":3"));
	cr_expect_eq(a.cov.followups, 7);
	agg_free(&a);
}

Test(aggregate, frames_need_no_symbol_names)
{
	static struct agg a;
	const struct agg_stack *s;

	agg_init(&a);
	/* The shim's frames: module, build_id, offset; no stack_id here. */
	add(&a, "2026-11-27T03:00:00Z", "SSLEOFError", "h", 1,
	    "\"backtrace\":[{\"module\":\"/usr/lib/libcurl.so.4\","
	    "\"build_id\":\"ab12\",\"offset\":4660},{\"module\":"
	    "\"/usr/bin/curl\",\"build_id\":\"cd34\",\"offset\":291}]");
	add(&a, "2026-11-27T03:00:01Z", "SSLEOFError", "h", 1,
	    "\"backtrace\":[{\"module\":\"/usr/lib/libcurl.so.4\","
	    "\"build_id\":\"ab12\",\"offset\":4660},{\"module\":"
	    "\"/usr/bin/curl\",\"build_id\":\"cd34\",\"offset\":291}]");
	s = only_stack(&a);
	cr_expect_eq(s->st.count, 2, "same frames, same call site");
	cr_assert_eq(s->fr.nframes, 2);
	cr_expect_str_eq(s->fr.frames[0].module, "/usr/lib/libcurl.so.4");
	cr_expect_str_eq(s->fr.frames[0].build_id, "ab12");
	cr_expect_eq(s->fr.frames[0].offset, 4660);
	cr_expect_null(s->fr.frames[0].symbol);
	cr_expect_eq(s->fr.frames[1].offset, 291);
	agg_free(&a);
	/* An older log's names are kept as the fallback. */
	agg_init(&a);
	add(&a, "2026-11-27T03:00:00Z", "SSLEOFError", "h", 1,
	    "\"stack_id\":\"x\",\"backtrace\":[{\"module\":\"/m\","
	    "\"offset\":16,\"symbol\":\"f\",\"symbol_offset\":3}]");
	s = only_stack(&a);
	cr_expect_str_eq(s->fr.frames[0].symbol, "f");
	agg_free(&a);
}

/* The address the one group of a failure with this peer is keyed by. */
static void
expect_group_addr(const char *peer, const char *role, const char *want)
{
	static struct agg a;
	struct strmap_iter it;
	struct strmap_ent *e;
	const struct agg_group *g;
	char line[1024];
	struct record r;

	snprintf(line, sizeof(line),
	    "{\"@timestamp\":\"2026-11-27T03:00:00Z\",\"event\":"
	    "{\"action\":\"tls_failure\"},\"error\":{\"type\":\"T\"},"
	    "\"tlsdiag\":{\"schema\":1,\"role\":\"%s\"},"
	    "\"destination\":{%s},\"source\":{%s},"
	    "\"process\":{\"pid\":-12,\"name\":\"p\"}}",
	    role, peer, peer);
	agg_init(&a);
	cr_assert_eq(record_parse(line, strlen(line), &r), RECORD_OK, "%s",
	    line);
	cr_assert_eq(agg_add(&a, &r), 0);
	record_free(&r);
	strmap_iter_init(&it, &a.groups);
	e = strmap_iter_next(&it);
	cr_assert_not_null(e);
	g = e->val;
	cr_expect_str_eq(g->addr, want, "peer %s, role %s", peer, role);
	strmap_iter_init(&it, &a.procs);
	e = strmap_iter_next(&it);
	cr_assert_not_null(e);
	cr_expect(memmem(e->key, e->klen, "\0-12\0", 5) != NULL,
	    "the pid in the process key");
	agg_free(&a);
}

Test(aggregate, group_addresses)
{
	expect_group_addr("\"ip\":\"192.0.2.1\",\"port\":443", "client",
	    "192.0.2.1:443");
	expect_group_addr("\"ip\":\"2001:db8::1\",\"port\":8443", "client",
	    "[2001:db8::1]:8443");
	expect_group_addr("\"ip\":\"192.0.2.1\"", "client", "192.0.2.1");
	expect_group_addr("\"ip\":\"192.0.2.7\",\"port\":50123", "server",
	    "192.0.2.7");
	expect_group_addr("\"port\":443", "client", "-");
	expect_group_addr("\"ip\":\"192.0.2.1\",\"port\":0", "client",
	    "192.0.2.1:0");
}

/* on_frame's record: every frame named, in order, "|"-separated. */
static void
note_frame(void *arg, const char *module, const char *build_id, int64_t offset)
{
	char *seen = arg;

	sprintf(seen + strlen(seen), "%s+%lld:%s|", module, (long long)offset,
	    build_id != NULL ? build_id : "-");
}

/*
 * The report's symbolizer starts loading a call site's modules as soon as
 * its frames are first kept: on_frame hears each frame with a module
 * then, once.
 */
Test(aggregate, new_frames_are_named)
{
	static struct agg a;
	static char seen[256];

	agg_init(&a);
	a.on_frame = note_frame;
	a.on_frame_arg = seen;
	add(&a, "2026-11-27T03:00:00Z", "SSLEOFError", "h", 1,
	    "\"backtrace\":[{\"module\":\"/usr/lib/libcurl.so.4\","
	    "\"build_id\":\"ab12\",\"offset\":4660},{\"offset\":7},"
	    "{\"module\":\"/usr/bin/curl\",\"offset\":291}]");
	cr_expect_str_eq(seen,
	    "/usr/lib/libcurl.so.4+4660:ab12|/usr/bin/curl+291:-|");
	/* The same call site again: its frames are kept already. */
	add(&a, "2026-11-27T03:00:01Z", "SSLEOFError", "h", 1,
	    "\"backtrace\":[{\"module\":\"/usr/lib/libcurl.so.4\","
	    "\"build_id\":\"ab12\",\"offset\":4660},{\"offset\":7},"
	    "{\"module\":\"/usr/bin/curl\",\"offset\":291}]");
	cr_expect_str_eq(seen,
	    "/usr/lib/libcurl.so.4+4660:ab12|/usr/bin/curl+291:-|");
	agg_free(&a);
}

/* Parse line and only learn its frames, as for a record --since skipped. */
static void
learn_only(struct agg *a, const char *ts, const char *extra_tlsdiag)
{
	char line[2048];
	struct record r;

	snprintf(line, sizeof(line),
	    "{\"@timestamp\":\"%s\",\"event\":"
	    "{\"action\":\"tls_failure\"},\"error\":{\"type\":\"SSLEOFError\"},"
	    "\"tlsdiag\":{\"schema\":1,%s}}",
	    ts, extra_tlsdiag);
	cr_assert_eq(record_parse(line, strlen(line), &r), RECORD_OK, "%s",
	    line);
	cr_assert_eq(agg_learn(a, &r), 0);
	record_free(&r);
}

#define BT_S1                                                                  \
	"\"stack_id\":\"s1\",\"backtrace\":[{\"module\":\"/m\","               \
	"\"offset\":16},{\"module\":\"/n\",\"offset\":32}]"
#define REPEAT_S1 "\"stack_id\":\"s1\",\"backtrace_repeat\":true"

Test(aggregate, repeated_stacks_take_frames_from_any_record)
{
	static struct agg a;
	const struct agg_stack *s;

	/* The record with the frames was filtered out (read, not counted). */
	agg_init(&a);
	learn_only(&a, "2026-11-27T01:00:00Z", BT_S1);
	add(&a, "2026-11-27T03:00:00Z", "SSLEOFError", "h", 1, REPEAT_S1);
	add(&a, "2026-11-27T03:00:01Z", "SSLEOFError", "h", 1, REPEAT_S1);
	agg_finish(&a);
	s = only_stack(&a);
	cr_expect_eq(s->st.count, 2);
	cr_assert_eq(s->fr.nframes, 2);
	cr_expect_str_eq(s->fr.frames[1].module, "/n");
	cr_expect_eq(s->fr.frames[1].offset, 32);
	agg_free(&a);

	/* Counted repeats first, the frames later (files in another order). */
	agg_init(&a);
	add(&a, "2026-11-27T03:00:00Z", "SSLEOFError", "h", 1, REPEAT_S1);
	learn_only(&a, "2026-11-27T01:00:00Z", BT_S1);
	s = only_stack(&a);
	cr_expect_null(s->fr.frames, "not before agg_finish");
	agg_finish(&a);
	cr_assert_eq(s->fr.nframes, 2);
	cr_expect_str_eq(s->fr.frames[0].module, "/m");
	agg_free(&a);

	/* Frames nowhere in the input: the stack is counted, without them. */
	agg_init(&a);
	add(&a, "2026-11-27T03:00:00Z", "SSLEOFError", "h", 1, REPEAT_S1);
	agg_finish(&a);
	s = only_stack(&a);
	cr_expect_eq(s->st.count, 1);
	cr_expect_eq(s->fr.nframes, 0);
	agg_free(&a);
}

Test(aggregate, counted_record_with_frames_fills_its_stack)
{
	static struct agg a;
	const struct agg_stack *s;

	agg_init(&a);
	add(&a, "2026-11-27T03:00:00Z", "SSLEOFError", "h", 1, REPEAT_S1);
	add(&a, "2026-11-27T03:00:01Z", "SSLEOFError", "h", 1, BT_S1);
	s = only_stack(&a);
	cr_expect_eq(s->st.count, 2);
	cr_assert_eq(s->fr.nframes, 2, "frames from the second record");
	agg_free(&a);
}

/*
 * --jobs: the input cut anywhere into runs read by workers and merged in
 * order (agg_merge) gives the report one pass gives, byte for byte: call
 * sites with more types than are kept, a certificate seen from several
 * peers (the first one is shown), processes in several runs (counted
 * once, their suppressed failures once), skipped-line samples.
 */
static void
merge_feed(struct agg *a, int i)
{
	static const char *const types[] = { "SSLError", "SSLEOFError",
		"SSLZeroReturnError", "SSLSyscallError",
		"SSLCertVerificationError", "SSLWantReadError",
		"SSLWantWriteError", "ConnectionResetError", "OSError",
		"TimeoutError", "BrokenPipeError", "SSLCertExpired" };
	char line[2048];
	struct record r;

	a->lines++;
	if (i % 17 == 5) {
		agg_skip(a, "log", (uint64_t)i + 1, RECORD_BAD_JSON, "junk", 4);
		return;
	}
	if (i % 13 == 7)
		snprintf(line, sizeof(line),
		    "{\"@timestamp\":\"2026-11-27T03:%02d:00Z\","
		    "\"event\":{\"action\":\"tlsdiag_suppressed\"},"
		    "\"tlsdiag\":{\"schema\":1,\"suppressed\":%d},"
		    "\"process\":{\"pid\":%d,\"name\":\"p%d\"},"
		    "\"host\":{\"hostname\":\"h\"}}",
		    i % 60, i, i % 3, i % 2);
	else if (i % 29 == 11)
		snprintf(line, sizeof(line),
		    "{\"@timestamp\":\"2026-11-27T03:%02d:00Z\","
		    "\"event\":{\"action\":\"tlsdiag_exit\"},"
		    "\"tlsdiag\":{\"schema\":1,\"coverage\":{\"tls_seen\":true,"
		    "\"suppressed\":%d,\"other_tls\":[\"libgnutls.so.30\"]}},"
		    "\"process\":{\"pid\":%d,\"name\":\"p%d\"},"
		    "\"host\":{\"hostname\":\"h\"}}",
		    i % 60, i / 2, i % 3, i % 2);
	else
		snprintf(line, sizeof(line),
		    "{\"@timestamp\":\"2026-11-27T03:%02d:%02dZ\","
		    "\"event\":{\"action\":\"tls_failure\"},"
		    "\"error\":{\"type\":\"%s\"},\"tlsdiag\":{\"schema\":1,"
		    "\"stack_id\":\"s%d\"%s},"
		    "\"tls\":{\"client\":{\"server_name\":\"peer%d\"},"
		    "\"server\":{\"hash\":{\"sha256\":\"c%d\"}}},"
		    "\"process\":{\"pid\":%d,\"name\":\"p%d\"},"
		    "\"host\":{\"hostname\":\"h\"}}",
		    (i * 7) % 60, i % 60, types[(i / 3) % 12], i % 2,
		    i % 5 == 0 ? ",\"backtrace\":[{\"module\":\"/m\","
				 "\"offset\":16}]" :
				 "",
		    i, i % 4, i % 3, i % 2);
	cr_assert_eq(record_parse(line, strlen(line), &r), RECORD_OK, "%s",
	    line);
	a->records++;
	cr_assert_eq(agg_learn(a, &r), 0);
	cr_assert_eq(agg_add(a, &r), 0);
	record_free(&r);
}

static char *
merge_render(struct agg *a)
{
	struct view v;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	memset(&v, 0, sizeof(v));
	v.agg = a;
	v.top = 0;
	v.now = 1795000000000000LL;
	cr_assert_eq(render_json(&v, f), 0);
	fclose(f);
	return buf;
}

Test(aggregate, merged_workers_report_as_one_pass)
{
	static struct agg one, w[3];
	static const int cuts[][2] = { { 1, 2 }, { 40, 41 }, { 60, 150 },
		{ 100, 199 }, { 13, 170 } };
	char *want, *got;
	size_t c;
	int i, k;

	agg_init(&one);
	for (i = 0; i < 200; i++)
		merge_feed(&one, i);
	agg_finish(&one);
	want = merge_render(&one);
	cr_assert(strstr(want, "SSLCertExpired") != NULL);
	for (c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++) {
		for (k = 0; k < 3; k++) {
			agg_init(&w[k]);
			agg_worker(&w[k], (unsigned)k);
		}
		for (i = 0; i < 200; i++)
			merge_feed(&w[i < cuts[c][0]	  ? 0 :
					   i < cuts[c][1] ? 1 :
							    2],
			    i);
		for (k = 1; k < 3; k++) {
			cr_assert_eq(agg_merge(&w[0], &w[k]), 0);
			agg_free(&w[k]);
		}
		agg_merge_done(&w[0]);
		agg_finish(&w[0]);
		got = merge_render(&w[0]);
		cr_expect_str_eq(got, want, "cut at %d and %d", cuts[c][0],
		    cuts[c][1]);
		free(got);
		agg_free(&w[0]);
	}
	free(want);
	agg_free(&one);
}

/*
 * A process's entry remembers its host's and program's entries; merged
 * into another aggregate it must not keep pointing into the one it came
 * from (freed after a merge): adding its records there afterwards counts
 * them in that aggregate's host and program.
 */
Test(aggregate, records_added_after_a_merge_count_in_the_merged)
{
	struct agg dst, src;
	const struct agg_host *h;
	const struct agg_program *p;
	struct strmap_ent *e;

	agg_init(&dst);
	agg_init(&src);
	add(&src, "2026-11-27T03:00:00Z", "SSLError", "web-1", 7, "");
	cr_assert_eq(agg_merge(&dst, &src), 0);
	agg_free(&src);
	add(&dst, "2026-11-27T03:00:01Z", "SSLError", "web-1", 7, "");
	add(&dst, "2026-11-27T03:00:02Z", "SSLError", "web-1", 7, "");
	e = strmap_find(&dst.hosts, "web-1", 5);
	cr_assert_not_null(e);
	h = e->val;
	cr_expect_eq(h->st.count, 3);
	cr_expect_eq(h->failures, 3);
	e = strmap_find(&dst.programs, "prog", 4);
	cr_assert_not_null(e);
	p = e->val;
	cr_expect_eq(p->st.count, 3);
	cr_expect_eq(p->processes, 1);
	cr_expect_eq(dst.procs.count, 1);
	agg_free(&dst);
}
