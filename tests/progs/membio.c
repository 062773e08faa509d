/*
 * membio.c: a TLS client and server in one process over a BIO pair, no
 * kernel involved.  Each scenario prints what the program saw after each
 * failing call (return value, SSL_get_error, errno, the whole error
 * queue), so running it with and without the shim shows whether the
 * shim changed anything the program can observe.
 *
 * usage: membio SCENARIO CERT KEY [CAFILE]
 *   verify-fail  client verifies against CAFILE (or nothing) and fails
 *   eof          server side vanishes mid-handshake (write end shut)
 *   stale        an error left on the queue makes a read look failed
 *   ignored      client with SSL_VERIFY_NONE: handshake succeeds anyway
 *   reuse        one client SSL, SSL_clear()ed and given a new BIO pair,
 *                fails verification on two connections
 *   rotate       ten verification failures from one call site, two at
 *                a time, while the log named by MEMBIO_LOG is rotated
 *                (renamed to .1), deleted, copied to .2 and truncated,
 *                copied to .3, deleted and re-created by someone else
 *                who writes 56 KiB into it (says on stderr whether the
 *                new file got the old one's inode number)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define SENTINEL 4242

static void
die(const char *what)
{
	fprintf(stderr, "membio: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(2);
}

/* Print and drain the queue: the only place this program consumes it. */
static void
report(const char *call, SSL *s, int ret)
{
	int e = errno;
	int se = SSL_get_error(s, ret);
	unsigned long code;
	const char *file, *func, *data;
	int line, flags;

	printf("%s ret=%d ssl_error=%d errno=%d queue=[", call, ret, se, e);
	while (
	    (code = ERR_get_error_all(&file, &line, &func, &data, &flags)) != 0)
		printf(" %08lx@%s:%d:%s", code, file, line, func);
	printf(" ] verify=%ld\n", SSL_get_verify_result(s));
}

static void
pair(const char *cert, const char *key, const char *ca, int verify, SSL **cl,
    SSL **sv)
{
	SSL_CTX *cctx = SSL_CTX_new(TLS_client_method());
	SSL_CTX *sctx = SSL_CTX_new(TLS_server_method());
	BIO *cb, *sb;

	if (cctx == NULL || sctx == NULL)
		die("SSL_CTX_new");
	if (SSL_CTX_use_certificate_chain_file(sctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(sctx, key, SSL_FILETYPE_PEM) != 1)
		die("cannot load the server certificate");
	if (ca != NULL && SSL_CTX_load_verify_locations(cctx, ca, NULL) != 1)
		die("cannot load the CA file");
	SSL_CTX_set_verify(cctx, verify, NULL);
	*cl = SSL_new(cctx);
	*sv = SSL_new(sctx);
	if (BIO_new_bio_pair(&cb, 0, &sb, 0) != 1)
		die("BIO_new_bio_pair");
	SSL_set_bio(*cl, cb, cb);
	SSL_set_bio(*sv, sb, sb);
	SSL_set_connect_state(*cl);
	SSL_set_accept_state(*sv);
	SSL_set_tlsext_host_name(*cl, "localhost");
	SSL_set1_host(*cl, "localhost");
	SSL_CTX_free(cctx);
	SSL_CTX_free(sctx);
}

/* Step both sides until the client's handshake ends; returns its ret. */
static int
handshake(SSL *cl, SSL *sv, int cut_after)
{
	int i, rc = -1, se;

	for (i = 0; i < 20; i++) {
		errno = SENTINEL;
		rc = SSL_do_handshake(cl);
		if (rc == 1)
			return rc;
		se = SSL_get_error(cl, rc);
		if (se != SSL_ERROR_WANT_READ && se != SSL_ERROR_WANT_WRITE)
			return rc;
		if (cut_after >= 0 && i >= cut_after) {
			BIO_shutdown_wr(SSL_get_wbio(sv));
			continue;
		}
		(void)SSL_do_handshake(sv);
		ERR_clear_error(); /* the server's own queue */
	}
	return rc;
}

/* cp from to, as a log collector would before truncating. */
static void
copy_file(const char *from, const char *to)
{
	char buf[8192];
	ssize_t n;
	int in, out;

	in = open(from, O_RDONLY);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (in < 0 || out < 0)
		die("copy: open");
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			die("copy: write");
	close(in);
	close(out);
}

/*
 * What happens to the log before failure i.  Out of line, so the loop
 * below stays one call site (a compiler may otherwise copy the loop body
 * for the iterations with work to do, and the copies have other return
 * addresses: other stacks).
 */
/* A foreign writer's JSON line, 56 bytes. */
#define FILLER                                                                 \
	"{\"event\":{\"action\":\"filler\"},\"n\":\"0123456789012345678\"}\n"

static __attribute__((noinline)) void
log_event(const char *log, int i)
{
	char one[4096], two[4096], three[4096];
	struct stat before, after;
	int fd, k;

	snprintf(one, sizeof(one), "%s.1", log);
	snprintf(two, sizeof(two), "%s.2", log);
	snprintf(three, sizeof(three), "%s.3", log);
	if (i == 2 && rename(log, one) != 0)
		die("rename");
	if (i == 4 && unlink(log) != 0)
		die("unlink");
	if (i == 6) {
		copy_file(log, two);
		if (truncate(log, 0) != 0)
			die("truncate");
	}
	if (i == 8) {
		copy_file(log, three);
		if (stat(log, &before) != 0 || unlink(log) != 0)
			die("unlink");
		/* another writer: more than this process ever wrote there */
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd < 0 || fstat(fd, &after) != 0)
			die("re-create");
		for (k = 0; k < 1024; k++)
			if (write(fd, FILLER, sizeof(FILLER) - 1) !=
			    (ssize_t)sizeof(FILLER) - 1)
				die("filler");
		close(fd);
		fprintf(stderr, "membio: log re-created on %s inode\n",
		    before.st_ino == after.st_ino ? "the same" : "a new");
	}
}

