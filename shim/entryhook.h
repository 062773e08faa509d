/* entryhook.h: hooks on the entry of OpenSSL functions linked into a program. */
#ifndef TLSDIAG_ENTRYHOOK_H
#define TLSDIAG_ENTRYHOOK_H

#include <stddef.h>
#include <stdint.h>

struct jsonw;
struct ossl;
struct ssl_st;

/*
 * When a loaded object defines the wrapped OpenSSL functions itself and
 * exports them (the official node binary, a program linked with
 * libssl.a and -rdynamic, a shared object built from libssl.a with
 * -Bsymbolic), its calls to them are direct and never reach a preload:
 * patch each one's entry with a jump to our wrapper, whose copy (struct
 * ossl, entry set) calls a trampoline holding the moved first
 * instructions.  One mechanism per call path: a libssl.so or libcrypto.so
 * is never examined, and a shared object whose own calls to them bind
 * through its GOT (exports preemptible, no -Bsymbolic) is listed as
 * reached through the GOT, not patched: its callers, itself included,
 * reach the wrappers there already.  At most 8 objects are examined;
 * more are counted for the exit record.
 *
 * thread_ips[0..n) are the instruction pointers of the process's other
 * threads, all stopped while this runs (tlsdiag attach): a function
 * whose replaced bytes hold one of them is left alone.  The preload
 * constructor passes none (NULL, 0): before main() no other thread runs
 * our target's code.  With NULL, it does nothing in a process that
 * already runs more than one thread (or whose /proc/self/status cannot
 * be read): a library loaded by attach, whose caller must call again with
 * the stopped threads' IPs.  Each call that gets that far examines the
 * objects no earlier call examined.  Call after shim_init(); it does
 * nothing unless recording.
 *
 * Fails closed: a function that cannot be moved safely, a process that
 * refuses writable code (seccomp, W^X), a missing disassembler, each
 * leaves the function exactly as it was and is noted for the exit
 * record.  Keeps errno.  Returns the number of functions hooked in the
 * executable.
 */
int entryhook_install(const uintptr_t *thread_ips, size_t n);

/*
 * After a dlopen() (gotpatch.c's patched slot, under attach): the
 * objects it loaded that export OpenSSL are hooked as above when this
 * thread is the only one (nothing else can run their code while the
 * entries change), else listed in the exit record, not patched.  Does
 * nothing before entryhook_install() has examined the process.  Keeps
 * errno.
 */
void entryhook_loaded(void);

/*
 * The address of name in the examined object whose copy has base base
 * (struct ossl), read in that object's own dynamic symbol table; NULL
 * when it lacks it.  Lock-free.
 */
void *entryhook_sym(uintptr_t base, const char *name);

/* In a forked child: free the pass lock another thread may have held. */
void entryhook_atfork_child(void);

/* How many functions are hooked in the executable (0 if none). */
int entryhook_hooked(void);

/*
 * For the exit record: "entry_hooks", per object examined, the
 * functions hooked and those not, each with its reason, and
 * "entry_hooks_unlisted" when more objects than the bound exported
 * OpenSSL.  Objects loaded since the last pass are examined first and
 * listed with the reason they were not patched (LD_PRELOAD sees no
 * dlopen).  Writes nothing when no object carried exported OpenSSL
 * functions, or when no pass ever ran.
 */
void entryhook_write(struct jsonw *w);

/* Forget the SSL this thread's last SSL_get_finished call asked about. */
void entryhook_asked_clear(void);

/*
 * The SSL the executable's SSL_get_finished was last called with on this
 * thread since entryhook_asked_clear(), NULL if none (or if it could not
 * be observed: not a Node-API host, not hooked).  Its copy goes to *o
 * (NULL when the executable's copy was never added).
 */
struct ssl_st *entryhook_asked(struct ossl **o);

#endif
