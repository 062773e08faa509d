/*
 * nowx.c: run a program in a process that refuses writable code, as a
 * W^X hardening would: a seccomp filter (libseccomp) makes mprotect and
 * mmap fail with EACCES when asked for PROT_WRITE and PROT_EXEC at once.
 * The filter survives exec, so the shim's constructor in the program
 * meets it (tests/e2e/t352).
 *
 * usage: nowx PROGRAM [ARG...]
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static int
deny_wx(scmp_filter_ctx ctx, int nr)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), nr, 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_WRITE | PROT_EXEC,
		PROT_WRITE | PROT_EXEC));
}

int
main(int argc, char **argv)
{
	scmp_filter_ctx ctx;

	if (argc < 2) {
		fprintf(stderr, "usage: nowx PROGRAM [ARG...]\n");
		return 2;
	}
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (ctx == NULL || deny_wx(ctx, SCMP_SYS(mprotect)) < 0 ||
	    deny_wx(ctx, SCMP_SYS(mmap)) < 0 || seccomp_load(ctx) < 0) {
		fprintf(stderr, "nowx: cannot load the seccomp filter\n");
		return 3;
	}
	seccomp_release(ctx);
	execvp(argv[1], argv + 1);
	perror("nowx: exec");
	return 127;
}
