/*
 * pydetect.c: find the CPython a process runs, so a Python host's records
 * follow its own interpreter's rules (python-ssl-error-model.md §5).
 * Called from failure paths, never from the wrappers' success paths.
 */
#include "pydetect.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "classify.h"
#include "config.h"

/* Py_Version is PY_VERSION_HEX: 0xMMmmppLS (level, serial low). */
static unsigned
from_hex(unsigned long h)
{
	return PYVER((h >> 24) & 0xFF, (h >> 16) & 0xFF, (h >> 8) & 0xFF);
}

/* The version exported by handle h (RTLD_DEFAULT or a library); 0 if none. */
static unsigned
version_in(void *h)
{
	const unsigned long *hex;
	const char *(*get)(void);
	unsigned v;

	hex = dlsym(h, "Py_Version");
	if (hex != NULL) {
		v = from_hex(*hex);
		if ((v >> 16) == 3)
			return v;
	}
	*(void **)&get = dlsym(h, "Py_GetVersion");
	if (get == NULL)
		return 0;
	/* a static string since 2.x; formatted once, no interpreter needed */
	return config_parse_pyver(get(), NULL);
}

struct libpy {
	char name[256];
};

/* The first loaded libpython3*.so, for an interpreter loaded RTLD_LOCAL. */
static int
find_libpython(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct libpy *lp = arg;
	const char *base;

	(void)size;
	if (info->dlpi_name == NULL)
		return 0;
	base = strrchr(info->dlpi_name, '/');
	base = base != NULL ? base + 1 : info->dlpi_name;
	if (strncmp(base, "libpython3", 10) != 0)
		return 0;
	snprintf(lp->name, sizeof(lp->name), "%s", info->dlpi_name);
	return 1;
}

unsigned
pydetect_version(void)
{
	struct libpy lp;
	void *h;
	unsigned v;
	int saved = errno;

	v = version_in(RTLD_DEFAULT);
	if (v == 0) {
		lp.name[0] = '\0';
		dl_iterate_phdr(find_libpython, &lp);
		/* dlopen after the callback returns: no loader lock held */
		h = lp.name[0] != '\0' ?
		    dlopen(lp.name, RTLD_NOLOAD | RTLD_LAZY) :
		    NULL;
		if (h != NULL) {
			v = version_in(h);
			dlclose(h);
		}
	}
	errno = saved;
	return v;
}

static struct pymodel model;
static _Atomic int state; /* 0 unknown, 1 being filled, 2 filled */

static void
fill(struct pymodel *m, const struct config *c)
{
	unsigned v;

	m->pyver = c->pyver;
	m->source = c->python_source;
	snprintf(m->name, sizeof(m->name), "%s", c->python);
	if (c->python_source == CONFIG_PY_ENV)
		return;
	v = pydetect_version();
	if (v == 0)
		return;
	m->pyver = v;
	m->source = CONFIG_PY_DETECTED;
	snprintf(m->name, sizeof(m->name), "%u.%u.%u", v >> 16, (v >> 8) & 0xFF,
	    v & 0xFF);
}

const struct pymodel *
pydetect_model(const struct config *c)
{
	static _Thread_local struct pymodel mine;
	int expect = 0;

	if (atomic_load_explicit(&state, memory_order_acquire) == 2)
		return &model;
	/* one thread publishes; racing threads use their own copy */
	if (atomic_compare_exchange_strong(&state, &expect, 1)) {
		fill(&model, c);
		atomic_store_explicit(&state, 2, memory_order_release);
		return &model;
	}
	fill(&mine, c);
	return &mine;
}
