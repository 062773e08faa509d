/*
 * test_run.c: the pure parts of "tlsdiag run": argument parsing, where
 * the shim is looked for, and the LD_PRELOAD, TLSDIAG_LOG and PATH
 * handling the child's environment is built from.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../analyzer/run.h"
#include "rmtree.h"

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))
#define MAXARGS 8

/* argv as a space-separated string; "-" as log means none expected. */
static const struct {
	const char *args;
	int rc;
	const char *log;
	int quiet;
	int help;
	const char *cmd; /* the command's argv joined, or the error */
} parse_cases[] = {
	{ "run -- curl -k https://x", 0, "-", 0, 0, "curl -k https://x" },
	{ "run curl -k", 0, "-", 0, 0, "curl -k" },
	{ "run -q -o f.log -- a b", 0, "f.log", 1, 0, "a b" },
	{ "run -qo f.log a", 0, "f.log", 1, 0, "a" },
	{ "run -of.log a", 0, "f.log", 0, 0, "a" },
	{ "run -o -q a", 0, "-q", 0, 0, "a" },
	{ "run -- -q", 0, "-", 0, 0, "-q" },
	{ "run a -q -o x", 0, "-", 0, 0, "a -q -o x" },
	{ "run - x", 0, "-", 0, 0, "- x" },
	{ "run -h", 0, "-", 0, 1, "" },
	{ "run --help curl", 0, "-", 0, 1, "" },
	{ "run -q --help", 0, "-", 1, 1, "" },
	{ "run", -1, "-", 0, 0, "no command given" },
	{ "run -q", -1, "-", 0, 0, "no command given" },
	{ "run -q --", -1, "-", 0, 0, "no command given" },
	{ "run -o", -1, "-", 0, 0, "option '-o' needs a file name" },
	{ "run -x a", -1, "-", 0, 0, "unknown option '-x'" },
	{ "run -qx a", -1, "-", 0, 0, "unknown option '-x'" },
	{ "run --quiet a", -1, "-", 0, 0, "unknown option '--quiet'" },
};

static void
join(char **v, char *buf, size_t bufsz)
{
	buf[0] = '\0';
	for (; v != NULL && *v != NULL; v++) {
		if (buf[0] != '\0')
			strncat(buf, " ", bufsz - strlen(buf) - 1);
		strncat(buf, *v, bufsz - strlen(buf) - 1);
	}
}

Test(run, parse_args)
{
	char copy[256], got[256], err[256];
	char *argv[MAXARGS + 1];
	struct run_opts o;
	size_t i;
	int argc, rc;

	for (i = 0; i < NCASES(parse_cases); i++) {
		snprintf(copy, sizeof(copy), "%s", parse_cases[i].args);
		argc = 0;
		for (char *t = strtok(copy, " "); t != NULL && argc < MAXARGS;
		     t = strtok(NULL, " "))
			argv[argc++] = t;
		argv[argc] = NULL;
		err[0] = '\0';
		rc = run_parse_args(argc, argv, &o, err, sizeof(err));
		cr_expect_eq(rc, parse_cases[i].rc, "'%s': rc %d",
		    parse_cases[i].args, rc);
		if (rc == -1) {
			cr_expect_str_eq(err, parse_cases[i].cmd, "'%s'",
			    parse_cases[i].args);
			continue;
		}
		cr_expect_str_eq(o.log != NULL ? o.log : "-",
		    parse_cases[i].log, "'%s': log", parse_cases[i].args);
		cr_expect_eq(o.quiet, parse_cases[i].quiet, "'%s': quiet",
		    parse_cases[i].args);
		cr_expect_eq(o.help, parse_cases[i].help, "'%s': help",
		    parse_cases[i].args);
		join(o.help ? NULL : o.cmd, got, sizeof(got));
		cr_expect_str_eq(got, parse_cases[i].cmd, "'%s': command",
		    parse_cases[i].args);
	}
}

