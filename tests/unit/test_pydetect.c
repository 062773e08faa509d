/*
 * test_pydetect.c: finding the host's CPython.  The test process is not
 * Python; it then loads Debian's libpython3.11 privately (RTLD_LOCAL, as
 * an embedding plugin would) or globally, and the model must follow.
 */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "classify.h"
#include "config.h"
#include "pydetect.h"

#define LIBPYTHON "libpython3.11.so.1.0"

static void *
load_libpython(int mode)
{
	void *h = dlopen(LIBPYTHON, RTLD_LAZY | mode);

	if (h == NULL)
		cr_skip_test("%s is not installed: %s", LIBPYTHON, dlerror());
	return h;
}

/* The version of the loaded libpython, read from its own Py_Version. */
static unsigned
expected(void *h)
{
	const unsigned long *hex = dlsym(h, "Py_Version");

	cr_assert_not_null(hex);
	return PYVER(*hex >> 24, (*hex >> 16) & 0xFF, (*hex >> 8) & 0xFF);
}

Test(pydetect, not_python)
{
	struct config c;
	const struct pymodel *m;

	cr_expect_eq(pydetect_version(), 0);
	config_defaults(&c);
	m = pydetect_model(&c);
	cr_expect_eq(m->pyver, PYVER_DEFAULT);
	cr_expect_str_eq(m->name, "3.13");
	cr_expect_eq(m->source, CONFIG_PY_DEFAULT);
}

Test(pydetect, private_libpython)
{
	void *h = load_libpython(RTLD_LOCAL);
	unsigned v = expected(h);
	struct config c;
	const struct pymodel *m;
	char name[16];

	cr_expect_null(dlsym(RTLD_DEFAULT, "Py_Version"));
	cr_expect_eq(pydetect_version(), v);
	config_defaults(&c);
	m = pydetect_model(&c);
	snprintf(name, sizeof(name), "%u.%u.%u", v >> 16, (v >> 8) & 0xFF,
	    v & 0xFF);
	cr_expect_eq(m->pyver, v);
	cr_expect_str_eq(m->name, name);
	cr_expect_eq(m->source, CONFIG_PY_DETECTED);
	/* decided once: later calls give the same */
	cr_expect_eq(pydetect_model(&c), m);
}

Test(pydetect, global_libpython)
{
	void *h = load_libpython(RTLD_GLOBAL);

	cr_expect_eq(pydetect_version(), expected(h));
}

static const char *
env_313(const char *name)
{
	return strcmp(name, "TLSDIAG_PYTHON") == 0 ? "3.13" : NULL;
}

Test(pydetect, env_overrides)
{
	struct config c;
	const struct pymodel *m;
	char err[64];

	load_libpython(RTLD_GLOBAL);
	config_defaults(&c);
	cr_assert_eq(config_load(&c, env_313, 0, err, sizeof(err)), 0);
	m = pydetect_model(&c);
	cr_expect_eq(m->pyver, PYVER(3, 13, 0));
	cr_expect_str_eq(m->name, "3.13");
	cr_expect_eq(m->source, CONFIG_PY_ENV);
}
