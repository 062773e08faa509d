/*
 * logpath.h: what the shim accepts as a log file, so that "tlsdiag run -o"
 * refuses up front exactly what the shim would refuse to write to.
 */
#ifndef TLSDIAG_LOGPATH_H
#define TLSDIAG_LOGPATH_H

#include <sys/stat.h>
#include <sys/types.h>

/* Bytes for a log path with its NUL: TLSDIAG_LOG is at most 1023 bytes. */
#define LOGPATH_MAX 1024

/*
 * 1 if the shim may append to the file st describes, opened by the
 * effective user euid: anything but a regular file (a pipe, socket or
 * device; directories are refused elsewhere), or a regular file owned by
 * euid with exactly one link (not someone else's file, nor a hard link to
 * one).  0 otherwise.
 */
int logpath_trusted(const struct stat *st, uid_t euid);

#endif
