/*
 * test_symbolize.c: libdw symbolization of a return address in this very
 * test binary (built with -g), measured the way the shim measures it:
 * from dladdr()'s load base.
 */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <string.h>

#include "../../analyzer/symbolize.h"

__attribute__((noinline)) int probe_target(int x);

__attribute__((noinline)) int
probe_target(int x)
{
	return x * 3 + 1;
}

Test(symbolize, own_function_and_line)
{
	struct symbolizer *s = symbolizer_new();
	struct sym_result r;
	Dl_info info;
	uintptr_t addr = (uintptr_t)&probe_target;
	uint64_t off;

	cr_assert_not_null(s);
	cr_assert(dladdr((void *)addr, &info) != 0);
	/* A "return address" 4 bytes into the function: offset - 1 is
	 * looked up, still inside probe_target. */
	off = (uint64_t)(addr - (uintptr_t)info.dli_fbase) + 4;
	cr_assert_eq(symbolize(s, "/proc/self/exe", NULL, off, &r), SYM_OK,
	    "status %s", symbolize_status_name(r.status));
	cr_expect_str_eq(r.function, "probe_target");
	cr_expect_not_null(strstr(r.file, "test_symbolize.c"), "file '%s'",
	    r.file);
	cr_expect_gt(r.line, 10);
	/* A second lookup uses the cached module. */
	cr_assert_eq(symbolize(s, "/proc/self/exe", NULL, off, &r), SYM_OK);
	symbolizer_free(s);
}

Test(symbolize, build_id_mismatch_and_missing_module)
{
	struct symbolizer *s = symbolizer_new();
	struct sym_result r;

	cr_assert_not_null(s);
	cr_expect_eq(symbolize(s, "/proc/self/exe", "00112233", 4096, &r),
	    SYM_BUILD_ID_MISMATCH);
	cr_expect_eq(symbolize(s, "/nonexistent/lib.so", NULL, 4096, &r),
	    SYM_NO_MODULE);
	symbolizer_free(s);
}
