/* report.h: "tlsdiag report": read logs, filter, aggregate, render. */
#ifndef TLSDIAG_REPORT_H
#define TLSDIAG_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "aggregate.h"
#include "filter.h"

enum report_format {
	REPORT_TEXT,
	REPORT_JSON,
	REPORT_CSV,
	REPORT_NDJSON, /* matching records, byte for byte */
	REPORT_HTML    /* one self-contained page (render_html.c) */
};

struct groupby;
struct timeline;

struct report_opts {
	enum report_format format;
	size_t top;  /* rows per table, 0 = all (default 10) */
	int64_t now; /* microseconds; relative times count back */
	struct filter filter;
	size_t max_line; /* longer lines are skipped (default 1 MiB) */
	FILE *progress;	 /* progress stream, NULL for none */
	int symbolize;	 /* look up call sites with libdw */
	unsigned jobs;	 /* threads reading (jobs.c); 0 or 1: this one */
	/* issue 19: --group-by (owned, freed by report_opts_free), the
	 * baseline (--baseline FILE..., owned array; --baseline-until), and
	 * a hook called for every record that passed the filter, after
	 * agg_add() (--follow's live view; the HTML timeline). */
	struct groupby *groupby;
	const char **baseline;
	size_t nbaseline;
	int has_baseline_until;
	int64_t baseline_until;
	void (*on_record)(void *arg, struct agg *a, const struct record *r);
	void *on_record_arg;
};

#define REPORT_MAX_ERRORS 16
#define REPORT_ERRLEN 320

struct report_result {
	uint64_t failures; /* failures that passed the filter */
	size_t nerrors;	   /* inputs that could not be (fully) read */
	char errors[REPORT_MAX_ERRORS][REPORT_ERRLEN];
	int fatal; /* out of memory: the report is incomplete */
};

/* Most threads --jobs takes. */
#define REPORT_MAX_JOBS 256

/*
 * The number of CPUs this process may run on (1 to REPORT_MAX_JOBS), as
 * nproc(1) counts them: --jobs's default.
 */
unsigned report_default_jobs(void);

/*
 * Defaults: text, top 10, now = current time, no filter, symbolize, one
 * job per online CPU.
 */
void report_opts_init(struct report_opts *o);

/* Release what the options own (the filter). */
void report_opts_free(struct report_opts *o);

/* Parse "text", "json", "csv", "ndjson" or "html".  Returns 0 or -1. */
int report_parse_format(const char *s, enum report_format *f);

/*
 * The whole "tlsdiag report": collect, then print in o->format to out.
 * Fills *res.  Returns 0, or -1 if memory ran out (res->fatal).
 */
int report_run(const struct report_opts *o, char *const *files, size_t nfiles,
    FILE *out, struct report_result *res);

/*
 * For jobs.c: read the lines of path that start in [start, end) (end 0:
 * the whole input, plain or gzip'd) into a, noting unreadable inputs in
 * res.  Returns the number of lines read.
 */
uint64_t report_collect_piece(const struct report_opts *o, const char *path,
    uint64_t start, uint64_t end, struct agg *a, struct report_result *res);

/*
 * Feed one line (INPUT_LINE or INPUT_TOO_LONG; line has a NUL after its
 * len bytes) read from file name at lineno into a, as report_run() does
 * with each line it reads; for readers of their own (follow.c).
 */
void report_feed(const struct report_opts *o, const char *name, uint64_t lineno,
    int too_long, const char *line, size_t len, FILE *out, struct agg *a,
    struct report_result *res);

/*
 * Render a (collected, agg_finish()ed) in o->format to out, as report_run()
 * does at its end; base is the baseline's aggregate or NULL.  Returns 0,
 * or -1 if memory ran out (res->fatal is set).
 */
int report_render(const struct report_opts *o, struct agg *a,
    const struct agg *base, struct report_result *res, FILE *out);

/*
 * Compact summary of the log at path for "tlsdiag run": a count line and
 * the top groups, or "no TLS activity seen" when the log holds no records
 * or only coverage records without TLS.  Every line starts "tlsdiag: ".
 * Returns the number of failures, or -1 if path could not be read (the
 * reason is printed to out).
 */
int report_summary(const char *path, FILE *out);

#endif
