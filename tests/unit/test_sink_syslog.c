/* test_sink_syslog.c: the RFC 5424 header and the datagram sent. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../../shim/sink_syslog.h"

#define REC(level)                                                               \
	"{\"@timestamp\":\"2026-11-29T23:56:12.992523Z\",\"log.level\":\"" level \
	"\",\"message\":\"m\"}\n"

Test(sink_syslog, pri_from_level)
{
	cr_expect_eq(sink_syslog_pri(REC("error"), strlen(REC("error"))), 11);
	cr_expect_eq(sink_syslog_pri(REC("warning"), strlen(REC("warning"))),
	    12);
	cr_expect_eq(sink_syslog_pri(REC("info"), strlen(REC("info"))), 14);
	cr_expect_eq(sink_syslog_pri(REC("other"), strlen(REC("other"))), 12);
	cr_expect_eq(sink_syslog_pri(REC("errorx"), strlen(REC("errorx"))), 12);
	cr_expect_eq(sink_syslog_pri("{}", 2), 12);
}

Test(sink_syslog, header)
{
	char h[SINK_SYSLOG_HEADER_MAX], app[100];
	const char *r = REC("error");

	cr_assert_gt(sink_syslog_header(h, sizeof(h), r, strlen(r), "vm",
			 "curl", 812),
	    0);
	cr_expect_str_eq(h,
	    "<11>1 2026-11-29T23:56:12.992523Z vm curl 812 tlsdiag - @cee:");
	/* no @timestamp: NILVALUE; spaces and control bytes: '_'; empty: - */
	cr_assert_gt(sink_syslog_header(h, sizeof(h), "{}", 2, "", "my prog\n",
			 1),
	    0);
	cr_expect_str_eq(h, "<12>1 - - my_prog_ 1 tlsdiag - @cee:");
	memset(app, 'a', sizeof(app) - 1);
	app[sizeof(app) - 1] = '\0';
	cr_assert_gt(sink_syslog_header(h, sizeof(h), "{}", 2, "h", app, 1), 0);
	cr_expect_str_eq(h,
	    "<12>1 - h aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1 "
	    "tlsdiag - @cee:");
	cr_expect_eq(sink_syslog_header(h, 10, "{}", 2, "h", "a", 1), -1);
}

static void
bind_dgram(int *fd, char *path, size_t cap)
{
	struct sockaddr_un sa;

	snprintf(path, cap, "/tmp/tlsdiag-test-sink-%ld", (long)getpid());
	unlink(path);
	*fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	cr_assert_geq(*fd, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	cr_assert_eq(bind(*fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
}

/* One datagram, newline left out; a receiver never reading: EAGAIN. */
Test(sink_syslog, send_and_full)
{
	char path[108], buf[512];
	const char *r = REC("error");
	ssize_t n;
	int fd, i, rc = 0;

	bind_dgram(&fd, path, sizeof(path));
	errno = 1234;
	cr_assert_eq(sink_syslog_send(path, r, strlen(r), "vm", "t", 7), 0);
	cr_expect_eq(errno, 1234);
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	cr_assert_gt(n, 0);
	buf[n] = '\0';
	cr_expect_str_eq(buf,
	    "<11>1 2026-11-29T23:56:12.992523Z vm t 7 tlsdiag - @cee:"
	    "{\"@timestamp\":\"2026-11-29T23:56:12.992523Z\",\"log.level\":"
	    "\"error\",\"message\":\"m\"}");
	for (i = 0; i < 100000 && rc == 0; i++)
		rc = sink_syslog_send(path, r, strlen(r), "vm", "t", 7);
	cr_expect_eq(rc, -1);
	cr_expect_eq(errno, EAGAIN);
	close(fd);
	unlink(path);
	cr_expect_eq(sink_syslog_send(path, r, strlen(r), "vm", "t", 7), -1);
	cr_expect(errno == ENOENT || errno == ECONNREFUSED);
}