static const struct {
	const char *exe;
	const char *c0; /* NULL: no candidate */
	const char *c1;
	const char *c2; /* after lib/ and RUN_MULTIARCH */
} candidate_cases[] = {
	{ "/work/main/build/tlsdiag", "/work/main/build/libtlsdiag.so",
	    "/work/main/lib/tlsdiag/libtlsdiag.so",
	    "/work/main/lib/" RUN_MULTIARCH "/tlsdiag/libtlsdiag.so" },
	{ "/usr/local/bin/tlsdiag", "/usr/local/bin/libtlsdiag.so",
	    "/usr/local/lib/tlsdiag/libtlsdiag.so",
	    "/usr/local/lib/" RUN_MULTIARCH "/tlsdiag/libtlsdiag.so" },
	{ "/usr/bin/tlsdiag", "/usr/bin/libtlsdiag.so",
	    "/usr/lib/tlsdiag/libtlsdiag.so",
	    "/usr/lib/" RUN_MULTIARCH "/tlsdiag/libtlsdiag.so" },
	{ "/opt/t//bin/tlsdiag", "/opt/t//bin/libtlsdiag.so",
	    "/opt/t/lib/tlsdiag/libtlsdiag.so",
	    "/opt/t/lib/" RUN_MULTIARCH "/tlsdiag/libtlsdiag.so" },
	{ "/bin/tlsdiag", "/bin/libtlsdiag.so", "/lib/tlsdiag/libtlsdiag.so",
	    "/lib/" RUN_MULTIARCH "/tlsdiag/libtlsdiag.so" },
	{ "/tlsdiag", "/libtlsdiag.so", "/lib/tlsdiag/libtlsdiag.so",
	    "/lib/" RUN_MULTIARCH "/tlsdiag/libtlsdiag.so" },
	{ "tlsdiag", NULL, NULL, NULL },
};

Test(run, shim_candidates)
{
	char buf[PATH_MAX];
	size_t i;

	for (i = 0; i < NCASES(candidate_cases); i++) {
		const char *exe = candidate_cases[i].exe;

		if (candidate_cases[i].c0 == NULL) {
			cr_expect_eq(run_shim_candidate(exe, 0, buf,
					 sizeof(buf)),
			    -1, "%s", exe);
			continue;
		}
		cr_assert_eq(run_shim_candidate(exe, 0, buf, sizeof(buf)), 0);
		cr_expect_str_eq(buf, candidate_cases[i].c0, "%s: 0", exe);
		cr_assert_eq(run_shim_candidate(exe, 1, buf, sizeof(buf)), 0);
		cr_expect_str_eq(buf, candidate_cases[i].c1, "%s: 1", exe);
		cr_assert_eq(run_shim_candidate(exe, 2, buf, sizeof(buf)), 0);
		cr_expect_str_eq(buf, candidate_cases[i].c2, "%s: 2", exe);
		cr_expect_eq(run_shim_candidate(exe, 3, buf, sizeof(buf)), -1,
		    "%s: no fourth candidate", exe);
	}
	cr_expect_eq(run_shim_candidate("/usr/local/bin/tlsdiag", 0, buf, 10),
	    -1, "too small a buffer");
}

static void
touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);

	cr_assert_neq(fd, -1, "create %s", path);
	close(fd);
}

