/*
 * test_jobs.c: where --jobs cuts its runs: they cover the input in order,
 * and each round of runs (one per thread) is half the size of the one
 * before, so that the last runs are short.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "../../analyzer/jobs.h"

static double
size_of(unsigned k, unsigned n, unsigned threads)
{
	return jobs_run_end(k, n, threads) -
	    (k == 0 ? 0.0 : jobs_run_end(k - 1, n, threads));
}

Test(jobs, runs_shrink_round_by_round)
{
	static const unsigned threads[] = { 1, 2, 3, 8 };
	unsigned t, n, k;

	for (t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
		n = threads[t] * JOBS_RUNS_PER_THREAD;
		cr_expect(fabs(jobs_run_end(n - 1, n, threads[t]) - 1.0) < 1e-9,
		    "%u threads: the last run ends the input", threads[t]);
		for (k = 0; k + threads[t] < n; k++)
			cr_expect(fabs(size_of(k + threads[t], n, threads[t]) /
					  size_of(k, n, threads[t]) -
				      0.5) < 1e-9,
			    "%u threads: run %u is half of run %u", threads[t],
			    k + threads[t], k);
	}
	/* Two threads, eight runs: the last is under 3 % of the input. */
	cr_expect_lt(size_of(7, 8, 2), 0.03);
}
