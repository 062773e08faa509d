/*
 * debugfile.c: the symbolizer's two costs before its first lookup, made
 * smaller (issue 17).  libdw's standard search for a debug file ends, for
 * every module that has none on the machine, in a dlopen of libdebuginfod
 * and its dozen dependencies (GnuTLS, Kerberos...) even when no server is
 * configured; and dwarf_begin inflates every compressed .debug_* section
 * with zlib, which for Debian's libc6-dbg is 10 MB before the first line
 * is looked up.  Here the search stays local unless DEBUGINFOD_URLS asks
 * for servers, and the DWARF sections a lookup reads are inflated with
 * libdeflate into an image in memory that libdw reads in place.
 */
#include "debugfile.h"

#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libdeflate.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where debugfile_find() looks by build-id. */
static const char *build_id_root = DEBUGFILE_ROOT;

const char *
debugfile_build_id_root(void)
{
	return build_id_root;
}

void
debugfile_set_build_id_root(const char *root)
{
	build_id_root = root != NULL ? root : DEBUGFILE_ROOT;
}

/* Is there a file at dir/name that is not the module itself? */
static int
exists_in(const char *dir, const char *name, const struct stat *self)
{
	char path[PATH_MAX];
	struct stat st;
	int n;

	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path) || stat(path, &st) == -1)
		return 0;
	return !(self != NULL && st.st_dev == self->st_dev &&
	    st.st_ino == self->st_ino);
}

/*
 * Could dwfl_standard_find_debuginfo's search by name find a file for a
 * module in directory dir?  A superset of the places it tries with the
 * default path ":.debug:/usr/lib/debug": dir, dir/.debug, and under
 * /usr/lib/debug every tail of dir (/usr/lib/debug/usr/bin, then
 * /usr/lib/debug/bin, then /usr/lib/debug) and .dwz.
 */
static int
candidate_in(const char *dir, char *const *names, size_t nnames,
    const struct stat *self)
{
	char sub[PATH_MAX];
	const char *tail;
	size_t i;
	int n;

	for (i = 0; i < nnames; i++) {
		if (exists_in(dir, names[i], self))
			return 1;
		n = snprintf(sub, sizeof(sub), "%s/.debug", dir);
		if (n > 0 && (size_t)n < sizeof(sub) &&
		    exists_in(sub, names[i], self))
			return 1;
		if (exists_in(DEBUGFILE_ROOT "/.dwz", names[i], self))
			return 1;
		for (tail = dir; tail != NULL; tail = strchr(tail + 1, '/')) {
			n = snprintf(sub, sizeof(sub), "%s%s", DEBUGFILE_ROOT,
			    tail);
			if (n > 0 && (size_t)n < sizeof(sub) &&
			    exists_in(sub, names[i], self))
				return 1;
		}
	}
	return 0;
}

/*
 * Might a search by name find a debug file for file_name: anything
 * under one of the names it tries, in one of the places it looks, for
 * the path as given and for the path its symlinks resolve to?
 */
static int
local_candidate(const char *file_name, const char *debuglink_file)
{
	char *names[4];
	char *paths[2];
	char *slash;
	struct stat self;
	const struct stat *selfp;
	size_t nnames = 0, i;
	int found = 0;

	if (file_name == NULL || file_name[0] != '/')
		return debuglink_file != NULL;
	selfp = stat(file_name, &self) == 0 ? &self : NULL;
	paths[0] = strdup(file_name);
	paths[1] = realpath(file_name, NULL);
	if (debuglink_file != NULL) {
		names[nnames++] = strdup(debuglink_file);
		slash = strrchr(debuglink_file, '/');
		if (slash != NULL)
			names[nnames++] = strdup(slash + 1);
	}
	slash = strrchr(file_name, '/');
	names[nnames++] = strdup(slash + 1);
	if (asprintf(&names[nnames], "%s.debug", slash + 1) == -1)
		names[nnames] = NULL;
	nnames++;
	for (i = 0; i < nnames; i++)
		if (names[i] == NULL)
			found = 1; /* out of memory: let libdw look */
	for (i = 0; i < 2 && !found; i++) {
		if (paths[i] == NULL)
			continue;
		slash = strrchr(paths[i], '/');
		*slash = '\0';
		found = candidate_in(paths[i], names, nnames, selfp);
	}
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(paths[0]);
	free(paths[1]);
	return found;
}

