/*
 * attach.h: the shim's side of "tlsdiag attach": the entry points the
 * injector calls in a running process and the state "tlsdiag status"
 * reads (common/attachstate.h).
 */
#ifndef TLSDIAG_ATTACH_H
#define TLSDIAG_ATTACH_H

#include <stddef.h>
#include <stdint.h>

/*
 * 1 if the loader brought us in after the C library, that is with
 * dlopen() into a running process rather than with LD_PRELOAD: then the
 * constructor leaves everything to tlsdiag_attach_init(), and the
 * environment is never read.
 */
int attach_loaded_late(void);

/*
 * Where the configuration comes from when attached: the init call's
 * argument string, looked up as getenv() would (NULL when absent).
 * NULL itself until tlsdiag_attach_init() runs.
 */
extern const char *(*attach_get)(const char *name);

/* Publish the state after init: mode preload unless attached. */
void attach_publish(void);

/*
 * The instruction pointers of every thread of the process at the moment
 * the injector stopped them all, as it passed them (TLSDIAG_ATTACH_IPS);
 * how many, up to max.  Entry hooks (issue 16) installed by the init call
 * must not overwrite bytes any of these point into: every other thread
 * stays stopped until tlsdiag_attach_init() returns.
 */
size_t attach_thread_ips(uintptr_t *out, size_t max);

struct jsonw;

/* "exiting", or "detaching" while "tlsdiag detach" writes the record. */
const char *attach_exit_verb(void);

/*
 * In the exit record's coverage, when attached: the "attach" member
 * (slots patched, slots left to another interposer, what GOT patching
 * cannot reach).  Writes nothing under LD_PRELOAD.
 */
void attach_coverage(struct jsonw *w);

#endif
