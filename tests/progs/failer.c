/*
 * failer.c: a host program that fails TLS connections on purpose, in the
 * hostile ways the shim must survive: many threads at once, fork with and
 * without exec, posix_spawn, a daemon that closes and reuses every
 * descriptor, a storm of signals, a storm of failures.
 *
 * Each failure is real and goes through the wrapped calls: a client over
 * a BIO pair whose server end was shut down before the handshake sends
 * its ClientHello, reads EOF and fails with SSL_ERROR_SSL (unexpected EOF
 * while reading).  No certificate and no key exchange with a peer are
 * needed, so a failure costs tens of microseconds.
 *
 * usage: failer MODE ARGS...
 *   eof N               N failures; prints "failures N"
 *   deep N D            N failures, each from D nested calls
 *   threads T N         T threads of N failures each
 *   steps N DIR         before failure i, wait for the file DIR/go<i>;
 *                       after it print "done i"
 *   storm N             fail as fast as possible, N times and for at
 *                       least 1.2 s; prints how many, and the elapsed
 *                       and CPU seconds they took
 *   signals N           N failures while SIGALRM (no SA_RESTART) fires
 *                       every 50 us
 *   fork N              N failures, fork; the child fails N times and
 *                       exits; the parent waits and fails N times more
 *   fork-exec N         the child execs "failer eof N" instead
 *   spawn N             posix_spawn "failer eof N", then N failures
 *   daemon N DATA       fork a child that closes every descriptor,
 *                       points 0 at /dev/null and 1, 2 at DATA (its own
 *                       file), then writes and fails N times, checking
 *                       that it owns exactly the descriptors it opened
 *   verify HOST CERT [N]
 *                       N clients (default 1), one after another, that
 *                       verify the self-signed CERT (key in CERT too) for
 *                       HOST, sent as SNI, and fail; prints "failures N"
 * Every mode prints "pid P" first.  Exit status 0, or 3 if a call did not
 * fail the way it should.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

extern char **environ;

static SSL_CTX *cctx;
static char self[4096];

static void
die(const char *what)
{
	fprintf(stderr, "failer: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(3);
}

/* One real failure through SSL_do_handshake; 0 if it failed as planned. */
static int
fail_once(void)
{
	SSL *cl = SSL_new(cctx);
	BIO *cb, *sb;
	int rc, se;

	if (cl == NULL || BIO_new_bio_pair(&cb, 0, &sb, 0) != 1)
		return -1;
	SSL_set_bio(cl, cb, cb);
	SSL_set_connect_state(cl);
	BIO_shutdown_wr(sb); /* the server vanished */
	rc = SSL_do_handshake(cl);
	se = SSL_get_error(cl, rc);
	ERR_clear_error();
	SSL_free(cl);
	BIO_free(sb);
	return rc <= 0 && se == SSL_ERROR_SSL ? 0 : -1;
}

static void
fail_n(long n)
{
	long i;

	for (i = 0; i < n; i++)
		if (fail_once() != 0)
			die("a handshake did not fail with SSL_ERROR_SSL");
}

/*
 * One failure from d nested calls: a deep stack.  noinline and the
 * volatile sum keep each level a real frame.
 */
static int __attribute__((noinline)) fail_deep(long d)
{
	volatile int r;

	if (d <= 0)
		r = fail_once();
	else
		r = fail_deep(d - 1);
	return r + 0;
}

static void *
thread_main(void *arg)
{
	fail_n(*(long *)arg);
	return NULL;
}

static void
run_threads(int t, long n)
{
	pthread_t tid[256];
	int i;

	if (t < 1 || t > 256)
		die("1 to 256 threads");
	for (i = 0; i < t; i++)
		if (pthread_create(&tid[i], NULL, thread_main, &n) != 0)
			die("pthread_create");
	for (i = 0; i < t; i++)
		pthread_join(tid[i], NULL);
	printf("failures %ld\n", (long)t * n);
}