/* The log rotated, deleted and truncated between pairs of failures. */
static void
rotate(const char *cert, const char *key, const char *ca)
{
	const char *log = getenv("MEMBIO_LOG");
	SSL *cl, *sv;
	int i, rc;

	if (log == NULL)
		die("MEMBIO_LOG is not set");
	for (i = 0; i < 10; i++) {
		log_event(log, i);
		pair(cert, key, ca, SSL_VERIFY_PEER, &cl, &sv);
		rc = handshake(cl, sv, -1);
		report("SSL_do_handshake", cl, rc);
		SSL_free(cl);
		SSL_free(sv);
	}
}

int
main(int argc, char **argv)
{
	SSL *cl, *sv;
	int rc;

	if (argc < 4) {
		fprintf(stderr, "usage: membio SCENARIO CERT KEY [CAFILE]\n");
		return 2;
	}
	if (strcmp(argv[1], "verify-fail") == 0) {
		pair(argv[2], argv[3], argc > 4 ? argv[4] : NULL,
		    SSL_VERIFY_PEER, &cl, &sv);
		rc = handshake(cl, sv, -1);
		report("SSL_do_handshake", cl, rc);
	} else if (strcmp(argv[1], "eof") == 0) {
		pair(argv[2], argv[3], argc > 4 ? argv[4] : NULL,
		    SSL_VERIFY_NONE, &cl, &sv);
		rc = handshake(cl, sv, 0);
		report("SSL_do_handshake", cl, rc);
	} else if (strcmp(argv[1], "stale") == 0) {
		char buf[64];
		size_t n;

		pair(argv[2], argv[3], argc > 4 ? argv[4] : NULL,
		    SSL_VERIFY_NONE, &cl, &sv);
		if (handshake(cl, sv, -1) != 1)
			die("handshake");
		/*
		 * The program forgot an error from an unrelated call; the
		 * next read, which only has no data yet, then looks like a
		 * failure (SSL_ERROR_SSL instead of WANT_READ).
		 */
		ERR_raise(ERR_LIB_X509, X509_R_CERT_ALREADY_IN_HASH_TABLE);
		errno = SENTINEL;
		rc = SSL_read_ex(cl, buf, sizeof(buf), &n);
		report("SSL_read_ex", cl, rc);
	} else if (strcmp(argv[1], "ignored") == 0) {
		pair(argv[2], argv[3], argc > 4 ? argv[4] : NULL,
		    SSL_VERIFY_NONE, &cl, &sv);
		rc = handshake(cl, sv, -1);
		printf("SSL_do_handshake ret=%d verify=%ld\n", rc,
		    SSL_get_verify_result(cl));
	} else if (strcmp(argv[1], "reuse") == 0) {
		SSL *sv2;
		BIO *cb, *sb;

		pair(argv[2], argv[3], argc > 4 ? argv[4] : NULL,
		    SSL_VERIFY_PEER, &cl, &sv);
		rc = handshake(cl, sv, -1);
		report("SSL_do_handshake", cl, rc);
		/* the same SSL, cleared, on a new connection */
		if (SSL_clear(cl) != 1)
			die("SSL_clear");
		SSL_free(sv);
		pair(argv[2], argv[3], argc > 4 ? argv[4] : NULL,
		    SSL_VERIFY_PEER, &sv, &sv2); /* sv: a throwaway client */
		SSL_free(sv);
		sv = sv2;
		if (BIO_new_bio_pair(&cb, 0, &sb, 0) != 1)
			die("BIO_new_bio_pair");
		SSL_set_bio(cl, cb, cb);
		SSL_set_bio(sv, sb, sb);
		SSL_set_connect_state(cl);
		rc = handshake(cl, sv, -1);
		report("SSL_do_handshake", cl, rc);
	} else if (strcmp(argv[1], "rotate") == 0) {
		rotate(argv[2], argv[3], argc > 4 ? argv[4] : NULL);
		return 0;
	} else {
		fprintf(stderr, "membio: unknown scenario '%s'\n", argv[1]);
		return 2;
	}
	SSL_free(cl);
	SSL_free(sv);
	return 0;
}
