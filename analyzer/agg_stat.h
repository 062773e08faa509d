/* agg_stat.h: the count and time span every aggregated value starts with. */
#ifndef TLSDIAG_AGG_STAT_H
#define TLSDIAG_AGG_STAT_H

#include <stdint.h>

#include "strmap.h"

/* Every counted value starts with this, so one sort order serves all. */
struct agg_stat {
	uint64_t count;
	int64_t first; /* microseconds */
	int64_t last;
};

/* Count one more occurrence at ts (microseconds). */
void agg_stat_add(struct agg_stat *st, int64_t ts);

/* Fold the counts and span of s into d. */
void agg_stat_merge(struct agg_stat *d, const struct agg_stat *s);

/*
 * Entries of map sorted by count (descending), first seen, then key, for
 * maps whose values start with struct agg_stat.  Returns a malloc'd array
 * of map->count entries (NULL if empty or out of memory).
 */
struct strmap_ent **agg_sorted(const struct strmap *map);

#endif
