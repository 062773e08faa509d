/*
 * stackset.h: which call stacks' frames this process has already written
 * into the log file, so a failure repeating at the same call site carries
 * its stack id and not the same frames again.
 */
#ifndef TLSDIAG_STACKSET_H
#define TLSDIAG_STACKSET_H

#include <stddef.h>
#include <stdint.h>
#include "logw.h"

/*
 * The file a record is about to be appended to, as logw_open() saw it:
 * returns a key for this incarnation of the file (a new one after
 * rotation, re-creation or truncation), or 0 when the log is not a
 * regular file (a pipe's reader may have started late: every record
 * there carries its frames).
 */
uint64_t stackset_file(const struct logw_file *f);

/* A record of len bytes was appended to that file. */
void stackset_wrote(const struct logw_file *f, size_t len);

/* 1 if the frames of stack id were written into file (a stackset_file()
 * key) by this process. */
int stackset_has(uint64_t file, uint64_t id);

/*
 * The frames of stack id are now in file.  Once the table is full nothing
 * more is remembered: those frames are written again, never lost.
 */
void stackset_add(uint64_t file, uint64_t id);

/* In a forked child: reset the lock another thread may have held. */
void stackset_atfork_child(void);

#endif
