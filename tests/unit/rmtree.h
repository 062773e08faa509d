/*
 * rmtree.h: remove a unit test's scratch directory and everything in it,
 * without a shell.  Returns 0, or -1 if anything could not be removed.
 */
#ifndef TLSDIAG_TEST_RMTREE_H
#define TLSDIAG_TEST_RMTREE_H

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

static int
rmtree_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(path);
}

static inline int
rmtree(const char *dir)
{
	return nftw(dir, rmtree_one, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
