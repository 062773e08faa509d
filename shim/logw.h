/* logw.h: append records to the log file without touching the host's fds. */
#ifndef TLSDIAG_LOGW_H
#define TLSDIAG_LOGW_H

#include <stddef.h>
#include <sys/stat.h>

/*
 * Append buf[0..len) (one complete line) to the file at path with a single
 * write().  The file is opened for this record only (O_APPEND, O_CLOEXEC,
 * O_NOFOLLOW, O_NONBLOCK, created 0600) and closed again, so a program
 * that closes or dup2()s over descriptors it did not open can never make
 * us write into one of its own.  A regular file must belong to the
 * effective user and have one link.  SIGPIPE is never raised.  Returns 0,
 * or -1 with errno set (the record is dropped).
 */
int logw_append(const char *path, const char *buf, size_t len);

/* What logw_open() learned of the file it opened. */
struct logw_file {
	struct stat st;		/* st_mode, st_uid, st_nlink, st_dev, st_ino,
				 * st_size; the rest may be zero */
	int has_btime;		/* the file system keeps birth times */
	long long btime_sec;	/* when this file (this inode's use) began */
	unsigned btime_nsec;
};

/*
 * logw_append() in two steps, for a writer that shapes the record after
 * seeing which file it goes to: logw_open() opens path as above, checks
 * it and fills *f; logw_write() writes buf[0..len) and closes fd.  Both
 * return -1 with errno set when the record is dropped.
 */
int logw_open(const char *path, struct logw_file *f);
int logw_write(int fd, const struct logw_file *f, const char *buf,
    size_t len);

#endif
