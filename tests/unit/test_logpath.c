/*
 * test_logpath.c: common/logpath.c, the rule shared by the shim's logw and
 * "tlsdiag run -o", on real files: our own, a hard link, a FIFO.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/logpath.h"

Test(logpath, limit_is_the_documented_one)
{
	/* README and docs/log-format.md: TLSDIAG_LOG of at most 1023 bytes */
	cr_expect_eq(LOGPATH_MAX, 1024);
}

Test(logpath, rule_on_stat_fields)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_mode = S_IFREG | 0600;
	st.st_uid = 1000;
	st.st_nlink = 1;
	cr_expect_eq(logpath_trusted(&st, 1000), 1);
	cr_expect_eq(logpath_trusted(&st, 1001), 0, "someone else's file");
	st.st_nlink = 2;
	cr_expect_eq(logpath_trusted(&st, 1000), 0, "a hard link");
	st.st_nlink = 0;
	cr_expect_eq(logpath_trusted(&st, 1000), 0, "an unlinked file");
	st.st_mode = S_IFIFO | 0600;
	st.st_uid = 0;
	st.st_nlink = 2;
	cr_expect_eq(logpath_trusted(&st, 1000), 1, "pipes are anyone's");
	st.st_mode = S_IFCHR | 0666;
	cr_expect_eq(logpath_trusted(&st, 1000), 1, "/dev/null");
}

Test(logpath, real_files)
{
	char dir[] = "/tmp/test_logpath.XXXXXX";
	char file[64], link2[64], fifo[64];
	struct stat st;
	int fd;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/log", dir);
	snprintf(link2, sizeof(link2), "%s/link", dir);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(stat(file, &st), 0);
	cr_expect_eq(logpath_trusted(&st, geteuid()), 1);
	cr_expect_eq(logpath_trusted(&st, geteuid() + 1), 0);
	cr_assert_eq(link(file, link2), 0);
	cr_assert_eq(stat(file, &st), 0);
	cr_expect_eq(logpath_trusted(&st, geteuid()), 0);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	cr_assert_eq(stat(fifo, &st), 0);
	cr_expect_eq(logpath_trusted(&st, geteuid() + 1), 1);
	unlink(fifo);
	unlink(link2);
	unlink(file);
	rmdir(dir);
}
