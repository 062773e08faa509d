/*
 * exitcode.h: the exit statuses of tlsdiag, every command's in one enum.
 * doc/tlsdiag.1, doc/tlsdiag-report.1 and doc/tlsdiag-run.1 (EXIT STATUS)
 * document them.  "tlsdiag run" otherwise exits with its command's status.
 */
#ifndef TLSDIAG_EXITCODE_H
#define TLSDIAG_EXITCODE_H

enum tlsdiag_exit {
	TLSDIAG_EXIT_OK = 0,	    /* done; --fail-if not exceeded */
	TLSDIAG_EXIT_THRESHOLD = 1, /* more matched than --fail-if */
	TLSDIAG_EXIT_USAGE = 2,	    /* bad command line */
	TLSDIAG_EXIT_INPUT = 3,	    /* an input could not be read */
	TLSDIAG_EXIT_SOFTWARE = 4,  /* out of memory, or write error */
	/* "tlsdiag attach" and "detach" (doc/tlsdiag-attach.1) */
	/* attach, detach: a process was refused, left untouched; enable: the
	 * unit was refused (doc/tlsdiag-attach.1, doc/tlsdiag-enable.1) */
	TLSDIAG_EXIT_REFUSED = 5,
	TLSDIAG_EXIT_INJECT = 6, /* an injection failed; process restored */
	/* "tlsdiag run"'s own failures, as env(1) and timeout(1) use them */
	TLSDIAG_EXIT_RUN_SELF = 125,	/* tlsdiag run itself failed */
	TLSDIAG_EXIT_RUN_NOEXEC = 126,	/* found but could not be executed */
	TLSDIAG_EXIT_RUN_NOTFOUND = 127 /* command not found */
};

#endif