/* Does the user ask for debuginfod servers? */
static int
want_debuginfod(void)
{
	const char *urls = getenv("DEBUGINFOD_URLS");

	return urls != NULL && urls[0] != '\0';
}

/* Does the ELF file at fd carry build-id bits (len bytes)? */
static int
has_build_id(int fd, const unsigned char *bits, int len)
{
	const void *id;
	ssize_t n;
	Elf *e;

	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (e == NULL)
		return 0;
	n = dwelf_elf_gnu_build_id(e, &id);
	n = n == len && memcmp(id, bits, (size_t)len) == 0;
	elf_end(e);
	return (int)n;
}

int
debugfile_by_build_id(const char *root, const unsigned char *bits, int len)
{
	char path[PATH_MAX];
	size_t at;
	int fd;
	int i;

	if (len < 2 || len > 64)
		return -1;
	at = (size_t)snprintf(path, sizeof(path), "%s/.build-id/%02x/", root,
	    bits[0]);
	if (at + 2 * (size_t)len + sizeof(".debug") > sizeof(path))
		return -1;
	for (i = 1; i < len; i++, at += 2)
		snprintf(path + at, 3, "%02x", bits[i]);
	memcpy(path + at, ".debug", sizeof(".debug"));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd == -1)
		return -1;
	if (!has_build_id(fd, bits, len)) {
		close(fd);
		return -1;
	}
	return fd;
}

int
debugfile_find(Dwfl_Module *mod, void **userdata, const char *modname,
    Dwarf_Addr base, const char *file_name, const char *debuglink_file,
    GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	const unsigned char *bits;
	GElf_Addr vaddr;
	int len;
	int fd;

	/* By build-id first, as libdw would (the -dbg package's file). */
	len = dwfl_module_build_id(mod, &bits, &vaddr);
	fd = len > 0 ? debugfile_by_build_id(build_id_root, bits, len) : -1;
	if (fd != -1)
		return fd;
	if (want_debuginfod() || local_candidate(file_name, debuglink_file))
		return dwfl_standard_find_debuginfo(mod, userdata, modname,
		    base, file_name, debuglink_file, debuglink_crc,
		    debuginfo_file_name);
	errno = 0;
	return -1;
}

/*
 * Sections libdw inflates at dwarf_begin that finding a function and a
 * line never reads (variable locations, macros): stored as SHT_NOBITS in
 * the image, so nobody inflates them.
 */
static const char *const unread_sections[] = {
	".debug_loc",
	".debug_loclists",
	".debug_macinfo",
	".debug_macro",
};

static int
unread(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(unread_sections) / sizeof(unread_sections[0]);
	     i++)
		if (strcmp(name, unread_sections[i]) == 0)
			return 1;
	return 0;
}

/* What the image holds of one section. */
enum sec_fate {
	SEC_DROP,    /* SHT_NOBITS: no bytes (not DWARF, or never read) */
	SEC_COPY,    /* its bytes as they are */
	SEC_INFLATE, /* its zlib stream, inflated */
};

struct sec_plan {
	enum sec_fate fate;
	const unsigned char *src; /* bytes to copy, or the zlib stream */
	size_t srclen;
	uint64_t size; /* in the image */
	uint64_t align;
	uint64_t off; /* in the image */
};

/* off rounded up to a multiple of 16 */
static uint64_t
align16(uint64_t off)
{
	return (off + 15) & ~(uint64_t)15;
}

/*
 * Plan the image of e (a 64-bit ELF file of fsize bytes at map, shnum
 * sections): its section name table and its DWARF sections, each
 * compressed one inflated, after the ELF header; then the section header
 * table.  Everything else (code, data, symbols, program headers) stays
 * out: libdw reads only these.  Fills p[] and *total (the image's size).
 * Returns how many sections are inflated, or -1 if one is not zlib, lies
 * outside the file, or the image would be too large, or if the file keeps
 * part of its DWARF in another (dwz's .gnu_debugaltlink: the image could
 * not hold it).
 */
