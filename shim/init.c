/*
 * init.c: the shim's one-time setup and its single state object.  The
 * configuration is read here, once, because programs such as nginx clear
 * the environment of their workers.
 */
#include "shim.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "attach.h"
#include "backtrace.h"
#include "coverage.h"
#include "entryhook.h"
#include "logw.h"
#include "ratelimit.h"
#include "recordout.h"
#include "stackset.h"
#include "str.h"

struct shim_state shim;
_Thread_local int shim_depth;

static pthread_once_t once = PTHREAD_ONCE_INIT;

/*
 * Append s to out[*o..outsz - 1) with what could act on a terminal
 * escaped: a backslash as "\\", control bytes, DEL and every byte that
 * is not ASCII (which covers C1, bidi and line-separator characters
 * without decoding UTF-8) as "\xNN".  Messages quote environment values
 * and file names.  Stops at a whole escape rather than overflow.
 */
static void
debug_escape(const char *s, char *out, size_t *o, size_t outsz)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\\' || *p < 0x20 || *p >= 0x7f) {
			if (*o + 4 > outsz)
				return;
			out[(*o)++] = '\\';
			if (*p == '\\') {
				out[(*o)++] = '\\';
				continue;
			}
			out[(*o)++] = 'x';
			out[(*o)++] = hex[*p >> 4];
			out[(*o)++] = hex[*p & 15];
		} else {
			if (*o + 1 > outsz)
				return;
			out[(*o)++] = (char)*p;
		}
	}
}

void
shim_debug(const char *fmt, ...)
{
	char msg[512];
	char buf[1024];
	va_list ap;
	int saved = errno;
	size_t n = 6;

	if (!shim.cfg.debug)
		return;
	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	memcpy(buf, "shim: ", 6);
	debug_escape(msg, buf, &n, sizeof(buf) - 1);
	buf[n++] = '\n';
	(void)!write(2, buf, n);
	errno = saved;
}

/*
 * The TLSDIAG_* entries of the environment, collected in one pass at
 * load: getenv() walks the whole environment for each of the eight names
 * config_load() asks for (3,400 instructions in a small environment, more
 * in a large one).  It reads environ, not the array glibc passes
 * constructors: a variable another library's constructor set with
 * setenv() before ours ran is seen, as getenv() would see it (environ
 * costs one relocation at load, about 800 instructions).  When a host's
 * constructor called a wrapper before ours ran, or there are more than
 * ENV_MAX entries, getenv() answers.
 */
#define ENV_MAX 16
static int in_ctor;
static const char *env_seen[ENV_MAX];
static int env_n = -1; /* -1: ask getenv() */

static void
env_collect(void)
{
	char **e;

	if (!in_ctor || environ == NULL)
		return;
	env_n = 0;
	for (e = environ; *e != NULL; e++) {
		if ((*e)[0] != 'T' || !str_prefix(*e, "TLSDIAG_"))
			continue;
		if (env_n == ENV_MAX) {
			env_n = -1;
			return;
		}
		env_seen[env_n++] = *e;
	}
}

/* getenv(name) for a TLSDIAG_* name: the first entry wins, as there. */
static const char *
env(const char *name)
{
	const char *p, *q;
	int i;

	if (env_n < 0)
		return getenv(name);
	for (i = 0; i < env_n; i++) {
		for (p = env_seen[i], q = name; *q != '\0' && *p == *q;
		     p++, q++)
			;
		if (*q == '\0' && *p == '=')
			return p + 1;
	}
	return NULL;
}

/*
 * The exit record.  An atexit() handler, not a destructor: exit() runs
 * these before the loader finalizes any library, so every library is
 * still whole while coverage_exit() looks at them.  (From a destructor,
 * looking at an object already finalized with dlopen(RTLD_NOLOAD) runs
 * its constructors again.)
 */
static void
shim_at_exit(void)
{
	int saved = errno;

	if (shim.ready)
		coverage_exit();
	errno = saved;
}

/* In a forked child: the child's exit record counts its own records only. */
static void
counters_atfork_child(void)
{
	int k;

	atomic_store(&shim.records, 0);
	atomic_store(&shim.dropped, 0);
	atomic_store(&shim.suppressed, 0);
	atomic_store(&shim.followups, 0);
	for (k = 0; k < KIND__COUNT; k++)
		atomic_store(&shim.failures[k], 0);
}

/*
 * What a forked child resets, one entry per module.  fork() copies only
 * the calling thread: a lock another thread held at that moment would
 * stay locked in the child forever.
 */
static void (*const atfork_resets[])(void) = {
	resolve_atfork_child,
	backtrace_atfork_child,
	record_atfork_child,
	logw_atfork_child,
	stackset_atfork_child,
	ratelimit_atfork_child,
	counters_atfork_child,
	entryhook_atfork_child,
};

static void
atfork_child(void)
{
	size_t i;

	for (i = 0; i < sizeof(atfork_resets) / sizeof(atfork_resets[0]); i++)
		atfork_resets[i]();
}

static void
init_once(void)
{
	char err[160];
	struct utsname u;
	ssize_t n;

	config_defaults(&shim.cfg);
	shim.secure = getauxval(AT_SECURE) != 0;
	env_collect();
	if (config_load(&shim.cfg, attach_get != NULL ? attach_get : env,
		attach_get == NULL && shim.secure, err, sizeof(err)) < 0)
		shim_debug("%s", err);
	if (uname(&u) == 0)
		str_cat(shim.host, sizeof(shim.host), u.nodename, STR_END);
	n = readlink("/proc/self/exe", shim.exe, sizeof(shim.exe) - 1);
	shim.exe[n > 0 ? n : 0] = '\0';
	str_cat(shim.name, sizeof(shim.name), str_base(shim.exe), STR_END);
	if (shim.secure)
		shim_debug("secure-execution process: environment ignored");
	pthread_atfork(NULL, NULL, atfork_child);
	atexit(shim_at_exit);
	shim.ready = shim.cfg.enabled;
	attach_publish();
}

void
shim_init(void)
{
	int saved = errno;

	/* dlopen()ed by "tlsdiag attach": only its init call sets us up */
	if (attach_get == NULL && attach_loaded_late())
		return;
	pthread_once(&once, init_once);
	errno = saved;
}

/*
 * Runs when the library loads.  Host libraries may call a wrapper from
 * their own constructors before this one runs; shim_init() covers that.
 */
__attribute__((constructor)) static void
shim_ctor(void)
{
	int saved = errno;

	if (attach_loaded_late()) {
		errno = saved;
		return;
	}
	in_ctor = 1;
	shim_init();
	in_ctor = 0;
	if (shim.ready)
		(void)entryhook_install(NULL, 0);
	errno = saved;
}
