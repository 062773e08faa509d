/* test_baseline.c: new and grown groups against a baseline period. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../analyzer/baseline.h"

/* Fold a failure of type at ts (RFC 3339) for sni into a. */
static void
add(struct agg *a, const char *ts, const char *type, const char *sni)
{
	char line[1024];
	struct record r;

	snprintf(line, sizeof(line),
	    "{\"@timestamp\":\"%s\",\"log.level\":\"error\",\"message\":\"m\","
	    "\"event\":{\"action\":\"tls_failure\"},\"error\":{\"type\":\"%s\"},"
	    "\"tlsdiag\":{\"schema\":1},\"tls\":{\"client\":{\"server_name\":"
	    "\"%s\"}},\"process\":{\"pid\":1,\"name\":\"p\"}}",
	    ts, type, sni);
	cr_assert_eq(record_parse(line, strlen(line), &r), RECORD_OK, "%s",
	    line);
	cr_assert_eq(agg_add(a, &r), 0);
	record_free(&r);
}

Test(baseline, new_and_grown)
{
	static struct agg base, cur;
	struct baseline_diff d;

	agg_init(&base);
	agg_init(&cur);
	/* baseline: 4 h; steady 8 (2/h), grows 4 (1/h), edge 4 (1/h) */
	add(&base, "2026-11-27T00:00:00Z", "E", "steady");
	add(&base, "2026-11-27T04:00:00Z", "E", "steady");
	for (int i = 0; i < 6; i++)
		add(&base, "2026-11-27T02:00:00Z", "E", "steady");
	for (int i = 0; i < 4; i++) {
		add(&base, "2026-11-27T01:00:00Z", "E", "grows");
		add(&base, "2026-11-27T01:00:00Z", "E", "edge");
	}
	/* current: 2 h; steady 4 (2/h), grows 8 (4/h), edge 6 (3/h: the
	 * threshold), fresh 1 */
	add(&cur, "2026-11-27T10:00:00Z", "E", "steady");
	add(&cur, "2026-11-27T12:00:00Z", "E", "steady");
	add(&cur, "2026-11-27T11:00:00Z", "E", "steady");
	add(&cur, "2026-11-27T11:00:00Z", "E", "steady");
	for (int i = 0; i < 8; i++)
		add(&cur, "2026-11-27T11:00:00Z", "E", "grows");
	for (int i = 0; i < 6; i++)
		add(&cur, "2026-11-27T11:00:00Z", "E", "edge");
	add(&cur, "2026-11-27T11:30:00Z", "E", "fresh");

	cr_assert_eq(baseline_compare(&base, &cur, &d), 0);
	cr_expect_float_eq(d.base_hours, 4.0, 1e-9);
	cr_expect_float_eq(d.cur_hours, 2.0, 1e-9);
	cr_expect_eq(d.base_failures, 16);
	cr_assert_eq(d.nfresh, 1);
	cr_expect_str_eq(d.fresh[0].g->sni, "fresh");
	cr_assert_eq(d.ngrown, 2);
	cr_expect_str_eq(d.grown[0].g->sni, "grows");
	cr_expect_float_eq(d.grown[0].cur_rate, 4.0, 1e-9);
	cr_expect_float_eq(d.grown[0].base_rate, 1.0, 1e-9);
	cr_expect_eq(d.grown[0].base_count, 4);
	cr_expect_str_eq(d.grown[1].g->sni, "edge");
	baseline_free(&d);
	agg_free(&base);
	agg_free(&cur);
}

Test(baseline, short_periods_count_as_a_minute)
{
	static struct agg base, cur;
	struct baseline_diff d;

	agg_init(&base);
	agg_init(&cur);
	add(&base, "2026-11-27T00:00:00Z", "E", "one");
	add(&cur, "2026-11-27T10:00:00Z", "E", "one");
	add(&cur, "2026-11-27T10:00:00Z", "E", "one");
	cr_assert_eq(baseline_compare(&base, &cur, &d), 0);
	cr_expect_float_eq(d.base_hours, 1.0 / 60, 1e-9);
	cr_expect_eq(d.nfresh, 0);
	cr_expect_eq(d.ngrown, 0); /* 120/h against 60/h: 2x */
	baseline_free(&d);
	agg_free(&base);
	agg_free(&cur);
}
