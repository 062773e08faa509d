/*
 * libtlshelper.c: a shared library linked with libssl that runs the
 * tlsclient.h client, the way CPython's _ssl module is a dlopened object
 * with its own libssl dependency.  nolink_helper loads it with RTLD_LOCAL
 * or RTLD_DEEPBIND; the two-copies test points a patched copy of it at a
 * second libssl.
 */
#define SSLFN(name) name
#include "tlsclient.h"

int tlshelper_main(int argc, char **argv);

/* Run the client with main()-style arguments; returns its status. */
__attribute__((visibility("default"))) int
tlshelper_main(int argc, char **argv)
{
	int rc = client_main(argc, argv);

	fflush(stdout);
	return rc;
}
