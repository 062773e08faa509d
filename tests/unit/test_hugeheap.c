/*
 * test_hugeheap.c: the report's heap asks for transparent huge pages, its
 * large blocks come from it, and what it grows by later is advised too.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../analyzer/hugeheap.h"

/*
 * Under AddressSanitizer malloc is ASan's, which has no brk heap and no
 * arenas: there is nothing of glibc's to advise (and hugeheap.c then
 * advises nothing), so these tests only run with glibc's malloc.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SKIP_WITHOUT_GLIBC_MALLOC()                                            \
	cr_skip_test("ASan's malloc has no glibc heap or arenas")
#else
#define SKIP_WITHOUT_GLIBC_MALLOC() ((void)0)
#endif

/*
 * The flags (VmFlags of /proc/self/smaps) of the mapping holding addr,
 * into flags; its name (the last column of its header line) into name.
 * Returns 0, or -1 if no mapping holds addr.
 */
static int
mapping_of(uintptr_t addr, char *flags, size_t fl, char *name, size_t nl)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	unsigned long lo, hi;
	int in = 0, n;

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &lo, &hi, &n) ==
		    2) {
			in = addr >= lo && addr < hi;
			if (in)
				snprintf(name, nl, "%s", line + n);
			continue;
		}
		if (in && strncmp(line, "VmFlags:", 8) == 0) {
			snprintf(flags, fl, "%s", line + 8);
			fclose(f);
			return 0;
		}
	}
	fclose(f);
	return -1;
}

static int
advised(const char *flags)
{
	return strstr(flags, " hg") != NULL;
}

Test(hugeheap, heap_and_large_blocks_are_advised)
{
	char flags[512], name[512];
	char *small, *large, *later[3];
	size_t i, k;

	SKIP_WITHOUT_GLIBC_MALLOC();
	hugeheap_init();
	small = malloc(100);
	cr_assert_not_null(small);
	cr_assert_eq(mapping_of((uintptr_t)small + (4u << 20), flags,
			 sizeof(flags), name, sizeof(name)),
	    0, "the first step is there, in one mapping with the block");
	cr_expect(strstr(name, "[heap]") != NULL, "%s", name);
	cr_expect(advised(flags), "the heap's first step: %s", flags);
	/* 20 MiB: an mmap of its own by default, from the heap here. */
	large = malloc(20u << 20);
	cr_assert_not_null(large);
	cr_assert_eq(mapping_of((uintptr_t)large, flags, sizeof(flags), name,
			 sizeof(name)),
	    0);
	cr_expect(strstr(name, "[heap]") != NULL, "a large block: %s", name);
	/* Grow the heap past what init advised; hugeheap_more covers it. */
	for (k = 0; k < 3; k++) {
		later[k] = malloc(HUGEHEAP_STEP / 2);
		cr_assert_not_null(later[k]);
		for (i = 0; i < HUGEHEAP_STEP / 2; i += 4096)
			later[k][i] = 1;
	}
	hugeheap_more();
	cr_assert_eq(mapping_of((uintptr_t)later[2] + HUGEHEAP_STEP / 4, flags,
			 sizeof(flags), name, sizeof(name)),
	    0);
	cr_expect(strstr(name, "[heap]") != NULL, "%s", name);
	cr_expect(advised(flags), "grown later: %s", flags);
	for (k = 0; k < 3; k++)
		free(later[k]);
	free(large);
	free(small);
}

static void *
thread_block(void *arg)
{
	(void)arg;
	hugeheap_thread();
	return malloc(1000);
}

/* A thread's own arena: the 64 MiB mapping its blocks come from. */
Test(hugeheap, a_threads_arena_is_advised)
{
	char flags[512], name[512];
	pthread_t th;
	void *block;

	SKIP_WITHOUT_GLIBC_MALLOC();
	cr_assert_eq(pthread_create(&th, NULL, thread_block, NULL), 0);
	cr_assert_eq(pthread_join(th, &block), 0);
	cr_assert_not_null(block);
	cr_assert_eq(mapping_of((uintptr_t)block, flags, sizeof(flags), name,
			 sizeof(name)),
	    0);
	cr_expect(strstr(name, "[heap]") == NULL, "a thread's arena: %s", name);
	cr_expect(advised(flags), "%s", flags);
	free(block);
}

/* The main heap is "[heap]": hugeheap_thread() leaves it alone. */
Test(hugeheap, the_main_heap_is_not_taken_for_an_arena)
{
	char flags[512], name[512];
	void *block;

	SKIP_WITHOUT_GLIBC_MALLOC();
	hugeheap_thread();
	block = malloc(1000);
	cr_assert_not_null(block);
	cr_assert_eq(mapping_of((uintptr_t)block, flags, sizeof(flags), name,
			 sizeof(name)),
	    0);
	cr_expect(strstr(name, "[heap]") != NULL, "%s", name);
	cr_expect(!advised(flags), "not advised without hugeheap_init: %s",
	    flags);
	free(block);
}
