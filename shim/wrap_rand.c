/*
 * wrap_rand.c: RAND_bytes, RAND_priv_bytes and RAND_status (libcrypto).
 * When the generator cannot deliver, CPython's ssl.RAND_bytes() raises
 * SSLError(code, reason text) with the oldest queued error (_ssl.c
 * _PySSL_RAND); the shim records that, and a RAND_status() of 0 as a
 * warning.  libssl 1.1.1 calls RAND_bytes on every handshake, so the
 * success path is one acquire load, the call and a compare.
 *
 * The real functions are the next definitions in the global scope, which
 * is what the caller would have bound to without us.  When the global
 * scope has no libcrypto (CPython's _ssl loads it RTLD_LOCAL), they come
 * from the caller's own dependencies, looked up once per call site.
 */
#include "shim.h"

#include <openssl/rand.h>

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "coverage.h"
#include "emit.h"
#include "observe.h"
#include "ratelimit.h"
#include "str.h"

enum {
	RF_BYTES,
	RF_PRIV_BYTES,
	RF_STATUS,
	RF_PEEK,
	RF_REASON,
	RF_VERSION,
	RF__COUNT
};

static const char *const rf_names[RF__COUNT] = {
	"RAND_bytes",
	"RAND_priv_bytes",
	"RAND_status",
	"ERR_peek_error",
	"ERR_reason_error_string",
	"OpenSSL_version_num",
};

/* One libcrypto's functions, by RF_* index. */
struct randlib {
	void *fn[RF__COUNT];
};

typedef int (*rand_fn)(unsigned char *, int);
typedef int (*status_fn)(void);
typedef unsigned long (*peek_fn)(void);
typedef const char *(*reason_fn)(unsigned long);

#define RAND_LIBS 8
#define RAND_SITES 64

static struct randlib global;
static _Atomic int global_state; /* 0 unknown, 1 filling, 2 ok, 3 none */
static struct randlib libs[RAND_LIBS];
static int nlibs;
static struct {
	_Atomic uintptr_t ra;
	const struct randlib *lib;
} sites[RAND_SITES];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local struct randlib scratch;
static _Atomic int status_recorded;

/* Fill l from handle h; 0 if h has RAND_bytes (not ours), else -1. */
static int
fill(struct randlib *l, void *h)
{
	int i;

	for (i = 0; i < RF__COUNT; i++) {
		l->fn[i] = dlsym(h, rf_names[i]);
		/* not dladdr: it scans libcrypto's symbols, 53,000 a call */
		if (resolve_in_self(l->fn[i]))
			l->fn[i] = NULL;
	}
	return l->fn[RF_BYTES] != NULL ? 0 : -1;
}

/*
 * The libcrypto the caller at ra uses when the global scope has none:
 * the caller's own dependencies.  Returns NULL if none is found.
 */
static const struct randlib *
for_site(const void *ra)
{
	size_t h = ((uintptr_t)ra * 0x9E3779B97F4A7C15ULL) >> 58;
	struct randlib tmp;
	const struct randlib *l = NULL;
	Dl_info d;
	void *hd;
	int i;

	if (atomic_load_explicit(&sites[h].ra, memory_order_acquire) ==
	    (uintptr_t)ra)
		return sites[h].lib;
	if (resolve_object_at(ra, &d) == 0 || d.dli_fname == NULL ||
	    d.dli_fname[0] == '\0')
		return NULL;
	/* loader calls outside our lock: a constructor may call us */
	hd = dlopen(d.dli_fname, RTLD_NOLOAD | RTLD_LAZY);
	if (hd == NULL)
		return NULL;
	if (fill(&tmp, hd) < 0) {
		dlclose(hd);
		return NULL;
	}
	pthread_mutex_lock(&lock);
	for (i = 0; i < nlibs; i++)
		if (libs[i].fn[RF_BYTES] == tmp.fn[RF_BYTES])
			l = &libs[i];
	if (l == NULL && nlibs < RAND_LIBS) {
		libs[nlibs] = tmp;
		l = &libs[nlibs++];
		hd = NULL; /* kept: the table's pointers outlive the caller */
	}
	if (l != NULL && atomic_load(&sites[h].ra) == 0) {
		sites[h].lib = l;
		atomic_store_explicit(&sites[h].ra, (uintptr_t)ra,
		    memory_order_release);
	}
	pthread_mutex_unlock(&lock);
	if (hd != NULL)
		dlclose(hd); /* the caller's own reference keeps it loaded */
	if (l == NULL) {
		scratch = tmp;
		l = &scratch;
	}
	return l;
}

