/* errnames.h: OpenSSL library and reason mnemonics, generated from headers. */
#ifndef TLSDIAG_ERRNAMES_H
#define TLSDIAG_ERRNAMES_H

struct errname_lib {
	int lib;
	const char *name;
};

struct errname_reason {
	int lib;
	int reason;
	const char *name;
};

/* Tables written by tools/gen-errnames.sh; reasons sorted by (lib, reason). */
extern const struct errname_lib errnames_libs[];
extern const unsigned errnames_nlibs;
extern const struct errname_reason errnames_reasons[];
extern const unsigned errnames_nreasons;

/* The name CPython gives library code lib (exc.library), or NULL. */
const char *errnames_lib(int lib);

/* The name CPython gives (lib, reason) (exc.reason), or NULL. */
const char *errnames_reason(int lib, int reason);

#endif
