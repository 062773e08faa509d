/*
 * test_debugfile.c: the symbolizer's debug files.  A copy of this test
 * binary with its DWARF zlib-compressed (objcopy, as Debian's -dbg
 * packages ship it) is inflated into memory with sections equal to
 * libelf's own inflation, and symbolizes from there to the same function
 * and line, as does a stripped copy whose compressed debug file is found
 * by build-id; a debug file is found by build-id under a given root; and
 * a module with no debug information never loads libdebuginfod.
 */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../analyzer/debugfile.h"
#include "../../analyzer/symbolize.h"
#include "selfpath.h"
#include "rmtree.h"

__attribute__((noinline)) int debugfile_probe(int x);

__attribute__((noinline)) int
debugfile_probe(int x)
{
	return x * 5 + 3;
}

static char tmpdir[] = "/tmp/test_debugfile.XXXXXX";

/* objcopy ARGS self DST, in the temporary directory; returns DST's path */
static const char *
objcopy(const char *args, const char *name)
{
	static char dst[2][PATH_MAX];
	static int k;
	char cmd[3 * PATH_MAX];
	char *p = dst[k++ % 2];

	snprintf(p, PATH_MAX, "%s/%s", tmpdir, name);
	snprintf(cmd, sizeof(cmd), "objcopy %s '%s' '%s'", args, self_path(),
	    p);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	return p;
}

static void
setup(void)
{
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	(void)rmtree(tmpdir);
}

/* The offset of debugfile_probe + 4 from this binary's load base. */
static uint64_t
probe_offset(void)
{
	Dl_info info;
	uintptr_t addr = (uintptr_t)&debugfile_probe;

	cr_assert(dladdr((void *)addr, &info) != 0);
	return (uint64_t)(addr - (uintptr_t)info.dli_fbase) + 4;
}

static Elf_Scn *
section(Elf *e, const char *name)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t strndx;

	cr_assert(elf_getshdrstrndx(e, &strndx) == 0);
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		cr_assert_not_null(gelf_getshdr(scn, &sh));
		if (strcmp(elf_strptr(e, strndx, sh.sh_name), name) == 0)
			return scn;
	}
	return NULL;
}

Test(debugfile, inflates_as_libelf_does, .init = setup, .fini = teardown)
{
	static const char *const names[] = { ".debug_info", ".debug_line",
		".debug_abbrev", ".debug_str" };
	static const char *const left[] = { ".text", ".symtab", ".strtab" };
	struct stat st;
	const char *z = objcopy("--compress-debug-sections=zlib", "z.so");
	Elf_Scn *zs, *is;
	Elf_Data *zd, *id;
	GElf_Shdr zsh, ish;
	struct debugfile_image img;
	Elf *ze, *ie;
	size_t i;
	int zfd;

	elf_version(EV_CURRENT);
	zfd = open(z, O_RDONLY);
	cr_assert(zfd >= 0);
	cr_assert_eq(debugfile_inflate_image(zfd, &img), 0, "nothing inflated");
	cr_expect_eq(lseek(zfd, 0, SEEK_CUR), 0);
	ze = elf_begin(zfd, ELF_C_READ, NULL);
	ie = elf_memory((char *)img.data, img.size);
	cr_assert(ze != NULL && ie != NULL);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		zs = section(ze, names[i]);
		is = section(ie, names[i]);
		cr_assert(zs != NULL && is != NULL, "%s", names[i]);
		cr_assert_not_null(gelf_getshdr(zs, &zsh));
		cr_assert_not_null(gelf_getshdr(is, &ish));
		cr_expect(zsh.sh_flags & SHF_COMPRESSED, "%s", names[i]);
		cr_expect_eq(ish.sh_flags & SHF_COMPRESSED, 0, "%s", names[i]);
		/* The reference: libelf inflating with zlib. */
		cr_assert_eq(elf_compress(zs, 0, 0), 1, "%s", names[i]);
		zd = elf_getdata(zs, NULL);
		id = elf_rawdata(is, NULL);
		cr_assert(zd != NULL && id != NULL);
		cr_assert_eq(zd->d_size, id->d_size, "%s", names[i]);
		cr_expect(memcmp(zd->d_buf, id->d_buf, zd->d_size) == 0, "%s",
		    names[i]);
	}
	/* Locations are never read: left out rather than inflated; nor
	 * are code, symbols and program headers there (libdwfl reads the
	 * file itself for symbols), so the image is smaller than the
	 * binary with its DWARF uncompressed. */
	is = section(ie, ".debug_loclists");
	if (is != NULL) {
		cr_assert_not_null(gelf_getshdr(is, &ish));
		cr_expect_eq(ish.sh_type, SHT_NOBITS);
	}
	for (i = 0; i < sizeof(left) / sizeof(left[0]); i++) {
		is = section(ie, left[i]);
		cr_assert_not_null(is, "%s: no header", left[i]);
		cr_assert_not_null(gelf_getshdr(is, &ish));
		cr_expect_eq(ish.sh_type, SHT_NOBITS, "%s", left[i]);
	}
	cr_assert_not_null(elf64_getehdr(ie));
	cr_expect_eq(elf64_getehdr(ie)->e_phnum, 0);
	cr_assert_eq(stat(self_path(), &st), 0);
	cr_expect_lt(img.size, (size_t)st.st_size);
	elf_end(ze);
	elf_end(ie);
	debugfile_image_free(&img);
	cr_expect_null(img.data);
	debugfile_image_free(&img);
	close(zfd);
}

