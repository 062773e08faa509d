/*
 * nolink_helper.c: a program not linked with libssl that dlopens one or
 * more helper libraries (libtlshelper.so or patched copies of it, each
 * with its own libssl dependency) and runs the client in each, in order.
 * With two helpers bound to two different libssl copies, one process uses
 * both copies, each through its own helper.
 *
 * usage: nolink_helper RUN [-- RUN]...
 *   RUN is  local|global|deepbind HELPER.so PORT CAFILE [get]:
 *   dlopen HELPER.so with RTLD_LOCAL, RTLD_GLOBAL or
 *   RTLD_LOCAL|RTLD_DEEPBIND and call its tlshelper_main(PORT CAFILE
 *   [get]).  Prints "run N: status S" after each; the exit status is the
 *   first non-zero run status (0 if all were 0), 3 on a usage error.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static int
run(int n, int argc, char **argv)
{
	int (*entry)(int, char **);
	int flags = RTLD_NOW, rc;
	void *h;

	if (argc < 2)
		return 3;
	if (strcmp(argv[0], "local") == 0)
		flags |= RTLD_LOCAL;
	else if (strcmp(argv[0], "global") == 0)
		flags |= RTLD_GLOBAL;
	else if (strcmp(argv[0], "deepbind") == 0)
		flags |= RTLD_LOCAL | RTLD_DEEPBIND;
	else
		return 3;
	h = dlopen(argv[1], flags);
	if (h == NULL) {
		fprintf(stderr, "dlopen: %s\n", dlerror());
		return 3;
	}
	*(void **)&entry = dlsym(h, "tlshelper_main");
	if (entry == NULL) {
		fprintf(stderr, "dlsym: %s\n", dlerror());
		return 3;
	}
	/* the helper sees "PORT CAFILE [get]" as its argv[1..] */
	rc = entry(argc - 1, argv + 1);
	printf("run %d: status %d\n", n, rc);
	fflush(stdout);
	return rc;
}

int
main(int argc, char **argv)
{
	int i = 1, j, n = 0, rc, first = 0;

	while (i < argc) {
		for (j = i; j < argc && strcmp(argv[j], "--") != 0; j++)
			;
		rc = run(++n, j - i, argv + i);
		if (rc == 3) {
			fprintf(stderr,
			    "usage: nolink_helper "
			    "local|global|deepbind HELPER.so PORT CAFILE [get] "
			    "[-- ...]\n");
			return 3;
		}
		if (first == 0)
			first = rc;
		i = j + 1;
	}
	return n == 0 ? 3 : first;
}