/* The functions the caller at ra would have called; NULL if none. */
static const struct randlib *
rand_lib(const void *ra)
{
	int st = atomic_load_explicit(&global_state, memory_order_acquire);
	int expect = 0;

	if (st == 2)
		return &global;
	if (st == 0 &&
	    atomic_compare_exchange_strong(&global_state, &expect, 1)) {
		st = fill(&global, RTLD_NEXT) == 0 ? 2 : 3;
		atomic_store_explicit(&global_state, st, memory_order_release);
		if (st == 2)
			return &global;
	} else if (st == 1 && fill(&scratch, RTLD_NEXT) == 0)
		return &scratch; /* another thread is filling global */
	return for_site(ra);
}

/*
 * Record a failed RAND call (status: RAND_status returned 0).  Only peeks
 * at the error queue; keeps errno.
 */
static void
rand_failure(const struct randlib *l, const char *call, int ret, int status)
{
	char msg[512], text[64], nb[24];
	const char *reason = NULL;
	unsigned long e = 0;
	int saved = errno;

	atomic_fetch_or(&coverage_rand, COVERAGE_RAND_FAILED);
	if (!status)
		atomic_fetch_add(&shim.failures[KIND_SSL], 1);
	if (!ratelimit_admit())
		goto out;
	if (l->fn[RF_PEEK] != NULL)
		e = ((peek_fn)l->fn[RF_PEEK])();
	if (e != 0 && l->fn[RF_REASON] != NULL)
		reason = ((reason_fn)l->fn[RF_REASON])(e);
	/* SSLError((code, None)) prints as its args tuple */
	if (reason == NULL) {
		str_dec(nb, (long long)e);
		str_cat(text, sizeof(text), "(", nb, ", None)", STR_END);
		reason = text;
	}
	if (status)
		str_cat(msg, sizeof(msg), "RAND_status() returned 0 in ",
		    shim.name, ": the random generator is not seeded", STR_END);
	else
		str_cat(msg, sizeof(msg), "SSLError in ", call, " from ",
		    shim.name, ": ", reason, STR_END);
	emit_rand(msg, status, call, ret, saved, e,
	    l->fn[RF_VERSION] != NULL ?
		classify_layout(((peek_fn)l->fn[RF_VERSION])()) :
		ERR_LAYOUT_3,
	    reason,
	    e != 0 && l->fn[RF_REASON] != NULL ?
		((reason_fn)l->fn[RF_REASON])(e) :
		NULL);
out:
	errno = saved;
}

/* clang-format off */
/* RAND_bytes and RAND_priv_bytes: 1 is success, 0 or -1 failure. */
#define WRAP_RAND(name, idx, cov)                                          \
	SHIM_EXPORT int                                                    \
	name(unsigned char *buf, int num)                                  \
	{                                                                  \
		const struct randlib *l =                                  \
		    rand_lib(__builtin_return_address(0));                 \
		int ret;                                                   \
                                                                           \
		if (l == NULL || l->fn[idx] == NULL) {                     \
			errno = ENOSYS;                                    \
			return -1;                                         \
		}                                                          \
		if (shim_depth++ == 0) {                                   \
			observe_begin(NULL, NULL);                         \
			COVERAGE_MARK_RAND(cov);                           \
		}                                                          \
		ret = ((rand_fn)l->fn[idx])(buf, num);                     \
		shim_depth--;                                              \
		if (ret != 1 && shim_depth == 0 && shim.ready)             \
			rand_failure(l, #name, ret, 0);                    \
		return ret;                                                \
	}

WRAP_RAND(RAND_bytes, RF_BYTES, COVERAGE_RAND_BYTES)
WRAP_RAND(RAND_priv_bytes, RF_PRIV_BYTES, COVERAGE_RAND_PRIV_BYTES)
/* clang-format on */

SHIM_EXPORT int
RAND_status(void)
{
	const struct randlib *l = rand_lib(__builtin_return_address(0));
	int ret;

	if (l == NULL || l->fn[RF_STATUS] == NULL) {
		errno = ENOSYS;
		return 0;
	}
	if (shim_depth++ == 0) {
		observe_begin(NULL, NULL);
		COVERAGE_MARK_RAND(COVERAGE_RAND_STATUS);
	}
	ret = ((status_fn)l->fn[RF_STATUS])();
	shim_depth--;
	/* programs poll it: one warning per process says enough */
	if (ret == 0 && shim_depth == 0 && shim.ready &&
	    !atomic_exchange(&status_recorded, 1))
		rand_failure(l, "RAND_status", ret, 1);
	return ret;
}
