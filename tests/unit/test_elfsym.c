/*
 * test_elfsym.c: the exit scan's symbol lookup, against dlsym on the
 * objects loaded in this process, and on a built image damaged byte by
 * byte (every address read must stay inside its PT_LOAD: ASan checks).
 */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../shim/elfsym.h"

struct find {
	const char *stem;
	struct dl_phdr_info info;
	int found;
};

static int
find_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct find *f = arg;
	const char *base;

	(void)size;
	if (info->dlpi_name == NULL)
		return 0;
	base = strrchr(info->dlpi_name, '/');
	base = base != NULL ? base + 1 : info->dlpi_name;
	if (strncmp(base, f->stem, strlen(f->stem)) != 0)
		return 0;
	f->info = *info;
	f->found = 1;
	return 1;
}

/* elfsym's answer for name in the loaded object whose name starts with stem */
static int
lookup(const char *stem, const char *name, uintptr_t *addr)
{
	struct find f = { stem, { 0 }, 0 };

	dl_iterate_phdr(find_cb, &f);
	cr_assert(f.found, "%s is not loaded", stem);
	return elfsym_lookup(f.info.dlpi_addr, f.info.dlpi_phdr,
	    f.info.dlpi_phnum, name, addr);
}

Test(elfsym, agrees_with_dlsym_on_libssl)
{
	static const char *const names[] = { "SSL_new", "SSL_read",
		"SSL_write_ex", "SSL_CTX_new", "OPENSSL_init_ssl",
		"SSL_get_error", "TLS_method", NULL };
	void *h = dlopen("libssl.so.3", RTLD_LAZY | RTLD_LOCAL);
	uintptr_t at;
	int i;

	cr_assert_not_null(h, "%s", dlerror());
	for (i = 0; names[i] != NULL; i++) {
		at = 0;
		cr_expect_eq(lookup("libssl.so.", names[i], &at), 1, "%s",
		    names[i]);
		cr_expect_eq(at, (uintptr_t)dlsym(h, names[i]), "%s", names[i]);
	}
	/* imported from libcrypto: named in libssl's table, not defined */
	cr_expect_eq(lookup("libssl.so.", "EVP_MD_CTX_new", NULL), 0);
	cr_expect_eq(lookup("libssl.so.", "SSL_no_such_function", NULL), 0);
	cr_expect_eq(lookup("libcrypto.so.", "SSL_new", NULL), 0);
	cr_expect_eq(lookup("libcrypto.so.", "EVP_MD_CTX_new", &at), 1);
	cr_expect_eq(lookup("libc.so.", "SSL_new", NULL), 0);
	cr_expect_eq(lookup("libc.so.", "getauxval", NULL), 1);
	dlclose(h);
}

Test(elfsym, no_table_is_unknown)
{
	ElfW(Phdr) ph[1];

	memset(ph, 0, sizeof(ph));
	ph[0].p_type = PT_LOAD;
	ph[0].p_memsz = 4096;
	cr_expect_eq(elfsym_lookup(0, NULL, 0, "SSL_new", NULL), -1);
	cr_expect_eq(elfsym_lookup(0, ph, 0, "SSL_new", NULL), -1);
	/* a PT_LOAD but no PT_DYNAMIC */
	cr_expect_eq(elfsym_lookup(0x10000, ph, 1, "SSL_new", NULL), -1);
}

/* A small object: a PT_LOAD over img, tables inside it. */
struct image {
	_Alignas(16) unsigned char b[1024];
	ElfW(Phdr) ph[2];
};

enum { OFF_DYN = 0, OFF_HASH = 128, OFF_SYM = 256, OFF_STR = 512 };

