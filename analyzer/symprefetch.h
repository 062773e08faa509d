/* symprefetch.h: loading the report's modules while the log is read. */
#ifndef TLSDIAG_SYMPREFETCH_H
#define TLSDIAG_SYMPREFETCH_H

#include "symbolize.h"

/*
 * Distinct modules one run loads ahead; later ones are loaded by the first
 * lookup, as before.  A log names a handful (bench: eight).
 */
#define SYMPRE_MAX 32

struct sympre;

/*
 * Start a thread that preloads (symbolizer_preload()) into s each module
 * sympre_note() names, in the order named, while the caller reads the
 * log.  s belongs to that thread until sympre_finish().  Returns NULL if
 * memory or the thread could not be had (then nothing is loaded ahead).
 */
struct sympre *sympre_start(struct symbolizer *s);

/*
 * Name a module a call site's frame is in (any thread; p may be NULL).
 * Only absolute paths, once each, the first SYMPRE_MAX of them.
 */
void sympre_note(struct sympre *p, const char *module);

/* sympre_note() with the signature of struct agg's on_module hook. */
void sympre_note_hook(void *p, const char *module);

/*
 * Wait until every module named so far is loaded, stop the thread and
 * free p (NULL is fine).  s is the caller's again.
 */
void sympre_finish(struct sympre *p);

#endif
