/* timeline.h: failures per type and minute, for the HTML report's chart. */
#ifndef TLSDIAG_TIMELINE_H
#define TLSDIAG_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"
#include "strmap.h"

/*
 * Key: the type (as the report shows it, cut to 256 bytes), a NUL, then
 * the minute (microseconds / 60e6) as 8 bytes; value: a uint64_t count.
 * Memory follows types x minutes with failures.
 */
struct timeline {
	struct strmap cells;
	int nomem; /* a failure could not be counted */
};

/* A new empty timeline, or NULL if memory ran out. */
struct timeline *timeline_new(void);

/* Free tl; NULL is fine. */
void timeline_free(struct timeline *tl);

/*
 * A report_opts on_record hook: count failure r in its type's minute
 * (arg is the struct timeline).
 */
void timeline_hook(void *arg, struct agg *a, const struct record *r);

/*
 * Add the failures of type to counts[0..n): bucket i holds the minutes
 * starting in [start + i * width, start + (i + 1) * width) microseconds.
 */
void timeline_buckets(const struct timeline *tl, const char *type,
    int64_t start, int64_t width, size_t n, uint64_t *counts);

#endif
