/*
 * progress.c: "\r"-redrawn status line on a terminal while big logs are
 * read.  The caller decides whether the stream is a terminal.
 */
#include "progress.h"

#include "termsafe.h"

static double
elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void
progress_init(struct progress *p, FILE *fp)
{
	p->fp = fp;
	p->shown = 0;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	p->last = p->start;
}

void
progress_update(struct progress *p, const char *name, uint64_t done,
    uint64_t total, uint64_t records)
{
	struct timespec now;
	char nb[48];
	double t;

	if (p->fp == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	t = elapsed(&p->start, &now);
	if (t < 1.0 || elapsed(&p->last, &now) < 0.1)
		return;
	p->last = now;
	p->shown = 1;
	termsafe_escape(name, 40, nb, sizeof(nb));
	if (total != 0)
		fprintf(p->fp,
		    "\rtlsdiag: %s: %3d%%, %llu records, %.0f/s\033[K", nb,
		    (int)(done * 100 / total), (unsigned long long)records,
		    (double)records / t);
	else
		fprintf(p->fp,
		    "\rtlsdiag: %s: %llu MB, %llu records, %.0f/s"
		    "\033[K",
		    nb, (unsigned long long)(done >> 20),
		    (unsigned long long)records, (double)records / t);
	fflush(p->fp);
}

void
progress_done(struct progress *p)
{
	if (p->fp != NULL && p->shown) {
		fputs("\r\033[K", p->fp);
		fflush(p->fp);
	}
	p->shown = 0;
}
