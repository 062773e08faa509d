/*
 * attachself.c: for bench/shim.sh, a preloaded helper whose constructor
 * does inside the process what "tlsdiag attach" does from outside:
 * dlopen() the shim named by TLSDIAG_BENCH_SHIM, then call its
 * tlsdiag_attach_init() with TLSDIAG_BENCH_ARGS.  The GOT patching and
 * the wrappers are then exactly those of an attach, while valgrind,
 * which a ptrace injector cannot join, counts the instructions.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((constructor)) static void
attachself(void)
{
	const char *lib = getenv("TLSDIAG_BENCH_SHIM");
	const char *args = getenv("TLSDIAG_BENCH_ARGS");
	long (*init)(const char *);
	void *h;

	if (lib == NULL)
		return;
	h = dlopen(lib, RTLD_NOW | RTLD_NODELETE);
	if (h == NULL) {
		fprintf(stderr, "attachself: %s\n", dlerror());
		return;
	}
	*(void **)&init = dlsym(h, "tlsdiag_attach_init");
	if (init == NULL || init(args != NULL ? args : "") < 0)
		fprintf(stderr, "attachself: the attach init failed\n");
}
