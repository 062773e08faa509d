/*
 * entryhook.c: the official node binary links OpenSSL statically and
 * exports it (--export-dynamic), so its calls to SSL_read and the rest
 * are direct and a preload never sees them; so does a shared object
 * built from libssl.a with -Bsymbolic.  Here, before main() (or from
 * tlsdiag attach with every thread stopped, or after a dlopen under
 * attach), each such object's exported functions get a jump to our
 * wrapper at their entry, and their first instructions move to a
 * trampoline (reloc.c) that the object's copy (struct ossl, entry set)
 * calls as "the real function".  An object whose own calls go through
 * its GOT (its exports are preemptible) is left to the preload and to
 * gotpatch.c: one mechanism per call path.
 *
 * Zydis decodes the instructions.  It is opened with dlopen only in a
 * process where an object exports OpenSSL: every other process pays one
 * pass over the loaded objects, a look-up in each one's own symbol
 * table, and loads nothing more.  Zydis rather than Capstone: Debian
 * 12's Capstone (4.0) does not say where in an instruction its
 * displacement and immediate fields sit, which is exactly what
 * relocation must rewrite; Zydis reports both (raw.disp.offset,
 * raw.imm[].offset), and is made for this use.
 */
#include "entryhook.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../common/logformat.h"
#include "attach.h"
#include "elfsym.h"
#include "jsonw.h"
#include "reloc.h"
#include "shim.h"
#include "str.h"

/* One trampoline slot: jump pad to the wrapper, moved code, jump back. */
#define SLOT 128
#define JUMP_PAD 16
#define PAGE_SZ 4096
/* bytes patched at each entry: E9 rel32 to the slot's jump pad */
#define PATCH 5
/*
 * One more entry beyond the wrapped calls: in a Node-API host (node), the
 * executable's SSL_get_finished gets an observer that notes the SSL asked
 * about, so that node_napi.c can name the SSL of a socket node's
 * JavaScript gave up on (TLSWrap::GetFinished calls it with the socket's
 * SSL).
 */
#define EH_FINISHED CALL__COUNT
#define EH_NFN (CALL__COUNT + 1)

struct fn {
	uintptr_t addr;	 /* the function in the object, 0 if absent */
	uint8_t *slot;	 /* its trampoline slot, NULL if none */
	size_t moved;	 /* entry bytes moved to the slot */
	int hooked;	 /* the entry jumps to our wrapper */
	const char *why; /* when not hooked: a reason, static */
	char errbuf[48]; /* a reason built at run time */
};

/*
 * One object that defines SSL_read itself.  Filled by one pass (under
 * pass_busy), then published by eh.n: entryhook_sym() reads path, bias,
 * base, phdr and phnum of published entries without the lock.
 */
struct obj {
	char path[256];
	uintptr_t bias, base;
	const ElfW(Phdr) * phdr;
	size_t phnum;
	int exe; /* the executable */
	int hooked;
	struct fn fn[EH_NFN];
	struct ossl *copy; /* its copy, once added */
};

/*
 * Objects examined, at most EH_MAX (each hooked one is a copy, and
 * resolve.c holds 8); those past the bound are counted in over (as of
 * the last pass), never dropped silently.
 */
#define EH_MAX 8

static struct {
	struct obj obj[EH_MAX];
	_Atomic int n;
	int over;
	int passes;		 /* passes that examined the loaded objects */
	unsigned long long adds; /* the loader's load count at the last one */
} eh;

/*
 * Held by the pass running.  A flag rather than a mutex: the
 * constructor's pass is the only one in most processes, and binding
 * pthread_mutex_lock and _unlock through the PLT would cost it 1,600
 * instructions.  Passes are rare and short: a waiter yields.
 */
static atomic_flag pass_busy = ATOMIC_FLAG_INIT;

/* Where the observer of SSL_get_finished goes on (its trampoline). */
static size_t (*real_get_finished)(const SSL *, void *, size_t);
static _Thread_local const SSL *asked;
/* the executable's copy when its SSL_get_finished is observed */
static struct ossl *_Atomic asked_copy;

/* The observer: note s for entryhook_asked(), then run the original. */
static size_t
observe_get_finished(const SSL *s, void *buf, size_t count)
{
	asked = s;
	return real_get_finished(s, buf, count);
}

static const char *
fn_name(int k)
{
	return k == EH_FINISHED ? "SSL_get_finished" : classify_call_names[k];
}

