/*
 * procmap.c: reading a process's mappings, memory and status from /proc,
 * and symbol addresses from the files it maps (with libelf), for
 * "tlsdiag attach", "detach" and "status".
 */
#include "procmap.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pathbase.h"

/*
 * Parse one line of /proc/PID/maps: its range and file offset, and the
 * path (cut at the newline, in line) when the mapping is of a file whose
 * name starts with stem.  Returns 1 for such a line, else 0.
 */
static int
maps_line(char *line, const char *stem, unsigned long *lo, unsigned long *hi,
    unsigned long *off, char **path)
{
	char *p;
	int n = 0;

	if (sscanf(line, "%lx-%lx %*s %lx %*s %*s%n", lo, hi, off, &n) < 3 ||
	    n == 0)
		return 0;
	p = line + n;
	while (*p == ' ')
		p++;
	p[strcspn(p, "\n")] = '\0';
	if (*p != '/' || strncmp(path_base(p), stem, strlen(stem)) != 0)
		return 0;
	*path = p;
	return 1;
}

/*
 * cb on each mapping of a file at offset 0 whose base name starts with
 * stem ("" for all), until it returns nonzero: that value; 0 when none
 * did, -1 if the maps cannot be read.
 */
static int
each_obj(pid_t pid, const char *stem,
    int (*cb)(const struct procmap_obj *, void *), void *arg)
{
	static struct procmap_obj o; /* 1 KiB: one caller at a time (CLI) */
	char path[64], line[PROCMAP_PATH + 128];
	FILE *f;
	int r = 0;

	snprintf(path, sizeof(path), "/proc/%ld/maps", (long)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	while (r == 0 && fgets(line, sizeof(line), f) != NULL) {
		unsigned long lo, hi, off;
		char *p;

		if (!maps_line(line, stem, &lo, &hi, &off, &p) || off != 0)
			continue;
		o.start = lo;
		snprintf(o.path, sizeof(o.path), "%s", p);
		r = cb(&o, arg);
	}
	fclose(f);
	return r;
}

static int
copy_first(const struct procmap_obj *found, void *arg)
{
	*(struct procmap_obj *)arg = *found;
	return 1;
}

int
procmap_find(pid_t pid, const char *stem, struct procmap_obj *o)
{
	return each_obj(pid, stem, copy_first, o);
}

int
procmap_each(pid_t pid, int (*cb)(const struct procmap_obj *, void *),
    void *arg)
{
	return each_obj(pid, "", cb, arg);
}

int
procmap_span(pid_t pid, const char *stem, uintptr_t *lo, uintptr_t *hi)
{
	char path[64], line[PROCMAP_PATH + 128];
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%ld/maps", (long)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long a, b, off;
		char *p;

		if (!maps_line(line, stem, &a, &b, &off, &p))
			continue;
		if (!found || a < *lo)
			*lo = a;
		if (!found || b > *hi)
			*hi = b;
		found = 1;
	}
	fclose(f);
	return found;
}

/* The symbol's value in the ELF file fd: 0, or -1 (message in err). */
static int
elf_lookup(int fd, const char *name, uintptr_t *value, uintptr_t *first_load,
    char *err, size_t errsz)
{
	Elf *e;
	Elf_Scn *scn = NULL, *vscn = NULL;
	GElf_Shdr sh, dynsh = { 0 };
	Elf_Data *syms = NULL, *vers = NULL;
	size_t i, n, np;
	int rc = -1, have = 0;

	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (e == NULL) {
		snprintf(err, errsz, "not an ELF file: %s", elf_errmsg(-1));
		return -1;
	}
	*first_load = 0;
	if (elf_getphdrnum(e, &np) == 0)
		for (i = 0; i < np; i++) {
			GElf_Phdr ph;

			if (gelf_getphdr(e, (int)i, &ph) != NULL &&
			    ph.p_type == PT_LOAD) {
				*first_load = ph.p_vaddr & ~(uintptr_t)0xfff;
				break;
			}
		}
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		if (gelf_getshdr(scn, &sh) == NULL)
			continue;
		if (sh.sh_type == SHT_DYNSYM) {
			syms = elf_getdata(scn, NULL);
			dynsh = sh;
			have = 1;
		} else if (sh.sh_type == SHT_GNU_versym)
			vscn = scn;
	}
	if (vscn != NULL)
		vers = elf_getdata(vscn, NULL);
	if (!have || syms == NULL || dynsh.sh_entsize == 0) {
		snprintf(err, errsz, "no dynamic symbol table");
		goto out;
	}
	n = dynsh.sh_size / dynsh.sh_entsize;
	for (i = 0; i < n; i++) {
		GElf_Sym s;
		GElf_Versym v = 0;
		const char *sn;

		if (gelf_getsym(syms, (int)i, &s) == NULL || s.st_value == 0 ||
		    s.st_shndx == SHN_UNDEF)
			continue;
		sn = elf_strptr(e, dynsh.sh_link, s.st_name);
		if (sn == NULL || strcmp(sn, name) != 0)
			continue;
		/* the default version: not hidden (dlopen@@GLIBC_2.34) */
		if (vers != NULL && gelf_getversym(vers, (int)i, &v) != NULL &&
		    (v & 0x8000) != 0)
			continue;
		*value = s.st_value;
		rc = 0;
		break;
	}
	if (rc < 0)
		snprintf(err, errsz, "no symbol '%s'", name);
out:
	elf_end(e);
	return rc;
}

int
procmap_symbol(pid_t pid, const struct procmap_obj *o, const char *name,
    uintptr_t *addr, char *err, size_t errsz)
{
	char path[PROCMAP_PATH + 64], why[128];
	uintptr_t value = 0, first = 0;
	int fd, rc;

	snprintf(path, sizeof(path), "/proc/%ld/root%s", (long)pid, o->path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errsz, "cannot open '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	rc = elf_lookup(fd, name, &value, &first, why, sizeof(why));
	close(fd);
	if (rc < 0) {
		snprintf(err, errsz, "'%s': %s", o->path, why);
		return -1;
	}
	*addr = o->start - first + value;
	return 0;
}

static int
mem_io(pid_t pid, uintptr_t addr, void *buf, size_t len, int wr)
{
	char path[64];
	ssize_t n;
	int fd, saved;

	snprintf(path, sizeof(path), "/proc/%ld/mem", (long)pid);
	fd = open(path, (wr ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = wr ? pwrite(fd, buf, len, (off_t)addr) :
		 pread(fd, buf, len, (off_t)addr);
	saved = errno;
	close(fd);
	if (n != (ssize_t)len) {
		errno = n < 0 ? saved : EIO;
		return -1;
	}
	return 0;
}

int
procmap_read(pid_t pid, uintptr_t addr, void *buf, size_t len)
{
	return mem_io(pid, addr, buf, len, 0);
}

int
procmap_write(pid_t pid, uintptr_t addr, const void *buf, size_t len)
{
	return mem_io(pid, addr, (void *)(uintptr_t)buf, len, 1);
}

int
procmap_status(pid_t pid, const char *field, char *out, size_t cap)
{
	char path[64], line[512];
	size_t fl = strlen(field);
	FILE *f;
	int rc = -1;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	while (rc < 0 && fgets(line, sizeof(line), f) != NULL) {
		char *p;

		if (strncmp(line, field, fl) != 0 || line[fl] != ':')
			continue;
		p = line + fl + 1;
		while (*p == ' ' || *p == '\t')
			p++;
		p[strcspn(p, "\n")] = '\0';
		snprintf(out, cap, "%s", p);
		rc = 0;
	}
	fclose(f);
	return rc;
}
