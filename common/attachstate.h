/*
 * attachstate.h: what the shim exposes to "tlsdiag status" and "tlsdiag
 * attach" in a running process.  The shim exports one object of this
 * layout under ATTACHSTATE_SYMBOL; the analyzer reads it from
 * /proc/PID/mem at the address the library's symbol table gives, so no
 * descriptor or file is kept in the target.  Bump ATTACHSTATE_MAGIC when
 * the layout changes.
 */
#ifndef TLSDIAG_ATTACHSTATE_H
#define TLSDIAG_ATTACHSTATE_H

#include <stdint.h>

#define ATTACHSTATE_SYMBOL "tlsdiag_state"
#define ATTACHSTATE_MAGIC "TLSDIAG1"
/* The init and detach entry points "tlsdiag attach" calls. */
#define ATTACHSTATE_INIT "tlsdiag_attach_init"
#define ATTACHSTATE_FINI "tlsdiag_attach_fini"

/* What the library is doing in the process. */
enum attachstate_mode {
	ATTACHSTATE_LOADED = 0,	  /* loaded, not recording (yet) */
	ATTACHSTATE_PRELOAD = 1,  /* started with LD_PRELOAD */
	ATTACHSTATE_ATTACHED = 2, /* "tlsdiag attach": slots patched */
	ATTACHSTATE_DETACHED = 3  /* "tlsdiag detach": slots restored */
};

/* Results of tlsdiag_attach_init() and tlsdiag_attach_fini() (< 0). */
enum attachstate_err {
	ATTACHSTATE_ERR_PRELOADED = -1, /* already recording by LD_PRELOAD */
	ATTACHSTATE_ERR_MPROTECT = -2,	/* mprotect refused: nothing patched */
	ATTACHSTATE_ERR_ARGS = -3,	/* bad argument string */
	ATTACHSTATE_ERR_NOTATTACHED = -4, /* detach: not attached */
	ATTACHSTATE_ERR_ALREADY = -5	  /* attach: already attached */
};

struct attachstate {
	char magic[8];		  /* ATTACHSTATE_MAGIC, no NUL */
	uint32_t mode;		  /* enum attachstate_mode */
	uint32_t slots;		  /* GOT slots patched now */
	uint64_t records_addr;	  /* address of the records counter */
	uint64_t dropped_addr;	  /* address of the dropped counter */
	uint64_t suppressed_addr; /* address of the suppressed counter */
	uint32_t attaches;	  /* how many times attached */
	uint32_t mprotect_errno;  /* errno of a refused mprotect, else 0 */
	char log[1024];		  /* the log template, as configured */
	char host[256];		  /* the host name %h stands for */
};

#endif
