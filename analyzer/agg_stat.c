/*
 * agg_stat.c: the count and time span of an aggregated value, and the one
 * order every table of the report is sorted in.
 */
#include "agg_stat.h"

#include <stdlib.h>
#include <string.h>

void
agg_stat_add(struct agg_stat *st, int64_t ts)
{
	if (st->count == 0 || ts < st->first)
		st->first = ts;
	if (st->count == 0 || ts > st->last)
		st->last = ts;
	st->count++;
}

void
agg_stat_merge(struct agg_stat *d, const struct agg_stat *s)
{
	if (s->count == 0)
		return;
	if (d->count == 0 || s->first < d->first)
		d->first = s->first;
	if (d->count == 0 || s->last > d->last)
		d->last = s->last;
	d->count += s->count;
}

static int
cmp_stat(const void *pa, const void *pb)
{
	const struct strmap_ent *ea = *(const struct strmap_ent *const *)pa;
	const struct strmap_ent *eb = *(const struct strmap_ent *const *)pb;
	const struct agg_stat *a = ea->val;
	const struct agg_stat *b = eb->val;
	size_t n;
	int c;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	n = ea->klen < eb->klen ? ea->klen : eb->klen;
	c = memcmp(ea->key, eb->key, n);
	if (c != 0)
		return c;
	return ea->klen < eb->klen ? -1 : ea->klen > eb->klen;
}

struct strmap_ent **
agg_sorted(const struct strmap *map)
{
	struct strmap_ent **v = strmap_entries(map);

	if (v != NULL)
		qsort(v, map->count, sizeof(*v), cmp_stat);
	return v;
}
