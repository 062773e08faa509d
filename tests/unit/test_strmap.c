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
