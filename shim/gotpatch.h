/*
 * gotpatch.h: route calls of a running process to the wrappers by
 * rewriting GOT slots ("tlsdiag attach"; under LD_PRELOAD the loader
 * binds them to us and nothing here runs).
 */
#ifndef TLSDIAG_GOTPATCH_H
#define TLSDIAG_GOTPATCH_H

/*
 * Patch, in every loaded object but ours, the C library, the loader and
 * the vDSO, the JUMP_SLOT and GLOB_DAT slots of each wrapped function:
 * the OpenSSL entry points in objects other than a libssl or libcrypto
 * (by name: one that carries OpenSSL beside its own code, without
 * -Bsymbolic, calls it through these slots), the socket calls observe.c
 * watches in objects that define OpenSSL, and dlopen in objects
 * whose dlopen() does not depend on the caller (no DT_RPATH or
 * DT_RUNPATH), so that objects loaded later are patched too.  Each slot
 * gets one aligned 8-byte store; a RELRO page is made writable for the
 * store only.  A slot that already holds our wrapper is left alone, and
 * so is one that holds neither an address inside the object itself
 * (its PLT entry, before lazy binding ran) nor the definition of its
 * symbol in the object that holds it (another interposer): it is
 * counted in gotpatch_foreign().
 *
 * Returns the number of slots patched by this call, or -1 when mprotect
 * refused (errno value in *merr): the slots of this call are then back
 * to their old values.  Thread-safe; call with recording armed.
 */
int gotpatch_apply(int *merr);

/*
 * Put back every patched slot that still holds our wrapper, in the
 * objects still loaded at the same place.  Returns how many.
 */
int gotpatch_restore(void);

/* Slots patched now, and slots left alone as another interposer's. */
unsigned gotpatch_count(void);
unsigned gotpatch_foreign(void);

#endif
