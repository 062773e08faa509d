/*
 * bioclient.c: a TLS client that connects to 127.0.0.1:PORT and moves its
 * bytes in one of three ways, to show what the shim can learn about the
 * peer behind each:
 *   socket  SSL_set_fd: a socket BIO
 *   custom  a BIO of its own whose read and write call recv() and send()
 *           on the socket, as curl's does
 *   getfd   the same BIO, answering BIO_get_fd with the socket
 *   buffer  a buffering BIO over a socket BIO (BIO_push)
 *   pair    a BIO pair: the program itself copies bytes between the pair
 *           and the socket, outside the OpenSSL calls (as event loops do)
 * The host to verify is set on the verify parameters
 * (X509_VERIFY_PARAM_set1_host on SSL_get0_param), not with SSL_set1_host;
 * with SNI given, that name is sent as SNI, else none is sent.
 *
 * usage: bioclient socket|custom|getfd|buffer|pair PORT CAFILE HOST [SNI]
 * Prints what the handshake did; exits 0 on success, 1 if the handshake
 * failed, 3 on a usage or setup error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

static int
connect_local(int port)
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

static int
custom_read(BIO *b, char *buf, int len)
{
	ssize_t n = recv((int)(intptr_t)BIO_get_data(b), buf, (size_t)len, 0);

	BIO_clear_retry_flags(b);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		BIO_set_retry_read(b);
	return (int)n;
}

static int
custom_write(BIO *b, const char *buf, int len)
{
	ssize_t n = send((int)(intptr_t)BIO_get_data(b), buf, (size_t)len,
	    MSG_NOSIGNAL);

	BIO_clear_retry_flags(b);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		BIO_set_retry_write(b);
	return (int)n;
}

static long
custom_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b;
	(void)num;
	(void)ptr;
	return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

/* getfd: as custom_ctrl, and BIO_get_fd tells the socket. */
static long
getfd_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	int fd = (int)(intptr_t)BIO_get_data(b);

	if (cmd != BIO_C_GET_FD)
		return custom_ctrl(b, cmd, num, ptr);
	if (ptr != NULL)
		*(int *)ptr = fd;
	return fd;
}

static int
custom_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

/* A BIO over fd that is not a socket BIO; with getfd, it tells its fd. */
static BIO *
custom_bio(int fd, int getfd)
{
	BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK,
	    "bioclient custom");
	BIO *b;

	if (m == NULL || BIO_meth_set_read(m, custom_read) != 1 ||
	    BIO_meth_set_write(m, custom_write) != 1 ||
	    BIO_meth_set_ctrl(m, getfd ? getfd_ctrl : custom_ctrl) != 1 ||
	    BIO_meth_set_create(m, custom_create) != 1)
		return NULL;
	b = BIO_new(m);
	if (b != NULL)
		BIO_set_data(b, (void *)(intptr_t)fd);
	return b;
}

/* Send what the pair holds for the network; -1 on a socket error. */
static int
pair_flush(BIO *net, int fd)
{
	char buf[16384];
	int n;

	while ((n = BIO_read(net, buf, (int)sizeof(buf))) > 0)
		if (send(fd, buf, (size_t)n, MSG_NOSIGNAL) != n)
			return -1;
	return 0;
}

/* Drive the handshake over a BIO pair; returns SSL_connect's last ret. */
static int
pair_handshake(SSL *s, BIO *net, int fd)
{
	char buf[16384];
	ssize_t n;
	int ret, se;

	for (;;) {
		ret = SSL_connect(s);
		se = SSL_get_error(s, ret);
		if (pair_flush(net, fd) < 0 || ret == 1)
			return ret;
		if (se != SSL_ERROR_WANT_READ && se != SSL_ERROR_WANT_WRITE)
			return ret;
		if (se == SSL_ERROR_WANT_READ) {
			n = recv(fd, buf, sizeof(buf), 0);
			if (n <= 0) {
				/* the peer closed: tell the pair, try again */
				BIO_shutdown_wr(net);
				continue;
			}
			if (BIO_write(net, buf, (int)n) != (int)n)
				return ret;
		}
	}
}

int
main(int argc, char **argv)
{
	SSL_CTX *ctx;
	SSL *s;
	BIO *b, *net = NULL;
	int fd, ret, rc = 0;
	unsigned long e;
	char buf[256];

	if (argc < 5 || argc > 6) {
		fprintf(stderr,
		    "usage: bioclient socket|custom|getfd|buffer|"
		    "pair PORT CAFILE HOST [SNI]\n");
		return 3;
	}
	ctx = SSL_CTX_new(TLS_client_method());
	if (ctx == NULL ||
	    SSL_CTX_load_verify_locations(ctx, argv[3], NULL) != 1) {
		fprintf(stderr, "bioclient: cannot set up a context\n");
		return 3;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	fd = connect_local(atoi(argv[2]));
	s = SSL_new(ctx);
	if (fd < 0 || s == NULL) {
		fprintf(stderr, "bioclient: cannot connect\n");
		return 3;
	}
	if (X509_VERIFY_PARAM_set1_host(SSL_get0_param(s), argv[4], 0) != 1 ||
	    (argc == 6 && SSL_set_tlsext_host_name(s, argv[5]) != 1)) {
		fprintf(stderr, "bioclient: cannot set the host\n");
		return 3;
	}
	if (strcmp(argv[1], "socket") == 0)
		ret = SSL_set_fd(s, fd) == 1 ? 0 : -1;
	else if (strcmp(argv[1], "custom") == 0 ||
	    strcmp(argv[1], "getfd") == 0) {
		b = custom_bio(fd, strcmp(argv[1], "getfd") == 0);
		ret = b != NULL ? 0 : -1;
		if (b != NULL)
			SSL_set_bio(s, b, b);
	} else if (strcmp(argv[1], "buffer") == 0) {
		b = BIO_push(BIO_new(BIO_f_buffer()),
		    BIO_new_socket(fd, BIO_NOCLOSE));
		ret = b != NULL ? 0 : -1;
		if (b != NULL)
			SSL_set_bio(s, b, b);
	} else if (strcmp(argv[1], "pair") == 0) {
		ret = BIO_new_bio_pair(&b, 0, &net, 0) == 1 ? 0 : -1;
		if (ret == 0)
			SSL_set_bio(s, b, b);
	} else {
		fprintf(stderr, "bioclient: unknown transport '%s'\n", argv[1]);
		return 3;
	}
	if (ret != 0) {
		fprintf(stderr, "bioclient: cannot set up the BIO\n");
		return 3;
	}
	ret = net != NULL ? pair_handshake(s, net, fd) : SSL_connect(s);
	if (ret == 1)
		printf("handshake ok\n");
	else {
		e = ERR_peek_last_error();
		ERR_error_string_n(e, buf, sizeof(buf));
		printf(
		    "SSL_connect failed: ret=%d ssl_error=%d verify=%ld %s\n",
		    ret, SSL_get_error(s, ret), SSL_get_verify_result(s),
		    e != 0 ? buf : "(empty queue)");
		ERR_clear_error();
		rc = 1;
	}
	SSL_free(s);
	if (net != NULL)
		BIO_free(net);
	SSL_CTX_free(ctx);
	close(fd);
	return rc;
}
