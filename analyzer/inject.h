/*
 * inject.h: a small ptrace injector: load a library into a running
 * process and call one of its functions, with every thread stopped only
 * for that long ("tlsdiag attach", "tlsdiag detach").  x86-64 Linux.
 */
#ifndef TLSDIAG_INJECT_H
#define TLSDIAG_INJECT_H

#include <stddef.h>
#include <sys/types.h>

/* What inject_call() returns. */
enum inject_rc {
	INJECT_OK = 0,
	INJECT_REFUSED = -1, /* nothing was changed: err says why */
	INJECT_FAILED = -2   /* a call failed; the process was restored */
};

struct inject_result {
	long ret;	   /* what the function returned */
	double pause_ms;   /* how long the first thread was stopped */
	int threads;	   /* threads stopped */
	char dlerror[256]; /* dlopen's message when it failed */
};

/*
 * In process pid: seize and stop every thread, save the registers of
 * one (the main thread when it can), call dlopen(lib, dlflags) and
 * dlsym(handle, fn) there, then fn(arg) where arg is the string arg
 * followed by "\nTLSDIAG_ATTACH_IPS=" and every thread's instruction
 * pointer (hex, comma-separated), restore that thread's registers
 * (general, x87/SSE/AVX state), errno and the stack bytes used, and
 * resume every thread.  lib is a path as the process sees it.  A thread
 * stopped inside a system call gets it restarted as the kernel would.
 * Returns an enum inject_rc; err says why when not INJECT_OK.
 */
int inject_call(pid_t pid, const char *lib, int dlflags, const char *fn,
    const char *arg, struct inject_result *res, char *err, size_t errsz);

#endif
