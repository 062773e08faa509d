/*
 * libctorthread.c: a library whose constructor starts a thread that
 * blocks for the rest of the process, so that a program linked with it
 * already runs two threads when the preload's constructor runs (as a
 * process the shim is loaded into by tlsdiag attach does): the entry
 * hooks must then keep off (tests/e2e/t352).
 */
#include <pthread.h>
#include <unistd.h>

static int fds[2];

static void *
block(void *arg)
{
	char c;

	(void)arg;
	(void)!read(fds[0], &c, 1); /* never written: blocks until exit */
	return NULL;
}

__attribute__((constructor)) static void
start(void)
{
	pthread_t t;

	if (pipe(fds) == 0 && pthread_create(&t, NULL, block, NULL) == 0)
		pthread_detach(t);
}
