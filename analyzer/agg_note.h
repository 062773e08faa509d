/*
 * agg_note.h: what the coverage records (tlsdiag_start, tlsdiag_exit,
 * tlsdiag_suppressed) say: counts, and notes on what could not be seen.
 * The sentences for people are the view's (view_note_describe).
 */
#ifndef TLSDIAG_AGG_NOTE_H
#define TLSDIAG_AGG_NOTE_H

#include <stdint.h>

#include "agg_stat.h"

struct agg_coverage {
	uint64_t starts;   /* tlsdiag_start records */
	uint64_t exits;	   /* tlsdiag_exit records */
	uint64_t tls_seen; /* exits whose coverage says TLS was seen */
	uint64_t static_openssl;
	uint64_t internal_only;	 /* exits: calls only from inside libssl */
	uint64_t other_tls;	 /* exits naming another TLS library */
	uint64_t private_libssl; /* exits: libssl loaded, never reached */
	uint64_t records;	 /* sums over coverage blocks */
	uint64_t dropped;
	uint64_t followups;
	/*
	 * Failures the rate limit held back, each counted once: a process's
	 * exit record when it has one (it counts them all), else the sum of
	 * its tlsdiag_suppressed records.
	 */
	uint64_t suppressed;
	uint64_t suppressed_exits; /* raw sums of either source */
	uint64_t suppressed_events;
};

/* Value of agg.procs (key: host, pid, program). */
struct agg_proc {
	uint64_t suppressed_events; /* its tlsdiag_suppressed records */
	uint64_t suppressed_exits;  /* what its exit records counted */
	int has_exit_count;	    /* an exit record counted them */
	/* Its host's and program's entries in the same aggregate (its key
	 * names both), so that its later records look up neither; NULL
	 * until a record of it is added there. */
	struct agg_host *host;
	struct agg_program *program;
};

/* What an exit record says the shim could not see. */
enum agg_note_kind {
	AGG_NOTE_STATIC,     /* OpenSSL linked in, nothing hooked */
	AGG_NOTE_STATIC_TOO, /* that, besides a libssl that was hooked */
	AGG_NOTE_OTHER_TLS,  /* another TLS library, no OpenSSL call */
	AGG_NOTE_ALSO_TLS,   /* another TLS library besides OpenSSL */
	AGG_NOTE_PRIVATE,    /* libssl loaded privately, never reached */
	AGG_NOTE_NO_CALL,    /* libssl linked in, never called */
	AGG_NOTE_INTERNAL,   /* calls came only from inside libssl */
	AGG_NOTE_NKINDS
};

/* Key: kind name, program, detail (a library's file name, or ""). */
struct agg_note {
	struct agg_stat st; /* count = exit records saying it */
	int kind;
	const char *program; /* these point into the entry's key */
	const char *detail;
};

/* At most this many libraries of one exit record become notes. */
#define AGG_NOTE_MAX_LIBS 8

/* Machine name of a note kind, e.g. "static_openssl". */
const char *agg_note_key(int kind);

#endif
