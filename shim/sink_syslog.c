/*
 * sink_syslog.c: TLSDIAG_LOG=syslog: sends each record as one RFC 5424
 * datagram whose MSG is "@cee:" and the JSON record, so a local rsyslog
 * or syslog-ng takes it in and forwards it with its own queues.  Like
 * logw.c, it opens a socket per record and closes it again: no descriptor
 * of ours stays in the host between records.
 */
#include "sink_syslog.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "../common/logformat.h"

#define TS_KEY "{\"" LOGFORMAT_M_TIMESTAMP "\":\""
#define TS_LEN 27 /* YYYY-MM-DDTHH:MM:SS.uuuuuuZ */
#define LEVEL_KEY "\"" LOGFORMAT_M_LEVEL "\":\""
#define LEVEL_SCAN 128 /* record_begin() puts it near the start */

int
sink_syslog_pri(const char *json, size_t len)
{
	static const struct {
		const char *name;
		int sev;
	} lv[] = { { LOGFORMAT_LEVEL_ERROR "\"", 3 },
		{ LOGFORMAT_LEVEL_WARNING "\"", 4 },
		{ LOGFORMAT_LEVEL_INFO "\"", 6 } };
	size_t i, k = sizeof(LEVEL_KEY) - 1, n;
	const char *p;

	n = len < LEVEL_SCAN ? len : LEVEL_SCAN;
	for (i = 0; i + k <= n; i++) {
		if (memcmp(json + i, LEVEL_KEY, k) != 0)
			continue;
		p = json + i + k;
		for (size_t j = 0; j < sizeof(lv) / sizeof(lv[0]); j++)
			if ((size_t)(json + len - p) >= strlen(lv[j].name) &&
			    memcmp(p, lv[j].name, strlen(lv[j].name)) == 0)
				return SINK_SYSLOG_FACILITY * 8 + lv[j].sev;
		break;
	}
	return SINK_SYSLOG_FACILITY * 8 + 4;
}

/* Append s as an RFC 5424 header field of at most max printable chars. */
static size_t
put_field(char *out, const char *s, size_t max)
{
	size_t i;

	if (s == NULL || *s == '\0') {
		out[0] = '-';
		return 1;
	}
	for (i = 0; s[i] != '\0' && i < max; i++)
		out[i] = s[i] > 32 && s[i] < 127 ? s[i] : '_';
	return i;
}

int
sink_syslog_header(char *out, size_t cap, const char *json, size_t len,
    const char *host, const char *app, long pid)
{
	char tmp[SINK_SYSLOG_HEADER_MAX];
	size_t k = sizeof(TS_KEY) - 1, o;
	int n;

	n = snprintf(tmp, sizeof(tmp), "<%d>1 ", sink_syslog_pri(json, len));
	o = (size_t)n;
	if (len > k + TS_LEN && memcmp(json, TS_KEY, k) == 0 &&
	    json[k + TS_LEN] == '"') {
		memcpy(tmp + o, json + k, TS_LEN);
		o += TS_LEN;
	} else
		tmp[o++] = '-';
	tmp[o++] = ' ';
	o += put_field(tmp + o, host, 255);
	tmp[o++] = ' ';
	o += put_field(tmp + o, app, 48);
	n = snprintf(tmp + o, sizeof(tmp) - o, " %ld %s - %s", pid,
	    SINK_SYSLOG_MSGID, SINK_SYSLOG_COOKIE);
	if (n < 0 || (size_t)n >= sizeof(tmp) - o)
		return -1;
	o += (size_t)n;
	if (o >= cap)
		return -1;
	memcpy(out, tmp, o);
	out[o] = '\0';
	return (int)o;
}

int
sink_syslog_send(const char *sock, const char *json, size_t len,
    const char *host, const char *app, long pid)
{
	char head[SINK_SYSLOG_HEADER_MAX];
	struct sockaddr_un sa;
	struct iovec iov[2];
	struct msghdr mh;
	int fd, hl, saved = errno;
	ssize_t n;

	if (strlen(sock) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (len > 0 && json[len - 1] == '\n')
		len--;
	hl = sink_syslog_header(head, sizeof(head), json, len, host, app, pid);
	if (hl < 0) {
		errno = EMSGSIZE;
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	iov[0].iov_base = head;
	iov[0].iov_len = (size_t)hl;
	iov[1].iov_base = (void *)(uintptr_t)json;
	iov[1].iov_len = len;
	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &sa;
	mh.msg_namelen = (socklen_t)sizeof(sa);
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	do
		n = sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	errno = saved;
	return 0;
}
