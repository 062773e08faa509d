/*
 * test_jscan.c: analyzer/jscan.c, the report's on-demand scanner: which
 * lines it accepts (cJSON's language, laxities included), the values it
 * decodes, and jscan_paths() for callers that want extra dotted paths.
 * Expected values are cJSON 1.7.15's (Debian 12) on the same bytes; the
 * fuzzer (tests/fuzz/fuzz_jscan.c) checks the same against cJSON itself.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "jscan.h"

Test(jscan, accept_reject)
{
	static const struct {
		const char *in;
		int ok;
	} cases[] = {
		{ "{}", 1 },
		{ " [ ] ", 1 },
		{ "{\"a\":[1,2,{\"b\":null}],\"c\":true,\"d\":false}", 1 },
		{ "\xef\xbb\xbf{}", 1 },	   /* a byte order mark */
		{ "{\x01\"a\"\x1f:1}", 1 },	   /* controls as white space */
		{ "[07, 1., -.5, 1e5, 1E+2]", 1 }, /* strtod's numbers */
		{ "[\"\\uZZZZ\"]", 1 },		   /* cJSON reads U+0000 */
		{ "[\"\\ud83d\\ude00\"]", 1 },
		{ "[\"raw \x01 \xff\"]", 1 },
		{ "", 0 },
		{ "   ", 0 },
		{ "{", 0 },
		{ "{\"a\":1,}", 0 },
		{ "[1,]", 0 },
		{ "{,}", 0 },
		{ "[1 2]", 0 },
		{ "{\"a\" 1}", 0 },
		{ "{} x", 0 },
		{ "[+1]", 0 },
		{ "[.5]", 0 },
		{ "[1e]", 0 },
		{ "[-]", 0 },
		{ "[0x10]", 0 },
		{ "[\"\\x\"]", 0 },
		{ "[\"\\udc00\"]", 0 },	       /* a lone low surrogate */
		{ "[\"\\ud800\"]", 0 },	       /* a high one without its pair */
		{ "[\"\\ud800\\u0041\"]", 0 }, /* not a low surrogate */
		{ "[\"abc]", 0 },
		{ "[nul]", 0 },
		{ "[True]", 0 },
		{ "{'a':1}", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(jscan_check(cases[i].in, strlen(cases[i].in)) == 0,
		    cases[i].ok, "case %zu: '%s'", i, cases[i].in);
}

/* Nesting up to JSCAN_MAX_DEPTH containers, not one more. */
Test(jscan, depth_limit)
{
	char buf[2 * JSCAN_MAX_DEPTH + 4];
	size_t d;

	for (d = JSCAN_MAX_DEPTH; d <= JSCAN_MAX_DEPTH + 1; d++) {
		memset(buf, '[', d);
		memset(buf + d, ']', d);
		cr_expect_eq(jscan_check(buf, 2 * d) == 0, d == JSCAN_MAX_DEPTH,
		    "depth %zu", d);
	}
}

Test(jscan, decoded_values)
{
	static const char line[] =
	    "{\"s\":\"a\\tb\\u00e9\\ud83d\\ude00\\/\","
	    "\"z\":\"x\\u0000y\",\"n\":-12.5e1,\"i\":12345678901234567890,"
	    "\"t\":true,\"o\":{\"k\":[1]},\"long\":\"" /* past 16 bytes */
	    "0123456789abcdef0123456789abcdef\\\"q\"}";
	static const char *const paths[] = { "s", "z", "n", "i", "t", "o",
		"o.k", "long", "missing" };
	struct jvalue v[9];
	char buf[128];

	cr_assert_eq(jscan_paths(line, strlen(line), paths, 9, v), 0);
	cr_expect_eq(v[0].type, JSCAN_STRING);
	cr_expect_eq(jscan_string(&v[0], buf), strlen(buf));
	cr_expect_str_eq(buf, "a\tb\xc3\xa9\xf0\x9f\x98\x80/");
	cr_expect(jscan_string_eq(&v[0], "a\tb\xc3\xa9\xf0\x9f\x98\x80/"));
	/* \u0000 ends the C string, as in cJSON */
	cr_expect_eq(jscan_string(&v[1], buf), 1);
	cr_expect_str_eq(buf, "x");
	cr_expect_eq(v[2].type, JSCAN_NUMBER);
	cr_expect_eq(v[2].num, -125.0);
	cr_expect_eq(v[3].num, 12345678901234567890.0);
	cr_expect_eq(v[4].type, JSCAN_TRUE);
	cr_expect_eq(v[5].type, JSCAN_OBJECT);
	cr_expect_eq(v[5].rawlen, strlen("{\"k\":[1]}"));
	cr_expect_eq(v[6].type, JSCAN_ARRAY);
	jscan_string(&v[7], buf);
	cr_expect_str_eq(buf, "0123456789abcdef0123456789abcdef\"q");
	cr_expect_eq(v[8].type, JSCAN_NONE);
}

