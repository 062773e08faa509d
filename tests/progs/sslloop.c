/*
 * sslloop.c: the tlsclient.h client in a loop, for "tlsdiag attach" to
 * join while it runs: prints "ready", then connects every 0.1 s until it
 * is killed.  The Makefile also builds it with OpenSSL linked in and
 * exported (exported_sslloop, as node carries it), whose calls only the
 * entry hooks reach (t704).
 *
 * usage: sslloop PORT CAFILE   (see tlsclient.h)
 */
#include <time.h>

#define SSLFN(name) name
#include "tlsclient.h"

int
main(int argc, char **argv)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	if (argc != 3) {
		fprintf(stderr, "usage: sslloop PORT CAFILE\n");
		return 3;
	}
	printf("ready\n");
	for (;;) {
		fflush(stdout);
		(void)client_main(argc, argv);
		nanosleep(&ts, NULL);
	}
}
