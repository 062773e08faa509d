/*
 * groupby.c: --group-by FIELD[,FIELD...].  Each failure that passed the
 * filter is counted under the tuple of its values at the given dotted
 * paths, read from the raw line (groupby_extract(), the report's scanner,
 * jscan_paths()), and shown in every output format.
 */
#include "groupby.h"

#include <stdlib.h>
#include <string.h>

#include "agg_stat.h"
#include "certtime.h"
#include "jscan.h"
#include "termsafe.h"
#include "view.h"

/* Longest value kept in a row's key; longer ones are cut. */
#define GROUPBY_VALUE_MAX 1024

int
groupby_parse(struct groupby **gbp, const char *spec, char *err, size_t errsz)
{
	struct groupby *gb = *gbp;
	const char *p = spec, *comma;
	size_t n;

	if (gb == NULL) {
		gb = calloc(1, sizeof(*gb));
		if (gb == NULL) {
			snprintf(err, errsz, "out of memory");
			return -1;
		}
		strmap_init(&gb->rows, sizeof(struct agg_stat));
		*gbp = gb;
	}
	for (;;) {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (n == 0) {
			snprintf(err, errsz, "empty field name");
			return -1;
		}
		if (gb->npaths == GROUPBY_MAX_FIELDS) {
			snprintf(err, errsz, "more than %d fields",
			    GROUPBY_MAX_FIELDS);
			return -1;
		}
		gb->paths[gb->npaths] = strndup(p, n);
		if (gb->paths[gb->npaths] == NULL) {
			snprintf(err, errsz, "out of memory");
			return -1;
		}
		gb->npaths++;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

void
groupby_free(struct groupby *gb)
{
	size_t i;

	if (gb == NULL)
		return;
	for (i = 0; i < gb->npaths; i++)
		free(gb->paths[i]);
	strmap_free(&gb->rows);
	free(gb);
}

void
groupby_vals_free(char **vals, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(vals[i]);
		vals[i] = NULL;
	}
}

/*
 * A value as groupby_extract() describes it, malloc'd: a string decoded,
 * anything else as written in the record (the shim writes compact JSON).
 */
static char *
item_value(const struct jvalue *v)
{
	char *s;

	if (v->type == JSCAN_NONE || v->type == JSCAN_NULL)
		return strdup(GROUPBY_NONE);
	if (v->type != JSCAN_STRING)
		return strndup(v->raw, v->rawlen);
	s = malloc(v->rawlen + 1);
	if (s != NULL)
		(void)jscan_string(v, s);
	return s;
}

int
groupby_extract(const char *line, size_t len, char *const *paths, size_t npaths,
    char **vals)
{
	struct jvalue v[GROUPBY_MAX_FIELDS];
	size_t i;

	for (i = 0; i < npaths; i++)
		vals[i] = NULL;
	if (npaths > GROUPBY_MAX_FIELDS ||
	    jscan_paths(line, len, (const char *const *)paths, npaths, v) == -1)
		return -1;
	for (i = 0; i < npaths; i++) {
		vals[i] = item_value(&v[i]);
		if (vals[i] == NULL) {
			groupby_vals_free(vals, i);
			return -1;
		}
	}
	return 0;
}

int
groupby_add(struct groupby *gb, const struct record *r)
{
	char *vals[GROUPBY_MAX_FIELDS];
	struct strmap_ent *e;
	char *key;
	size_t i, n, len = 0;
	int created;

	if (groupby_extract(r->line, r->len, gb->paths, gb->npaths, vals) == -1)
		return -1;
	key = malloc(gb->npaths * (GROUPBY_VALUE_MAX + 1) + 1);
	if (key == NULL) {
		groupby_vals_free(vals, gb->npaths);
		return -1;
	}
	for (i = 0; i < gb->npaths; i++) {
		n = strnlen(vals[i], GROUPBY_VALUE_MAX);
		memcpy(key + len, vals[i], n);
		key[len + n] = '\0';
		len += n + 1;
	}
	groupby_vals_free(vals, gb->npaths);
	e = strmap_get(&gb->rows, key, len, &created);
	free(key);
	if (e == NULL)
		return -1;
	agg_stat_add(e->val, r->ts);
	gb->total++;
	return 0;
}

struct strmap_ent **
groupby_sorted(const struct groupby *gb)
{
	return agg_sorted(&gb->rows);
}

const char *
groupby_value(const struct strmap_ent *row, size_t i)
{
	const char *k = row->key;

	while (i-- > 0)
		k += strlen(k) + 1;
	return k;
}

/* The fields as one heading: "a, b". */
static void
print_fields(const struct groupby *gb, FILE *out)
{
	char eb[256];
	size_t i;

	for (i = 0; i < gb->npaths; i++) {
		termsafe_escape(gb->paths[i], 120, eb, sizeof(eb));
		fprintf(out, "%s%s", i != 0 ? ", " : "", eb);
	}
}

void
groupby_text(const struct view *v, FILE *out)
{
	const struct groupby *gb = v->gb;
	struct strmap_ent **e;
	char b1[CERTTIME_BUFSZ];
	char b2[CERTTIME_BUFSZ];
	char eb[128];
	size_t i, j, n;

	if (gb == NULL)
		return;
	n = view_limit(v, gb->rows.count);
	fprintf(out, "\nFailures by ");
	print_fields(gb, out);
	fprintf(out, " (%zu of %zu)\n", n, gb->rows.count);
	if (gb->rows.count == 0)
		return;
	e = groupby_sorted(gb);
	if (e == NULL)
		return;
	fprintf(out, "  %7s %6s  %-20s  %-20s  %s\n", "count", "share", "first",
	    "last", "values");
	for (i = 0; i < n; i++) {
		const struct agg_stat *st = e[i]->val;

		fprintf(out, "  %7llu %5.1f%%  %-20s  %-20s ",
		    (unsigned long long)st->count, view_share(v, st->count),
		    certtime_format(st->first, 0, b1),
		    certtime_format(st->last, 0, b2));
		for (j = 0; j < gb->npaths; j++) {
			termsafe_escape(groupby_value(e[i], j), 120, eb,
			    sizeof(eb));
			fprintf(out, " %s%s", eb,
			    j + 1 < gb->npaths ? " |" : "");
		}
		fputc('\n', out);
	}
	free(e);
}

/* Add a string (made valid UTF-8) to a JSON array.  0, or -1 on no memory. */
static int
push_str(cJSON *arr, const char *s)
{
	char *u = termsafe_utf8_dup(s);
	cJSON *it = u != NULL ? cJSON_CreateString(u) : NULL;

	free(u);
	if (it == NULL || !cJSON_AddItemToArray(arr, it)) {
		cJSON_Delete(it);
		return -1;
	}
	return 0;
}

/* One row's object in the "rows" array.  0, or -1 if out of memory. */
static int
json_row(const struct view *v, cJSON *rows, const struct strmap_ent *e)
{
	const struct agg_stat *st = e->val;
	char b[CERTTIME_BUFSZ];
	cJSON *o, *vals;
	size_t j;
	int rc = 0;

	o = cJSON_CreateObject();
	if (o == NULL || !cJSON_AddItemToArray(rows, o)) {
		cJSON_Delete(o);
		return -1;
	}
	vals = cJSON_AddArrayToObject(o, "values");
	if (vals == NULL)
		return -1;
	for (j = 0; j < v->gb->npaths; j++)
		rc |= push_str(vals, groupby_value(e, j));
	if (cJSON_AddNumberToObject(o, "count", (double)st->count) == NULL ||
	    cJSON_AddNumberToObject(o, "share",
		(double)(int64_t)(view_share(v, st->count) * 10 + 0.5) / 10) ==
		NULL ||
	    cJSON_AddStringToObject(o, "first_seen",
		certtime_format(st->first, 1, b)) == NULL ||
	    cJSON_AddStringToObject(o, "last_seen",
		certtime_format(st->last, 1, b)) == NULL)
		rc = -1;
	return rc;
}

int
groupby_json(const struct view *v, cJSON *root)
{
	const struct groupby *gb = v->gb;
	struct strmap_ent **e = NULL;
	cJSON *o, *fields, *rows;
	size_t i, n;
	int rc = 0;

	if (gb == NULL)
		return 0;
	o = cJSON_AddObjectToObject(root, "group_by");
	fields = o != NULL ? cJSON_AddArrayToObject(o, "fields") : NULL;
	rows = o != NULL ? cJSON_AddArrayToObject(o, "rows") : NULL;
	if (fields == NULL || rows == NULL)
		return -1;
	for (i = 0; i < gb->npaths; i++)
		rc |= push_str(fields, gb->paths[i]);
	if (cJSON_AddNumberToObject(o, "total", (double)gb->rows.count) == NULL)
		rc = -1;
	if (gb->rows.count == 0)
		return rc;
	e = groupby_sorted(gb);
	if (e == NULL)
		return -1;
	n = view_limit(v, gb->rows.count);
	for (i = 0; i < n; i++)
		rc |= json_row(v, rows, e[i]);
	free(e);
	return rc;
}