static ssize_t
plan_image(Elf *e, const unsigned char *map, size_t fsize, size_t shnum,
    struct sec_plan *p, uint64_t *total)
{
	Elf64_Shdr *sh;
	GElf_Chdr ch;
	Elf_Scn *scn;
	const char *name;
	size_t shstrndx, i;
	ssize_t ninflate = 0;
	uint64_t at = align16(sizeof(Elf64_Ehdr));

	if (elf_getshdrstrndx(e, &shstrndx) != 0 || shstrndx >= shnum)
		return -1;
	memset(p, 0, shnum * sizeof(*p));
	for (i = 1; i < shnum; i++) {
		scn = elf_getscn(e, i);
		sh = scn != NULL ? elf64_getshdr(scn) : NULL;
		if (sh == NULL)
			return -1;
		name = elf_strptr(e, shstrndx, sh->sh_name);
		/* Part of its DWARF in a dwz file, which libdwfl finds. */
		if (name != NULL && strcmp(name, ".gnu_debugaltlink") == 0)
			return -1;
		if (sh->sh_type == SHT_NOBITS ||
		    (i != shstrndx &&
			(name == NULL || strncmp(name, ".debug_", 7) != 0 ||
			    unread(name))))
			continue; /* SEC_DROP */
		if (sh->sh_offset > fsize ||
		    sh->sh_size > fsize - sh->sh_offset)
			return -1;
		p[i].src = map + sh->sh_offset;
		p[i].srclen = sh->sh_size;
		p[i].fate = SEC_COPY;
		p[i].size = sh->sh_size;
		p[i].align = sh->sh_addralign;
		if (sh->sh_flags & SHF_COMPRESSED) {
			if (i == shstrndx || sh->sh_size < sizeof(Elf64_Chdr) ||
			    gelf_getchdr(scn, &ch) == NULL ||
			    ch.ch_type != ELFCOMPRESS_ZLIB)
				return -1;
			p[i].fate = SEC_INFLATE;
			p[i].src += sizeof(Elf64_Chdr);
			p[i].srclen -= sizeof(Elf64_Chdr);
			p[i].size = ch.ch_size;
			p[i].align = ch.ch_addralign;
			ninflate++;
		}
		at = align16(at);
		p[i].off = at;
		if (p[i].size > DEBUGFILE_MAX_INFLATED - at)
			return -1;
		at += p[i].size;
	}
	at = align16(at);
	if (shnum > (DEBUGFILE_MAX_INFLATED - at) / sizeof(Elf64_Shdr))
		return -1;
	*total = at + shnum * sizeof(Elf64_Shdr);
	return ninflate;
}

/*
 * Fill out (total bytes) with the image p plans of e: the sections, the
 * section headers pointing at them (dropped ones SHT_NOBITS), the ELF
 * header pointing at those, without program headers.  In the file's own
 * byte order.  Returns 0 or -1 (a section does not inflate to its size).
 */
