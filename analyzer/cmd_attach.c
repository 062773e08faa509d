/*
 * cmd_attach.c: "tlsdiag attach", "detach" and "status": record TLS
 * failures in a process that is already running.  Every check that can
 * refuse runs before the process is touched; the injection itself is
 * inject.c's, the patching the shim's (shim/attach.c, shim/gotpatch.c).
 * One line per process, refusals on standard error.
 */
#include "cmd_attach.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/attachstate.h"
#include "exeprobe.h"
#include "exitcode.h"
#include "inject.h"
#include "pathbase.h"
#include "procmap.h"
#include "run.h"
#include "termsafe.h"

#define MAX_PIDS 4096
#define ARGS_CAP 4096
#define SAFE_LEN 512

static const char attach_synopsis[] =
    "usage: tlsdiag attach [-o LOG] [--rate N] [--backtrace N]\n"
    "                      [--python VERSION] [--clean-close] [--debug]\n"
    "                      PID ... | --all NAME\n"
    "       tlsdiag detach PID ... | --all NAME\n"
    "       tlsdiag status [PID ...]\n";

static const char attach_options[] =
    "\n"
    "Start recording TLS failures in running processes (attach), stop\n"
    "(detach: every patched slot gets its old value back and the exit\n"
    "record is written) or show which processes have tlsdiag loaded.\n"
    "\n"
    "  -o LOG            the log, as TLSDIAG_LOG (%p %h %u expanded)\n"
    "  --rate N          records per second, as TLSDIAG_RATE\n"
    "  --backtrace N     frames per record, as TLSDIAG_BACKTRACE\n"
    "  --python VERSION  CPython model, as TLSDIAG_PYTHON\n"
    "  --clean-close     record close_notify, as TLSDIAG_CLEAN_CLOSE\n"
    "  --debug           shim diagnostics on the process's stderr\n"
    "  --all NAME        every process whose executable is named NAME\n"
    "  -h, --help        show this help\n"
    "\n"
    "Exit status: 0 done, 2 usage, 5 a process was refused (untouched),\n"
    "6 an injection failed (the process was restored).\n";

/* Text for standard error: escaped, cut. */
static const char *
esc(const char *s, char *buf)
{
	termsafe_escape(s, 200, buf, SAFE_LEN);
	return buf;
}

/* The process's name (its executable's file name), "?" if unknown. */
static void
proc_name(pid_t pid, char *out, size_t cap)
{
	char path[64], exe[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%ld/exe", (long)pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n <= 0) {
		snprintf(out, cap, "?");
		return;
	}
	exe[n] = '\0';
	/* " (deleted)" after an upgrade: still the same program */
	if (n > 10 && strcmp(exe + n - 10, " (deleted)") == 0)
		exe[n - 10] = '\0';
	snprintf(out, cap, "%s", path_base(exe));
}

/* Every process named name, but us; how many. */
static int
pids_named(const char *name, pid_t *out, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char n[256];
	int k = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL && k < max) {
		pid_t pid = (pid_t)atol(e->d_name);

		if (pid <= 0 || pid == getpid())
			continue;
		proc_name(pid, n, sizeof(n));
		if (strcmp(n, name) == 0)
			out[k++] = pid;
	}
	closedir(d);
	return k;
}

/*
 * The tlsdiag state of pid: 1 and *st when the library is loaded there
 * (its path in lib), 0 when it is not, -1 when it cannot be read.
 */
static int
read_state(pid_t pid, struct attachstate *st, struct procmap_obj *lib)
{
	char err[256];
	uintptr_t a;
	int r = procmap_find(pid, "libtlsdiag", lib);

	if (r <= 0)
		return r;
	if (procmap_symbol(pid, lib, ATTACHSTATE_SYMBOL, &a, err, sizeof(err)) <
		0 ||
	    procmap_read(pid, a, st, sizeof(*st)) < 0 ||
	    memcmp(st->magic, ATTACHSTATE_MAGIC, 8) != 0)
		return -1;
	st->log[sizeof(st->log) - 1] = '\0';
	return 1;
}

/* The process probe_obj() looks at. */
struct probe_arg {
	pid_t pid;
};

/*
 * 1 if the object o of the process carries OpenSSL and exports it (a
 * shared object built from libssl.a), read through /proc/PID/root: the
 * library's entry hooks, or the GOT slots of its callers, reach it.
 */
