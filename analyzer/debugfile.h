/* debugfile.h: where libdw finds a module's debug information, read fast. */
#ifndef TLSDIAG_DEBUGFILE_H
#define TLSDIAG_DEBUGFILE_H

#include <elfutils/libdwfl.h>

/* Where libdw's default debuginfo path looks, besides the module's dir. */
#define DEBUGFILE_ROOT "/usr/lib/debug"

/*
 * A libdwfl find_debuginfo callback.  With DEBUGINFOD_URLS set (and not
 * empty) it is dwfl_standard_find_debuginfo, debuginfod servers included.
 * Either way it looks by build-id under /usr/lib/debug/.build-id first
 * and returns a file found there as it is.
 * Without DEBUGINFOD_URLS, the search by .gnu_debuglink name (beside the
 * module, in its .debug directory, under /usr/lib/debug) is left to libdw
 * only when a file of that name exists in one of those places, so that
 * libdebuginfod and its dozen dependencies are not loaded for nothing.
 * Returns a descriptor libdw owns, or -1.
 */
int debugfile_find(Dwfl_Module *mod, void **userdata, const char *modname,
    Dwarf_Addr base, const char *file_name, const char *debuglink_file,
    GElf_Word debuglink_crc, char **debuginfo_file_name);

/*
 * Where debugfile_find() and the symbolizer look by build-id:
 * DEBUGFILE_ROOT unless set (tests set a directory of their own; NULL
 * sets it back).
 */
const char *debugfile_build_id_root(void);
void debugfile_set_build_id_root(const char *root);

/*
 * Open root/.build-id/xx/yyyy.debug for the build-id bits (len bytes),
 * the place Debian's -dbg packages install to, if the file there carries
 * that build-id.  Returns the descriptor, or -1.
 */
int debugfile_by_build_id(const char *root, const unsigned char *bits, int len);

/* Most bytes debugfile_inflate_image() inflates for one file. */
#define DEBUGFILE_MAX_INFLATED (512u << 20)

/* An ELF file with its compressed sections inflated, in memory. */
struct debugfile_image {
	unsigned char *data; /* the file: give it to elf_memory() */
	size_t size;
	void *map; /* the mapping data lies in */
	size_t maplen;
};

/*
 * If the ELF file at fd (64-bit, not relocatable) has zlib-compressed
 * sections (SHF_COMPRESSED, as Debian's -dbg packages ship them), an
 * image of it in *img for libdw (elf_memory(), dwarf_begin_elf()): every
 * section header, but the bytes only of the section names and the DWARF
 * sections, each compressed one inflated; the rest (code, symbols,
 * program headers) and the sections a lookup never reads (locations,
 * macros) are SHT_NOBITS there.  libdw then reads the sections in place
 * instead of inflating all of them with zlib at dwarf_begin (libdeflate
 * does it in a quarter of the time).  Returns 0 (free it with
 * debugfile_image_free()), or -1 when there is nothing to inflate, the
 * file is not such an ELF file, it keeps part of its DWARF in another (a
 * dwz file), a section does not inflate to its stated size, or more than
 * DEBUGFILE_MAX_INFLATED bytes would be needed; fd is left open and
 * unmoved.
 */
int debugfile_inflate_image(int fd, struct debugfile_image *img);

/* Unmap an image (and clear it); a cleared one is left alone. */
void debugfile_image_free(struct debugfile_image *img);

#endif
