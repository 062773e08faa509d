/*
 * cmd_run.c: the "tlsdiag run" command line: the layer that prints and
 * picks the exit status around run.c's pure helpers and run_spawn().
 */
#include "cmd_run.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exeprobe.h"
#include "exitcode.h"
#include "logpath.h"
#include "report.h"
#include "run.h"
#include "termsafe.h"

/* The longest TLSDIAG_LOG the shim accepts. */
#define RUN_LOG_MAX (LOGPATH_MAX - 1)

static const char run_synopsis[] =
    "usage: tlsdiag run [-q] [-o FILE] [--] COMMAND [ARG ...]\n";

static const char run_options[] =
    "\n"
    "Run COMMAND with the tlsdiag shim preloaded (children included) and\n"
    "print a summary of its TLS failures to stderr when it exits.\n"
    "\n"
    "  -o FILE     write the log to FILE (truncated first); default: a new\n"
    "              file in $TMPDIR or /tmp, named in the summary\n"
    "  -q          print the summary only if there were failures\n"
    "  -h, --help  show this help\n"
    "\n"
    "The exit status is COMMAND's (128 + N if signal N killed it); 127 if\n"
    "COMMAND was not found, 126 if it could not be executed, 125 if\n"
    "tlsdiag run itself failed.  TLSDIAG_SHIM overrides the shim's path.\n";

#define SAFE_LEN 256

/* path made safe to print (escaped, cut at 200 bytes) in buf. */
static const char *
esc(const char *path, char *buf)
{
	termsafe_escape(path, 200, buf, SAFE_LEN);
	return buf;
}

#define SAFE_MSG_LEN 1024

/* A message that quotes paths or arguments, escaped for standard error. */
static const char *
esc_msg(const char *msg, char *buf)
{
	termsafe_escape(msg, SAFE_MSG_LEN - 4, buf, SAFE_MSG_LEN);
	return buf;
}

/* Say in advance why the shim may record nothing from this program. */
static void
warn_blind(const char *path)
{
	struct exeprobe p;
	char msg[256];
	char sp[SAFE_LEN], so[SAFE_LEN];

	if (exeprobe_file(path, &p, msg, sizeof(msg)) == -1)
		return;
	esc(path, sp);
	if (p.elf && p.static_exe)
		warnx("warning: '%s' is statically linked: the loader ignores "
		      "LD_PRELOAD there, nothing can be recorded",
		    sp);
	if (p.setid)
		warnx("warning: '%s' is setuid or setgid: the loader ignores "
		      "LD_PRELOAD there (secure-execution), nothing can be "
		      "recorded from it",
		    sp);
	if (p.caps)
		warnx("warning: '%s' has file capabilities: the loader ignores "
		      "LD_PRELOAD there (secure-execution), nothing can be "
		      "recorded from it",
		    sp);
	/* exported, its entry points are hooked (the exit record says) */
	if (p.static_openssl && !p.exports_ssl)
		warnx("warning: '%s' carries its own OpenSSL (statically "
		      "linked): its TLS calls never reach the shim",
		    sp);
	if (p.other_tls[0] != '\0' && !p.needs_libssl)
		warnx("warning: '%s' links %s: tlsdiag records only OpenSSL's "
		      "failures",
		    sp, esc(p.other_tls, so));
}

/*
 * Create or truncate the log named by -o, refusing what the shim would
 * refuse to write to.  Sets *regular.  Returns 0, or -1 after printing.
 */
