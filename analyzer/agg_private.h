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
