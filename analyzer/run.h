/*
 * run.h: "tlsdiag run": start a command with the shim preloaded.  The
 * helpers here print nothing; cmd_run.h is the command line.
 */
#ifndef TLSDIAG_RUN_H
#define TLSDIAG_RUN_H

#include <stddef.h>

#define RUN_SHIM_NAME "libtlsdiag.so"
#ifndef RUN_MULTIARCH
#define RUN_MULTIARCH "" /* the Makefile sets it: gcc -print-multiarch */
#endif

struct run_opts {
	const char *log; /* -o FILE, or NULL for a fresh temp file */
	int quiet;	 /* -q: no summary unless failures */
	int help;	 /* -h or --help */
	char **cmd;	 /* command and arguments, NULL-terminated */
};

/*
 * Parse "run [-o FILE] [-q] [--] CMD [ARG...]" (argv[0] is "run").
 * Options end at "--" or at the first operand, so CMD's own options are
 * never taken.  Returns 0 (o->cmd set unless o->help), or -1 with a
 * message in err.
 */
int run_parse_args(int argc, char **argv, struct run_opts *o, char *err,
    size_t errsz);

/*
 * Candidate n (0, 1, ...) for the shim next to the executable at exe: the
 * build tree keeps it beside the command (build/tlsdiag,
 * build/libtlsdiag.so); "make install" puts it in ../lib/tlsdiag/ from
 * the command's bin directory; the Debian package in ../lib/<triplet>/tlsdiag/
 * (RUN_MULTIARCH, the compiler's multiarch triplet; no candidate 2 when
 * it is empty).  Writes the path to buf and returns 0, or
 * returns -1 when there is no candidate n or it does not fit.
 */
int run_shim_candidate(const char *exe, int n, char *buf, size_t bufsz);

/*
 * Find the shim: override (TLSDIAG_SHIM) when set and non-empty, else the
 * first candidate that exists.  Returns 0 with the path in buf, or -1 with
 * a message in err.
 */
int run_find_shim(const char *exe, const char *override, char *buf,
    size_t bufsz, char *err, size_t errsz);

/*
 * The LD_PRELOAD value for the child: shim first, then the entries of old
 * (NULL or "" for none; separated by ':' or ' ' as the loader accepts)
 * except the shim itself.  Returns 0, or -1 if shim contains a separator
 * (the loader would split it) or the result does not fit.
 */
int
run_compose_preload(const char *shim, const char *old, char *buf, size_t bufsz);

/* node's preload, installed beside the shim (shim/node/tlsdiag-node.js) */
#define RUN_NODE_SCRIPT "tlsdiag-node.js"

/*
 * The NODE_OPTIONS value for the child: old (NULL or "" for none) with
 * --require="SCRIPT" appended, quoted as node parses NODE_OPTIONS (a
 * double-quoted string, '"' and '\\' escaped with a backslash), so that
 * node's JavaScript hands its verdicts to the shim.  old unchanged when
 * it holds that option already.  Returns 0, or -1 if the result does not
 * fit.
 */
int run_compose_node_options(const char *script, const char *old, char *buf,
    size_t bufsz);

/*
 * The TLSDIAG_LOG value naming exactly the file path: '%' doubled so the
 * shim does not expand it, and made absolute against cwd so that a child
 * that changes directory still writes there.  Returns 0, or -1 if it does
 * not fit.
 */
int
run_log_template(const char *path, const char *cwd, char *buf, size_t bufsz);

/*
 * Look name up like execvp(3): a name containing '/' is used as it is,
 * otherwise each directory of path_env (":"-separated, empty = current
 * directory; NULL = "/bin:/usr/bin") is tried in turn.  Returns 0 with the
 * file in buf, or -1 with errno ENOENT (not found), EACCES (found, but no
 * candidate is an executable regular file) or ENAMETOOLONG.
 */
int
run_resolve(const char *name, const char *path_env, char *buf, size_t bufsz);

/*
 * Fork and exec path (argv cmd) with LD_PRELOAD preload and TLSDIAG_LOG
 * log set in the child only (a file without a "#!" line is run by
 * /bin/sh, as execvp(3) does); forward SIGINT, SIGTERM and SIGHUP to it
 * and wait.  The child reports an exec failure through a close-on-exec
 * pipe.  Returns the wait status, or -1 with errno set if the command
 * could not be started.  Prints nothing.
 */
int
run_spawn(const char *path, char **cmd, const char *preload, const char *log);

#endif
