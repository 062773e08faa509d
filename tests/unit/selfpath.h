/*
 * selfpath.h: this test binary's own path, for the unit tests that give
 * it to the symbolizer (a log names files, not /proc links).
 */
#ifndef TLSDIAG_TEST_SELFPATH_H
#define TLSDIAG_TEST_SELFPATH_H

#include <criterion/criterion.h>
#include <limits.h>
#include <unistd.h>

static inline const char *
self_path(void)
{
	static char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	cr_assert(n > 0);
	path[n] = '\0';
	return path;
}

#endif
