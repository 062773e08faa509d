/*
 * jobs.c: the --jobs reader.  The inputs, taken in order as one stream of
 * bytes, are cut into a few runs per thread; the threads take the runs in
 * turn and read each run's pieces (whole files, or byte ranges of plain
 * files, each line belonging to the piece it starts in) into an aggregate
 * of the run's own.  Merging the aggregates in run order gives what one
 * thread reading everything would have counted; the only thing a run
 * cannot know alone, the number of a line in its file when the run starts
 * inside one, is fixed up after.
 */
#include "jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hugeheap.h"
#include "logrecord.h"

/* A file, or the lines of a plain file starting in [start, end). */
struct piece {
	const char *path;
	uint64_t start;
	uint64_t end; /* 0: the whole input */
	uint64_t lines;
};

/* One run: a part of the input, in order, read into an aggregate. */
struct worker {
	const struct report_opts *o;
	struct agg *a;
	struct report_result res;
	struct piece *pieces; /* into the plan's array */
	size_t npieces;
	size_t first_samples; /* samples taken in the first piece */
	atomic_int done;      /* read: it may be merged */
};

/* Can path be split: a regular file that is not gzip'd?  Sets *size. */
static int
splittable(const char *path, uint64_t *size)
{
	struct stat sb;
	unsigned char magic[2];
	ssize_t n;
	int fd;

	*size = 0;
	if (strcmp(path, "-") == 0 || stat(path, &sb) == -1 ||
	    !S_ISREG(sb.st_mode))
		return 0;
	*size = (uint64_t)sb.st_size;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return 0;
	n = pread(fd, magic, sizeof(magic), 0);
	close(fd);
	return !(n == 2 && magic[0] == 0x1f && magic[1] == 0x8b);
}

/* See jobs.h. */
double
jobs_run_end(unsigned k, unsigned n, unsigned threads)
{
	double q = exp2(-1.0 / threads);

	return (1.0 - pow(q, k + 1)) / (1.0 - pow(q, n));
}

/* See jobs.h. */
unsigned
jobs_run_count(uint64_t total, unsigned threads)
{
	unsigned n = threads * JOBS_MIN_RUNS_PER_THREAD;

	while (n < threads * JOBS_MAX_RUNS_PER_THREAD &&
	    (jobs_run_end(n - 1, n, threads) -
		jobs_run_end(n - 2, n, threads)) *
		    (double)total >
		JOBS_TAIL_BYTES)
		n++;
	return n;
}

/* One past the last byte of run k of n (of total bytes in all). */
static uint64_t
run_cut(unsigned k, unsigned n, unsigned threads, uint64_t total)
{
	double f;

	if (k + 1 == n)
		return UINT64_MAX;
	f = jobs_run_end(k, n, threads) * (double)total;
	return f <= 0 ? 0 : f >= (double)total ? total : (uint64_t)f;
}

/*
 * Cut the inputs into *np runs (jobs_run_count() of their size; w has
 * room for the most there can be), run by run: run k takes the bytes of
 * the stream from jobs_run_end(k - 1) to jobs_run_end(k); a file that
 * cannot be split goes whole to the run its first byte falls to.
 * Returns the pieces (at most nfiles + *np - 1), or NULL.
 */
static struct piece *
plan(char *const *files, size_t nfiles, struct worker *w, unsigned *np_runs,
    unsigned threads, uint64_t *totalp)
{
	struct piece *p;
	uint64_t *size;
	int *split;
	uint64_t total = 0, at = 0, lo, hi = 0, s, e;
	size_t np = 0, i;
	unsigned n, k;

	size = calloc(nfiles, sizeof(*size));
	split = calloc(nfiles, sizeof(*split));
	if (size == NULL || split == NULL) {
		free(size);
		free(split);
		return NULL;
	}
	for (i = 0; i < nfiles; i++) {
		split[i] = splittable(files[i], &size[i]);
		total += size[i];
	}
	n = jobs_run_count(total, threads);
	p = calloc(nfiles + n, sizeof(*p));
	if (p == NULL) {
		free(size);
		free(split);
		return NULL;
	}
	for (k = 0; k < n; k++) {
		lo = k == 0 ? 0 : hi;
		hi = run_cut(k, n, threads, total);
		w[k].pieces = p + np;
		at = 0;
		for (i = 0; i < nfiles; i++) {
			s = at;
			e = at + size[i];
			at = e;
			if (!split[i] || size[i] == 0) {
				if (s >= lo && s < hi)
					p[np++] =
					    (struct piece){ files[i], 0, 0, 0 };
				continue;
			}
			if (e <= lo || s >= hi)
				continue;
			p[np].path = files[i];
			p[np].start = (lo > s ? lo : s) - s;
			/* The last run reads to the end, as one thread would
			 * read a file that grew since stat(). */
			p[np].end = hi == UINT64_MAX ? UINT64_MAX :
						       (hi < e ? hi : e) - s;
			np++;
		}
		w[k].npieces = (size_t)(p + np - w[k].pieces);
	}
	free(size);
	free(split);
	*totalp = total;
	*np_runs = n;
	return p;
}

/* Read run w's pieces into its aggregate. */
static void
read_run(struct worker *w)
{
	size_t i;

	if (w->a == NULL)
		return;
	for (i = 0; i < w->npieces; i++) {
		w->pieces[i].lines =
		    report_collect_piece(w->o, w->pieces[i].path,
			w->pieces[i].start, w->pieces[i].end, w->a, &w->res);
		if (i == 0)
			w->first_samples = w->a->nsamples;
	}
}

