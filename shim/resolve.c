/*
 * resolve.c: find, for each caller, the real function in the libssl copy
 * that caller uses.  dlsym(RTLD_NEXT) alone fails inside CPython's _ssl
 * (loaded RTLD_LOCAL), and one global pointer would mix copies in a
 * process that has two, so we mirror the loader: a libssl calling itself
 * uses itself; anyone else binds first in the global scope, then in its
 * own dependencies; last, any loaded object that defines libssl.  Loader
 * calls are made without holding our lock, so a wrapper called from a
 * constructor inside dlopen() cannot deadlock against another thread.
 */
#include "shim.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "coverage.h"
#include "elfsym.h"
#include "entryhook.h"
#include "str.h"

#define MAX_COPIES 8
#define MAX_MODULES 64
#define MAX_SCAN 256

struct resolve_site resolve_sites[1 << RESOLVE_BITS];

static struct ossl copies[MAX_COPIES];
static _Atomic int ncopies;
static struct {
	uintptr_t base;
	struct ossl *copy; /* the libssl copy this caller uses */
} modules[MAX_MODULES];
static int nmodules;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The symbol that marks a libssl: every version since 0.9 has it. */
static const char marker[] = "SSL_new";

/*
 * dladdr without the symbol: the object holding p, its name (for the
 * executable argv[0], as dladdr gives it) and where it is mapped.
 * Returns 0 when p is in no object.  dladdr also looks for the nearest symbol, scanning the
 * object's whole symbol table: 18,000 instructions a call in libssl,
 * 53,000 in libcrypto.  _dl_find_object (glibc 2.35) is a lock-free
 * search of the loaded objects, made for unwinders.
 */
static int
object_at(const void *p, Dl_info *d)
{
	struct dl_find_object o;

	if (_dl_find_object((void *)(uintptr_t)p, &o) != 0 ||
	    o.dlfo_link_map == NULL)
		return 0;
	memset(d, 0, sizeof(*d));
	d->dli_fname = o.dlfo_link_map->l_name;
	if (d->dli_fname == NULL || d->dli_fname[0] == '\0')
		d->dli_fname = program_invocation_name;
	d->dli_fbase = o.dlfo_map_start;
	return 1;
}

/* Where this library is mapped, found once. */
static uintptr_t self_lo, self_hi;
static pthread_once_t self_once = PTHREAD_ONCE_INIT;

static void
self_span(void)
{
	struct dl_find_object o;

	if (_dl_find_object((void *)(uintptr_t)resolve_slow, &o) == 0) {
		self_lo = (uintptr_t)o.dlfo_map_start;
		self_hi = (uintptr_t)o.dlfo_map_end;
	}
}

/* Whether p lies in this library. */
static int
in_self(const void *p)
{
	int saved = errno;

	pthread_once(&self_once, self_span);
	errno = saved;
	return p != NULL && (uintptr_t)p >= self_lo && (uintptr_t)p < self_hi;
}

int
resolve_in_self(const void *p)
{
	return in_self(p);
}

static void *
sym(void *h, const char *name)
{
	void *p = dlsym(h, name);

	return in_self(p) ? NULL : p;
}

