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
 * How many of the n return addresses backtrace() put in ips are the
 * shim's own (and those of whoever interposes backtrace(), as ASan
 * does): the caller's frames start at that index (n when there are none).
 * The caller calls backtrace() itself, with BT_SHIM_FRAMES more than the
 * frames it wants, so that no frame of a helper is added to the stack.
 */
int backtrace_skip(void **ips, int n);

/* More than the shim's own frames above a wrapper. */
#define BT_SHIM_FRAMES 16

/* Where emit_backtrace() put the frames, so they can be taken out. */
struct bt_span {
	uint64_t id;	   /* the stack id */
	size_t start, end; /* the ',"backtrace":[...]' member in w->buf */
};

#endif
