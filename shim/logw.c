/*
 * logw.c: the only place the shim writes a file.  Open per record: records
 * are rare (failures only), and it makes rotation, deletion and programs
 * that close every descriptor harmless.
 */
#include "logw.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/logpath.h"

/* How long a record already begun on a pipe or socket may wait to end. */
#define LOGW_FINISH_MS 100

/*
 * The file this process last left a torn record in, if it could not end
 * it with a newline: the next record to it ends the fragment first.  One
 * slot: a process writes one log.  torn_lock also serializes records to
 * pipes and sockets, so threads never split each other's.
 */
static pthread_mutex_t torn_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	int set;
	dev_t dev;
	ino_t ino;
	long long btime_sec;
	unsigned btime_nsec;
	off_t size; /* a regular file: size after it */
} torn;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * write() all of buf, retrying EINTR and short writes.  On a non-blocking
 * pipe or socket, EAGAIN before the first byte drops the record; after it,
 * the rest is waited for, at most finish_ms, so a record once begun ends
 * whole (finish_ms 0: never wait).  Returns 0, or -1 with errno set and
 * the bytes that did go in *done.
 */
static int
write_all(int fd, const char *buf, size_t len, int finish_ms, size_t *done)
{
	struct pollfd p = { fd, POLLOUT, 0 };
	long long deadline = 0;
	ssize_t n;
	int left;

	*done = 0;
	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN || *done == 0 || finish_ms <= 0)
				return -1;
			if (deadline == 0)
				deadline = now_ms() + finish_ms;
			left = (int)(deadline - now_ms());
			if (left <= 0 ||
			    (poll(&p, 1, left) < 0 && errno != EINTR)) {
				errno = EAGAIN;
				return -1;
			}
			continue;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
		*done += (size_t)n;
	}
	return 0;
}

/*
 * Whether len bytes fit in the pipe now.  A write over PIPE_BUF to a
 * non-blocking pipe takes what fits and returns short: a record must not
 * start unless all of it fits.  Unknown (not Linux's ioctl): yes.
 */
static int
pipe_has_room(int fd, size_t len)
{
	int queued, cap;

	if (len <= PIPE_BUF)
		return 1; /* all or nothing by itself */
	cap = fcntl(fd, F_GETPIPE_SZ);
	if (cap < 0 || ioctl(fd, FIONREAD, &queued) < 0)
		return 1;
	return queued >= 0 && queued <= cap && (size_t)(cap - queued) >= len;
}

/*
 * What the last fstatvfs() found: on ext4 it costs about 4.5 us, a tenth
 * of a failed handshake, so while a file system has ample room it is
 * asked once a second, and what this process writes meanwhile is taken
 * off.  A disk filled faster by others is the cut-short case below.
 */
#define LOGW_ROOM_AMPLE (1LL << 20)
static _Atomic long long room_sec; /* CLOCK_MONOTONIC_COARSE, 0: never */
static _Atomic unsigned long long room_dev;
static _Atomic long long room_left;

/*
 * Whether len bytes may fit in the regular file f: the file system's free
 * blocks (reserved ones too for root) and the unused end of the file's
 * last block.  A record that cannot fit is not begun, so a full disk
 * leaves no fragment.  Unknown (no block counts): yes.
 */
static int
file_has_room(int fd, const struct logw_file *f, size_t len)
{
	struct statvfs sv;
	struct timespec ts;
	unsigned long long room, blocks;
	long long slack;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	if (atomic_load(&room_sec) == (long long)ts.tv_sec + 1 &&
	    atomic_load(&room_dev) == (unsigned long long)f->st.st_dev &&
	    atomic_fetch_sub(&room_left, (long long)len) - (long long)len >=
		LOGW_ROOM_AMPLE)
		return 1;
	if (fstatvfs(fd, &sv) < 0 || sv.f_blocks == 0 || sv.f_frsize == 0)
		return 1;
	blocks = geteuid() == 0 ? sv.f_bfree : sv.f_bavail;
	room = blocks * sv.f_frsize;
	slack = (long long)f->st.st_blocks * 512 - (long long)f->st.st_size;
	if (slack > 0)
		room += (unsigned long long)slack;
	atomic_store(&room_left,
	    room > (unsigned long long)LLONG_MAX ? LLONG_MAX : (long long)room);
	atomic_store(&room_dev, (unsigned long long)f->st.st_dev);
	atomic_store(&room_sec, (long long)ts.tv_sec + 1);
	return len <= room;
}

static int
same_file(const struct logw_file *f)
{
	return torn.set && torn.dev == f->st.st_dev &&
	    torn.ino == f->st.st_ino && torn.btime_sec == f->btime_sec &&
	    torn.btime_nsec == f->btime_nsec;
}

/*
 * A record was cut after done bytes (done > 0): end the fragment with a
 * newline so the next record starts on its own line.  If even that cannot
 * be written (a full disk), remember the file, and the next record to it
 * writes the newline first.  Called with torn_lock held.
 */