/* The build layout wins over the installed one; an override over both. */
Test(run, find_shim)
{
	char dir[] = "/tmp/tlsdiag-test-run.XXXXXX";
	char exe[PATH_MAX], lib[PATH_MAX], path[PATH_MAX], err[PATH_MAX + 128];
	char want[PATH_MAX];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(exe, sizeof(exe), "%s/bin/tlsdiag", dir);
	snprintf(path, sizeof(path), "%s/bin", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/lib", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/lib/tlsdiag", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	touch(exe);

	cr_expect_eq(run_find_shim(exe, NULL, path, sizeof(path), err,
			 sizeof(err)),
	    -1, "nothing installed yet");
	cr_expect_not_null(strstr(err, "set TLSDIAG_SHIM"), "%s", err);

	snprintf(lib, sizeof(lib), "%s/lib/tlsdiag/libtlsdiag.so", dir);
	touch(lib);
	cr_assert_eq(run_find_shim(exe, "", path, sizeof(path), err,
			 sizeof(err)),
	    0, "%s", err);
	cr_expect_str_eq(path, lib, "installed layout");

	snprintf(want, sizeof(want), "%s/bin/libtlsdiag.so", dir);
	touch(want);
	cr_assert_eq(run_find_shim(exe, NULL, path, sizeof(path), err,
			 sizeof(err)),
	    0, "%s", err);
	cr_expect_str_eq(path, want, "build layout first");

	/* The override is made absolute: children may change directory. */
	cr_assert_eq(chdir(dir), 0);
	cr_assert_eq(run_find_shim(exe, "./lib/tlsdiag/libtlsdiag.so", path,
			 sizeof(path), err, sizeof(err)),
	    0, "%s", err);
	cr_expect_str_eq(path, lib, "override");
	cr_expect_eq(run_find_shim(exe, "./nonexistent.so", path, sizeof(path),
			 err, sizeof(err)),
	    -1);
	cr_expect_str_eq(err,
	    "TLSDIAG_SHIM './nonexistent.so': No such file "
	    "or directory");

	unlink(want);
	unlink(lib);
	unlink(exe);
	cr_expect_eq(rmtree(dir), 0);
}

static const struct {
	const char *shim;
	const char *old;  /* NULL: LD_PRELOAD unset */
	const char *want; /* NULL: -1 expected */
} preload_cases[] = {
	{ "/b/libtlsdiag.so", NULL, "/b/libtlsdiag.so" },
	{ "/b/libtlsdiag.so", "", "/b/libtlsdiag.so" },
	{ "/b/libtlsdiag.so", "/x/libfoo.so", "/b/libtlsdiag.so:/x/libfoo.so" },
	{ "/b/libtlsdiag.so", "libfoo.so /x/bar.so",
	    "/b/libtlsdiag.so:libfoo.so:/x/bar.so" },
	{ "/b/libtlsdiag.so", " :a.so:: b.so: ", "/b/libtlsdiag.so:a.so:b.so" },
	/* No second shim, whichever copy it is. */
	{ "/b/libtlsdiag.so", "/b/libtlsdiag.so", "/b/libtlsdiag.so" },
	{ "/b/libtlsdiag.so", "a.so:/usr/local/lib/tlsdiag/libtlsdiag.so",
	    "/b/libtlsdiag.so:a.so" },
	{ "/b/libtlsdiag.so", "libtlsdiag.so", "/b/libtlsdiag.so" },
	{ "/b/libtlsdiag.so", "/x/mylibtlsdiag.so",
	    "/b/libtlsdiag.so:/x/mylibtlsdiag.so" },
	{ "/b/libtlsdiag.so", "/x/libtlsdiag.so.1",
	    "/b/libtlsdiag.so:/x/libtlsdiag.so.1" },
	/* The loader splits on ':' and blanks: such a shim cannot load. */
	{ "/my dir/libtlsdiag.so", NULL, NULL },
	{ "/a:b/libtlsdiag.so", NULL, NULL },
	{ "", NULL, NULL },
};

Test(run, compose_preload)
{
	char buf[128];
	size_t i;
	int rc;

	for (i = 0; i < NCASES(preload_cases); i++) {
		rc = run_compose_preload(preload_cases[i].shim,
		    preload_cases[i].old, buf, sizeof(buf));
		if (preload_cases[i].want == NULL) {
			cr_expect_eq(rc, -1, "case %zu", i);
			continue;
		}
		cr_expect_eq(rc, 0, "case %zu", i);
		cr_expect_str_eq(buf, preload_cases[i].want, "case %zu", i);
	}
	/* "/b/libtlsdiag.so:/x/y.so" is 24 bytes, 25 with its NUL. */
	cr_expect_eq(run_compose_preload("/b/libtlsdiag.so", "/x/y.so", buf,
			 25),
	    0, "fits exactly");
	cr_expect_str_eq(buf, "/b/libtlsdiag.so:/x/y.so");
	cr_expect_eq(run_compose_preload("/b/libtlsdiag.so", "/x/y.so", buf,
			 24),
	    -1, "one short");
	cr_expect_eq(run_compose_preload("/b/libtlsdiag.so", NULL, buf, 16), -1,
	    "not even the shim fits");
}

static const struct {
	const char *script;
	const char *old;
	const char *want; /* NULL: -1 expected */
} node_cases[] = {
	{ "/b/tlsdiag-node.js", NULL, "--require=\"/b/tlsdiag-node.js\"" },
	{ "/b/tlsdiag-node.js", "", "--require=\"/b/tlsdiag-node.js\"" },
	/* the user's own options come first and stay */
	{ "/b/tlsdiag-node.js", "--max-old-space-size=64",
	    "--max-old-space-size=64 --require=\"/b/tlsdiag-node.js\"" },
	/* a nested run does not add it twice */
	{ "/b/tlsdiag-node.js", "-r x --require=\"/b/tlsdiag-node.js\"",
	    "-r x --require=\"/b/tlsdiag-node.js\"" },
	/* blanks are safe inside the quotes; '"' and '\\' are escaped */
	{ "/my dir/tlsdiag-node.js", NULL,
	    "--require=\"/my dir/tlsdiag-node.js\"" },
	{ "/a\"b\\c/t.js", NULL, "--require=\"/a\\\"b\\\\c/t.js\"" },
};

Test(run, compose_node_options)
{
	char buf[128];
	size_t i;
	int rc;

	for (i = 0; i < NCASES(node_cases); i++) {
		rc = run_compose_node_options(node_cases[i].script,
		    node_cases[i].old, buf, sizeof(buf));
		cr_expect_eq(rc, 0, "case %zu", i);
		cr_expect_str_eq(buf, node_cases[i].want, "case %zu", i);
	}
	/* "--require=\"/t.js\"" is 17 bytes, 18 with its NUL */
	cr_expect_eq(run_compose_node_options("/t.js", NULL, buf, 18), 0,
	    "fits exactly");
	cr_expect_eq(run_compose_node_options("/t.js", NULL, buf, 17), -1,
	    "one short");
	cr_expect_eq(run_compose_node_options("/t.js", "-x", buf, 20), -1,
	    "no room for the user's options too");
}

static const struct {
	const char *path;
	const char *cwd;
	const char *want; /* NULL: -1 expected */
} log_cases[] = {
	{ "/tmp/a.jsonl", "/home/u", "/tmp/a.jsonl" },
	{ "a.jsonl", "/home/u", "/home/u/a.jsonl" },
	{ "logs/a.jsonl", "/", "/logs/a.jsonl" },
	{ "/tmp/100%.log", "/x", "/tmp/100%%.log" },
	{ "%p.log", "/w%h", "/w%%h/%%p.log" },
	{ "a.log", "", NULL },
	{ "a.log", NULL, NULL },
	{ "/abs.log", NULL, "/abs.log" },
};

Test(run, log_template)
{
	char buf[64];
	size_t i;
	int rc;

	for (i = 0; i < NCASES(log_cases); i++) {
		rc = run_log_template(log_cases[i].path, log_cases[i].cwd, buf,
		    sizeof(buf));
		if (log_cases[i].want == NULL) {
			cr_expect_eq(rc, -1, "case %zu", i);
			continue;
		}
		cr_expect_eq(rc, 0, "case %zu", i);
		cr_expect_str_eq(buf, log_cases[i].want, "case %zu", i);
	}
	cr_expect_eq(run_log_template("/tmp/abc", "/", buf, 8), -1,
	    "does not fit");
	cr_expect_eq(run_log_template("/tmp/abc", "/", buf, 9), 0,
	    "fits exactly");
	cr_expect_eq(run_log_template("/a%", "/", buf, 4), -1,
	    "'%%' doubled does not fit");
	cr_expect_eq(run_log_template("/a%", "/", buf, 5), 0,
	    "'%%' doubled fits exactly");
	cr_expect_str_eq(buf, "/a%%");
	cr_expect_eq(run_log_template("ab", "/x", buf, 6), 0, "relative fits");
	cr_expect_str_eq(buf, "/x/ab");
	cr_expect_eq(run_log_template("ab", "/x", buf, 5), -1,
	    "relative does not fit");
}

/* PATH search with execvp(3)'s rules, in a directory tree of our own. */
Test(run, resolve)
{
	char dir[] = "/tmp/tlsdiag-test-resolve.XXXXXX";
	char p[PATH_MAX], path_env[3 * PATH_MAX], buf[PATH_MAX], want[PATH_MAX];
	static const char *const dirs[] = { "a", "b", "c" };
	size_t i;

	cr_assert_not_null(mkdtemp(dir));
	for (i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, dirs[i]);
		cr_assert_eq(mkdir(p, 0755), 0);
	}
	/* a/prog is not executable, b/prog is, c/prog too (shadowed). */
	snprintf(p, sizeof(p), "%s/a/prog", dir);
	touch(p);
	cr_assert_eq(chmod(p, 0644), 0);
	snprintf(want, sizeof(want), "%s/b/prog", dir);
	touch(want);
	snprintf(p, sizeof(p), "%s/c/prog", dir);
	touch(p);
	/* b/sub is a directory, a/only-a not executable. */
	snprintf(p, sizeof(p), "%s/b/sub", dir);
	cr_assert_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/a/only-a", dir);
	touch(p);
	cr_assert_eq(chmod(p, 0600), 0);
	snprintf(path_env, sizeof(path_env), "%s/nonexistent:%s/a:%s/b:%s/c",
	    dir, dir, dir, dir);

	cr_expect_eq(run_resolve("prog", path_env, buf, sizeof(buf)), 0);
	cr_expect_str_eq(buf, want, "first executable on PATH");

	errno = 0;
	cr_expect_eq(run_resolve("missing", path_env, buf, sizeof(buf)), -1);
	cr_expect_eq(errno, ENOENT, "not found: errno %d", errno);

	/* Even root cannot execute a file without any execute bit. */
	errno = 0;
	cr_expect_eq(run_resolve("only-a", path_env, buf, sizeof(buf)), -1);
	cr_expect_eq(errno, EACCES, "not executable: errno %d", errno);

	errno = 0;
	cr_expect_eq(run_resolve("sub", path_env, buf, sizeof(buf)), -1);
	cr_expect_eq(errno, EACCES, "a directory: errno %d", errno);

	/* A name with a slash is not looked up. */
	cr_expect_eq(run_resolve(want, "/nonexistent", buf, sizeof(buf)), 0);
	cr_expect_str_eq(buf, want);
	errno = 0;
	snprintf(p, sizeof(p), "%s/a/prog", dir);
	cr_expect_eq(run_resolve(p, path_env, buf, sizeof(buf)), -1);
	cr_expect_eq(errno, EACCES, "slash, not executable: errno %d", errno);
	errno = 0;
	cr_expect_eq(run_resolve("./nonexistent-prog", path_env, buf,
			 sizeof(buf)),
	    -1);
	cr_expect_eq(errno, ENOENT);

	/* An empty PATH entry is the current directory. */
	cr_assert_eq(chdir(dir), 0);
	cr_expect_eq(run_resolve("prog", "/nonexistent::", buf, sizeof(buf)),
	    -1, "a/prog is not in ., only in a/");
	cr_assert_eq(chdir("b"), 0);
	cr_expect_eq(run_resolve("prog", "/nonexistent::", buf, sizeof(buf)),
	    0);
	cr_expect_str_eq(buf, "prog");

	/* No PATH: execvp's default, which has sh. */
	cr_expect_eq(run_resolve("sh", NULL, buf, sizeof(buf)), 0);
	cr_expect_str_eq(buf, "/bin/sh");

	errno = 0;
	cr_expect_eq(run_resolve("", path_env, buf, sizeof(buf)), -1);
	cr_expect_eq(errno, ENOENT);

	cr_assert_eq(chdir("/"), 0);
	cr_expect_eq(rmtree(dir), 0);
}
