/*
 * symbolize.c: turns (module, offset) frames recorded by the shim into
 * function and file:line, reading the modules' symbol tables and DWARF
 * (or their separate debug files) through libdw's offline mode.  Only the
 * top call sites of a report are symbolized, so sessions are cached per
 * module and never evicted.
 */
#include "symbolize.h"

#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sym_module {
	char *path;
	Dwfl *dwfl;		/* NULL if the module could not be loaded */
	Dwfl_Module *mod;
	Dwarf_Addr base;	/* dwfl address of the mapping's first byte */
	char build_id[129];	/* hex, "" if none */
	struct sym_module *next;
};

struct symbolizer {
	struct sym_module *mods;
};

static char *debuginfo_path;

static const Dwfl_Callbacks offline_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

struct symbolizer *
symbolizer_new(void)
{
	return calloc(1, sizeof(struct symbolizer));
}

void
symbolizer_free(struct symbolizer *s)
{
	struct sym_module *m;
	struct sym_module *next;

	if (s == NULL)
		return;
	for (m = s->mods; m != NULL; m = next) {
		next = m->next;
		if (m->dwfl != NULL)
			dwfl_end(m->dwfl);
		free(m->path);
		free(m);
	}
	free(s);
}

const char *
symbolize_status_name(enum sym_status st)
{
	switch (st) {
	case SYM_OK:
		return "ok";
	case SYM_NO_MODULE:
		return "module not found";
	case SYM_BUILD_ID_MISMATCH:
		return "build-id mismatch";
	case SYM_NOT_FOUND:
		return "no symbol";
	}
	return "?";
}

/*
 * The shim records offsets as ELF virtual addresses (the return address
 * minus the module's load bias), so where libdw put the module is all
 * that is needed, for PIE and non-PIE objects alike.
 */
static Dwarf_Addr
module_base(Dwfl_Module *mod)
{
	GElf_Addr bias;

	if (dwfl_module_getelf(mod, &bias) == NULL)
		return 0;
	return bias;
}

static struct sym_module *
load_module(struct symbolizer *s, const char *path)
{
	struct sym_module *m;
	const unsigned char *bits;
	GElf_Addr vaddr;
	int len;
	int i;

	for (m = s->mods; m != NULL; m = m->next)
		if (strcmp(m->path, path) == 0)
			return m;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	m->path = strdup(path);
	if (m->path == NULL) {
		free(m);
		return NULL;
	}
	m->next = s->mods;
	s->mods = m;
	m->dwfl = dwfl_begin(&offline_callbacks);
	if (m->dwfl == NULL)
		return m;
	m->mod = dwfl_report_offline(m->dwfl, path, path, -1);
	dwfl_report_end(m->dwfl, NULL, NULL);
	if (m->mod == NULL) {
		dwfl_end(m->dwfl);
		m->dwfl = NULL;
		return m;
	}
	m->base = module_base(m->mod);
	len = dwfl_module_build_id(m->mod, &bits, &vaddr);
	for (i = 0; i < len && i < 64; i++)
		snprintf(m->build_id + 2 * i, 3, "%02x", bits[i]);
	return m;
}

static int
same_build_id(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		if ((*a | 0x20) != (*b | 0x20))
			return 0;
	}
	return *a == *b;
}

enum sym_status
symbolize(struct symbolizer *s, const char *module, const char *build_id,
    uint64_t offset, struct sym_result *out)
{
	struct sym_module *m;
	Dwarf_Addr addr;
	Dwfl_Line *line;
	const char *name;
	const char *file;
	int lineno = 0;

	memset(out, 0, sizeof(*out));
	out->status = SYM_NO_MODULE;
	if (module == NULL || offset == 0)
		return out->status;
	m = load_module(s, module);
	if (m == NULL || m->mod == NULL)
		return out->status;
	if (build_id != NULL && build_id[0] != '\0' && m->build_id[0] != '\0' &&
	    !same_build_id(build_id, m->build_id)) {
		out->status = SYM_BUILD_ID_MISMATCH;
		return out->status;
	}
	addr = m->base + offset - 1;
	name = dwfl_module_addrname(m->mod, addr);
	line = dwfl_module_getsrc(m->mod, addr);
	file = line != NULL ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL,
	    NULL) : NULL;
	if (name == NULL && file == NULL) {
		out->status = SYM_NOT_FOUND;
		return out->status;
	}
	if (name != NULL)
		snprintf(out->function, sizeof(out->function), "%s", name);
	if (file != NULL) {
		snprintf(out->file, sizeof(out->file), "%s", file);
		out->line = lineno;
	}
	out->status = SYM_OK;
	return out->status;
}
