/* shim.h: what the shim's translation units share (internal). */
#ifndef TLSDIAG_SHIM_H
#define TLSDIAG_SHIM_H

#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "config.h"
#include "ossl.h"
#include "state.h"

#define SHIM_EXPORT __attribute__((visibility("default")))

/*
 * The libssl copy used by the caller whose return address is ra, or NULL
 * if none can be found.  Lock-free when the call site was seen before.
 */
struct ossl *resolve_slow(const void *ra);

#define RESOLVE_BITS 9
struct resolve_site {
	_Atomic uintptr_t addr;
	struct ossl *copy; /* the libssl copy this caller uses */
};
extern struct resolve_site resolve_sites[1 << RESOLVE_BITS];

static inline size_t
resolve_hash(uintptr_t a)
{
	return (size_t)((a * 0x9E3779B97F4A7C15ULL) >> (64 - RESOLVE_BITS));
}

static inline struct ossl *
resolve_caller(const void *ra)
{
	struct resolve_site *s = &resolve_sites[resolve_hash((uintptr_t)ra)];

	if (atomic_load_explicit(&s->addr, memory_order_acquire) ==
	    (uintptr_t)ra)
		return s->copy;
	return resolve_slow(ra);
}

/*
 * Look up the failure path's functions of copy o (OSSL_HELPERS,
 * OSSL_OPTIONAL) if not done yet: once per copy, lock-free afterwards,
 * thread- and fork-safe.  Keeps errno.  Returns 0 when they are there,
 * -1 when this copy lacks one (its failures then go unrecorded).
 */
int resolve_failure_path(struct ossl *o);

/* 1 if p lies in this library (a lookup that found our own wrapper). */
int resolve_in_self(const void *p);

/* Our own load bias, as dl_iterate_phdr reports it (dlpi_addr); 0 if unknown. */
uintptr_t resolve_self_bias(void);

/*
 * dladdr() without the nearest-symbol scan: the object holding p, its
 * name and base in *d (other members zero).  0 when p is in no object.
 */
int resolve_object_at(const void *p, Dl_info *d);

/*
 * Add copy o (built by entryhook.c, entry set) to the copies: callers in
 * its object then find it.  Returns it, or NULL when the table is full.
 */
struct ossl *resolve_add_copy(const struct ossl *o);

/*
 * Fill copy o's version_num, layout and version from its own
 * OpenSSL_version_num and OpenSSL_version (looked up already).
 */
void resolve_copy_version(struct ossl *o);

/* All libssl copies seen so far (for the coverage record). */
int resolve_copies(struct ossl **out, int max);

/* In a forked child: reset the locks another thread may have held. */
void resolve_atfork_child(void);

/*
 * Paths of loaded libssl copies outside the global scope; how many.  The
 * path of the libssl in the global scope goes to global (cap bytes), ""
 * if there is none.
 */
int resolve_loaded_libssl(char (*out)[256], int max, char *global, size_t cap);

/* 1 if copy o has entry point c (it was bound). */
int resolve_bound(const struct ossl *o, enum call c);

/* Failure paths (failure.c).  Each keeps errno and the error queue. */
void failure_io(struct ossl *o, enum call c, SSL *s, int ret);
void failure_verify(struct ossl *o, SSL *s, long result, enum call after);

/*
 * What node's JavaScript saw end a TLS connection (tlsdiag-node.js, by
 * way of node_napi.c): its host name check rejected the certificate, the
 * socket read ECONNRESET, or the peer closed the TCP connection.
 */
enum node_verdict { NODE_HOST, NODE_RESET, NODE_EOF };

/*
 * Record what CPython would raise for verdict v on s, a connection of
 * copy o: node's error code code, host the name node checked (NODE_HOST
 * only).  Nothing when the connection has a record already, when
 * CPython would raise nothing (a close_notify came before the close),
 * or for NODE_HOST when OpenSSL's own check of host, as CPython sets it
 * up, accepts the certificate.  Returns 1 if a record was written.
 * Keeps errno and the error queue.
 */
int failure_node(struct ossl *o, SSL *s, enum node_verdict v, const char *code,
    const char *host);

/* After a successful handshake: a non-OK verify result the app ignored. */
void check_verify_after_handshake(struct ossl *o, enum call c, SSL *s);

#endif
