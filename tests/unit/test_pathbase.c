/* test_pathbase.c: common/pathbase.c. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../common/pathbase.h"

Test(pathbase, last_component_in_place)
{
	static const char *const cases[][2] = {
		{ "/usr/bin/curl", "curl" },
		{ "curl", "curl" },
		{ "./a.out", "a.out" },
		{ "/lib/x86_64-linux-gnu/libssl.so.3", "libssl.so.3" },
		{ "dir/", "" },
		{ "/", "" },
		{ "", "" },
	};
	size_t i;
	const char *p;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p = path_base(cases[i][0]);
		cr_expect_str_eq(p, cases[i][1], "'%s'", cases[i][0]);
		/* a pointer into the argument, not a copy */
		cr_expect(
		    p >= cases[i][0] && p <= cases[i][0] + strlen(cases[i][0]));
	}
	cr_expect_null(path_base(NULL));
}
