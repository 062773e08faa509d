/* recordout.h: a built record's way out: fitting it, and writing it. */
#ifndef TLSDIAG_RECORDOUT_H
#define TLSDIAG_RECORDOUT_H

#include "jsonw.h"

#define RECORD_MAX 16384

/*
 * Add process and host, close the record and append it to the log.
 * Returns 0 if written, -1 if dropped (counted in shim.dropped).
 */
int record_write(struct jsonw *w);

struct bt_span;

/*
 * record_write() for a record with a backtrace at *sp: when this process
 * already wrote the same stack's frames into the same log file, they are
 * replaced by "backtrace_repeat":true (the stack_id stays), unless
 * TLSDIAG_BACKTRACE_REPEAT is set.
 */
int record_write_frames(struct jsonw *w, const struct bt_span *sp);

/*
 * A failure record must never be lost to its own size (a hostile peer's
 * certificate, a deep stack).  Its variable parts are measured as they
 * are written; when the record would not fit in RECORD_MAX, or a part
 * was cut to its fixed limit (a name at 1,023 bytes, 64 names), it is
 * written again with the largest parts shortened to a common size, and
 * tlsdiag.truncated names every part that was.
 */
enum record_part {
	RECORD_PART_VERIFY_SUBJECT, /* tlsdiag.verify_subject */
	RECORD_PART_ERRORS,	    /* tlsdiag.errors */
	RECORD_PART_BACKTRACE,	    /* tlsdiag.backtrace */
	RECORD_PART_SUBJECT, /* tls.PEER.x509.subject.distinguished_name */
	RECORD_PART_ISSUER,  /* tls.PEER.x509.issuer.distinguished_name */
	RECORD_PART_SANS,    /* tls.PEER.x509.alternative_names */
	RECORD_NPARTS
};

struct record_fit {
	size_t room[RECORD_NPARTS];  /* bytes each part may take */
	size_t start[RECORD_NPARTS]; /* jsonw_need(w) where it began */
	size_t size[RECORD_NPARTS];  /* bytes it took or would have */
	unsigned cut;		     /* 1 << part: shortened in this pass */
	unsigned said;		     /* what this pass's marker announces */
	int pass;
	const char *peer; /* "server" or "client": tls.PEER */
};

/* A first pass: no part limited, nothing said. */
void record_fit_init(struct record_fit *f, const char *peer);

/*
 * Around the writing of part p into w.  record_part_limit() is the value
 * of jsonw_need(w) the part must not pass; record_part_end() notes its
 * size, and that it was shortened when cut is non-zero.
 */
void record_part_begin(struct record_fit *f, enum record_part p,
    const struct jsonw *w);
size_t record_part_limit(const struct record_fit *f, enum record_part p);
void record_part_end(struct record_fit *f, enum record_part p,
    const struct jsonw *w, int cut);

/*
 * The member name of part p, after f's peer for tls.PEER ones, in out
 * (cap bytes).
 */
void record_part_name(const struct record_fit *f, int p, char *out, size_t cap);

/*
 * Whether the record being built must carry tlsdiag.log_fallback: 1, with
 * the TLSDIAG_LOG value given and why it is not used, until a record
 * carrying it has been written; else 0.
 */
int record_fallback_due(const char **given, const char **why);

/*
 * After a pass that built and sealed (emit_seal) the record in w: 1 if
 * it must be built again, with f set up for that pass; 0 if it stands
 * (whole, or hopeless after the last pass: it is then dropped).
 */
int record_fit_again(struct record_fit *f, const struct jsonw *w);

/*
 * record_write_frames() for a record already sealed (len from
 * emit_seal).
 */
int record_write_sealed(struct jsonw *w, long len, const struct bt_span *sp);

/* In a forked child: reset the log path's lock another thread may hold. */
void record_atfork_child(void);

/* Format t (UTC) as RFC 3339 with exactly 6 fractional digits and Z. */
void record_time(char *out, size_t cap, long long sec, long usec);

#endif
