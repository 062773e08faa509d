/*
 * tlsbench.c: a fixed amount of TLS work through OpenSSL's public API,
 * for measuring what the shim costs.  Client and server run in one
 * process, over a BIO pair (no kernel) or a socketpair (kernel, loopback
 * semantics), so a run is repeatable.
 *
 * usage: tlsbench WORKLOAD TRANSPORT N CERT KEY [CAFILE]
 *   WORKLOAD  small (N 64-byte records), large (N 16 KiB records),
 *             handshake (N full handshakes, verified when CAFILE is
 *             given), verifyfail (N handshakes that fail certificate
 *             verification), eof (N connections whose peer vanishes
 *             before answering the ClientHello), storm (N failures as
 *             fast as OpenSSL makes them: a read on a new, unconnected
 *             SSL fails without any cryptography), mixed (N such
 *             failures, each after two 64-byte records on an
 *             established connection: a program at work while failures
 *             arrive, about 100,000 a second on a 2 GHz-class core),
 *             rand (N RAND_bytes calls of 32 bytes: what libssl 1.1.1
 *             does on every handshake, through the shim's wrapper),
 *             none (N rounds of work that is not TLS: a program that
 *             loads libssl and sets up its contexts but makes no call
 *             the shim wraps)
 *   TRANSPORT mem (BIO pair) | sock (non-blocking AF_UNIX socketpair)
 * Prints: WORKLOAD TRANSPORT N seconds ops_per_second peak_rss_kib
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

static SSL_CTX *cctx, *sctx;
static int use_sock;

static void
die(const char *what)
{
	fprintf(stderr, "tlsbench: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(2);
}

static void
connect_pair(SSL **cl, SSL **sv)
{
	*cl = SSL_new(cctx);
	*sv = SSL_new(sctx);
	if (*cl == NULL || *sv == NULL)
		die("SSL_new");
	if (use_sock) {
		int fds[2];

		if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) < 0)
			die("socketpair");
		/* both ends in one thread: never block */
		fcntl(fds[0], F_SETFL, O_NONBLOCK);
		fcntl(fds[1], F_SETFL, O_NONBLOCK);
		SSL_set_fd(*cl, fds[0]);
		SSL_set_fd(*sv, fds[1]);
	} else {
		BIO *a, *b;

		if (BIO_new_bio_pair(&a, 0, &b, 0) != 1)
			die("BIO_new_bio_pair");
		SSL_set_bio(*cl, a, a);
		SSL_set_bio(*sv, b, b);
	}
	SSL_set_connect_state(*cl);
	SSL_set_accept_state(*sv);
	SSL_set_tlsext_host_name(*cl, "localhost");
	SSL_set1_host(*cl, "localhost");
}

static void
close_pair(SSL *cl, SSL *sv)
{
	if (use_sock) {
		close(SSL_get_fd(cl));
		close(SSL_get_fd(sv));
	}
	SSL_free(cl);
	SSL_free(sv);
}

/* Both handshakes, interleaved; returns the client's final result. */
static int
handshake(SSL *cl, SSL *sv)
{
	int rc = -1, i, e;

	for (i = 0; i < 40; i++) {
		rc = SSL_do_handshake(cl);
		if (rc == 1 && SSL_is_init_finished(sv))
			return 1;
		e = SSL_get_error(cl, rc);
		if (rc != 1 && e != SSL_ERROR_WANT_READ &&
		    e != SSL_ERROR_WANT_WRITE) {
			ERR_clear_error();
			return rc;
		}
		rc = SSL_do_handshake(sv);
		e = SSL_get_error(sv, rc);
		if (rc != 1 && e != SSL_ERROR_WANT_READ &&
		    e != SSL_ERROR_WANT_WRITE) {
			ERR_clear_error();
			return -1;
		}
	}
	return rc;
}

/* The peer vanishes: the client's first handshake step hits EOF. */
static int
vanish(SSL *cl, SSL *sv)
{
	int rc;

	if (use_sock)
		shutdown(SSL_get_fd(sv), SHUT_WR);
	else
		BIO_shutdown_wr(SSL_get_wbio(sv));
	rc = SSL_do_handshake(cl);
	ERR_clear_error();
	return rc;
}

