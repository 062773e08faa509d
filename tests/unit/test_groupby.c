/* test_groupby.c: --group-by paths, values and rows. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/groupby.h"

Test(groupby, parse)
{
	struct groupby *gb = NULL;
	char err[128];

	cr_assert_eq(groupby_parse(&gb, "a.b,c", err, sizeof(err)), 0);
	cr_assert_eq(groupby_parse(&gb, "log.level", err, sizeof(err)), 0);
	cr_assert_eq(gb->npaths, 3);
	cr_expect_str_eq(gb->paths[0], "a.b");
	cr_expect_str_eq(gb->paths[1], "c");
	cr_expect_str_eq(gb->paths[2], "log.level");
	cr_expect_eq(groupby_parse(&gb, "x,", err, sizeof(err)), -1);
	cr_expect_str_eq(err, "empty field name");
	groupby_free(gb);
	gb = NULL;
	cr_expect_eq(groupby_parse(&gb, "a,b,c,d,e,f,g,h,i", err, sizeof(err)),
	    -1);
	cr_expect_str_eq(err, "more than 8 fields");
	groupby_free(gb);
}

Test(groupby, extract)
{
	static const char line[] =
	    "{\"log.level\":\"error\",\"destination\":{\"ip\":\"10.0.0.1\","
	    "\"port\":443},\"tls\":{\"resumed\":false,\"x\":null,"
	    "\"alt\":[\"a\",1]}}";
	static const struct {
		const char *path;
		const char *want;
	} cases[] = {
		{ "destination.ip", "10.0.0.1" },
		{ "destination.port", "443" },
		{ "log.level", "error" },
		{ "tls.resumed", "false" },
		{ "tls.x", GROUPBY_NONE },
		{ "tls.alt", "[\"a\",1]" },
		{ "destination", "{\"ip\":\"10.0.0.1\",\"port\":443}" },
		{ "tls.client.server_name", GROUPBY_NONE },
		{ "destination.ip.more", GROUPBY_NONE },
	};
	char *paths[1];
	char *vals[1];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		paths[0] = (char *)cases[i].path;
		cr_assert_eq(groupby_extract(line, strlen(line), paths, 1,
				 vals),
		    0, "case %zu", i);
		cr_expect_str_eq(vals[0], cases[i].want, "case %zu", i);
		groupby_vals_free(vals, 1);
	}
	paths[0] = (char *)"a";
	cr_expect_eq(groupby_extract("{\"a\":", 5, paths, 1, vals), -1);
	cr_expect_null(vals[0]);
}

Test(groupby, rows)
{
	static const char *const lines[] = {
		"{\"d\":\"x\",\"i\":\"A\"}",
		"{\"d\":\"x\",\"i\":\"A\"}",
		"{\"d\":\"y\"}",
		"{\"d\":\"x\",\"i\":\"B\"}",
	};
	struct groupby *gb = NULL;
	struct strmap_ent **e;
	struct record r;
	char err[64];
	size_t i;

	cr_assert_eq(groupby_parse(&gb, "d,i", err, sizeof(err)), 0);
	for (i = 0; i < 4; i++) {
		memset(&r, 0, sizeof(r));
		r.line = lines[i];
		r.len = strlen(lines[i]);
		r.ts = (int64_t)i * 1000000;
		cr_assert_eq(groupby_add(gb, &r), 0);
	}
	cr_assert_eq(gb->rows.count, 3);
	cr_expect_eq(gb->total, 4);
	e = groupby_sorted(gb);
	cr_assert_not_null(e);
	cr_expect_str_eq(groupby_value(e[0], 0), "x");
	cr_expect_str_eq(groupby_value(e[0], 1), "A");
	cr_expect_eq(((struct agg_stat *)e[0]->val)->count, 2);
	cr_expect_eq(((struct agg_stat *)e[0]->val)->last, 1000000);
	cr_expect_str_eq(groupby_value(e[1], 0), "y");
	cr_expect_str_eq(groupby_value(e[1], 1), GROUPBY_NONE);
	cr_expect_str_eq(groupby_value(e[2], 1), "B");
	free(e);
	groupby_free(gb);
}
