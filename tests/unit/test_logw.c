/*
 * test_logw.c: shim/logw.c on real files, FIFOs and (where mount works) a
 * full tmpfs: a record goes in whole or not at all, the descriptor is
 * never kept, refused files are refused with the documented errno, and
 * a reader that went away raises no SIGPIPE.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../shim/logw.h"
#include "rmtree.h"

static char dir[] = "/tmp/test_logw.XXXXXX";

static void
setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	umount2(dir, MNT_DETACH); /* the tmpfs case; else EINVAL */
	cr_expect_eq(rmtree(dir), 0);
}

TestSuite(logw, .init = setup, .fini = teardown);

static void
name(char *buf, size_t cap, const char *leaf)
{
	snprintf(buf, cap, "%s/%s", dir, leaf);
}

static size_t
file_size(const char *p)
{
	struct stat st;

	cr_assert_eq(stat(p, &st), 0);
	return (size_t)st.st_size;
}

/* Write one record; returns logw_write's result, errno kept. */
static int
put(const char *p, const char *rec, size_t len, int *open_errno)
{
	struct logw_file f;
	int fd, rc, saved;

	*open_errno = 0;
	fd = logw_open(p, &f);
	if (fd < 0) {
		*open_errno = errno;
		return -1;
	}
	cr_expect_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	cr_expect(fcntl(fd, F_GETFL) & O_APPEND);
	rc = logw_write(fd, &f, rec, len);
	saved = errno;
	/* the descriptor is closed again whatever happened */
	cr_expect_eq(fcntl(fd, F_GETFD), -1);
	errno = saved;
	return rc;
}

Test(logw, appends_and_closes)
{
	char p[64], buf[64];
	struct stat st;
	int oe;
	FILE *in;

	name(p, sizeof(p), "log");
	cr_assert_eq(put(p, "{\"a\":1}\n", 8, &oe), 0);
	cr_assert_eq(put(p, "{\"b\":2}\n", 8, &oe), 0);
	cr_assert_eq(stat(p, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600, "created 0600");
	in = fopen(p, "r");
	cr_assert_not_null(in);
	cr_assert_not_null(fgets(buf, sizeof(buf), in));
	cr_expect_str_eq(buf, "{\"a\":1}\n");
	cr_assert_not_null(fgets(buf, sizeof(buf), in));
	cr_expect_str_eq(buf, "{\"b\":2}\n");
	fclose(in);
}

Test(logw, refuses_links_dirs_and_others_files)
{
	char p[64], l[64], s[64];
	int oe, fd;

	name(p, sizeof(p), "log");
	name(l, sizeof(l), "hardlink");
	name(s, sizeof(s), "symlink");
	fd = open(p, O_WRONLY | O_CREAT, 0600);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(link(p, l), 0);
	cr_expect_eq(put(p, "x\n", 2, &oe), -1);
	cr_expect_eq(oe, EPERM, "a hard link: %s", strerror(oe));
	cr_assert_eq(unlink(l), 0);
	cr_assert_eq(symlink(p, s), 0);
	cr_expect_eq(put(s, "x\n", 2, &oe), -1);
	cr_expect_eq(oe, ELOOP, "a symlink: %s", strerror(oe));
	cr_expect_eq(put(dir, "x\n", 2, &oe), -1);
	cr_expect_eq(oe, EISDIR, "a directory: %s", strerror(oe));
	cr_expect_eq(file_size(p), 0);
	if (geteuid() != 0)
		return; /* the next case needs chown */
	cr_assert_eq(chown(p, 1, 1), 0);
	cr_expect_eq(put(p, "x\n", 2, &oe), -1);
	cr_expect_eq(oe, EPERM, "someone else's file: %s", strerror(oe));
	cr_expect_eq(file_size(p), 0);
}

Test(logw, fifo_whole_or_nothing)
{
	char p[64], big[3 * PIPE_BUF], got[4 * PIPE_BUF];
	int rfd, oe, cap;
	ssize_t n;

	name(p, sizeof(p), "fifo");
	cr_assert_eq(mkfifo(p, 0600), 0);
	/* no reader: a FIFO opened O_NONBLOCK for writing fails at once */
	cr_expect_eq(put(p, "x\n", 2, &oe), -1);
	cr_expect_eq(oe, ENXIO);
	rfd = open(p, O_RDONLY | O_NONBLOCK);
	cr_assert_geq(rfd, 0);
	cap = fcntl(rfd, F_SETPIPE_SZ, 4 * PIPE_BUF);
	cr_assert_geq(cap, 4 * PIPE_BUF);
	cr_assert_eq(cap, 4 * PIPE_BUF, "pipe of %d bytes", cap);
	memset(big, 'r', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	cr_expect_eq(put(p, big, sizeof(big), &oe), 0);
	/* the pipe holds 4 pages, 3 are taken: the next big one must not
	 * begin (EAGAIN), and nothing of it reaches the reader */
	cr_expect_eq(put(p, big, sizeof(big), &oe), -1);
	cr_expect_eq(errno, EAGAIN);
	n = read(rfd, got, sizeof(got));
	cr_expect_eq(n, (ssize_t)sizeof(big), "read %zd", n);
	cr_expect_eq(memcmp(got, big, sizeof(big)), 0);
	close(rfd);
}

Test(logw, reader_gone_no_sigpipe)
{
	struct logw_file f;
	char p[64];
	sigset_t pending;
	int rfd, fd;

	name(p, sizeof(p), "fifo");
	cr_assert_eq(mkfifo(p, 0600), 0);
	rfd = open(p, O_RDONLY | O_NONBLOCK);
	cr_assert_geq(rfd, 0);
	fd = logw_open(p, &f);
	cr_assert_geq(fd, 0);
	close(rfd);
	/* SIGPIPE's default action would end this test process */
	cr_expect_eq(logw_write(fd, &f, "x\n", 2), -1);
	cr_expect_eq(errno, EPIPE);
	sigpending(&pending);
	cr_expect_eq(sigismember(&pending, SIGPIPE), 0);
}

/* A record that does not fit on a full file system is not begun. */
Test(logw, full_tmpfs_not_begun)
{
	char p[64], fill[64], rec[2048];
	size_t before;
	int fd, oe;

	if (mount("tmpfs", dir, "tmpfs", 0, "size=64k") != 0)
		cr_skip_test("cannot mount a tmpfs (%s): full-disk case "
			     "not run",
		    strerror(errno));
	name(p, sizeof(p), "log");
	name(fill, sizeof(fill), "fill");
	cr_assert_eq(put(p, "{\"first\":1}\n", 12, &oe), 0);
	fd = open(fill, O_WRONLY | O_CREAT, 0600);
	cr_assert_geq(fd, 0);
	memset(rec, 'f', sizeof(rec));
	while (write(fd, rec, sizeof(rec)) > 0)
		;
	close(fd);
	/* the log's first block has room for a short record still */
	before = file_size(p);
	cr_expect_eq(put(p, "{\"b\":2}\n", 8, &oe), 0);
	cr_expect_eq(file_size(p), before + 8);
	/* one larger than the rest of that block: refused whole */
	before = file_size(p);
	memset(rec, 'r', sizeof(rec));
	rec[sizeof(rec) - 1] = '\n';
	for (;;) {
		if (put(p, rec, sizeof(rec), &oe) != 0)
			break;
		before = file_size(p);
	}
	cr_expect_eq(errno, ENOSPC, "%s", strerror(errno));
	cr_expect_eq(file_size(p), before, "no fragment left");
}
