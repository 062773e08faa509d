/* coverage.h: records that say what the shim could and could not see. */
#ifndef TLSDIAG_COVERAGE_H
#define TLSDIAG_COVERAGE_H

#include <stdatomic.h>

#include "state.h"

struct ossl;

/* The RAND functions wrap_rand.c wraps, by their bit in coverage_rand. */
enum coverage_rand {
	COVERAGE_RAND_BYTES,
	COVERAGE_RAND_PRIV_BYTES,
	COVERAGE_RAND_STATUS,
	COVERAGE_RAND__COUNT
};

/*
 * Bit per enum coverage_rand the program called (not libssl from inside
 * an intercepted call): listed under "called" in the exit record.  A
 * process whose RAND calls failed or warned (COVERAGE_RAND_FAILED) gets
 * an exit record as one that made TLS calls does; one whose RAND calls
 * all succeeded and made no TLS call gets none, as before.
 */
extern _Atomic unsigned coverage_rand;

/* Set in coverage_rand once a RAND call failed or warned (a record). */
#define COVERAGE_RAND_FAILED (1u << 31)

/* Note a call of RAND function r: after the first, a load and a branch. */
#define COVERAGE_MARK_RAND(r)                                                  \
	do {                                                                   \
		if (!(atomic_load_explicit(&coverage_rand,                     \
			  memory_order_relaxed) &                              \
			(1u << (r))))                                          \
			atomic_fetch_or(&coverage_rand, 1u << (r));            \
	} while (0)

/* A libssl copy was bound for the first time: the first one writes a
 * tlsdiag_start record. */
void coverage_copy_seen(const struct ossl *o);

/*
 * At exit: a tlsdiag_exit record when TLS was used, or when an OpenSSL
 * linked into the executable or another TLS library means the shim could
 * not see it.  A program with no TLS at all gets no record and no file.
 */
void coverage_exit(void);

#endif