/*
 * Dotted paths as record_lookup() reads them: a member whose name holds
 * dots is found, the longest name wins, duplicates give the first.
 */
Test(jscan, dotted_paths)
{
	static const char line[] =
	    "{\"log.level\":\"error\",\"log\":{\"level\":\"other\"},"
	    "\"a\":{\"b\":1},\"a.b\":2,\"d\":\"first\",\"d\":\"second\","
	    "\"tlsdiag\":{\"reason\":\"R\"},\"e\":[1]}";
	static const struct {
		const char *path;
		const char *str; /* string value, or NULL */
		double num;	 /* else this number; 0 with str NULL: absent */
	} cases[] = {
		{ "log.level", "error", 0 },
		{ "a.b", NULL, 2 },
		{ "d", "first", 0 },
		{ "tlsdiag.reason", "R", 0 },
		{ "tlsdiag.reason.x", NULL, 0 },
		{ "e.0", NULL, 0 },
		{ "nope", NULL, 0 },
	};
	struct jvalue v;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert_eq(jscan_paths(line, strlen(line), &cases[i].path, 1,
				 &v),
		    0);
		if (cases[i].str != NULL)
			cr_expect(jscan_string_eq(&v, cases[i].str), "%s",
			    cases[i].path);
		else if (cases[i].num != 0)
			cr_expect(v.type == JSCAN_NUMBER &&
				v.num == cases[i].num,
			    "%s", cases[i].path);
		else
			cr_expect_eq(v.type, JSCAN_NONE, "%s", cases[i].path);
	}
}

Test(jscan, paths_of_invalid_line)
{
	static const char *const p[] = { "a" };
	struct jvalue v;

	cr_expect_eq(jscan_paths("{\"a\":1", 6, p, 1, &v), -1);
	cr_expect_eq(v.type, JSCAN_NONE);
}

/* The cursor API logrecord.c uses: members in order, items, the end. */
Test(jscan, cursor)
{
	static const char line[] = " {\"a\" : [1, \"x\"] , \"b\":{}} ";
	struct jscan s;
	struct jvalue k, v;
	int first = 1, ifirst = 1;

	jscan_init(&s, line, strlen(line));
	cr_assert_eq(jscan_peek(&s), JSCAN_OBJECT);
	cr_assert_eq(jscan_enter(&s), 0);
	cr_assert_eq(jscan_member(&s, &first, &k), 1);
	cr_expect(jscan_string_eq(&k, "a"));
	cr_assert_eq(jscan_peek(&s), JSCAN_ARRAY);
	cr_assert_eq(jscan_enter(&s), 0);
	cr_assert_eq(jscan_item(&s, &ifirst), 1);
	cr_assert_eq(jscan_value(&s, &v), 0);
	cr_expect_eq(v.num, 1);
	cr_assert_eq(jscan_item(&s, &ifirst), 1);
	cr_assert_eq(jscan_value(&s, &v), 0);
	cr_expect(jscan_string_eq(&v, "x"));
	cr_expect_eq(jscan_item(&s, &ifirst), 0);
	cr_assert_eq(jscan_member(&s, &first, &k), 1);
	cr_expect(jscan_string_eq(&k, "b"));
	cr_assert_eq(jscan_value(&s, &v), 0);
	cr_expect_eq(v.type, JSCAN_OBJECT);
	cr_expect_eq(jscan_member(&s, &first, &k), 0);
	cr_expect_eq(jscan_finish(&s), 0);
}
