/*
 * logw.c: the only place the shim writes a file.  Open per record: records
 * are rare (failures only), and it makes rotation, deletion and programs
 * that close every descriptor harmless.
 */
#include "logw.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/sysmacros.h>
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

/*
 * fstat() with the birth time where the file system keeps one (statx), so
 * a file re-created on a recycled inode number is told from the old one.
 * statx may be missing or refused (old kernels, seccomp profiles): then
 * fstat() alone.
 */
static int
file_info(int fd, struct logw_file *f)
{
	struct statx sx;

	memset(f, 0, sizeof(*f));
	if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS | STATX_BTIME,
	    &sx) == 0 && (sx.stx_mask & STATX_BASIC_STATS) ==
	    STATX_BASIC_STATS) {
		f->st.st_mode = sx.stx_mode;
		f->st.st_uid = sx.stx_uid;
		f->st.st_nlink = sx.stx_nlink;
		f->st.st_dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
		f->st.st_ino = (ino_t)sx.stx_ino;
		f->st.st_size = (off_t)sx.stx_size;
		if (sx.stx_mask & STATX_BTIME) {
			f->btime_sec = sx.stx_btime.tv_sec;
			f->btime_nsec = sx.stx_btime.tv_nsec;
		}
		return 0;
	}
	return fstat(fd, &f->st);
}

int
logw_open(const char *path, struct logw_file *f)
{
	const struct stat *st = &f->st;
	int fd, saved;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0600);
	if (fd < 0)
		return -1;
	if (file_info(fd, f) < 0) {
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
logw_write(int fd, const struct logw_file *f, const char *buf, size_t len)
{
	int rc, saved;

	if (S_ISFIFO(f->st.st_mode) || S_ISSOCK(f->st.st_mode))
		rc = write_nosigpipe(fd, buf, len);
	else
		rc = write_all(fd, buf, len);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}
