/* input.h: line-by-line reading of plain or gzip'd logs with a length cap. */
#ifndef TLSDIAG_INPUT_H
#define TLSDIAG_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

/* What input_next() found. */
enum input_status {
	INPUT_LINE,	 /* a complete line (newline stripped) */
	INPUT_TOO_LONG,	 /* a line over the cap; its bytes were dropped */
	INPUT_TRUNCATED, /* last line without a newline */
	INPUT_EOF,
	INPUT_ERROR /* read error; message in in->err */
};

#define INPUT_CHUNK (256 * 1024)

struct input {
	gzFile gz;
	const char *name; /* for messages; not owned */
	char *buf;	  /* INPUT_CHUNK + 1 bytes */
	size_t start;	  /* unread bytes are buf[start..end) */
	size_t end;
	char *acc; /* a line spanning chunks */
	size_t acclen;
	size_t acccap;
	size_t max_line;
	size_t long_len; /* length of the last INPUT_TOO_LONG line */
	uint64_t lineno; /* number of the line last returned */
	int eof;
	int ranged; /* input_open_range(): plain read()s from fd */
	int fd;
	uint64_t taken; /* bytes consumed since the open position */
	uint64_t limit; /* ranged: lines must start before this */
	char err[256];
};

/*
 * Open path ("-" is standard input) for reading; gzip'd data is detected
 * by content and decompressed.  Lines longer than max_line bytes are
 * reported as INPUT_TOO_LONG without being kept in memory.  Returns 0, or
 * -1 with a message such as "cannot open 'x': No such file or directory"
 * in err.
 */
int input_open(struct input *in, const char *path, size_t max_line, char *err,
    size_t errsz);

/*
 * Open the lines of the plain file at path that start at a byte offset in
 * [start, end): the line start is cut in is left to the piece before, the
 * last line is read to its end even past end.  For --jobs; gzip'd data is
 * not recognised (the caller splits plain files only).  in->lineno counts
 * from the first line of the piece.  Returns 0, or -1 with a message in
 * err.
 */
int input_open_range(struct input *in, const char *path, uint64_t start,
    uint64_t end, size_t max_line, char *err, size_t errsz);

/*
 * Read the next line.  For INPUT_LINE and INPUT_TRUNCATED, *line points to
 * len bytes followed by a NUL, owned by in and valid until the next call;
 * the bytes may contain NULs.  For INPUT_TOO_LONG, in->long_len holds the
 * dropped length.  in->lineno is the line's number.
 */
enum input_status input_next(struct input *in, const char **line, size_t *len);

/* Bytes of the underlying file consumed so far (for progress). */
uint64_t input_offset(const struct input *in);

/* Close and free; safe to call on a closed or failed input. */
void input_close(struct input *in);

#endif
