/* test_termsafe.c: escaping untrusted strings for terminals. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/termsafe.h"

static const struct {
	const char *in;
	size_t max;
	const char *want;
} cases[] = {
	{ "CN=localhost", 0, "CN=localhost" },
	{ "a\033[31mred", 0, "a\\x1B[31mred" },
	{ "tab\there\nnl\rcr", 0, "tab\\there\\nnl\\rcr" },
	{ "back\\slash", 0, "back\\\\slash" },
	{ "del\177", 0, "del\\x7F" },
	{ "c1\302\233x", 0, "c1\\u009Bx" },
	{ "rlo\342\200\256txt", 0, "rlo\\u202Etxt" },
	{ "lri\342\201\246x", 0, "lri\\u2066x" },
	{ "ls\342\200\250x", 0, "ls\\u2028x" },
	{ "bad\377\376utf8", 0, "bad\\xFF\\xFEutf8" },
	{ "overlong\300\257", 0, "overlong\\xC0\\xAF" },
	{ "caf\303\251", 0, "caf\303\251" },
	{ "0123456789abcdef", 10, "0123456789..." },
	{ "0123456789", 10, "0123456789" },
	{ "\033\033\033\033", 10, "\\x1B\\x1B..." },
	{ "\303\251\303\251\303\251", 5, "\303\251\303\251..." },
};

Test(termsafe, escape_table)
{
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		termsafe_escape(cases[i].in, cases[i].max, buf, sizeof(buf));
		cr_expect_str_eq(buf, cases[i].want, "case %zu", i);
	}
}

Test(termsafe, megabyte_string_is_cut)
{
	size_t n = 1 << 20;
	char *big = malloc(n + 1);
	char buf[200];
	size_t len;

	cr_assert_not_null(big);
	memset(big, '\033', n);
	big[n] = '\0';
	len = termsafe_escape(big, 120, buf, sizeof(buf));
	cr_expect_leq(len, 123);
	cr_expect_eq(strchr(buf, '\033'), NULL);
	cr_expect_str_eq(buf + len - 3, "...");
	free(big);
}

Test(termsafe, small_buffer_never_overflows)
{
	char buf[8];

	termsafe_escape("abcdefghijklmnop", 0, buf, sizeof(buf));
	cr_expect_str_eq(buf, "abcd...");
}

Test(termsafe, utf8_dup_replaces_bad_bytes)
{
	char *s = termsafe_utf8_dup("ok\377\303\251\355\240\200");

	cr_assert_not_null(s);
	cr_expect_str_eq(s,
	    "ok\357\277\275\303\251\357\277\275\357\277\275"
	    "\357\277\275");
	free(s);
}

/* termsafe_json on s; returns its result, the output in out. */
static int
json_safe(const char *s, char *out)
{
	size_t n = 0;
	int rc = termsafe_json(s, strlen(s), out, &n);

	if (rc >= 0)
		cr_expect_eq(n, strlen(out));
	return rc;
}

Test(termsafe, json_escapes_inside_strings)
{
	static const struct {
		const char *in;
		const char *want;
		int changed;
	} jc[] = {
		{ "{\"a\":\"plain\",\"n\":-1.5e3}",
		    "{\"a\":\"plain\",\"n\":-1.5e3}", 0 },
		{ "{\"a\":\"e\\u001b[2J\\\"q\"}",
		    "{\"a\":\"e\\u001b[2J\\\"q\"}", 0 },
		{ "{\"a\":\"raw\033[2J\"}", "{\"a\":\"raw\\u001b[2J\"}", 1 },
		{ "{\"a\":\"c1\302\233x\"}", "{\"a\":\"c1\\u009bx\"}", 1 },
		{ "{\"a\":\"\342\200\256\342\200\250\342\200\251\342\201\246\"}",
		    "{\"a\":\"\\u202e\\u2028\\u2029\\u2066\"}", 4 },
		{ "{\"a\":\"bad\377\"}", "{\"a\":\"bad\\ufffd\"}", 1 },
		{ "{\"a\":\"del\177\",\"b\":\"caf\303\251\"}",
		    "{\"a\":\"del\\u007f\",\"b\":\"caf\303\251\"}", 1 },
		/* cJSON takes any byte up to space for whitespace */
		{ "{\033\"a\":\r1}", "{ \"a\": 1}", 2 },
		{ "{\n\t\"a\": [true, false, null]\n}",
		    "{\n\t\"a\": [true, false, null]\n}", 0 },
	};
	char out[256];
	size_t i;

	for (i = 0; i < sizeof(jc) / sizeof(jc[0]); i++) {
		cr_expect_eq(json_safe(jc[i].in, out), jc[i].changed,
		    "case %zu", i);
		cr_expect_str_eq(out, jc[i].want, "case %zu", i);
	}
	/* out == NULL only counts */
	cr_expect_eq(termsafe_json("\"\033\"", 3, NULL, NULL), 1);
}

Test(termsafe, json_non_strict_numbers)
{
	static const char *const bad[] = {
		"{\"a\":+1}",
		"{\"a\":01}",
		"{\"a\":.5}",
		"{\"a\":1.}",
		"[1e]",
		"[-]",
		"[1.5e+]",
		"[--1]",
		/* "\u" without four hex digits: cJSON reads U+0000 */
		"{\"a\":\"b\\u\03000\\9b\"}",
		"[\"\\uzzzz\"]",
		"[\"\\u12\"]",
	};
	static const char *const good[] = {
		"{\"a\":0}",
		"[-0.5]",
		"[1E+10]",
		"[123e-4]",
		"[\"+1\"]",
		"[\"\\u00e9\\uABCD\"]",
	};
	char out[64];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(json_safe(bad[i], out), -1, "%s", bad[i]);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_expect_eq(json_safe(good[i], out), 0, "%s", good[i]);
}
