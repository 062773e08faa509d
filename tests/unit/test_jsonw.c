/*
 * test_jsonw.c: the shim's JSON encoder.  Escapes, hostile bytes, and a
 * round-trip property: whatever it writes, cJSON reads back, equal.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

static const char *
enc(const char *s, size_t n)
{
	static char out[4096];
	long r = jsonw_escape(out, sizeof(out) - 1, s, n);

	cr_assert(r >= 0);
	out[r] = '\0';
	return out;
}

Test(jsonw, escapes)
{
	static const struct {
		const char *in;
		size_t n;
		const char *out;
	} t[] = {
		{ "plain", 5, "plain" },
		{ "q\"b\\", 4, "q\\\"b\\\\" },
		{ "a\nb\tc\r", 6, "a\\nb\\tc\\r" },
		{ "\x01\x1f\x7f", 3, "\\u0001\\u001f\\u007f" },
		{ "nul\0x", 5, "nul\\u0000x" },
		{ "\x1b[31mred", 8, "\\u001b[31mred" },
		{ "caf\xc3\xa9", 5, "caf\xc3\xa9" },
		{ "\xe6\x97\xa5", 3, "\xe6\x97\xa5" },
		{ "\xf0\x9f\x94\x92", 4, "\xf0\x9f\x94\x92" },
		{ "\xc2\x85", 2, "\\u0085" },	  /* C1 NEL */
		{ "\xe2\x80\xae", 3, "\\u202e" }, /* RIGHT-TO-LEFT OVERRIDE */
		{ "\xe2\x81\xa6", 3, "\\u2066" }, /* LEFT-TO-RIGHT ISOLATE */
		{ "\xe2\x80\xa8", 3, "\\u2028" },
		{ "\xff", 1, "\xef\xbf\xbd" },
		{ "\xc0\x80", 2, "\xef\xbf\xbd\xef\xbf\xbd" }, /* overlong */
		{ "\xed\xa0\x80", 3,
		    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },  /* surrogate */
		{ "\xe2\x82", 2, "\xef\xbf\xbd\xef\xbf\xbd" }, /* truncated */
		{ "\xf4\x90\x80\x80", 4,
		    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "a\xc3", 2, "a\xef\xbf\xbd" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		cr_expect_str_eq(enc(t[i].in, t[i].n), t[i].out, "case %zu", i);
}

Test(jsonw, document)
{
	char buf[512];
	struct jsonw w;
	long n;

	jsonw_init(&w, buf, sizeof(buf));
	jsonw_obj(&w, NULL);
	jsonw_str(&w, "@timestamp", "t");
	jsonw_obj(&w, "a");
	jsonw_int(&w, "neg", -9223372036854775807LL - 1);
	jsonw_uint(&w, "big", 18446744073709551615ULL);
	jsonw_bool(&w, "t", 1);
	jsonw_null(&w, "n");
	jsonw_str(&w, "s", NULL);
	jsonw_arr(&w, "list");
	jsonw_int(&w, NULL, 0);
	jsonw_str(&w, NULL, "x");
	jsonw_obj(&w, NULL);
	jsonw_end(&w);
	jsonw_end(&w);
	jsonw_end(&w);
	n = jsonw_finish(&w);
	cr_assert(n > 0);
	cr_expect_str_eq(buf,
	    "{\"@timestamp\":\"t\",\"a\":{\"neg\":"
	    "-9223372036854775808,\"big\":18446744073709551615,\"t\":true,"
	    "\"n\":null,\"s\":null,\"list\":[0,\"x\",{}]}}\n");
	cr_expect_eq((size_t)n, strlen(buf));
}

Test(jsonw, finish_closes_what_is_open)
{
	char buf[64];
	struct jsonw w;

	jsonw_init(&w, buf, sizeof(buf));
	jsonw_obj(&w, NULL);
	jsonw_arr(&w, "x");
	jsonw_obj(&w, NULL);
	cr_assert(jsonw_finish(&w) > 0);
	cr_expect_str_eq(buf, "{\"x\":[{}]}\n");
}

Test(jsonw, overflow_is_reported_never_written_past)
{
	char buf[40];
	struct jsonw w;
	size_t cap;

	/* the document is 29 bytes, + '\n' + NUL = 31 */
	for (cap = 0; cap <= 31; cap++) {
		memset(buf, 'Z', sizeof(buf));
		jsonw_init(&w, buf, cap);
		jsonw_obj(&w, NULL);
		jsonw_str(&w, "key", "a long enough value");
		cr_expect_eq(jsonw_finish(&w), cap < 31 ? -1 : 30, "cap %zu",
		    cap);
		cr_expect_eq(buf[cap], 'Z', "wrote past cap %zu", cap);
	}
}

Test(jsonw, depth_limit)
{
	char buf[256];
	struct jsonw w;
	int i;

	jsonw_init(&w, buf, sizeof(buf));
	for (i = 0; i < JSONW_MAXDEPTH + 2; i++)
		jsonw_obj(&w, i ? "k" : NULL);
	cr_expect_eq(jsonw_finish(&w), -1);
}

