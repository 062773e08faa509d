/* ratelimit.h: the per-second limit on failure records (TLSDIAG_RATE). */
#ifndef TLSDIAG_RATELIMIT_H
#define TLSDIAG_RATELIMIT_H

/*
 * Rate limit: 1 if a failure record may be written now.  When records were
 * held back in an earlier second, writes a tlsdiag_suppressed record first.
 */
int ratelimit_admit(void);

/* Write a tlsdiag_suppressed record for what is held back, if anything
 * (at exit, so a burst followed by silence is still reported). */
void ratelimit_flush(void);

/* In a forked child: forget what the parent held back. */
void ratelimit_atfork_child(void);

#endif
