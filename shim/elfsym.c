/*
 * elfsym.c: a symbol lookup in a loaded object's GNU hash table, read in
 * memory, for the exit scan: a dlopen(RTLD_NOLOAD) and a dlsym per loaded
 * object cost about 1,000 instructions each, this about 100, and it never
 * takes the loader's lock.  The layout is the one ld.so reads (the GNU
 * hash section as described by Ulrich Drepper, "How To Write Shared
 * Libraries", 1.5.3, and glibc's elf/dl-lookup.c).
 */
#include "elfsym.h"

#include <stddef.h>
#include <string.h>

/* A bound on every walk: no real table comes near it. */
#define ELFSYM_MAX_DYN 4096
#define ELFSYM_MAX_CHAIN 65536

struct image {
	uintptr_t bias;
	const ElfW(Phdr) * phdr;
	size_t phnum;
};

/*
 * The end of the PT_LOAD segment holding p; 0 if none does.  Each table
 * is checked against it once, not each entry read.
 */
static uintptr_t
seg_end(const struct image *im, uintptr_t p)
{
	size_t i;

	for (i = 0; i < im->phnum; i++) {
		const ElfW(Phdr) *ph = &im->phdr[i];
		uintptr_t a = im->bias + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && p >= a && p - a < ph->p_memsz)
			return a + ph->p_memsz;
	}
	return 0;
}

/* 1 if [p, p + len) lies inside one PT_LOAD segment of the object. */
static int
mapped(const struct image *im, uintptr_t p, size_t len)
{
	uintptr_t end = seg_end(im, p);

	return end != 0 && len <= end - p;
}

int
elfsym_mapped(uintptr_t bias, const ElfW(Phdr) * phdr, size_t phnum,
    uintptr_t p, size_t len)
{
	struct image im = { bias, phdr, phnum };

	return mapped(&im, p, len);
}

/*
 * A d_ptr of the dynamic section: glibc relocates them in place when it
 * loads an object, but not in every case (the vDSO, some architectures):
 * a value below the bias is still an offset.
 */
static uintptr_t
dyn_addr(const struct image *im, ElfW(Addr) v)
{
	return v < im->bias ? im->bias + v : v;
}

