/* config.h: the shim's settings, read from the environment once at load. */
#ifndef TLSDIAG_CONFIG_H
#define TLSDIAG_CONFIG_H

#include <stddef.h>

#include "../common/logpath.h"
#include "classify.h"

#define CONFIG_PATH_MAX LOGPATH_MAX
#define CONFIG_DEFAULT_LOG "/tmp/tlsdiag-%u.jsonl"
#define CONFIG_DEFAULT_DEPTH 16
#define CONFIG_MAX_DEPTH 64
#define CONFIG_DEFAULT_RATE 100
#define CONFIG_GIVEN_MAX 256
#define CONFIG_WHY_RELATIVE "not an absolute path"
#define CONFIG_WHY_LONG "longer than 1023 bytes"
#define CONFIG_WHY_PERCENT "unknown % sequence"
#define CONFIG_WHY_EXPANDED "longer than 1023 bytes once expanded"
#define CONFIG_WHY_SOCKET "syslog socket path longer than 107 bytes"
/* TLSDIAG_LOG=syslog: or syslog:/path: records go to a syslog socket. */
#define CONFIG_SYSLOG_PREFIX "syslog:"
#define CONFIG_SYSLOG_DEFAULT "/dev/log"
#define CONFIG_SYSLOG_PATH_MAX 108 /* sun_path, with its NUL */

struct config {
	int enabled;		   /* TLSDIAG_DISABLE unset or 0 */
	int debug;		   /* TLSDIAG_DEBUG: diagnostics on stderr */
	char log[CONFIG_PATH_MAX]; /* TLSDIAG_LOG template (%p %h %u %%) */
	unsigned pyver;		   /* TLSDIAG_PYTHON, or the host's CPython */
	char python[16];	   /* pyver as the records name it */
	int python_source;	   /* enum config_pysource */
	int clean_close;   /* TLSDIAG_CLEAN_CLOSE: record close_notify */
	int depth;	   /* TLSDIAG_BACKTRACE: frames, 0 = none */
	int repeat_frames; /* TLSDIAG_BACKTRACE_REPEAT: frames in every record */
	unsigned rate; /* TLSDIAG_RATE: records/s per process, 0 = no limit */
	char log_given[CONFIG_GIVEN_MAX]; /* a TLSDIAG_LOG not used, cut */
	const char *log_why;		  /* why not, or NULL if it is used */
};

/* Where the CPython model came from (tlsdiag.python_model_source). */
enum config_pysource {
	CONFIG_PY_DEFAULT, /* not Python: PYVER_DEFAULT */
	CONFIG_PY_ENV,	   /* TLSDIAG_PYTHON */
	CONFIG_PY_DETECTED /* the host's own interpreter */
};
extern const char *const config_pysource_names[3];

/*
 * Parse a CPython version at the start of s ("3", "3.11", "3.11.7", also
 * the head of Py_GetVersion()'s "3.11.7 (main, ...)").  A version without
 * its micro stands for the releases the bare minor always meant:
 * "3.11" for 3.11.5-3.11.11, any other "3.N" for 3.N.0.  Returns the
 * PYVER(), or 0 if s does not start with one; *end is set past it.
 */
unsigned config_parse_pyver(const char *s, const char **end);

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
 * The syslog socket a TLSDIAG_LOG value names: for "syslog:" the local
 * CONFIG_SYSLOG_DEFAULT, for "syslog:/path" the path; NULL if log names a
 * file.  The result points into log or is a constant.
 */
const char *config_syslog_socket(const char *log);

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
