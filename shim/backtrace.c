/*
 * backtrace.c: the unwinder on the failure path only.  We record
 * addresses and build-ids and symbolize nothing: names and file:line are
 * the analyzer's job, offline, as heaptrack does it.  (dladdr's symbol
 * lookup is a linear scan of the module's symbols, tens of thousands of
 * instructions a frame in a large library: not cheap enough here.)
 *
 * The unwinder is glibc's backtrace(), which is libgcc's
 * _Unwind_Backtrace (libgcc_s.so.1, the unwinder of C++ exceptions),
 * loaded by glibc at its first use: not at start-up, so a process that
 * never fails pays nothing for it.  Not libunwind: libunwind
 * 1.6.2 (Debian 12's libunwind8) opens a pipe in tdep_init() at its first
 * use and keeps it for the life of the process (src/x86_64/Ginit.c,
 * tdep_init_mem_validate -> open_pipe), and whenever DWARF fails on a
 * frame (code without CFI) it validates addresses by reading one byte
 * from that pipe and writing one into it (write_validate), re-opening
 * it after closing both numbers if the read fails.  A program that
 * closed and reused those numbers would have its own file read and
 * written, so closing the pipe after use is no fix.  libgcc's unwinder
 * opens nothing: it finds each frame's CFI through dl_iterate_phdr and
 * stops at the first frame that has none.
 */
#include "backtrace.h"

#include <elf.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <execinfo.h>
#include <unistd.h>

#include "../common/hex.h"

#define MAX_MODCACHE 32

static struct bt_module modcache[MAX_MODCACHE];
static int nmodcache;
static pthread_mutex_t modlock = PTHREAD_MUTEX_INITIALIZER;
static uintptr_t self_lo, self_hi;

struct find {
	uintptr_t ip;
	struct bt_module mi;
	int found;
};

static void
note_build_id(struct dl_phdr_info *info, const ElfW(Phdr) * ph, char *out)
{
	const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
	const char *end = p + ph->p_memsz;

	while (p + sizeof(ElfW(Nhdr)) <= end) {
		const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)(const void *)p;
		size_t name = (n->n_namesz + 3) & ~(size_t)3;
		size_t desc = (n->n_descsz + 3) & ~(size_t)3;
		const char *d = p + sizeof(*n) + name;

		if (d + n->n_descsz > end)
			return;
		if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
		    memcmp(p + sizeof(*n), "GNU", 4) == 0 &&
		    n->n_descsz <= 20) {
			hex_encode(out, (const unsigned char *)d, n->n_descsz,
			    0);
			return;
		}
		p = d + desc;
	}
}

/* dl_iterate_phdr callback: the module containing f->ip.  No loader calls. */
static int
find_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct find *f = arg;
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	int i, hit = 0;

	(void)size;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type != PT_LOAD)
			continue;
		if (a < lo)
			lo = a;
		if (a + ph->p_memsz > hi)
			hi = a + ph->p_memsz;
		if (f->ip >= a && f->ip < a + ph->p_memsz)
			hit = 1;
	}
	if (!hit)
		return 0;
	f->found = 1;
	f->mi.bias = info->dlpi_addr;
	f->mi.lo = lo;
	f->mi.hi = hi;
	f->mi.build_id[0] = '\0';
	f->mi.path_cut = snprintf(f->mi.path, sizeof(f->mi.path), "%s",
			     info->dlpi_name) >= (int)sizeof(f->mi.path);
	for (i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_NOTE &&
		    f->mi.build_id[0] == '\0')
			note_build_id(info, &info->dlpi_phdr[i],
			    f->mi.build_id);
	return 1;
}

/* Module of ip, cached; 0 if ip is in no loaded object. */
int
backtrace_module(uintptr_t ip, struct bt_module *out)
{
	struct find f;
	int i;

	pthread_mutex_lock(&modlock);
	for (i = 0; i < nmodcache; i++)
		if (ip >= modcache[i].lo && ip < modcache[i].hi) {
			*out = modcache[i];
			pthread_mutex_unlock(&modlock);
			return 1;
		}
	pthread_mutex_unlock(&modlock);

	memset(&f, 0, sizeof(f));
	f.ip = ip;
	dl_iterate_phdr(find_cb, &f);
	if (!f.found)
		return 0;
	if (f.mi.path[0] == '\0') { /* the main program */
		ssize_t n =
		    readlink("/proc/self/exe", f.mi.path, sizeof(f.mi.path));

		f.mi.path_cut = n == (ssize_t)sizeof(f.mi.path);
		if (f.mi.path_cut)
			n--;
		f.mi.path[n > 0 ? n : 0] = '\0';
	}
	pthread_mutex_lock(&modlock);
	if (nmodcache < MAX_MODCACHE)
		modcache[nmodcache++] = f.mi;
	pthread_mutex_unlock(&modlock);
	*out = f.mi;
	return 1;
}

static pthread_once_t warm_once = PTHREAD_ONCE_INIT;

/*
 * Where the shim's own frames are.  (glibc loads libgcc_s at the first
 * backtrace(), that is at the first failure: not in every process that
 * makes TLS calls.)
 */
static void
warm(void)
{
	int saved = errno;
	struct bt_module mi;

	if (backtrace_module((uintptr_t)backtrace_warmup, &mi)) {
		self_lo = mi.lo;
		self_hi = mi.hi;
	}
	errno = saved;
}

void
backtrace_warmup(void)
{
	pthread_once(&warm_once, warm);
}

static int
in_shim(uintptr_t ip)
{
	return ip >= self_lo && ip < self_hi;
}

int
backtrace_skip(void **ips, int n)
{
	int first;

	/* frames of whoever interposes backtrace() (ASan), then our own */
	for (first = 0; first < n && !in_shim((uintptr_t)ips[first]); first++)
		;
	if (first == n)
		first = 0;
	for (; first < n && in_shim((uintptr_t)ips[first]); first++)
		;
	return first;
}

void
backtrace_atfork_child(void)
{
	pthread_mutex_init(&modlock, NULL);
}
