/*
 * run.c: "tlsdiag run", the one-line way to use the shim: start a command
 * with libtlsdiag.so preloaded and TLSDIAG_LOG pointing at a log of its
 * own, wait for it, then print report_summary() of that log.  The
 * environment is changed only in the child, between fork and exec, so the
 * shim never loads into tlsdiag itself.  The pure helpers (argument
 * parsing, shim lookup, LD_PRELOAD and TLSDIAG_LOG composition, PATH
 * search) return errors; cmd_run() is the command-line layer that prints.
 */
#include "run.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exeprobe.h"
#include "logpath.h"
#include "report.h"
#include "termsafe.h"

/* The longest TLSDIAG_LOG the shim accepts. */
#define RUN_LOG_MAX (LOGPATH_MAX - 1)

/* Exit statuses of our own failures, as env(1) and timeout(1) use them. */
enum {
	RUN_EXIT_USAGE = 2,
	RUN_EXIT_SELF = 125,	/* tlsdiag run itself failed */
	RUN_EXIT_NOEXEC = 126,	/* found but could not be executed */
	RUN_EXIT_NOTFOUND = 127
};

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

static void set_err(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_err(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

int
run_parse_args(int argc, char **argv, struct run_opts *o, char *err,
    size_t errsz)
{
	const char *a;
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "--help") == 0) {
			o->help = 1;
			return 0;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (a[1] == '-') {
			set_err(err, errsz, "unknown option '%s'", a);
			return -1;
		}
		/* Bundled short options: -qo FILE, -oFILE. */
		for (a++; *a != '\0'; a++) {
			if (*a == 'q') {
				o->quiet = 1;
			} else if (*a == 'h') {
				o->help = 1;
				return 0;
			} else if (*a == 'o') {
				if (a[1] != '\0') {
					o->log = a + 1;
				} else if (i + 1 < argc) {
					o->log = argv[++i];
				} else {
					set_err(err, errsz, "option '-o' needs "
					    "a file name");
					return -1;
				}
				if (o->log[0] == '\0') {
					set_err(err, errsz, "option '-o' needs "
					    "a file name");
					return -1;
				}
				break;
			} else {
				char opt[3] = { '-', *a, '\0' };

				set_err(err, errsz, "unknown option '%s'", opt);
				return -1;
			}
		}
	}
	if (i >= argc) {
		set_err(err, errsz, "no command given");
		return -1;
	}
	o->cmd = argv + i;
	return 0;
}

int
run_shim_candidate(const char *exe, int n, char *buf, size_t bufsz)
{
	const char *slash = strrchr(exe, '/');
	size_t dirlen, parentlen;
	int len;

	if (slash == NULL)
		return -1;
	dirlen = (size_t)(slash - exe);
	switch (n) {
	case 0:
		len = snprintf(buf, bufsz, "%.*s/%s", (int)dirlen, exe,
		    RUN_SHIM_NAME);
		break;
	case 1:
		/* The directory above bin/: PREFIX in PREFIX/bin/tlsdiag. */
		parentlen = dirlen;
		while (parentlen > 0 && exe[parentlen - 1] != '/')
			parentlen--;
		while (parentlen > 1 && exe[parentlen - 1] == '/')
			parentlen--;
		if (parentlen <= 1)
			len = snprintf(buf, bufsz, "/lib/tlsdiag/%s",
			    RUN_SHIM_NAME);
		else
			len = snprintf(buf, bufsz, "%.*s/lib/tlsdiag/%s",
			    (int)parentlen, exe, RUN_SHIM_NAME);
		break;
	default:
		return -1;
	}
	if (len < 0 || (size_t)len >= bufsz)
		return -1;
	return 0;
}

