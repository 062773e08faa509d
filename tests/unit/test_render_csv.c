/* test_render_csv.c: CSV cells, quoting and formula neutralisation. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/aggregate.h"
#include "../../analyzer/logrecord.h"
#include "../../analyzer/render_csv.h"

/* s as the inside of a JSON string, in out. */
static void
json_inner(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	for (; *s != '\0' && n + 7 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			n += (size_t)snprintf(out + n, cap - n, "\\%c", c);
		else if (c < 0x20)
			n += (size_t)snprintf(out + n, cap - n, "\\u%04x", c);
		else
			out[n++] = (char)c;
	}
	out[n] = '\0';
}

/* The CSV render_csv() prints for one failure whose reason is reason. */
static char *
render_reason(const char *reason)
{
	char line[2048], inner[512], *buf;
	struct record r;
	struct agg a;
	struct view v;
	size_t len;
	FILE *f;

	json_inner(reason, inner, sizeof(inner));
	snprintf(line, sizeof(line),
	    "{\"@timestamp\":\"2026-11-27T03:00:00Z\",\"log.level\":\"error\","
	    "\"message\":\"m\",\"event\":{\"action\":\"tls_failure\"},"
	    "\"error\":{\"type\":\"SSLError\"},\"tlsdiag\":{\"schema\":1,"
	    "\"reason\":\"%s\"},\"process\":{\"pid\":1,\"name\":\"prog\"},"
	    "\"host\":{\"hostname\":\"h\"}}",
	    inner);
	cr_assert_eq(record_parse(line, strlen(line), &r), RECORD_OK, "%s",
	    line);
	agg_init(&a);
	cr_assert_eq(agg_add(&a, &r), 0);
	record_free(&r);
	memset(&v, 0, sizeof(v));
	v.agg = &a;
	f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	cr_assert_eq(render_csv(&v, f), 0);
	fclose(f);
	agg_free(&a);
	return buf;
}

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
	char want[256];
	char *buf;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf = render_reason(cases[i].in);
		/* rank,count,share,type,REASON,sni,address,program,... */
		snprintf(want, sizeof(want), "\n1,1,100.0,SSLError,%s,,,prog,",
		    cases[i].want);
		cr_expect(strstr(buf, want) != NULL, "case %zu: want %s in %s",
		    i, want, buf);
		free(buf);
	}
}
