/*
 * agg_hist.c: failures per minute, and the histogram of them the report
 * draws, with the spike if there is one.
 */
#include "agg_hist.h"

#include <stdlib.h>
#include <string.h>

#include "agg_private.h"
#include "aggregate.h"

int
aggp_minute_add(struct agg *a, int64_t ts)
{
	struct strmap_ent *e;
	struct agg_minute *m;
	int64_t minute =
	    ts >= 0 ? ts / 60000000 : -((-ts + 59999999) / 60000000);
	int created;

	e = strmap_get(&a->minutes, &minute, sizeof(minute), &created);
	if (e == NULL)
		return -1;
	m = e->val;
	if (m->count == 0 || ts < m->first)
		m->first = ts;
	m->count++;
	return 0;
}

int
aggp_minutes_merge(struct agg *dst, const struct agg *src)
{
	struct strmap_iter it;
	struct strmap_ent *se, *de;
	const struct agg_minute *s;
	struct agg_minute *d;
	int created;

	strmap_reserve_like(&dst->minutes, &src->minutes);
	strmap_iter_init(&it, &src->minutes);
	while ((se = strmap_iter_next(&it)) != NULL) {
		s = se->val;
		de = strmap_get_like(&dst->minutes, se, &created);
		if (de == NULL)
			return -1;
		d = de->val;
		if (d->count == 0 || s->first < d->first)
			d->first = s->first;
		d->count += s->count;
	}
	return 0;
}

static int
cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa;
	uint64_t b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

static void
find_spike(struct agg_hist *h)
{
	uint64_t *sorted;
	uint64_t thr;
	size_t i;

	h->peak = 0;
	for (i = 0; i < h->n; i++) {
		if (h->counts[i] > h->peak) {
			h->peak = h->counts[i];
			h->peak_bucket = i;
		}
	}
	sorted = malloc(h->n * sizeof(*sorted));
	if (sorted == NULL)
		return;
	memcpy(sorted, h->counts, h->n * sizeof(*sorted));
	qsort(sorted, h->n, sizeof(*sorted), cmp_u64);
	h->baseline = sorted[h->n / 2];
	free(sorted);
	if (h->n < 3 || h->peak < 5 || h->peak < 4 * h->baseline)
		return;
	thr = 2 * h->baseline;
	if (h->peak / 4 > thr)
		thr = h->peak / 4;
	i = h->peak_bucket;
	while (i > 0 && h->counts[i - 1] > thr)
		i--;
	h->has_spike = 1;
	h->spike_bucket = i;
}

int
agg_histogram(const struct agg *a, size_t maxbuckets, struct agg_hist *h)
{
	static const int64_t widths[] = { 60, 300, 600, 900, 1800, 3600, 7200,
		21600, 43200, 86400, 604800 };
	struct agg_minute *m;
	struct strmap_iter it;
	struct strmap_ent *e;
	int64_t lo = 0;
	int64_t hi = 0;
	int64_t minute;
	int64_t w;
	size_t i;
	size_t b;
	int any = 0;

	memset(h, 0, sizeof(*h));
	strmap_iter_init(&it, &a->minutes);
	while ((e = strmap_iter_next(&it)) != NULL) {
		memcpy(&minute, e->key, sizeof(minute));
		if (!any || minute < lo)
			lo = minute;
		if (!any || minute > hi)
			hi = minute;
		any = 1;
	}
	if (!any || maxbuckets == 0)
		return 0;
	w = 0;
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		w = widths[i] / 60;
		if ((hi / w - lo / w) + 1 <= (int64_t)maxbuckets)
			break;
	}
	while ((hi / w - lo / w) + 1 > (int64_t)maxbuckets)
		w += 10080;
	/* Minutes before 1970 would floor wrongly; logs do not go there. */
	h->bucket_us = w * 60000000;
	h->start = (lo / w) * w * 60000000;
	h->n = (size_t)(hi / w - lo / w) + 1;
	h->counts = calloc(h->n, sizeof(*h->counts));
	if (h->counts == NULL) {
		h->n = 0;
		return -1;
	}
	strmap_iter_init(&it, &a->minutes);
	while ((e = strmap_iter_next(&it)) != NULL) {
		memcpy(&minute, e->key, sizeof(minute));
		m = e->val;
		b = (size_t)(minute / w - lo / w);
		h->counts[b] += m->count;
	}
	find_spike(h);
	if (!h->has_spike)
		return 0;
	h->spike_first = INT64_MAX;
	strmap_iter_init(&it, &a->minutes);
	while ((e = strmap_iter_next(&it)) != NULL) {
		memcpy(&minute, e->key, sizeof(minute));
		m = e->val;
		if ((size_t)(minute / w - lo / w) == h->spike_bucket &&
		    m->first < h->spike_first)
			h->spike_first = m->first;
	}
	return 0;
}
