/* errnames.h: OpenSSL library and reason mnemonics, generated from headers. */
#ifndef TLSDIAG_ERRNAMES_H
#define TLSDIAG_ERRNAMES_H

struct errname_lib {
	int lib;
	const char *name;
};

/*
 * The name inline, not a pointer: 1,642 pointers cost as many relocations
 * in every process the shim is loaded into, TLS or not.  The longest name
 * in OpenSSL 3.0 has 51 characters; a longer one fails the build.
 */
struct errname_reason {
	int lib;
	int reason;
	char name[56];
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
