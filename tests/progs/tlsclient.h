/*
 * tlsclient.h: the one TLS client behind the programs that reach libssl in
 * different ways (linked, -z now, dlsym pointers, a dlopened helper, two
 * libssl copies).  The includer defines SSLFN(name) to say how a libssl or
 * libcrypto function is reached: the name itself when linked, a pointer
 * from dlsym otherwise.  Everything here is static: each program has its
 * own copy.
 *
 * client_main(argc, argv) takes PORT CAFILE [get]: it connects to
 * 127.0.0.1:PORT, verifies the server's certificate against CAFILE for the
 * name "localhost" and, with "get", sends a request and reads until the
 * connection ends.  It prints what it saw, one line per step, and returns
 * 0 when everything worked, 1 when the handshake failed, 2 when the read
 * ended without close_notify, 3 on a usage or setup error.
 */
#ifndef TLSCLIENT_H
#define TLSCLIENT_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#ifndef SSLFN
#error "define SSLFN(name) before including tlsclient.h"
#endif

static int
client_connect(int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Print the first queued error (and drain the queue) after a failure. */
static void
client_print_error(SSL *s, const char *call, int ret)
{
	char buf[256] = "";
	int e = errno;
	int se = SSLFN(SSL_get_error)(s, ret);
	unsigned long code = SSLFN(ERR_get_error)();

	if (code != 0)
		SSLFN(ERR_error_string_n)(code, buf, sizeof(buf));
	while (SSLFN(ERR_get_error)() != 0)
		;
	printf("%s failed: ret=%d ssl_error=%d errno=%d queue=%s\n", call, ret,
	    se, se == SSL_ERROR_SYSCALL ? e : 0, code != 0 ? buf : "empty");
}

/* Read until the connection ends; 0 on close_notify, 2 otherwise. */
static int
client_get(SSL *s)
{
	static const char req[] = "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n";
	char buf[4096];
	long total = 0;
	int n;

	n = SSLFN(SSL_write)(s, req, (int)sizeof(req) - 1);
	if (n <= 0) {
		client_print_error(s, "SSL_write", n);
		return 2;
	}
	for (;;) {
		n = SSLFN(SSL_read)(s, buf, (int)sizeof(buf));
		if (n <= 0)
			break;
		total += n;
	}
	printf("read %ld bytes\n", total);
	if (SSLFN(SSL_get_error)(s, n) == SSL_ERROR_ZERO_RETURN) {
		printf("SSL_read: close_notify\n");
		SSLFN(SSL_shutdown)(s);
		return 0;
	}
	client_print_error(s, "SSL_read", n);
	return 2;
}

static int
client_main(int argc, char **argv)
{
	SSL_CTX *ctx;
	SSL *s;
	long v;
	int fd, ret, rc;

	if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "get") != 0)) {
		fprintf(stderr, "usage: PORT CAFILE [get]\n");
		return 3;
	}
	ctx = SSLFN(SSL_CTX_new)(SSLFN(TLS_client_method)());
	if (ctx == NULL ||
	    SSLFN(SSL_CTX_load_verify_locations)(ctx, argv[2], NULL) != 1) {
		fprintf(stderr, "cannot set up a client context\n");
		return 3;
	}
	SSLFN(SSL_CTX_set_verify)(ctx, SSL_VERIFY_PEER, NULL);
	fd = client_connect(atoi(argv[1]));
	if (fd < 0) {
		fprintf(stderr, "connect: %s\n", strerror(errno));
		return 3;
	}
	s = SSLFN(SSL_new)(ctx);
	if (s == NULL || SSLFN(SSL_set_fd)(s, fd) != 1 ||
	    SSLFN(SSL_set1_host)(s, "localhost") != 1) {
		fprintf(stderr, "cannot set up the connection\n");
		return 3;
	}
	ret = SSLFN(SSL_connect)(s);
	if (ret == 1) {
		printf("handshake ok\n");
		rc = argc == 4 ? client_get(s) : 0;
	} else {
		v = SSLFN(SSL_get_verify_result)(s);
		client_print_error(s, "SSL_connect", ret);
		printf("verify result %ld (%s)\n", v,
		    SSLFN(X509_verify_cert_error_string)(v));
		rc = 1;
	}
	SSLFN(SSL_free)(s);
	SSLFN(SSL_CTX_free)(ctx);
	close(fd);
	return rc;
}

#endif
