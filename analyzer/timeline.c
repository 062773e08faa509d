/*
 * timeline.c: the HTML report's chart data.  report.c's on_record hook
 * counts each failure by type and minute; render_html.c sums the minutes
 * into the histogram's buckets.
 */
#include "timeline.h"

#include <stdlib.h>
#include <string.h>

#include "agg_private.h"

#define TYPE_MAX 256
#define MINUTE_US 60000000LL

struct timeline *
timeline_new(void)
{
	struct timeline *tl = calloc(1, sizeof(*tl));

	if (tl != NULL)
		strmap_init(&tl->cells, sizeof(uint64_t));
	return tl;
}

void
timeline_free(struct timeline *tl)
{
	if (tl == NULL)
		return;
	strmap_free(&tl->cells);
	free(tl);
}

/* The minute of ts, rounded down also before 1970. */
static int64_t
minute_of(int64_t ts)
{
	return ts >= 0 ? ts / MINUTE_US : -((-ts + MINUTE_US - 1) / MINUTE_US);
}

void
timeline_hook(void *arg, struct agg *a, const struct record *r)
{
	struct timeline *tl = arg;
	struct strmap_ent *e;
	char key[TYPE_MAX + 1 + sizeof(int64_t)];
	const char *type;
	int64_t m;
	size_t n;
	int created;

	(void)a;
	if (!r->is_failure)
		return;
	type = aggp_type_of(r);
	n = strnlen(type, TYPE_MAX);
	memcpy(key, type, n);
	key[n] = '\0';
	m = minute_of(r->ts);
	memcpy(key + n + 1, &m, sizeof(m));
	e = strmap_get(&tl->cells, key, n + 1 + sizeof(m), &created);
	if (e == NULL) {
		tl->nomem = 1;
		return;
	}
	(*(uint64_t *)e->val)++;
}

void
timeline_buckets(const struct timeline *tl, const char *type, int64_t start,
    int64_t width, size_t n, uint64_t *counts)
{
	struct strmap_iter it;
	struct strmap_ent *e;
	size_t len = strnlen(type, TYPE_MAX);
	int64_t m, at;

	if (width <= 0)
		return;
	strmap_iter_init(&it, &tl->cells);
	while ((e = strmap_iter_next(&it)) != NULL) {
		if (e->klen != len + 1 + sizeof(m) ||
		    memcmp(e->key, type, len) != 0)
			continue;
		memcpy(&m, e->key + len + 1, sizeof(m));
		at = m * MINUTE_US;
		if (at < start || (at - start) / width >= (int64_t)n)
			continue;
		counts[(at - start) / width] += *(const uint64_t *)e->val;
	}
}
