/* symprefetch.h: loading the report's modules while the log is read. */
#ifndef TLSDIAG_SYMPREFETCH_H
#define TLSDIAG_SYMPREFETCH_H

#include <stdint.h>

#include "symbolize.h"

/*
 * Distinct modules one run loads ahead, and distinct frames it looks up
 * ahead; later ones are loaded and looked up by the renderer, as before.
 * A log names a handful of modules (bench: eight) and a few hundred frames.
 */
#define SYMPRE_MAX 32
#define SYMPRE_MAX_FRAMES 512

struct sympre;

/*
 * Start a thread that preloads (symbolizer_preload()) into s each module
 * named by sympre_note() or sympre_note_frame(), and looks up each frame
 * named (symbolize(), which leaves libdw's line tables read), in the
 * order named, while the caller reads the log.  s belongs to that thread
 * until sympre_finish().  Returns NULL if memory or the thread could not
 * be had (then nothing is done ahead).
 */
struct sympre *sympre_start(struct symbolizer *s);

/*
 * Name a module a call site's frame is in (any thread; p may be NULL).
 * Only absolute paths, once each, the first SYMPRE_MAX of them.
 */
void sympre_note(struct sympre *p, const char *module);

/*
 * Name a frame: its module as sympre_note() does, and the frame (build_id
 * may be NULL; offset as the shim recorded it, ignored unless positive),
 * once each, the first SYMPRE_MAX_FRAMES of them.
 */
void sympre_note_frame(struct sympre *p, const char *module,
    const char *build_id, int64_t offset);

/* sympre_note_frame() with the signature of struct agg's on_frame hook. */
void sympre_frame_hook(void *p, const char *module, const char *build_id,
    int64_t offset);

/*
 * Wait until every module and frame named so far is done, stop the thread
 * and free p (NULL is fine).  s is the caller's again.
 */
void sympre_finish(struct sympre *p);

#endif
