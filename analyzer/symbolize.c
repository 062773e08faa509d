/*
 * symbolize.c: turns (module, offset) frames recorded by the shim into
 * function and file:line, reading the modules' symbol tables and DWARF
 * (or their separate debug files) through libdw's offline mode.  Only the
 * top call sites of a report are symbolized, so sessions are cached per
 * module and never evicted, and so is each frame's answer: a report prints
 * the same frames in many stacks, and libdw's symbol lookup reads the
 * module's whole symbol table every time.  Module paths come from the
 * log, which is untrusted: only regular files outside /proc, /dev and
 * /sys are opened.
 */
#include "symbolize.h"

#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "debugfile.h"
#include "hugeheap.h"
#include "strmap.h"

struct sym_module {
	char *path;
	struct strmap memo; /* offset -> its struct sym_result */
	Dwfl *dwfl;	    /* NULL if the module could not be loaded */
	Dwfl_Module *mod;
	Dwarf_Addr base; /* dwfl address of the mapping's first byte */
	/*
	 * Where the DWARF was compressed (in the module or in its -dbg
	 * file): the file inflated in memory, read by libdw from there for
	 * lines; libdwfl keeps reading the file itself for symbols.  dw is
	 * NULL when libdwfl reads the DWARF too.
	 */
	struct debugfile_image img;
	Elf *img_elf;
	Dwarf *dw;
	char build_id[129]; /* hex, "" if none */
	struct sym_module *next;
};

struct symbolizer {
	struct sym_module *mods;
	unsigned long lookups;
	unsigned long remembered;
	size_t inflated; /* modules whose DWARF is read from an image */
};

static char *debuginfo_path;

static const Dwfl_Callbacks offline_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = debugfile_find,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

struct symbolizer *
symbolizer_new(void)
{
	return calloc(1, sizeof(struct symbolizer));
}

/* Forget m's inflated copy, if it has one. */
static void
drop_image(struct sym_module *m)
{
	if (m->dw != NULL)
		dwarf_end(m->dw);
	if (m->img_elf != NULL)
		elf_end(m->img_elf);
	debugfile_image_free(&m->img);
	m->dw = NULL;
	m->img_elf = NULL;
}

/* Does e have a section of that name? */
static int
has_section(Elf *e, const char *name)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	const char *n;
	size_t strndx;

	if (e == NULL || elf_getshdrstrndx(e, &strndx) != 0)
		return 0;
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		n = gelf_getshdr(scn, &sh) != NULL ?
		    elf_strptr(e, strndx, sh.sh_name) :
		    NULL;
		if (n != NULL && strcmp(n, name) == 0)
			return 1;
	}
	return 0;
}

/*
 * Read m's DWARF from the file at fd inflated, if debugfile_inflate_image()
 * makes an image of it and its units have address ranges (what a lookup
 * starts from): otherwise libdwfl reads it all as before.  Returns 1 if
 * so.
 */
static int
take_image(struct symbolizer *s, struct sym_module *m, int fd)
{
	Dwarf_Aranges *ar;
	size_t nar;

	if (debugfile_inflate_image(fd, &m->img) != 0)
		return 0;
	m->img_elf = elf_memory((char *)m->img.data, m->img.size);
	if (m->img_elf != NULL)
		m->dw = dwarf_begin_elf(m->img_elf, DWARF_C_READ, NULL);
	if (m->dw == NULL || dwarf_getaranges(m->dw, &ar, &nar) != 0 ||
	    nar == 0) {
		drop_image(m);
		return 0;
	}
	s->inflated++;
	return 1;
}

void
symbolizer_free(struct symbolizer *s)
{
	struct sym_module *m;
	struct sym_module *next;

	if (s == NULL)
		return;
	for (m = s->mods; m != NULL; m = next) {
		next = m->next;
		if (m->dwfl != NULL)
			dwfl_end(m->dwfl);
		drop_image(m);
		strmap_free(&m->memo);
		free(m->path);
		free(m);
	}
	free(s);
}

const char *
symbolize_status_name(enum sym_status st)
{
	switch (st) {
	case SYM_OK:
		return "ok";
	case SYM_NO_MODULE:
		return "module not found";
	case SYM_BUILD_ID_MISMATCH:
		return "build-id mismatch";
	case SYM_NOT_FOUND:
		return "no symbol";
	}
	return "?";
}

