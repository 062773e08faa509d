/*
 * test_stackset.c: shim/stackset.c on real files opened by logw_open():
 * a file's key changes when the file is replaced or shrinks, never when
 * it grows, and a full table forgets (frames written again), never
 * claims a stack it was not given.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../shim/logw.h"
#include "../../shim/stackset.h"
#include "rmtree.h"

static char dir[] = "/tmp/test_stackset.XXXXXX";
static char path[64];

static void
setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/log", dir);
}

static void
teardown(void)
{
	cr_expect_eq(rmtree(dir), 0);
}

/* Append one record of len bytes as the shim does; returns the file key
 * stackset_file() gave for it. */
static uint64_t
append(const char *p, size_t len)
{
	struct logw_file f;
	char buf[256];
	uint64_t key;
	int fd;

	cr_assert_lt(len, sizeof(buf));
	memset(buf, 'x', len);
	buf[len - 1] = '\n';
	fd = logw_open(p, &f);
	cr_assert_geq(fd, 0, "logw_open %s", p);
	key = stackset_file(&f);
	cr_assert_eq(logw_write(fd, &f, buf, len), 0);
	stackset_wrote(&f, len);
	return key;
}

TestSuite(stackset, .init = setup, .fini = teardown);

Test(stackset, same_file_same_key)
{
	uint64_t k1, k2;

	k1 = append(path, 100);
	cr_expect_neq(k1, 0);
	cr_expect_eq(stackset_has(k1, 42), 0);
	stackset_add(k1, 42);
	cr_expect_eq(stackset_has(k1, 42), 1);
	cr_expect_eq(stackset_has(k1, 43), 0);
	k2 = append(path, 50);
	cr_expect_eq(k2, k1);
	cr_expect_eq(stackset_has(k2, 42), 1);
}

Test(stackset, grown_by_others_same_key)
{
	uint64_t k1;
	int fd;

	k1 = append(path, 100);
	stackset_add(k1, 7);
	fd = open(path, O_WRONLY | O_APPEND);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "another process\n", 16), 16);
	close(fd);
	cr_expect_eq(append(path, 10), k1);
	cr_expect_eq(stackset_has(k1, 7), 1);
}

Test(stackset, truncated_new_key)
{
	uint64_t k1, k2;

	k1 = append(path, 100);
	stackset_add(k1, 7);
	cr_assert_eq(truncate(path, 0), 0);
	k2 = append(path, 10);
	cr_expect_neq(k2, k1);
	cr_expect_eq(stackset_has(k2, 7), 0, "frames gone with the data");
	cr_expect_eq(stackset_has(k1, 7), 0, "old entries forgotten");
}

Test(stackset, replaced_new_key)
{
	char other[80];
	uint64_t k1, k2;

	k1 = append(path, 100);
	stackset_add(k1, 7);
	/* rotation: the old file renamed away, a new one in its place */
	snprintf(other, sizeof(other), "%s.1", path);
	cr_assert_eq(rename(path, other), 0);
	k2 = append(path, 200);
	cr_expect_neq(k2, k1);
	cr_expect_eq(stackset_has(k2, 7), 0);
}

Test(stackset, pipes_have_no_key)
{
	struct logw_file f;
	char fifo[80];
	int rfd, fd;

	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	rfd = open(fifo, O_RDONLY | O_NONBLOCK);
	cr_assert_geq(rfd, 0);
	fd = logw_open(fifo, &f);
	cr_assert_geq(fd, 0);
	cr_expect_eq(stackset_file(&f), 0);
	cr_expect_eq(logw_write(fd, &f, "{}\n", 3), 0);
	close(rfd);
}

/* A full table forgets; it never answers yes for a stack not added. */
Test(stackset, full_table_forgets_never_invents)
{
	uint64_t k, id, kept = 0;

	k = append(path, 100);
	for (id = 1; id <= 5000; id++)
		stackset_add(k, id);
	for (id = 1; id <= 5000; id++)
		kept += (uint64_t)stackset_has(k, id);
	cr_expect_geq(kept, 900, "only %llu kept", (unsigned long long)kept);
	cr_expect_leq(kept, 1024);
	for (id = 100001; id <= 120000; id++)
		cr_assert_eq(stackset_has(k, id), 0, "id %llu",
		    (unsigned long long)id);
}
