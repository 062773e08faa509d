/* emit.h: the one module that writes the JSON of the shim's log records. */
#ifndef TLSDIAG_EMIT_H
#define TLSDIAG_EMIT_H

#include "classify.h"
#include "context.h"
#include "jsonw.h"
#include "recordout.h"

struct bt_span;

/* What failure.c decided about one failing call. */
struct fail_facts {
	enum call call;
	int ret;
	int ssl_error; /* -1: not from SSL_get_error */
	int sys_errno;
	unsigned long first, last;
	int stale;
	const char *level;
	int eof_masked;
	enum call after;       /* verify records: the call that succeeded */
	const char *phase;     /* tlsdiag.phase: LOGFORMAT_PHASE_* */
	const char *node_code; /* node's verdict (failure_node): its code */
};

/*
 * Build and write the failure record for facts f about s (message msg,
 * vw for a certificate error).  A record that does not fit is built
 * again with its largest parts shortened (recordout.h).
 */
void emit_failure(const char *msg, struct ossl *o, SSL *s, struct fail_facts *f,
    const struct conn *cn, const struct classify_out *k,
    const struct verify_where *vw);

/* Add process and host and close the record: jsonw_finish()'s result. */
long emit_seal(struct jsonw *w);

/*
 * Write the tls_failure record of a failed RAND call (status: a
 * RAND_status() warning, no error member): packed error e (0 if none) of
 * a libcrypto with layout, err_text its reason string, message the
 * exception's.
 */
void emit_rand(const char *msg, int status, const char *call, int ret,
    int sys_errno, unsigned long e, enum err_layout layout, const char *message,
    const char *err_text);

/* Write the tlsdiag_suppressed record: held failure records not written. */
void emit_suppressed(unsigned long held, const char *msg);

/* Write the tlsdiag_start record: the copies of libssl bound so far. */
void emit_start(const char *msg);

/* What coverage_exit() found, for the tlsdiag_exit record. */
struct cov_exit {
	const char *level, *msg;
	int seen;	     /* tlsdiag.coverage.tls_seen */
	int static_openssl;  /* tlsdiag.coverage.static_openssl */
	int internal_only;   /* tlsdiag.coverage.internal_callers_only */
	char (*loaded)[256]; /* libssl copies loaded, none bound */
	int nloaded;
	int nprivate;	    /* the first nprivate of loaded: not global */
	unsigned rand;	    /* coverage_rand bits */
	char (*other)[128]; /* other TLS libraries loaded */
	int nother;
};

/*
 * Write the tlsdiag_exit record from ce, with the counters of shim and
 * the copies resolve.c knows.
 */
void emit_exit(const struct cov_exit *ce);

#endif
