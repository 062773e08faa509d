/* progress.h: a one-line progress indicator for long reads. */
#ifndef TLSDIAG_PROGRESS_H
#define TLSDIAG_PROGRESS_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct progress {
	FILE *fp; /* NULL: disabled */
	struct timespec start;
	struct timespec last;
	int shown;
};

/* Start timing; fp NULL disables all output. */
void progress_init(struct progress *p, FILE *fp);

/*
 * Report position: done of total bytes (total 0 if unknown) of input
 * name, and records so far.  Prints nothing during the first second (so
 * small inputs never show it) and at most ten times a second after.
 */
void progress_update(struct progress *p, const char *name, uint64_t done,
    uint64_t total, uint64_t records);

/* Erase the indicator line if one was printed. */
void progress_done(struct progress *p);

#endif
