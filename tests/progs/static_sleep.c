/*
 * static_sleep.c: a statically linked process that sleeps, for the
 * refusal "tlsdiag attach" gives a static executable (t701).  Prints
 * "ready".
 */
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
