/* view.h: what every output format shares: limits, shares, frame names. */
#ifndef TLSDIAG_VIEW_H
#define TLSDIAG_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"
#include "symbolize.h"

struct groupby;
struct baseline_diff;
struct timeline;

/* Everything a renderer needs besides the output stream. */
struct view {
	const struct agg *agg;
	size_t top;		/* rows per table; 0 means all */
	int64_t now;		/* microseconds */
	struct symbolizer *sym; /* NULL: do not symbolize */
	char *const *errors;	/* input errors, already formatted */
	size_t nerrors;
	const struct groupby *gb;	/* --group-by, or NULL */
	const struct baseline_diff *bl; /* --baseline, or NULL */
	const struct timeline *tl;	/* failures by type and minute */
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

/*
 * One line for people about a note, e.g. "node carries its own OpenSSL
 * (statically linked): nothing could be hooked", with " (N processes)"
 * when count > 1.  program and detail are used as given (escape them
 * first for a terminal).
 */
void view_note_describe(int kind, const char *program, const char *detail,
    uint64_t count, char *buf, size_t bufsz);

/*
 * ", N more suppressed by the rate limit" when n is not 0, else "", in
 * buf (48 bytes are enough); returns buf.
 */
const char *view_suppressed(uint64_t n, char *buf, size_t bufsz);

/*
 * One line naming group g, "TYPE: reason  peer P (ADDR)  program X", each
 * part escaped for a terminal and cut to its width, into buf; returns
 * buf.  (--follow's live lines, --baseline's sections.)
 */
const char *view_group_line(const struct agg_group *g, char *buf, size_t bufsz);

#endif
