/* coverage.h: records that say what the shim could and could not see. */
#ifndef TLSDIAG_COVERAGE_H
#define TLSDIAG_COVERAGE_H

struct ossl;

/* Failure kinds counted for the exit record. */
enum shim_kind {
	KIND_EOF, KIND_CERT, KIND_ZERO_RETURN, KIND_SYSCALL, KIND_OSERROR,
	KIND_SSL, KIND_VERIFY_IGNORED, KIND__COUNT
};

/* A libssl copy was bound for the first time: the first one writes a
 * tlsdiag_start record. */
void coverage_copy_seen(const struct ossl *o);

/*
 * At exit: a tlsdiag_exit record when TLS was used, or when an OpenSSL
 * linked into the executable or another TLS library means the shim could
 * not see it.  A program with no TLS at all gets no record and no file.
 */
void coverage_exit(void);

#endif
