/* agg_hist.h: failures per minute, and the histogram built from them. */
#ifndef TLSDIAG_AGG_HIST_H
#define TLSDIAG_AGG_HIST_H

#include <stddef.h>
#include <stdint.h>

struct agg;

struct agg_minute {
	uint64_t count;
	int64_t first; /* first failure in this minute */
};

/* The failure histogram, with its spike if there is one. */
struct agg_hist {
	int64_t bucket_us; /* bucket width */
	int64_t start;	   /* start of bucket 0 (aligned to the width) */
	size_t n;
	uint64_t *counts; /* malloc'd, n entries */
	uint64_t peak;
	size_t peak_bucket;
	uint64_t baseline; /* median bucket count */
	int has_spike;
	size_t spike_bucket; /* first bucket of the run up to the peak */
	int64_t spike_first; /* first failure in that bucket */
};

/*
 * Build the histogram of failures over at most maxbuckets buckets (the
 * width is the smallest of 1m, 5m, 10m, 15m, 30m, 1h, 2h, 6h, 12h, 1d, 1w
 * and whole weeks that fits).  A spike is a peak bucket of at least 5
 * failures and at least 4 times the median; it began at the earliest
 * bucket of the contiguous run before the peak whose counts exceed
 * max(2 * median, peak / 4).  Returns 0 (h->n is 0 when there were no
 * failures) or -1 if memory ran out.  Free h->counts.
 */
int agg_histogram(const struct agg *a, size_t maxbuckets, struct agg_hist *h);

#endif