static int
probe_obj(const struct procmap_obj *o, void *arg)
{
	const struct probe_arg *pa = arg;
	struct exeprobe p;
	char path[PROCMAP_PATH + 64], err[256];
	const char *base = path_base(o->path);

	/* the C library, the loader, libcrypto: never; libssl: looked for */
	if (strncmp(base, "libc.so.", 8) == 0 ||
	    strncmp(base, "ld-linux", 8) == 0 ||
	    strncmp(base, "libcrypto.", 10) == 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/root%s", (long)pa->pid,
	    o->path);
	if (exeprobe_file(path, &p, err, sizeof(err)) != 0)
		return 0;
	return p.exports_ssl;
}

/*
 * 1 if the executable of pid carries OpenSSL and exports it (node, a
 * program linked with libssl.a and -rdynamic), or a loaded object does
 * (one built from libssl.a): the library's entry hooks reach it
 * (shim/entryhook.h) although no libssl is loaded.
 */
static int
exports_openssl(pid_t pid)
{
	struct exeprobe p;
	struct probe_arg pa = { pid };
	char path[64], err[256];

	snprintf(path, sizeof(path), "/proc/%ld/exe", (long)pid);
	if (exeprobe_file(path, &p, err, sizeof(err)) == 0 && p.exports_ssl)
		return 1;
	return procmap_each(pid, probe_obj, &pa) == 1;
}
/*
 * Why pid cannot be attached to, or NULL if nothing stands in the way
 * (why[] holds the text).  The checks only read /proc.
 */
static const char *
refusal(pid_t pid, const char *shim, char *why, size_t cap)
{
	char v[256], state[64], path[PATH_MAX + 64];
	struct procmap_obj o;
	struct stat a, b;
	FILE *f;
	int scope = 0;

	if (procmap_status(pid, "State", state, sizeof(state)) < 0) {
		snprintf(why, cap, "no such process");
		return why;
	}
	/* before the state: a traced process is often in "tracing stop" */
	if (procmap_status(pid, "TracerPid", v, sizeof(v)) == 0 &&
	    atol(v) != 0) {
		char tn[256];

		proc_name((pid_t)atol(v), tn, sizeof(tn));
		snprintf(why, cap, "already traced by pid %ld (%.64s)", atol(v),
		    tn);
		return why;
	}
	if (state[0] == 'T' || state[0] == 't' || state[0] == 'Z') {
		snprintf(why, cap, "it is stopped or a zombie (state %.20s)",
		    state);
		return why;
	}
	if (procmap_status(pid, "Uid", v, sizeof(v)) == 0 && geteuid() != 0 &&
	    (unsigned long)atol(v) != (unsigned long)geteuid()) {
		snprintf(why, cap,
		    "no permission: it runs as uid %lu (attach needs root or "
		    "the same user)",
		    (unsigned long)atol(v));
		return why;
	}
	f = fopen("/proc/sys/kernel/yama/ptrace_scope", "re");
	if (f != NULL) {
		if (fscanf(f, "%d", &scope) != 1)
			scope = 0;
		fclose(f);
	}
	if (scope == 3 || (scope >= 1 && geteuid() != 0)) {
		snprintf(why, cap,
		    "no permission: Yama ptrace_scope is %d (see "
		    "/proc/sys/kernel/yama/ptrace_scope)",
		    scope);
		return why;
	}
	if (procmap_status(pid, "Seccomp", v, sizeof(v)) == 0 && atol(v) != 0) {
		snprintf(why, cap,
		    "it runs under seccomp (mode %ld): tlsdiag cannot tell "
		    "whether the system calls it needs are allowed",
		    atol(v));
		return why;
	}
	if (procmap_find(pid, "libc.so.", &o) != 1) {
		snprintf(why, cap,
		    "a static executable (no C library loaded): nothing to "
		    "attach to");
		return why;
	}
	if (procmap_find(pid, "libssl.so.", &o) != 1 && !exports_openssl(pid)) {
		snprintf(why, cap,
		    "no libssl loaded and no OpenSSL exported by the "
		    "executable or a loaded object: nothing to attach to");
		return why;
	}
	snprintf(path, sizeof(path), "/proc/%ld/root%s", (long)pid, shim);
	if (stat(shim, &a) != 0 || stat(path, &b) != 0 ||
	    a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
		snprintf(why, cap,
		    "'%.200s' is not the same file in its mount namespace "
		    "(install tlsdiag there, or run tlsdiag attach inside it)",
		    shim);
		return why;
	}
	return NULL;
}

/* The argument string of tlsdiag_attach_init(), NAME=value a line. */
struct opts {
	char args[ARGS_CAP];
	size_t n;
};

