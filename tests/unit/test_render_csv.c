/* test_render_csv.c: CSV cells, quoting and formula neutralisation. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/render_csv.h"

Test(render_csv, field)
{
	static const struct {
		const char *in;
		const char *want;
	} cases[] = {
		{ "plain", "plain" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "esc\033[2J", "esc\\x1B[2J" },
		/* OWASP: = + - @ tab CR start a formula */
		{ "=HYPERLINK(\"http://x\")",
		    "\"'=HYPERLINK(\"\"http://x\"\")\"" },
		{ "+1+1", "\"'+1+1\"" },
		{ "-2+3", "\"'-2+3\"" },
		{ "@SUM(1,2)", "\"'@SUM(1,2)\"" },
		{ "\t=1", "\"'\\t=1\"" },
		{ "\r=1", "\"'\\r=1\"" },
		{ "a=1", "a=1" },
		{ "", "" },
	};
	char *buf;
	size_t len;
	FILE *f;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = open_memstream(&buf, &len);
		cr_assert_not_null(f);
		render_csv_field(f, cases[i].in);
		fclose(f);
		cr_expect_str_eq(buf, cases[i].want, "case %zu", i);
		free(buf);
	}
}
