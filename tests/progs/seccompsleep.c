/*
 * seccompsleep.c: a process linked with libssl that installs a seccomp
 * filter (one that allows every system call) and then sleeps, for the
 * refusal "tlsdiag attach" gives a target under seccomp (t701).  Prints
 * "ready" once the filter is in place.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int
main(void)
{
	struct sock_filter allow[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { 1, allow };

	OPENSSL_init_ssl(0, NULL);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		perror("seccomp");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
