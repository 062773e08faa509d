/*
 * test_exeprobe.c: what "tlsdiag run" warns about, decided from files on
 * this machine (Debian 12): our own build, the system's openssl and
 * ldconfig, the official node binary when installed, and copies of our
 * binary altered to carry an OpenSSL version string or set-id bits.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../analyzer/exeprobe.h"
#include "rmtree.h"

static struct exeprobe
probe(const char *path)
{
	struct exeprobe p;
	char err[256];

	cr_assert_eq(exeprobe_file(path, &p, err, sizeof(err)), 0, "%s: %s",
	    path, err);
	return p;
}

static char dir[] = "/tmp/tlsdiag-test-exeprobe.XXXXXX";

static void
setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	cr_expect_eq(rmtree(dir), 0);
}

/*
 * Copy our tlsdiag (from BUILD_DIR: make asan builds its own) to dir/name,
 * then append tail (may be "").
 */
static void
copy_self(const char *name, const char *tail, char *out, size_t outsz)
{
	char cmd[3 * PATH_MAX];
	FILE *fp;

	snprintf(out, outsz, "%s/%s", dir, name);
	snprintf(cmd, sizeof(cmd), "cp '%s/tlsdiag' '%s'", BUILD_DIR, out);
	cr_assert_eq(system(cmd), 0);
	fp = fopen(out, "a");
	cr_assert_not_null(fp);
	fputs(tail, fp);
	cr_assert_eq(fclose(fp), 0);
}

TestSuite(exeprobe, .init = setup, .fini = teardown);

Test(exeprobe, our_own_binary)
{
	struct exeprobe p = probe(BUILD_DIR "/tlsdiag");

	cr_expect_eq(p.elf, 1);
	cr_expect_eq(p.static_exe, 0);
	cr_expect_eq(p.static_openssl, 0);
	cr_expect_eq(p.needs_libssl, 0);
	cr_expect_eq(p.setid, 0);
	cr_expect_eq(p.caps, 0);
	cr_expect_str_eq(p.other_tls, "");
}

Test(exeprobe, dynamic_openssl)
{
	struct exeprobe p = probe("/usr/bin/openssl");

	cr_expect_eq(p.elf, 1);
	cr_expect_eq(p.needs_libssl, 1);
	cr_expect_eq(p.static_openssl, 0);
	cr_expect_eq(p.exports_ssl, 0, "libssl's SSL_read, not its own");
	cr_expect_eq(p.static_exe, 0);
}

/* Debian's ldconfig is static-pie: no PT_INTERP, so no preload at all. */
Test(exeprobe, static_executable)
{
	struct exeprobe p = probe("/sbin/ldconfig");

	cr_expect_eq(p.elf, 1);
	cr_expect_eq(p.static_exe, 1);
	cr_expect_eq(p.static_openssl, 0);
}

/* The official node binary exports OpenSSL's API from itself. */
Test(exeprobe, node_static_openssl)
{
	struct exeprobe p;

	if (access("/usr/bin/node", R_OK) != 0)
		cr_skip_test("/usr/bin/node is not installed");
	p = probe("/usr/bin/node");
	cr_expect_eq(p.elf, 1);
	cr_expect_eq(p.static_openssl, 1);
	cr_expect_eq(p.needs_libssl, 0);
	/* exported: the shim hooks its entry points, run does not warn */
	cr_expect_eq(p.exports_ssl, 1);
}

static const struct {
	const char *tail;
	int want;
} version_cases[] = {
	{ "", 0 },
	{ "OpenSSL 3.0.13 30 Jan 2024", 1 },
	{ "xxOpenSSL 3.5.0 8 Apr 2025\n", 1 },
	{ "OpenSSL 1.1.1w  11 Sep 2023", 1 },
	{ "OpenSSL 3.0 is what we use", 0 },
	{ "OpenSSL 3.0.13", 0 },
	{ "OpenSSL 3.0.13 Jan", 0 },
	{ "OpenSSL 3.0.13x30 Jan", 0 },
	{ "OpenSSL 3.0.1.2 30 Jan", 0 },
	{ "OpenSSL OpenSSL 3.0.2 15 Mar 2022", 1 },
};

/* Hidden symbols, but OpenSSL's version text compiled in. */
Test(exeprobe, version_string)
{
	char path[PATH_MAX], name[32];
	struct exeprobe p;
	size_t i;

	for (i = 0; i < sizeof(version_cases) / sizeof(version_cases[0]); i++) {
		snprintf(name, sizeof(name), "v%zu", i);
		copy_self(name, version_cases[i].tail, path, sizeof(path));
		p = probe(path);
		cr_expect_eq(p.elf, 1, "case %zu", i);
		cr_expect_eq(p.static_openssl, version_cases[i].want,
		    "case %zu: '%s'", i, version_cases[i].tail);
		cr_expect_eq(p.exports_ssl, 0, "case %zu: nothing exported", i);
	}
}

Test(exeprobe, not_elf)
{
	char path[PATH_MAX];
	struct exeprobe p;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/script", dir);
	fp = fopen(path, "w");
	cr_assert_not_null(fp);
	fputs("#!/bin/sh\necho OpenSSL 3.0.13 30 Jan 2024\n", fp);
	fclose(fp);
	p = probe(path);
	cr_expect_eq(p.elf, 0);
	cr_expect_eq(p.static_exe, 0);
	cr_expect_eq(p.static_openssl, 0, "only ELF files are searched");

	p = probe(dir);
	cr_expect_eq(p.elf, 0, "a directory");
}

Test(exeprobe, missing_file)
{
	struct exeprobe p;
	char err[256];

	cr_expect_eq(exeprobe_file("/nonexistent/prog", &p, err, sizeof(err)),
	    -1);
	cr_expect_str_eq(err,
	    "cannot open '/nonexistent/prog': No such file "
	    "or directory");
}

/*
 * Set-id bits matter only when they change our ids: root running a
 * setuid-root program keeps its preload, nobody's setuid program does not.
 */
Test(exeprobe, setid)
{
	char path[PATH_MAX];
	struct exeprobe p;

	if (getuid() != 0)
		cr_skip_test("needs root to give a file to another user");
	copy_self("suid", "", path, sizeof(path));
	cr_assert_eq(chmod(path, 04755), 0);
	p = probe(path);
	cr_expect_eq(p.setid, 0, "setuid root, run by root");
	cr_assert_eq(chown(path, 65534, 65534), 0);
	cr_assert_eq(chmod(path, 04755), 0);
	p = probe(path);
	cr_expect_eq(p.setid, 1, "setuid nobody, run by root");
	cr_assert_eq(chmod(path, 0755), 0);
	p = probe(path);
	cr_expect_eq(p.setid, 0, "no set-id bit");
	cr_assert_eq(chmod(path, 02745), 0);
	p = probe(path);
	cr_expect_eq(p.setid, 0, "setgid without group execute is not setgid");
	cr_assert_eq(chmod(path, 02755), 0);
	p = probe(path);
	cr_expect_eq(p.setid, 1, "setgid nogroup, run by root");
	cr_expect_eq(p.caps, 0);
}