/* Whatever bytes go in, the output parses, and valid text comes back. */
Test(jsonw, roundtrip_random)
{
	char in[300], buf[4096];
	struct jsonw w;
	unsigned seed = 12345;
	int iter, i;

	for (iter = 0; iter < 20000; iter++) {
		size_t n = (size_t)(rand_r(&seed) % 200);
		cJSON *doc, *v;
		long len;

		for (i = 0; i < (int)n; i++) {
			int r = rand_r(&seed) % 8;

			/* mix ASCII, controls, valid UTF-8 and junk; no NUL */
			if (r < 4)
				in[i] = (char)(0x20 + rand_r(&seed) % 95);
			else if (r == 4)
				in[i] = (char)(1 + rand_r(&seed) % 31);
			else
				in[i] = (char)(0x80 + rand_r(&seed) % 128);
			if (in[i] == 0)
				in[i] = 'x';
		}
		in[n] = '\0';
		jsonw_init(&w, buf, sizeof(buf));
		jsonw_obj(&w, NULL);
		jsonw_strn(&w, "s", in, n);
		len = jsonw_finish(&w);
		cr_assert(len > 0);
		doc = cJSON_ParseWithLength(buf, (size_t)len);
		cr_assert(doc != NULL, "unparsable: %s", buf);
		v = cJSON_GetObjectItemCaseSensitive(doc, "s");
		cr_assert(cJSON_IsString(v));
		/* a valid UTF-8 input must come back byte for byte */
		{
			char esc[4096];
			long e = jsonw_escape(esc, sizeof(esc), in, n);
			int valid = e >= 0 &&
			    memmem(esc, (size_t)e, "\xef\xbf\xbd", 3) == NULL;

			if (valid)
				cr_assert_str_eq(v->valuestring, in);
		}
		cJSON_Delete(doc);
	}
}

/* jsonw_need(w): what the record would take, also past an overflow. */
Test(jsonw, need_counts_past_overflow)
{
	char big[1024], small[40];
	struct jsonw a, b;
	long n;

	jsonw_init(&a, big, sizeof(big));
	jsonw_init(&b, small, sizeof(small));
	{
		struct jsonw *w[2] = { &a, &b };
		int i;

		for (i = 0; i < 2; i++) {
			jsonw_obj(w[i], NULL);
			jsonw_str(w[i], "k", "a\x01\"b\xe2\x80\xae");
			jsonw_arr(w[i], "list");
			jsonw_int(w[i], NULL, -12);
			jsonw_bool(w[i], NULL, 1);
			jsonw_end(w[i]);
			jsonw_strn(w[i], "long", "0123456789012345678901234",
			    25);
		}
	}
	n = jsonw_finish(&a);
	cr_assert(n > 0);
	cr_assert_eq(jsonw_finish(&b), -1);
	cr_expect_eq(jsonw_need(&a), (size_t)n, "need %zu, len %ld",
	    jsonw_need(&a), n);
	cr_expect_eq(jsonw_need(&b), jsonw_need(&a),
	    "overflowed: need %zu, want %zu", jsonw_need(&b), jsonw_need(&a));
}

/* jsonw_strn_fit: cut at a character boundary, never past limit. */
Test(jsonw, strn_fit)
{
	static const struct {
		const char *in;
		size_t limit; /* room for the string after "k": */
		const char *out;
		int cut;
	} t[] = {
		{ "abcdef", 6, "abcdef", 0 },
		{ "abcdef", 4, "abcd", 1 },
		{ "ab\x01z", 7, "ab", 1 }, /* \u0001 needs 6 */
		{ "ab\x01z", 8, "ab\\u0001", 1 },
		{ "ab\x01z", 9, "ab\\u0001z", 0 },
		{ "\xe6\x97\xa5\xe6\x97\xa5", 5, "\xe6\x97\xa5", 1 },
		{ "x", 0, "", 1 },
		{ "", 0, "", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char buf[256], want[256];
		struct jsonw w;
		size_t base;
		int cut;

		jsonw_init(&w, buf, sizeof(buf));
		jsonw_obj(&w, NULL);
		base = jsonw_need(&w) + strlen("\"k\":\"\"");
		cut = jsonw_strn_fit(&w, "k", t[i].in, strlen(t[i].in),
		    base + t[i].limit);
		cr_expect(jsonw_need(&w) <= base + t[i].limit, "case %zu: past",
		    i);
		cr_expect_eq(cut, t[i].cut, "case %zu: cut %d", i, cut);
		cr_assert(jsonw_finish(&w) > 0);
		snprintf(want, sizeof(want), "{\"k\":\"%s\"}\n", t[i].out);
		cr_expect_str_eq(buf, want, "case %zu", i);
	}
}

/* jsonw_rollback: as if what followed the mark was never written. */
Test(jsonw, mark_rollback)
{
	char buf[64], ref[64];
	struct jsonw w, r;
	struct jsonw_mark m;

	jsonw_init(&w, buf, sizeof(buf));
	jsonw_obj(&w, NULL);
	jsonw_arr(&w, "a");
	jsonw_int(&w, NULL, 1);
	jsonw_mark(&w, &m);
	jsonw_obj(&w, NULL);
	jsonw_str(&w, "x",
	    "a string much too long for what is left of the buffer");
	jsonw_end(&w);
	cr_assert(w.overflow);
	jsonw_rollback(&w, &m);
	jsonw_int(&w, NULL, 2);
	cr_assert(jsonw_finish(&w) > 0);

	jsonw_init(&r, ref, sizeof(ref));
	jsonw_obj(&r, NULL);
	jsonw_arr(&r, "a");
	jsonw_int(&r, NULL, 1);
	jsonw_int(&r, NULL, 2);
	cr_assert(jsonw_finish(&r) > 0);
	cr_expect_str_eq(buf, ref);
	cr_expect_eq(jsonw_need(&w), jsonw_need(&r));
}
