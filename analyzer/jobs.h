/* jobs.h: "tlsdiag report --jobs": reading the inputs on several threads. */
#ifndef TLSDIAG_JOBS_H
#define TLSDIAG_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"
#include "report.h"

/*
 * Inputs smaller than this per thread are read by one thread: starting
 * threads would cost more than it saves.
 */
#define JOBS_MIN_BYTES (1024 * 1024)

/*
 * The input is cut into runs, which the threads take in turn, so that one
 * slowed down reads less; they shrink, each round of them half the size
 * of the one before, until a run is about JOBS_TAIL_BYTES: the thread
 * that finishes first then waits for the others a few milliseconds at
 * most.  At least JOBS_MIN_RUNS_PER_THREAD runs per thread, at most
 * JOBS_MAX_RUNS_PER_THREAD (each run has its own groups to merge).
 */
#define JOBS_TAIL_BYTES (4 * 1024 * 1024)
#define JOBS_MIN_RUNS_PER_THREAD 2
#define JOBS_MAX_RUNS_PER_THREAD 16

/*
 * How many runs total bytes are cut into for that many threads: the
 * fewest (within the bounds above) whose last run is at most
 * JOBS_TAIL_BYTES.
 */
unsigned jobs_run_count(uint64_t total, unsigned threads);

/*
 * Where run k of n ends, as a fraction of the input (the last ends at 1),
 * for runs read by that many threads: each round of runs, one per
 * thread, is half the size of the round before.  Threads take the runs
 * in order, so the big ones go first and the last ones are small: a
 * thread slowed for a while (by the symbolizer, by another process)
 * finishes its last run about when the others finish theirs, where equal
 * runs left it up to a whole run behind.
 */
double jobs_run_end(unsigned k, unsigned n, unsigned threads);

/*
 * Read files[0..nfiles) on o->jobs threads into a (initialized, empty),
 * noting unreadable inputs in res, with the same result as reading them
 * in order on one thread.  The input is cut into jobs_run_count() runs,
 * in order, that shrink as they go: plain files are split at line
 * boundaries, a gzip'd file, standard input or anything not a regular
 * file is read whole by one run.  The threads take the runs in turn; each
 * run counts into its own aggregate, and they are merged in input order
 * (agg_merge()).  Returns 0, or 1 when it declined (fewer
 * than two threads' worth of input: nothing was read).
 */
int jobs_collect(const struct report_opts *o, char *const *files, size_t nfiles,
    struct agg *a, struct report_result *res);

#endif
