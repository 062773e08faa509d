/*
 * test_symbolize.c: libdw symbolization of a return address in this very
 * test binary (built with -g), measured the way the shim measures it:
 * from dladdr()'s load base.
 */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../analyzer/symbolize.h"
#include "../../common/pathbase.h"
#include "selfpath.h"

__attribute__((noinline)) int probe_target(int x);

/* The lines probe_target() spans, from its return type to its brace. */
enum { PROBE_FIRST_LINE = __LINE__ + 1 };
__attribute__((noinline)) int
probe_target(int x)
{
	return x * 3 + 1;
}
enum { PROBE_LAST_LINE = __LINE__ - 1 };

Test(symbolize, own_function_and_line)
{
	struct symbolizer *s = symbolizer_new();
	struct sym_result r;
	Dl_info info;
	uintptr_t addr = (uintptr_t)&probe_target;
	const char *self = self_path();
	uint64_t off;

	cr_assert_not_null(s);
	cr_assert(dladdr((void *)addr, &info) != 0);
	/* A "return address" 4 bytes into the function: offset - 1 is
	 * looked up, still inside probe_target. */
	off = (uint64_t)(addr - (uintptr_t)info.dli_fbase) + 4;
	cr_assert_eq(symbolize(s, self, NULL, off, &r), SYM_OK, "status %s",
	    symbolize_status_name(r.status));
	cr_expect_str_eq(r.function, "probe_target");
	cr_expect_str_eq(path_base(r.file), "test_symbolize.c", "file '%s'",
	    r.file);
	cr_expect(r.line >= PROBE_FIRST_LINE && r.line <= PROBE_LAST_LINE,
	    "line %d, not in probe_target's %d-%d", r.line,
	    (int)PROBE_FIRST_LINE, (int)PROBE_LAST_LINE);
	/* A second lookup uses the cached module. */
	cr_assert_eq(symbolize(s, self, NULL, off, &r), SYM_OK);
	symbolizer_free(s);
}

/*
 * A frame looked up again is answered from memory, with the same answer,
 * also after the memory has grown past many others; a build-id that does
 * not match is still refused for a frame remembered.
 */
Test(symbolize, frames_answered_again_from_memory)
{
	struct symbolizer *s = symbolizer_new();
	struct sym_result first, again, r;
	Dl_info info;
	uintptr_t addr = (uintptr_t)&probe_target;
	const char *self = self_path();
	uint64_t off, i;

	cr_assert_not_null(s);
	cr_assert(dladdr((void *)addr, &info) != 0);
	off = (uint64_t)(addr - (uintptr_t)info.dli_fbase) + 4;
	cr_assert_eq(symbolize(s, self, NULL, off, &first), SYM_OK);
	cr_expect_eq(symbolizer_remembered(s), 0);
	/* Enough other frames (any answer) for the memory to grow. */
	for (i = 1; i <= 300; i++)
		(void)symbolize(s, self, NULL, off + 4096 * i, &r);
	cr_expect_eq(symbolizer_remembered(s), 0);
	cr_assert_eq(symbolize(s, self, NULL, off, &again), SYM_OK);
	cr_expect_eq(symbolizer_remembered(s), 1);
	cr_expect_str_eq(again.function, first.function);
	cr_expect_str_eq(again.file, first.file);
	cr_expect_eq(again.line, first.line);
	cr_expect_str_eq(again.function, "probe_target");
	for (i = 1; i <= 300; i++) {
		struct sym_result fresh;
		struct symbolizer *t = symbolizer_new();

		(void)symbolize(s, self, NULL, off + 4096 * i, &r);
		if (i % 50 != 0) {
			symbolizer_free(t);
			continue;
		}
		/* Every 50th against a symbolizer that never saw it. */
		cr_assert_eq(symbolize(t, self, NULL, off + 4096 * i, &fresh),
		    r.status);
		cr_expect_str_eq(r.function, fresh.function);
		cr_expect_str_eq(r.file, fresh.file);
		cr_expect_eq(r.line, fresh.line);
		symbolizer_free(t);
	}
	cr_expect_eq(symbolizer_remembered(s), 301);
	cr_expect_eq(symbolize(s, self, "00112233", off, &r),
	    SYM_BUILD_ID_MISMATCH);
	cr_expect_eq(symbolizer_lookups(s), 603);
	symbolizer_free(s);
}

Test(symbolize, build_id_mismatch_and_missing_module)
{
	struct symbolizer *s = symbolizer_new();
	struct sym_result r;

	cr_assert_not_null(s);
	cr_expect_eq(symbolize(s, self_path(), "00112233", 4096, &r),
	    SYM_BUILD_ID_MISMATCH);
	cr_expect_eq(symbolize(s, "/nonexistent/lib.so", NULL, 4096, &r),
	    SYM_NO_MODULE);
	symbolizer_free(s);
}

/*
 * A log is untrusted: a module path naming a FIFO (which blocked the
 * report forever in open), a device, a /proc or /sys file, a symlink into
 * one of them or a relative path is never opened, and says "module not
 * found".  The timeout turns a hang into a failure.
 */
Test(symbolize, only_regular_files, .timeout = 20)
{
	static const char *const refused[] = {
		"/proc/self/exe",
		"/proc/self/environ",
		"/dev/zero",
		"/dev/stdin",
		"/sys/kernel/notes",
		"/proc/../proc/self/exe",
		"relative/lib.so",
	};
	struct symbolizer *s = symbolizer_new();
	struct sym_result r;
	char dir[] = "/tmp/test_symbolize.XXXXXX";
	char fifo[64], link_fifo[64], link_proc[64];
	size_t i;

	cr_assert_not_null(s);
	cr_assert_not_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo.so", dir);
	snprintf(link_fifo, sizeof(link_fifo), "%s/lfifo.so", dir);
	snprintf(link_proc, sizeof(link_proc), "%s/lproc.so", dir);
	cr_assert(mkfifo(fifo, 0600) == 0);
	cr_assert(symlink(fifo, link_fifo) == 0);
	cr_assert(symlink("/proc/self/exe", link_proc) == 0);
	cr_expect_eq(symbolize(s, fifo, NULL, 4096, &r), SYM_NO_MODULE);
	cr_expect_eq(symbolize(s, link_fifo, NULL, 4096, &r), SYM_NO_MODULE);
	cr_expect_eq(symbolize(s, link_proc, NULL, 4096, &r), SYM_NO_MODULE);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		cr_expect_eq(symbolize(s, refused[i], NULL, 4096, &r),
		    SYM_NO_MODULE, "%s was opened", refused[i]);
	symbolizer_free(s);
	unlink(link_proc);
	unlink(link_fifo);
	unlink(fifo);
	rmdir(dir);
}
