/* state.h: the shim's process state, one struct for the whole process. */
#ifndef TLSDIAG_STATE_H
#define TLSDIAG_STATE_H

#include <stdatomic.h>

#include "config.h"

/* Failure kinds counted for the exit record (coverage.c). */
enum shim_kind {
	KIND_EOF,
	KIND_CERT,
	KIND_ZERO_RETURN,
	KIND_SYSCALL,
	KIND_OSERROR,
	KIND_SSL,
	KIND_VERIFY_IGNORED,
	KIND__COUNT
};

/* The whole mutable state of the shim, in one place (init.c). */
struct shim_state {
	struct config cfg;
	int ready;		       /* init done and recording enabled */
	int secure;		       /* AT_SECURE: environment ignored */
	char host[256];		       /* host.hostname */
	char exe[1024];		       /* process.executable */
	char name[256];		       /* process.name */
	_Atomic unsigned long records; /* records written */
	_Atomic unsigned long dropped; /* records that could not be written */
	_Atomic unsigned long
	    suppressed; /* records held back by the rate limit */
	_Atomic unsigned long failures[KIND__COUNT]; /* by enum shim_kind */
	_Atomic unsigned long followups; /* failures after a recorded one */
	_Atomic int tls_seen;		 /* some wrapper ran */
	_Atomic int external_callers;	 /* a caller outside libssl was bound */
};
extern struct shim_state shim;

/* Per-thread nesting depth of our wrappers (libssl calls its own exports). */
extern _Thread_local int shim_depth;

/* Run initialization once (constructor and every slow path call it). */
void shim_init(void);

/* Write a diagnostic to stderr when TLSDIAG_DEBUG is set; keeps errno. */
void shim_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
