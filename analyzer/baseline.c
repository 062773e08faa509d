/*
 * baseline.c: --baseline FILE... and --baseline-until TIME.  report.c
 * collects the normal period into its own aggregate; this compares the
 * failure groups of the period under investigation with it: groups the
 * baseline never saw are new, groups whose rate per hour rose at least
 * BASELINE_GROWTH times have grown.
 */
#include "baseline.h"

#include <stdlib.h>
#include <string.h>

#include "certtime.h"
#include "termsafe.h"
#include "view.h"

/* Hours from a's first to last matched record, at least the minimum. */
static double
period_hours(const struct agg *a)
{
	int64_t span = a->has_span ? a->last - a->first : 0;

	if (span < BASELINE_MIN_SPAN)
		span = BASELINE_MIN_SPAN;
	return (double)span / 3600e6;
}

int
baseline_compare(const struct agg *base, const struct agg *cur,
    struct baseline_diff *d)
{
	struct strmap_ent **e;
	struct strmap_ent *b;
	struct baseline_row row;
	size_t i;

	memset(d, 0, sizeof(*d));
	d->base_hours = period_hours(base);
	d->cur_hours = period_hours(cur);
	d->base_failures = base->failures;
	if (cur->groups.count == 0)
		return 0;
	e = agg_sorted(&cur->groups);
	d->fresh = calloc(cur->groups.count, sizeof(*d->fresh));
	d->grown = calloc(cur->groups.count, sizeof(*d->grown));
	if (e == NULL || d->fresh == NULL || d->grown == NULL) {
		free(e);
		baseline_free(d);
		return -1;
	}
	for (i = 0; i < cur->groups.count; i++) {
		memset(&row, 0, sizeof(row));
		row.g = e[i]->val;
		row.cur_rate = (double)row.g->st.count / d->cur_hours;
		b = strmap_find(&base->groups, e[i]->key, e[i]->klen);
		if (b == NULL) {
			d->fresh[d->nfresh++] = row;
			continue;
		}
		row.base_count = ((const struct agg_group *)b->val)->st.count;
		row.base_rate = (double)row.base_count / d->base_hours;
		if (row.cur_rate >= BASELINE_GROWTH * row.base_rate)
			d->grown[d->ngrown++] = row;
	}
	free(e);
	return 0;
}

void
baseline_free(struct baseline_diff *d)
{
	free(d->fresh);
	free(d->grown);
	d->fresh = NULL;
	d->grown = NULL;
	d->nfresh = 0;
	d->ngrown = 0;
}

void
baseline_text(const struct view *v, FILE *out)
{
	const struct baseline_diff *d = v->bl;
	char line[800];
	char b1[CERTTIME_BUFSZ];
	size_t i, n;

	if (d == NULL)
		return;
	fprintf(out,
	    "\nBaseline  %llu failures over %.1f h; this period %llu over "
	    "%.1f h\n",
	    (unsigned long long)d->base_failures, d->base_hours,
	    (unsigned long long)v->agg->failures, d->cur_hours);
	n = view_limit(v, d->nfresh);
	fprintf(out, "\nNew since the baseline (%zu of %zu)\n", n, d->nfresh);
	for (i = 0; i < n; i++) {
		const struct agg_group *g = d->fresh[i].g;

		fprintf(out, "  %7llu  %s\n      first %s, %.1f per hour\n",
		    (unsigned long long)g->st.count,
		    view_group_line(g, line, sizeof(line)),
		    certtime_format(g->st.first, 0, b1), d->fresh[i].cur_rate);
	}
	n = view_limit(v, d->ngrown);
	fprintf(out, "\nGrown (%zu of %zu, rate per hour up %.0fx or more)\n",
	    n, d->ngrown, BASELINE_GROWTH);
	for (i = 0; i < n; i++) {
		const struct baseline_row *r = &d->grown[i];

		fprintf(out,
		    "  %7llu  %s\n      %.1f per hour, was %.1f (%llu in the "
		    "baseline)\n",
		    (unsigned long long)r->g->st.count,
		    view_group_line(r->g, line, sizeof(line)), r->cur_rate,
		    r->base_rate, (unsigned long long)r->base_count);
	}
}

/* Add a string member, made valid UTF-8.  0, or -1 if out of memory. */
static int
add_str(cJSON *o, const char *k, const char *s)
{
	char *u = termsafe_utf8_dup(s);
	int rc = u != NULL && cJSON_AddStringToObject(o, k, u) != NULL ? 0 : -1;

	free(u);
	return rc;
}

static int
add_num(cJSON *o, const char *k, double d)
{
	return cJSON_AddNumberToObject(o, k, d) != NULL ? 0 : -1;
}

/* d to two decimals, so rates read well. */
static double
hundredths(double d)
{
	return (double)(int64_t)(d * 100 + 0.5) / 100;
}

/* The array k of rows[0..n) (with the baseline's figures if grown). */
static int
json_rows(const struct view *v, cJSON *root, const char *k,
    const struct baseline_row *rows, size_t n, int grown)
{
	char b[CERTTIME_BUFSZ];
	cJSON *arr, *o;
	size_t i;
	int rc = 0;

	arr = cJSON_AddArrayToObject(root, k);
	if (arr == NULL)
		return -1;
	n = view_limit(v, n);
	for (i = 0; i < n; i++) {
		const struct agg_group *g = rows[i].g;

		o = cJSON_CreateObject();
		if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			return -1;
		}
		rc |= add_str(o, "type", g->type);
		rc |= add_str(o, "reason", g->reason);
		rc |= add_str(o, "sni", strcmp(g->sni, "-") != 0 ? g->sni : "");
		rc |= add_str(o, "address",
		    strcmp(g->addr, "-") != 0 ? g->addr : "");
		rc |= add_str(o, "program", g->program);
		rc |= add_num(o, "count", (double)g->st.count);
		rc |= add_str(o, "first_seen",
		    certtime_format(g->st.first, 1, b));
		rc |=
		    add_str(o, "last_seen", certtime_format(g->st.last, 1, b));
		rc |= add_num(o, "rate_per_hour", hundredths(rows[i].cur_rate));
		if (grown) {
			rc |= add_num(o, "baseline_count",
			    (double)rows[i].base_count);
			rc |= add_num(o, "baseline_rate_per_hour",
			    hundredths(rows[i].base_rate));
		}
	}
	return rc;
}

int
baseline_json(const struct view *v, cJSON *root)
{
	const struct baseline_diff *d = v->bl;
	cJSON *o;
	int rc = 0;

	if (d == NULL)
		return 0;
	o = cJSON_AddObjectToObject(root, "baseline");
	if (o == NULL)
		return -1;
	rc |= add_num(o, "failures", (double)d->base_failures);
	rc |= add_num(o, "hours", hundredths(d->base_hours));
	rc |= add_num(o, "current_hours", hundredths(d->cur_hours));
	rc |= add_num(o, "growth_factor", BASELINE_GROWTH);
	rc |= json_rows(v, root, "new_since_baseline", d->fresh, d->nfresh, 0);
	rc |= json_rows(v, root, "grown", d->grown, d->ngrown, 1);
	return rc;
}
