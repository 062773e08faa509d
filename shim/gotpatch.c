/*
 * gotpatch.c: the GOT patching of "tlsdiag attach" (gotpatch.h).  It
 * reads each object's dynamic section as the loader left it in memory
 * (on Linux the d_ptr values are already absolute), matches relocations
 * by symbol name and keeps a table of (slot, old value) for the detach.
 * The wrappers need no old value: resolve.c finds, for the caller's
 * return address, the libssl copy the caller's slot would bind to, which
 * is what a slot that passes the checks in check_old() held.
 */
#include "shim.h"

#include <elf.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elfsym.h"
#include "entryhook.h"
#include "gotpatch.h"
#include "str.h"

#define GP_MAX 2048

struct gp_slot {
	uintptr_t *slot;
	uintptr_t old;	/* what it held before */
	uintptr_t now;	/* what we stored */
	uintptr_t bias; /* its object's load bias */
	int relro;	/* in the object's PT_GNU_RELRO range */
};

static struct gp_slot table[GP_MAX];
static int ntable;
static _Atomic unsigned foreign;
static _Atomic int armed;
static pthread_mutex_t gp_lock = PTHREAD_MUTEX_INITIALIZER;

/* The OpenSSL entry points: wrapped in every object but libssl's own. */
static const char *const ossl_names[] = {
#define X(ret, name, args) #name,
	OSSL_WRAPPED(X)
#undef X
	    "RAND_bytes",
	"RAND_priv_bytes", "RAND_status", NULL
};

/* What observe.c watches, where the preload sees it: inside OpenSSL. */
static const char *const io_names[] = { "recv", "send", "recvfrom", "sendto",
	"recvmsg", "sendmsg", NULL };

static int
in_list(const char *const *l, const char *name)
{
	for (; *l != NULL; l++)
		if (str_eq(*l, name))
			return 1;
	return 0;
}

static void *gotpatch_dlopen(const char *file, int mode);

/* Our own load bias and program headers, to find our definitions. */
struct self {
	uintptr_t bias;
	const ElfW(Phdr) * phdr;
	size_t phnum;
};

static int
self_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct self *s = arg;

	(void)size;
	if (info->dlpi_addr != s->bias)
		return 0;
	s->phdr = info->dlpi_phdr;
	s->phnum = info->dlpi_phnum;
	return 1;
}

/* The state of one pass over the loaded objects. */
struct pass {
	struct self self;
	long pagesz;
	int patched;
	int first; /* index of this pass's first table entry */
	int merr;  /* errno of a refused mprotect, 0 if none */
};

static uintptr_t
load_bias_of(const void *p, uintptr_t *start, const struct link_map **map)
{
	struct dl_find_object o;

	if (_dl_find_object((void *)(uintptr_t)p, &o) != 0 ||
	    o.dlfo_link_map == NULL)
		return 0;
	*start = (uintptr_t)o.dlfo_map_start;
	*map = o.dlfo_link_map;
	return 1;
}

/*
 * 1 if old is a value a slot of name in the object at bias may hold
 * before we patch it: an address inside that object itself (its PLT
 * entry, before lazy binding ran), or the definition of name in the
 * object old lies in.  0 for anything else.
 */
static int
check_old(uintptr_t old, uintptr_t bias, const char *name)
{
	const struct link_map *m;
	const ElfW(Ehdr) * eh;
	uintptr_t start, at = 0;

	if (load_bias_of((void *)old, &start, &m) == 0)
		return 0;
	if (m->l_addr == bias)
		return 1;
	eh = (const ElfW(Ehdr) *)start;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return 0;
	if (elfsym_lookup(m->l_addr, (const ElfW(Phdr) *)(start + eh->e_phoff),
		eh->e_phnum, name, &at) != 1)
		return 0;
	return at == old;
}

/* Make the page of p writable (rw) or read-only again. */
static int
protect(struct pass *p, uintptr_t slot, int rw)
{
	uintptr_t page = slot & ~(uintptr_t)(p->pagesz - 1);

	return mprotect((void *)page, (size_t)p->pagesz,
	    rw ? PROT_READ | PROT_WRITE : PROT_READ);
}

/* Store v into *slot: one aligned 8-byte store, RELRO opened around it. */
static int
store(struct pass *p, uintptr_t *slot, uintptr_t v, int relro)
{
#ifdef SHIM_FAULTS
	/* test builds only: an mprotect a seccomp filter or an LSM refuses */
	if (relro && getenv("TLSDIAG_FAULT_MPROTECT") != NULL) {
		p->merr = EACCES;
		return -1;
	}
#endif
	if (relro && protect(p, (uintptr_t)slot, 1) != 0) {
		p->merr = errno;
		return -1;
	}
	__atomic_store_n(slot, v, __ATOMIC_SEQ_CST);
	if (relro && protect(p, (uintptr_t)slot, 0) != 0)
		shim_debug("cannot make a RELRO page read-only again");
	return 0;
}

