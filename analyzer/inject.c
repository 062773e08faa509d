/*
 * inject.c: the ptrace injector of "tlsdiag attach" (inject.h).  Our own
 * rather than gdb's "call": gdb reads the target's symbols when it
 * attaches, a second or more during which the target is stopped, where
 * this takes a few milliseconds (docs in doc/tlsdiag-attach.1).  The
 * shape follows Frida's and Orbit's injectors: PTRACE_SEIZE and
 * PTRACE_INTERRUPT every thread, one thread makes the calls with its
 * system-call restart disabled (orig_rax = -1) and a return address of 0,
 * whose fault gives control back; everything it changed is put back.
 */
#include "inject.h"

#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "procmap.h"

#define MAX_THREADS 1024
#define XSTATE_MAX 16384
#define RED_ZONE 128

struct thread {
	pid_t tid;
	int sig;     /* a signal that arrived while stopped: re-delivered */
	int stopped; /* seized and stopped */
	uintptr_t ip;
};

struct target {
	pid_t pid;
	struct thread t[MAX_THREADS];
	int n;
	int call; /* index of the thread that makes the calls */
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
have(const struct target *t, pid_t tid)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (t->t[i].tid == tid)
			return 1;
	return 0;
}

/*
 * Seize every thread until the set is stable (threads created meanwhile
 * are seized on the next pass).  Returns 0, or -1 with errno of the
 * first thread's PTRACE_SEIZE (nothing seized then).
 */
static int
seize_all(struct target *t)
{
	char path[64];
	int added = 1, pass;

	snprintf(path, sizeof(path), "/proc/%ld/task", (long)t->pid);
	for (pass = 0; added && pass < 100; pass++) {
		DIR *d = opendir(path);
		struct dirent *e;

		if (d == NULL)
			return -1;
		added = 0;
		while ((e = readdir(d)) != NULL) {
			pid_t tid = (pid_t)atol(e->d_name);

			if (tid <= 0 || have(t, tid) || t->n == MAX_THREADS)
				continue;
			if (ptrace(PTRACE_SEIZE, tid, NULL, NULL) != 0) {
				if (t->n == 0 && errno != ESRCH) {
					int saved = errno;

					closedir(d);
					errno = saved;
					return -1;
				}
				continue; /* it exited meanwhile */
			}
			t->t[t->n].tid = tid;
			t->t[t->n].sig = 0;
			t->t[t->n].stopped = 0;
			t->n++;
			added = 1;
		}
		closedir(d);
	}
	return t->n > 0 ? 0 : -1;
}

