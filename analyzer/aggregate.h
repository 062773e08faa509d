/* aggregate.h: the streaming counters behind every section of a report. */
#ifndef TLSDIAG_AGGREGATE_H
#define TLSDIAG_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "strmap.h"

/*
 * The warning a RAND_status() of 0 leaves (docs/log-format.md, "The random
 * generator") has no error object: it is counted under its call, with
 * this reason.
 */
#define AGG_RAND_STATUS_CALL "RAND_status"
#define AGG_RAND_STATUS_REASON "the random generator is not seeded"

/* Every counted value starts with this, so one sort order serves all. */
struct agg_stat {
	uint64_t count;
	int64_t first;		/* microseconds */
	int64_t last;
};

struct agg_type {
	struct agg_stat st;
	uint64_t warnings;
};

/* Key: type, reason, SNI, address, program, each NUL-terminated. */
struct agg_group {
	struct agg_stat st;
	const char *type;	/* these point into the entry's key */
	const char *reason;
	const char *sni;
	const char *addr;
	const char *program;
};

struct agg_cert {
	struct agg_stat st;
	char *subject;		/* owned; NULL when unknown */
	char *issuer;
	char *not_before;
	char *not_after;
	char *serial;
	char *sha256;
	char *peer;		/* SNI or address of the first failure */
	int has_not_after;
	int64_t not_after_us;
	int has_not_before;
	int64_t not_before_us;
};

struct agg_frame {
	char *module;		/* owned strings, NULL when absent */
	char *build_id;
	char *symbol;
	int64_t offset;		/* RECORD_NONE when absent */
};

#define AGG_MAX_FRAMES 32

/*
 * Types counted per call site.  One site rarely fails in more than two or
 * three ways (curl's SSL_connect: a certificate error or an EOF), so a few
 * are kept and any further types are only counted together.
 */
#define AGG_STACK_TYPES 8

struct agg_stack_type {
	char *type;		/* owned */
	uint64_t count;
};

/* A stack's frames: of the first record of it that carried them. */
struct agg_frames {
	struct agg_frame *frames;
	size_t nframes;
};

struct agg_stack {
	struct agg_stat st;
	struct agg_frames fr;
	char *type;		/* error.type and program of that record */
	char *program;
	/* By count (descending), then name: a total order, input-blind. */
	struct agg_stack_type types[AGG_STACK_TYPES];
	size_t ntypes;
	uint64_t other_types;	/* failures of types that found it full */
};

struct agg_host {
	struct agg_stat st;	/* count = records */
	uint64_t failures;
};

struct agg_program {
	struct agg_stat st;	/* count = records */
	uint64_t failures;
	uint64_t processes;
};

struct agg_minute {
	uint64_t count;
	int64_t first;		/* first failure in this minute */
};

enum agg_eof_kind {
	AGG_EOF_HANDSHAKE,	/* EOF while handshaking */
	AGG_EOF_NO_CLOSE_NOTIFY, /* after an exchange, no close_notify */
	AGG_EOF_MID_STREAM,	/* cut while data was still expected */
	AGG_EOF_UNKNOWN,	/* phase or byte counts not recorded */
	AGG_EOF_NKINDS
};

struct agg_eof {
	uint64_t count;
	uint64_t nbytes;	/* records with byte counts */
	uint64_t sum_read;
	uint64_t max_read;
	uint64_t sum_written;
	uint64_t max_written;
	uint64_t nage;		/* records with age_s */
	uint64_t sum_age;	/* seconds */
	uint64_t max_age;
};

struct agg_coverage {
	uint64_t starts;	/* tlsdiag_start records */
	uint64_t exits;		/* tlsdiag_exit records */
	uint64_t tls_seen;	/* exits whose coverage says TLS was seen */
	uint64_t static_openssl;
	uint64_t internal_only;	/* exits: calls only from inside libssl */
	uint64_t other_tls;	/* exits naming another TLS library */
	uint64_t private_libssl; /* exits: libssl loaded, never reached */
	uint64_t records;	/* sums over coverage blocks */
	uint64_t dropped;
	uint64_t followups;
	/*
	 * Failures the rate limit held back, each counted once: a process's
	 * exit record when it has one (it counts them all), else the sum of
	 * its tlsdiag_suppressed records.
	 */
	uint64_t suppressed;
	uint64_t suppressed_exits;	/* raw sums of either source */
	uint64_t suppressed_events;
};

/* Value of agg.procs (key: host, pid, program). */
struct agg_proc {
	uint64_t suppressed_events;	/* its tlsdiag_suppressed records */
	int has_exit_count;		/* an exit record counted them */
};

