/*
 * writefault.c: a test-only preload, placed before the shim, that makes
 * the shim's log writes meet what the kernel can do to a write, on
 * purpose and every time, instead of by chance.  It touches only writes
 * of a buffer that starts a tlsdiag record ('{"@timestamp"'), so the
 * program's own output is left alone.
 *
 * WRITEFAULT=eintr  the first write of each record fails with EINTR, the
 *                   second writes only half of what it was asked to
 * WRITEFAULT=epipe  before a record is written to a FIFO, the reader
 *                   (pid in WRITEFAULT_READER) is killed and its end seen
 *                   closed, so the real write() fails with EPIPE and the
 *                   kernel raises SIGPIPE in the writing thread
 * WRITEFAULT=enospc the record numbered WRITEFAULT_AT (1 = the first)
 *                   writes only half, and the next two writes that do
 *                   not start a record (the rest, a lone newline) fail
 *                   with ENOSPC, as on a disk that fills up and frees
 *                   again; WRITEFAULT=enospc1 fails only the next one
 * At exit, "eintr N short N epipe N enospc N" is appended to
 * WRITEFAULT_REPORT.
 *
 * Built by tests/e2e/t630-signals.sh: cc -shared -fPIC -o x.so this.c -ldl
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

ssize_t write(int fd, const void *buf, size_t n);

static ssize_t (*real_write)(int, const void *, size_t);
static _Atomic unsigned long n_eintr, n_short, n_epipe, n_enospc;
static _Atomic unsigned long n_records;
static _Atomic int full;		/* writes still to fail with ENOSPC */
static _Thread_local int stage;	/* per record: 0 EINTR next, 1 short */

static int
is_record(const void *buf, size_t n)
{
	return n > 13 && memcmp(buf, "{\"@timestamp\"", 13) == 0;
}

static void
kill_reader(int fd)
{
	const char *s = getenv("WRITEFAULT_READER");
	/* no events asked: poll() waits for POLLERR, i.e. no reader left */
	struct pollfd p = { fd, 0, 0 };

	if (s == NULL || kill((pid_t)atol(s), SIGKILL) != 0)
		return;
	(void)poll(&p, 1, 5000);
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	const char *mode = getenv("WRITEFAULT"), *s;
	struct stat st;
	ssize_t r;
	int e;

	if (real_write == NULL)
		real_write = (ssize_t (*)(int, const void *, size_t))
		    dlsym(RTLD_NEXT, "write");
	if (mode == NULL)
		return real_write(fd, buf, n);
	if (strcmp(mode, "eintr") == 0) {
		if (is_record(buf, n) && stage == 0) {
			stage = 1;
			n_eintr++;
			errno = EINTR;
			return -1;
		}
		if (is_record(buf, n) && stage == 1) {
			stage = 0;
			n_short++;
			return real_write(fd, buf, n / 2);
		}
	} else if (strncmp(mode, "enospc", 6) == 0) {
		if (is_record(buf, n)) {
			s = getenv("WRITEFAULT_AT");
			if (++n_records != (unsigned long)(s ? atol(s) : 1))
				return real_write(fd, buf, n);
			full = strcmp(mode, "enospc1") == 0 ? 1 : 2;
			n_short++;
			return real_write(fd, buf, n / 2);
		}
		if (full > 0) {
			full--;
			n_enospc++;
			errno = ENOSPC;
			return -1;
		}
	} else if (strcmp(mode, "epipe") == 0 && is_record(buf, n) &&
	    fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)) {
		kill_reader(fd);
		r = real_write(fd, buf, n);
		e = errno;
		if (r < 0 && e == EPIPE)
			n_epipe++;
		errno = e;
		return r;
	}
	return real_write(fd, buf, n);
}

__attribute__((destructor)) static void
report(void)
{
	const char *path = getenv("WRITEFAULT_REPORT");
	char line[128];
	int fd, len;

	if (path == NULL || real_write == NULL)
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	len = snprintf(line, sizeof(line),
	    "eintr %lu short %lu epipe %lu enospc %lu\n",
	    (unsigned long)n_eintr, (unsigned long)n_short,
	    (unsigned long)n_epipe, (unsigned long)n_enospc);
	real_write(fd, line, (size_t)len);
	close(fd);
}
