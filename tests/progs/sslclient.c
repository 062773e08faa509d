/*
 * sslclient.c: the tlsclient.h client linked with libssl the ordinary way.
 * The Makefile also builds it with -Wl,-z,now as znow_sslclient, so that
 * both lazy and immediate binding of the wrapped calls are exercised.
 *
 * usage: sslclient PORT CAFILE [get]   (see tlsclient.h)
 */
#define SSLFN(name) name
#include "tlsclient.h"

int
main(int argc, char **argv)
{
	int rc = client_main(argc, argv);

	fflush(stdout);
	return rc;
}
