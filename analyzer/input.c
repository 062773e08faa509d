/*
 * input.c: the analyzer's only reader.  zlib's gz* functions read gzip and
 * plain files alike, so rotated "log.1.gz" files need no flag.  Lines are
 * returned in place from a fixed chunk when they fit, and gathered into a
 * buffer bounded by the line cap otherwise, so a 50 MB line costs no more
 * memory than the cap.
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Is fd a regular file that does not start like gzip data? */
static int
plain_file(int fd)
{
	struct stat sb;
	unsigned char magic[2];

	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode))
		return 0;
	if (pread(fd, magic, sizeof(magic), 0) == 2 && magic[0] == 0x1f &&
	    magic[1] == 0x8b)
		return 0;
	return lseek(fd, 0, SEEK_CUR) == 0;
}

int
input_open(struct input *in, const char *path, size_t max_line, char *err,
    size_t errsz)
{
	int fd;

	memset(in, 0, sizeof(*in));
	in->name = path;
	in->max_line = max_line;
	if (strcmp(path, "-") == 0)
		fd = dup(STDIN_FILENO);
	else
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		snprintf(err, errsz, "cannot open '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	in->buf = malloc(INPUT_CHUNK + 1);
	if (in->buf != NULL && plain_file(fd)) {
		/* read() into buf: zlib would copy every byte once more. */
		in->ranged = 1;
		in->fd = fd;
		in->limit = UINT64_MAX;
		return 0;
	}
	in->gz = in->buf != NULL ? gzdopen(fd, "rb") : NULL;
	if (in->gz == NULL) {
		close(fd);
		free(in->buf);
		in->buf = NULL;
		snprintf(err, errsz, "cannot read '%s': out of memory", path);
		return -1;
	}
	gzbuffer(in->gz, 128 * 1024);
	return 0;
}

int
input_open_range(struct input *in, const char *path, uint64_t start,
    uint64_t end, size_t max_line, char *err, size_t errsz)
{
	const char *line;
	size_t len;
	off_t at = start > 0 ? (off_t)(start - 1) : 0;

	memset(in, 0, sizeof(*in));
	in->name = path;
	in->max_line = max_line;
	in->ranged = 1;
	in->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (in->fd == -1 || lseek(in->fd, at, SEEK_SET) == -1) {
		snprintf(err, errsz, "cannot open '%s': %s", path,
		    strerror(errno));
		if (in->fd != -1)
			close(in->fd);
		return -1;
	}
	in->buf = malloc(INPUT_CHUNK + 1);
	if (in->buf == NULL) {
		close(in->fd);
		snprintf(err, errsz, "cannot read '%s': out of memory", path);
		return -1;
	}
	in->limit = end - (uint64_t)at;
	if (start > 0) {
		/* From the byte before: a newline there makes this empty. */
		in->limit = UINT64_MAX;
		(void)input_next(in, &line, &len);
		in->limit = end - (uint64_t)at;
		in->lineno = 0;
	}
	return 0;
}

/* Refill buf.  Returns bytes read, 0 at end, -1 on error (in->err set). */
static int
refill(struct input *in)
{
	const char *msg;
	ssize_t rn;
	int n;
	int zerr;

	if (in->eof)
		return 0;
	if (in->ranged) {
		do
			rn = read(in->fd, in->buf, INPUT_CHUNK);
		while (rn == -1 && errno == EINTR);
		if (rn == -1) {
			snprintf(in->err, sizeof(in->err),
			    "cannot read '%s': %s", in->name, strerror(errno));
			in->eof = 1;
			return -1;
		}
		if (rn == 0)
			in->eof = 1;
		in->start = 0;
		in->end = (size_t)rn;
		return (int)rn;
	}
	n = gzread(in->gz, in->buf, INPUT_CHUNK);
	if (n < 0) {
		msg = gzerror(in->gz, &zerr);
		snprintf(in->err, sizeof(in->err), "cannot read '%s': %s",
		    in->name, zerr == Z_ERRNO ? strerror(errno) : msg);
		in->eof = 1;
		return -1;
	}
	if (n == 0) {
		/* A gzip stream cut short reads as end plus an error. */
		msg = gzerror(in->gz, &zerr);
		if (zerr != Z_OK && zerr != Z_STREAM_END) {
			snprintf(in->err, sizeof(in->err),
			    "cannot read '%s': %s", in->name, msg);
			in->eof = 1;
			return -1;
		}
		in->eof = 1;
	}
	in->start = 0;
	in->end = (size_t)n;
	return n;
}

/* Append to the spanning-line buffer, or mark the line too long. */
static int
accumulate(struct input *in, const char *p, size_t n)
{
	size_t ncap;
	char *na;

	if (in->long_len != 0 || in->acclen + n > in->max_line) {
		if (in->long_len == 0)
			in->long_len = in->acclen;
		in->long_len += n;
		in->acclen = 0;
		return 0;
	}
	if (in->acclen + n + 1 > in->acccap) {
		ncap = in->acccap ? in->acccap : 4096;
		while (ncap < in->acclen + n + 1)
			ncap *= 2;
		na = realloc(in->acc, ncap);
		if (na == NULL)
			return -1;
		in->acc = na;
		in->acccap = ncap;
	}
	memcpy(in->acc + in->acclen, p, n);
	in->acclen += n;
	return 0;
}

enum input_status
input_next(struct input *in, const char **line, size_t *len)
{
	char *p;
	char *nl;
	size_t n;
	int r;

	in->long_len = 0;
	in->acclen = 0;
	if (in->ranged && in->taken >= in->limit)
		return INPUT_EOF;
	for (;;) {
		if (in->start == in->end) {
			r = refill(in);
			if (r < 0)
				return INPUT_ERROR;
			if (r == 0)
				break;
		}
		p = in->buf + in->start;
		n = in->end - in->start;
		nl = memchr(p, '\n', n);
		if (nl == NULL) {
			if (accumulate(in, p, n) == -1)
				goto nomem;
			in->start = in->end;
			in->taken += n;
			continue;
		}
		n = (size_t)(nl - p);
		in->start += n + 1;
		in->taken += n + 1;
		in->lineno++;
		if (in->acclen == 0 && in->long_len == 0) {
			if (n > in->max_line) {
				in->long_len = n;
				return INPUT_TOO_LONG;
			}
			*nl = '\0';
			*line = p;
			*len = n;
			return INPUT_LINE;
		}
		if (accumulate(in, p, n) == -1)
			goto nomem;
		if (in->long_len != 0)
			return INPUT_TOO_LONG;
		in->acc[in->acclen] = '\0';
		*line = in->acc;
		*len = in->acclen;
		return INPUT_LINE;
	}
	if (in->acclen == 0 && in->long_len == 0)
		return INPUT_EOF;
	in->lineno++;
	if (in->long_len != 0)
		return INPUT_TOO_LONG;
	in->acc[in->acclen] = '\0';
	*line = in->acc;
	*len = in->acclen;
	return INPUT_TRUNCATED;
nomem:
	snprintf(in->err, sizeof(in->err), "cannot read '%s': out of memory",
	    in->name);
	in->eof = 1;
	return INPUT_ERROR;
}

uint64_t
input_offset(const struct input *in)
{
	if (in->gz == NULL)
		return in->taken;
	return (uint64_t)gzoffset(in->gz);
}

void
input_close(struct input *in)
{
	if (in->gz != NULL)
		gzclose(in->gz);
	in->gz = NULL;
	if (in->ranged && in->fd != -1)
		close(in->fd);
	in->fd = -1;
	free(in->buf);
	in->buf = NULL;
	free(in->acc);
	in->acc = NULL;
}
