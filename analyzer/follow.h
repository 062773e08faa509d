/*
 * follow.h: "tlsdiag report --follow": read logs as they grow, like
 * tail -F, and show what is failing right now.
 */
#ifndef TLSDIAG_FOLLOW_H
#define TLSDIAG_FOLLOW_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

/* Seconds between the count lines on a pipe. */
#define FOLLOW_COUNT_EVERY 5

/* How follow_run() ended. */
enum follow_end {
	FOLLOW_INTERRUPTED, /* SIGINT: the full report was printed */
	FOLLOW_TERMINATED,  /* SIGTERM (or SIGHUP): nothing more printed */
	FOLLOW_FAILED	    /* out of memory: the report is incomplete */
};

/*
 * Follow paths: files (re-opened when renamed and re-created, re-read
 * from the start when truncated, waited for while missing) and
 * directories (each *.jsonl file in them, new ones as they appear), all
 * read from their start.  Records are grouped as report_run() does.  On
 * a terminal (out is a tty, o->format text) a summary of the groups
 * with counts over the last minute and five minutes is redrawn once a
 * second (plain ANSI; a dumb terminal gets the summary only when it
 * changed, without escapes); otherwise one line per failure group when
 * it first appears and a count line every FOLLOW_COUNT_EVERY seconds
 * (JSON with --format ndjson, else text).  Runs until SIGINT, after
 * which the full report of everything read is printed in o->format (the
 * JSON report for ndjson), or SIGTERM/SIGHUP.  Installs handlers for
 * those signals.  Input errors are in res.
 */
enum follow_end follow_run(const struct report_opts *o, char *const *paths,
    size_t npaths, FILE *out, struct report_result *res);

#endif
