/* test_civil.c: common/civil.c against known dates and glibc's timegm(). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "../../common/civil.h"

static const struct {
	int64_t y;
	int m, d;
	int64_t days;
} known[] = {
	{ 1970, 1, 1, 0 }, { 1969, 12, 31, -1 },
	{ 2000, 2, 29, 11016 }, /* a leap day of a century */
	{ 2000, 3, 1, 11017 },
	{ 1900, 3, 1, -25508 }, /* 1900 is no leap year */
	{ 1900, 2, 28, -25509 }, { 2038, 1, 19, 24855 },
	{ 9999, 12, 31, 2932896 }, /* GeneralizedTime's last day */
	{ 0, 3, 1, -719468 },	   /* the algorithm's epoch */
	{ -1, 12, 31, -719529 },   /* before year 0: the era rounds down */
};

Test(civil, known_dates)
{
	size_t i;
	int64_t y;
	int m, d;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		cr_expect_eq(civil_to_days(known[i].y, known[i].m, known[i].d),
		    known[i].days, "%lld-%d-%d", (long long)known[i].y,
		    known[i].m, known[i].d);
		civil_from_days(known[i].days, &y, &m, &d);
		cr_expect(y == known[i].y && m == known[i].m && d == known[i].d,
		    "day %lld: %lld-%d-%d", (long long)known[i].days,
		    (long long)y, m, d);
	}
}

/* Every day from 1600 to 2400 agrees with timegm() and round-trips. */
Test(civil, agrees_with_timegm)
{
	int64_t day, y;
	int m, d;
	struct tm tm;

	for (day = -135140; day <= 157054; day++) {
		civil_from_days(day, &y, &m, &d);
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = (int)(y - 1900);
		tm.tm_mon = m - 1;
		tm.tm_mday = d;
		cr_assert_eq((int64_t)timegm(&tm), day * 86400,
		    "day %lld: %lld-%d-%d", (long long)day, (long long)y, m, d);
		cr_assert_eq(civil_to_days(y, m, d), day);
	}
}