int
run_find_shim(const char *exe, const char *override, char *buf,
    size_t bufsz, char *err, size_t errsz)
{
	char resolved[PATH_MAX];
	size_t len;
	int n;

	if (override != NULL && override[0] != '\0') {
		/* Absolute: a child that changes directory still finds it. */
		if (realpath(override, resolved) == NULL) {
			snprintf(err, errsz, "TLSDIAG_SHIM '%s': %s", override,
			    strerror(errno));
			return -1;
		}
		len = strlen(resolved);
		if (len >= bufsz) {
			snprintf(err, errsz, "TLSDIAG_SHIM '%s': path too "
			    "long", override);
			return -1;
		}
		memcpy(buf, resolved, len + 1);
		return 0;
	}
	for (n = 0; run_shim_candidate(exe, n, buf, bufsz) == 0; n++)
		if (access(buf, R_OK) == 0)
			return 0;
	snprintf(err, errsz, "cannot find %s next to '%s' or in "
	    "../lib/tlsdiag/ from it; set TLSDIAG_SHIM to its path",
	    RUN_SHIM_NAME, exe);
	return -1;
}

/* Does the LD_PRELOAD entry (len bytes) name a tlsdiag shim? */
static int
is_shim_entry(const char *ent, size_t len, const char *shim)
{
	size_t nl = strlen(RUN_SHIM_NAME);

	if (len == strlen(shim) && memcmp(ent, shim, len) == 0)
		return 1;
	/* Another copy (build tree and installed) would record twice. */
	return len >= nl && memcmp(ent + len - nl, RUN_SHIM_NAME, nl) == 0 &&
	    (len == nl || ent[len - nl - 1] == '/');
}

int
run_compose_preload(const char *shim, const char *old, char *buf,
    size_t bufsz)
{
	size_t o, len;
	const char *p, *e;

	if (shim[0] == '\0' || strpbrk(shim, ": \t") != NULL)
		return -1;
	o = strlen(shim);
	if (o >= bufsz)
		return -1;
	memcpy(buf, shim, o + 1);
	for (p = old; p != NULL && *p != '\0'; p = e) {
		while (*p == ':' || *p == ' ')
			p++;
		e = p;
		while (*e != '\0' && *e != ':' && *e != ' ')
			e++;
		len = (size_t)(e - p);
		if (len == 0 || is_shim_entry(p, len, shim))
			continue;
		if (o + 1 + len >= bufsz)
			return -1;
		buf[o++] = ':';
		memcpy(buf + o, p, len);
		o += len;
		buf[o] = '\0';
	}
	return 0;
}

int
run_log_template(const char *path, const char *cwd, char *buf, size_t bufsz)
{
	size_t o = 0;
	const char *parts[2];
	const char *p;
	int i;

	parts[0] = path[0] == '/' ? "" : cwd;
	parts[1] = path;
	if (path[0] != '/' && (cwd == NULL || cwd[0] != '/'))
		return -1;
	for (i = 0; i < 2; i++) {
		for (p = parts[i]; *p != '\0'; p++) {
			if (o + (*p == '%' ? 2 : 1) >= bufsz)
				return -1;
			if (*p == '%')
				buf[o++] = '%';
			buf[o++] = *p;
		}
		if (i == 0 && parts[0][0] != '\0' && o > 0 &&
		    buf[o - 1] != '/') {
			if (o + 1 >= bufsz)
				return -1;
			buf[o++] = '/';
		}
	}
	buf[o] = '\0';
	return 0;
}

/* 0 if path is an executable regular file; else -1 with errno set. */
static int
check_exec(const char *path)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return -1;
	if (!S_ISREG(st.st_mode) || access(path, X_OK) == -1) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

