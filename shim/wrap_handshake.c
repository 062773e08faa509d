/*
 * wrap_handshake.c: SSL_do_handshake, SSL_connect, SSL_accept,
 * SSL_shutdown and SSL_get_verify_result.
 */
#include "shim.h"

#include <errno.h>

#include "observe.h"

/* clang-format off */
#define HANDSHAKE(name, c)                                                 \
	SHIM_EXPORT int                                                    \
	name(SSL *s)                                                       \
	{                                                                  \
		struct ossl *o = resolve_caller(__builtin_return_address(0)); \
		int ret;                                                   \
                                                                           \
		if (o == NULL) {                                           \
			errno = ENOSYS;                                    \
			return -1;                                         \
		}                                                          \
		MARK_CALLED(o, c);                                         \
		if (shim_depth++ == 0)                                     \
			observe_begin(o, s);                                  \
		ret = o->name(s);                                          \
		shim_depth--;                                              \
		if (shim_depth != 0 || !shim.ready)                        \
			return ret;                                        \
		if (ret == 1)                                              \
			check_verify_after_handshake(o, c, s);             \
		else                                                       \
			failure_io(o, c, s, ret);                          \
		return ret;                                                \
	}

HANDSHAKE(SSL_do_handshake, CALL_SSL_DO_HANDSHAKE)
HANDSHAKE(SSL_connect, CALL_SSL_CONNECT)
HANDSHAKE(SSL_accept, CALL_SSL_ACCEPT)
/* clang-format on */

/* 0 means "close_notify sent, not yet received": not a failure. */
SHIM_EXPORT int
SSL_shutdown(SSL *s)
{
	struct ossl *o = resolve_caller(__builtin_return_address(0));
	int ret;

	if (o == NULL) {
		errno = ENOSYS;
		return -1;
	}
	MARK_CALLED(o, CALL_SSL_SHUTDOWN);
	if (shim_depth++ == 0)
		observe_begin(o, s);
	ret = o->SSL_shutdown(s);
	shim_depth--;
	if (ret >= 0)
		return ret;
	if (shim_depth == 0 && shim.ready)
		failure_io(o, CALL_SSL_SHUTDOWN, s, ret);
	return ret;
}

/*
 * Observed only: the program looked at the result.  A non-OK result not
 * yet recorded for this connection is recorded once.
 */
SHIM_EXPORT long
SSL_get_verify_result(const SSL *s)
{
	struct ossl *o = resolve_caller(__builtin_return_address(0));
	long r;

	if (o == NULL) {
		errno = ENOSYS;
		return X509_V_ERR_UNSPECIFIED;
	}
	MARK_CALLED(o, CALL_SSL_GET_VERIFY_RESULT);
	r = o->SSL_get_verify_result(s);
	/*
	 * Nested in another wrapper, libssl itself reads the result: but a
	 * program's own OpenSSL never calls this export internally, and node
	 * reads it from its handshake-done callback, inside SSL_read.
	 */
	if (r == X509_V_OK || (shim_depth != 0 && !o->entry) || !shim.ready)
		return r;
	failure_verify(o, (SSL *)s, r, CALL_SSL_GET_VERIFY_RESULT);
	return r;
}