static int
opt_add(struct opts *o, const char *name, const char *val)
{
	int k;

	if (strchr(val, '\n') != NULL)
		return -1;
	k = snprintf(o->args + o->n, sizeof(o->args) - o->n, "%s%s=%s",
	    o->n > 0 ? "\n" : "", name, val);
	if (k < 0 || (size_t)k >= sizeof(o->args) - o->n)
		return -1;
	o->n += (size_t)k;
	return 0;
}

enum { OPT_RATE = 256, OPT_BT, OPT_PY, OPT_CLEAN, OPT_DEBUG, OPT_ALL };

static int
usage(int help)
{
	fputs(attach_synopsis, help ? stdout : stderr);
	if (help)
		fputs(attach_options, stdout);
	return help ? TLSDIAG_EXIT_OK : TLSDIAG_EXIT_USAGE;
}

/* The pids of the command line (after options) or of --all; -1 if bad. */
static int
collect_pids(int argc, char **argv, const char *all, pid_t *pids, int max)
{
	int i, n = 0;

	if (all != NULL) {
		if (optind != argc)
			return -1;
		return pids_named(all, pids, max);
	}
	for (i = optind; i < argc && n < max; i++) {
		char *end;
		long v = strtol(argv[i], &end, 10);

		if (*end != '\0' || v <= 0 || v > INT_MAX)
			return -1;
		pids[n++] = (pid_t)v;
	}
	return n > 0 ? n : -1;
}

/* Say why an init or fini call failed. */
static const char *
call_error(long rc)
{
	switch (rc) {
	case ATTACHSTATE_ERR_PRELOADED:
		return "already recording (started with LD_PRELOAD)";
	case ATTACHSTATE_ERR_MPROTECT:
		return "mprotect refused inside the process: nothing patched";
	case ATTACHSTATE_ERR_ARGS:
		return "the library rejected its arguments";
	case ATTACHSTATE_ERR_NOTATTACHED:
		return "not attached";
	case ATTACHSTATE_ERR_ALREADY:
		return "already attached";
	default:
		return "unknown error";
	}
}

static int
attach_one(pid_t pid, const char *shim, const struct opts *o)
{
	char why[512], name[256], sb[SAFE_LEN], err[512];
	struct attachstate st;
	struct procmap_obj lib;
	struct inject_result res;
	int r;

	proc_name(pid, name, sizeof(name));
	if (refusal(pid, shim, why, sizeof(why)) == NULL) {
		r = read_state(pid, &st, &lib);
		if (r < 0)
			snprintf(why, sizeof(why),
			    "a tlsdiag library is loaded but its state "
			    "cannot be read");
		else if (r == 1 && st.mode == ATTACHSTATE_PRELOAD)
			snprintf(why, sizeof(why), "%s",
			    call_error(ATTACHSTATE_ERR_PRELOADED));
		else if (r == 1 && st.mode == ATTACHSTATE_ATTACHED) {
			printf("tlsdiag: %ld (%s): already attached, log %s\n",
			    (long)pid, esc(name, sb), st.log);
			return TLSDIAG_EXIT_OK;
		} else if (r == 1 && strcmp(lib.path, shim) != 0)
			snprintf(why, sizeof(why),
			    "another tlsdiag library is loaded (%.200s)",
			    lib.path);
		else
			why[0] = '\0';
	}
	if (why[0] != '\0') {
		fprintf(stderr, "tlsdiag: attach %ld (%s): refused: %s\n",
		    (long)pid, esc(name, sb), why);
		return TLSDIAG_EXIT_REFUSED;
	}
	r = inject_call(pid, shim, RTLD_NOW | RTLD_NODELETE, ATTACHSTATE_INIT,
	    o->args, &res, err, sizeof(err));
	if (r == INJECT_REFUSED) {
		fprintf(stderr, "tlsdiag: attach %ld (%s): refused: %s\n",
		    (long)pid, esc(name, sb), err);
		return TLSDIAG_EXIT_REFUSED;
	}
	if (r != INJECT_OK) {
		fprintf(stderr, "tlsdiag: attach %ld (%s): failed: %s\n",
		    (long)pid, esc(name, sb), err);
		return TLSDIAG_EXIT_INJECT;
	}
	if (res.ret < 0) {
		fprintf(stderr, "tlsdiag: attach %ld (%s): refused: %s\n",
		    (long)pid, esc(name, sb), call_error(res.ret));
		return res.ret == ATTACHSTATE_ERR_ALREADY ?
		    TLSDIAG_EXIT_OK :
		    TLSDIAG_EXIT_REFUSED;
	}
	printf("tlsdiag: attached %ld (%s): %ld slots patched, %d threads "
	       "stopped for %.2f ms\n",
	    (long)pid, esc(name, sb), res.ret, res.threads, res.pause_ms);
	return TLSDIAG_EXIT_OK;
}

