/* strmap.h: a hash map from byte-string keys to fixed-size values. */
#ifndef TLSDIAG_STRMAP_H
#define TLSDIAG_STRMAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * One entry.  The key is a private NUL-terminated copy (keys may contain
 * NULs; klen is authoritative); val points to valsize zeroed bytes owned
 * by the map.  Both stay at the same address until strmap_free().
 */
struct strmap_ent {
	uint64_t hash;
	size_t klen;
	char *key;
	void *val;
};

/* A table slot: the entry's hash beside it, so that a probe past another
 * key reads no entry. */
struct strmap_slot {
	uint64_t hash;
	struct strmap_ent *ent; /* NULL: empty */
};

/* The table is private to strmap.c: walk it with a strmap_iter. */
struct strmap {
	struct strmap_slot *slots;
	size_t cap;
	size_t count;
	size_t valsize;
};

/* A position in a map; see strmap_iter_init(). */
struct strmap_iter {
	const struct strmap *map;
	size_t pos;
};

/* Initialize an empty map whose values are valsize bytes. */
void strmap_init(struct strmap *m, size_t valsize);

/* Free all entries and the table; values' own pointers are the caller's. */
void strmap_free(struct strmap *m);

/*
 * Find key, inserting a zeroed value if absent (then *created is set to 1,
 * else 0).  Returns the entry, or NULL if memory ran out.
 */
struct strmap_ent *
strmap_get(struct strmap *m, const void *key, size_t klen, int *created);

/* The hash strmap_get() gives key (an entry keeps it in ->hash). */
uint64_t strmap_hash(const void *key, size_t klen);

/* strmap_get() for a key whose strmap_hash() is known. */
struct strmap_ent *strmap_get_hashed(struct strmap *m, const void *key,
    size_t klen, uint64_t hash, int *created);

/* strmap_get() for the key of another map's entry e (a merge). */
struct strmap_ent *
strmap_get_like(struct strmap *m, const struct strmap_ent *e, int *created);

/*
 * Make room for n entries without growing again.  Returns 0, or -1 if
 * memory ran out (the map is unchanged).  Before copying one map into
 * another: inserting in the source's slot order into a smaller table
 * packs the keys into long runs.
 */
int strmap_reserve(struct strmap *m, size_t n);

/* Before merging src into dst: room for as many entries as either has. */
void strmap_reserve_like(struct strmap *dst, const struct strmap *src);

/* Find key without inserting.  Returns the entry or NULL. */
struct strmap_ent *
strmap_find(const struct strmap *m, const void *key, size_t klen);

/*
 * Return a malloc'd array of the map's m->count entries, in unspecified
 * order (NULL if the map is empty or memory ran out).  The caller frees
 * the array, not the entries.
 */
struct strmap_ent **strmap_entries(const struct strmap *m);

/*
 * Start a walk over m's entries, in unspecified order:
 *
 *	strmap_iter_init(&it, m);
 *	while ((e = strmap_iter_next(&it)) != NULL)
 *
 * Inserting into m during the walk invalidates it; changing values does not.
 */
void strmap_iter_init(struct strmap_iter *it, const struct strmap *m);

/* The next entry of the walk, or NULL after the last. */
struct strmap_ent *strmap_iter_next(struct strmap_iter *it);

#endif