/* Wait for tid to stop; 0, or -1 if it is gone.  Notes a signal. */
static int
wait_stop(struct thread *th)
{
	int st;

	for (;;) {
		if (waitpid(th->tid, &st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!WIFSTOPPED(st))
			return -1;
		/* a signal-delivery stop: keep it for the detach */
		if ((st >> 16) == 0 && WSTOPSIG(st) != SIGTRAP)
			th->sig = WSTOPSIG(st);
		return 0;
	}
}

static int
stop_all(struct target *t)
{
	int i;

	for (i = 0; i < t->n; i++)
		(void)ptrace(PTRACE_INTERRUPT, t->t[i].tid, NULL, NULL);
	for (i = 0; i < t->n; i++)
		t->t[i].stopped = wait_stop(&t->t[i]) == 0;
	return 0;
}

static void
detach_all(struct target *t)
{
	int i;

	for (i = 0; i < t->n; i++)
		(void)ptrace(PTRACE_DETACH, t->t[i].tid, NULL,
		    (void *)(uintptr_t)t->t[i].sig);
}

static volatile sig_atomic_t timed_out;

static void
on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/*
 * Let thread th run fn(a1, a2) from the registers base; the result in
 * *ret.  Other signals that arrive meanwhile are kept for the detach.
 * If the call has not returned after a second (a stopped thread holds a
 * lock it needs), the other threads are let go, and after ten it gives
 * up.  Returns 0, or -1 with a message in err.
 */
static int
remote_call(struct target *t, const struct user_regs_struct *base, uintptr_t sp,
    uintptr_t fn, uintptr_t a1, uintptr_t a2, uintptr_t *ret, char *err,
    size_t errsz)
{
	struct thread *th = &t->t[t->call];
	struct user_regs_struct r = *base;
	struct sigaction sa, old;
	struct itimerval it;
	uint64_t zero = 0;
	int st, i, released = 0, rc = -1;

	r.rip = fn;
	r.rdi = a1;
	r.rsi = a2;
	r.rax = 0;
	r.orig_rax = (unsigned long long)-1; /* no system-call restart */
	r.rsp = (sp & ~(uintptr_t)15) - 8;   /* as after a call insn */
	if (procmap_write(t->pid, r.rsp, &zero, sizeof(zero)) < 0 ||
	    ptrace(PTRACE_SETREGS, th->tid, NULL, &r) != 0 ||
	    ptrace(PTRACE_CONT, th->tid, NULL, NULL) != 0) {
		snprintf(err, errsz, "cannot start a call: %s",
		    strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, &old);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = 1;
	timed_out = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	for (;;) {
		if (waitpid(th->tid, &st, __WALL) < 0) {
			if (errno != EINTR || !timed_out) {
				snprintf(err, errsz, "lost the thread: %s",
				    strerror(errno));
				break;
			}
			timed_out = 0;
			if (released) {
				snprintf(err, errsz,
				    "the call has not returned in 10 s");
				break;
			}
			/* a stopped thread may hold a lock the call needs */
			for (i = 0; i < t->n; i++)
				if (i != t->call)
					(void)ptrace(PTRACE_CONT, t->t[i].tid,
					    NULL, NULL);
			released = 1;
			it.it_value.tv_sec = 9;
			setitimer(ITIMER_REAL, &it, NULL);
			continue;
		}
		if (!WIFSTOPPED(st)) {
			snprintf(err, errsz, "the process ended during a call");
			break;
		}
		if ((st >> 16) != 0 || WSTOPSIG(st) == SIGTRAP) {
			(void)ptrace(PTRACE_CONT, th->tid, NULL, NULL);
			continue;
		}
		if (WSTOPSIG(st) == SIGSEGV &&
		    ptrace(PTRACE_GETREGS, th->tid, NULL, &r) == 0 &&
		    r.rip == 0) {
			*ret = r.rax;
			rc = 0;
			break;
		}
		if (WSTOPSIG(st) == SIGSEGV || WSTOPSIG(st) == SIGBUS ||
		    WSTOPSIG(st) == SIGSYS || WSTOPSIG(st) == SIGILL) {
			snprintf(err, errsz, "the call faulted (signal %d)",
			    WSTOPSIG(st));
			break;
		}
		th->sig = WSTOPSIG(st);
		(void)ptrace(PTRACE_CONT, th->tid, NULL, NULL);
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	sigaction(SIGALRM, &old, NULL);
	if (released) {
		/* stop them again, so the rest runs as planned */
		for (i = 0; i < t->n; i++)
			if (i != t->call) {
				(void)ptrace(PTRACE_INTERRUPT, t->t[i].tid,
				    NULL, NULL);
				(void)wait_stop(&t->t[i]);
			}
	}
	return rc;
}

/* Read a NUL-terminated string at addr in the target. */
static void
read_str(pid_t pid, uintptr_t addr, char *out, size_t cap)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i + 1 < cap; i++) {
		if (procmap_read(pid, addr + i, &out[i], 1) < 0 ||
		    out[i] == '\0')
			break;
	}
	out[i] = '\0';
}

struct libc_syms {
	uintptr_t dlopen, dlsym, dlerror, errno_loc;
};

static int
find_libc(pid_t pid, struct libc_syms *s, char *err, size_t errsz)
{
	struct procmap_obj o;

	if (procmap_find(pid, "libc.so.", &o) != 1) {
		snprintf(err, errsz, "no C library mapped");
		return -1;
	}
	if (procmap_symbol(pid, &o, "dlopen", &s->dlopen, err, errsz) < 0 ||
	    procmap_symbol(pid, &o, "dlsym", &s->dlsym, err, errsz) < 0 ||
	    procmap_symbol(pid, &o, "dlerror", &s->dlerror, err, errsz) < 0 ||
	    procmap_symbol(pid, &o, "__errno_location", &s->errno_loc, err,
		errsz) < 0)
		return -1;
	return 0;
}

/* The calls themselves, on the stopped thread; 0 or -1 (err). */
static int
calls(struct target *t, const struct libc_syms *ls,
    const struct user_regs_struct *regs, const char *lib, int dlflags,
    const char *fn, const char *arg, struct inject_result *res, char *err,
    size_t errsz)
{
	size_t ll = strlen(lib) + 1, fl = strlen(fn) + 1, al = strlen(arg) + 1;
	size_t len = (ll + fl + al + 15) & ~(size_t)15;
	uintptr_t top = (regs->rsp - RED_ZONE - len) & ~(uintptr_t)15;
	uintptr_t sp = top - 256, eloc = 0, h = 0, f = 0, r = 0;
	char *saved = malloc(len), *buf = calloc(1, len);
	int e = 0, rc = -1;

	if (saved == NULL || buf == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	memcpy(buf, lib, ll);
	memcpy(buf + ll, fn, fl);
	memcpy(buf + ll + fl, arg, al);
	if (procmap_read(t->pid, top, saved, len) < 0 ||
	    procmap_write(t->pid, top, buf, len) < 0) {
		snprintf(err, errsz, "cannot write the target's stack: %s",
		    strerror(errno));
		goto out;
	}
	if (remote_call(t, regs, sp, ls->errno_loc, 0, 0, &eloc, err, errsz) <
		0 ||
	    procmap_read(t->pid, eloc, &e, sizeof(e)) < 0)
		goto restore;
	if (remote_call(t, regs, sp, ls->dlopen, top, (uintptr_t)dlflags, &h,
		err, errsz) < 0)
		goto restore_errno;
	if (h == 0) {
		uintptr_t m = 0;

		if (remote_call(t, regs, sp, ls->dlerror, 0, 0, &m, err,
			errsz) == 0 &&
		    m != 0)
			read_str(t->pid, m, res->dlerror, sizeof(res->dlerror));
		snprintf(err, errsz, "dlopen failed in the target: %s",
		    res->dlerror);
		goto restore_errno;
	}
	if (remote_call(t, regs, sp, ls->dlsym, h, top + ll, &f, err, errsz) <
	    0)
		goto restore_errno;
	if (f == 0) {
		snprintf(err, errsz, "the library has no '%s'", fn);
		goto restore_errno;
	}
	if (remote_call(t, regs, sp, f, top + ll + fl, 0, &r, err, errsz) < 0)
		goto restore_errno;
	res->ret = (long)r;
	rc = 0;
restore_errno:
	(void)procmap_write(t->pid, eloc, &e, sizeof(e));
restore:
	(void)procmap_write(t->pid, top, saved, len);
out:
	free(saved);
	free(buf);
	return rc;
}

/* The argument string with every thread's instruction pointer added. */
static char *
with_ips(const struct target *t, const char *arg)
{
	size_t cap = strlen(arg) + 32 + (size_t)t->n * 20, o;
	char *s = malloc(cap);
	int i;

	if (s == NULL)
		return NULL;
	o = (size_t)snprintf(s, cap, "%s\nTLSDIAG_ATTACH_IPS=", arg);
	for (i = 0; i < t->n; i++)
		if (t->t[i].stopped)
			o += (size_t)snprintf(s + o, cap - o, "%s%lx",
			    o > 0 && s[o - 1] != '=' ? "," : "",
			    (unsigned long)t->t[i].ip);
	return s;
}

int
inject_call(pid_t pid, const char *lib, int dlflags, const char *fn,
    const char *arg, struct inject_result *res, char *err, size_t errsz)
{
	static struct target t;
	static unsigned char xs[XSTATE_MAX];
	struct user_regs_struct regs, r;
	struct iovec iov = { xs, sizeof(xs) };
	struct libc_syms ls;
	uintptr_t ld_lo, ld_hi;
	double t0;
	char *full = NULL;
	int i, have_xs, rc = INJECT_FAILED;

	memset(res, 0, sizeof(*res));
	memset(&t, 0, sizeof(t));
	t.pid = pid;
	/* symbols first: nothing is stopped while files are read */
	if (find_libc(pid, &ls, err, errsz) < 0)
		return INJECT_REFUSED;
	if (seize_all(&t) < 0) {
		snprintf(err, errsz, "cannot trace it: %s", strerror(errno));
		detach_all(&t);
		return INJECT_REFUSED;
	}
	if (procmap_span(pid, "ld-linux", &ld_lo, &ld_hi) != 1)
		ld_lo = ld_hi = 0;
	t0 = now_ms();
	stop_all(&t);
	t.call = -1;
	for (i = 0; i < t.n; i++) {
		if (!t.t[i].stopped ||
		    ptrace(PTRACE_GETREGS, t.t[i].tid, NULL, &r) != 0) {
			t.t[i].stopped = 0;
			continue;
		}
		t.t[i].ip = r.rip;
		/* never a thread inside the loader: dlopen() within dlopen() */
		if (r.rip >= ld_lo && r.rip < ld_hi)
			continue;
		if (t.call < 0 || t.t[i].tid == pid)
			t.call = i;
	}
	res->threads = t.n;
	if (t.call < 0) {
		snprintf(err, errsz,
		    "no thread could be stopped outside the dynamic loader "
		    "(try again)");
		detach_all(&t);
		return INJECT_REFUSED;
	}
	if (ptrace(PTRACE_GETREGS, t.t[t.call].tid, NULL, &regs) != 0) {
		snprintf(err, errsz, "cannot read registers: %s",
		    strerror(errno));
		detach_all(&t);
		return INJECT_REFUSED;
	}
	have_xs = ptrace(PTRACE_GETREGSET, t.t[t.call].tid,
		      (void *)(uintptr_t)NT_X86_XSTATE, &iov) == 0;
	full = with_ips(&t, arg);
	if (full == NULL) {
		snprintf(err, errsz, "out of memory");
	} else if (calls(&t, &ls, &regs, lib, dlflags, fn, full, res, err,
		       errsz) == 0)
		rc = INJECT_OK;
	free(full);
	/* put the thread back exactly as it was, restart included */
	if (ptrace(PTRACE_SETREGS, t.t[t.call].tid, NULL, &regs) != 0 &&
	    rc == INJECT_OK) {
		snprintf(err, errsz, "cannot restore registers: %s",
		    strerror(errno));
		rc = INJECT_FAILED;
	}
	if (have_xs)
		(void)ptrace(PTRACE_SETREGSET, t.t[t.call].tid,
		    (void *)(uintptr_t)NT_X86_XSTATE, &iov);
	detach_all(&t);
	res->pause_ms = now_ms() - t0;
	return rc;
}