static int
prepare_named_log(const char *path, int *regular)
{
	char sp[SAFE_LEN];
	struct stat st;
	int fd;

	fd = open(path,
	    O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
	if (fd == -1) {
		warn("cannot open log '%s'", esc(path, sp));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		warn("cannot stat log '%s'", esc(path, sp));
		close(fd);
		return -1;
	}
	*regular = S_ISREG(st.st_mode);
	if (!logpath_trusted(&st, geteuid())) {
		close(fd);
		warnx("log '%s' must be owned by you and have one link: "
		      "the shim would not write to it",
		    esc(path, sp));
		return -1;
	}
	if (*regular && ftruncate(fd, 0) == -1) {
		warn("cannot truncate log '%s'", esc(path, sp));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* A fresh log in $TMPDIR or /tmp; its name goes to buf.  0 or -1. */
static int
prepare_temp_log(char *buf, size_t bufsz)
{
	const char *dir = getenv("TMPDIR");
	char sp[SAFE_LEN];
	int fd, len;

	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	len = snprintf(buf, bufsz, "%s/tlsdiag-run-XXXXXX.jsonl", dir);
	if (len < 0 || (size_t)len >= bufsz) {
		warnx("TMPDIR is too long");
		return -1;
	}
	fd = mkostemps(buf, 6, O_CLOEXEC);
	if (fd == -1) {
		warn("cannot create a log in '%s'", esc(dir, sp));
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Print the summary (all of it, or with -q only if there were failures).
 * Returns report_summary()'s result: failures, 0, or -1.
 */
static int
print_summary(const char *log, int quiet)
{
	char *buf = NULL;
	size_t bufsz = 0;
	char sp[SAFE_LEN];
	FILE *mem;
	int rc;

	mem = open_memstream(&buf, &bufsz);
	if (mem == NULL) {
		warnx("cannot summarize '%s': out of memory", esc(log, sp));
		return -1;
	}
	rc = report_summary(log, mem);
	fclose(mem);
	if (!quiet || rc != 0) {
		fputs(buf, stderr);
		/* With failures the summary names the log already. */
		if (rc == 0) {
			fprintf(stderr, "tlsdiag: log: %s\n", esc(log, sp));
		}
	}
	free(buf);
	return rc;
}

/*
 * The child's LD_PRELOAD: the shim found next to this executable (or
 * TLSDIAG_SHIM), then what LD_PRELOAD held; the shim's path in shim
 * (PATH_MAX bytes).  Returns 0, or -1 after printing why.
 */
static int
make_preload(char *preload, size_t preloadsz, char *shim)
{
	char self[PATH_MAX];
	char err[PATH_MAX + 128];
	char sp[SAFE_LEN], eb[SAFE_MSG_LEN];
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n == -1) {
		warn("cannot read /proc/self/exe");
		return -1;
	}
	self[n] = '\0';
	if (run_find_shim(self, getenv("TLSDIAG_SHIM"), shim, PATH_MAX, err,
		sizeof(err)) == -1) {
		warnx("%s", esc_msg(err, eb));
		return -1;
	}
	if (run_compose_preload(shim, getenv("LD_PRELOAD"), preload,
		preloadsz) == -1) {
		warnx("cannot preload '%s': the path must not contain ':' or "
		      "blanks, and LD_PRELOAD must fit in 8 KiB",
		    esc(shim, sp));
		return -1;
	}
	return 0;
}

/*
 * The child's NODE_OPTIONS: what it held, and node's preload from beside
 * the shim (the build tree and every install have it there), so that a
 * node child hands its JavaScript's verdicts to the shim.  Without the
 * script, NODE_OPTIONS is left alone.
 */
static void
set_node_options(const char *shim)
{
	char script[PATH_MAX], val[8192];
	const char *slash = strrchr(shim, '/');
	int n;

	if (slash == NULL)
		return;
	n = snprintf(script, sizeof(script), "%.*s/%s", (int)(slash - shim),
	    shim, RUN_NODE_SCRIPT);
	if (n < 0 || (size_t)n >= sizeof(script) || access(script, R_OK) != 0)
		return;
	if (run_compose_node_options(script, getenv("NODE_OPTIONS"), val,
		sizeof(val)) == 0)
		setenv("NODE_OPTIONS", val, 1);
}

int
cmd_run(int argc, char **argv)
{
	struct run_opts o;
	char err[PATH_MAX + 128];
	char path[PATH_MAX];
	char preload[8192], logpath[PATH_MAX], logtmpl[2 * PATH_MAX];
	char shim[PATH_MAX];
	char cwd[PATH_MAX], sp[SAFE_LEN], eb[SAFE_MSG_LEN];
	const char *log;
	int regular = 1;
	int status, saved;

	if (run_parse_args(argc, argv, &o, err, sizeof(err)) == -1) {
		warnx("run: %s", esc_msg(err, eb));
		fputs(run_synopsis, stderr);
		return TLSDIAG_EXIT_USAGE;
	}
	if (o.help) {
		fputs(run_synopsis, stdout);
		fputs(run_options, stdout);
		return 0;
	}
	if (run_resolve(o.cmd[0], getenv("PATH"), path, sizeof(path)) == -1) {
		if (errno == EACCES) {
			warnx("'%s': permission denied", esc(o.cmd[0], sp));
			return TLSDIAG_EXIT_RUN_NOEXEC;
		}
		warnx("'%s': command not found", esc(o.cmd[0], sp));
		return TLSDIAG_EXIT_RUN_NOTFOUND;
	}
	if (make_preload(preload, sizeof(preload), shim) == -1)
		return TLSDIAG_EXIT_RUN_SELF;
	set_node_options(shim);
	if (o.log != NULL) {
		if (prepare_named_log(o.log, &regular) == -1)
			return TLSDIAG_EXIT_RUN_SELF;
		log = o.log;
	} else {
		if (prepare_temp_log(logpath, sizeof(logpath)) == -1)
			return TLSDIAG_EXIT_RUN_SELF;
		log = logpath;
	}
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		cwd[0] = '\0';
	if (run_log_template(log, cwd, logtmpl, sizeof(logtmpl)) == -1 ||
	    strlen(logtmpl) > RUN_LOG_MAX) {
		warnx("log '%s': the absolute path is too long for the shim",
		    esc(log, sp));
		return TLSDIAG_EXIT_RUN_SELF;
	}
	warn_blind(path);
	status = run_spawn(path, o.cmd, preload, logtmpl);
	if (status == -1) {
		saved = errno;
		warn("cannot run '%s'", esc(o.cmd[0], sp));
		if (o.log == NULL)
			unlink(logpath);
		return saved == ENOENT ? TLSDIAG_EXIT_RUN_NOTFOUND :
					 TLSDIAG_EXIT_RUN_NOEXEC;
	}
	/* A quiet run with nothing to show leaves no file behind. */
	if (regular && print_summary(log, o.quiet) == 0 && o.quiet &&
	    o.log == NULL)
		unlink(logpath);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
