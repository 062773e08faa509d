/*
 * cmd_unit.c: "tlsdiag enable/disable UNIT": the systemd drop-in the
 * README describes, written for the user, after checking that the loader
 * will honour LD_PRELOAD in the unit's programs.  unit.c has the parsing.
 */
#include "cmd_unit.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "exitcode.h"
#include "run.h"
#include "termsafe.h"
#include "unit.h"

#define UNIT_FILE_MAX (1 << 20)
#define SAFE_LEN 512

static const char unit_usage[] =
    "usage: tlsdiag enable [--root DIR] [--log TEMPLATE] UNIT\n"
    "       tlsdiag disable [--root DIR] UNIT\n";

/* Unit directories, in systemd's order of precedence. */
static const char *const unit_dirs[] = { "/etc/systemd/system",
	"/run/systemd/system", "/usr/local/lib/systemd/system",
	"/usr/lib/systemd/system", "/lib/systemd/system" };
#define NDIRS (sizeof(unit_dirs) / sizeof(unit_dirs[0]))

/* Where systemd looks for a program given without a '/'. */
static const char *const exec_dirs[] = { "/usr/local/sbin", "/usr/local/bin",
	"/usr/sbin", "/usr/bin", "/sbin", "/bin" };

struct unit_ctx {
	const char *root; /* "" for / */
	const char *unit;
	int refused;
};