static uint32_t
djb(const char *s)
{
	uint32_t h = 5381;

	for (; *s != '\0'; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

/* Two defined symbols, "foo" and "bar", and "baz" named but undefined. */
static void
image_build(struct image *im)
{
	static const char strtab[] = "\0foo\0bar\0baz";
	ElfW(Dyn) *d = (ElfW(Dyn) *)(im->b + OFF_DYN);
	uint32_t *h = (uint32_t *)(im->b + OFF_HASH);
	ElfW(Addr) *bloom = (ElfW(Addr) *)(h + 4);
	uint32_t *bucket = (uint32_t *)(bloom + 1), *chain = bucket + 1;
	ElfW(Sym) *sym = (ElfW(Sym) *)(im->b + OFF_SYM);

	memset(im, 0, sizeof(*im));
	d[0].d_tag = DT_GNU_HASH;
	d[0].d_un.d_ptr = OFF_HASH;
	d[1].d_tag = DT_SYMTAB;
	d[1].d_un.d_ptr = OFF_SYM;
	d[2].d_tag = DT_STRTAB;
	d[2].d_un.d_ptr = OFF_STR;
	d[3].d_tag = DT_STRSZ;
	d[3].d_un.d_val = sizeof(strtab);
	d[4].d_tag = DT_NULL;
	h[0] = 1; /* buckets */
	h[1] = 1; /* symoffset */
	h[2] = 1; /* bloom words */
	h[3] = 6; /* bloom shift */
	bloom[0] = ~(ElfW(Addr))0;
	bucket[0] = 1;
	chain[0] = djb("foo") & ~1u;
	chain[1] = djb("bar") & ~1u;
	chain[2] = djb("baz") | 1u;
	sym[1].st_name = 1;
	sym[1].st_shndx = 7;
	sym[1].st_value = 0x300;
	sym[2].st_name = 5;
	sym[2].st_shndx = 7;
	sym[2].st_value = 0x310;
	sym[3].st_name = 9;
	sym[3].st_shndx = SHN_UNDEF;
	memcpy(im->b + OFF_STR, strtab, sizeof(strtab));
	im->ph[0].p_type = PT_LOAD;
	im->ph[0].p_memsz = sizeof(im->b);
	im->ph[1].p_type = PT_DYNAMIC;
	im->ph[1].p_vaddr = OFF_DYN;
	im->ph[1].p_memsz = 5 * sizeof(ElfW(Dyn));
}

static int
image_lookup(struct image *im, const char *name, uintptr_t *at)
{
	return elfsym_lookup((uintptr_t)im->b, im->ph, 2, name, at);
}

Test(elfsym, built_image)
{
	static struct image im;
	uintptr_t at = 0;

	image_build(&im);
	cr_expect_eq(image_lookup(&im, "foo", &at), 1);
	cr_expect_eq(at, (uintptr_t)im.b + 0x300);
	cr_expect_eq(image_lookup(&im, "bar", &at), 1);
	cr_expect_eq(at, (uintptr_t)im.b + 0x310);
	cr_expect_eq(image_lookup(&im, "baz", NULL), 0);
	cr_expect_eq(image_lookup(&im, "qux", NULL), 0);
	/* the Bloom filter rules a name out before any chain is read */
	((ElfW(Addr) *)(im.b + OFF_HASH + 16))[0] = 0;
	cr_expect_eq(image_lookup(&im, "foo", NULL), 0);
	image_build(&im);
	/* the segment ends before the string table: cannot tell */
	im.ph[0].p_memsz = OFF_STR + 2;
	cr_expect_eq(image_lookup(&im, "bar", NULL), -1);
	image_build(&im);
	/* a chain that never ends runs off the segment */
	((uint32_t *)(im.b + OFF_HASH))[8] &= ~1u;
	cr_expect_neq(image_lookup(&im, "qux", NULL), 1);
	image_build(&im);
	/* four billion buckets */
	((uint32_t *)(im.b + OFF_HASH))[0] = 0xffffffffu;
	cr_expect_eq(image_lookup(&im, "foo", NULL), -1);
	image_build(&im);
	/* a dynamic section without DT_NULL */
	memset(im.b, 0x41, OFF_HASH);
	cr_expect_eq(image_lookup(&im, "foo", NULL), -1);
	image_build(&im);
	/* one that runs past the end of its segment */
	im.ph[0].p_memsz = 64;
	cr_expect_eq(image_lookup(&im, "foo", NULL), -1);
}

/*
 * Every byte of the tables set to values that break bounds, one at a
 * time, then random damage: the answer is -1, 0 or 1, an address found
 * lies in the image, and (under ASan) nothing is read outside it.
 */
Test(elfsym, damaged_images)
{
	static const unsigned char vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	static const char *const names[] = { "foo", "bar", "baz", "qux" };
	static const char *const names4[] = { "foo", "bar", "baz", "qux",
		NULL };
	static struct image im;
	uint64_t x = 0x9e3779b97f4a7c15u;
	size_t i, v, k, j;
	uintptr_t at;
	int r;

	for (i = 0; i < 600; i++)
		for (v = 0; v < sizeof(vals); v++) {
			image_build(&im);
			im.b[i] = vals[v];
			for (k = 0; k < 4; k++) {
				r = image_lookup(&im, names[k], &at);
				cr_assert(r >= -1 && r <= 1);
				/* never "surely absent" for what is found */
				cr_assert(r != 1 ||
				    elfsym_may_define((uintptr_t)im.b, im.ph, 2,
					names[k]) == 1);
				cr_assert(r != 1 ||
				    (at >= (uintptr_t)im.b &&
					at < (uintptr_t)im.b + sizeof(im.b)));
			}
		}
	for (i = 0; i < 20000; i++) {
		image_build(&im);
		for (j = 0; j < 4; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			im.b[(x >> 8) % 600] = (unsigned char)x;
		}
		r = image_lookup(&im, names[x % 4], &at);
		cr_assert(r >= -1 && r <= 1);
		r = elfsym_binds_locally((uintptr_t)im.b, im.ph, 2, names4);
		cr_assert(r >= -1 && r <= 1);
		cr_assert(r != 1 ||
		    (at >= (uintptr_t)im.b &&
			at < (uintptr_t)im.b + sizeof(im.b)));
	}
}

Test(elfsym, defines_any)
{
	static const char *const some[] = { "qux", "baz", "bar", NULL };
	static const char *const none[] = { "qux", "baz", NULL };
	static const char *const empty[] = { NULL };
	static struct image im;

	image_build(&im);
	cr_expect_eq(elfsym_defines_any((uintptr_t)im.b, im.ph, 2, some), 1);
	cr_expect_eq(elfsym_defines_any((uintptr_t)im.b, im.ph, 2, none), 0);
	cr_expect_eq(elfsym_defines_any((uintptr_t)im.b, im.ph, 2, empty), 0);
	/* "bar"'s name cannot be read: unknown unless another is defined */
	im.ph[0].p_memsz = OFF_STR + 2;
	cr_expect_eq(elfsym_defines_any((uintptr_t)im.b, im.ph, 2, some), -1);
	cr_expect_eq(elfsym_defines_any((uintptr_t)im.b, NULL, 0, none), -1);
}

/*
 * libssl.so.3 calls its own SSL_connect through its GOT (a JUMP_SLOT:
 * a preload interposes on it) and never SSL_read; the built image has
 * no relocations at all.
 */
Test(elfsym, binds_locally)
{
	static const char *const connect[] = { "SSL_read", "SSL_connect",
		NULL };
	static const char *const read[] = { "SSL_read", NULL };
	static struct image im;
	void *h = dlopen("libssl.so.3", RTLD_LAZY | RTLD_LOCAL);
	struct find f = { "libssl.so", { 0 }, 0 };

	cr_assert_not_null(h, "%s", dlerror());
	dl_iterate_phdr(find_cb, &f);
	cr_assert(f.found);
	cr_expect_eq(elfsym_binds_locally(f.info.dlpi_addr, f.info.dlpi_phdr,
			 f.info.dlpi_phnum, connect),
	    0);
	cr_expect_eq(elfsym_binds_locally(f.info.dlpi_addr, f.info.dlpi_phdr,
			 f.info.dlpi_phnum, read),
	    1);
	dlclose(h);
	image_build(&im);
	cr_expect_eq(elfsym_binds_locally((uintptr_t)im.b, im.ph, 2, read), 1);
	cr_expect_eq(elfsym_binds_locally((uintptr_t)im.b, NULL, 0, read), -1);
}

/*
 * The bloom-filter pre-test never rules out a symbol the object
 * defines, and does rule out most names it lacks (libssl, libc).
 */
Test(elfsym, may_define)
{
	static const char *const defined[] = { "SSL_new", "SSL_read",
		"SSL_write_ex", "SSL_CTX_new", "SSL_get_error", "TLS_method",
		NULL };
	void *h = dlopen("libssl.so.3", RTLD_LAZY | RTLD_LOCAL);
	struct find f = { "libssl.so", { 0 }, 0 };
	struct find c = { "libc.so", { 0 }, 0 };
	char name[32];
	int i, out = 0;

	cr_assert_not_null(h, "%s", dlerror());
	dl_iterate_phdr(find_cb, &f);
	dl_iterate_phdr(find_cb, &c);
	cr_assert(f.found && c.found);
	for (i = 0; defined[i] != NULL; i++)
		cr_assert_eq(elfsym_may_define(f.info.dlpi_addr,
				 f.info.dlpi_phdr, f.info.dlpi_phnum,
				 defined[i]),
		    1, "%s", defined[i]);
	cr_assert_eq(elfsym_may_define(c.info.dlpi_addr, c.info.dlpi_phdr,
			 c.info.dlpi_phnum, "printf"),
	    1);
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "tlsdiag_absent_%d", i);
		out += elfsym_may_define(c.info.dlpi_addr, c.info.dlpi_phdr,
			   c.info.dlpi_phnum, name) == 0;
	}
	cr_assert_gt(out, 50, "the filter ruled out %d of 100", out);
	dlclose(h);
}
