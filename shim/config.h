/* config.h: the shim's settings, read from the environment once at load. */
#ifndef TLSDIAG_CONFIG_H
#define TLSDIAG_CONFIG_H

#include <stddef.h>

#include "classify.h"

#define CONFIG_PATH_MAX 1024
#define CONFIG_DEFAULT_LOG "/tmp/tlsdiag-%u.jsonl"
#define CONFIG_DEFAULT_DEPTH 16
#define CONFIG_MAX_DEPTH 64
#define CONFIG_DEFAULT_RATE 100
#define CONFIG_GIVEN_MAX 256
#define CONFIG_WHY_RELATIVE "not an absolute path"
#define CONFIG_WHY_LONG "longer than 1023 bytes"
#define CONFIG_WHY_PERCENT "unknown % sequence"
#define CONFIG_WHY_EXPANDED "longer than 1023 bytes once expanded"

struct config {
	int enabled;		/* TLSDIAG_DISABLE unset or 0 */
	int debug;		/* TLSDIAG_DEBUG: diagnostics on stderr */
	char log[CONFIG_PATH_MAX]; /* TLSDIAG_LOG template (%p %h %u %%) */
	enum pymodel model;	/* TLSDIAG_PYTHON: 3.13 (default) or 3.11 */
	int clean_close;	/* TLSDIAG_CLEAN_CLOSE: record close_notify */
	int depth;		/* TLSDIAG_BACKTRACE: frames, 0 = none */
	int repeat_frames;	/* TLSDIAG_BACKTRACE_REPEAT: frames in every record */
	unsigned rate;		/* TLSDIAG_RATE: records/s per process, 0 = no limit */
	char log_given[CONFIG_GIVEN_MAX]; /* a TLSDIAG_LOG not used, cut */
	const char *log_why;	/* why not, or NULL if it is used */
};

/* Fill c with the documented defaults. */
void config_defaults(struct config *c);

/*
 * Read settings through get (getenv, or a table in tests).  When secure is
 * set (AT_SECURE), the environment is ignored and defaults stay.  Bad
 * values keep their default; a description of the first one goes to
 * err[0..errlen) and the function returns -1; otherwise 0.  A TLSDIAG_LOG
 * that is relative, too long or has an unknown % sequence is not used: the
 * default stays, c->log_why says why (a CONFIG_WHY_* string) and
 * c->log_given holds the value, cut to CONFIG_GIVEN_MAX - 1 bytes.
 */
int config_load(struct config *c, const char *(*get)(const char *name),
    int secure, char *err, size_t errlen);

/*
 * Expand tmpl into out[0..cap): %p the pid, %h the host name, %u the uid,
 * %% a percent sign.  The host name is anyone's to set (a container's is
 * chosen by whoever starts it), so in its expansion each '/' and a leading
 * '.' become '_': it names one file, never a directory or "..".  Returns
 * 0, or -1 if out is too small or tmpl has an unknown % sequence.
 */
int config_expand(const char *tmpl, long pid, const char *host,
    unsigned long uid, char *out, size_t cap);

#endif
