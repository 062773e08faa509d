/*
 * test_utf8.c: common/utf8.c, the strict decoder under the shim's JSON
 * encoder (failure path) and the analyzer's text handling.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "../../common/utf8.h"

/* A reference encoder: cp as UTF-8 into b, returns the length. */
static int
encode(unsigned long cp, unsigned char *b)
{
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	b[0] = (unsigned char)(0xf0 | cp >> 18);
	b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	b[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Every scalar value decodes to itself; every surrogate is refused. */
Test(utf8, every_code_point)
{
	unsigned char b[4];
	unsigned long cp, got;
	int n;

	for (cp = 0; cp <= 0x10ffff; cp++) {
		n = encode(cp, b);
		got = 0xdeadbeef;
		if (cp >= 0xd800 && cp <= 0xdfff) {
			cr_assert_eq(utf8_decode(b, (size_t)n, &got), -1,
			    "U+%04lX", cp);
			continue;
		}
		cr_assert_eq(utf8_decode(b, (size_t)n, &got), n, "U+%04lX", cp);
		cr_assert_eq(got, cp);
		/* one byte short is refused, never read past */
		if (n > 1)
			cr_assert_eq(utf8_decode(b, (size_t)n - 1, &got), -1);
	}
}

Test(utf8, ill_formed)
{
	static const struct {
		const char *s;
		size_t n;
	} bad[] = {
		{ "\x80", 1 },		   /* lone continuation */
		{ "\xc0\x80", 2 },	   /* overlong NUL */
		{ "\xc1\xbf", 2 },	   /* overlong */
		{ "\xe0\x9f\xbf", 3 },	   /* overlong 3-byte */
		{ "\xf0\x8f\xbf\xbf", 4 }, /* overlong 4-byte */
		{ "\xed\xa0\x80", 3 },	   /* U+D800 */
		{ "\xf4\x90\x80\x80", 4 }, /* U+110000 */
		{ "\xf5\x80\x80\x80", 4 }, { "\xff", 1 },
		{ "\xc3\x28", 2 }, /* bad continuation */
		{ "\xe2\x82", 2 }, /* truncated */
	};
	unsigned long cp = 7;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(utf8_decode((const unsigned char *)bad[i].s,
				 bad[i].n, &cp),
		    -1, "case %zu", i);
	cr_expect_eq(cp, 7, "*cp untouched on error");
	cr_expect_eq(utf8_decode((const unsigned char *)"", 0, &cp), 0);
}

/* A NUL ends a sequence even when avail claims more (no read past it). */
Test(utf8, stops_at_nul)
{
	unsigned long cp;

	cr_expect_eq(utf8_decode((const unsigned char *)"\xe2\0\xac", 3, &cp),
	    -1);
	cr_expect_eq(utf8_decode((const unsigned char *)"\xe2\x82\xac", 3, &cp),
	    3);
	cr_expect_eq(cp, 0x20ac);
}