static void
run_steps(long n, const char *dir)
{
	char path[4096];
	struct timespec tick = { 0, 5 * 1000 * 1000 };
	long i;
	int waited;

	for (i = 1; i <= n; i++) {
		snprintf(path, sizeof(path), "%s/go%ld", dir, i);
		for (waited = 0; access(path, F_OK) != 0; waited++) {
			if (waited > 2000)
				die("no go file within 10 s");
			nanosleep(&tick, NULL);
		}
		fail_n(1);
		printf("done %ld\n", i);
		fflush(stdout);
	}
}

static double
now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile sig_atomic_t alarms;

static void
on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void
run_signals(long n)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 50 }, { 0, 50 } };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: calls see EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) != 0 ||
	    setitimer(ITIMER_REAL, &it, NULL) != 0)
		die("cannot start the timer");
	fail_n(n);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	printf("failures %ld\n", n);
	printf("signals %s\n", alarms > 0 ? "yes" : "no");
}

static pid_t
must_fork(void)
{
	pid_t p;

	fflush(NULL);
	p = fork();
	if (p < 0)
		die("fork");
	return p;
}

static void
wait_ok(pid_t p, const char *what)
{
	int st;

	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "failer: %s failed (status %d)\n", what, st);
		exit(3);
	}
}

/* The count of open descriptors, from /proc/self/fd. */
static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		die("opendir /proc/self/fd");
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own */
}

