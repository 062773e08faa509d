/*
 * latecall.c: a program linked with libssl that makes no TLS call until
 * told to, for "tlsdiag attach" (t702).  It prints "ready", waits until
 * the file GO exists, then dlopens HELPER (libtlshelper.so) with MODE
 * (local or deepbind) and runs its client against PORT; then forks a
 * child that runs the client once more.  Prints "run: status S" and
 * "child: status S", then "done", and waits to be killed.  With
 * "thread" (RTLD_LOCAL), a second thread runs, blocked, from before the
 * dlopen (t705: entry hooks are then not patched).
 *
 * usage: latecall GO local|deepbind|thread HELPER PORT CAFILE
 */
#include <dlfcn.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void *
block(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int
main(int argc, char **argv)
{
	int (*entry)(int, char **);
	char *hargv[4];
	struct stat st;
	int flags = RTLD_NOW | RTLD_LOCAL, rc, i;
	pid_t pid;
	void *h;

	if (argc != 6)
		return 3;
	/* libssl is loaded (and initialised) before anyone attaches */
	OPENSSL_init_ssl(0, NULL);
	if (strcmp(argv[2], "deepbind") == 0)
		flags |= RTLD_DEEPBIND;
	printf("ready\n");
	fflush(stdout);
	for (i = 0; stat(argv[1], &st) != 0; i++) {
		if (i == 3000)
			return 4;
		usleep(10000);
	}
	if (strcmp(argv[2], "thread") == 0) {
		pthread_t t;

		if (pthread_create(&t, NULL, block, NULL) != 0)
			return 3;
	}
	h = dlopen(argv[3], flags);
	if (h == NULL) {
		fprintf(stderr, "dlopen: %s\n", dlerror());
		return 3;
	}
	*(void **)&entry = dlsym(h, "tlshelper_main");
	if (entry == NULL)
		return 3;
	hargv[0] = argv[3];
	hargv[1] = argv[4];
	hargv[2] = argv[5];
	hargv[3] = NULL;
	rc = entry(3, hargv);
	printf("run: status %d\n", rc);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(entry(3, hargv));
	if (pid > 0 && waitpid(pid, &rc, 0) == pid)
		printf("child: status %d\n", WEXITSTATUS(rc));
	printf("done\n");
	fflush(stdout);
	for (;;)
		pause();
}
