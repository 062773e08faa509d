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
 * it, and madvise(MADV_HUGEPAGE) what it grew by.  Threads' own arenas are
 * left as they are.
 */
#include "hugeheap.h"

#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
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