static void
end_fragment(int fd, const struct logw_file *f)
{
	struct stat st;
	int saved = errno;

	torn.set = 0;
	if (write(fd, "\n", 1) != 1 && fstat(fd, &st) == 0) {
		torn.set = 1;
		torn.dev = f->st.st_dev;
		torn.ino = f->st.st_ino;
		torn.btime_sec = f->btime_sec;
		torn.btime_nsec = f->btime_nsec;
		torn.size = st.st_size;
	}
	errno = saved;
}

/*
 * Before a record: if this process left f with a fragment it could not
 * end, and nothing was appended since (a regular file still of the size
 * it had; a pipe), end it now.  Returns -1 if that fails: the record
 * would be glued on, so it is not begun.  Called with torn_lock held.
 */
static int
end_old_fragment(int fd, const struct logw_file *f)
{
	if (!same_file(f))
		return 0;
	if (S_ISREG(f->st.st_mode) && f->st.st_size != torn.size) {
		torn.set = 0; /* someone else's record follows it */
		return 0;
	}
	if (write(fd, "\n", 1) != 1)
		return -1;
	torn.set = 0;
	return 0;
}

/*
 * A record to a pipe or socket: with SIGPIPE blocked in this thread, and
 * the SIGPIPE our writes raised swallowed, if they raised one and none
 * was pending before.  Called with torn_lock held.
 */
static int
stream_record(int fd, const struct logw_file *f, const char *buf, size_t len)
{
	sigset_t pipe_set, old, pending;
	int pending_before, rc, saved;
	struct timespec zero = { 0, 0 };
	size_t done = 0;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	if (pthread_sigmask(SIG_BLOCK, &pipe_set, &old) != 0)
		return -1;
	sigpending(&pending);
	pending_before = sigismember(&pending, SIGPIPE);
	if (end_old_fragment(fd, f) < 0) {
		rc = -1;
	} else if (S_ISFIFO(f->st.st_mode) && !pipe_has_room(fd, len)) {
		errno = EAGAIN;
		rc = -1;
	} else {
		rc = write_all(fd, buf, len, LOGW_FINISH_MS, &done);
		if (rc < 0 && done > 0)
			end_fragment(fd, f);
	}
	saved = errno;
	sigpending(&pending);
	if (!pending_before && sigismember(&pending, SIGPIPE))
		sigtimedwait(&pipe_set, NULL, &zero);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return rc;
}

/*
 * A record to a regular file or device: not begun without room, and
 * ended with a newline if cut short.
 */
static int
file_record(int fd, const struct logw_file *f, const char *buf, size_t len)
{
	int rc;
	size_t done = 0;

	if (S_ISREG(f->st.st_mode) && !file_has_room(fd, f, len)) {
		errno = ENOSPC;
		return -1;
	}
	pthread_mutex_lock(&torn_lock);
	rc = end_old_fragment(fd, f);
	pthread_mutex_unlock(&torn_lock);
	if (rc < 0)
		return -1;
	rc = write_all(fd, buf, len, 0, &done);
	if (rc < 0 && done > 0) {
		pthread_mutex_lock(&torn_lock);
		end_fragment(fd, f);
		pthread_mutex_unlock(&torn_lock);
	}
	return rc;
}

/*
 * Write one record whole or not at all, as far as this process can see
 * to it.  Returns 0, or -1 with errno set.
 */
static int
write_record(int fd, const struct logw_file *f, const char *buf, size_t len)
{
	int rc, saved;

	if (!S_ISFIFO(f->st.st_mode) && !S_ISSOCK(f->st.st_mode))
		return file_record(fd, f, buf, len);
	pthread_mutex_lock(&torn_lock);
	rc = stream_record(fd, f, buf, len);
	saved = errno;
	pthread_mutex_unlock(&torn_lock);
	errno = saved;
	return rc;
}

void
logw_atfork_child(void)
{
	pthread_mutex_init(&torn_lock, NULL);
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
		&sx) == 0 &&
	    (sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS) {
		f->st.st_mode = sx.stx_mode;
		f->st.st_uid = sx.stx_uid;
		f->st.st_nlink = sx.stx_nlink;
		f->st.st_dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
		f->st.st_ino = (ino_t)sx.stx_ino;
		f->st.st_size = (off_t)sx.stx_size;
		f->st.st_blocks = (blkcnt_t)sx.stx_blocks;
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

	fd = open(path,
	    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
		O_NONBLOCK | O_NOCTTY,
	    0600);
	if (fd < 0)
		return -1;
	if (file_info(fd, f) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	if (!logpath_trusted(st, geteuid())) {
		close(fd);
		errno = EPERM; /* someone else's file, or a hard link */
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

	rc = write_record(fd, f, buf, len);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}
