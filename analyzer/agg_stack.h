/*
 * agg_stack.h: failures counted by call site (stack id, or the frames
 * themselves), with the frames shown for each.
 */
#ifndef TLSDIAG_AGG_STACK_H
#define TLSDIAG_AGG_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "agg_stat.h"
#include "logrecord.h"

struct agg;

struct agg_frame {
	char *module; /* owned strings, NULL when absent */
	char *build_id;
	char *symbol;
	int64_t offset; /* RECORD_NONE when absent */
};

#define AGG_MAX_FRAMES 32

/*
 * Types counted per call site.  One site rarely fails in more than two or
 * three ways (curl's SSL_connect: a certificate error or an EOF), so a few
 * are kept and any further types are only counted together.
 */
#define AGG_STACK_TYPES 8

struct agg_stack_type {
	char *type; /* owned */
	uint64_t count;
};

/* A stack's frames: of the first record of it that carried them. */
struct agg_frames {
	struct agg_frame *frames;
	size_t nframes;
};

struct agg_stack {
	struct agg_stat st;
	struct agg_frames fr;
	char *type; /* error.type and program of that record */
	char *program;
	/* By count (descending), then name: a total order, input-blind. */
	struct agg_stack_type types[AGG_STACK_TYPES];
	size_t ntypes;
	uint64_t other_types; /* failures of types that found it full */
};

/*
 * Learn r's frames under its stack id, from every record read, matched by
 * the filter or not: the shim writes a stack's frames only in the first
 * record of it in a log file (later ones say backtrace_repeat), which may
 * lie outside --since or be filtered away.  Returns 0, or -1 if memory
 * ran out.
 */
int agg_learn(struct agg *a, const struct record *r);

/* After the last record: give counted stacks the frames learned later. */
void agg_finish(struct agg *a);

#endif
