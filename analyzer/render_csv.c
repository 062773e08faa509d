/* render_csv.c: the triage table for spreadsheets. */
#include "render_csv.h"

#include <stdlib.h>
#include <string.h>

#include "certtime.h"
#include "groupby.h"
#include "termsafe.h"

/*
 * Print s as one CSV field (quoted if needed, escaped, never cut).  A
 * field that starts with = + - @ tab or CR gets a leading ' inside quotes
 * so that a spreadsheet does not run it as a formula (OWASP's rule).
 */
static void
render_csv_field(FILE *out, const char *s)
{
	size_t n;
	char *buf;
	const char *p;
	int formula;

	if (s == NULL)
		return;
	/* A spreadsheet runs a cell that starts so as a formula. */
	formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
	n = strlen(s);
	/* An escape is at most 6 bytes per input byte ("\u202E" is 3). */
	buf = malloc(n * 6 + 8);
	if (buf != NULL) {
		termsafe_escape(s, 0, buf, n * 6 + 8);
		s = buf;
	}
	if (formula) {
		/* OWASP's rule: a leading quote, and the cell quoted. */
		fputs("\"'", out);
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				fputc('"', out);
			fputc(*p, out);
		}
		fputc('"', out);
	} else if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
	} else {
		fputc('"', out);
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				fputc('"', out);
			fputc(*p, out);
		}
		fputc('"', out);
	}
	free(buf);
}

/*
 * The table of --group-by: rank,count,share,FIELD...,first_seen,last_seen.
 * Returns 0, or -1 if memory ran out.
 */
static int
csv_group_by(const struct view *v, FILE *out)
{
	const struct groupby *gb = v->gb;
	struct strmap_ent **e;
	char b1[CERTTIME_BUFSZ];
	char b2[CERTTIME_BUFSZ];
	size_t i, j, n;

	fputs("rank,count,share", out);
	for (j = 0; j < gb->npaths; j++) {
		fputc(',', out);
		render_csv_field(out, gb->paths[j]);
	}
	fputs(",first_seen,last_seen\n", out);
	if (gb->rows.count == 0)
		return 0;
	e = groupby_sorted(gb);
	if (e == NULL)
		return -1;
	n = view_limit(v, gb->rows.count);
	for (i = 0; i < n; i++) {
		const struct agg_stat *st = e[i]->val;

		fprintf(out, "%zu,%llu,%.1f", i + 1,
		    (unsigned long long)st->count, view_share(v, st->count));
		for (j = 0; j < gb->npaths; j++) {
			fputc(',', out);
			render_csv_field(out, groupby_value(e[i], j));
		}
		fprintf(out, ",%s,%s\n", certtime_format(st->first, 1, b1),
		    certtime_format(st->last, 1, b2));
	}
	free(e);
	return 0;
}

int
render_csv(const struct view *v, FILE *out)
{
	const struct agg *a = v->agg;
	struct strmap_ent **e;
	char b1[CERTTIME_BUFSZ];
	char b2[CERTTIME_BUFSZ];
	size_t n = view_limit(v, a->groups.count);
	size_t i;

	if (v->gb != NULL)
		return csv_group_by(v, out);
	fputs("rank,count,share,type,reason,sni,address,program,first_seen,"
	      "last_seen\n",
	    out);
	if (a->groups.count == 0)
		return 0;
	e = agg_sorted(&a->groups);
	if (e == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const struct agg_group *g = e[i]->val;

		fprintf(out, "%zu,%llu,%.1f,", i + 1,
		    (unsigned long long)g->st.count,
		    view_share(v, g->st.count));
		render_csv_field(out, g->type);
		fputc(',', out);
		render_csv_field(out, g->reason);
		fputc(',', out);
		render_csv_field(out, strcmp(g->sni, "-") != 0 ? g->sni : "");
		fputc(',', out);
		render_csv_field(out, strcmp(g->addr, "-") != 0 ? g->addr : "");
		fputc(',', out);
		render_csv_field(out, g->program);
		fprintf(out, ",%s,%s\n", certtime_format(g->st.first, 1, b1),
		    certtime_format(g->st.last, 1, b2));
	}
	free(e);
	return 0;
}
