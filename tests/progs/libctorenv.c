/*
 * libctorenv.c: a shared library whose constructor adds TLSDIAG_BACKTRACE
 * with setenv() (from CTORENV_BACKTRACE), the way a launcher library
 * might configure the process.  A variable not in the environment yet
 * makes glibc allocate a new environ array, which the array passed to
 * constructors does not show.  Preloaded after the shim, this
 * constructor runs before the shim's own, which must then see the value
 * as getenv() would (tests/e2e/t368-ctor-setenv.sh).
 */
#include <stdlib.h>

__attribute__((constructor)) static void
ctorenv(void)
{
	const char *v = getenv("CTORENV_BACKTRACE");

	if (v != NULL)
		setenv("TLSDIAG_BACKTRACE", v, 1);
}