/* Take pass_busy; 0, or -1 when it is held and wait is 0. */
static int
pass_lock(int wait)
{
	while (atomic_flag_test_and_set_explicit(&pass_busy,
	    memory_order_acquire)) {
		if (!wait)
			return -1;
		sched_yield();
	}
	return 0;
}

static void
pass_unlock(void)
{
	atomic_flag_clear_explicit(&pass_busy, memory_order_release);
}

void
entryhook_atfork_child(void)
{
	pass_unlock(); /* the thread that held it is gone */
}

/* What a pass does with an object it has not seen before. */
enum pass_mode {
	PASS_HOOK, /* examine and hook (constructor, attach) */
	PASS_LATE, /* after a dlopen: hook if no other thread runs, or list */
	PASS_LIST, /* examine, list with a reason, never patch */
};

/* The wrapped functions, by name, for the relocation test. */
static const char *const wrapped_names[] = {
#define X(ret, name, args) #name,
	OSSL_WRAPPED(X)
#undef X
	    NULL
};

/* A candidate found by one dl_iterate_phdr walk. */
#define CAND_MAX (EH_MAX + 8)
struct cand {
	struct dl_phdr_info info;
	int exe;
};

struct walk {
	struct cand c[CAND_MAX];
	int n, nseen, more;	 /* more: candidates past CAND_MAX */
	unsigned long long adds; /* dlpi_adds, 0 if not given */
	uintptr_t self_bias;
	struct dl_phdr_info self;
	int have_self;
};

/*
 * 1 if the object at name is one a pass never looks at: the C library,
 * the loader, the vDSO (no OpenSSL), a libssl or libcrypto (their
 * callers reach the wrappers through the GOT, the preload's or
 * gotpatch.c's).
 */
static int
skipped(const char *name)
{
	static const char *const stems[] = { "libc.so.", "ld-linux", "ld64.so.",
		"linux-vdso.so.", "linux-gate.so.", "libssl.", "libcrypto.",
		NULL };

	return str_base_starts(name, stems);
}

static int
walk_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct walk *w = arg;
	int exe = w->nseen++ == 0;

	if (exe && size >= offsetof(struct dl_phdr_info, dlpi_subs))
		w->adds = info->dlpi_adds;
	if (info->dlpi_addr == w->self_bias) {
		w->self = *info;
		w->have_self = 1;
		return 0;
	}
	/* the names first (libc, ld.so, libssl...: most objects of a
	 * process), then the bloom filter, then the full look-up */
	if (!exe &&
	    (info->dlpi_name == NULL || info->dlpi_name[0] == '\0' ||
		skipped(info->dlpi_name)))
		return 0;
	if (!elfsym_may_define(info->dlpi_addr, info->dlpi_phdr,
		info->dlpi_phnum, "SSL_read"))
		return 0;
	if (elfsym_lookup(info->dlpi_addr, info->dlpi_phdr, info->dlpi_phnum,
		"SSL_read", NULL) != 1)
		return 0;
	if (w->n == CAND_MAX) {
		w->more++;
		return 0;
	}
	w->c[w->n].info = *info;
	w->c[w->n++].exe = exe;
	return 0;
}

static void
set_why(struct fn *f, const char *why)
{
	if (f->why == NULL)
		f->why = why;
}

static void
set_why_errno(struct fn *f, const char *what, int e)
{
	str_cat(f->errbuf, sizeof(f->errbuf), what, ": ",
	    e == EACCES	    ? "EACCES" :
		e == EPERM  ? "EPERM" :
		e == ENOMEM ? "ENOMEM" :
			      "error",
	    STR_END);
	set_why(f, f->errbuf);
}

/* The protection of the PT_LOAD segment holding p; -1 if none. */
static int
seg_prot(const struct obj *ob, uintptr_t p, size_t len)
{
	size_t i;

	for (i = 0; i < ob->phnum; i++) {
		const ElfW(Phdr) *ph = &ob->phdr[i];
		uintptr_t a = ob->bias + ph->p_vaddr;

		if (ph->p_type != PT_LOAD || p < a || p - a >= ph->p_memsz)
			continue;
		if (len > ph->p_memsz - (p - a))
			return -1;
		return ((ph->p_flags & PF_R) ? PROT_READ : 0) |
		    ((ph->p_flags & PF_W) ? PROT_WRITE : 0) |
		    ((ph->p_flags & PF_X) ? PROT_EXEC : 0);
	}
	return -1;
}

