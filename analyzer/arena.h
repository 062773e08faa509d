/* arena.h: a bump allocator for short-lived parse trees. */
#ifndef TLSDIAG_ARENA_H
#define TLSDIAG_ARENA_H

#include <stddef.h>

/* A chunk's header; data follows.  Public only for the inline fast path. */
struct arena_chunk {
	struct arena_chunk *next;
	size_t cap;
	size_t used;
};

#define ARENA_ALIGN 16
#define ARENA_HDR                                                              \
	((sizeof(struct arena_chunk) + ARENA_ALIGN - 1) &                      \
	    ~(size_t)(ARENA_ALIGN - 1))

/*
 * Memory handed out by arena_alloc() lives until arena_reset(); there is
 * no per-allocation free.  Zero-initialize a struct arena to start empty.
 */
struct arena {
	struct arena_chunk *head; /* chunk being filled; older ones follow */
	size_t chunk_size;	  /* minimum size of a new chunk */
};

/* The slow path of arena_alloc(): start a new chunk. */
void *arena_alloc_chunk(struct arena *a, size_t n);

/*
 * n bytes aligned to ARENA_ALIGN (as malloc's are on 64-bit glibc), or
 * NULL if memory ran out.  Valid until the next arena_reset() or
 * arena_free().  Inline because a parse makes a call per JSON node.
 */
static inline void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t r = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	void *p;

	if (r < n)
		return NULL; /* wrapped around while rounding */
	if (r == 0)
		r = ARENA_ALIGN;
	if (c == NULL || c->cap - c->used < r)
		return arena_alloc_chunk(a, r);
	p = (char *)c + ARENA_HDR + c->used;
	c->used += r;
	return p;
}

/*
 * Forget every allocation.  The largest chunk is kept for reuse and the
 * others are freed, so the arena's footprint is that of the largest single
 * tree built between two resets, not of everything ever allocated.
 */
void arena_reset(struct arena *a);

/* Free all chunks; the arena is empty afterwards and may be reused. */
void arena_free(struct arena *a);

#endif
