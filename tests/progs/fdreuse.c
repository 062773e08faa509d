/*
 * fdreuse.c: a program that counts on its descriptor numbers, for
 * showing that the shim holds no descriptor between records.  Each TLS
 * failure is a client handshake over memory BIOs that reads an HTTP
 * answer (no socket, no file), called through a function that has no
 * unwind information (no CFI), as JIT code and hand-written assembly
 * have none: an unwinder that falls back to guessing frames must then
 * check every address it reads.  Everything the program can observe is
 * printed, so running it with and without the shim shows any change.
 *
 * usage: fdreuse limit DIR
 *   one failure; then the descriptor limit is lowered to 66 and files
 *   are opened until open() fails; one failure at the limit; the open()
 *   results, the descriptors open at each step and the bytes and offsets
 *   of every file are printed; one closed, one more failure and open();
 *   all closed
 * usage: fdreuse reuse DIR
 *   one failure; then every descriptor above 2 is closed and files
 *   DIR/f3 ... DIR/f90 are opened (each must get the number in its name)
 *   and written; two more failures, each in a new thread (a stack no
 *   unwinder has seen, so nothing it cached about it helps); then each
 *   file's offset and contents are printed, and the descriptors open
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define MAX_FD 1024
#define LAST_FILE 90
#define LIMIT 66

static SSL_CTX *ctx;

/* One failed handshake: the peer answers the ClientHello in HTTP. */
static void
fail_once(void)
{
	static const char answer[] = "HTTP/1.0 400 Bad Request\r\n\r\n";
	SSL *s = SSL_new(ctx);
	BIO *rb = BIO_new(BIO_s_mem());
	BIO *wb = BIO_new(BIO_s_mem());
	int ret, e;

	if (s == NULL || rb == NULL || wb == NULL) {
		fprintf(stderr, "fdreuse: out of memory\n");
		exit(2);
	}
	BIO_write(rb, answer, (int)sizeof(answer) - 1);
	SSL_set_bio(s, rb, wb);
	ret = SSL_connect(s);
	e = SSL_get_error(s, ret);
	printf("SSL_connect ret=%d ssl_error=%d queue=%08lx\n", ret, e,
	    ERR_peek_error());
	ERR_clear_error();
	SSL_free(s);
}

#if defined(__x86_64__)
/*
 * call_nocfi(fn): calls fn() from a frame with a frame pointer and no
 * CFI at all (no .cfi directives, so no .eh_frame entry).
 */
void call_nocfi(void (*)(void));
__asm__(".text\n"
	".globl call_nocfi\n"
	".type call_nocfi, @function\n"
	"call_nocfi:\n"
	"	pushq %rbp\n"
	"	movq %rsp, %rbp\n"
	"	call *%rdi\n"
	"	popq %rbp\n"
	"	ret\n"
	".size call_nocfi, .-call_nocfi\n");
#else
static void
call_nocfi(void (*fn)(void))
{
	fn();
}
#endif

/*
 * The descriptors open, as /proc/self/fd lists them (less the one that
 * reads it), in increasing order, on one line.  At the descriptor limit,
 * where it cannot be opened, fcntl says which are.
 */
static void
print_fds(const char *when)
{
	char open_fds[MAX_FD] = { 0 };
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int fd;

	printf("open at %s:", when);
	if (d == NULL) {
		printf(" (fcntl)");
		for (fd = 0; fd < MAX_FD; fd++)
			open_fds[fd] = fcntl(fd, F_GETFD) != -1;
	} else {
		while ((e = readdir(d)) != NULL) {
			fd = atoi(e->d_name);
			if (e->d_name[0] != '.' && fd != dirfd(d) &&
			    fd < MAX_FD)
				open_fds[fd] = 1;
		}
		closedir(d);
	}
	for (fd = 0; fd < MAX_FD; fd++)
		if (open_fds[fd])
			printf(" %d", fd);
	printf("\n");
}

/* Offset and contents of fd, as the program sees them. */
static void
print_file(int fd)
{
	char buf[256];
	off_t off = lseek(fd, 0, SEEK_CUR);
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		n = 0;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("fd %d offset %lld bytes %zd '%s'\n", fd, (long long)off, n,
	    buf);
}

/* Open DIR/fN read-write, write its own line; the open() result. */
static int
open_file(const char *dir, int n)
{
	char path[4096], line[64];
	int fd, len;

	snprintf(path, sizeof(path), "%s/f%d", dir, n);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -errno;
	len = snprintf(line, sizeof(line), "file %d written at fd %d\n", n, fd);
	if (write(fd, line, (size_t)len) != len)
		printf("short write to f%d\n", n);
	/* read from the start, as a program reading its own file would */
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static void
run_limit(const char *dir)
{
	struct rlimit rl;
	int fds[MAX_FD], n = 0, fd, i;

	call_nocfi(fail_once);
	print_fds("the first failure");
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		exit(2);
	rl.rlim_cur = LIMIT;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		exit(2);
	for (;;) {
		fd = open_file(dir, n);
		printf("open f%d -> %d\n", n, fd);
		if (fd < 0)
			break;
		fds[n++] = fd;
	}
	call_nocfi(fail_once);
	print_fds("the failure at the limit");
	for (i = 0; i < n; i++)
		print_file(fds[i]);
	/* one free again: the next open gets it */
	close(fds[n - 1]);
	call_nocfi(fail_once);
	fd = open_file(dir, 1000);
	printf("open after one close -> %d\n", fd);
	/* all closed again: the shim's exit record can be written */
	close(fd);
	for (i = 0; i < n - 1; i++)
		close(fds[i]);
}

static void *
fail_thread(void *arg)
{
	(void)arg;
	call_nocfi(fail_once);
	return NULL;
}

/* One failure in a thread of its own. */
static void
fail_in_thread(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, fail_thread, NULL) != 0 ||
	    pthread_join(t, NULL) != 0) {
		fprintf(stderr, "fdreuse: cannot run a thread\n");
		exit(2);
	}
}

static void
run_reuse(const char *dir)
{
	int fd, n;

	call_nocfi(fail_once);
	print_fds("the first failure");
	for (fd = 3; fd < MAX_FD; fd++)
		close(fd);
	for (n = 3; n <= LAST_FILE; n++) {
		fd = open_file(dir, n);
		printf("open f%d -> %d\n", n, fd);
	}
	fail_in_thread();
	fail_in_thread();
	for (fd = 3; fd <= LAST_FILE; fd++)
		print_file(fd);
	print_fds("the end");
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: fdreuse limit|reuse DIR\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	ctx = SSL_CTX_new(TLS_client_method());
	if (ctx == NULL)
		return 2;
	if (strcmp(argv[1], "limit") == 0)
		run_limit(argv[2]);
	else if (strcmp(argv[1], "reuse") == 0)
		run_reuse(argv[2]);
	else
		return 2;
	SSL_CTX_free(ctx);
	return 0;
}
