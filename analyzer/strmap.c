/*
 * strmap.c: open-addressing hash map used for every "group by" in the
 * analyzer.  Memory is proportional to the number of distinct keys, which
 * is what keeps the report streaming.
 */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

/*
 * XXH3 (libxxhash, inlined): eight bytes a step, where FNV-1a took one;
 * the report hashes a few hundred key bytes per record.
 */
uint64_t
strmap_hash(const void *key, size_t klen)
{
	return XXH3_64bits(key, klen);
}

void
strmap_init(struct strmap *m, size_t valsize)
{
	m->slots = NULL;
	m->cap = 0;
	m->count = 0;
	m->valsize = valsize;
}

void
strmap_free(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->slots[i].ent);
	free(m->slots);
	m->slots = NULL;
	m->cap = 0;
	m->count = 0;
}

/* The slot of key in slots (cap a power of two, not full): its entry's,
 * or the empty one where it would go. */
static size_t
probe(const struct strmap_slot *slots, size_t cap, uint64_t h, const void *key,
    size_t klen)
{
	size_t i = (size_t)h & (cap - 1);

	while (slots[i].ent != NULL) {
		if (slots[i].hash == h && slots[i].ent->klen == klen &&
		    memcmp(slots[i].ent->key, key, klen) == 0)
			break;
		i = (i + 1) & (cap - 1);
	}
	return i;
}

/* Move the table to ncap slots (a power of two above m->count). */
static int
resize(struct strmap *m, size_t ncap)
{
	struct strmap_slot *ns;
	size_t i;
	size_t j;

	ns = calloc(ncap, sizeof(*ns));
	if (ns == NULL)
		return -1;
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].ent == NULL)
			continue;
		j = (size_t)m->slots[i].hash & (ncap - 1);
		while (ns[j].ent != NULL)
			j = (j + 1) & (ncap - 1);
		ns[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

/* The smallest table (a power of two, at least 16) that holds n entries
 * at most three quarters full, or 0 if n is absurd. */
static size_t
cap_for(size_t n)
{
	size_t cap = 16;

	if (n > SIZE_MAX / 8)
		return 0;
	while (n * 4 > cap * 3)
		cap *= 2;
	return cap;
}

int
strmap_reserve(struct strmap *m, size_t n)
{
	size_t cap = cap_for(n);

	if (cap == 0)
		return -1;
	if (cap <= m->cap)
		return 0;
	return resize(m, cap);
}

void
strmap_reserve_like(struct strmap *dst, const struct strmap *src)
{
	/* On failure the merge grows the table as it goes. */
	(void)strmap_reserve(dst,
	    dst->count > src->count ? dst->count : src->count);
}

struct strmap_ent *
strmap_find(const struct strmap *m, const void *key, size_t klen)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	i = probe(m->slots, m->cap, strmap_hash(key, klen), key, klen);
	return m->slots[i].ent;
}

struct strmap_ent *
strmap_get_hashed(struct strmap *m, const void *key, size_t klen, uint64_t h,
    int *created)
{
	struct strmap_ent *e;
	size_t vsz = (m->valsize + 15) & ~(size_t)15;
	size_t hsz = (sizeof(*e) + 15) & ~(size_t)15;
	size_t i = 0;

	*created = 0;
	if (m->cap != 0) {
		i = probe(m->slots, m->cap, h, key, klen);
		if (m->slots[i].ent != NULL)
			return m->slots[i].ent;
	}
	if ((m->count + 1) * 4 > m->cap * 3) {
		if (resize(m, m->cap ? m->cap * 2 : 16) == -1)
			return NULL;
		i = probe(m->slots, m->cap, h, key, klen);
	}
	e = calloc(1, hsz + vsz + klen + 1);
	if (e == NULL)
		return NULL;
	e->hash = h;
	e->klen = klen;
	e->val = (char *)e + hsz;
	e->key = (char *)e + hsz + vsz;
	memcpy(e->key, key, klen);
	m->slots[i].hash = h;
	m->slots[i].ent = e;
	m->count++;
	*created = 1;
	return e;
}

struct strmap_ent *
strmap_get_like(struct strmap *m, const struct strmap_ent *e, int *created)
{
	return strmap_get_hashed(m, e->key, e->klen, e->hash, created);
}

struct strmap_ent *
strmap_get(struct strmap *m, const void *key, size_t klen, int *created)
{
	return strmap_get_hashed(m, key, klen, strmap_hash(key, klen), created);
}

void
strmap_iter_init(struct strmap_iter *it, const struct strmap *m)
{
	it->map = m;
	it->pos = 0;
}

struct strmap_ent *
strmap_iter_next(struct strmap_iter *it)
{
	const struct strmap *m = it->map;

	while (it->pos < m->cap) {
		if (m->slots[it->pos++].ent != NULL)
			return m->slots[it->pos - 1].ent;
	}
	return NULL;
}

struct strmap_ent **
strmap_entries(const struct strmap *m)
{
	struct strmap_iter it;
	struct strmap_ent **v;
	struct strmap_ent *e;
	size_t n = 0;

	if (m->count == 0)
		return NULL;
	v = malloc(m->count * sizeof(*v));
	if (v == NULL)
		return NULL;
	strmap_iter_init(&it, m);
	while ((e = strmap_iter_next(&it)) != NULL)
		v[n++] = e;
	return v;
}