static void
run_daemon(long n, const char *data)
{
	pid_t p;
	int fd, keep, nfd, i;
	long k;

	fail_n(1); /* the shim is in use before the fork */
	fd = open(data, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	if (fd < 0)
		die("cannot open the data file");
	p = must_fork();
	if (p > 0) {
		close(fd);
		wait_ok(p, "the daemon");
		fail_n(1);
		printf("failures 2\n");
		return;
	}
	setsid();
	/* Close everything we did not open, stdio included. */
	for (i = 0; i < 1024; i++)
		if (i != fd)
			close(i);
	if (open("/dev/null", O_RDONLY) != 0 || dup2(fd, 1) != 1 ||
	    dup2(fd, 2) != 2)
		_exit(4);
	close(fd);
	/*
	 * Occupy the next numbers, the ones a careless logger (or a library
	 * that cached a descriptor before we closed everything) would use:
	 * 3 for our lines, 4 and 5 held open and never written by us.
	 */
	keep = open(data, O_WRONLY | O_APPEND);
	if (keep != 3 || open(data, O_RDWR | O_APPEND) != 4 ||
	    open(data, O_RDWR | O_APPEND) != 5)
		_exit(5);
	nfd = count_fds();
	for (k = 1; k <= n; k++) {
		printf("data %ld\n", k);
		fflush(stdout);
		if (fail_once() != 0)
			_exit(6);
		fprintf(stderr, "err %ld\n", k);
		dprintf(keep, "keep %ld\n", k);
		if (count_fds() != nfd)
			_exit(7); /* the shim left one open */
	}
	exit(0);
}

static void
run_spawn(long n, int how)
{
	char num[32], mode[] = "eof";
	char *argv[] = { self, mode, num, NULL };
	pid_t p;

	snprintf(num, sizeof(num), "%ld", n);
	if (how == 's') {
		fflush(NULL);
		if (posix_spawn(&p, self, NULL, NULL, argv, environ) != 0)
			die("posix_spawn");
		fail_n(n);
		wait_ok(p, "the spawned child");
		printf("failures %ld\n", n);
		return;
	}
	fail_n(n);
	p = must_fork();
	if (p == 0) {
		if (how == 'e') {
			execv(self, argv);
			_exit(127);
		}
		fail_n(n);
		exit(0);
	}
	wait_ok(p, "the child");
	fail_n(n);
	printf("failures %ld\n", 2 * n);
}

static void
run_verify(const char *host, const char *cert)
{
	SSL_CTX *sctx = SSL_CTX_new(TLS_server_method());
	SSL_CTX *vctx = SSL_CTX_new(TLS_client_method());
	SSL *cl, *sv;
	BIO *cb, *sb;
	int i, rc = -1, se;

	if (sctx == NULL || vctx == NULL ||
	    SSL_CTX_use_certificate_chain_file(sctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(sctx, cert, SSL_FILETYPE_PEM) != 1)
		die("cannot load the certificate");
	SSL_CTX_set_verify(vctx, SSL_VERIFY_PEER, NULL);
	cl = SSL_new(vctx);
	sv = SSL_new(sctx);
	if (cl == NULL || sv == NULL || BIO_new_bio_pair(&cb, 0, &sb, 0) != 1)
		die("SSL_new");
	SSL_set_bio(cl, cb, cb);
	SSL_set_bio(sv, sb, sb);
	SSL_set_connect_state(cl);
	SSL_set_accept_state(sv);
	if (SSL_set_tlsext_host_name(cl, host) != 1)
		die("SSL_set_tlsext_host_name");
	for (i = 0; i < 20; i++) {
		rc = SSL_do_handshake(cl);
		se = SSL_get_error(cl, rc);
		if (rc == 1 ||
		    (se != SSL_ERROR_WANT_READ && se != SSL_ERROR_WANT_WRITE))
			break;
		(void)SSL_do_handshake(sv);
		ERR_clear_error();
	}
	printf("handshake %d verify %ld\n", rc, SSL_get_verify_result(cl));
	SSL_free(cl);
	SSL_free(sv);
	SSL_CTX_free(sctx);
	SSL_CTX_free(vctx);
	if (rc == 1)
		die("the handshake succeeded");
}

static long
num(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0)
		die("bad number");
	return v;
}

int
main(int argc, char **argv)
{
	const char *m;
	double t0, c0;
	long n, k;
	ssize_t len;

	if (argc < 3) {
		fprintf(stderr, "usage: failer MODE ARGS...\n");
		return 2;
	}
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		die("readlink /proc/self/exe");
	self[len] = '\0';
	cctx = SSL_CTX_new(TLS_client_method());
	if (cctx == NULL)
		die("SSL_CTX_new");
	SSL_CTX_set_verify(cctx, SSL_VERIFY_NONE, NULL);
	printf("pid %ld\n", (long)getpid());
	m = argv[1];
	if (strcmp(m, "verify") == 0 && (argc == 4 || argc == 5)) {
		long i, times = argc == 5 ? num(argv[4]) : 1;

		for (i = 0; i < times; i++)
			run_verify(argv[2], argv[3]);
		if (argc == 5)
			printf("failures %ld\n", times);
		SSL_CTX_free(cctx);
		return 0;
	}
	n = num(argv[2]);
	if (strcmp(m, "eof") == 0) {
		fail_n(n);
		printf("failures %ld\n", n);
	} else if (strcmp(m, "deep") == 0 && argc == 4) {
		long i, d = num(argv[3]);

		for (i = 0; i < n; i++)
			if (fail_deep(d) != 0)
				die("a handshake did not fail");
		printf("failures %ld\n", n);
	} else if (strcmp(m, "threads") == 0 && argc == 4)
		run_threads((int)n, num(argv[3]));
	else if (strcmp(m, "steps") == 0 && argc == 4)
		run_steps(n, argv[3]);
	else if (strcmp(m, "storm") == 0) {
		t0 = now(CLOCK_MONOTONIC);
		c0 = now(CLOCK_PROCESS_CPUTIME_ID);
		for (k = 0; k < n || now(CLOCK_MONOTONIC) - t0 < 1.2; k++)
			fail_n(1);
		printf("failures %ld seconds %.3f cpu %.3f\n", k,
		    now(CLOCK_MONOTONIC) - t0,
		    now(CLOCK_PROCESS_CPUTIME_ID) - c0);
	} else if (strcmp(m, "signals") == 0)
		run_signals(n);
	else if (strcmp(m, "fork") == 0)
		run_spawn(n, 'f');
	else if (strcmp(m, "fork-exec") == 0)
		run_spawn(n, 'e');
	else if (strcmp(m, "spawn") == 0)
		run_spawn(n, 's');
	else if (strcmp(m, "daemon") == 0 && argc == 4)
		run_daemon(n, argv[3]);
	else {
		fprintf(stderr, "failer: unknown mode or arguments\n");
		return 2;
	}
	SSL_CTX_free(cctx);
	return 0;
}
