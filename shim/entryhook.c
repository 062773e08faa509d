/*
 * entryhook.c: the official node binary links OpenSSL statically and
 * exports it (--export-dynamic), so its calls to SSL_read and the rest
 * are direct and a preload never sees them.  Here, once, before main()
 * (or from tlsdiag attach with every thread stopped), each such exported
 * function gets a jump to our wrapper at its entry, and its first
 * instructions move to a trampoline (reloc.c) that the executable's copy
 * (struct ossl, entry set) calls as "the real function".
 *
 * Zydis decodes the instructions.  It is opened with dlopen only in a
 * process whose executable exports OpenSSL: every other process pays one
 * look-up in the executable's own symbol table and loads nothing more.
 * Zydis rather than Capstone: Debian 12's Capstone (4.0) does not say
 * where in an instruction its displacement and immediate fields sit,
 * which is exactly what relocation must rewrite; Zydis reports both
 * (raw.disp.offset, raw.imm[].offset), and is made for this use.
 */
#include "entryhook.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../common/logformat.h"
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
 * One more entry beyond the wrapped calls: in a Node-API host (node), its
 * SSL_get_finished gets an observer that notes the SSL asked about, so
 * that node_napi.c can name the SSL of a socket node's JavaScript gave
 * up on (TLSWrap::GetFinished calls it with the socket's SSL).
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

static struct {
	int examined; /* an object exported OpenSSL: a report is due */
	char path[256];
	uintptr_t bias, base;
	const ElfW(Phdr) * phdr;
	size_t phnum;
	int hooked;
	struct fn fn[EH_NFN];
	struct ossl *copy; /* the executable's copy, once added */
} eh;

/* Where the observer of SSL_get_finished goes on (its trampoline). */
static size_t (*real_get_finished)(const SSL *, void *, size_t);
static _Thread_local const SSL *asked;

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

/* The executable as dl_iterate_phdr reports it, and ourselves. */
struct find {
	struct dl_phdr_info exe, self;
	uintptr_t self_bias;
	int nseen, have_self;
};

static int
find_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct find *f = arg;

	(void)size;
	if (f->nseen++ == 0)
		f->exe = *info;
	if (info->dlpi_addr == f->self_bias) {
		f->self = *info;
		f->have_self = 1;
	}
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
seg_prot(uintptr_t p, size_t len)
{
	size_t i;

	for (i = 0; i < eh.phnum; i++) {
		const ElfW(Phdr) *ph = &eh.phdr[i];
		uintptr_t a = eh.bias + ph->p_vaddr;

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
patch(struct fn *f, const uintptr_t *ips, size_t nips)
{
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t lo, hi;
	uint8_t jmp[PATCH];
	int prot;

	if (ip_inside(ips, nips, f->addr, f->moved)) {
		set_why(f, "a thread is inside its first bytes");
		return;
	}
	prot = seg_prot(f->addr, PATCH);
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
		    eh.path, "an entry");
	f->hooked = 1;
	eh.hooked++;
}

/* Zydis, opened here only; 0, or -1 when it is not installed. */
static int
open_zydis(struct reloc_dis *d)
{
	void *h = dlopen("libZydis.so.4.0", RTLD_NOW | RTLD_LOCAL);

	if (h == NULL)
		return -1;
	*(void **)&d->init = dlsym(h, "ZydisDecoderInit");
	*(void **)&d->decode = dlsym(h, "ZydisDecoderDecodeFull");
	if (d->init == NULL || d->decode == NULL) {
		dlclose(h);
		return -1;
	}
	return 0; /* kept open: the trampolines outlive nothing of it */
}

/*
 * The copy of the executable: the wrapped functions are the trampolines
 * (the original where none could be built: nothing reaches us there),
 * the helpers its own.  0, or -1 when a helper is missing.
 */
static char missing[64];

static int
make_copy(struct ossl *o)
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
	o->base = eh.base;
	o->entry = 1;
	atomic_init(&o->ex_index, -1);
	atomic_init(&o->failure_path, 0);
	str_cat(o->path, sizeof(o->path), eh.path, STR_END);
	for (k = 0; k < CALL__COUNT; k++) {
		*fn[k] = eh.fn[k].slot != NULL ?
		    (void *)(eh.fn[k].slot + JUMP_PAD) :
		    (void *)eh.fn[k].addr;
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
	*(void **)&o->name = entryhook_sym(eh.base, #name);                    \
	if (o->name == NULL) {                                                 \
		str_cat(missing, sizeof(missing),                              \
		    "helper not exported: ", #name, STR_END);                  \
		return -1;                                                     \
	}
	OSSL_FIRST_CALL(X)
#undef X
#define X(ret, name, args) *(void **)&o->name = entryhook_sym(eh.base, #name);
	OSSL_FIRST_CALL_OPTIONAL(X)
#undef X
	resolve_copy_version(o);
	return 0;
}

void *
entryhook_sym(uintptr_t base, const char *name)
{
	uintptr_t a = 0;

	if (base == 0 || base != eh.base ||
	    elfsym_lookup(eh.bias, eh.phdr, eh.phnum, name, &a) != 1)
		return NULL;
	return (void *)a;
}

int
entryhook_hooked(void)
{
	return eh.hooked;
}

/*
 * The executable's exported functions (addr, size) into eh.fn; 1 if it
 * exports SSL_read, which makes it a candidate.
 */
static int
examine(const struct dl_phdr_info *exe, size_t *size)
{
	struct dl_find_object o;
	int k, r;

	eh.bias = exe->dlpi_addr;
	eh.phdr = exe->dlpi_phdr;
	eh.phnum = exe->dlpi_phnum;
	for (k = 0; k < CALL__COUNT; k++) {
		r = elfsym_lookup_size(eh.bias, eh.phdr, eh.phnum,
		    classify_call_names[k], &eh.fn[k].addr, &size[k]);
		if (r != 1)
			eh.fn[k].addr = 0;
		if (k == CALL_SSL_READ && r != 1)
			return 0;
	}
	/* the observer serves the Node-API channel only (node_napi.c) */
	if (elfsym_lookup(eh.bias, eh.phdr, eh.phnum, "napi_create_function",
		NULL) != 1 ||
	    elfsym_lookup_size(eh.bias, eh.phdr, eh.phnum, fn_name(EH_FINISHED),
		&eh.fn[EH_FINISHED].addr, &size[EH_FINISHED]) != 1)
		eh.fn[EH_FINISHED].addr = 0;
	if (_dl_find_object((void *)eh.fn[CALL_SSL_READ].addr, &o) != 0)
		return 0;
	eh.base = (uintptr_t)o.dlfo_map_start;
	str_cat(eh.path, sizeof(eh.path),
	    shim.exe[0] != '\0' ? shim.exe : program_invocation_name, STR_END);
	return 1;
}

/* Every examined function gets f->why "what" unless it has one. */
static void
refuse_all(const char *what)
{
	int k;

	for (k = 0; k < EH_NFN; k++)
		if (eh.fn[k].addr != 0)
			set_why(&eh.fn[k], what);
}

/*
 * 1 unless the executable, found from the auxiliary vector, is known not
 * to define SSL_read: the common case costs one look-up in its table and
 * no loader call (dl_iterate_phdr, _dl_find_object: their first calls
 * bind through the PLT, some 2,000 instructions in every process).
 */
static int
maybe_candidate(void)
{
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)getauxval(AT_PHDR);
	size_t i, n = getauxval(AT_PHNUM);

	if (ph == NULL || n == 0)
		return 1;
	for (i = 0; i < n; i++)
		if (ph[i].p_type == PT_PHDR)
			return elfsym_lookup((uintptr_t)ph - ph[i].p_vaddr, ph,
				   n, "SSL_read", NULL) != 0;
	return 1;
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

int
entryhook_install(const uintptr_t *thread_ips, size_t nips)
{
	static pthread_mutex_t once = PTHREAD_MUTEX_INITIALIZER;
	struct find f;
	struct reloc_dis d;
	struct ossl copy;
	size_t size[EH_NFN];
	uintptr_t lo = UINTPTR_MAX, hi = 0, w;
	uint8_t *page;
	int k, saved = errno, n = 0;

	if (!shim.ready || !maybe_candidate()) {
		errno = saved;
		return eh.hooked;
	}
	/* loaded into a running process (attach): not without their IPs */
	if (thread_ips == NULL && threads() != 1) {
		shim_debug("other threads run: entry hooks left to the caller "
			   "that stops them");
		errno = saved;
		return eh.hooked;
	}
	pthread_mutex_lock(&once);
	if (eh.examined)
		goto out;
	memset(&f, 0, sizeof(f));
	f.self_bias = resolve_self_bias();
	dl_iterate_phdr(find_cb, &f);
	/* a libssl.so is reached through the GOT: never patched here */
	if (f.nseen == 0 || !f.have_self || f.exe.dlpi_addr == f.self_bias ||
	    !examine(&f.exe, size))
		goto out;
	eh.examined = 1;
	if (open_zydis(&d) < 0) {
		refuse_all("disassembler libZydis.so.4.0 not installed");
		goto out;
	}
	for (k = 0; k < EH_NFN; k++)
		if (eh.fn[k].addr != 0) {
			lo = eh.fn[k].addr < lo ? eh.fn[k].addr : lo;
			hi = eh.fn[k].addr > hi ? eh.fn[k].addr : hi;
		}
	page = near_page(lo, hi);
	if (page == NULL) {
		refuse_all("no page for trampolines within 2 GiB");
		goto out;
	}
	for (k = 0; k < EH_NFN; k++) {
		if (eh.fn[k].addr == 0)
			continue;
		if (k == EH_FINISHED)
			w = (uintptr_t)observe_get_finished;
		/* our wrapper, from our own table: a plain &SSL_read would
		 * bind to the executable's, which comes first */
		else if (elfsym_lookup(f.self.dlpi_addr, f.self.dlpi_phdr,
			     f.self.dlpi_phnum, classify_call_names[k],
			     &w) != 1) {
			set_why(&eh.fn[k], "no wrapper");
			continue;
		}
		if (build(&d, &eh.fn[k], size[k], page + k * SLOT, w) == 0)
			n++;
	}
	if (n == 0 || mprotect(page, PAGE_SZ, PROT_READ | PROT_EXEC) != 0) {
		if (n != 0)
			refuse_all("executable trampoline page refused");
		munmap(page, PAGE_SZ);
		goto out;
	}
	if (make_copy(&copy) < 0 ||
	    (eh.copy = resolve_add_copy(&copy)) == NULL) {
		refuse_all(missing[0] != '\0' ? missing : "too many copies");
		munmap(page, PAGE_SZ); /* nothing jumps there yet */
		for (k = 0; k < EH_NFN; k++)
			eh.fn[k].slot = NULL;
		goto out;
	}
	if (eh.fn[EH_FINISHED].slot != NULL)
		*(void **)&real_get_finished =
		    eh.fn[EH_FINISHED].slot + JUMP_PAD;
	for (k = 0; k < EH_NFN; k++)
		if (eh.fn[k].slot != NULL)
			patch(&eh.fn[k], thread_ips, nips);
out:
	if (eh.examined)
		shim_debug("'%s': %d OpenSSL entry points hooked", eh.path,
		    eh.hooked);
	pthread_mutex_unlock(&once);
	errno = saved;
	return eh.hooked;
}

void
entryhook_write(struct jsonw *w)
{
	int k;

	if (!eh.examined)
		return;
	jsonw_arr(w, LOGFORMAT_M_ENTRY_HOOKS);
	jsonw_obj(w, NULL);
	jsonw_str(w, LOGFORMAT_M_PATH, eh.path);
	jsonw_arr(w, LOGFORMAT_M_HOOKED);
	for (k = 0; k < EH_NFN; k++)
		if (eh.fn[k].hooked)
			jsonw_str(w, NULL, fn_name(k));
	jsonw_end(w);
	jsonw_arr(w, LOGFORMAT_M_NOT_HOOKED);
	for (k = 0; k < EH_NFN; k++) {
		if (eh.fn[k].hooked)
			continue;
		/* the observer is no entry point: absent, it goes unsaid */
		if (k == EH_FINISHED && eh.fn[k].addr == 0)
			continue;
		jsonw_obj(w, NULL);
		jsonw_str(w, LOGFORMAT_M_FUNCTION, fn_name(k));
		jsonw_str(w, LOGFORMAT_M_REASON,
		    eh.fn[k].addr == 0	     ? "not exported" :
			eh.fn[k].why != NULL ? eh.fn[k].why :
					       "?");
		jsonw_end(w);
	}
	jsonw_end(w);
	jsonw_end(w);
	jsonw_end(w);
}

void
entryhook_asked_clear(void)
{
	asked = NULL;
}

struct ssl_st *
entryhook_asked(struct ossl **o)
{
	*o = eh.copy;
	return eh.copy != NULL ? (SSL *)asked : NULL;
}
