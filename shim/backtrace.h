/* backtrace.h: call stacks of failing calls, as addresses for offline use. */
#ifndef TLSDIAG_BACKTRACE_H
#define TLSDIAG_BACKTRACE_H

#include <stdint.h>

#include "jsonw.h"

/* In a forked child: reset the lock another thread may have held. */
void backtrace_atfork_child(void);

/*
 * Find the shim's own mapping once (at the first TLS activity, so
 * programs without TLS never pay for it), so a failure does not.
 */
void backtrace_warmup(void);

/* Where backtrace_write() put the frames, so they can be taken out. */
struct bt_span {
	uint64_t id;	   /* the stack id */
	size_t start, end; /* the ',"backtrace":[...]' member in w->buf */
};

/*
 * Write "stack_id" and "backtrace" members into the open object of w:
 * up to depth frames of the current stack above the shim's own frames,
 * each with module path, build-id and offset (the ELF virtual address of
 * the return address).  Identical stacks get identical stack ids: the id
 * hashes build-ids (or paths) and offsets, never load addresses.  *sp
 * says where the frames are; start == end when none were written.  The
 * members end at or before jsonw_need(w) == limit: frames that would pass it
 * are left out (the id still covers them), and with no room for an empty
 * list nothing is written.  Returns 1 if frames were left out or a module
 * path was cut to 255 bytes, else 0.
 */
int
backtrace_write(struct jsonw *w, int depth, struct bt_span *sp, size_t limit);

#endif
