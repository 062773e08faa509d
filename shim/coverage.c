/*
 * coverage.c: the shim says what it hooked, so that an empty log can be
 * told apart from "nothing was seen".  Runs at most twice per process; no
 * cost on any call path.
 */
#include "coverage.h"

#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <string.h>

#include "../common/logformat.h"
#include "elfsym.h"
#include "emit.h"
#include "ratelimit.h"
#include "shim.h"
#include "str.h"

/* Other TLS stacks, out of scope, named by their sonames' stems. */
static const char *const other_tls[] = { "libgnutls.so", "libnss3.so",
	"libmbedtls.so", "libwolfssl.so", "libboringssl", "libtls.so",
	"librustls", NULL };

struct libscan {
	char found[8][128];
	int n;
	struct dl_phdr_info exe; /* the first object reported */
	int nseen;
};

static int
libscan_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct libscan *ls = arg;
	const char *base;
	int i;

	(void)size;
	if (ls->nseen++ == 0)
		ls->exe = *info;
	if (info->dlpi_name == NULL || info->dlpi_name[0] == '\0')
		return 0;
	base = str_base(info->dlpi_name);
	for (i = 0; other_tls[i] != NULL; i++)
		if (str_prefix(base, other_tls[i]) && ls->n < 8)
			snprintf(ls->found[ls->n++], sizeof(ls->found[0]), "%s",
			    base);
	return 0;
}

struct span {
	uintptr_t p;
	int in_main;
};

/* The first object dl_iterate_phdr reports is the executable. */
static int
main_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct span *sp = arg;
	int i;

	(void)size;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && sp->p >= a &&
		    sp->p < a + ph->p_memsz)
			sp->in_main = 1;
	}
	return 1;
}

/*
 * 1 if the executable itself defines OpenSSL's API (a static OpenSSL, as
 * in the official node binary): its own calls never reach a preload.
 * Read in its own symbol table (elfsym, exe as dl_iterate_phdr gave it);
 * the loader is asked only when that table cannot be read.
 */
static int
static_openssl(const struct dl_phdr_info *exe)
{
	static const char *const marks[] = { "SSL_new", "OPENSSL_init_ssl",
		"SSL_CTX_new", NULL };
	void *h;
	struct span sp = { 0, 0 };
	int i, r;

	r = elfsym_defines_any(exe->dlpi_addr, exe->dlpi_phdr, exe->dlpi_phnum,
	    marks);
	if (r >= 0)
		return r;
	h = dlopen(NULL, RTLD_LAZY | RTLD_NOLOAD);
	if (h == NULL)
		return 0;
	for (i = 0; marks[i] != NULL && !sp.in_main; i++) {
		sp.p = (uintptr_t)dlsym(h, marks[i]);
		if (sp.p != 0)
			dl_iterate_phdr(main_cb, &sp);
	}
	dlclose(h);
	return sp.in_main;
}

static _Atomic int started;

_Atomic unsigned coverage_rand;

void
coverage_copy_seen(const struct ossl *o)
{
	char msg[512], name[65], path[201];

	if (!shim.ready || atomic_exchange(&started, 1))
		return;
	/* str_cat, not snprintf: 1,500 instructions fewer per process */
	str_cat(name, sizeof(name), shim.name, STR_END);
	str_cat(path, sizeof(path), o->path, STR_END);
	str_cat(msg, sizeof(msg), "TLS activity in ", name, ": ", o->version,
	    " (", path, ")", STR_END);
	emit_start(msg);
}

/*
 * The exit record's message, in msg (cap bytes), for what ce says, the
 * nloaded libssl copies loaded but not bound, a libssl linked in but
 * unused, and other, the first other TLS library loaded.
 */
static void
exit_message(char *msg, size_t cap, const struct cov_exit *ce, int nloaded,
    int unused, const char *other)
{
	unsigned long total = 0;
	int k;

	for (k = 0; k < KIND__COUNT; k++)
		total += atomic_load(&shim.failures[k]);
	if (ce->internal_only)
		snprintf(msg, cap,
		    "%s: calls reached tlsdiag only from "
		    "inside libssl (the program calls OpenSSL through dlsym "
		    "pointers or BIO_f_ssl): its own failures may be unseen",
		    shim.name);
	else if (ce->seen)
		snprintf(msg, cap,
		    "%s exiting: %lu TLS failures "
		    "recorded, %lu dropped, %lu suppressed",
		    shim.name, total, atomic_load(&shim.dropped),
		    atomic_load(&shim.suppressed));
	else if (nloaded > 0)
		snprintf(msg, cap,
		    "%s loaded libssl privately but no "
		    "TLS call reached tlsdiag: it made none, or it bypasses "
		    "the preload (RTLD_DEEPBIND, calls through dlsym pointers)",
		    shim.name);
	else if (ce->static_openssl)
		snprintf(msg, cap,
		    "%s links OpenSSL statically: "
		    "nothing could be hooked",
		    shim.name);
	else if (unused)
		snprintf(msg, cap,
		    "%s made no OpenSSL TLS call; it "
		    "also loads %s, which tlsdiag does not cover",
		    shim.name, other);
	else
		snprintf(msg, cap,
		    "%s uses %s, which tlsdiag does "
		    "not cover: nothing was hooked",
		    shim.name, other);
}

void
coverage_exit(void)
{
	char msg[512];
	struct libscan ls;
	struct cov_exit ce;
	char loaded[8][256], global[256];
	int k, st, seen, tls, nloaded = 0, internal_only, unused = 0;
	unsigned rand;

	ratelimit_flush();
	memset(&ls, 0, sizeof(ls));
	dl_iterate_phdr(libscan_cb, &ls);
	st = static_openssl(&ls.exe);
	/* a RAND failure or warning was recorded: its process is accounted */
	tls = atomic_load(&shim.tls_seen);
	rand = atomic_load(&coverage_rand);
	seen = tls || (rand & COVERAGE_RAND_FAILED) != 0;
	global[0] = '\0';
	if (!seen)
		nloaded =
		    resolve_loaded_libssl(loaded, 8, global, sizeof(global));
	if (!seen && !st && ls.n == 0 && nloaded == 0)
		return;
	/* every call came from inside libssl: the program's own are hidden */
	internal_only = tls && !atomic_load(&shim.external_callers);
	/* a libssl linked in but never called: the program made no TLS call */
	if (!seen && !st)
		unused = global[0] != '\0';
	ce.level = (seen && !internal_only) ||
		(!seen && !st && (ls.n == 0 || unused)) ?
	    LOGFORMAT_LEVEL_INFO :
	    LOGFORMAT_LEVEL_WARNING;
	ce.seen = seen;
	ce.static_openssl = st;
	ce.internal_only = internal_only;
	exit_message(msg, sizeof(msg), &ce, nloaded, unused, ls.found[0]);
	ce.msg = msg;
	k = nloaded;
	if (unused && k < 8)
		snprintf(loaded[k++], sizeof(loaded[0]), "%s", global);
	ce.loaded = loaded;
	ce.nloaded = k;
	ce.nprivate = nloaded;
	ce.rand = rand;
	ce.other = ls.found;
	ce.nother = ls.n;
	emit_exit(&ce);
}
