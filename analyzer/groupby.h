/* groupby.h: --group-by: failures counted per value of chosen record fields. */
#ifndef TLSDIAG_GROUPBY_H
#define TLSDIAG_GROUPBY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "agg_stat.h"
#include "logrecord.h"
#include "strmap.h"

struct view;

/* What a missing (or null) field counts as. */
#define GROUPBY_NONE "(none)"

/* Most fields one --group-by list may name. */
#define GROUPBY_MAX_FIELDS 8

/*
 * The fields and the rows: a row's key is its values, each followed by a
 * NUL; its value is a struct agg_stat (count, first and last seen).
 */
struct groupby {
	char *paths[GROUPBY_MAX_FIELDS]; /* dotted paths, owned */
	size_t npaths;
	struct strmap rows;
	uint64_t total; /* failures counted */
};

/*
 * Add the comma-separated dotted paths in spec to *gb (allocated on the
 * first call, *gb NULL before).  Returns 0, or -1 with a message in err
 * (an empty field, too many fields, out of memory).
 */
int
groupby_parse(struct groupby **gb, const char *spec, char *err, size_t errsz);

/* Free gb and its rows; NULL is fine. */
void groupby_free(struct groupby *gb);

/*
 * The values at paths[0..npaths) of the JSON record line[0..len) (a NUL
 * after it), into vals: a string as it is, a number, true, false as their
 * JSON text, an object or array as compact JSON, a missing member or null
 * as GROUPBY_NONE.  Each vals[i] is malloc'd (free with
 * groupby_vals_free()).  Returns 0, or -1 if the line is not JSON or
 * memory ran out (vals all NULL then).
 */
int groupby_extract(const char *line, size_t len, char *const *paths,
    size_t npaths, char **vals);

/* Free what groupby_extract() put in vals. */
void groupby_vals_free(char **vals, size_t n);

/* Count failure r under its values.  Returns 0, or -1 if out of memory. */
int groupby_add(struct groupby *gb, const struct record *r);

/*
 * The rows sorted by count (descending), first seen, then values, and
 * the i-th value of a row's key.  groupby_sorted() returns a malloc'd
 * array of gb->rows.count entries, NULL if empty or out of memory.
 */
struct strmap_ent **groupby_sorted(const struct groupby *gb);
const char *groupby_value(const struct strmap_ent *row, size_t i);

/* The text section "Failures by FIELD, FIELD" of the report. */
void groupby_text(const struct view *v, FILE *out);

/*
 * The JSON member "group_by": {"fields": [...], "rows": [{"values": [...],
 * "count", "share", "first_seen", "last_seen"}]}.  Returns 0, or -1 if
 * memory ran out.
 */
int groupby_json(const struct view *v, cJSON *root);

#endif
