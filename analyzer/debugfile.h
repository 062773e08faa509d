/* debugfile.h: where libdw finds a module's debug information, read fast. */
#ifndef TLSDIAG_DEBUGFILE_H
#define TLSDIAG_DEBUGFILE_H

#include <elfutils/libdwfl.h>

/*
 * A libdwfl find_debuginfo callback.  With DEBUGINFOD_URLS set (and not
 * empty) it is dwfl_standard_find_debuginfo, debuginfod servers included.
 * Either way it looks by build-id under /usr/lib/debug/.build-id first
 * and returns a file found there as debugfile_inflate() makes it.
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
 * Open root/.build-id/xx/yyyy.debug for the build-id bits (len bytes),
 * the place Debian's -dbg packages install to, if the file there carries
 * that build-id.  Returns the descriptor, or -1.
 */
int debugfile_by_build_id(const char *root, const unsigned char *bits, int len);

/* Most bytes debugfile_inflate() inflates for one file. */
#define DEBUGFILE_MAX_INFLATED (512u << 20)

/*
 * If the ELF file at fd has zlib-compressed sections (SHF_COMPRESSED, as
 * Debian's -dbg packages ship them), a copy of it in an anonymous memory
 * file where each of those sections is stored inflated, at the end, and
 * every other byte is where it was.  libdw then maps the sections instead
 * of inflating all of them with zlib at dwarf_begin (libdeflate does it in
 * a quarter of the time).  Returns the new descriptor (read offset 0;
 * fd is left open and unmoved), or -1 when there is nothing to inflate,
 * the file is not a well-formed ELF, a section does not inflate to its
 * stated size, or more than DEBUGFILE_MAX_INFLATED bytes would be needed.
 */
int debugfile_inflate(int fd);

#endif