/* The runs, the next one no thread has taken yet, and the merge. */
struct pool {
	struct worker *w;
	unsigned nruns;
	atomic_uint next;
	pthread_mutex_t mu; /* held while merging */
	atomic_uint merged; /* runs merged into a, in order */
	struct agg *a;	    /* the caller's */
	struct report_result *res;
};

static void merge_run(struct pool *p, unsigned k);

/* Can run k be merged now (the runs before it are)? */
static int
ready(struct pool *p)
{
	unsigned k = atomic_load(&p->merged);

	return k < p->nruns && atomic_load(&p->w[k].done);
}

/*
 * Merge into a, in input order, every run read whose runs before are
 * merged.  A thread that finds another merging goes back to reading; the
 * one merging checks again after letting go, so a run finished meanwhile
 * is not left for the end.  Thus the merge runs beside the last reads,
 * where it used to wait for all of them.
 */
static void
merge_ready(struct pool *p)
{
	while (ready(p)) {
		if (pthread_mutex_trylock(&p->mu) != 0)
			return;
		while (ready(p)) {
			merge_run(p, atomic_load(&p->merged));
			atomic_fetch_add(&p->merged, 1);
		}
		pthread_mutex_unlock(&p->mu);
	}
}

/*
 * A thread: take the next run until none is left.  Runs are taken, not
 * dealt: a thread that gets less of the CPUs (the symbolizer's thread
 * beside it, another program) reads fewer of them.
 */
static void *
work(void *arg)
{
	struct pool *p = arg;
	unsigned k;

	hugeheap_thread();
	while ((k = atomic_fetch_add(&p->next, 1)) < p->nruns) {
		read_run(&p->w[k]);
		atomic_store(&p->w[k].done, 1);
		merge_ready(p);
	}
	record_thread_done();
	return NULL;
}

/*
 * A run that starts inside a file numbered its first piece's lines from
 * 1: add the lines of that file's pieces in the runs before it.
 */
static void
fix_line_numbers(struct worker *w, unsigned k)
{
	const struct piece *first = &w[k].pieces[0];
	uint64_t before = 0;
	size_t i;
	unsigned j;

	if (w[k].npieces == 0 || first->start == 0)
		return;
	for (j = 0; j < k; j++)
		for (i = 0; i < w[j].npieces; i++)
			if (w[j].pieces[i].path == first->path)
				before += w[j].pieces[i].lines;
	for (i = 0; i < w[k].first_samples; i++)
		w[k].a->samples[i].line += before;
}

/* Append r's errors to res, in order, once each (a split file's twice). */
static void
merge_errors(struct report_result *res, const struct report_result *r)
{
	size_t i;

	for (i = 0; i < r->nerrors && res->nerrors < REPORT_MAX_ERRORS; i++) {
		if (res->nerrors != 0 &&
		    strcmp(res->errors[res->nerrors - 1], r->errors[i]) == 0)
			continue;
		memcpy(res->errors[res->nerrors++], r->errors[i],
		    REPORT_ERRLEN);
	}
	res->fatal |= r->fatal;
}

/* Merge run k into the pool's aggregate and free its own (p->mu held). */
static void
merge_run(struct pool *p, unsigned k)
{
	struct worker *w = p->w;

	if (w[k].a == NULL)
		return;
	fix_line_numbers(w, k);
	if (agg_merge(p->a, w[k].a) == -1)
		p->res->fatal = 1;
	merge_errors(p->res, &w[k].res);
	agg_free(w[k].a);
	free(w[k].a);
	w[k].a = NULL;
}

int
jobs_collect(const struct report_opts *o, char *const *files, size_t nfiles,
    struct agg *a, struct report_result *res)
{
	struct pool pool;
	struct worker *w;
	struct piece *p;
	pthread_t *th;
	int *started;
	uint64_t total;
	unsigned n = o->jobs, m = 0, k;
	unsigned nstarted = 0;

	w = calloc((size_t)n * JOBS_MAX_RUNS_PER_THREAD, sizeof(*w));
	th = calloc(n, sizeof(*th));
	started = calloc(n, sizeof(*started));
	p = w != NULL ? plan(files, nfiles, w, &m, n, &total) : NULL;
	if (p == NULL || th == NULL || started == NULL ||
	    total < (uint64_t)n * JOBS_MIN_BYTES) {
		free(p);
		free(w);
		free(th);
		free(started);
		return 1;
	}
	for (k = 0; k < m; k++) {
		w[k].o = o;
		w[k].a = malloc(sizeof(*w[k].a));
		if (w[k].a == NULL) {
			res->fatal = 1;
			continue;
		}
		agg_init(w[k].a);
		agg_worker(w[k].a, k);
		w[k].a->on_frame = a->on_frame;
		w[k].a->on_frame_arg = a->on_frame_arg;
	}
	pool.w = w;
	pool.nruns = m;
	atomic_init(&pool.next, 0);
	pthread_mutex_init(&pool.mu, NULL);
	atomic_init(&pool.merged, 0);
	pool.a = a;
	pool.res = res;
	for (k = 0; k < m; k++)
		atomic_init(&w[k].done, 0);
	for (k = 0; k < n; k++) {
		started[k] = pthread_create(&th[k], NULL, work, &pool) == 0;
		nstarted += (unsigned)started[k];
	}
	if (nstarted == 0)
		work(&pool); /* no thread: read it all here */
	for (k = 0; k < n; k++)
		if (started[k])
			pthread_join(th[k], NULL);
	/* What the threads left (all of it if none started). */
	merge_ready(&pool);
	pthread_mutex_destroy(&pool.mu);
	agg_merge_done(a);
	free(p);
	free(w);
	free(th);
	free(started);
	return 0;
}
