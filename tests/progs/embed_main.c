/*
 * embed_main.c: a program that runs the tlsclient.h client compiled into
 * a shared object that carries OpenSSL inside (libtlshelper.c linked
 * from libssl.a/libcrypto.a, as libembed_sym.so with -Bsymbolic and
 * libembed_pre.so without): every TLS call is made from inside that
 * object, none from here (t353).
 *
 * usage: embed_sym_main|embed_pre_main PORT CAFILE [get]
 */
#include <stdio.h>

int tlshelper_main(int argc, char **argv);

int
main(int argc, char **argv)
{
	int rc = tlshelper_main(argc, argv);

	fflush(stdout);
	return rc;
}
