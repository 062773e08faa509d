/* test_str.c: the shim's two string helpers, against snprintf(). */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../../shim/str.h"

/* snprintf() cutting its output is what these tests compare against. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

Test(str, cat_joins_and_terminates)
{
	char buf[32];

	cr_expect_eq(str_cat(buf, sizeof(buf), "a", "bc", "", "d", STR_END), 4);
	cr_expect_str_eq(buf, "abcd");
	cr_expect_eq(str_cat(buf, sizeof(buf), STR_END), 0);
	cr_expect_str_eq(buf, "");
	/* a NULL string is printed as glibc's printf prints it */
	str_cat(buf, sizeof(buf), "x", NULL, "y", STR_END);
	cr_expect_str_eq(buf, "x(null)y");
}

Test(str, cat_cuts_like_snprintf)
{
	char got[8], want[8];
	size_t cap;

	for (cap = 1; cap <= sizeof(got); cap++) {
		memset(got, 'Z', sizeof(got));
		memset(want, 'Z', sizeof(want));
		size_t n = str_cat(got, cap, "abc", "defgh", "ij", STR_END);
		snprintf(want, cap, "%s%s%s", "abc", "defgh", "ij");
		cr_expect_eq(memcmp(got, want, sizeof(got)), 0,
		    "cap %zu: '%s' vs '%s'", cap, got, want);
		cr_expect_eq(n, strlen(want), "cap %zu", cap);
	}
}

Test(str, dec_matches_printf)
{
	static const long long v[] = { 0, 1, -1, 9, 10, 99, 100, 443, 65535,
		-2147483648LL, LLONG_MAX, LLONG_MIN };
	char got[24], want[32];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(want, sizeof(want), "%lld", v[i]);
		cr_expect_str_eq(str_dec(got, v[i]), want);
	}
}

Test(str, prefix)
{
	cr_expect(str_prefix("libssl.so.3", "libssl.so"));
	cr_expect(str_prefix("libssl.so.3", ""));
	cr_expect(str_prefix("libc.so.", "libc.so."));
	cr_expect(!str_prefix("libc.so", "libc.so."));
	cr_expect(!str_prefix("libcrypto.so.3", "libc.so."));
	cr_expect(!str_prefix("", "l"));
}

Test(str, eq_and_base)
{
	cr_expect(str_eq("", ""));
	cr_expect(str_eq("libssl.so.3", "libssl.so.3"));
	cr_expect(!str_eq("libssl.so.3", "libssl.so"));
	cr_expect(!str_eq("libssl.so", "libssl.so.3"));
	cr_expect_str_eq(str_base("/usr/lib/libssl.so.3"), "libssl.so.3");
	cr_expect_str_eq(str_base("libssl.so.3"), "libssl.so.3");
	cr_expect_str_eq(str_base("/usr/lib/"), "");
	cr_expect_str_eq(str_base(""), "");
}
