/*
 * test_symprefetch.c: the thread that loads the report's modules while the
 * log is read loads each module named once, only absolute paths, at most
 * SYMPRE_MAX of them, and the lookups after it give what they would have.
 */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "../../analyzer/symprefetch.h"
#include "selfpath.h"

__attribute__((noinline)) int prefetch_probe(int x);

__attribute__((noinline)) int
prefetch_probe(int x)
{
	return x * 7 + 2;
}

Test(symprefetch, loads_each_named_module_once)
{
	struct symbolizer *s = symbolizer_new();
	struct sym_result r;
	struct sympre *p;
	Dl_info info;
	uint64_t off;

	cr_assert_not_null(s);
	p = sympre_start(s);
	cr_assert_not_null(p);
	sympre_note(p, self_path());
	sympre_note_frame(p, self_path(), NULL, 0);
	sympre_note(p, "relative/lib.so");
	sympre_note(p, NULL);
	sympre_note(NULL, self_path());
	sympre_finish(p);
	cr_expect_eq(symbolizer_modules(s), 1);
	cr_assert(dladdr((void *)&prefetch_probe, &info) != 0);
	off =
	    (uint64_t)((uintptr_t)&prefetch_probe - (uintptr_t)info.dli_fbase) +
	    4;
	cr_assert_eq(symbolize(s, self_path(), NULL, off, &r), SYM_OK);
	cr_expect_str_eq(r.function, "prefetch_probe");
	cr_expect_neq(r.line, 0);
	cr_expect_eq(symbolizer_modules(s), 1, "loaded again");
	symbolizer_free(s);
}

/*
 * A frame named is looked up ahead (libdw's line table read then); the
 * renderer's lookup afterwards gives the same answer.  Frames past
 * SYMPRE_MAX_FRAMES, or with no offset, are left to the renderer.
 */
Test(symprefetch, looks_up_frames_ahead)
{
	struct symbolizer *s = symbolizer_new();
	struct sympre *p = sympre_start(s);
	struct sym_result r;
	Dl_info info;
	int64_t off;
	int64_t i;

	cr_assert_not_null(p);
	cr_assert(dladdr((void *)&prefetch_probe, &info) != 0);
	off =
	    (int64_t)((uintptr_t)&prefetch_probe - (uintptr_t)info.dli_fbase) +
	    4;
	sympre_note_frame(p, self_path(), "00", off);
	sympre_note_frame(p, self_path(), NULL, off);
	for (i = 0; i < SYMPRE_MAX_FRAMES + 8; i++)
		sympre_note_frame(p, self_path(), NULL, off + 1 + i);
	sympre_finish(p);
	cr_expect_eq(symbolizer_modules(s), 1);
	cr_expect_eq(symbolizer_lookups(s), SYMPRE_MAX_FRAMES);
	cr_assert_eq(symbolize(s, self_path(), NULL, (uint64_t)off, &r),
	    SYM_OK);
	cr_expect_str_eq(r.function, "prefetch_probe");
	symbolizer_free(s);
}

Test(symprefetch, at_most_max_modules)
{
	struct symbolizer *s = symbolizer_new();
	struct sympre *p = sympre_start(s);
	char path[64];
	int i;

	cr_assert_not_null(p);
	for (i = 0; i < SYMPRE_MAX + 8; i++) {
		snprintf(path, sizeof(path), "/nonexistent/lib%d.so", i);
		sympre_note(p, path);
	}
	sympre_finish(p);
	cr_expect_eq(symbolizer_modules(s), SYMPRE_MAX);
	symbolizer_free(s);
	sympre_finish(NULL);
	cr_expect_null(sympre_start(NULL));
}