/* The object's dynamic section, as the loader relocated it. */
struct dyn {
	const ElfW(Sym) * symtab;
	const char *strtab;
	size_t strsz;
	const ElfW(Rela) * rela[2];
	size_t relasz[2];
	int paths; /* DT_RPATH or DT_RUNPATH */
	uintptr_t relro_lo, relro_hi;
};

static int
read_dyn(const struct dl_phdr_info *info, struct dyn *d)
{
	const ElfW(Dyn) *dyn = NULL;
	int i, pltrela = 1;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_DYNAMIC)
			dyn =
			    (const ElfW(Dyn) *)(info->dlpi_addr + ph->p_vaddr);
		else if (ph->p_type == PT_GNU_RELRO) {
			d->relro_lo = info->dlpi_addr + ph->p_vaddr;
			d->relro_hi = d->relro_lo + ph->p_memsz;
		}
	}
	if (dyn == NULL)
		return -1;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		switch (dyn->d_tag) {
		case DT_SYMTAB:
			d->symtab = (const ElfW(Sym) *)dyn->d_un.d_ptr;
			break;
		case DT_STRTAB:
			d->strtab = (const char *)dyn->d_un.d_ptr;
			break;
		case DT_STRSZ:
			d->strsz = dyn->d_un.d_val;
			break;
		case DT_RELA:
			d->rela[0] = (const ElfW(Rela) *)dyn->d_un.d_ptr;
			break;
		case DT_RELASZ:
			d->relasz[0] = dyn->d_un.d_val;
			break;
		case DT_JMPREL:
			d->rela[1] = (const ElfW(Rela) *)dyn->d_un.d_ptr;
			break;
		case DT_PLTRELSZ:
			d->relasz[1] = dyn->d_un.d_val;
			break;
		case DT_PLTREL:
			pltrela = dyn->d_un.d_val == DT_RELA;
			break;
		case DT_RPATH:
		case DT_RUNPATH:
			d->paths = 1;
			break;
		default:
			break;
		}
	}
	if (!pltrela)
		d->rela[1] = NULL;
	return d->symtab != NULL && d->strtab != NULL ? 0 : -1;
}

/* The address our library gives name, or 0. */
static uintptr_t
ours(const struct pass *p, const char *name)
{
	uintptr_t at = 0;

	if (elfsym_lookup(p->self.bias, p->self.phdr, p->self.phnum, name,
		&at) != 1)
		return 0;
	return at;
}

/* Patch one slot of the object at bias; -1 when mprotect refused. */
static int
patch_slot(struct pass *p, const struct dyn *d, uintptr_t bias, uintptr_t *slot,
    uintptr_t now, const char *name)
{
	uintptr_t old = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	int relro =
	    (uintptr_t)slot >= (d->relro_lo & ~(uintptr_t)(p->pagesz - 1)) &&
	    (uintptr_t)slot < d->relro_hi;

	if (old == now || resolve_in_self((void *)old))
		return 0;
	if (!check_old(old, bias, name)) {
		atomic_fetch_add(&foreign, 1);
		shim_debug("%s: a slot holds another interposer's function: "
			   "left alone",
		    name);
		return 0;
	}
	if (ntable == GP_MAX) {
		shim_debug("more than %d slots: %s left alone", GP_MAX, name);
		return 0;
	}
	if (store(p, slot, now, relro) < 0)
		return -1;
	table[ntable].slot = slot;
	table[ntable].old = old;
	table[ntable].now = now;
	table[ntable].bias = bias;
	table[ntable].relro = relro;
	ntable++;
	p->patched++;
	return 0;
}

/*
 * 1 if the object is a libssl or a libcrypto: it defines their API, or
 * its table cannot be read (no DT_GNU_HASH) and its name says so.
 */
static int
is_openssl(const struct dl_phdr_info *info, const char *base)
{
	static const char *const marks[] = { "SSL_new", "RAND_bytes", NULL };
	int r = elfsym_defines_any(info->dlpi_addr, info->dlpi_phdr,
	    info->dlpi_phnum, marks);

	if (r >= 0)
		return r;
	return str_prefix(base, "libssl") || str_prefix(base, "libcrypto");
}

