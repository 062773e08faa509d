/*
 * attach.c: the entry points "tlsdiag attach" and "tlsdiag detach" call
 * inside a running process, and the state "tlsdiag status" reads.  The
 * injector (analyzer/inject.c) loads us with dlopen(), then calls
 * tlsdiag_attach_init(args) on one thread while every other thread is
 * stopped; detach calls tlsdiag_attach_fini().  The library is never
 * unloaded: a wrapper may still be on some thread's stack.
 */
#include "shim.h"

#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../common/attachstate.h"
#include "../common/logformat.h"
#include "attach.h"
#include "coverage.h"
#include "entryhook.h"
#include "gotpatch.h"
#include "jsonw.h"
#include "str.h"

SHIM_EXPORT struct attachstate tlsdiag_state = {
	.magic = { 'T', 'L', 'S', 'D', 'I', 'A', 'G', '1' },
};

const char *(*attach_get)(const char *name);

static pthread_mutex_t attach_lock = PTHREAD_MUTEX_INITIALIZER;
static int detaching;

#define ARGS_MAX 8192
#define IPS_MAX 512
static char args[ARGS_MAX];
static uintptr_t ips[IPS_MAX];
static size_t nips;

int
attach_loaded_late(void)
{
	struct dl_find_object o;
	const struct link_map *m;

	if (_dl_find_object((void *)(uintptr_t)attach_loaded_late, &o) != 0 ||
	    o.dlfo_link_map == NULL)
		return 0;
	/* LD_PRELOAD objects come before the C library in the chain */
	for (m = o.dlfo_link_map->l_prev; m != NULL; m = m->l_prev)
		if (m->l_name != NULL &&
		    str_prefix(str_base(m->l_name), "libc.so."))
			return 1;
	return 0;
}

/* getenv() over the argument string: NAME=value entries, one a line. */
static const char *
args_get(const char *name)
{
	const char *p = args, *q;
	size_t n = strlen(name);

	while (p < args + ARGS_MAX && *p != '\0') {
		q = p;
		if (strncmp(q, name, n) == 0 && q[n] == '=')
			return q + n + 1;
		p += strlen(p) + 1;
	}
	return NULL;
}

/* Copy s into args as NUL-separated entries; -1 if it does not fit. */
static int
args_load(const char *s)
{
	size_t n = strlen(s), i;
	const char *v;
	char *end;

	if (n + 2 > ARGS_MAX)
		return -1;
	memcpy(args, s, n + 1);
	args[n + 1] = '\0';
	for (i = 0; i < n; i++)
		if (args[i] == '\n')
			args[i] = '\0';
	nips = 0;
	v = args_get("TLSDIAG_ATTACH_IPS");
	while (v != NULL && *v != '\0' && nips < IPS_MAX) {
		ips[nips++] = (uintptr_t)strtoull(v, &end, 16);
		if (end == v)
			break;
		v = *end == ',' ? end + 1 : end;
	}
	return 0;
}

size_t
attach_thread_ips(uintptr_t *out, size_t max)
{
	size_t i;

	for (i = 0; i < nips && i < max; i++)
		out[i] = ips[i];
	return nips;
}

void
attach_publish(void)
{
	tlsdiag_state.records_addr = (uint64_t)(uintptr_t)&shim.records;
	tlsdiag_state.dropped_addr = (uint64_t)(uintptr_t)&shim.dropped;
	tlsdiag_state.suppressed_addr = (uint64_t)(uintptr_t)&shim.suppressed;
	str_cat(tlsdiag_state.log, sizeof(tlsdiag_state.log), shim.cfg.log,
	    STR_END);
	str_cat(tlsdiag_state.host, sizeof(tlsdiag_state.host), shim.host,
	    STR_END);
	if (attach_get == NULL && shim.ready)
		tlsdiag_state.mode = ATTACHSTATE_PRELOAD;
}

/*
 * Start recording in a running process: args holds TLSDIAG_* settings,
 * NAME=value one a line, as the environment gives them to the preload
 * (TLSDIAG_LOG, TLSDIAG_RATE, TLSDIAG_BACKTRACE, TLSDIAG_PYTHON,
 * TLSDIAG_CLEAN_CLOSE, TLSDIAG_DEBUG), and TLSDIAG_ATTACH_IPS, the
 * instruction pointers of every thread in hex, comma-separated (see
 * attach_thread_ips()).  The settings of the first attach stay for the
 * life of the process.  Returns the number of GOT slots patched (>= 0),
 * or an enum attachstate_err.  Keeps errno.
 */
