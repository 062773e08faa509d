/*
 * libctorcall.c: a shared library whose constructor makes a failing TLS
 * call, the way a library that sets up TLS at load time would.  Preloaded
 * after the shim (LD_PRELOAD="libtlsdiag.so libctorcall.so"), its
 * constructor runs before the shim's own: the wrapper is the first shim
 * code to run in the process (tests/e2e/t367-ctor-call.sh).  The peer is
 * the other end of a socketpair holding a plain-text reply, so
 * SSL_connect fails with "wrong version number" and nothing leaves the
 * process.
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

__attribute__((constructor)) static void
ctorcall(void)
{
	static const char reply[] = "HTTP/1.0 400 Bad Request\r\n\r\n";
	SSL_CTX *ctx;
	SSL *ssl;
	int sv[2], rc, err;
	long vr;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
		perror("ctorcall: socketpair");
		return;
	}
	if (write(sv[1], reply, sizeof(reply) - 1) !=
	    (ssize_t)(sizeof(reply) - 1)) {
		perror("ctorcall: write");
		return;
	}
	ctx = SSL_CTX_new(TLS_client_method());
	ssl = ctx != NULL ? SSL_new(ctx) : NULL;
	if (ssl == NULL || SSL_set_fd(ssl, sv[0]) != 1) {
		fprintf(stderr, "ctorcall: cannot set up SSL\n");
		return;
	}
	rc = SSL_connect(ssl);
	err = SSL_get_error(ssl, rc);
	vr = SSL_get_verify_result(ssl);
	printf("ctorcall: SSL_connect %d, SSL_get_error %d, verify %ld\n", rc,
	    err, vr);
	fflush(stdout);
	ERR_clear_error();
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(sv[0]);
	close(sv[1]);
}