Test(debugfile, plain_file_is_left_alone, .init = setup, .fini = teardown)
{
	struct debugfile_image img;
	int fd = open(self_path(), O_RDONLY);

	cr_assert(fd >= 0);
	cr_expect_eq(debugfile_inflate_image(fd, &img), -1);
	cr_expect_null(img.data);
	close(fd);
	fd = open("/dev/null", O_RDONLY);
	cr_expect_eq(debugfile_inflate_image(fd, &img), -1);
	close(fd);
}

/*
 * module symbolizes debugfile_probe as this binary does, its DWARF read
 * from an image (this binary's is not).
 */
static void
expect_same_from_image(const char *module)
{
	struct symbolizer *s = symbolizer_new();
	struct sym_result a, b;
	uint64_t off = probe_offset();

	cr_assert_not_null(s);
	cr_assert_eq(symbolize(s, self_path(), NULL, off, &a), SYM_OK);
	cr_expect_eq(symbolizer_inflated(s), 0, "the plain module inflated");
	cr_assert_eq(symbolize(s, module, NULL, off, &b), SYM_OK);
	cr_expect_eq(symbolizer_inflated(s), 1, "not read from the image");
	cr_expect_str_eq(b.function, "debugfile_probe");
	cr_expect_str_eq(a.function, b.function);
	cr_expect_str_eq(a.file, b.file);
	cr_expect_eq(a.line, b.line);
	cr_expect_neq(b.line, 0);
	symbolizer_free(s);
}

Test(debugfile, compressed_module_symbolizes_the_same, .init = setup,
    .fini = teardown)
{
	expect_same_from_image(
	    objcopy("--compress-debug-sections=zlib", "z.so"));
}

/* root/.build-id/xx/yyyy.debug for bits, into path; its dir into dir */
static void
build_id_path(const unsigned char *bits, ssize_t len, char *dir, char *path)
{
	int i, n;

	snprintf(dir, PATH_MAX, "%s/.build-id/%02x", tmpdir, bits[0]);
	n = snprintf(path, PATH_MAX, "%s/", dir);
	for (i = 1; i < len; i++)
		n += snprintf(path + n, PATH_MAX - (size_t)n, "%02x", bits[i]);
	snprintf(path + n, PATH_MAX - (size_t)n, ".debug");
}