/* Peak resident set size in KiB, from /proc. */
static long
peak_rss(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmHWM: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One failure without cryptography: a read on a new, unconnected SSL. */
static void
storm_one(void)
{
	char buf[16];
	size_t got;
	SSL *s = SSL_new(cctx);

	if (s == NULL)
		die("SSL_new");
	if (SSL_read_ex(s, buf, sizeof(buf), &got) == 1)
		die("a read on an unconnected SSL succeeded");
	ERR_clear_error();
	SSL_free(s);
}

static void
records(SSL *cl, SSL *sv, size_t size, long n)
{
	static unsigned char out[16384], in[16384];
	size_t done, got;
	long i;

	memset(out, 'x', sizeof(out));
	for (i = 0; i < n; i++) {
		if (SSL_write_ex(cl, out, size, &done) != 1 || done != size)
			die("SSL_write_ex");
		got = 0;
		while (got < size) {
			size_t k;

			if (SSL_read_ex(sv, in, sizeof(in), &k) != 1)
				die("SSL_read_ex");
			got += k;
		}
	}
}

int
main(int argc, char **argv)
{
	const char *work;
	long n, i, fails = 0;
	SSL *cl, *sv;
	double t0, t1;

	if (argc < 6) {
		fprintf(stderr,
		    "usage: tlsbench WORKLOAD mem|sock N CERT KEY "
		    "[CAFILE]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	work = argv[1];
	use_sock = strcmp(argv[2], "sock") == 0;
	n = atol(argv[3]);
	cctx = SSL_CTX_new(TLS_client_method());
	sctx = SSL_CTX_new(TLS_server_method());
	if (cctx == NULL || sctx == NULL)
		die("SSL_CTX_new");
	if (SSL_CTX_use_certificate_chain_file(sctx, argv[4]) != 1 ||
	    SSL_CTX_use_PrivateKey_file(sctx, argv[5], SSL_FILETYPE_PEM) != 1)
		die("cannot load the server certificate");
	if (argc > 6 && SSL_CTX_load_verify_locations(cctx, argv[6], NULL) != 1)
		die("cannot load the CA file");
	/* no session tickets: every handshake is a full one */
	SSL_CTX_set_num_tickets(sctx, 0);
	SSL_CTX_set_session_cache_mode(cctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_verify(cctx,
	    argc > 6 || strcmp(work, "verifyfail") == 0 ? SSL_VERIFY_PEER :
							  SSL_VERIFY_NONE,
	    NULL);

	t0 = now();
	if (strcmp(work, "rand") == 0) {
		unsigned char rb[32];

		for (i = 0; i < n; i++)
			if (RAND_bytes(rb, sizeof(rb)) != 1)
				die("RAND_bytes");
		t1 = now();
	} else if (strcmp(work, "none") == 0) {
		volatile unsigned long sink = 0;

		for (i = 0; i < n; i++)
			sink += (unsigned long)i * 2654435761u;
		t1 = now();
	} else if (strcmp(work, "storm") == 0) {
		for (i = 0; i < n; i++)
			storm_one();
		t1 = now();
	} else if (strcmp(work, "mixed") == 0) {
		connect_pair(&cl, &sv);
		if (handshake(cl, sv) != 1)
			die("handshake");
		t0 = now();
		for (i = 0; i < n; i++) {
			records(cl, sv, 64, 2);
			storm_one();
		}
		t1 = now();
		close_pair(cl, sv);
	} else if (strcmp(work, "small") == 0 || strcmp(work, "large") == 0) {
		connect_pair(&cl, &sv);
		if (handshake(cl, sv) != 1)
			die("handshake");
		t0 = now();
		records(cl, sv, work[0] == 's' ? 64 : 16384, n);
		t1 = now();
		close_pair(cl, sv);
	} else {
		int eof = strcmp(work, "eof") == 0;

		for (i = 0; i < n; i++) {
			connect_pair(&cl, &sv);
			if ((eof ? vanish(cl, sv) : handshake(cl, sv)) != 1)
				fails++;
			close_pair(cl, sv);
		}
		t1 = now();
		if (strcmp(work, "handshake") == 0 && fails != 0)
			die("a handshake failed");
		if (strcmp(work, "handshake") != 0 && fails != n)
			die("a handshake did not fail");
	}
	printf("%s %s %ld %.6f %.1f %ld\n", work, argv[2], n, t1 - t0,
	    (double)n / (t1 - t0), peak_rss());
	SSL_CTX_free(cctx);
	SSL_CTX_free(sctx);
	return 0;
}
