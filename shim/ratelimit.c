/*
 * ratelimit.c: TLSDIAG_RATE, failure records per second per process; what
 * it holds back is counted and reported in a tlsdiag_suppressed record.
 */
#include "ratelimit.h"

#include <stdio.h>
#include <time.h>

#include "emit.h"
#include "shim.h"

/* The tlsdiag_suppressed record: held failures were not written. */
static void
write_suppressed(unsigned long held)
{
	char msg[128];

	snprintf(msg, sizeof(msg),
	    "%lu failure records suppressed by the "
	    "rate limit (TLSDIAG_RATE=%u)",
	    held, shim.cfg.rate);
	emit_suppressed(held, msg);
}

/*
 * A window of one second, lock-free: a failure storm in many threads must
 * not serialize on us.  Races at a window's edge let a record or two more
 * through; none is lost from the counts.
 */
static _Atomic long long rate_second;
static _Atomic unsigned rate_count;
static _Atomic unsigned long rate_held;

int
ratelimit_admit(void)
{
	struct timespec ts;
	unsigned long held = 0;
	long long cur;
	int ok;

	if (shim.cfg.rate == 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	cur = atomic_load_explicit(&rate_second, memory_order_relaxed);
	if (ts.tv_sec != cur &&
	    atomic_compare_exchange_strong(&rate_second, &cur,
		(long long)ts.tv_sec)) {
		atomic_store(&rate_count, 0);
		held = atomic_exchange(&rate_held, 0);
	}
	ok = atomic_fetch_add_explicit(&rate_count, 1, memory_order_relaxed) <
	    shim.cfg.rate;
	if (!ok) {
		atomic_fetch_add_explicit(&rate_held, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&shim.suppressed, 1,
		    memory_order_relaxed);
	}
	if (held > 0)
		write_suppressed(held);
	return ok;
}

void
ratelimit_flush(void)
{
	unsigned long held = atomic_exchange(&rate_held, 0);

	if (held > 0)
		write_suppressed(held);
}

void
ratelimit_atfork_child(void)
{
	atomic_store(&rate_held, 0);
}