/* snprintf() into a path buffer; -1 (ENAMETOOLONG) if it does not fit. */
static int pathf(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
pathf(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, cap, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cap) {
		out[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static const char *
esc(const char *s, char *buf)
{
	termsafe_escape(s, 300, buf, SAFE_LEN);
	return buf;
}

/* Read the file at path into a new NUL-terminated buffer, or NULL. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;

	if (f == NULL)
		return NULL;
	buf = malloc(UNIT_FILE_MAX + 1);
	if (buf == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, UNIT_FILE_MAX, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* The program path as it is under the root, resolved like systemd. */
static int
program_path(const struct unit_ctx *c, const char *prog, char *out, size_t cap)
{
	size_t i;
	int len;

	if (prog[0] == '/') {
		len = snprintf(out, cap, "%s%s", c->root, prog);
		return len < 0 || (size_t)len >= cap ? -1 : 0;
	}
	for (i = 0; i < sizeof(exec_dirs) / sizeof(exec_dirs[0]); i++) {
		len =
		    snprintf(out, cap, "%s%s/%s", c->root, exec_dirs[i], prog);
		if (len > 0 && (size_t)len < cap && access(out, X_OK) == 0)
			return 0;
	}
	return -1;
}

/* unit_exec_scan() callback: refuse a program LD_PRELOAD cannot reach. */
static int
check_program(const char *prog, void *arg)
{
	struct unit_ctx *c = arg;
	char path[PATH_MAX], b1[SAFE_LEN], b2[SAFE_LEN];
	struct stat st;
	const char *why = NULL;

	if (prog[0] == '\0')
		why = "runs a program named with specifiers or variables";
	else if (program_path(c, prog, path, sizeof(path)) < 0 ||
	    stat(path, &st) < 0)
		why = "runs a program that cannot be found";
	else if (st.st_mode & S_ISUID)
		why = "runs a setuid program";
	else if (st.st_mode & S_ISGID)
		why = "runs a setgid program";
	else if (getxattr(path, "security.capability", NULL, 0) >= 0)
		why = "runs a program with file capabilities";
	else if (errno != ENODATA && errno != ENOTSUP)
		why = "runs a program whose capabilities cannot be read";
	if (why == NULL)
		return 0;
	warnx("refusing '%s': it %s ('%s'), where the loader ignores "
	      "LD_PRELOAD",
	    esc(c->unit, b1), why, esc(prog, b2));
	c->refused = 1;
	return -1;
}

/* Scan the file at path if it exists; 1 if it does, -1 if refused. */
static int
scan_file(struct unit_ctx *c, const char *path)
{
	char *text = slurp(path);
	int rc;

	if (text == NULL)
		return 0;
	rc = unit_exec_scan(text, check_program, c);
	free(text);
	return rc < 0 ? -1 : 1;
}

/* Scan DIR/NAME.d/ *.conf (but ours) in every unit directory. */
static int
scan_dropins(struct unit_ctx *c, const char *name)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent **ents;
	size_t i;
	int n, j, rc = 0;

	for (i = 0; i < NDIRS && rc == 0; i++) {
		pathf(dir, sizeof(dir), "%s%s/%s.d", c->root, unit_dirs[i],
		    name);
		n = scandir(dir, &ents, NULL, alphasort);
		if (n < 0)
			continue;
		for (j = 0; j < n; j++) {
			const char *e = ents[j]->d_name;
			size_t l = strlen(e);

			if (rc == 0 && l > 5 &&
			    strcmp(e + l - 5, ".conf") == 0 &&
			    strcmp(e, UNIT_DROPIN_NAME) != 0) {
				pathf(path, sizeof(path), "%s/%s", dir, e);
				if (scan_file(c, path) < 0)
					rc = -1;
			}
			free(ents[j]);
		}
		free(ents);
	}
	return rc;
}

/* Find the unit and check its programs.  0 when it may be enabled. */
static int
check_unit(struct unit_ctx *c)
{
	char tmpl[UNIT_NAME_MAX], path[PATH_MAX], b[SAFE_LEN];
	size_t i;
	int found = 0,
	    is_inst = unit_template(c->unit, tmpl, sizeof(tmpl)) == 0;

	for (i = 0; i < NDIRS && !found; i++) {
		pathf(path, sizeof(path), "%s%s/%s", c->root, unit_dirs[i],
		    c->unit);
		found = scan_file(c, path);
		if (found == 0 && is_inst) {
			pathf(path, sizeof(path), "%s%s/%s", c->root,
			    unit_dirs[i], tmpl);
			found = scan_file(c, path);
		}
		if (found < 0)
			return -1;
	}
	if (!found) {
		warnx("refusing '%s': no such unit file in %s%s and the other "
		      "unit directories",
		    esc(c->unit, b), c->root, unit_dirs[0]);
		return -1;
	}
	if (scan_dropins(c, c->unit) < 0 ||
	    (is_inst && scan_dropins(c, tmpl) < 0))
		return -1;
	return 0;
}

/* Write data to path whole: a temporary file renamed over it. */
static int
write_file(const char *path, const char *data, size_t len)
{
	char tmp[PATH_MAX];
	int fd, saved;

	if (pathf(tmp, sizeof(tmp), "%s.tmp", path) < 0)
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	if (fd < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len || fsync(fd) < 0 ||
	    fchmod(fd, 0644) < 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved ? saved : EIO;
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		return -1;
	}
	return 0;
}

/*
 * Parse [--root DIR] [--log T] UNIT: 0, 1 after printing the usage for
 * --help, or -1 after a usage error was printed.
 */
static int
parse(int argc, char **argv, const char *usage, int with_log, const char **root,
    const char **log, char *unit)
{
	static const struct option opts[] = { { "root", 1, NULL, 'r' },
		{ "log", 1, NULL, 'l' }, { "help", 0, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	char b[SAFE_LEN];
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (ch == 'r')
			*root = optarg;
		else if (ch == 'l' && with_log)
			*log = optarg;
		else if (ch == 'h') {
			fputs(usage, stdout);
			return 1;
		} else {
			fputs(usage, stderr);
			return -1;
		}
	}
	if (optind != argc - 1) {
		fputs(usage, stderr);
		return -1;
	}
	if (unit_name(argv[optind], unit, UNIT_NAME_MAX) < 0) {
		warnx("'%s' is not a service unit name", esc(argv[optind], b));
		return -1;
	}
	if (strcmp(*root, "/") == 0)
		*root = "";
	return 0;
}

int
cmd_enable(int argc, char **argv)
{
	char unit[UNIT_NAME_MAX], self[PATH_MAX], shim[PATH_MAX], msg[PATH_MAX];
	char dir[PATH_MAX], path[PATH_MAX], text[16384], b[SAFE_LEN];
	const char *root = "", *log = UNIT_DEFAULT_LOG;
	struct unit_ctx c;
	struct stat st;
	ssize_t n;
	int len, rc;

	rc = parse(argc, argv, unit_usage, 1, &root, &log, unit);
	if (rc != 0)
		return rc > 0 ? TLSDIAG_EXIT_OK : TLSDIAG_EXIT_USAGE;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0) {
		warn("cannot read /proc/self/exe");
		return TLSDIAG_EXIT_SOFTWARE;
	}
	self[n] = '\0';
	if (run_find_shim(self, getenv("TLSDIAG_SHIM"), shim, sizeof(shim), msg,
		sizeof(msg)) < 0) {
		warnx("%s", msg);
		return TLSDIAG_EXIT_REFUSED;
	}
	if (strncmp(log, "syslog:", 7) != 0 && log[0] != '/') {
		warnx("--log '%s': not an absolute path or syslog:",
		    esc(log, b));
		return TLSDIAG_EXIT_USAGE;
	}
	len = unit_dropin(text, sizeof(text), shim, log);
	if (len < 0) {
		warnx("cannot write a drop-in for '%s'", esc(log, b));
		return TLSDIAG_EXIT_USAGE;
	}
	memset(&c, 0, sizeof(c));
	c.root = root;
	c.unit = unit;
	if (check_unit(&c) < 0)
		return TLSDIAG_EXIT_REFUSED;
	if (pathf(dir, sizeof(dir), "%s%s/%s.d", root, UNIT_DROPIN_DIR, unit) <
		0 ||
	    pathf(path, sizeof(path), "%s/%s", dir, UNIT_DROPIN_NAME) < 0) {
		warnx("--root '%s': too long", esc(root, b));
		return TLSDIAG_EXIT_USAGE;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		warn("cannot create '%s'", esc(dir, b));
		return TLSDIAG_EXIT_SOFTWARE;
	}
	if (write_file(path, text, (size_t)len) < 0) {
		warn("cannot write '%s'", esc(path, b));
		return TLSDIAG_EXIT_SOFTWARE;
	}
	fprintf(stderr, "tlsdiag: wrote %s\n", esc(path, b));
	if (strncmp(log, "/var/log/tlsdiag/", 17) == 0) {
		pathf(dir, sizeof(dir), "%s/var/log/tlsdiag", root);
		if (stat(dir, &st) < 0 || (st.st_mode & 01777) != 01733)
			fprintf(stderr,
			    "tlsdiag: note: %s is missing or not mode 1733: "
			    "the tlsdiag package creates it\n",
			    esc(dir, b));
	}
	printf("systemctl daemon-reload && systemctl restart %s\n", unit);
	return TLSDIAG_EXIT_OK;
}

int
cmd_disable(int argc, char **argv)
{
	char unit[UNIT_NAME_MAX], dir[PATH_MAX], path[PATH_MAX], b[SAFE_LEN];
	const char *root = "", *log = NULL;
	int rc;

	rc = parse(argc, argv, unit_usage, 0, &root, &log, unit);
	if (rc != 0)
		return rc > 0 ? TLSDIAG_EXIT_OK : TLSDIAG_EXIT_USAGE;
	if (pathf(dir, sizeof(dir), "%s%s/%s.d", root, UNIT_DROPIN_DIR, unit) <
		0 ||
	    pathf(path, sizeof(path), "%s/%s", dir, UNIT_DROPIN_NAME) < 0) {
		warnx("--root '%s': too long", esc(root, b));
		return TLSDIAG_EXIT_USAGE;
	}
	if (unlink(path) < 0) {
		if (errno != ENOENT) {
			warn("cannot remove '%s'", esc(path, b));
			return TLSDIAG_EXIT_SOFTWARE;
		}
		fprintf(stderr, "tlsdiag: %s has no tlsdiag drop-in\n", unit);
		return TLSDIAG_EXIT_OK;
	}
	rmdir(dir); /* only if now empty */
	fprintf(stderr, "tlsdiag: removed %s\n", esc(path, b));
	printf("systemctl daemon-reload && systemctl restart %s\n", unit);
	return TLSDIAG_EXIT_OK;
}