/*
 * The shim records offsets as ELF virtual addresses (the return address
 * minus the module's load bias), so where libdw put the module is all
 * that is needed, for PIE and non-PIE objects alike.
 */
static Dwarf_Addr
module_base(Dwfl_Module *mod)
{
	GElf_Addr bias;

	if (dwfl_module_getelf(mod, &bias) == NULL)
		return 0;
	return bias;
}

/* Is path in /proc, /dev or /sys (or one of them)? */
static int
in_pseudo_dir(const char *path)
{
	static const char *const dirs[] = { "/proc", "/dev", "/sys" };
	size_t i;
	size_t n;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		n = strlen(dirs[i]);
		if (strncmp(path, dirs[i], n) == 0 &&
		    (path[n] == '/' || path[n] == '\0'))
			return 1;
	}
	return 0;
}

/*
 * open(path) that refuses to pass through a /proc "magic link" such as
 * /proc/self/exe or /proc/PID/fd/N (realpath() reads those as if they were
 * plain symlinks).  Where openat2 is missing, a plain open.
 */
static int
open_no_magic(const char *path, int flags)
{
	struct open_how how;
	long fd;

	memset(&how, 0, sizeof(how));
	how.flags = (unsigned long long)flags;
	how.resolve = RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	if (fd == -1 && (errno == ENOSYS || errno == EPERM))
		return open(path, flags);
	return (int)fd;
}

/*
 * Open a module named by a log for reading, only if it is a regular file:
 * an absolute path that neither is nor resolves into /proc, /dev or /sys
 * (by symlinks or magic links), opened with O_NONBLOCK so that a FIFO or a
 * device cannot block the report, and checked with fstat (and fstatfs,
 * against a path swapped after realpath) before anything is read.
 * Returns the descriptor, or -1.
 */
static int
open_module(const char *path)
{
	struct stat st;
	struct statfs sfs;
	char *real;
	int fd;

	if (path[0] != '/' || in_pseudo_dir(path))
		return -1;
	real = realpath(path, NULL);
	if (real == NULL)
		return -1;
	if (in_pseudo_dir(real)) {
		free(real);
		return -1;
	}
	free(real);
	fd = open_no_magic(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    fstatfs(fd, &sfs) == -1 || sfs.f_type == PROC_SUPER_MAGIC ||
	    sfs.f_type == SYSFS_MAGIC) {
		close(fd);
		return -1;
	}
	return fd;
}

static struct sym_module *
load_module(struct symbolizer *s, const char *path)
{
	struct sym_module *m;
	const unsigned char *bits;
	GElf_Addr bias;
	GElf_Addr vaddr;
	int len;
	int fd;
	int ifd;
	int i;

	for (m = s->mods; m != NULL; m = m->next)
		if (strcmp(m->path, path) == 0)
			return m;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	m->path = strdup(path);
	if (m->path == NULL) {
		free(m);
		return NULL;
	}
	strmap_init(&m->memo, sizeof(struct sym_result));
	m->next = s->mods;
	s->mods = m;
	hugeheap_more(); /* libdw's tables land in huge pages */
	fd = open_module(path);
	if (fd == -1)
		return m;
	/* DWARF compressed in the module itself. */
	(void)take_image(s, m, fd);
	m->dwfl = dwfl_begin(&offline_callbacks);
	if (m->dwfl == NULL) {
		close(fd);
		return m;
	}
	/* On success libdw owns fd; on failure it is still ours. */
	m->mod = dwfl_report_offline(m->dwfl, path, path, fd);
	dwfl_report_end(m->dwfl, NULL, NULL);
	if (m->mod == NULL) {
		close(fd);
		dwfl_end(m->dwfl);
		m->dwfl = NULL;
		return m;
	}
	m->base = module_base(m->mod);
	len = dwfl_module_build_id(m->mod, &bits, &vaddr);
	for (i = 0; i < len && i < 64; i++)
		snprintf(m->build_id + 2 * i, 3, "%02x", bits[i]);
	/* Compressed in its -dbg file, found where debugfile_find() looks
	 * first (libdwfl finds the same file there for the symbols), when
	 * the module has none of its own (which libdwfl would read). */
	if (m->dw == NULL && len > 0 &&
	    !has_section(dwfl_module_getelf(m->mod, &bias), ".debug_info") &&
	    (ifd = debugfile_by_build_id(debugfile_build_id_root(), bits,
		 len)) != -1) {
		(void)take_image(s, m, ifd);
		close(ifd);
	}
	return m;
}

