/*
 * hugeheap.c: the heap the report fills, in 2 MiB pages.  Reading a log
 * and symbolizing its call sites touch tens of megabytes of fresh memory
 * each run (the tables, libdw's line tables and CU lists); in a virtual
 * machine the first touch of each 4 KiB page can cost 10 to 15 us, a
 * fault in the guest and one in the host, which made page faults a third
 * of the symbolizer's time.  A transparent huge page takes one fault per
 * 512 pages.  glibc does this itself under GLIBC_TUNABLES=
 * glibc.malloc.hugetlb=1, which a program cannot set for itself once it
 * runs; this is the same for the main heap: grow it in large steps, keep
 * it, and madvise(MADV_HUGEPAGE) what it grew by; and a thread's own
 * arena, whole, once it is seen to be one.
 */
#include "hugeheap.h"

#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE ((uintptr_t)2 << 20)

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static uintptr_t advised; /* the heap is advised below this */

void
hugeheap_more(void)
{
	uintptr_t brk_now, from, to;

	pthread_mutex_lock(&mu);
	brk_now = (uintptr_t)sbrk(0);
	from = (advised + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	to = brk_now & ~(HUGE_PAGE - 1);
	if (advised != 0 && to > from &&
	    madvise((void *)from, to - from, MADV_HUGEPAGE) == 0)
		advised = to;
	pthread_mutex_unlock(&mu);
}

void
hugeheap_init(void)
{
	void *volatile p; /* a malloc and free the compiler may not drop */

	/* Large blocks from the heap, not from mmaps of their own; steps of
	 * HUGEHEAP_STEP; nothing given back until exit. */
	mallopt(M_MMAP_THRESHOLD, (int)HUGEHEAP_STEP);
	mallopt(M_TOP_PAD, (int)HUGEHEAP_STEP);
	mallopt(M_TRIM_THRESHOLD, (int)(4 * HUGEHEAP_STEP));
	pthread_mutex_lock(&mu);
	advised = (uintptr_t)sbrk(0);
	pthread_mutex_unlock(&mu);
	/* The first step, now, so that what follows lands in it. */
	p = malloc(HUGEHEAP_STEP / 2);
	free(p);
	hugeheap_more();
}

/* glibc's HEAP_MAX_SIZE on 64-bit: 2 * DEFAULT_MMAP_THRESHOLD_MAX. */
#define ARENA_HEAP ((uintptr_t)64 << 20)

/*
 * Is [lo, lo + ARENA_HEAP) covered end to end by anonymous private
 * mappings only, according to /proc/self/maps?
 */
static int
anonymous_window(uintptr_t lo)
{
	uintptr_t hi = lo + ARENA_HEAP, at = lo, a, b;
	char line[512], perms[8];
	unsigned long off, ino;
	int n, ok = 0;
	FILE *f = fopen("/proc/self/maps", "re");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%lx-%lx %7s %lx %*s %lu %n", &a, &b, perms,
			&off, &ino, &n) != 5)
			break;
		if (b <= lo || a >= hi)
			continue;
		/* Something else in the window, a gap, or not anonymous. */
		if (a > at || perms[3] != 'p' || ino != 0 || off != 0 ||
		    (line[n] != '\n' && line[n] != '\0'))
			break;
		at = b;
		if (at >= hi) {
			ok = 1;
			break;
		}
	}
	fclose(f);
	return ok;
}

void
hugeheap_thread(void)
{
	void *volatile p = malloc(64);
	void *volatile step;
	uintptr_t lo;

	if (p == NULL)
		return;
	/*
	 * A thread's arena grows a page at a time, and a huge page needs its
	 * whole 2 MiB writable: commit a step now (kept: hugeheap_init()
	 * raised the trim threshold), so that what follows lands in it.
	 */
	step = malloc(HUGEHEAP_STEP / 2);
	free(step);
	/* A block of the main arena is in "[heap]", which has a name: that
	 * window is hugeheap_more()'s, and anonymous_window() says no. */
	lo = (uintptr_t)p & ~(ARENA_HEAP - 1);
	if (anonymous_window(lo))
		(void)madvise((void *)lo, ARENA_HEAP, MADV_HUGEPAGE);
	free(p);
}
