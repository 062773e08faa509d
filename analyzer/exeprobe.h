/* exeprobe.h: what "tlsdiag run" can tell about a program before it runs. */
#ifndef TLSDIAG_EXEPROBE_H
#define TLSDIAG_EXEPROBE_H

#include <stddef.h>

/*
 * Reasons the shim may see nothing in a program, found from its file
 * alone.  Every flag is 0 when the reason does not apply or could not be
 * established; the probe never guesses in the direction of a warning.
 */
struct exeprobe {
	int elf;	    /* an ELF file (else a script or unknown) */
	int static_exe;	    /* no program interpreter: no preload */
	int static_openssl; /* defines OpenSSL, needs no libssl */
	int exports_ssl;    /* and exports SSL_read: the shim hooks it */
	int needs_libssl;   /* libssl is in DT_NEEDED */
	int setid;	    /* setuid/setgid that changes our ids */
	int caps;	    /* file capabilities that make exec secure */
	char other_tls[64]; /* an uncovered TLS library, or "" */
};

/*
 * Inspect the executable at path for the current process's credentials
 * (a setuid root program run by root is not secure-execution, a setuid
 * bit on a nosuid mount does nothing).  Returns 0, or -1 with a message in
 * err when path cannot be opened or read.
 */
int
exeprobe_file(const char *path, struct exeprobe *p, char *err, size_t errsz);

#endif