static int
detach_one(pid_t pid)
{
	char name[256], sb[SAFE_LEN], err[512];
	struct attachstate st;
	struct procmap_obj lib;
	struct inject_result res;
	int r;

	proc_name(pid, name, sizeof(name));
	r = read_state(pid, &st, &lib);
	if (r != 1 || st.mode != ATTACHSTATE_ATTACHED) {
		fprintf(stderr, "tlsdiag: detach %ld (%s): refused: %s\n",
		    (long)pid, esc(name, sb),
		    r < 0      ? "cannot read its state (no permission?)" :
			r == 0 ? "tlsdiag is not loaded" :
			st.mode == ATTACHSTATE_PRELOAD ?
				 "it records by LD_PRELOAD: nothing to detach" :
				 "not attached");
		return TLSDIAG_EXIT_REFUSED;
	}
	r = inject_call(pid, lib.path, RTLD_NOW | RTLD_NOLOAD, ATTACHSTATE_FINI,
	    "", &res, err, sizeof(err));
	if (r != INJECT_OK || res.ret < 0) {
		fprintf(stderr, "tlsdiag: detach %ld (%s): %s: %s\n", (long)pid,
		    esc(name, sb), r == INJECT_REFUSED ? "refused" : "failed",
		    r == INJECT_OK ? call_error(res.ret) : err);
		return r == INJECT_FAILED ? TLSDIAG_EXIT_INJECT :
					    TLSDIAG_EXIT_REFUSED;
	}
	printf("tlsdiag: detached %ld (%s): %ld slots restored, %d threads "
	       "stopped for %.2f ms\n",
	    (long)pid, esc(name, sb), res.ret, res.threads, res.pause_ms);
	return TLSDIAG_EXIT_OK;
}

static int
worst(int a, int b)
{
	return a > b ? a : b;
}

int
cmd_attach(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "backtrace", required_argument, NULL, OPT_BT },
		{ "python", required_argument, NULL, OPT_PY },
		{ "clean-close", no_argument, NULL, OPT_CLEAN },
		{ "debug", no_argument, NULL, OPT_DEBUG },
		{ "all", required_argument, NULL, OPT_ALL },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct opts o;
	static pid_t pids[MAX_PIDS];
	char shim[PATH_MAX], err[512], self[PATH_MAX];
	const char *all = NULL;
	ssize_t k;
	int c, i, n, rc = TLSDIAG_EXIT_OK, bad = 0;

	memset(&o, 0, sizeof(o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "+o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o':
			bad |= optarg[0] != '/' ||
			    opt_add(&o, "TLSDIAG_LOG", optarg) < 0;
			break;
		case OPT_RATE:
			bad |= opt_add(&o, "TLSDIAG_RATE", optarg) < 0;
			break;
		case OPT_BT:
			bad |= opt_add(&o, "TLSDIAG_BACKTRACE", optarg) < 0;
			break;
		case OPT_PY:
			bad |= opt_add(&o, "TLSDIAG_PYTHON", optarg) < 0;
			break;
		case OPT_CLEAN:
			bad |= opt_add(&o, "TLSDIAG_CLEAN_CLOSE", "1") < 0;
			break;
		case OPT_DEBUG:
			bad |= opt_add(&o, "TLSDIAG_DEBUG", "1") < 0;
			break;
		case OPT_ALL:
			all = optarg;
			break;
		case 'h':
			return usage(1);
		default:
			return usage(0);
		}
	}
	if (bad) {
		fprintf(stderr,
		    "tlsdiag attach: -o takes an absolute path; "
		    "no value may hold a newline\n");
		return usage(0);
	}
	n = collect_pids(argc, argv, all, pids, MAX_PIDS);
	if (n < 0)
		return usage(0);
	if (n == 0) {
		fprintf(stderr, "tlsdiag attach: no process named '%s'\n", all);
		return TLSDIAG_EXIT_REFUSED;
	}
	k = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[k > 0 ? k : 0] = '\0';
	if (run_find_shim(self, getenv("TLSDIAG_SHIM"), shim, sizeof(shim), err,
		sizeof(err)) < 0) {
		fprintf(stderr, "tlsdiag attach: %s\n", err);
		return TLSDIAG_EXIT_RUN_SELF;
	}
	for (i = 0; i < n; i++)
		rc = worst(rc, attach_one(pids[i], shim, &o));
	return rc;
}

