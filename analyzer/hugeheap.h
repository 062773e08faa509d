/* hugeheap.h: the report's heap in 2 MiB pages where the kernel allows. */
#ifndef TLSDIAG_HUGEHEAP_H
#define TLSDIAG_HUGEHEAP_H

/* How far the heap grows at a time, and how much of it is advised. */
#define HUGEHEAP_STEP (32u << 20)

/*
 * Grow the main heap by HUGEHEAP_STEP now, keep it (and later growth in
 * steps as large), serve large blocks from it too, and ask the kernel for
 * transparent huge pages over it (madvise; a no-op where THP is off).
 * Memory is still committed only as it is touched.  Call once, early,
 * from the main thread.
 */
void hugeheap_init(void);

/* Advise what the heap grew by since the last call (any thread). */
void hugeheap_more(void);

/*
 * The same for the calling thread's own arena (the tables a --jobs
 * worker fills, libdw's in the symbolizer thread): glibc gives a thread
 * an arena whose heap is one anonymous mapping of 64 MiB, aligned to its
 * size, committed as it grows.  If the aligned 64 MiB around a block the
 * thread allocates is exactly that (anonymous, private, nothing else in
 * it, as /proc/self/maps says), it is advised; otherwise nothing is.
 */
void hugeheap_thread(void);

#endif
