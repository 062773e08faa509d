/*
 * wrap_io.c: SSL_read, SSL_peek, SSL_write and their _ex forms.  The
 * success path forwards and returns: one lookup of the caller's libssl,
 * the nesting counter, the call.
 */
#include "shim.h"

#include <errno.h>

/* A call site with no libssl behind it: fail the call, never crash. */
#define NO_LIBSSL(r)                                                       \
	do {                                                               \
		errno = ENOSYS;                                            \
		return (r);                                                \
	} while (0)

/* Plain forms: > 0 is success. */
#define WRAP_PLAIN(name, c, bufty)                                         \
	SHIM_EXPORT int                                                    \
	name(SSL *s, bufty buf, int num)                                   \
	{                                                                  \
		struct ossl *o = resolve_caller(__builtin_return_address(0)); \
		int ret;                                                   \
                                                                           \
		if (o == NULL || o->name == NULL)                          \
			NO_LIBSSL(-1);                                     \
		MARK_CALLED(o, c);                                         \
		shim_depth++;                                              \
		ret = o->name(s, buf, num);                                \
		shim_depth--;                                              \
		if (ret > 0)                                               \
			return ret;                                        \
		if (shim_depth == 0 && shim.ready)                         \
			failure_io(o, c, s, ret);                          \
		return ret;                                                \
	}

/* _ex forms: 1 is success. */
#define WRAP_EX(name, c, bufty)                                            \
	SHIM_EXPORT int                                                    \
	name(SSL *s, bufty buf, size_t num, size_t *done)                  \
	{                                                                  \
		struct ossl *o = resolve_caller(__builtin_return_address(0)); \
		int ret;                                                   \
                                                                           \
		if (o == NULL || o->name == NULL)                          \
			NO_LIBSSL(0);                                      \
		MARK_CALLED(o, c);                                         \
		shim_depth++;                                              \
		ret = o->name(s, buf, num, done);                          \
		shim_depth--;                                              \
		if (ret > 0)                                               \
			return ret;                                        \
		if (shim_depth == 0 && shim.ready)                         \
			failure_io(o, c, s, ret);                          \
		return ret;                                                \
	}

WRAP_PLAIN(SSL_read, CALL_SSL_READ, void *)
WRAP_PLAIN(SSL_peek, CALL_SSL_PEEK, void *)
WRAP_PLAIN(SSL_write, CALL_SSL_WRITE, const void *)
WRAP_EX(SSL_read_ex, CALL_SSL_READ_EX, void *)
WRAP_EX(SSL_peek_ex, CALL_SSL_PEEK_EX, void *)
WRAP_EX(SSL_write_ex, CALL_SSL_WRITE_EX, const void *)
