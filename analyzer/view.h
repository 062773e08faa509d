/* view.h: what every output format shares: limits, shares, frame names. */
#ifndef TLSDIAG_VIEW_H
#define TLSDIAG_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"
#include "symbolize.h"

/* Everything a renderer needs besides the output stream. */
struct view {
	const struct agg *agg;
	size_t top;		/* rows per table; 0 means all */
	int64_t now;		/* microseconds */
	struct symbolizer *sym;	/* NULL: do not symbolize */
	char *const *errors;	/* input errors, already formatted */
	size_t nerrors;
};

/* Rows to show of a table with n entries. */
size_t view_limit(const struct view *v, size_t n);

/* count as a percentage of all failures (0 when there are none). */
double view_share(const struct view *v, uint64_t count);

/*
 * Symbolize a frame: out gets libdw's answer, or the status why not.  The
 * record's own symbol, if any, is left to the caller as a fallback.
 */
void view_frame(const struct view *v, const struct agg_frame *f,
    struct sym_result *out);

#endif
