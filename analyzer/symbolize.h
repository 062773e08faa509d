/* symbolize.h: offline backtrace symbolization with libdw (elfutils). */
#ifndef TLSDIAG_SYMBOLIZE_H
#define TLSDIAG_SYMBOLIZE_H

#include <stddef.h>
#include <stdint.h>

enum sym_status {
	SYM_OK,		       /* function (and maybe file:line) found */
	SYM_NO_MODULE,	       /* the module file cannot be opened */
	SYM_BUILD_ID_MISMATCH, /* the file on disk is another build */
	SYM_NOT_FOUND	       /* no symbol covers the address */
};

struct sym_result {
	enum sym_status status;
	char function[256]; /* "" if unknown */
	char file[512];	    /* "" if no line information */
	int line;	    /* 0 if unknown */
};

struct symbolizer;

/* Create a symbolizer that caches one libdw session per module. */
struct symbolizer *symbolizer_new(void);

/* Free it and every cached module. */
void symbolizer_free(struct symbolizer *s);

/*
 * Symbolize a return address recorded as offset bytes from the load base
 * of module (the address dladdr() reports as dli_fbase).  Since a return
 * address points after the call, offset - 1 is looked up, which lands in
 * the calling instruction.  If build_id (lowercase hex, may be NULL) is
 * given and differs from the file's, nothing is looked up.  Fills *out;
 * returns out->status.
 */
enum sym_status symbolize(struct symbolizer *s, const char *module,
    const char *build_id, uint64_t offset, struct sym_result *out);

/*
 * Do now what the first lookup in module would: open it (with the same
 * checks), read its symbol table, find and read its debug information
 * and the address ranges of its compilation units.  Lookups afterwards
 * give the same results, only sooner.  Like symbolize(), not to be
 * called by two threads on one s at a time.
 */
void symbolizer_preload(struct symbolizer *s, const char *module);

/* How many modules s has opened or tried to (each path once). */
size_t symbolizer_modules(const struct symbolizer *s);

/*
 * How many of them have compressed DWARF (in the module or its -dbg file
 * found by build-id) that s reads from a copy inflated in memory.
 */
size_t symbolizer_inflated(const struct symbolizer *s);

/* How many lookups symbolize() has done in s. */
unsigned long symbolizer_lookups(const struct symbolizer *s);

/* How many of them it answered from an earlier one of the same frame. */
unsigned long symbolizer_remembered(const struct symbolizer *s);

/* Short description of a status, e.g. "build-id mismatch". */
const char *symbolize_status_name(enum sym_status st);

#endif
