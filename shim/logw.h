/* logw.h: append records to the log file without touching the host's fds. */
#ifndef TLSDIAG_LOGW_H
#define TLSDIAG_LOGW_H

#include <stddef.h>
#include <sys/stat.h>

/* What logw_open() learned of the file it opened. */
struct logw_file {
	struct stat st;	     /* st_mode, st_uid, st_nlink, st_dev, st_ino,
				 * st_size, st_blocks; the rest may be zero */
	long long btime_sec; /* birth time, 0 where the file system */
	unsigned btime_nsec; /* keeps none */
};

/*
 * Append one record (a complete line) to the file at path, in two steps,
 * so the writer can shape the record after seeing which file it goes to.
 * logw_open() opens path for this record only (O_APPEND, O_CLOEXEC,
 * O_NOFOLLOW, O_NONBLOCK, created 0600) and fills *f; a regular file must
 * belong to the effective user and have one link.  logw_write() writes
 * buf[0..len) with a single write() where it can and closes fd again, so
 * a program that closes or dup2()s over descriptors it did not open can
 * never make us write into one of its own; SIGPIPE is never raised.  Both
 * return -1 with errno set when the record is dropped.
 *
 * A record goes in whole or not at all, as far as this process can see to
 * it: one that does not fit in a pipe or in the file system's free space
 * is not begun (EAGAIN, ENOSPC); one begun on a pipe or socket is finished,
 * waiting at most 100 ms; one cut short anyway (a file system filled by
 * someone else meanwhile, a reader that stopped) is ended with a newline,
 * at once or before this process's next record to that file, so the next
 * record starts on its own line (docs/log-format.md, "Torn records").
 */
int logw_open(const char *path, struct logw_file *f);
int logw_write(int fd, const struct logw_file *f, const char *buf, size_t len);

/* In a forked child: reset the lock a thread of the parent may hold. */
void logw_atfork_child(void);

#endif
