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
	REPORT_NDJSON /* matching records, byte for byte */
};

struct report_opts {
	enum report_format format;
	size_t top;  /* rows per table, 0 = all (default 10) */
	int64_t now; /* microseconds; relative times count back */
	struct filter filter;
	size_t max_line; /* longer lines are skipped (default 1 MiB) */
	FILE *progress;	 /* progress stream, NULL for none */
	int symbolize;	 /* look up call sites with libdw */
};

#define REPORT_MAX_ERRORS 16
#define REPORT_ERRLEN 320

struct report_result {
	uint64_t failures; /* failures that passed the filter */
	size_t nerrors;	   /* inputs that could not be (fully) read */
	char errors[REPORT_MAX_ERRORS][REPORT_ERRLEN];
	int fatal; /* out of memory: the report is incomplete */
};

/* Defaults: text, top 10, now = current time, no filter, symbolize. */
void report_opts_init(struct report_opts *o);

/* Release what the options own (the filter). */
void report_opts_free(struct report_opts *o);

/* Parse "text", "json", "csv" or "ndjson".  Returns 0 or -1. */
int report_parse_format(const char *s, enum report_format *f);

/*
 * The whole "tlsdiag report": collect, then print in o->format to out.
 * Fills *res.  Returns 0, or -1 if memory ran out (res->fatal).
 */
int report_run(const struct report_opts *o, char *const *files, size_t nfiles,
    FILE *out, struct report_result *res);

/*
 * Compact summary of the log at path for "tlsdiag run": a count line and
 * the top groups, or "no TLS activity seen" when the log holds no records
 * or only coverage records without TLS.  Every line starts "tlsdiag: ".
 * Returns the number of failures, or -1 if path could not be read (the
 * reason is printed to out).
 */
int report_summary(const char *path, FILE *out);

#endif
