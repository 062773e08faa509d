/*
 * cjsonparse.c: the floor under "tlsdiag report".  Reads a log with the
 * analyzer's own reader and only parses each line with cJSON, then drops
 * the tree: with the system allocator ("malloc", a malloc and a free per
 * node) or with the analyzer's arena ("arena").  Nothing is looked up or
 * counted, so the time is what cJSON itself costs on this log.
 *
 * usage: cjsonparse malloc|arena FILE
 * Prints: lines N parsed M
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "input.h"

static struct arena bench_arena;

static void *
bench_alloc(size_t n)
{
	return arena_alloc(&bench_arena, n);
}

static void
bench_free(void *p)
{
	(void)p;
}

int
main(int argc, char **argv)
{
	static cJSON_Hooks hooks = { bench_alloc, bench_free };
	struct input in;
	enum input_status st;
	const char *line;
	size_t len;
	unsigned long long lines = 0;
	unsigned long long parsed = 0;
	char err[256];
	int use_arena;
	cJSON *root;

	if (argc != 3 ||
	    (strcmp(argv[1], "malloc") != 0 && strcmp(argv[1], "arena") != 0)) {
		fprintf(stderr, "usage: cjsonparse malloc|arena FILE\n");
		return 2;
	}
	use_arena = strcmp(argv[1], "arena") == 0;
	if (input_open(&in, argv[2], 1024 * 1024, err, sizeof(err)) == -1) {
		fprintf(stderr, "cjsonparse: %s\n", err);
		return 1;
	}
	if (use_arena)
		cJSON_InitHooks(&hooks);
	for (;;) {
		st = input_next(&in, &line, &len);
		if (st == INPUT_EOF || st == INPUT_ERROR)
			break;
		lines++;
		if (st != INPUT_LINE)
			continue;
		root = cJSON_ParseWithLengthOpts(line, len + 1, NULL, 1);
		parsed += root != NULL;
		if (use_arena)
			arena_reset(&bench_arena);
		else
			cJSON_Delete(root);
	}
	input_close(&in);
	printf("lines %llu parsed %llu\n", lines, parsed);
	return st == INPUT_ERROR;
}