/*
 * A private page within rel32 reach of [lo, hi): tried below the object
 * first (above it lies the brk heap), in 64 KiB steps, never over an
 * existing mapping.  NULL if none.
 */
static uint8_t *
near_page(uintptr_t lo, uintptr_t hi)
{
	const uintptr_t step = 0x10000, reach = 0x7ff00000;
	uintptr_t hint;
	void *p;
	int k, dir;

	for (dir = 0; dir < 2; dir++)
		for (k = 1; k <= 4096; k++) {
			if (dir == 0) {
				if ((lo & ~(step - 1)) <
				    (uintptr_t)k * step + 0x100000)
					break;
				hint = (lo & ~(step - 1)) - (uintptr_t)k * step;
			} else
				hint = ((hi + step - 1) & ~(step - 1)) +
				    (uintptr_t)k * step;
			if (hi - hint > reach && hint < lo)
				break;
			if (hint + PAGE_SZ - lo > reach && hint > lo)
				break;
			p = mmap((void *)hint, PAGE_SZ, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			    -1, 0);
			if (p == (void *)hint)
				return p;
			if (p != MAP_FAILED)
				munmap(p, PAGE_SZ); /* a kernel before 4.17 */
		}
	return NULL;
}

/* 1 if one of ips lies in [a, a + len). */
static int
ip_inside(const uintptr_t *ips, size_t n, uintptr_t a, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ips[i] >= a && ips[i] - a < len)
			return 1;
	return 0;
}

/*
 * Build f's trampoline in slot: a jump pad (an absolute jump to wrapper),
 * the moved entry, a jump back.  0, or -1 with f->why set.
 */
static int
build(const struct reloc_dis *d, struct fn *f, size_t size, uint8_t *slot,
    uintptr_t wrapper)
{
	uint8_t *code = slot + JUMP_PAD;
	size_t out = 0, avail = size != 0 ? size : 32;
	enum reloc_status st;

	reloc_jmp_abs(slot, wrapper);
	st = reloc_move(d, (const uint8_t *)f->addr, avail, f->addr, PATCH,
	    (uintptr_t)code, code, SLOT - JUMP_PAD - PATCH, &f->moved, &out);
	if (st == RELOC_OK && size != 0)
		st = reloc_check_body(d, (const uint8_t *)f->addr, size,
		    f->addr, f->moved);
	if (st == RELOC_OK &&
	    reloc_jmp32(code + out, (uintptr_t)code + out, f->addr + f->moved) <
		0)
		st = RELOC_FAR;
	if (st != RELOC_OK) {
		set_why(f, reloc_reason(st));
		return -1;
	}
	f->slot = slot;
	return 0;
}

/* Write the jump at f's entry, on its exact pages, and restore them. */
static void
patch(struct obj *ob, struct fn *f, const uintptr_t *ips, size_t nips)
{
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t lo, hi;
	uint8_t jmp[PATCH];
	int prot;

	if (ip_inside(ips, nips, f->addr, f->moved)) {
		set_why(f, "a thread is inside its first bytes");
		return;
	}
	prot = seg_prot(ob, f->addr, PATCH);
	if (prot < 0 || pg <= 0 ||
	    reloc_jmp32(jmp, f->addr, (uintptr_t)f->slot) < 0) {
		set_why(f, "entry not in one code segment");
		return;
	}
	lo = f->addr & ~((uintptr_t)pg - 1);
	hi = (f->addr + PATCH + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1);
	if (mprotect((void *)lo, hi - lo, PROT_READ | PROT_WRITE | PROT_EXEC) !=
	    0) {
		set_why_errno(f, "writable code refused", errno);
		return;
	}
	memcpy((void *)f->addr, jmp, PATCH);
	__builtin___clear_cache((char *)f->addr, (char *)f->addr + PATCH);
	if (mprotect((void *)lo, hi - lo, prot) != 0)
		shim_debug("'%s': cannot restore the protection of %s's page",
		    ob->path, "an entry");
	f->hooked = 1;
	ob->hooked++;
}

/*
 * Zydis, opened here only, once; 0, or -1 when it is not installed.
 * Called with pass_busy held.
 */