static int
fill_image(unsigned char *out, uint64_t total, Elf *e, size_t shnum,
    const struct sec_plan *p)
{
	struct libdeflate_decompressor *d;
	Elf64_Ehdr eh;
	Elf64_Shdr *shdrs;
	Elf64_Shdr *sh;
	Elf_Data src, dst;
	uint64_t at = total - shnum * sizeof(Elf64_Shdr);
	size_t i;
	int rc = -1;

	d = libdeflate_alloc_decompressor();
	shdrs = calloc(shnum, sizeof(*shdrs));
	if (d == NULL || shdrs == NULL || elf64_getehdr(e) == NULL)
		goto out;
	eh = *elf64_getehdr(e);
	for (i = 0; i < shnum; i++) {
		sh = elf64_getshdr(elf_getscn(e, i));
		if (sh == NULL)
			goto out;
		shdrs[i] = *sh;
		if (i == 0)
			continue;
		sh = &shdrs[i];
		switch (p[i].fate) {
		case SEC_DROP:
			sh->sh_type = SHT_NOBITS;
			sh->sh_offset = 0;
			break;
		case SEC_INFLATE:
			if (libdeflate_zlib_decompress(d, p[i].src, p[i].srclen,
				out + p[i].off, p[i].size,
				NULL) != LIBDEFLATE_SUCCESS)
				goto out;
			sh->sh_flags &= ~(Elf64_Xword)SHF_COMPRESSED;
			sh->sh_size = p[i].size;
			sh->sh_addralign = p[i].align;
			sh->sh_offset = p[i].off;
			break;
		case SEC_COPY:
			memcpy(out + p[i].off, p[i].src, p[i].size);
			sh->sh_offset = p[i].off;
			break;
		}
	}
	/* The headers, converted to the file's byte order into place. */
	src = (Elf_Data){ .d_buf = shdrs,
		.d_type = ELF_T_SHDR,
		.d_size = shnum * sizeof(*shdrs),
		.d_version = EV_CURRENT };
	dst = src;
	dst.d_buf = out + at;
	if (elf64_xlatetof(&dst, &src, eh.e_ident[EI_DATA]) == NULL)
		goto out;
	eh.e_shoff = at;
	eh.e_phoff = 0;
	eh.e_phnum = 0;
	src = (Elf_Data){ .d_buf = &eh,
		.d_type = ELF_T_EHDR,
		.d_size = sizeof(eh),
		.d_version = EV_CURRENT };
	dst = src;
	dst.d_buf = out;
	if (elf64_xlatetof(&dst, &src, eh.e_ident[EI_DATA]) == NULL)
		goto out;
	rc = 0;
out:
	free(shdrs);
	libdeflate_free_decompressor(d);
	return rc;
}

/* Huge pages: a fault per 2 MiB, not per 4 KiB, where the kernel can. */
#define DEBUGFILE_HUGE (2u << 20)

int
debugfile_inflate_image(int fd, struct debugfile_image *img)
{
	struct sec_plan *p = NULL;
	struct stat st;
	uint64_t total;
	Elf *e = NULL;
	GElf_Ehdr ehm;
	unsigned char *map;
	void *buf = MAP_FAILED;
	unsigned char *out;
	size_t size, shnum, buflen = 0;

	memset(img, 0, sizeof(*img));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size < (off_t)sizeof(Elf64_Ehdr) ||
	    (uint64_t)st.st_size > DEBUGFILE_MAX_INFLATED)
		return -1;
	size = (size_t)st.st_size;
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	/* Not a relocatable object: libdw would relocate its DWARF with
	 * the symbols and relocations the image leaves out. */
	if (e == NULL || elf_kind(e) != ELF_K_ELF ||
	    gelf_getclass(e) != ELFCLASS64 || gelf_getehdr(e, &ehm) == NULL ||
	    ehm.e_type == ET_REL || elf_getshdrnum(e, &shnum) != 0 ||
	    shnum == 0 || shnum > DEBUGFILE_MAX_INFLATED / sizeof(Elf64_Shdr))
		goto fail;
	map = (unsigned char *)elf_rawfile(e, NULL);
	p = calloc(shnum, sizeof(*p));
	if (map == NULL || p == NULL ||
	    plan_image(e, map, size, shnum, p, &total) <= 0)
		goto fail;
	buflen = (size_t)total + DEBUGFILE_HUGE;
	buf = mmap(NULL, buflen, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		goto fail;
	out = (unsigned char *)(((uintptr_t)buf + DEBUGFILE_HUGE - 1) &
	    ~(uintptr_t)(DEBUGFILE_HUGE - 1));
	(void)madvise(out, (size_t)total, MADV_HUGEPAGE);
	if (fill_image(out, total, e, shnum, p) != 0)
		goto fail;
	free(p);
	elf_end(e);
	img->map = buf;
	img->maplen = buflen;
	img->data = out;
	img->size = (size_t)total;
	return 0;
fail:
	if (buf != MAP_FAILED)
		munmap(buf, buflen);
	free(p);
	elf_end(e);
	return -1;
}

void
debugfile_image_free(struct debugfile_image *img)
{
	if (img->map != NULL)
		munmap(img->map, img->maplen);
	memset(img, 0, sizeof(*img));
}
