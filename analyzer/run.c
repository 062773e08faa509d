/*
 * run.c: "tlsdiag run", the one-line way to use the shim: start a command
 * with libtlsdiag.so preloaded and TLSDIAG_LOG pointing at a log of its
 * own, wait for it, then print report_summary() of that log.  The
 * environment is changed only in the child, between fork and exec, so the
 * shim never loads into tlsdiag itself.  The pure helpers (argument
 * parsing, shim lookup, LD_PRELOAD and TLSDIAG_LOG composition, PATH
 * search) return errors, run_spawn() starts and waits without printing;
 * cmd_run.c is the command-line layer that prints.
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

#include "exitcode.h"

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
					set_err(err, errsz,
					    "option '-o' needs "
					    "a file name");
					return -1;
				}
				if (o->log[0] == '\0') {
					set_err(err, errsz,
					    "option '-o' needs "
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
	const char *arch = RUN_MULTIARCH;
	size_t dirlen, parentlen;
	int len;

	if (slash == NULL || n < 0 || n > 2 || (n == 2 && arch[0] == '\0'))
		return -1;
	dirlen = (size_t)(slash - exe);
	if (n == 0) {
		len = snprintf(buf, bufsz, "%.*s/%s", (int)dirlen, exe,
		    RUN_SHIM_NAME);
		return len < 0 || (size_t)len >= bufsz ? -1 : 0;
	}
	/* The directory above bin/: PREFIX in PREFIX/bin/tlsdiag. */
	parentlen = dirlen;
	while (parentlen > 0 && exe[parentlen - 1] != '/')
		parentlen--;
	while (parentlen > 1 && exe[parentlen - 1] == '/')
		parentlen--;
	if (parentlen <= 1)
		parentlen = 0;
	/* 2: Debian's multiarch directory, PREFIX/lib/<triplet>/tlsdiag */
	len = snprintf(buf, bufsz, "%.*s/lib/%s%s%s/%s", (int)parentlen, exe,
	    n == 2 ? arch : "", n == 2 ? "/" : "", "tlsdiag", RUN_SHIM_NAME);
	if (len < 0 || (size_t)len >= bufsz)
		return -1;
	return 0;
}

int
run_find_shim(const char *exe, const char *override, char *buf, size_t bufsz,
    char *err, size_t errsz)
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
			snprintf(err, errsz,
			    "TLSDIAG_SHIM '%s': path too "
			    "long",
			    override);
			return -1;
		}
		memcpy(buf, resolved, len + 1);
		return 0;
	}
	for (n = 0; run_shim_candidate(exe, n, buf, bufsz) == 0; n++)
		if (access(buf, R_OK) == 0)
			return 0;
	snprintf(err, errsz,
	    "cannot find %s next to '%s' or in "
	    "../lib/tlsdiag/ or ../lib/%s/tlsdiag/ from it; set TLSDIAG_SHIM "
	    "to its path",
	    RUN_SHIM_NAME, exe, RUN_MULTIARCH);
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
run_compose_preload(const char *shim, const char *old, char *buf, size_t bufsz)
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
run_compose_node_options(const char *script, const char *old, char *buf,
    size_t bufsz)
{
	static const char opt[] = "--require=\"";
	char tok[2 * 4096 + sizeof(opt) + 2];
	size_t o = 0, n;
	const char *p;

	memcpy(tok, opt, sizeof(opt) - 1);
	o = sizeof(opt) - 1;
	for (p = script; *p != '\0'; p++) {
		if (o + 4 > sizeof(tok))
			return -1;
		if (*p == '"' || *p == '\\')
			tok[o++] = '\\';
		tok[o++] = *p;
	}
	tok[o++] = '"';
	tok[o] = '\0';
	if (old == NULL || old[0] == '\0' || strstr(old, tok) != NULL) {
		n = old != NULL && old[0] != '\0' ? strlen(old) : 0;
		if (n == 0)
			old = tok;
		if (strlen(old) >= bufsz)
			return -1;
		memcpy(buf, old, strlen(old) + 1);
		return 0;
	}
	n = strlen(old);
	if (n + 1 + o >= bufsz)
		return -1;
	memcpy(buf, old, n);
	buf[n] = ' ';
	memcpy(buf + n + 1, tok, o + 1);
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
 * Starting the command: fork, exec, forward signals, wait.
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

/*
 * In the child: set the environment and exec.  A file without a "#!"
 * line is run by /bin/sh, as execvp(3) does.  Returns only on failure.
 */
static void
exec_child(const char *path, char **cmd, const char *preload, const char *log)
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

int
run_spawn(const char *path, char **cmd, const char *preload, const char *log)
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
		_exit(TLSDIAG_EXIT_RUN_NOEXEC);
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