static int
open_zydis(struct reloc_dis *d)
{
	static void *h;

	if (h == NULL)
		h = dlopen("libZydis.so.4.0", RTLD_NOW | RTLD_LOCAL);
	if (h == NULL)
		return -1;
	*(void **)&d->init = dlsym(h, "ZydisDecoderInit");
	*(void **)&d->decode = dlsym(h, "ZydisDecoderDecodeFull");
	if (d->init == NULL || d->decode == NULL)
		return -1;
	return 0; /* kept open: the trampolines outlive nothing of it */
}

/*
 * The copy of object ob: the wrapped functions are the trampolines (the
 * original where none could be built: nothing reaches us there), the
 * helpers its own.  0, or -1 with the reason in missing.
 */
static char missing[64];

static int
make_copy(const struct obj *ob, struct ossl *o)
{
	void **fn[CALL__COUNT] = {
		(void **)&o->SSL_read,
		(void **)&o->SSL_read_ex,
		(void **)&o->SSL_peek,
		(void **)&o->SSL_peek_ex,
		(void **)&o->SSL_write,
		(void **)&o->SSL_write_ex,
		(void **)&o->SSL_do_handshake,
		(void **)&o->SSL_connect,
		(void **)&o->SSL_accept,
		(void **)&o->SSL_shutdown,
		(void **)&o->SSL_get_verify_result,
	};
	int k;

	memset(o, 0, sizeof(*o));
	missing[0] = '\0';
	o->base = ob->base;
	o->entry = 1;
	atomic_init(&o->ex_index, -1);
	atomic_init(&o->failure_path, 0);
	str_cat(o->path, sizeof(o->path), ob->path, STR_END);
	for (k = 0; k < CALL__COUNT; k++) {
		*fn[k] = ob->fn[k].slot != NULL ?
		    (void *)(ob->fn[k].slot + JUMP_PAD) :
		    (void *)ob->fn[k].addr;
		/* the handshake wrappers call these without a NULL check,
		 * as resolve.c's load_copy requires them */
		if (*fn[k] == NULL && k != CALL_SSL_READ_EX &&
		    k != CALL_SSL_PEEK && k != CALL_SSL_PEEK_EX &&
		    k != CALL_SSL_WRITE_EX) {
			str_cat(missing, sizeof(missing),
			    "function not exported: ", classify_call_names[k],
			    STR_END);
			return -1;
		}
	}
#define X(ret, name, args)                                                     \
	*(void **)&o->name = entryhook_sym(ob->base, #name);                   \
	if (o->name == NULL) {                                                 \
		str_cat(missing, sizeof(missing),                              \
		    "helper not exported: ", #name, STR_END);                  \
		return -1;                                                     \
	}
	OSSL_FIRST_CALL(X)
#undef X
#define X(ret, name, args) *(void **)&o->name = entryhook_sym(ob->base, #name);
	OSSL_FIRST_CALL_OPTIONAL(X)
#undef X
	resolve_copy_version(o);
	return 0;
}

void *
entryhook_sym(uintptr_t base, const char *name)
{
	int i, n = atomic_load_explicit(&eh.n, memory_order_acquire);
	uintptr_t a = 0;

	if (base == 0)
		return NULL;
	for (i = 0; i < n; i++) {
		const struct obj *ob = &eh.obj[i];

		if (ob->base != base)
			continue;
		if (elfsym_lookup(ob->bias, ob->phdr, ob->phnum, name, &a) != 1)
			return NULL;
		return (void *)a;
	}
	return NULL;
}

int
entryhook_hooked(void)
{
	int i, n = atomic_load_explicit(&eh.n, memory_order_acquire);

	for (i = 0; i < n; i++)
		if (eh.obj[i].exe)
			return eh.obj[i].hooked;
	return 0;
}

/* Every examined function of ob gets f->why "what" unless it has one. */
static void
refuse_all(struct obj *ob, const char *what)
{
	int k;

	for (k = 0; k < EH_NFN; k++)
		if (ob->fn[k].addr != 0)
			set_why(&ob->fn[k], what);
}

/*
 * Fill ob from candidate c: its exported functions (addr) and their
 * sizes (size).  0, or -1 when the loader does not know the object.
 */
static int
examine(struct obj *ob, const struct cand *c, size_t *size)
{
	struct dl_find_object o;
	int k;

	memset(ob, 0, sizeof(*ob));
	ob->bias = c->info.dlpi_addr;
	ob->phdr = c->info.dlpi_phdr;
	ob->phnum = c->info.dlpi_phnum;
	ob->exe = c->exe;
	for (k = 0; k < CALL__COUNT; k++)
		if (elfsym_lookup_size(ob->bias, ob->phdr, ob->phnum,
			classify_call_names[k], &ob->fn[k].addr, &size[k]) != 1)
			ob->fn[k].addr = 0;
	/* the observer serves the Node-API channel only (node_napi.c), in
	 * the executable of a Node-API host */
	if (!ob->exe ||
	    elfsym_lookup(ob->bias, ob->phdr, ob->phnum, "napi_create_function",
		NULL) != 1 ||
	    elfsym_lookup_size(ob->bias, ob->phdr, ob->phnum,
		fn_name(EH_FINISHED), &ob->fn[EH_FINISHED].addr,
		&size[EH_FINISHED]) != 1)
		ob->fn[EH_FINISHED].addr = 0;
	if (ob->fn[CALL_SSL_READ].addr == 0 ||
	    _dl_find_object((void *)ob->fn[CALL_SSL_READ].addr, &o) != 0)
		return -1;
	ob->base = (uintptr_t)o.dlfo_map_start;
	if (c->exe)
		str_cat(ob->path, sizeof(ob->path),
		    shim.exe[0] != '\0' ? shim.exe : program_invocation_name,
		    STR_END);
	else
		str_cat(ob->path, sizeof(ob->path), c->info.dlpi_name, STR_END);
	return 0;
}

/*
 * Why the entries of ob must not be patched although it exports
 * OpenSSL, or NULL when they may be.  The executable's own calls are
 * direct; a shared object's are direct only when it binds them to
 * itself (-Bsymbolic).  Otherwise they go through its GOT, where the
 * preload (or gotpatch.c) reaches them already, and a patched entry
 * would record each call twice.
 */
static const char *
got_bound(const struct obj *ob)
{
	int r;

	if (ob->exe)
		return NULL;
	r = elfsym_binds_locally(ob->bias, ob->phdr, ob->phnum, wrapped_names);
	if (r == 0)
		return "reached through the GOT: its own calls bind through it "
		       "(no -Bsymbolic)";
	return r < 0 ? "relocations unreadable" : NULL;
}

/*
 * A copy made for ob before this pass: calls reached it through the GOT
 * already, through that copy's real functions; patching now would send
 * them round again.  The reason, or NULL.
 */
static const char *
copied_before(const struct obj *ob)
{
	struct ossl *copies[16];
	int i, n = resolve_copies(copies, 16);

	for (i = 0; i < n; i++)
		if (copies[i]->base == ob->base)
			return "reached through the GOT: a copy was made for "
			       "it before its entries were examined";
	return NULL;
}

/*
 * Hook the examined object ob: trampolines on a page near it, its copy
 * for resolve.c, then the jumps at the entries, none where a thread of
 * ips[0..nips) stands.  Every refusal is noted in ob.
 */
static void
hook(struct obj *ob, const struct walk *wk, const size_t *size,
    const uintptr_t *ips, size_t nips)
{
	struct reloc_dis d;
	struct ossl copy;
	uintptr_t lo = UINTPTR_MAX, hi = 0, w;
	uint8_t *page;
	int k, n = 0;

	if (open_zydis(&d) < 0) {
		refuse_all(ob, "disassembler libZydis.so.4.0 not installed");
		return;
	}
	for (k = 0; k < EH_NFN; k++)
		if (ob->fn[k].addr != 0) {
			lo = ob->fn[k].addr < lo ? ob->fn[k].addr : lo;
			hi = ob->fn[k].addr > hi ? ob->fn[k].addr : hi;
		}
	page = near_page(lo, hi);
	if (page == NULL) {
		refuse_all(ob, "no page for trampolines within 2 GiB");
		return;
	}
	for (k = 0; k < EH_NFN; k++) {
		if (ob->fn[k].addr == 0)
			continue;
		if (k == EH_FINISHED)
			w = (uintptr_t)observe_get_finished;
		/* our wrapper, from our own table: a plain &SSL_read would
		 * bind to the executable's, which comes first */
		else if (elfsym_lookup(wk->self.dlpi_addr, wk->self.dlpi_phdr,
			     wk->self.dlpi_phnum, classify_call_names[k],
			     &w) != 1) {
			set_why(&ob->fn[k], "no wrapper");
			continue;
		}
		if (build(&d, &ob->fn[k], size[k], page + k * SLOT, w) == 0)
			n++;
	}
	if (n == 0 || mprotect(page, PAGE_SZ, PROT_READ | PROT_EXEC) != 0) {
		if (n != 0)
			refuse_all(ob, "executable trampoline page refused");
		munmap(page, PAGE_SZ);
		return;
	}
	if (make_copy(ob, &copy) < 0 ||
	    (ob->copy = resolve_add_copy(&copy)) == NULL) {
		refuse_all(ob,
		    missing[0] != '\0' ? missing : "too many copies");
		munmap(page, PAGE_SZ); /* nothing jumps there yet */
		for (k = 0; k < EH_NFN; k++)
			ob->fn[k].slot = NULL;
		return;
	}
	if (ob->fn[EH_FINISHED].slot != NULL) {
		*(void **)&real_get_finished =
		    ob->fn[EH_FINISHED].slot + JUMP_PAD;
		atomic_store(&asked_copy, ob->copy);
	}
	for (k = 0; k < EH_NFN; k++)
		if (ob->fn[k].slot != NULL)
			patch(ob, &ob->fn[k], ips, nips);
}

/* 1 if an object loaded at base was examined by an earlier pass. */
static int
known(uintptr_t bias)
{
	int i, n = atomic_load_explicit(&eh.n, memory_order_relaxed);

	for (i = 0; i < n; i++)
		if (eh.obj[i].bias == bias)
			return 1;
	return 0;
}

/*
 * Threads in this process, from /proc/self/status; 0 when it cannot be
 * read.  The descriptor is closed before returning.
 */
static int
threads(void)
{
	char buf[2048], *p;
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strstr(buf, "\nThreads:");
	return p != NULL ? atoi(p + 9) : 0;
}

static int
adds_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	if (size >= offsetof(struct dl_phdr_info, dlpi_subs))
		*(unsigned long long *)arg = info->dlpi_adds;
	return 1; /* the first object tells */
}

/*
 * How many objects the loader has loaded in this process so far
 * (dlpi_adds): unchanged since the last pass, no object is new.  0 if
 * the C library does not say.
 */
static unsigned long long
loader_adds(void)
{
	unsigned long long n = 0;

	dl_iterate_phdr(adds_cb, &n);
	return n;
}

/* How many objects the table takes: EH_MAX, less in fault builds. */
static int
bound(void)
{
#ifdef SHIM_FAULTS
	/* test builds only: the bound reached with two objects (t353) */
	const char *v = getenv("TLSDIAG_FAULT_ENTRY_OBJECTS");

	if (v != NULL && atoi(v) >= 0 && atoi(v) < EH_MAX)
		return atoi(v);
#endif
	return EH_MAX;
}

/* 1 if the walk found an object no earlier pass examined. */
static int
fresh(const struct walk *wk)
{
	int i;

	for (i = 0; i < wk->n; i++)
		if (!known(wk->c[i].info.dlpi_addr))
			return 1;
	return wk->more > 0;
}

/*
 * One pass over the loaded objects: each that defines SSL_read and was
 * not examined before is examined, then hooked (mode PASS_HOOK) or
 * listed with the reason late (PASS_LIST).  Takes pass_busy; with
 * PASS_LIST, only if it is free (at exit: never wait there).
 */
static void
pass(const uintptr_t *ips, size_t nips, enum pass_mode mode, const char *late)
{
	static struct walk wk; /* 1.3 KiB: kept off a host's small stacks */
	size_t size[EH_NFN];
	const char *why;
	struct obj *ob;
	int i, n, over = 0, max = bound();
	unsigned long long adds;

	if (pass_lock(mode != PASS_LIST) < 0)
		return;
	/* after the first pass, a walk only when something was loaded */
	if (eh.passes > 0) {
		adds = loader_adds();
		if (adds != 0 && adds == eh.adds)
			goto out;
	}
	memset(&wk, 0, sizeof(wk));
	wk.self_bias = resolve_self_bias();
	dl_iterate_phdr(walk_cb, &wk);
	if (!wk.have_self || wk.self_bias == 0)
		goto out;
	/*
	 * Not without the other threads' IPs: in a constructor, we were
	 * loaded into a running process (attach), whose caller passes
	 * them; after a dlopen, the new object is listed.  Asked only when
	 * there is something new to patch: reading /proc costs more than
	 * the whole pass.
	 */
	if (ips == NULL && mode != PASS_LIST && fresh(&wk) && threads() != 1) {
		if (mode == PASS_HOOK) {
			shim_debug("other threads run: entry hooks left to "
				   "the caller that stops them");
			goto out;
		}
		mode = PASS_LIST;
		late = "loaded while other threads ran: not patched";
	}
	eh.passes++;
	eh.adds = wk.adds;
	for (i = 0; i < wk.n; i++) {
		if (known(wk.c[i].info.dlpi_addr))
			continue;
		n = atomic_load_explicit(&eh.n, memory_order_relaxed);
		if (n >= max) {
			over++;
			continue;
		}
		ob = &eh.obj[n];
		if (examine(ob, &wk.c[i], size) < 0)
			continue;
		/* published before its copy can ask entryhook_sym() */
		atomic_store_explicit(&eh.n, n + 1, memory_order_release);
		why = got_bound(ob);
		if (why == NULL && mode == PASS_LIST)
			why = late;
		if (why == NULL)
			why = copied_before(ob);
		if (why != NULL)
			refuse_all(ob, why);
		else
			hook(ob, &wk, size, ips, nips);
		shim_debug("'%s': %d OpenSSL entry points hooked", ob->path,
		    ob->hooked);
	}
	/* the unlisted ones are still loaded: the last pass counts them */
	eh.over = over + wk.more;
out:
	pass_unlock();
}

int
entryhook_install(const uintptr_t *thread_ips, size_t nips)
{
	int saved = errno;

	if (shim.ready)
		pass(thread_ips, nips, PASS_HOOK, NULL);
	errno = saved;
	return entryhook_hooked();
}

void
entryhook_loaded(void)
{
	int saved = errno;

	if (shim.ready && eh.passes > 0)
		pass(NULL, 0, PASS_LATE, NULL);
	errno = saved;
}

/* One object of the exit record. */
static void
write_obj(struct jsonw *w, const struct obj *ob)
{
	int k;

	jsonw_obj(w, NULL);
	jsonw_str(w, LOGFORMAT_M_PATH, ob->path);
	jsonw_arr(w, LOGFORMAT_M_HOOKED);
	for (k = 0; k < EH_NFN; k++)
		if (ob->fn[k].hooked)
			jsonw_str(w, NULL, fn_name(k));
	jsonw_end(w);
	jsonw_arr(w, LOGFORMAT_M_NOT_HOOKED);
	for (k = 0; k < EH_NFN; k++) {
		if (ob->fn[k].hooked)
			continue;
		/* the observer is no entry point: absent, it goes unsaid */
		if (k == EH_FINISHED && ob->fn[k].addr == 0)
			continue;
		jsonw_obj(w, NULL);
		jsonw_str(w, LOGFORMAT_M_FUNCTION, fn_name(k));
		jsonw_str(w, LOGFORMAT_M_REASON,
		    ob->fn[k].addr == 0	      ? "not exported" :
			ob->fn[k].why != NULL ? ob->fn[k].why :
						"?");
		jsonw_end(w);
	}
	jsonw_end(w);
	jsonw_end(w);
}

void
entryhook_write(struct jsonw *w)
{
	int i, n, saved = errno;

	/* objects loaded since the last pass: listed, never patched here */
	if (eh.passes > 0)
		pass(NULL, 0, PASS_LIST,
		    attach_get != NULL ?
			"loaded after the attach by a dlopen not patched" :
			"loaded after start: LD_PRELOAD does not see dlopen");
	errno = saved;
	n = atomic_load_explicit(&eh.n, memory_order_acquire);
	if (n == 0)
		return;
	jsonw_arr(w, LOGFORMAT_M_ENTRY_HOOKS);
	for (i = 0; i < n; i++)
		write_obj(w, &eh.obj[i]);
	jsonw_end(w);
	if (eh.over > 0)
		jsonw_uint(w, LOGFORMAT_M_ENTRY_HOOKS_UNLISTED,
		    (unsigned long long)eh.over);
}

void
entryhook_asked_clear(void)
{
	asked = NULL;
}

struct ssl_st *
entryhook_asked(struct ossl **o)
{
	*o = atomic_load(&asked_copy);
	return *o != NULL ? (SSL *)asked : NULL;
}
