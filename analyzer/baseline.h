/* baseline.h: --baseline: what is new or grown against a normal period. */
#ifndef TLSDIAG_BASELINE_H
#define TLSDIAG_BASELINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "aggregate.h"

struct view;

/* A group grew when its rate per hour is at least this many times more. */
#define BASELINE_GROWTH 3.0

/* Shortest period a rate is taken over (microseconds): one minute. */
#define BASELINE_MIN_SPAN 60000000LL

/* One failure group of the current period, against the baseline. */
struct baseline_row {
	const struct agg_group *g; /* the current period's group */
	uint64_t base_count;	   /* its failures in the baseline */
	double base_rate;	   /* failures per hour */
	double cur_rate;
};

/*
 * The comparison.  A period's rate is its failures over the span of its
 * matched records (first to last), at least BASELINE_MIN_SPAN.
 */
struct baseline_diff {
	struct baseline_row *fresh; /* absent from the baseline, malloc'd */
	size_t nfresh;
	struct baseline_row *grown; /* rate up BASELINE_GROWTH times */
	size_t ngrown;
	double base_hours; /* the periods' lengths */
	double cur_hours;
	uint64_t base_failures;
};

/*
 * Compare the current period's groups cur with the baseline's base.  New
 * and grown rows come sorted as the groups are (count, first seen).
 * Returns 0, or -1 if memory ran out (d is then empty).  Free with
 * baseline_free().
 */
int baseline_compare(const struct agg *base, const struct agg *cur,
    struct baseline_diff *d);

/* Free what baseline_compare() allocated; d may be all zero. */
void baseline_free(struct baseline_diff *d);

/* The text sections "New since the baseline" and "Grown". */
void baseline_text(const struct view *v, FILE *out);

/*
 * The JSON members "baseline" (period lengths), "new_since_baseline" and
 * "grown".  Returns 0, or -1 if memory ran out.
 */
int baseline_json(const struct view *v, cJSON *root);

#endif
