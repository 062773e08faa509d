/* record.h: the frame every log record shares, and writing it out. */
#ifndef TLSDIAG_RECORD_H
#define TLSDIAG_RECORD_H

#include "jsonw.h"

#define RECORD_MAX 16384

/*
 * Start a record in w: @timestamp, log.level, message, event.action.  The
 * caller then writes its own members, including the "tlsdiag" object
 * (record_tlsdiag_schema() writes its schema member).
 */
void record_begin(struct jsonw *w, char *buf, const char *level,
    const char *action, const char *message);

/*
 * Write tlsdiag.schema into the open tlsdiag object, and, until a record
 * carrying it has been written, tlsdiag.log_fallback: the TLSDIAG_LOG
 * value that is not used and why.
 */
void record_tlsdiag_schema(struct jsonw *w);

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
 * Rate limit: 1 if a failure record may be written now.  When records were
 * held back in an earlier second, writes a tlsdiag_suppressed record first.
 */
int record_admit(void);

/* Write a tlsdiag_suppressed record for what is held back, if anything
 * (at exit, so a burst followed by silence is still reported). */
void record_flush_suppressed(void);

/* In a forked child: reset what another thread may have held. */
void record_atfork_child(void);

/* Format t (UTC) as RFC 3339 with exactly 6 fractional digits and Z. */
void record_time(char *out, size_t cap, long long sec, long usec);

#endif
