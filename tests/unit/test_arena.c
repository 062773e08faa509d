/* test_arena.c: the bump allocator behind record parsing. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "../../analyzer/arena.h"

Test(arena, aligned_disjoint_and_kept_across_chunks)
{
	struct arena a = { .chunk_size = 256 };
	unsigned char *p[200];
	size_t i;
	size_t j;

	for (i = 0; i < 200; i++) {
		p[i] = arena_alloc(&a, 1 + i % 37);
		cr_assert_not_null(p[i]);
		cr_expect_eq((uintptr_t)p[i] % ARENA_ALIGN, 0, "alloc %zu", i);
		memset(p[i], (int)i, 1 + i % 37);
	}
	for (i = 0; i < 200; i++)
		for (j = 0; j < 1 + i % 37; j++)
			cr_assert_eq(p[i][j], (unsigned char)i,
			    "alloc %zu byte %zu overwritten", i, j);
	arena_free(&a);
	cr_expect_null(a.head);
}

Test(arena, larger_than_a_chunk)
{
	struct arena a = { .chunk_size = 64 };
	char *small = arena_alloc(&a, 8);
	char *big = arena_alloc(&a, 10000);

	cr_assert_not_null(small);
	cr_assert_not_null(big);
	memset(big, 'x', 10000);
	cr_expect_eq(big[9999], 'x');
	arena_free(&a);
}

Test(arena, reset_keeps_the_largest_chunk_only)
{
	struct arena a = { .chunk_size = 64 };
	struct arena_chunk *c;
	char *big;
	size_t n = 0;

	(void)arena_alloc(&a, 32);
	big = arena_alloc(&a, 5000);
	(void)arena_alloc(&a, 48);
	arena_reset(&a);
	for (c = a.head; c != NULL; c = c->next)
		n++;
	cr_expect_eq(n, 1, "%zu chunks left after reset", n);
	cr_expect_eq(arena_alloc(&a, 16), big,
	    "the reset arena reuses its largest chunk from the start");
	arena_free(&a);
}

Test(arena, zero_and_overflowing_requests)
{
	struct arena a = { 0 };
	void *z1 = arena_alloc(&a, 0);
	void *z2 = arena_alloc(&a, 0);

	cr_expect_not_null(z1);
	cr_expect_neq(z1, z2, "zero-byte allocations are distinct");
	cr_expect_null(arena_alloc(&a, SIZE_MAX));
	cr_expect_null(arena_alloc(&a, SIZE_MAX - 20));
	arena_free(&a);
}