static uint32_t
gnu_hash(const char *s)
{
	uint32_t h = 5381;

	for (; *s != '\0'; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

/*
 * 1 if the string at strtab + off (inside strsz bytes) is name, 0 if not,
 * -1 if it lies outside the table or the object.
 */
static int
name_is(const struct image *im, uintptr_t strtab, size_t strsz, size_t off,
    const char *name, size_t len)
{
	if (off >= strsz)
		return -1;
	/* shorter than name: cannot be it */
	if (strsz - off < len + 1)
		return 0;
	if (!mapped(im, strtab + off, len + 1))
		return -1;
	return memcmp((const char *)(strtab + off), name, len + 1) == 0;
}

/*
 * 0 when the object's GNU hash bloom filter says it does not define
 * name, else 1 (also when its tables cannot be read: the full look-up
 * decides then).  Reads the dynamic section up to DT_GNU_HASH and one
 * bloom word: most objects of a process are ruled out here for a tenth
 * of what tables_find() and its bounds checks cost.
 */
int
elfsym_may_define(uintptr_t bias, const ElfW(Phdr) * phdr, size_t phnum,
    const char *name)
{
	struct image im = { bias, phdr, phnum };
	const ElfW(Dyn) *dyn = NULL;
	const uint32_t *h;
	const unsigned bits = sizeof(ElfW(Addr)) * 8;
	uintptr_t hash_p = 0, wp;
	size_t i, ndyn = 0;
	uint32_t hv;
	ElfW(Addr) word, mask;

	if (phdr == NULL)
		return 1;
	for (i = 0; i < phnum; i++)
		if (phdr[i].p_type == PT_DYNAMIC) {
			dyn = (const ElfW(Dyn) *)(bias + phdr[i].p_vaddr);
			ndyn = phdr[i].p_memsz / sizeof(*dyn);
		}
	if (ndyn > ELFSYM_MAX_DYN)
		ndyn = ELFSYM_MAX_DYN;
	if (dyn == NULL || !mapped(&im, (uintptr_t)dyn, ndyn * sizeof(*dyn)))
		return 1;
	for (i = 0; i < ndyn && dyn[i].d_tag != DT_NULL; i++)
		if (dyn[i].d_tag == DT_GNU_HASH) {
			hash_p = dyn_addr(&im, dyn[i].d_un.d_ptr);
			break;
		}
	if (hash_p == 0 || hash_p % sizeof(ElfW(Addr)) != 0 ||
	    !mapped(&im, hash_p, 4 * sizeof(uint32_t)))
		return 1;
	h = (const uint32_t *)hash_p;
	if (h[2] == 0)
		return 1;
	hv = gnu_hash(name);
	wp = hash_p + 4 * sizeof(uint32_t) +
	    ((hv / bits) % h[2]) * sizeof(ElfW(Addr));
	if (!mapped(&im, wp, sizeof(ElfW(Addr))))
		return 1;
	word = *(const ElfW(Addr) *)wp;
	mask = ((ElfW(Addr))1 << (hv % bits)) |
	    ((ElfW(Addr))1 << ((hv >> (h[3] % 32)) % bits));
	return (word & mask) == mask;
}

/* An object's dynamic tables, found once for several names. */
struct tables {
	struct image im;
	uintptr_t symtab, strtab, bloom;
	size_t strsz, nbuckets, symoffset, nbloom, shift;
	const uint32_t *buckets, *chain;
};

/* Fill t from the object's PT_DYNAMIC; 0, or -1 if it cannot be read. */
static int
tables_find(struct tables *t, uintptr_t bias, const ElfW(Phdr) * phdr,
    size_t phnum)
{
	const ElfW(Dyn) *dyn = NULL;
	const uint32_t *h;
	uintptr_t hash_p = 0;
	size_t i, ndyn = 0;
	unsigned found = 0;

	memset(t, 0, sizeof(*t));
	t->im.bias = bias;
	t->im.phdr = phdr;
	t->im.phnum = phnum;
	if (phdr == NULL)
		return -1;
	for (i = 0; i < phnum; i++)
		if (phdr[i].p_type == PT_DYNAMIC) {
			dyn = (const ElfW(Dyn) *)(bias + phdr[i].p_vaddr);
			ndyn = phdr[i].p_memsz / sizeof(*dyn);
		}
	if (dyn == NULL)
		return -1;
	if (ndyn > ELFSYM_MAX_DYN)
		ndyn = ELFSYM_MAX_DYN;
	if (!mapped(&t->im, (uintptr_t)dyn, ndyn * sizeof(*dyn)))
		return -1;
	/* stops once the four are found: the entry count was checked */
	for (i = 0; i < ndyn && found != 15; i++) {
		if (dyn[i].d_tag == DT_NULL)
			break;
		switch (dyn[i].d_tag) {
		case DT_GNU_HASH:
			hash_p = dyn_addr(&t->im, dyn[i].d_un.d_ptr);
			found |= 1;
			break;
		case DT_SYMTAB:
			t->symtab = dyn_addr(&t->im, dyn[i].d_un.d_ptr);
			found |= 2;
			break;
		case DT_STRTAB:
			t->strtab = dyn_addr(&t->im, dyn[i].d_un.d_ptr);
			found |= 4;
			break;
		case DT_STRSZ:
			t->strsz = dyn[i].d_un.d_val;
			found |= 8;
			break;
		}
	}
	if ((i == ndyn && found != 15) || hash_p == 0 || t->symtab == 0 ||
	    t->strtab == 0 || hash_p % sizeof(ElfW(Addr)) != 0 ||
	    t->symtab % sizeof(ElfW(Addr)) != 0)
		return -1;
	if (!mapped(&t->im, hash_p, 4 * sizeof(uint32_t)))
		return -1;
	h = (const uint32_t *)hash_p;
	t->nbuckets = h[0];
	t->symoffset = h[1];
	t->nbloom = h[2];
	t->shift = h[3];
	t->bloom = hash_p + 4 * sizeof(uint32_t);
	/* counts are 32 bits: these products cannot overflow a size_t */
	if (t->nbuckets == 0 || t->nbloom == 0 ||
	    !mapped(&t->im, t->bloom, t->nbloom * sizeof(ElfW(Addr))) ||
	    !mapped(&t->im, t->bloom + t->nbloom * sizeof(ElfW(Addr)),
		t->nbuckets * sizeof(uint32_t)))
		return -1;
	t->buckets =
	    (const uint32_t *)(t->bloom + t->nbloom * sizeof(ElfW(Addr)));
	t->chain = t->buckets + t->nbuckets;
	return 0;
}

/* name in t: as elfsym_lookup() answers. */
static int
tables_lookup(const struct tables *t, const char *name, uintptr_t *addr,
    size_t *size)
{
	const struct image *im = &t->im;
	const ElfW(Sym) * sym;
	uintptr_t chain_end, sym_end;
	size_t i, len = strlen(name);
	uint32_t hv, ix, c;
	int r;
	ElfW(Addr) word, mask;
	const unsigned bits = sizeof(ElfW(Addr)) * 8;

	hv = gnu_hash(name);
	word = ((const ElfW(Addr) *)t->bloom)[(hv / bits) % t->nbloom];
	mask = ((ElfW(Addr))1 << (hv % bits)) |
	    ((ElfW(Addr))1 << ((hv >> (t->shift % 32)) % bits));
	if ((word & mask) != mask)
		return 0;
	ix = t->buckets[hv % t->nbuckets];
	if (ix == 0)
		return 0;
	if (ix < t->symoffset)
		return -1;
	/* the chain and the symbols run to the ends of their segments */
	chain_end = seg_end(im, (uintptr_t)&t->chain[ix - t->symoffset]);
	sym_end = seg_end(im, t->symtab + (uintptr_t)ix * sizeof(ElfW(Sym)));
	for (i = 0; i < ELFSYM_MAX_CHAIN; i++, ix++) {
		if (chain_end < (uintptr_t)&t->chain[ix - t->symoffset + 1] ||
		    sym_end <
			t->symtab + ((uintptr_t)ix + 1) * sizeof(ElfW(Sym)))
			return -1;
		c = t->chain[ix - t->symoffset];
		sym = (const ElfW(Sym) *)(t->symtab +
		    (uintptr_t)ix * sizeof(ElfW(Sym)));
		if ((c | 1) == (hv | 1) &&
		    (r = name_is(im, t->strtab, t->strsz, sym->st_name, name,
			 len)) != 0) {
			if (r < 0)
				return -1;
			if (sym->st_shndx == SHN_UNDEF || sym->st_value == 0)
				return 0;
			/* a function of the object lies in the object */
			if (!mapped(im, im->bias + sym->st_value, 1))
				return -1;
			if (addr != NULL)
				*addr = im->bias + sym->st_value;
			if (size != NULL)
				*size = sym->st_size;
			return 1;
		}
		if (c & 1)
			return 0;
	}
	return -1;
}

int
elfsym_lookup(uintptr_t bias, const ElfW(Phdr) * phdr, size_t phnum,
    const char *name, uintptr_t *addr)
{
	struct tables t;

	if (tables_find(&t, bias, phdr, phnum) < 0)
		return -1;
	return tables_lookup(&t, name, addr, NULL);
}

int
elfsym_lookup_size(uintptr_t bias, const ElfW(Phdr) * phdr, size_t phnum,
    const char *name, uintptr_t *addr, size_t *size)
{
	struct tables t;

	if (tables_find(&t, bias, phdr, phnum) < 0)
		return -1;
	return tables_lookup(&t, name, addr, size);
}

int
elfsym_defines_any(uintptr_t bias, const ElfW(Phdr) * phdr, size_t phnum,
    const char *const *names)
{
	struct tables t;
	int r, unknown = 0;

	if (tables_find(&t, bias, phdr, phnum) < 0)
		return -1;
	for (; *names != NULL; names++) {
		r = tables_lookup(&t, *names, NULL, NULL);
		if (r == 1)
			return 1;
		unknown |= r < 0;
	}
	return unknown ? -1 : 0;
}

/* The relocation tables of the object's dynamic section. */
struct relocs {
	uintptr_t rela[2];
	size_t relasz[2];
	int symbolic;
};

/* Fill r from t's dynamic section; 0, or -1 if it cannot be read. */
static int
relocs_find(const struct tables *t, struct relocs *r)
{
	const ElfW(Dyn) *dyn = NULL;
	size_t i, ndyn = 0;
	int rela = 1;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < t->im.phnum; i++)
		if (t->im.phdr[i].p_type == PT_DYNAMIC) {
			dyn = (const ElfW(Dyn) *)(t->im.bias +
			    t->im.phdr[i].p_vaddr);
			ndyn = t->im.phdr[i].p_memsz / sizeof(*dyn);
		}
	if (dyn == NULL || ndyn > ELFSYM_MAX_DYN)
		return -1;
	for (i = 0; i < ndyn && dyn[i].d_tag != DT_NULL; i++) {
		switch (dyn[i].d_tag) {
		case DT_SYMBOLIC:
			r->symbolic = 1;
			break;
		case DT_FLAGS:
			if (dyn[i].d_un.d_val & DF_SYMBOLIC)
				r->symbolic = 1;
			break;
		case DT_RELA:
			r->rela[0] = dyn_addr(&t->im, dyn[i].d_un.d_ptr);
			break;
		case DT_RELASZ:
			r->relasz[0] = dyn[i].d_un.d_val;
			break;
		case DT_JMPREL:
			r->rela[1] = dyn_addr(&t->im, dyn[i].d_un.d_ptr);
			break;
		case DT_PLTRELSZ:
			r->relasz[1] = dyn[i].d_un.d_val;
			break;
		case DT_PLTREL:
			rela = dyn[i].d_un.d_val == DT_RELA;
			break;
		case DT_REL:
			return -1; /* not x86-64's */
		}
	}
	if (!rela)
		return -1;
	for (i = 0; i < 2; i++)
		if (r->rela[i] != 0 &&
		    (r->rela[i] % sizeof(ElfW(Addr)) != 0 ||
			!mapped(&t->im, r->rela[i], r->relasz[i])))
			return -1;
	return 0;
}

/*
 * 1 if relocation e binds a GOT slot (JUMP_SLOT, GLOB_DAT) to one of
 * names, 0 if not, -1 if its symbol lies outside the object.
 */
static int
slot_names(const struct tables *t, const ElfW(Rela) * e,
    const char *const *names)
{
	const ElfW(Sym) * s;
	uintptr_t at;
	const char *const *n;
	int r;

#ifdef __x86_64__
	if (ELF64_R_TYPE(e->r_info) != R_X86_64_JUMP_SLOT &&
	    ELF64_R_TYPE(e->r_info) != R_X86_64_GLOB_DAT)
		return 0;
#else
	return -1;
#endif
	at = t->symtab + (uintptr_t)ELF64_R_SYM(e->r_info) * sizeof(*s);
	if (!mapped(&t->im, at, sizeof(*s)))
		return -1;
	s = (const ElfW(Sym) *)at;
	for (n = names; *n != NULL; n++) {
		r = name_is(&t->im, t->strtab, t->strsz, s->st_name, *n,
		    strlen(*n));
		if (r != 0)
			return r;
	}
	return 0;
}

int
elfsym_binds_locally(uintptr_t bias, const ElfW(Phdr) * phdr, size_t phnum,
    const char *const *names)
{
	struct tables t;
	struct relocs r;
	size_t k, i;
	int v;

	if (tables_find(&t, bias, phdr, phnum) < 0 || relocs_find(&t, &r) < 0)
		return -1;
	if (r.symbolic)
		return 1;
	for (k = 0; k < 2; k++)
		for (i = 0;
		     r.rela[k] != 0 && i < r.relasz[k] / sizeof(ElfW(Rela));
		     i++) {
			v = slot_names(&t, (const ElfW(Rela) *)r.rela[k] + i,
			    names);
			if (v != 0)
				return v < 0 ? -1 : 0;
		}
	return 1;
}
