/* test_input.c: the line reader on long, truncated and gzip'd input. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "../../analyzer/input.h"

static char path[64];

static void
write_file(const char *data, size_t len)
{
	FILE *fp;

	snprintf(path, sizeof(path), "/tmp/tlsdiag-input-%ld", (long)getpid());
	fp = fopen(path, "wb");
	cr_assert_not_null(fp);
	cr_assert_eq(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

Test(input, lines_long_lines_and_truncation)
{
	size_t big = 3 * INPUT_CHUNK + 17; /* spans several chunks */
	size_t total = big + 64;
	char *data = malloc(total);
	struct input in;
	const char *line;
	size_t len;
	size_t o = 0;
	char err[256];

	cr_assert_not_null(data);
	o += (size_t)sprintf(data + o, "first\n\n");
	memset(data + o, 'x', big);
	o += big;
	o += (size_t)sprintf(data + o, "\nshort\r\nlast-no-newline");
	write_file(data, o);
	free(data);
	/* The cap is one chunk: the big line is over it. */
	cr_assert_eq(input_open(&in, path, INPUT_CHUNK, err, sizeof(err)), 0);
	cr_assert_eq(input_next(&in, &line, &len), INPUT_LINE);
	cr_expect_eq(len, 5);
	cr_expect_str_eq(line, "first");
	cr_assert_eq(input_next(&in, &line, &len), INPUT_LINE);
	cr_expect_eq(len, 0);
	cr_assert_eq(input_next(&in, &line, &len), INPUT_TOO_LONG);
	cr_expect_eq(in.long_len, big);
	cr_expect_eq(in.lineno, 3);
	cr_assert_eq(input_next(&in, &line, &len), INPUT_LINE);
	cr_expect_str_eq(line, "short\r", "CR is kept for pass-through");
	cr_assert_eq(input_next(&in, &line, &len), INPUT_TRUNCATED);
	cr_expect_str_eq(line, "last-no-newline");
	cr_expect_eq(in.lineno, 5);
	cr_expect_eq(input_next(&in, &line, &len), INPUT_EOF);
	input_close(&in);
	unlink(path);
}

Test(input, line_spanning_chunks_within_cap)
{
	size_t n = INPUT_CHUNK + 1000;
	char *data = malloc(n + 2);
	struct input in;
	const char *line;
	size_t len;
	char err[256];

	cr_assert_not_null(data);
	memset(data, 'y', n);
	data[n] = '\n';
	write_file(data, n + 1);
	free(data);
	cr_assert_eq(input_open(&in, path, 1 << 20, err, sizeof(err)), 0);
	cr_assert_eq(input_next(&in, &line, &len), INPUT_LINE);
	cr_expect_eq(len, n);
	cr_expect_eq(line[n], '\0');
	cr_expect_eq(input_next(&in, &line, &len), INPUT_EOF);
	input_close(&in);
	unlink(path);
}

Test(input, gzip_is_transparent)
{
	struct input in;
	const char *line;
	size_t len;
	char err[256];
	gzFile gz;

	snprintf(path, sizeof(path), "/tmp/tlsdiag-input-%ld.gz",
	    (long)getpid());
	gz = gzopen(path, "wb");
	cr_assert_not_null(gz);
	gzputs(gz, "{\"a\":1}\n{\"b\":2}\n");
	gzclose(gz);
	cr_assert_eq(input_open(&in, path, 1 << 20, err, sizeof(err)), 0);
	cr_assert_eq(input_next(&in, &line, &len), INPUT_LINE);
	cr_expect_str_eq(line, "{\"a\":1}");
	cr_assert_eq(input_next(&in, &line, &len), INPUT_LINE);
	cr_expect_str_eq(line, "{\"b\":2}");
	cr_expect_eq(input_next(&in, &line, &len), INPUT_EOF);
	input_close(&in);
	unlink(path);
}

Test(input, missing_file_message)
{
	struct input in;
	char err[256];

	cr_assert_eq(input_open(&in, "/nonexistent/x.log", 100, err,
			 sizeof(err)),
	    -1);
	cr_expect_str_eq(err,
	    "cannot open '/nonexistent/x.log': No such file "
	    "or directory");
}