/* Fill a new copy from the libssl file at path; 0 on success. */
static int
load_copy(struct ossl *o, const char *path, uintptr_t base)
{
	void *h = dlopen(path, RTLD_NOLOAD | RTLD_LAZY);

	if (h == NULL)
		return -1;
	memset(o, 0, sizeof(*o));
	o->base = base;
	o->handle = h;
	atomic_init(&o->ex_index, -1);
	atomic_init(&o->failure_path, 0);
	str_cat(o->path, sizeof(o->path), path, STR_END);
#define X(ret, name, args)                                                     \
	*(void **)&o->name = sym(h, #name);                                    \
	if (o->name == NULL) {                                                 \
		shim_debug("'%s' has no %s", path, #name);                     \
		return -1;                                                     \
	}
	X(int, SSL_read, ())
	X(int, SSL_write, ())
	X(int, SSL_do_handshake, ())
	X(int, SSL_connect, ())
	X(int, SSL_accept, ())
	X(int, SSL_shutdown, ())
	X(long, SSL_get_verify_result, ())
	OSSL_FIRST_CALL(X)
#undef X
	/* 1.1.1+ have the _ex forms; older copies lack them harmlessly. */
#define X(ret, name, args) *(void **)&o->name = sym(h, #name);
	X(int, SSL_read_ex, ())
	X(int, SSL_peek, ())
	X(int, SSL_peek_ex, ())
	X(int, SSL_write_ex, ())
	OSSL_FIRST_CALL_OPTIONAL(X)
#undef X
	resolve_copy_version(o);
	return 0;
}

void
resolve_copy_version(struct ossl *o)
{
	o->version_num = o->OpenSSL_version_num();
	o->layout = classify_layout(o->version_num);
	str_cat(o->version, sizeof(o->version), o->OpenSSL_version(0), STR_END);
}

#define X(ret, name, args) +1
enum { NFAIL = 0 OSSL_HELPERS(X), NFAIL_ALL = NFAIL OSSL_OPTIONAL(X) };
#undef X

int
resolve_failure_path(struct ossl *o)
{
	void *fn[NFAIL_ALL];
	int i, saved,
	    st = atomic_load_explicit(&o->failure_path, memory_order_acquire);

	if (st != 0)
		return st == 1 ? 0 : -1;
	/* dlsym outside the lock (see the file comment); losers drop theirs */
	saved = errno;
	i = 0;
#define X(ret, name, args)                                                     \
	fn[i++] =                                                              \
	    o->entry ? entryhook_sym(o->base, #name) : sym(o->handle, #name);
	OSSL_HELPERS(X)
	OSSL_OPTIONAL(X)
#undef X
	for (st = 1, i = 0; i < NFAIL; i++)
		if (fn[i] == NULL)
			st = 2;
	pthread_mutex_lock(&lock);
	if (atomic_load_explicit(&o->failure_path, memory_order_relaxed) == 0) {
		i = 0;
#define X(ret, name, args) *(void **)&o->name = fn[i++];
		OSSL_HELPERS(X)
		OSSL_OPTIONAL(X)
#undef X
		if (o->SSL_get1_peer_certificate == NULL)
			o->SSL_get1_peer_certificate =
			    o->SSL_get_peer_certificate;
		/* the pointers are written before anyone can see st */
		atomic_store_explicit(&o->failure_path, st,
		    memory_order_release);
		if (st != 1)
			shim_debug("'%s' lacks a function of the failure path: "
				   "its failures are not recorded",
			    o->path);
	}
	st = atomic_load_explicit(&o->failure_path, memory_order_relaxed);
	pthread_mutex_unlock(&lock);
	errno = saved;
	return st == 1 ? 0 : -1;
}

/* The copy whose libssl is loaded at base, creating it; NULL if full. */
static struct ossl *
copy_for(const char *path, uintptr_t base)
{
	struct ossl tmp, *o = NULL;
	int i, n;

	pthread_mutex_lock(&lock);
	n = atomic_load(&ncopies);
	for (i = 0; i < n; i++)
		if (copies[i].base == base)
			o = &copies[i];
	pthread_mutex_unlock(&lock);
	if (o != NULL && o->entry)
		coverage_copy_seen(o); /* registered before any call */
	if (o != NULL)
		return o;

	/* dlopen/dlsym outside the lock (see the file comment) */
	if (load_copy(&tmp, path, base) < 0)
		return NULL;
	pthread_mutex_lock(&lock);
	n = atomic_load(&ncopies);
	for (i = 0; i < n; i++)
		if (copies[i].base == base)
			o = &copies[i];
	if (o == NULL && n < MAX_COPIES) {
		copies[n] = tmp;
		o = &copies[n];
		atomic_store(&ncopies, n + 1);
		tmp.handle = NULL;
	}
	pthread_mutex_unlock(&lock);
	if (tmp.handle != NULL)
		dlclose(tmp.handle); /* another thread won, or table full */
	if (o != NULL)
		coverage_copy_seen(o);
	return o;
}

struct scan {
	char names[MAX_SCAN][256];
	uintptr_t at[MAX_SCAN]; /* the marker, from elfsym; 0: ask dlsym */
	int n;
	uintptr_t self;	  /* our own load bias */
	const char *skip; /* an object not to look at, or NULL */
};

uintptr_t
resolve_self_bias(void)
{
	struct dl_find_object o;

	if (_dl_find_object((void *)(uintptr_t)resolve_self_bias, &o) != 0 ||
	    o.dlfo_link_map == NULL)
		return 0;
	return (uintptr_t)o.dlfo_link_map->l_addr;
}

/*
 * 1 if the object at path is part of the C library, the kernel's vDSO or
 * OpenSSL's libcrypto, which never define libssl's API: the scan skips
 * them, saving a dlopen and a dlsym each (about 6,000 instructions) in
 * the exit of every process that made no TLS call.
 */
static int
system_object(const char *path)
{
	static const char *const stems[] = { "libc.so.", "ld-linux", "ld64.so.",
		"linux-vdso.so.", "linux-gate.so.", "libm.so.", "libdl.so.",
		"libpthread.so.", "librt.so.", "libresolv.so.", "libgcc_s.so.",
		"libcrypto.so.", NULL };

	return str_base_starts(path, stems);
}

static int
scan_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct scan *sc = arg;
	uintptr_t at = 0;
	int r;

	(void)size;
	/* never ourselves: we define no libssl, and need no dlopen */
	if (info->dlpi_addr == sc->self)
		return 0;
	if (info->dlpi_name != NULL &&
	    (system_object(info->dlpi_name) ||
		(sc->skip != NULL && str_eq(info->dlpi_name, sc->skip))))
		return 0;
	if (sc->n >= MAX_SCAN || info->dlpi_name == NULL ||
	    info->dlpi_name[0] == '\0')
		return 0;
	/* the object's own symbol table says: no dlopen, no dlsym */
	r = elfsym_lookup(info->dlpi_addr, info->dlpi_phdr, info->dlpi_phnum,
	    marker, &at);
	if (r == 0)
		return 0;
	sc->at[sc->n] = r == 1 ? at : 0;
	str_cat(sc->names[sc->n++], sizeof(sc->names[0]), info->dlpi_name,
	    STR_END);
	return 0;
}

static pthread_mutex_t scan_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * The loaded objects other than us that define libssl's API themselves,
 * in load order: the address of the marker in each, up to max, leaving
 * out the object named skip (if not NULL).  Each object's own symbol
 * table is read in the dl_iterate_phdr callback (elfsym); only one whose
 * table cannot be read is looked at with dlopen and dlsym, after it
 * returns.
 * Returns how many.
 */
static int
scan_libssl(void **out, int max, const char *skip)
{
	static struct scan sc; /* 64 KiB: too big for a host's stack */
	Dl_info d;
	void *h, *p;
	int i, n = 0;

	pthread_mutex_lock(&scan_lock);
	sc.n = 0;
	sc.self = resolve_self_bias();
	sc.skip = skip;
	dl_iterate_phdr(scan_cb, &sc);
	for (i = 0; i < sc.n && n < max; i++) {
		if (sc.at[i] != 0) {
			out[n++] = (void *)sc.at[i];
			continue;
		}
		h = dlopen(sc.names[i], RTLD_NOLOAD | RTLD_LAZY);
		if (h == NULL)
			continue;
		p = sym(h, marker);
		/* defined by this object itself, not one of its dependencies */
		if (p != NULL && object_at(p, &d) != 0 && d.dli_fname != NULL &&
		    strcmp(d.dli_fname, sc.names[i]) == 0)
			out[n++] = p;
		dlclose(h);
	}
	pthread_mutex_unlock(&scan_lock);
	return n;
}

/*
 * The libssl copy the module at (path, base) uses; NULL if none.
 * *internal is set when the caller is that libssl itself.
 */
static struct ossl *
copy_for_module(const Dl_info *caller, int *internal)
{
	Dl_info d;
	void *h = NULL, *p = NULL;
	/* object_at names the executable program_invocation_name */
	int is_main = caller->dli_fname == NULL ||
	    caller->dli_fname[0] == '\0' ||
	    caller->dli_fname == program_invocation_name;

	if (!is_main)
		h = dlopen(caller->dli_fname, RTLD_NOLOAD | RTLD_LAZY);
	/* a libssl calling its own exports */
	if (h != NULL) {
		p = sym(h, marker);
		if (p != NULL && object_at(p, &d) != 0 &&
		    d.dli_fbase == caller->dli_fbase) {
			dlclose(h);
			*internal = 1;
			return copy_for(d.dli_fname, (uintptr_t)d.dli_fbase);
		}
		p = NULL;
	}
	p = sym(RTLD_DEFAULT, marker);
	if (p == NULL && h != NULL)
		p = sym(h, marker);
	if (h != NULL)
		dlclose(h);
	/* last resort: any loaded libssl */
	if (p == NULL && scan_libssl(&p, 1, NULL) == 0)
		p = NULL;
	if (p == NULL || object_at(p, &d) == 0 || d.dli_fname == NULL)
		return NULL;
	return copy_for(d.dli_fname, (uintptr_t)d.dli_fbase);
}

/*
 * The slot of call site ra: the one holding it (*found set), or else the
 * first empty one of the 8 past its hash; NULL when all 8 hold others.
 */
static struct resolve_site *
site_slot(uintptr_t ra, int *found)
{
	size_t h = resolve_hash(ra), i;

	for (i = 0; i < 8; i++) {
		struct resolve_site *s =
		    &resolve_sites[(h + i) & ((1 << RESOLVE_BITS) - 1)];
		uintptr_t a =
		    atomic_load_explicit(&s->addr, memory_order_acquire);

		*found = a == ra;
		if (a == ra || a == 0)
			return s;
	}
	return NULL;
}

struct ossl *
resolve_slow(const void *ra)
{
	Dl_info caller;
	struct ossl *o = NULL;
	uintptr_t base = 0;
	struct resolve_site *site;
	int k, found, saved = errno, internal = 0;

	/* the site may sit a few slots past its hash */
	site = site_slot((uintptr_t)ra, &found);
	if (site != NULL && found)
		return site->copy;
	shim_init();
	atomic_store_explicit(&shim.tls_seen, 1, memory_order_relaxed);
	if (object_at(ra, &caller) == 0) {
		memset(&caller, 0, sizeof(caller));
	} else
		base = (uintptr_t)caller.dli_fbase;

	pthread_mutex_lock(&lock);
	for (k = 0; k < nmodules; k++)
		if (modules[k].base == base)
			o = modules[k].copy;
	pthread_mutex_unlock(&lock);
	if (o == NULL) {
		o = copy_for_module(&caller, &internal);
		if (o != NULL && !internal)
			atomic_store(&shim.external_callers, 1);
	}
	if (o == NULL) {
		shim_debug("no libssl found for a caller in '%s'",
		    caller.dli_fname != NULL ? caller.dli_fname : "?");
		errno = saved;
		return NULL;
	}

	pthread_mutex_lock(&lock);
	for (k = 0; k < nmodules && modules[k].base != base; k++)
		;
	if (k == nmodules && nmodules < MAX_MODULES) {
		modules[k].base = base;
		modules[k].copy = o;
		nmodules++;
	}
	/* remember this call site; slots are filled once, never changed */
	site = site_slot((uintptr_t)ra, &found);
	if (site != NULL && !found) {
		site->copy = o;
		atomic_store_explicit(&site->addr, (uintptr_t)ra,
		    memory_order_release);
	}
	pthread_mutex_unlock(&lock);
	errno = saved;
	return o;
}

struct ossl *
resolve_add_copy(const struct ossl *tmpl)
{
	struct ossl *o = NULL;
	int n;

	pthread_mutex_lock(&lock);
	n = atomic_load(&ncopies);
	if (n < MAX_COPIES) {
		copies[n] = *tmpl;
		o = &copies[n];
		atomic_store(&ncopies, n + 1);
	}
	pthread_mutex_unlock(&lock);
	return o;
}

int
resolve_copies(struct ossl **out, int max)
{
	int i, n = atomic_load(&ncopies);

	for (i = 0; i < n && i < max; i++)
		out[i] = &copies[i];
	return i;
}

int
resolve_bound(const struct ossl *o, enum call c)
{
	const void *fn[CALL__COUNT] = {
		(const void *)o->SSL_read,
		(const void *)o->SSL_read_ex,
		(const void *)o->SSL_peek,
		(const void *)o->SSL_peek_ex,
		(const void *)o->SSL_write,
		(const void *)o->SSL_write_ex,
		(const void *)o->SSL_do_handshake,
		(const void *)o->SSL_connect,
		(const void *)o->SSL_accept,
		(const void *)o->SSL_shutdown,
		(const void *)o->SSL_get_verify_result,
	};

	return fn[c] != NULL;
}

void
resolve_atfork_child(void)
{
	pthread_mutex_init(&lock, NULL);
	pthread_mutex_init(&scan_lock, NULL);
}

/*
 * The loaded objects outside the global scope that define libssl's API:
 * at exit, when no call reached us, they tell that libssl was there all
 * the same (RTLD_DEEPBIND, calls through dlsym pointers).  A libssl in
 * the global scope is left out: had the program used it, its calls would
 * have reached the wrappers (nginx's master links libssl, never uses it);
 * its path goes to global (cap bytes; "" if there is none), so that one
 * dlsym serves both questions.
 */
int
resolve_loaded_libssl(char (*out)[256], int max, char *global, size_t cap)
{
	void *found[8], *p;
	Dl_info d, g;
	int i, k, n = 0;

	p = sym(RTLD_DEFAULT, marker);
	if (p == NULL || object_at(p, &g) == 0) {
		g.dli_fbase = NULL;
		g.dli_fname = NULL;
	}
	str_cat(global, cap, g.dli_fname != NULL ? g.dli_fname : "", STR_END);
	/* the global one is left out anyway: no lookup for it */
	k = scan_libssl(found, max < 8 ? max : 8, g.dli_fname);
	for (i = 0; i < k; i++)
		if (object_at(found[i], &d) != 0 && d.dli_fbase != g.dli_fbase)
			str_cat(out[n++], sizeof(out[0]), d.dli_fname, STR_END);
	return n;
}

int
resolve_object_at(const void *p, Dl_info *d)
{
	return object_at(p, d);
}
