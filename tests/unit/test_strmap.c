/* test_strmap.c: the analyzer's hash map: lookup, growth, keys, iteration. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/strmap.h"

struct val {
	long n;
	char pad[20]; /* a value size that is not a multiple of 16 */
};

Test(strmap, get_inserts_once_then_finds)
{
	struct strmap m;
	struct strmap_ent *e;
	struct strmap_ent *f;
	int created;

	strmap_init(&m, sizeof(struct val));
	cr_expect_null(strmap_find(&m, "a", 1), "empty map finds nothing");
	e = strmap_get(&m, "alpha", 5, &created);
	cr_assert_not_null(e);
	cr_expect_eq(created, 1);
	cr_expect_eq(((struct val *)e->val)->n, 0, "new values are zeroed");
	((struct val *)e->val)->n = 42;
	f = strmap_get(&m, "alpha", 5, &created);
	cr_expect_eq(f, e, "same entry for the same key");
	cr_expect_eq(created, 0);
	cr_expect_eq(((struct val *)f->val)->n, 42);
	cr_expect_eq(strmap_find(&m, "alpha", 5), e);
	cr_expect_null(strmap_find(&m, "alph", 4), "a prefix is another key");
	cr_expect_eq(m.count, 1);
	cr_expect_eq(e->klen, 5);
	cr_expect_str_eq(e->key, "alpha", "keys are NUL-terminated copies");
	strmap_free(&m);
	cr_expect_eq(m.count, 0);
}

Test(strmap, keys_with_nuls_are_distinct)
{
	struct strmap m;
	struct strmap_ent *a;
	struct strmap_ent *b;
	int created;

	strmap_init(&m, sizeof(int));
	a = strmap_get(&m, "x\0y", 3, &created);
	b = strmap_get(&m, "x\0z", 3, &created);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_expect_neq(a, b, "bytes after a NUL count");
	cr_expect_eq(memcmp(b->key, "x\0z", 4), 0);
	cr_expect_eq(strmap_find(&m, "x\0y", 3), a);
	cr_expect_null(strmap_find(&m, "x", 1));
	strmap_free(&m);
}

/* Entries keep their address and value while the table grows. */
Test(strmap, growth_keeps_entries)
{
	struct strmap m;
	struct strmap_ent *first;
	struct strmap_ent *e;
	char key[32];
	int created;
	int i;

	strmap_init(&m, sizeof(struct val));
	first = strmap_get(&m, "k0", 2, &created);
	cr_assert_not_null(first);
	((struct val *)first->val)->n = -1;
	for (i = 1; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		e = strmap_get(&m, key, strlen(key), &created);
		cr_assert_not_null(e);
		cr_assert_eq(created, 1, "%s", key);
		((struct val *)e->val)->n = i;
	}
	cr_expect_eq(m.count, 5000);
	cr_expect_eq(strmap_find(&m, "k0", 2), first);
	cr_expect_eq(((struct val *)first->val)->n, -1);
	for (i = 1; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		e = strmap_find(&m, key, strlen(key));
		cr_assert_not_null(e, "%s", key);
		cr_assert_eq(((struct val *)e->val)->n, i);
	}
	strmap_free(&m);
}

Test(strmap, iterator_visits_each_entry_once)
{
	struct strmap m;
	struct strmap_iter it;
	struct strmap_ent *e;
	char key[32];
	int seen[300];
	int created;
	int i;
	size_t n = 0;

	strmap_init(&m, sizeof(struct val));
	strmap_iter_init(&it, &m);
	cr_expect_null(strmap_iter_next(&it), "an empty map has no entries");
	for (i = 0; i < 300; i++) {
		snprintf(key, sizeof(key), "key-%d", i);
		e = strmap_get(&m, key, strlen(key), &created);
		cr_assert_not_null(e);
		((struct val *)e->val)->n = i;
	}
	memset(seen, 0, sizeof(seen));
	strmap_iter_init(&it, &m);
	while ((e = strmap_iter_next(&it)) != NULL) {
		i = (int)((struct val *)e->val)->n;
		cr_assert(i >= 0 && i < 300);
		snprintf(key, sizeof(key), "key-%d", i);
		cr_expect_str_eq(e->key, key);
		seen[i]++;
		n++;
	}
	cr_expect_eq(n, 300);
	for (i = 0; i < 300; i++)
		cr_expect_eq(seen[i], 1, "key-%d seen %d times", i, seen[i]);
	cr_expect_null(strmap_iter_next(&it), "the end stays the end");
	strmap_free(&m);
}

