/* backtrace.h: call stacks of failing calls, as addresses for offline use. */
#ifndef TLSDIAG_BACKTRACE_H
#define TLSDIAG_BACKTRACE_H

#include <stdint.h>

#include <stddef.h>

/* In a forked child: reset the lock another thread may have held. */
void backtrace_atfork_child(void);

/*
 * Find the shim's own mapping once (at the first TLS activity, so
 * programs without TLS never pay for it), so a failure does not.
 */
void backtrace_warmup(void);

#define BT_MAX_FRAMES 80

/* A loaded object, as the frames name it. */
struct bt_module {
	uintptr_t bias;	  /* dlpi_addr */
	uintptr_t lo, hi; /* span of its PT_LOAD segments */
	char path[256];
	char build_id[41];
	int path_cut; /* the path was longer than path[] */
};

/*
 * The object holding ip in *out (from a cache after the first time).
 * Returns 1, or 0 when ip is in no object.
 */
int backtrace_module(uintptr_t ip, struct bt_module *out);

/*
 * The return addresses of the current stack above the shim's own frames,
 * at most depth (<= BT_MAX_FRAMES) of them, into ips; how many.
 */
int backtrace_capture(void **ips, int depth);

/* Where emit_backtrace() put the frames, so they can be taken out. */
struct bt_span {
	uint64_t id;	   /* the stack id */
	size_t start, end; /* the ',"backtrace":[...]' member in w->buf */
};

#endif
