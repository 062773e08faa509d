/*
 * agg_private.h: what aggregate.c and its modules (agg_stack.c,
 * agg_note.c, agg_hist.c) share; nothing outside them includes it.
 */
#ifndef TLSDIAG_AGG_PRIVATE_H
#define TLSDIAG_AGG_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "logrecord.h"

struct agg;
struct agg_proc;

/* Longest piece of a string that goes into a key. */
#define AGG_KEY_FIELD_MAX 1024

/*
 * Append s (or "-" for NULL), cut to AGG_KEY_FIELD_MAX bytes, and its NUL
 * to the scratch key a->key at *len; *len moves past it.
 */
void aggp_key_add(struct agg *a, size_t *len, const char *s);

/* strdup(s), or NULL when s is NULL (or memory ran out). */
char *aggp_strdup(const char *s);

/*
 * The type of the one failure record with no error object (RAND_status
 * returned 0: Python raises nothing) is its call; NULL for any other.
 */
const char *aggp_rand_type(const struct record *r);

/* A failure's type as the report shows it, never NULL. */
const char *aggp_type_of(const struct record *r);

/*
 * Count failure r at its call site (no site: nothing).  Returns 0, or -1
 * if memory ran out.
 */
int aggp_stack_add(struct agg *a, const struct record *r);

/*
 * Merge src's call sites and learned frames into dst (src comes later in
 * the input); what dst takes over is cleared in src.  Returns 0, or -1
 * if memory ran out.
 */
int aggp_stacks_merge(struct agg *dst, struct agg *src);

/* After the last merge: keep AGG_STACK_TYPES types per site, in order. */
void aggp_stacks_merge_done(struct agg *a);

/* Merge src's coverage counts, processes and notes into dst; 0 or -1. */
int aggp_coverage_merge(struct agg *dst, struct agg *src);

/* Merge src's failures per minute into dst; 0 or -1. */
int aggp_minutes_merge(struct agg *dst, const struct agg *src);

/* Free what the stacks and learned frames own (not the maps). */
void aggp_stacks_free(struct agg *a);

/*
 * Fold r's coverage (start, exit, suppressed records) into a->cov and
 * a->notes; p is r's process entry or NULL.  Returns 0, or -1 if memory
 * ran out.
 */
int
aggp_coverage_add(struct agg *a, const struct record *r, struct agg_proc *p);

/* Count a failure at ts in its minute.  Returns 0, or -1 if out of memory. */
int aggp_minute_add(struct agg *a, int64_t ts);

#endif
