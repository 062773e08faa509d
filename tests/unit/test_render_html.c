/* test_render_html.c: HTML escaping of record values. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/render_html.h"

Test(render_html, text)
{
	static const struct {
		const char *in;
		size_t max;
		const char *want;
	} cases[] = {
		{ "plain", 0, "plain" },
		{ NULL, 0, "-" },
		{ "<script>alert(1)</script>", 0,
		    "&lt;script&gt;alert(1)&lt;/script&gt;" },
		{ "<svg onload=alert(2)>", 0, "&lt;svg onload=alert(2)&gt;" },
		{ "x\" onmouseover=\"y", 0, "x&quot; onmouseover=&quot;y" },
		{ "it's", 0, "it&#39;s" },
		{ "a&amp;b", 0, "a&amp;amp;b" },
		/* terminal escapes first: controls, bidi, bad UTF-8 */
		{ "esc\033[2J", 0, "esc\\x1B[2J" },
		{ "abc\xe2\x80\xae"
		  "def",
		    0, "abc\\u202Edef" },
		{ "bad\xff", 0, "bad\\xFF" },
		{ "caf\xc3\xa9", 0, "caf\xc3\xa9" },
		/* cut to maxlen bytes before the HTML escape */
		{ "<<<<<<<<<<", 4, "&lt;&lt;&lt;&lt;..." },
	};
	char *buf;
	size_t len;
	FILE *f;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = open_memstream(&buf, &len);
		cr_assert_not_null(f);
		render_html_text(f, cases[i].in, cases[i].max);
		fclose(f);
		cr_expect_str_eq(buf, cases[i].want, "case %zu", i);
		free(buf);
	}
}
