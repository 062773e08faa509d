/*
 * wrap_io.c: SSL_read, SSL_peek, SSL_write and their _ex forms.  The
 * success path forwards and returns: one lookup of the caller's libssl,
 * the nesting counter, the call.
 */
#include "shim.h"

#include <errno.h>

#include "observe.h"

/* clang-format off */
/* A call site with no libssl behind it: fail the call, never crash. */
#define NO_LIBSSL(r)                                                       \
	do {                                                               \
		errno = ENOSYS;                                            \
		return (r);                                                \
	} while (0)

/*
 * One wrapper: params is its parameter list, args the call's arguments,
 * fail what to return when no libssl can be found.  Success is ret > 0
 * for both the plain forms (bytes) and the _ex forms (1).
 */
#define WRAP(name, c, params, args, fail)                                  \
	SHIM_EXPORT int                                                    \
	name params                                                        \
	{                                                                  \
		struct ossl *o = resolve_caller(__builtin_return_address(0)); \
		int ret;                                                   \
                                                                           \
		if (o == NULL || o->name == NULL)                          \
			NO_LIBSSL(fail);                                   \
		MARK_CALLED(o, c);                                         \
		if (shim_depth++ == 0)                                     \
			observe_begin(o, s);                                  \
		ret = o->name args;                                        \
		shim_depth--;                                              \
		if (ret > 0)                                               \
			return ret;                                        \
		if (shim_depth == 0 && shim.ready)                         \
			failure_io(o, c, s, ret);                          \
		return ret;                                                \
	}
#define WRAP_PLAIN(name, c, bufty)                                         \
	WRAP(name, c, (SSL *s, bufty buf, int num), (s, buf, num), -1)
#define WRAP_EX(name, c, bufty)                                            \
	WRAP(name, c, (SSL *s, bufty buf, size_t num, size_t *done),      \
	    (s, buf, num, done), 0)

WRAP_PLAIN(SSL_read, CALL_SSL_READ, void *)
WRAP_PLAIN(SSL_peek, CALL_SSL_PEEK, void *)
WRAP_PLAIN(SSL_write, CALL_SSL_WRITE, const void *)
WRAP_EX(SSL_read_ex, CALL_SSL_READ_EX, void *)
WRAP_EX(SSL_peek_ex, CALL_SSL_PEEK_EX, void *)
WRAP_EX(SSL_write_ex, CALL_SSL_WRITE_EX, const void *)
/* clang-format on */
