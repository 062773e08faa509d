/*
 * embed_main.c: a program that runs the tlsclient.h client compiled into
 * a shared object that carries OpenSSL inside (libtlshelper.c linked
 * from libssl.a/libcrypto.a, as libembed_sym.so with -Bsymbolic and
 * libembed_pre.so without): every TLS call is made from inside that
 * object, none from here (t353).  With "loop", it prints "ready" and runs
 * the client every 0.1 s until killed, for tlsdiag attach (t705).
 *
 * usage: embed_sym_main|embed_pre_main PORT CAFILE [get|loop]
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

int tlshelper_main(int argc, char **argv);

int
main(int argc, char **argv)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	int rc;

	if (argc == 4 && strcmp(argv[3], "loop") == 0) {
		printf("ready\n");
		for (;;) {
			fflush(stdout);
			(void)tlshelper_main(3, argv);
			nanosleep(&ts, NULL);
		}
	}
	rc = tlshelper_main(argc, argv);
	fflush(stdout);
	return rc;
}