unsigned long
symbolizer_lookups(const struct symbolizer *s)
{
	return s->lookups;
}

unsigned long
symbolizer_remembered(const struct symbolizer *s)
{
	return s->remembered;
}

size_t
symbolizer_inflated(const struct symbolizer *s)
{
	return s->inflated;
}

size_t
symbolizer_modules(const struct symbolizer *s)
{
	const struct sym_module *m;
	size_t n = 0;

	for (m = s->mods; m != NULL; m = m->next)
		n++;
	return n;
}

void
symbolizer_preload(struct symbolizer *s, const char *module)
{
	struct sym_module *m = load_module(s, module);
	Dwarf_Addr bias;

	if (m == NULL || m->mod == NULL)
		return;
	(void)dwfl_module_getsymtab(m->mod);
	/* Any address: the first call reads the DWARF and the ranges (an
	 * image's were read when it was taken). */
	if (m->dw == NULL)
		(void)dwfl_module_addrdie(m->mod, m->base, &bias);
}

static int
same_build_id(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		if ((*a | 0x20) != (*b | 0x20))
			return 0;
	}
	return *a == *b;
}

/* What libdw says of offset in m, into out (cleared). */
static enum sym_status
lookup(struct sym_module *m, uint64_t offset, struct sym_result *out)
{
	Dwarf_Addr addr;
	Dwfl_Line *line;
	Dwarf_Line *dline;
	Dwarf_Die cu;
	const char *name;
	const char *file;
	int lineno = 0;

	addr = m->base + offset - 1;
	name = dwfl_module_addrname(m->mod, addr);
	if (m->dw != NULL) {
		/* The image's addresses are the file's: the offset. */
		dline = dwarf_addrdie(m->dw, offset - 1, &cu) != NULL ?
		    dwarf_getsrc_die(&cu, offset - 1) :
		    NULL;
		file = dline != NULL ? dwarf_linesrc(dline, NULL, NULL) : NULL;
		if (file != NULL && dwarf_lineno(dline, &lineno) != 0)
			lineno = 0;
	} else {
		line = dwfl_module_getsrc(m->mod, addr);
		file = line != NULL ?
		    dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL) :
		    NULL;
	}
	if (name == NULL && file == NULL) {
		out->status = SYM_NOT_FOUND;
		return out->status;
	}
	if (name != NULL)
		snprintf(out->function, sizeof(out->function), "%s", name);
	if (file != NULL) {
		snprintf(out->file, sizeof(out->file), "%s", file);
		out->line = lineno;
	}
	out->status = SYM_OK;
	return out->status;
}

enum sym_status
symbolize(struct symbolizer *s, const char *module, const char *build_id,
    uint64_t offset, struct sym_result *out)
{
	struct strmap_ent *memo;
	struct sym_module *m;
	int created;

	memset(out, 0, sizeof(*out));
	out->status = SYM_NO_MODULE;
	if (module == NULL || offset == 0)
		return out->status;
	s->lookups++;
	m = load_module(s, module);
	if (m == NULL || m->mod == NULL)
		return out->status;
	if (build_id != NULL && build_id[0] != '\0' && m->build_id[0] != '\0' &&
	    !same_build_id(build_id, m->build_id)) {
		out->status = SYM_BUILD_ID_MISMATCH;
		return out->status;
	}
	/* Without memory for it, looked up and not kept. */
	memo = strmap_get(&m->memo, &offset, sizeof(offset), &created);
	if (memo != NULL && !created) {
		s->remembered++;
		*out = *(const struct sym_result *)memo->val;
		return out->status;
	}
	out->status = lookup(m, offset, out);
	if (memo != NULL)
		*(struct sym_result *)memo->val = *out;
	return out->status;
}