/*
 * This binary's build-id into bits (returns its length), and a copy of
 * its DWARF alone, compressed, where a -dbg package would put it under
 * the temporary directory (path; its dir into dir).
 */
static ssize_t
put_debug_file(unsigned char *bits, char *dir, char *path)
{
	char cmd[3 * PATH_MAX];
	const void *id;
	ssize_t len;
	Elf *e;
	int fd, n;

	elf_version(EV_CURRENT);
	fd = open(self_path(), O_RDONLY);
	e = elf_begin(fd, ELF_C_READ, NULL);
	len = dwelf_elf_gnu_build_id(e, &id);
	cr_assert(len >= 2 && len <= 64, "the test binary has no build-id");
	memcpy(bits, id, (size_t)len);
	elf_end(e);
	close(fd);
	build_id_path(bits, len, dir, path);
	n = snprintf(cmd, sizeof(cmd),
	    "mkdir -p '%s' && objcopy --only-keep-debug "
	    "--compress-debug-sections=zlib '%s' '%s'",
	    dir, self_path(), path);
	cr_assert(n > 0 && (size_t)n < sizeof(cmd), "command too long");
	cr_assert_eq(system(cmd), 0);
	return len;
}

Test(debugfile, found_by_build_id, .init = setup, .fini = teardown)
{
	char dir[PATH_MAX], path[PATH_MAX], opath[PATH_MAX];
	unsigned char bits[64], other[64];
	ssize_t len = put_debug_file(bits, dir, path);
	int n;

	n = debugfile_by_build_id(tmpdir, bits, (int)len);
	cr_expect(n >= 0, "not found at %s", path);
	if (n >= 0)
		close(n);
	cr_expect_eq(debugfile_by_build_id(tmpdir, bits, 1), -1);
	/* A file under the name of another build-id is not taken. */
	memcpy(other, bits, (size_t)len);
	other[len - 1] ^= 1;
	build_id_path(other, len, dir, opath);
	cr_assert_eq(rename(path, opath), 0);
	cr_expect_eq(debugfile_by_build_id(tmpdir, other, (int)len), -1);
	cr_expect_eq(debugfile_by_build_id(tmpdir, bits, (int)len), -1);
}

/*
 * A stripped module whose debug file, compressed, is found by build-id:
 * names from that file's symbol table (libdwfl), lines from its DWARF
 * inflated in memory, the same as the module with its own DWARF gives.
 */
Test(debugfile, debug_file_by_build_id_symbolizes_the_same, .init = setup,
    .fini = teardown)
{
	char dir[PATH_MAX], path[PATH_MAX];
	unsigned char bits[64];

	(void)put_debug_file(bits, dir, path);
	debugfile_set_build_id_root(tmpdir);
	expect_same_from_image(objcopy("--strip-all", "stripped.so"));
	debugfile_set_build_id_root(NULL);
	cr_expect_str_eq(debugfile_build_id_root(), DEBUGFILE_ROOT);
}

/*
 * libdw's standard search ends, for a module with no debug information
 * anywhere, in a dlopen of libdebuginfod (and GnuTLS, Kerberos, ...)
 * even with no server configured.  Without DEBUGINFOD_URLS it must not.
 */
Test(debugfile, no_debuginfod_without_urls, .init = setup, .fini = teardown)
{
	const char *bare = objcopy("--strip-debug", "bare.so");
	struct symbolizer *s = symbolizer_new();
	struct sym_result r;

	unsetenv("DEBUGINFOD_URLS");
	cr_assert_eq(symbolize(s, bare, NULL, probe_offset(), &r), SYM_OK);
	cr_expect_str_eq(r.function, "debugfile_probe");
	cr_expect_str_eq(r.file, "");
	cr_expect_null(dlopen("libdebuginfod.so.1", RTLD_NOW | RTLD_NOLOAD),
	    "libdebuginfod was loaded");
	symbolizer_free(s);
}
