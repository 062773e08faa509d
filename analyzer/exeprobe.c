/*
 * exeprobe.c: look at a program's file before "tlsdiag run" starts it, to
 * warn about the cases where the preloaded shim cannot see anything: the
 * loader ignores LD_PRELOAD (static executables, secure-execution), or the
 * program carries its own OpenSSL, or it speaks TLS through a library the
 * shim does not wrap.  Reads only headers, the dynamic section and, when
 * those say nothing, the mapped file once.
 */
#include "exeprobe.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

/* Defined (not imported) by any program that links OpenSSL in. */
static const char *const openssl_marks[] = { "SSL_new", "SSL_read",
	"SSL_CTX_new", "OPENSSL_init_ssl", NULL };

/* TLS libraries the shim does not wrap, by DT_NEEDED prefix. */
static const char *const other_tls[] = { "libgnutls", "libnss3", "libmbedtls",
	"libwolfssl", "libbotan", NULL };

static int
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * 1 if p (n bytes) holds OpenSSL's version text, "OpenSSL 3.0.13 30 Jan
 * 2024" or "OpenSSL 1.1.1w  11 Sep 2023": the library name alone is too
 * common in programs that merely mention it.
 */
static int
has_openssl_version(const char *p, size_t n)
{
	static const char tag[] = "OpenSSL ";
	const char *end = p + n;
	const char *q;
	int dots;

	while (p < end) {
		q = memmem(p, (size_t)(end - p), tag, sizeof(tag) - 1);
		if (q == NULL)
			return 0;
		p = q + 1;
		q += sizeof(tag) - 1;
		dots = 0;
		if (q >= end || !is_digit(*q))
			continue;
		while (q < end && (is_digit(*q) || *q == '.')) {
			if (*q == '.')
				dots++;
			q++;
		}
		while (q < end && *q >= 'a' && *q <= 'z')
			q++;
		if (dots != 2 || q >= end || *q != ' ')
			continue;
		while (q < end && *q == ' ')
			q++;
		if (q < end && is_digit(*q))
			return 1;
	}
	return 0;
}

static void
scan_dynsym(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh, int *marks,
    struct exeprobe *p)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	GElf_Sym sym;
	const char *name;
	size_t i, k, n;

	if (d == NULL || sh->sh_entsize == 0)
		return;
	n = sh->sh_size / sh->sh_entsize;
	for (i = 0; i < n; i++) {
		if (gelf_getsym(d, (int)i, &sym) == NULL)
			break;
		if (sym.st_shndx == SHN_UNDEF)
			continue;
		name = elf_strptr(e, sh->sh_link, sym.st_name);
		if (name == NULL)
			continue;
		for (k = 0; openssl_marks[k] != NULL; k++)
			if (strcmp(name, openssl_marks[k]) == 0)
				(*marks)++;
		/* what the shim's entry hooks look for (shim/entryhook.c) */
		if (GELF_ST_TYPE(sym.st_info) == STT_FUNC &&
		    strcmp(name, "SSL_read") == 0)
			p->exports_ssl = 1;
	}
}

static void
scan_dynamic(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh, struct exeprobe *p)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	GElf_Dyn dyn;
	const char *name;
	size_t i, k, n;

	if (d == NULL || sh->sh_entsize == 0)
		return;
	n = sh->sh_size / sh->sh_entsize;
	for (i = 0; i < n; i++) {
		if (gelf_getdyn(d, (int)i, &dyn) == NULL ||
		    dyn.d_tag == DT_NULL)
			break;
		if (dyn.d_tag != DT_NEEDED)
			continue;
		name = elf_strptr(e, sh->sh_link, dyn.d_un.d_val);
		if (name == NULL)
			continue;
		if (has_prefix(name, "libssl.so"))
			p->needs_libssl = 1;
		for (k = 0; other_tls[k] != NULL; k++)
			if (has_prefix(name, other_tls[k]) &&
			    p->other_tls[0] == '\0')
				snprintf(p->other_tls, sizeof(p->other_tls),
				    "%s", name);
	}
}

/*
 * The part of exeprobe_file() that reads the ELF image in fd: fills elf,
 * static_exe, static_openssl, needs_libssl and other_tls.  A file that is
 * not ELF, or is malformed, leaves them 0.
 */
static void
exeprobe_elf(int fd, struct exeprobe *p)
{
	Elf *e;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	GElf_Phdr ph;
	GElf_Shdr sh;
	size_t i, nph;
	int interp = 0;
	int marks = 0;
	char *raw;
	size_t rawsz;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return;
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (e == NULL)
		return;
	if (elf_kind(e) != ELF_K_ELF || gelf_getehdr(e, &eh) == NULL ||
	    (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) ||
	    elf_getphdrnum(e, &nph) != 0) {
		elf_end(e);
		return;
	}
	p->elf = 1;
	for (i = 0; i < nph; i++)
		if (gelf_getphdr(e, (int)i, &ph) != NULL &&
		    ph.p_type == PT_INTERP)
			interp = 1;
	p->static_exe = !interp;
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		if (gelf_getshdr(scn, &sh) == NULL)
			continue;
		if (sh.sh_type == SHT_DYNSYM)
			scan_dynsym(e, scn, &sh, &marks, p);
		else if (sh.sh_type == SHT_DYNAMIC)
			scan_dynamic(e, scn, &sh, p);
	}
	/*
	 * Symbols may be hidden (vendored OpenSSL in Rust or C++ programs);
	 * the version text OpenSSL compiles in is still there.
	 */
	if (marks == 0 && !p->needs_libssl) {
		raw = elf_rawfile(e, &rawsz);
		if (raw != NULL && has_openssl_version(raw, rawsz))
			marks = 1;
	}
	p->static_openssl = marks != 0 && !p->needs_libssl;
	p->exports_ssl = p->exports_ssl && p->static_openssl;
	elf_end(e);
}

/*
 * Would exec(2) of this file switch to secure-execution for us, where the
 * loader ignores LD_PRELOAD and the shim ignores its environment?  The
 * kernel does so when the effective ids change or, for a non-root real
 * user, when file capabilities are gained.
 */
static void
probe_secure(const char *path, const struct stat *st, struct exeprobe *p)
{
	struct statvfs vfs;

	if (statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_NOSUID))
		return;
	if ((st->st_mode & S_ISUID) && st->st_uid != getuid())
		p->setid = 1;
	if ((st->st_mode & S_ISGID) && (st->st_mode & S_IXGRP) &&
	    st->st_gid != getgid())
		p->setid = 1;
	if (getuid() != 0 && getxattr(path, "security.capability", NULL, 0) > 0)
		p->caps = 1;
}

int
exeprobe_file(const char *path, struct exeprobe *p, char *err, size_t errsz)
{
	struct stat st;
	int fd;

	memset(p, 0, sizeof(*p));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1) {
		snprintf(err, errsz, "cannot open '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(err, errsz, "cannot stat '%s': %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode)) {
		exeprobe_elf(fd, p);
		probe_secure(path, &st, p);
	}
	close(fd);
	return 0;
}
