/* test_hex.c: common/hex.c in both cases, and its bounds. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../common/hex.h"

Test(hex, both_cases)
{
	static const unsigned char b[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
	char out[2 * sizeof(b) + 1];

	cr_expect_eq(hex_encode(out, b, sizeof(b), 0), out);
	cr_expect_str_eq(out, "00017f80abff");
	hex_encode(out, b, sizeof(b), 1);
	cr_expect_str_eq(out, "00017F80ABFF");
}

Test(hex, writes_exactly_2n_plus_1)
{
	static const unsigned char b[] = { 0xde, 0xad };
	char out[8];

	memset(out, 'Z', sizeof(out));
	hex_encode(out, b, 0, 0);
	cr_expect_eq(out[0], '\0');
	cr_expect_eq(out[1], 'Z');
	memset(out, 'Z', sizeof(out));
	hex_encode(out, b, 2, 0);
	cr_expect_str_eq(out, "dead");
	cr_expect_eq(out[5], 'Z');
}

/* Every byte value, against printf. */
Test(hex, every_byte)
{
	unsigned char c;
	char got[3], want[3];
	int i;

	for (i = 0; i < 256; i++) {
		c = (unsigned char)i;
		hex_encode(got, &c, 1, 1);
		snprintf(want, sizeof(want), "%02X", i);
		cr_expect_str_eq(got, want);
	}
}