int
run_resolve(const char *name, const char *path_env, char *buf, size_t bufsz)
{
	const char *p, *e;
	size_t dirlen;
	int seen_eacces = 0;
	int len;

	if (name[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (strchr(name, '/') != NULL) {
		if (strlen(name) >= bufsz) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (check_exec(name) == -1) {
			if (errno != ENOENT && errno != ENOTDIR)
				errno = EACCES;
			return -1;
		}
		memcpy(buf, name, strlen(name) + 1);
		return 0;
	}
	if (path_env == NULL)
		path_env = "/bin:/usr/bin";
	for (p = path_env;; p = e + 1) {
		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		dirlen = (size_t)(e - p);
		/* An empty entry means the current directory. */
		if (dirlen == 0)
			len = snprintf(buf, bufsz, "%s", name);
		else
			len = snprintf(buf, bufsz, "%.*s/%s", (int)dirlen, p,
			    name);
		if (len >= 0 && (size_t)len < bufsz) {
			if (check_exec(buf) == 0)
				return 0;
			if (errno == EACCES)
				seen_eacces = 1;
		}
		if (*e == '\0')
			break;
	}
	errno = seen_eacces ? EACCES : ENOENT;
	return -1;
}

/* ------------------------------------------------------------------------
 * The command-line layer.
 */

static volatile pid_t run_child;

/*
 * Pass SIGINT, SIGTERM and SIGHUP on.  Ones the terminal generated
 * (SI_KERNEL) already went to the whole foreground process group,
 * the child included: a second copy would interrupt its cleanup.
 */
static void
forward_signal(int sig, siginfo_t *si, void *ctx)
{
	int saved = errno;

	(void)ctx;
	if (run_child > 0 && si->si_code != SI_KERNEL &&
	    si->si_pid != run_child)
		kill(run_child, sig);
	errno = saved;
}

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP };
#define NFORWARDED (sizeof(forwarded) / sizeof(forwarded[0]))

/* Forward the signals that were not ignored when we started. */
static void
install_forwarding(void)
{
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = forward_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NFORWARDED; i++) {
		if (sigaction(forwarded[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(forwarded[i], &sa, NULL);
	}
}

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
		    "LD_PRELOAD there, nothing can be recorded", sp);
	if (p.setid)
		warnx("warning: '%s' is setuid or setgid: the loader ignores "
		    "LD_PRELOAD there (secure-execution), nothing can be "
		    "recorded from it", sp);
	if (p.caps)
		warnx("warning: '%s' has file capabilities: the loader ignores "
		    "LD_PRELOAD there (secure-execution), nothing can be "
		    "recorded from it", sp);
	if (p.static_openssl)
		warnx("warning: '%s' carries its own OpenSSL (statically "
		    "linked): its TLS calls never reach the shim", sp);
	if (p.other_tls[0] != '\0' && !p.needs_libssl)
		warnx("warning: '%s' links %s: tlsdiag records only OpenSSL's "
		    "failures", sp, esc(p.other_tls, so));
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

	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC, 0600);
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
		    "the shim would not write to it", esc(path, sp));
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
 * In the child: set the environment and exec.  A file without a "#!"
 * line is run by /bin/sh, as execvp(3) does.  Returns only on failure.
 */
static void
exec_child(const char *path, char **cmd, const char *preload,
    const char *log)
{
	char **argv;
	size_t n;

	if (setenv("LD_PRELOAD", preload, 1) == -1 ||
	    setenv("TLSDIAG_LOG", log, 1) == -1)
		return;
	execv(path, cmd);
	if (errno != ENOEXEC)
		return;
	for (n = 0; cmd[n] != NULL; n++)
		continue;
	argv = calloc(n + 2, sizeof(*argv));
	if (argv == NULL)
		return;
	argv[0] = (char *)"sh";
	argv[1] = (char *)path;
	memcpy(argv + 2, cmd + 1, n * sizeof(*argv));
	execv("/bin/sh", argv);
	errno = ENOEXEC;
}

/*
 * Fork and exec; the child reports an exec failure through a close-on-exec
 * pipe.  Returns the wait status, or -1 with errno set if the command
 * could not be started.
 */
