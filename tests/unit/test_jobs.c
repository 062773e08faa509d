/*
 * test_jobs.c: where --jobs cuts its runs: they cover the input in order,
 * each round of runs (one per thread) is half the size of the one before,
 * and there are just enough of them for the last to be short.
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
	static const uint64_t totals[] = { 8u << 20, 100u << 20, 1u << 30 };
	unsigned t, i, n, k;

	for (t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
		for (i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
			n = jobs_run_count(totals[i], threads[t]);
			cr_expect(fabs(jobs_run_end(n - 1, n, threads[t]) -
				      1.0) < 1e-9,
			    "%u threads: the last run ends the input",
			    threads[t]);
			for (k = 0; k + threads[t] < n; k++)
				cr_expect(fabs(size_of(k + threads[t], n,
						   threads[t]) /
						  size_of(k, n, threads[t]) -
					      0.5) < 1e-9,
				    "%u threads: run %u is half of run %u",
				    threads[t], k + threads[t], k);
		}
	}
}

/* The fewest runs whose last is at most JOBS_TAIL_BYTES, within bounds. */
Test(jobs, just_enough_runs_for_a_short_last_one)
{
	static const unsigned threads[] = { 1, 2, 3, 8 };
	static const uint64_t totals[] = { 64u << 20, 100u << 20, 1u << 30,
		16ull << 30 };
	unsigned t, i, n;
	double last, before;

	for (t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
		for (i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
			n = jobs_run_count(totals[i], threads[t]);
			cr_assert_geq(n, threads[t] * JOBS_MIN_RUNS_PER_THREAD);
			cr_assert_leq(n, threads[t] * JOBS_MAX_RUNS_PER_THREAD);
			if (n == threads[t] * JOBS_MAX_RUNS_PER_THREAD)
				continue;
			last =
			    size_of(n - 1, n, threads[t]) * (double)totals[i];
			cr_expect_leq(last, JOBS_TAIL_BYTES,
			    "%u threads, %llu bytes: last run %.0f bytes",
			    threads[t], (unsigned long long)totals[i], last);
			if (n == threads[t] * JOBS_MIN_RUNS_PER_THREAD)
				continue;
			before = size_of(n - 2, n - 1, threads[t]) *
			    (double)totals[i];
			cr_expect_gt(before, JOBS_TAIL_BYTES,
			    "%u threads, %llu bytes: %u runs would do",
			    threads[t], (unsigned long long)totals[i], n - 1);
		}
	}
	/* Two threads: 1 GiB in more runs than 100 MiB, a small log in
	 * the fewest, and a huge one in no more than the most. */
	cr_expect_gt(jobs_run_count(1u << 30, 2),
	    jobs_run_count(100u << 20, 2));
	cr_expect_eq(jobs_run_count(4u << 20, 2), 2 * JOBS_MIN_RUNS_PER_THREAD);
	cr_expect_eq(jobs_run_count(1ull << 40, 2),
	    2 * JOBS_MAX_RUNS_PER_THREAD);
	/* 1 GiB on two threads: the last run at most 4 MiB, so the thread
	 * done first waits about 5 ms for the other, not a 30 MB run. */
	cr_expect_leq(size_of(jobs_run_count(1u << 30, 2) - 1,
			  jobs_run_count(1u << 30, 2), 2) *
		(double)(1u << 30),
	    4.0 * 1024 * 1024);
}