SHIM_EXPORT long tlsdiag_attach_init(const char *a);

long
tlsdiag_attach_init(const char *a)
{
	int n, merr = 0, saved = errno;
	long rc;

	pthread_mutex_lock(&attach_lock);
	if (tlsdiag_state.mode == ATTACHSTATE_PRELOAD) {
		rc = ATTACHSTATE_ERR_PRELOADED;
		goto out;
	}
	if (tlsdiag_state.mode == ATTACHSTATE_ATTACHED) {
		rc = ATTACHSTATE_ERR_ALREADY;
		goto out;
	}
	if (a == NULL || args_load(a) < 0) {
		rc = ATTACHSTATE_ERR_ARGS;
		goto out;
	}
	attach_get = args_get;
	shim_init();
	shim.ready = shim.cfg.enabled;
	n = gotpatch_apply(&merr);
	if (n < 0) {
		shim.ready = 0;
		tlsdiag_state.mprotect_errno = (uint32_t)merr;
		rc = ATTACHSTATE_ERR_MPROTECT;
		goto out;
	}
	/* OpenSSL linked into the executable: hooked at the entries, with
	 * every other thread stopped by the injector, none inside the bytes
	 * replaced (ips, from TLSDIAG_ATTACH_IPS).  Once per process: the
	 * hooks stay after a detach and pass calls through while idle. */
	(void)entryhook_install(ips, nips);
	tlsdiag_state.mode = ATTACHSTATE_ATTACHED;
	tlsdiag_state.attaches++;
	tlsdiag_state.slots = gotpatch_count();
	rc = n;
out:
	pthread_mutex_unlock(&attach_lock);
	errno = saved;
	return rc;
}

/*
 * Stop recording: every patched slot gets its old value back, then the
 * exit record is written.  a is unused (the injector passes "").
 * Returns the number of slots restored, or ATTACHSTATE_ERR_NOTATTACHED.
 * Keeps errno.
 */
SHIM_EXPORT long tlsdiag_attach_fini(const char *a);

long
tlsdiag_attach_fini(const char *a)
{
	int saved = errno;
	long rc;

	(void)a;
	pthread_mutex_lock(&attach_lock);
	if (tlsdiag_state.mode != ATTACHSTATE_ATTACHED) {
		rc = ATTACHSTATE_ERR_NOTATTACHED;
	} else {
		tlsdiag_state.slots = gotpatch_count();
		rc = gotpatch_restore();
		detaching = 1;
		if (shim.ready)
			coverage_exit();
		detaching = 0;
		shim.ready = 0;
		tlsdiag_state.mode = ATTACHSTATE_DETACHED;
		tlsdiag_state.slots = gotpatch_count();
	}
	pthread_mutex_unlock(&attach_lock);
	errno = saved;
	return rc;
}

const char *
attach_exit_verb(void)
{
	return detaching ? "detaching" : "exiting";
}

/* What GOT patching cannot reach, in the order docs/log-format.md says. */
static const char *const unreachable[] = {
	"dlsym",	  /* calls through pointers from dlsym() */
	"static_openssl", /* OpenSSL linked into an object: no GOT slot */
	"rpath_dlopen",	  /* objects dlopen()ed by one with RPATH/RUNPATH */
	"exec",		  /* a program the process exec()s */
	NULL,
};

void
attach_coverage(struct jsonw *w)
{
	int i;

	if (tlsdiag_state.mode != ATTACHSTATE_ATTACHED)
		return;
	jsonw_obj(w, LOGFORMAT_M_ATTACH);
	jsonw_uint(w, LOGFORMAT_M_ATTACH_SLOTS,
	    detaching ? tlsdiag_state.slots : gotpatch_count());
	jsonw_uint(w, LOGFORMAT_M_ATTACH_FOREIGN, gotpatch_foreign());
	jsonw_arr(w, LOGFORMAT_M_ATTACH_UNREACHABLE);
	for (i = 0; unreachable[i] != NULL; i++)
		jsonw_str(w, NULL, unreachable[i]);
	jsonw_end(w);
	jsonw_end(w);
}
