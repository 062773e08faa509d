/*
 * procmap.h: what "tlsdiag attach" needs to know about a process from
 * /proc: its mapped objects and the address of a symbol in one of them.
 */
#ifndef TLSDIAG_PROCMAP_H
#define TLSDIAG_PROCMAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PROCMAP_PATH 1024

/* One object mapped in the process (its mapping at file offset 0). */
struct procmap_obj {
	uintptr_t start;	 /* where its first page is mapped */
	char path[PROCMAP_PATH]; /* as the process names it */
};

/*
 * Find the first object mapped in pid whose file name (the last path
 * component) starts with stem.  Returns 1 and fills *o, 0 when there is
 * none, -1 when /proc/PID/maps cannot be read (errno set).
 */
int procmap_find(pid_t pid, const char *stem, struct procmap_obj *o);

/*
 * Call cb(o, arg) for every object mapped in pid (its mapping at file
 * offset 0), in address order, until it returns nonzero.  Returns what
 * cb returned last (0 when it never did), or -1 when /proc/PID/maps
 * cannot be read.  *o is valid during the call only.
 */
int procmap_each(pid_t pid, int (*cb)(const struct procmap_obj *, void *),
    void *arg);

/*
 * The lowest and highest address of every mapping of the object of pid
 * whose file name starts with stem, in *lo and *hi.  Returns 1, 0 when
 * there is none, -1 when /proc/PID/maps cannot be read.
 */
int procmap_span(pid_t pid, const char *stem, uintptr_t *lo, uintptr_t *hi);

/*
 * The run-time address of the dynamic symbol name (its default version)
 * of the object o of pid, read from the file through /proc/PID/root.
 * Returns 0 and *addr, or -1 with a message in err.
 */
int procmap_symbol(pid_t pid, const struct procmap_obj *o, const char *name,
    uintptr_t *addr, char *err, size_t errsz);

/*
 * Read or write len bytes at addr in pid through /proc/PID/mem.
 * Returns 0, or -1 with errno set.
 */
int procmap_read(pid_t pid, uintptr_t addr, void *buf, size_t len);
int procmap_write(pid_t pid, uintptr_t addr, const void *buf, size_t len);

/*
 * A line of /proc/PID/status: the value of field (e.g. "TracerPid")
 * into out, cap bytes.  Returns 0, or -1 if absent or unreadable.
 */
int procmap_status(pid_t pid, const char *field, char *out, size_t cap);

#endif
