/*
 * aggregate.h: the streaming counters behind every section of a report.
 * The core counts (types, groups, certificates, origins, EOFs) are here;
 * call sites, coverage notes and the histogram have their own modules,
 * which this header includes.
 */
#ifndef TLSDIAG_AGGREGATE_H
#define TLSDIAG_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "agg_hist.h"
#include "agg_note.h"
#include "agg_stack.h"
#include "agg_stat.h"
#include "logrecord.h"
#include "strmap.h"

/*
 * The warning a RAND_status() of 0 leaves (docs/log-format.md, "The random
 * generator") has no error object: it is counted under its call, with
 * this reason.
 */
#define AGG_RAND_STATUS_CALL "RAND_status"
#define AGG_RAND_STATUS_REASON "the random generator is not seeded"

struct agg_type {
	struct agg_stat st;
	uint64_t warnings;
};

/* Key: type, reason, SNI, address, program, each NUL-terminated. */
struct agg_group {
	struct agg_stat st;
	const char *type; /* these point into the entry's key */
	const char *reason;
	const char *sni;
	const char *addr;
	const char *program;
};

struct agg_cert {
	struct agg_stat st;
	char *subject; /* owned; NULL when unknown */
	char *issuer;
	char *not_before;
	char *not_after;
	char *serial;
	char *sha256;
	char *peer; /* SNI or address of the first failure */
	int has_not_after;
	int64_t not_after_us;
	int has_not_before;
	int64_t not_before_us;
};

struct agg_host {
	struct agg_stat st; /* count = records */
	uint64_t failures;
};

struct agg_program {
	struct agg_stat st; /* count = records */
	uint64_t failures;
	uint64_t processes;
};

enum agg_eof_kind {
	AGG_EOF_HANDSHAKE,	 /* EOF while handshaking */
	AGG_EOF_NO_CLOSE_NOTIFY, /* after an exchange, no close_notify */
	AGG_EOF_MID_STREAM,	 /* cut while data was still expected */
	AGG_EOF_UNKNOWN,	 /* phase or byte counts not recorded */
	AGG_EOF_NKINDS
};

struct agg_eof {
	uint64_t count;
	uint64_t nbytes; /* records with byte counts */
	uint64_t sum_read;
	uint64_t max_read;
	uint64_t sum_written;
	uint64_t max_written;
	uint64_t nage;	  /* records with age_s */
	uint64_t sum_age; /* seconds */
	uint64_t max_age;
};

#define AGG_MAX_SAMPLES 5

/* A skipped line kept for the report. */
struct agg_sample {
	char file[256];
	uint64_t line;
	enum record_status status;
	char excerpt[64]; /* start of the line, NUL-terminated */
};

struct agg {
	uint64_t lines;	    /* lines seen, good or bad */
	uint64_t records;   /* parsed records */
	uint64_t matched;   /* records that passed the filter */
	uint64_t failures;  /* matched tls_failure records */
	uint64_t warnings;  /* of those, log.level warning */
	uint64_t truncated; /* of those, shortened to fit (truncated) */
	uint64_t nskipped;
	uint64_t skipped[RECORD_NSTATUS];
	struct agg_sample samples[AGG_MAX_SAMPLES];
	size_t nsamples;
	int has_span;
	int64_t first; /* over matched records */
	int64_t last;
	struct strmap types;
	struct strmap groups;
	struct strmap certs;
	struct strmap stacks;
	struct strmap frames; /* stack id: frames, from any record */
	struct strmap hosts;
	struct strmap programs;
	struct strmap procs;
	struct strmap notes;
	struct strmap minutes;
	struct agg_eof eof[AGG_EOF_NKINDS];
	struct agg_coverage cov;
	size_t stack_types; /* types kept per call site (AGG_STACK_TYPES) */
	uint64_t seq_base;  /* --jobs: orders this worker's first sightings */
	char key[8192];	    /* scratch for building keys */
	/* the group agg_add() last counted a failure in, NULL if none */
	const struct agg_group *last_group;
	/* called with each frame (module, build-id, offset; strings may be
	 * NULL) when a call site's frames are first kept (the report's
	 * symbolizer loads and looks them up meanwhile), or NULL; --jobs
	 * gives it to every worker, so it must be thread-safe */
	void (*on_frame)(void *arg, const char *module, const char *build_id,
	    int64_t offset);
	void *on_frame_arg;
};

/* Start empty. */
void agg_init(struct agg *a);

/* Free everything agg_* allocated. */
void agg_free(struct agg *a);

/*
 * Count a skipped line: file and line number for the first few samples,
 * text (len bytes, may be NULL) for an excerpt.
 */
void agg_skip(struct agg *a, const char *file, uint64_t line,
    enum record_status st, const char *text, size_t len);

/*
 * Count one record that passed the filter.  Returns 0, or -1 if memory ran
 * out (the counts stay consistent but the record is not grouped).
 */
int agg_add(struct agg *a, const struct record *r);

/*
 * Set a up as a --jobs worker (before anything is added): it keeps up to
 * AGG_STACK_TYPES_MAX types per call site, and what it sees first is
 * ordered after everything of workers with a lower index.
 */
void agg_worker(struct agg *a, unsigned index);

/*
 * Fold src, which read the input right after what dst read, into dst, as
 * if dst had read both: counts add up, the first-seen values (a
 * certificate's peer, a call site's frames, the skipped-line samples)
 * are dst's where it has them.  What dst takes over is cleared in src;
 * src must still be agg_free()d.  Returns 0, or -1 if memory ran out.
 */
int agg_merge(struct agg *dst, struct agg *src);

/* After the last agg_merge() into a: trim what workers kept extra. */
void agg_merge_done(struct agg *a);

/* Is r an EOF failure?  Returns its kind, or -1. */
int agg_eof_kind(const struct record *r);

/* Human-readable name of an EOF kind, and a machine name. */
const char *agg_eof_name(int kind);
const char *agg_eof_key(int kind);

#endif