static int
patch_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct pass *p = arg;
	const char *base;
	struct dyn d;
	size_t k, i;
	int ossl, inside;

	(void)size;
	if (info->dlpi_addr == p->self.bias || p->merr != 0)
		return 0;
	base = str_base(info->dlpi_name != NULL ? info->dlpi_name : "");
	if (str_prefix(base, "ld-linux") || str_prefix(base, "linux-vdso") ||
	    str_prefix(base, "libc.so.") || read_dyn(info, &d) < 0)
		return 0;
	ossl = is_openssl(info, base);
	/*
	 * An object that carries OpenSSL beside its own code (built from
	 * libssl.a, exports preemptible) calls it through these slots,
	 * as the preload sees it: patched too.  One with -Bsymbolic has
	 * no such slot; its entries are hooked (entryhook.c).
	 */
	inside = ossl && base[0] != '\0' && !str_prefix(base, "libssl") &&
	    !str_prefix(base, "libcrypto");
	for (k = 0; k < 2; k++) {
		if (d.rela[k] == NULL)
			continue;
		for (i = 0; i < d.relasz[k] / sizeof(ElfW(Rela)); i++) {
			const ElfW(Rela) *r = &d.rela[k][i];
			unsigned long t = ELF64_R_TYPE(r->r_info);
			const ElfW(Sym) * s;
			const char *name;
			uintptr_t now = 0, at;

			if (t != R_X86_64_JUMP_SLOT && t != R_X86_64_GLOB_DAT)
				continue;
			s = &d.symtab[ELF64_R_SYM(r->r_info)];
			if (s->st_name >= d.strsz)
				continue;
			name = d.strtab + s->st_name;
			if ((!ossl || inside) && in_list(ossl_names, name))
				now = ours(p, name);
			else if (ossl && in_list(io_names, name))
				now = ours(p, name);
			else if (!ossl && !d.paths && str_eq(name, "dlopen"))
				now = (uintptr_t)gotpatch_dlopen;
			at = info->dlpi_addr + r->r_offset;
			if (now == 0 || (at & 7) != 0 ||
			    !elfsym_mapped(info->dlpi_addr, info->dlpi_phdr,
				info->dlpi_phnum, at, sizeof(uintptr_t)))
				continue;
			if (patch_slot(p, &d, info->dlpi_addr, (uintptr_t *)at,
				now, name) < 0)
				return 1;
		}
	}
	return 0;
}

/* Put back entries [from, ntable) that still hold our value. */
static int
restore_from(struct pass *p, int from)
{
	const struct link_map *m;
	uintptr_t start;
	int i, n = 0;

	for (i = ntable - 1; i >= from; i--) {
		struct gp_slot *e = &table[i];
		uintptr_t v = e->now;

		/* an object unloaded since, or another one in its place */
		if (load_bias_of(e->slot, &start, &m) == 0 ||
		    m->l_addr != e->bias)
			continue;
		if (__atomic_load_n(e->slot, __ATOMIC_ACQUIRE) != v)
			continue;
		if (e->relro && protect(p, (uintptr_t)e->slot, 1) != 0)
			continue;
		if (__atomic_compare_exchange_n(e->slot, &v, e->old, 0,
			__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			n++;
		if (e->relro)
			(void)protect(p, (uintptr_t)e->slot, 0);
	}
	ntable = from;
	return n;
}

int
gotpatch_apply(int *merr)
{
	struct pass p;
	int i, saved = errno;

	memset(&p, 0, sizeof(p));
	p.pagesz = sysconf(_SC_PAGESIZE);
	p.self.bias = resolve_self_bias();
	pthread_mutex_lock(&gp_lock);
	atomic_store(&armed, 1);
	p.first = ntable;
	dl_iterate_phdr(self_cb, &p.self);
	if (p.self.phdr != NULL)
		dl_iterate_phdr(patch_cb, &p);
	if (p.merr != 0) {
		(void)restore_from(&p, p.first);
		atomic_store(&armed, 0);
		pthread_mutex_unlock(&gp_lock);
		if (merr != NULL)
			*merr = p.merr;
		errno = saved;
		return -1;
	}
	/*
	 * A lazy binding that was resolving while we stored may have written
	 * the slot after us (_dl_fixup): store again where that happened.
	 */
	sched_yield();
	for (i = p.first; i < ntable; i++)
		if (__atomic_load_n(table[i].slot, __ATOMIC_ACQUIRE) !=
		    table[i].now)
			(void)store(&p, table[i].slot, table[i].now,
			    table[i].relro);
	pthread_mutex_unlock(&gp_lock);
	errno = saved;
	return p.patched;
}

int
gotpatch_restore(void)
{
	struct pass p;
	int n, saved = errno;

	memset(&p, 0, sizeof(p));
	p.pagesz = sysconf(_SC_PAGESIZE);
	pthread_mutex_lock(&gp_lock);
	atomic_store(&armed, 0);
	n = restore_from(&p, 0);
	pthread_mutex_unlock(&gp_lock);
	errno = saved;
	return n;
}

unsigned
gotpatch_count(void)
{
	unsigned n;

	pthread_mutex_lock(&gp_lock);
	n = (unsigned)ntable;
	pthread_mutex_unlock(&gp_lock);
	return n;
}

unsigned
gotpatch_foreign(void)
{
	return atomic_load(&foreign);
}

/*
 * What a patched dlopen slot calls: the C library's dlopen, then a pass
 * over the objects it loaded: the entry hooks first (an object that
 * carries its own OpenSSL gets its copy before any patched slot can
 * reach it), then the GOT slots.  Only objects without DT_RPATH and
 * DT_RUNPATH get this slot, because dlopen() searches the caller's paths
 * and the caller it sees is now us.
 */
static void *
gotpatch_dlopen(const char *file, int mode)
{
	void *h = dlopen(file, mode);
	int saved = errno;

	if (h != NULL && atomic_load(&armed)) {
		entryhook_loaded();
		(void)gotpatch_apply(NULL);
	}
	errno = saved;
	return h;
}
