/*
 * strmap.c: open-addressing hash map used for every "group by" in the
 * analyzer.  Memory is proportional to the number of distinct keys, which
 * is what keeps the report streaming.
 */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a, 64 bit: short keys, fast enough, no dependency. */
static uint64_t
hash_bytes(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
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
		free(m->slots[i]);
	free(m->slots);
	m->slots = NULL;
	m->cap = 0;
	m->count = 0;
}

static size_t
probe(struct strmap_ent *const *slots, size_t cap, uint64_t h, const void *key,
    size_t klen)
{
	size_t i = (size_t)h & (cap - 1);

	while (slots[i] != NULL) {
		if (slots[i]->hash == h && slots[i]->klen == klen &&
		    memcmp(slots[i]->key, key, klen) == 0)
			break;
		i = (i + 1) & (cap - 1);
	}
	return i;
}

static int
grow(struct strmap *m)
{
	struct strmap_ent **ns;
	size_t ncap = m->cap ? m->cap * 2 : 16;
	size_t i;
	size_t j;

	ns = calloc(ncap, sizeof(*ns));
	if (ns == NULL)
		return -1;
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i] == NULL)
			continue;
		j = (size_t)m->slots[i]->hash & (ncap - 1);
		while (ns[j] != NULL)
			j = (j + 1) & (ncap - 1);
		ns[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

struct strmap_ent *
strmap_find(const struct strmap *m, const void *key, size_t klen)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	i = probe(m->slots, m->cap, hash_bytes(key, klen), key, klen);
	return m->slots[i];
}

struct strmap_ent *
strmap_get(struct strmap *m, const void *key, size_t klen, int *created)
{
	struct strmap_ent *e;
	uint64_t h = hash_bytes(key, klen);
	size_t vsz = (m->valsize + 15) & ~(size_t)15;
	size_t hsz = (sizeof(*e) + 15) & ~(size_t)15;
	size_t i;

	*created = 0;
	if (m->cap != 0) {
		i = probe(m->slots, m->cap, h, key, klen);
		if (m->slots[i] != NULL)
			return m->slots[i];
	}
	if ((m->count + 1) * 4 > m->cap * 3 && grow(m) == -1)
		return NULL;
	e = calloc(1, hsz + vsz + klen + 1);
	if (e == NULL)
		return NULL;
	e->hash = h;
	e->klen = klen;
	e->val = (char *)e + hsz;
	e->key = (char *)e + hsz + vsz;
	memcpy(e->key, key, klen);
	i = probe(m->slots, m->cap, h, key, klen);
	m->slots[i] = e;
	m->count++;
	*created = 1;
	return e;
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
		if (m->slots[it->pos++] != NULL)
			return m->slots[it->pos - 1];
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