/* What an exit record says the shim could not see. */
enum agg_note_kind {
	AGG_NOTE_STATIC,	/* OpenSSL linked in, nothing hooked */
	AGG_NOTE_STATIC_TOO,	/* that, besides a libssl that was hooked */
	AGG_NOTE_OTHER_TLS,	/* another TLS library, no OpenSSL call */
	AGG_NOTE_ALSO_TLS,	/* another TLS library besides OpenSSL */
	AGG_NOTE_PRIVATE,	/* libssl loaded privately, never reached */
	AGG_NOTE_NO_CALL,	/* libssl linked in, never called */
	AGG_NOTE_INTERNAL,	/* calls came only from inside libssl */
	AGG_NOTE_NKINDS
};

/* Key: kind name, program, detail (a library's file name, or ""). */
struct agg_note {
	struct agg_stat st;	/* count = exit records saying it */
	int kind;
	const char *program;	/* these point into the entry's key */
	const char *detail;
};

/* At most this many libraries of one exit record become notes. */
#define AGG_NOTE_MAX_LIBS 8

#define AGG_MAX_SAMPLES 5

/* A skipped line kept for the report. */
struct agg_sample {
	char file[256];
	uint64_t line;
	enum record_status status;
	char excerpt[64];	/* start of the line, NUL-terminated */
};

struct agg {
	uint64_t lines;		/* lines seen, good or bad */
	uint64_t records;	/* parsed records */
	uint64_t matched;	/* records that passed the filter */
	uint64_t failures;	/* matched tls_failure records */
	uint64_t warnings;	/* of those, log.level warning */
	uint64_t truncated;	/* of those, shortened to fit (truncated) */
	uint64_t nskipped;
	uint64_t skipped[RECORD_NSTATUS];
	struct agg_sample samples[AGG_MAX_SAMPLES];
	size_t nsamples;
	int has_span;
	int64_t first;		/* over matched records */
	int64_t last;
	struct strmap types;
	struct strmap groups;
	struct strmap certs;
	struct strmap stacks;
	struct strmap frames;	/* stack id: frames, from any record */
	struct strmap hosts;
	struct strmap programs;
	struct strmap procs;
	struct strmap notes;
	struct strmap minutes;
	struct agg_eof eof[AGG_EOF_NKINDS];
	struct agg_coverage cov;
	char key[8192];		/* scratch for building keys */
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
 * Learn r's frames under its stack id, from every record read, matched by
 * the filter or not: the shim writes a stack's frames only in the first
 * record of it in a log file (later ones say backtrace_repeat), which may
 * lie outside --since or be filtered away.  Returns 0, or -1 if memory
 * ran out.
 */
int agg_learn(struct agg *a, const struct record *r);

/* After the last record: give counted stacks the frames learned later. */
void agg_finish(struct agg *a);

/*
 * One line for people about a note, e.g. "node carries its own OpenSSL
 * (statically linked): nothing could be hooked", with " (N processes)"
 * when count > 1.  program and detail are used as given (escape them
 * first for a terminal).
 */
void agg_note_describe(int kind, const char *program, const char *detail,
    uint64_t count, char *buf, size_t bufsz);

/* Machine name of a note kind, e.g. "static_openssl". */
const char *agg_note_key(int kind);

/* Is r an EOF failure?  Returns its kind, or -1. */
int agg_eof_kind(const struct record *r);

/* Human-readable name of an EOF kind, and a machine name. */
const char *agg_eof_name(int kind);
const char *agg_eof_key(int kind);

/*
 * Entries of map sorted by count (descending), first seen, then key, for
 * maps whose values start with struct agg_stat.  Returns a malloc'd array
 * of map->count entries (NULL if empty or out of memory).
 */
struct strmap_ent **agg_sorted(const struct strmap *map);

/* The failure histogram, with its spike if there is one. */
struct agg_hist {
	int64_t bucket_us;	/* bucket width */
	int64_t start;		/* start of bucket 0 (aligned to the width) */
	size_t n;
	uint64_t *counts;	/* malloc'd, n entries */
	uint64_t peak;
	size_t peak_bucket;
	uint64_t baseline;	/* median bucket count */
	int has_spike;
	size_t spike_bucket;	/* first bucket of the run up to the peak */
	int64_t spike_first;	/* first failure in that bucket */
};

/*
 * Build the histogram of failures over at most maxbuckets buckets (the
 * width is the smallest of 1m, 5m, 10m, 15m, 30m, 1h, 2h, 6h, 12h, 1d, 1w
 * and whole weeks that fits).  A spike is a peak bucket of at least 5
 * failures and at least 4 times the median; it began at the earliest
 * bucket of the contiguous run before the peak whose counts exceed
 * max(2 * median, peak / 4).  Returns 0 (h->n is 0 when there were no
 * failures) or -1 if memory ran out.  Free h->counts.
 */
int agg_histogram(const struct agg *a, size_t maxbuckets, struct agg_hist *h);

#endif