static int
spawn_and_wait(const char *path, char **cmd, const char *preload,
    const char *log)
{
	sigset_t block, old;
	int pfd[2];
	int child_errno = 0;
	ssize_t n;
	pid_t pid;
	int status;
	size_t i;

	if (pipe2(pfd, O_CLOEXEC) == -1)
		return -1;
	sigemptyset(&block);
	for (i = 0; i < NFORWARDED; i++)
		sigaddset(&block, forwarded[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid = fork();
	if (pid == -1) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		sigprocmask(SIG_SETMASK, &old, NULL);
		exec_child(path, cmd, preload, log);
		child_errno = errno;
		while (write(pfd[1], &child_errno, sizeof(child_errno)) == -1 &&
		    errno == EINTR)
			continue;
		_exit(RUN_EXIT_NOEXEC);
	}
	close(pfd[1]);
	run_child = pid;
	install_forwarding();
	sigprocmask(SIG_SETMASK, &old, NULL);
	do
		n = read(pfd[0], &child_errno, sizeof(child_errno));
	while (n == -1 && errno == EINTR);
	close(pfd[0]);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	run_child = 0;
	if (n == (ssize_t)sizeof(child_errno)) {
		errno = child_errno;
		return -1;
	}
	return status;
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

int
cmd_run(int argc, char **argv)
{
	struct run_opts o;
	char err[PATH_MAX + 128];
	char self[PATH_MAX], shim[PATH_MAX], path[PATH_MAX];
	char preload[8192], logpath[PATH_MAX], logtmpl[2 * PATH_MAX];
	char cwd[PATH_MAX], sp[SAFE_LEN], eb[SAFE_MSG_LEN];
	const char *log;
	int regular = 1;
	int status, saved;
	ssize_t n;

	if (run_parse_args(argc, argv, &o, err, sizeof(err)) == -1) {
		warnx("run: %s", esc_msg(err, eb));
		fputs(run_synopsis, stderr);
		return RUN_EXIT_USAGE;
	}
	if (o.help) {
		fputs(run_synopsis, stdout);
		fputs(run_options, stdout);
		return 0;
	}
	if (run_resolve(o.cmd[0], getenv("PATH"), path, sizeof(path)) == -1) {
		if (errno == EACCES) {
			warnx("'%s': permission denied", esc(o.cmd[0], sp));
			return RUN_EXIT_NOEXEC;
		}
		warnx("'%s': command not found", esc(o.cmd[0], sp));
		return RUN_EXIT_NOTFOUND;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n == -1) {
		warn("cannot read /proc/self/exe");
		return RUN_EXIT_SELF;
	}
	self[n] = '\0';
	if (run_find_shim(self, getenv("TLSDIAG_SHIM"), shim, sizeof(shim),
	    err, sizeof(err)) == -1) {
		warnx("%s", esc_msg(err, eb));
		return RUN_EXIT_SELF;
	}
	if (run_compose_preload(shim, getenv("LD_PRELOAD"), preload,
	    sizeof(preload)) == -1) {
		warnx("cannot preload '%s': the path must not contain ':' or "
		    "blanks, and LD_PRELOAD must fit in 8 KiB", esc(shim, sp));
		return RUN_EXIT_SELF;
	}
	if (o.log != NULL) {
		if (prepare_named_log(o.log, &regular) == -1)
			return RUN_EXIT_SELF;
		log = o.log;
	} else {
		if (prepare_temp_log(logpath, sizeof(logpath)) == -1)
			return RUN_EXIT_SELF;
		log = logpath;
	}
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		cwd[0] = '\0';
	if (run_log_template(log, cwd, logtmpl, sizeof(logtmpl)) == -1 ||
	    strlen(logtmpl) > RUN_LOG_MAX) {
		warnx("log '%s': the absolute path is too long for the shim",
		    esc(log, sp));
		return RUN_EXIT_SELF;
	}
	warn_blind(path);
	status = spawn_and_wait(path, o.cmd, preload, logtmpl);
	if (status == -1) {
		saved = errno;
		warn("cannot run '%s'", esc(o.cmd[0], sp));
		if (o.log == NULL)
			unlink(logpath);
		return saved == ENOENT ? RUN_EXIT_NOTFOUND : RUN_EXIT_NOEXEC;
	}
	/* A quiet run with nothing to show leaves no file behind. */
	if (regular && print_summary(log, o.quiet) == 0 && o.quiet &&
	    o.log == NULL)
		unlink(logpath);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
