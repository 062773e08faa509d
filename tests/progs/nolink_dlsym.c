/*
 * nolink_dlsym.c: a program not linked with libssl that dlopens
 * libssl.so.3 and calls it only through dlsym pointers, so its own calls
 * never pass through a preloaded wrapper.  What the shim can still see is
 * what libssl calls of its own exports through its PLT.
 *
 * usage: nolink_dlsym local|global|deepbind PORT CAFILE [get]
 *   The first argument chooses RTLD_LOCAL, RTLD_GLOBAL or
 *   RTLD_LOCAL|RTLD_DEEPBIND for the dlopen; the rest is tlsclient.h's.
 */
#include <dlfcn.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

/* clang-format off */
#define FUNCS(X)                                                           \
	X(SSL_CTX_new) X(TLS_client_method) X(SSL_CTX_load_verify_locations) \
	X(SSL_CTX_set_verify) X(SSL_new) X(SSL_set_fd) X(SSL_set1_host)    \
	X(SSL_connect) X(SSL_read) X(SSL_write) X(SSL_shutdown)            \
	X(SSL_get_error) X(SSL_get_verify_result) X(SSL_free)              \
	X(SSL_CTX_free) X(ERR_get_error) X(ERR_error_string_n)             \
	X(X509_verify_cert_error_string)
/* clang-format on */

#define X(name) __typeof__(name) *name;
static struct {
	FUNCS(X)
} api;
#undef X

#define SSLFN(name) api.name
#include "tlsclient.h"

static int
load(const char *mode)
{
	int flags = RTLD_NOW;
	void *h;

	if (strcmp(mode, "local") == 0)
		flags |= RTLD_LOCAL;
	else if (strcmp(mode, "global") == 0)
		flags |= RTLD_GLOBAL;
	else if (strcmp(mode, "deepbind") == 0)
		flags |= RTLD_LOCAL | RTLD_DEEPBIND;
	else
		return -1;
	h = dlopen("libssl.so.3", flags);
	if (h == NULL) {
		fprintf(stderr, "dlopen: %s\n", dlerror());
		return -1;
	}
#define X(name)                                                                \
	*(void **)&api.name = dlsym(h, #name);                                 \
	if (api.name == NULL) {                                                \
		fprintf(stderr, "dlsym %s: %s\n", #name, dlerror());           \
		return -1;                                                     \
	}
	FUNCS(X)
#undef X
	return 0;
}

int
main(int argc, char **argv)
{
	int rc;

	if (argc < 2 || load(argv[1]) < 0) {
		fprintf(stderr,
		    "usage: nolink_dlsym local|global|deepbind "
		    "PORT CAFILE [get]\n");
		return 3;
	}
	rc = client_main(argc - 1, argv + 1);
	fflush(stdout);
	return rc;
}
