/*
 * logw.c: the only place the shim writes a file.  Open per record: records
 * are rare (failures only), and it makes rotation, deletion and programs
 * that close every descriptor harmless.
 */
#include "logw.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* write() all of buf, retrying EINTR and short writes. */
static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Write to a pipe or socket with SIGPIPE blocked in this thread, and
 * swallow the SIGPIPE our write raised, if it raised one and none was
 * pending before.
 */
static int
write_nosigpipe(int fd, const char *buf, size_t len)
{
	sigset_t pipe_set, old, pending;
	int pending_before, rc, saved;
	struct timespec zero = { 0, 0 };

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	if (pthread_sigmask(SIG_BLOCK, &pipe_set, &old) != 0)
		return -1;
	sigpending(&pending);
	pending_before = sigismember(&pending, SIGPIPE);
	rc = write_all(fd, buf, len);
	saved = errno;
	if (rc < 0 && errno == EPIPE && !pending_before)
		sigtimedwait(&pipe_set, NULL, &zero);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return rc;
}

int
logw_open(const char *path, struct stat *st)
{
	int fd, saved;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0600);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	if (S_ISREG(st->st_mode) &&
	    (st->st_uid != geteuid() || st->st_nlink != 1)) {
		close(fd);
		errno = EPERM;	/* someone else's file, or a hard link */
		return -1;
	}
	if (S_ISDIR(st->st_mode)) {
		close(fd);
		errno = EISDIR;
		return -1;
	}
	return fd;
}

int
logw_write(int fd, const struct stat *st, const char *buf, size_t len)
{
	int rc, saved;

	if (S_ISFIFO(st->st_mode) || S_ISSOCK(st->st_mode))
		rc = write_nosigpipe(fd, buf, len);
	else
		rc = write_all(fd, buf, len);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int
logw_append(const char *path, const char *buf, size_t len)
{
	struct stat st;
	int fd;

	fd = logw_open(path, &st);
	if (fd < 0)
		return -1;
	return logw_write(fd, &st, buf, len);
}
