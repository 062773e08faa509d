/* elfsym.h: does a loaded object define a symbol?  Read from memory. */
#ifndef TLSDIAG_ELFSYM_H
#define TLSDIAG_ELFSYM_H

#include <link.h>
#include <stdint.h>

/*
 * Look name up in the dynamic symbol table of the object loaded at bias
 * with program headers phdr[0..phnum), as dl_iterate_phdr reports it,
 * through its DT_GNU_HASH table, without dlopen or dlsym (the exit scan
 * runs this over every loaded object).  Every address read is first
 * checked to lie inside one of the object's PT_LOAD segments and every
 * walk is bounded, so a damaged table gives -1, never a fault.
 *
 * Returns 1 and the symbol's address in *addr (if addr is not NULL) when
 * the object itself defines name, 0 when it does not, -1 when it cannot
 * tell (no PT_DYNAMIC, no DT_GNU_HASH, a table out of bounds): the
 * caller then asks the loader.  Async-signal-safe; takes no lock.
 */
int elfsym_lookup(uintptr_t bias, const ElfW(Phdr) * phdr, size_t phnum,
    const char *name, uintptr_t *addr);

/*
 * 1 if [p, p + len) lies inside one PT_LOAD segment of the object at
 * bias (phdr, phnum as dl_iterate_phdr gives them), else 0.
 */
int elfsym_mapped(uintptr_t bias, const ElfW(Phdr) * phdr, size_t phnum,
    uintptr_t p, size_t len);

/*
 * 0 when the object surely does not define name (its GNU hash bloom
 * filter says so), 1 when it may: a cheap first test before
 * elfsym_lookup().  Async-signal-safe; takes no lock.
 */
int elfsym_may_define(uintptr_t bias, const ElfW(Phdr) * phdr, size_t phnum,
    const char *name);

/*
 * elfsym_lookup(), and the symbol's size (st_size: a function's length
 * in bytes, 0 if unknown) in *size.
 */
int elfsym_lookup_size(uintptr_t bias, const ElfW(Phdr) * phdr, size_t phnum,
    const char *name, uintptr_t *addr, size_t *size);

/*
 * 1 if the object defines any of names (a NULL-terminated list), 0 if it
 * defines none, -1 if it cannot tell for one of them (and defines none of
 * the others).  The tables are found once for all the names.
 */
int elfsym_defines_any(uintptr_t bias, const ElfW(Phdr) * phdr, size_t phnum,
    const char *const *names);

/*
 * How the object's own calls to names (a NULL-terminated list) reach
 * them: 1 when it binds them to itself (DT_SYMBOLIC or DF_SYMBOLIC: the
 * loader looks in the object first; or no JUMP_SLOT or GLOB_DAT
 * relocation names one of them: -Bsymbolic-functions, or no caller), 0
 * when one of them goes through a GOT slot the loader fills (so a
 * preload interposes on it), -1 when it cannot tell.  Every address is
 * checked as elfsym_lookup() checks them.  x86-64 only (-1 elsewhere).
 */
int elfsym_binds_locally(uintptr_t bias, const ElfW(Phdr) * phdr, size_t phnum,
    const char *const *names);

#endif