/* strmap_entries() returns what the iterator walks. */
Test(strmap, entries_match_the_walk)
{
	struct strmap m;
	struct strmap_iter it;
	struct strmap_ent **v;
	struct strmap_ent *e;
	char key[32];
	int created;
	size_t i;
	size_t k;

	strmap_init(&m, 1);
	cr_expect_null(strmap_entries(&m), "empty: NULL");
	for (i = 0; i < 40; i++) {
		snprintf(key, sizeof(key), "%zu", i * 7919);
		cr_assert_not_null(strmap_get(&m, key, strlen(key), &created));
	}
	v = strmap_entries(&m);
	cr_assert_not_null(v);
	strmap_iter_init(&it, &m);
	for (i = 0; i < m.count; i++) {
		e = strmap_iter_next(&it);
		cr_assert_not_null(e);
		for (k = 0; k < m.count && v[k] != e; k++)
			;
		cr_expect_lt(k, m.count, "%s missing from the array", e->key);
	}
	cr_expect_null(strmap_iter_next(&it));
	free(v);
	strmap_free(&m);
}

/* The longest run of filled slots in m's table. */
static size_t
longest_run(const struct strmap *m)
{
	size_t i, run = 0, best = 0;

	for (i = 0; i < 2 * m->cap; i++) {
		run = m->slots[i % m->cap].ent != NULL ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

/*
 * A merge copies one map into another in the source's slot order, which
 * is the order of the hashes' low bits.  Into a smaller table that order
 * packs the keys into runs thousands of slots long (each insert then
 * walks one); strmap_reserve_like() first keeps the table as large as
 * the source's, and strmap_get_like() reuses the entry's hash.
 */
Test(strmap, merge_in_slot_order_keeps_runs_short)
{
	struct strmap src, dst;
	struct strmap_iter it;
	struct strmap_ent *e, *d;
	char key[32];
	size_t fresh;
	int created;
	int i;

	strmap_init(&src, sizeof(struct val));
	for (i = 0; i < 40000; i++) {
		snprintf(key, sizeof(key), "host\037%d\037prog", i);
		e = strmap_get(&src, key, strlen(key), &created);
		cr_assert_not_null(e);
		cr_assert_eq(e->hash, strmap_hash(key, strlen(key)));
		((struct val *)e->val)->n = i;
	}
	fresh = longest_run(&src);
	strmap_init(&dst, sizeof(struct val));
	d = strmap_get(&dst, "host\0370\037prog", 11, &created);
	cr_assert_not_null(d);
	strmap_reserve_like(&dst, &src);
	cr_expect_geq(dst.cap, src.cap);
	strmap_iter_init(&it, &src);
	while ((e = strmap_iter_next(&it)) != NULL) {
		d = strmap_get_like(&dst, e, &created);
		cr_assert_not_null(d);
		cr_assert_eq(d->hash, e->hash);
		cr_assert_eq(d->klen, e->klen);
		cr_assert_eq(memcmp(d->key, e->key, e->klen + 1), 0);
		cr_assert_eq(created, ((struct val *)e->val)->n != 0,
		    "%s: only key 0 was there", e->key);
	}
	cr_expect_eq(dst.count, 40000);
	cr_expect_leq(longest_run(&dst), 2 * fresh + 16,
	    "runs of %zu slots after the merge, %zu in the source",
	    longest_run(&dst), fresh);
	for (i = 0; i < 40000; i += 997) {
		snprintf(key, sizeof(key), "host\037%d\037prog", i);
		cr_expect_not_null(strmap_find(&dst, key, strlen(key)), "%s",
		    key);
	}
	strmap_free(&src);
	strmap_free(&dst);
}

Test(strmap, reserve_grows_only)
{
	struct strmap m;
	int created;

	strmap_init(&m, sizeof(int));
	cr_assert_eq(strmap_reserve(&m, 0), 0);
	cr_assert_eq(strmap_reserve(&m, 1000), 0);
	cr_expect_geq(m.cap * 3, 1000 * 4);
	cr_assert_not_null(strmap_get(&m, "a", 1, &created));
	cr_assert_eq(strmap_reserve(&m, 10), 0);
	cr_expect_geq(m.cap * 3, 1000 * 4, "a smaller reserve keeps the table");
	cr_expect_not_null(strmap_find(&m, "a", 1));
	cr_expect_eq(strmap_reserve(&m, (size_t)-1), -1);
	cr_expect_not_null(strmap_find(&m, "a", 1));
	strmap_free(&m);
}