int
cmd_detach(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "all", required_argument, NULL, OPT_ALL },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static pid_t pids[MAX_PIDS];
	const char *all = NULL;
	int c, i, n, rc = TLSDIAG_EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", lo, NULL)) != -1) {
		if (c == OPT_ALL)
			all = optarg;
		else
			return usage(c == 'h');
	}
	n = collect_pids(argc, argv, all, pids, MAX_PIDS);
	if (n < 0)
		return usage(0);
	if (n == 0) {
		fprintf(stderr, "tlsdiag detach: no process named '%s'\n", all);
		return TLSDIAG_EXIT_REFUSED;
	}
	for (i = 0; i < n; i++)
		rc = worst(rc, detach_one(pids[i]));
	return rc;
}

/*
 * The log of pid: the template in st with %p, %u (its effective uid) and
 * %h expanded as the library does (a '/' or a leading '.' of the host
 * name as '_'), into out.
 */
static void
log_of(pid_t pid, const struct attachstate *st, char *out, size_t cap)
{
	char uid[64] = "0";
	const char *p;
	size_t o = 0;

	if (procmap_status(pid, "Uid", uid, sizeof(uid)) == 0)
		(void)sscanf(uid, "%*s %63s", uid);
	for (p = st->log; *p != '\0' && o + 1 < cap; p++) {
		const char *h;
		int n = 0;

		if (*p != '%' || p[1] == '\0') {
			out[o++] = *p;
			continue;
		}
		p++;
		if (*p == 'p')
			n = snprintf(out + o, cap - o, "%ld", (long)pid);
		else if (*p == 'u')
			n = snprintf(out + o, cap - o, "%s", uid);
		else if (*p == 'h')
			for (h = st->host; *h != '\0' && o + 1 < cap; h++)
				out[o++] =
				    *h == '/' || (h == st->host && *h == '.') ?
				    '_' :
				    *h;
		else
			out[o++] = *p;
		if (n > 0)
			o += (size_t)n < cap - o ? (size_t)n : cap - o - 1;
	}
	out[o] = '\0';
}

static const char *const mode_names[] = { "loaded", "preload", "attached",
	"detached" };

/* One status line; 0 if pid has no tlsdiag (nothing printed). */
static int
status_one(pid_t pid, int quiet)
{
	char name[256], sb[SAFE_LEN], log[1100];
	struct attachstate st;
	struct procmap_obj lib;
	unsigned long rec = 0, drop = 0;
	int r = read_state(pid, &st, &lib);

	proc_name(pid, name, sizeof(name));
	if (r <= 0) {
		if (!quiet)
			printf("%ld\t%s\t%s\n", (long)pid, esc(name, sb),
			    r == 0 ? "none" : "unknown (cannot read)");
		return r == 0 ? 0 : -1;
	}
	(void)procmap_read(pid, (uintptr_t)st.records_addr, &rec, sizeof(rec));
	(void)procmap_read(pid, (uintptr_t)st.dropped_addr, &drop,
	    sizeof(drop));
	st.host[sizeof(st.host) - 1] = '\0';
	log_of(pid, &st, log, sizeof(log));
	printf("%ld\t%s\t%s\tlog=%s\trecords=%lu\tdropped=%lu\tslots=%u\n",
	    (long)pid, esc(name, sb), st.mode < 4 ? mode_names[st.mode] : "?",
	    log, rec, drop, st.slots);
	return 1;
}

int
cmd_status(int argc, char **argv)
{
	DIR *d;
	struct dirent *e;
	int i;

	if (argc > 1 &&
	    (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))
		return usage(1);
	for (i = 1; i < argc; i++) {
		char *end;
		long v = strtol(argv[i], &end, 10);

		if (*end != '\0' || v <= 0 || v > INT_MAX)
			return usage(0);
	}
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			(void)status_one((pid_t)atol(argv[i]), 0);
		return TLSDIAG_EXIT_OK;
	}
	d = opendir("/proc");
	if (d == NULL)
		return TLSDIAG_EXIT_INPUT;
	while ((e = readdir(d)) != NULL) {
		pid_t pid = (pid_t)atol(e->d_name);

		if (pid > 0 && pid != getpid())
			(void)status_one(pid, 1);
	}
	closedir(d);
	return TLSDIAG_EXIT_OK;
}
