/*
 * render_html.c: "--format html", a page for an incident channel or a
 * postmortem.  It needs nothing but itself (styles inline, the chart is
 * inline SVG, no script at all) and reads on a phone (viewport meta,
 * tables that scroll sideways).  Record values are attacker-controlled
 * (certificate subjects, SNI): every one goes through render_html_text().
 */
#include "render_html.h"

#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "certtime.h"
#include "groupby.h"
#include "pathbase.h"
#include "termsafe.h"
#include "timeline.h"

/* Longest value shown in a cell. */
#define CELL_MAX 300

/* Types with a colour of their own in the chart; the rest are "other". */
#define CHART_TYPES 6
#define CHART_BUCKETS 60

static const char *const colors[CHART_TYPES + 1] = {
	"#d62728",
	"#1f77b4",
	"#ff7f0e",
	"#2ca02c",
	"#9467bd",
	"#8c564b",
	"#7f7f7f",
};

static const char style[] =
    "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:72em;"
    "padding:.5em 1em;color:#222;background:#fff}"
    "h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em;"
    "border-bottom:1px solid #ccc}"
    ".wrap{overflow-x:auto}table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;padding:.25em .5em;border-bottom:1px solid #eee;"
    "vertical-align:top;overflow-wrap:break-word}"
    "td.n,th.n{text-align:right;white-space:nowrap}td.t{min-width:7em}"
    ".expired{color:#b00;font-weight:bold}.ok{color:#070}"
    "svg{width:100%;height:auto;max-height:18em}"
    ".legend span{display:inline-block;margin-right:1em}"
    ".sw{display:inline-block;width:.8em;height:.8em;margin-right:.3em}"
    "@media (max-width:40em){body{padding:.3em}th,td{padding:.2em .3em;"
    "font-size:.9em}}";

void
render_html_text(FILE *out, const char *s, size_t maxlen)
{
	size_t n, cap;
	char *buf;
	const char *p;

	if (s == NULL)
		s = "-";
	n = strlen(s);
	cap = n * 6 + 8;
	if (maxlen != 0 && cap > maxlen + 8)
		cap = maxlen + 8;
	buf = malloc(cap);
	if (buf == NULL) {
		fputs("(out of memory)", out);
		return;
	}
	termsafe_escape(s, maxlen, buf, cap);
	for (p = buf; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(*p, out);
			break;
		}
	}
	free(buf);
}

static void
cell(FILE *out, const char *s)
{
	fputs("<td>", out);
	render_html_text(out, s, CELL_MAX);
	fputs("</td>", out);
}

static void
cell_num(FILE *out, unsigned long long n)
{
	fprintf(out, "<td class=\"n\">%llu</td>", n);
}

static void
cell_time(FILE *out, int64_t us)
{
	char b[CERTTIME_BUFSZ];

	fprintf(out, "<td class=\"t\">%s</td>", certtime_format(us, 0, b));
}

/* A table head from "|"-separated names; a leading '#' right-aligns. */
static void
table_head(FILE *out, const char *cols)
{
	const char *p = cols, *bar;
	int num;

	fputs("<div class=\"wrap\"><table><thead><tr>", out);
	while (*p != '\0') {
		bar = strchr(p, '|');
		if (bar == NULL)
			bar = p + strlen(p);
		num = *p == '#';
		p += num;
		fprintf(out, "<th%s>%.*s</th>", num ? " class=\"n\"" : "",
		    (int)(bar - p), p);
		p = *bar == '|' ? bar + 1 : bar;
	}
	fputs("</tr></thead><tbody>\n", out);
}

static void
table_end(FILE *out)
{
	fputs("</tbody></table></div>\n", out);
}

static void
html_header(const struct view *v, FILE *out)
{
	const struct agg *a = v->agg;
	char b1[CERTTIME_BUFSZ];
	char b2[CERTTIME_BUFSZ];
	size_t i;

	fputs(
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">"
	    "<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
	    "<title>tlsdiag report</title><style>",
	    out);
	fputs(style, out);
	fputs("</style></head><body>\n<h1>tlsdiag report</h1>\n", out);
	fprintf(out,
	    "<p id=\"summary\"><b id=\"failures\">%llu</b> TLS failures "
	    "(<span id=\"warnings\">%llu</span> warnings, "
	    "<span id=\"suppressed\">%llu</span> suppressed) in "
	    "<span id=\"processes\">%zu</span> processes on "
	    "<span id=\"hosts\">%zu</span> hosts; %llu records read",
	    (unsigned long long)a->failures, (unsigned long long)a->warnings,
	    (unsigned long long)a->cov.suppressed, a->procs.count,
	    a->hosts.count, (unsigned long long)a->records);
	if (a->nskipped != 0)
		fprintf(out, ", %llu lines skipped",
		    (unsigned long long)a->nskipped);
	if (a->has_span)
		fprintf(out, "<br>from %s to %s",
		    certtime_format(a->first, 0, b1),
		    certtime_format(a->last, 0, b2));
	fputs("</p>\n", out);
	for (i = 0; i < v->nerrors; i++) {
		fputs("<p class=\"expired\">error: ", out);
		render_html_text(out, v->errors[i], CELL_MAX);
		fputs("</p>\n", out);
	}
}

/* The chart's types: the most frequent CHART_TYPES, then "other". */
static size_t
chart_types(const struct agg *a)
{
	return a->types.count < CHART_TYPES ? a->types.count : CHART_TYPES;
}

/* Bucket totals per chart type into counts[t * h->n + i]. */
static void
chart_counts(const struct view *v, const struct agg_hist *h,
    struct strmap_ent **types, size_t nt, uint64_t *counts)
{
	size_t t, i;
	uint64_t shown;

	for (t = 0; t < nt; t++)
		timeline_buckets(v->tl, types[t]->key, h->start, h->bucket_us,
		    h->n, counts + t * h->n);
	/* "other": what the named types leave of each bucket. */
	for (i = 0; i < h->n; i++) {
		shown = 0;
		for (t = 0; t < nt; t++)
			shown += counts[t * h->n + i];
		counts[nt * h->n + i] =
		    h->counts[i] > shown ? h->counts[i] - shown : 0;
	}
}

/* One bucket's stacked bars at x, scaled so that max is 160 high. */
static void
chart_bar(FILE *out, const struct agg_hist *h, const uint64_t *counts,
    size_t nt, size_t i, double x, double w, uint64_t max)
{
	double y = 180, ht;
	size_t t;

	for (t = 0; t <= nt; t++) {
		uint64_t c = counts[t * h->n + i];

		if (c == 0)
			continue;
		ht = 160.0 * (double)c / (double)max;
		y -= ht;
		fprintf(out,
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		    "fill=\"%s\"><title>%llu</title></rect>",
		    x, y, w, ht, colors[t], (unsigned long long)c);
	}
}

static void
html_legend(FILE *out, struct strmap_ent **types, size_t nt, int other)
{
	size_t t;

	fputs("<p class=\"legend\">", out);
	for (t = 0; t < nt; t++) {
		fprintf(out,
		    "<span><i class=\"sw\" style=\"background:%s\">"
		    "</i>",
		    colors[t]);
		render_html_text(out, types[t]->key, 80);
		fputs("</span>", out);
	}
	if (other)
		fprintf(out,
		    "<span><i class=\"sw\" style=\"background:%s\"></i>"
		    "other</span>",
		    colors[CHART_TYPES]);
	fputs("</p>\n", out);
}

/* The timeline: stacked bars of failures per bucket, by type. */
static int
html_chart(const struct view *v, FILE *out, struct strmap_ent **types)
{
	struct agg_hist h;
	char b1[CERTTIME_BUFSZ], b2[CERTTIME_BUFSZ], b3[CERTTIME_BUFSZ];
	uint64_t *counts;
	size_t nt = chart_types(v->agg), i;
	double w;

	if (agg_histogram(v->agg, CHART_BUCKETS, &h) == -1)
		return -1;
	if (h.n == 0)
		return 0;
	counts = calloc((nt + 1) * h.n, sizeof(*counts));
	if (counts == NULL) {
		free(h.counts);
		return -1;
	}
	if (v->tl != NULL)
		chart_counts(v, &h, types, nt, counts);
	else
		memcpy(counts + nt * h.n, h.counts, h.n * sizeof(*counts));
	fprintf(out, "<h2 id=\"timeline\">Failures over time (per %s)</h2>\n",
	    certtime_format_duration(h.bucket_us, b3));
	fputs("<svg viewBox=\"0 0 600 200\" role=\"img\" "
	      "aria-label=\"failures over time by type\" "
	      "xmlns=\"http://www.w3.org/2000/svg\">",
	    out);
	w = 560.0 / (double)h.n;
	for (i = 0; i < h.n; i++)
		chart_bar(out, &h, counts, nt, i, 36 + w * (double)i,
		    w > 2 ? w - 1 : w, h.peak != 0 ? h.peak : 1);
	fprintf(out,
	    "<line x1=\"35\" y1=\"180\" x2=\"598\" y2=\"180\" stroke=\"#444\"/>"
	    "<text x=\"32\" y=\"30\" font-size=\"14\" text-anchor=\"end\">"
	    "%llu</text><text x=\"32\" y=\"180\" font-size=\"14\" "
	    "text-anchor=\"end\">0</text>"
	    "<text x=\"36\" y=\"195\" font-size=\"14\">%s</text>"
	    "<text x=\"596\" y=\"195\" font-size=\"14\" text-anchor=\"end\">"
	    "%s</text></svg>\n",
	    (unsigned long long)h.peak, certtime_format(h.start, 0, b1),
	    certtime_format(h.start + h.bucket_us * (int64_t)h.n, 0, b2));
	for (i = 0; v->tl != NULL && i < h.n && counts[nt * h.n + i] == 0; i++)
		continue;
	html_legend(out, types, nt, v->tl == NULL || i < h.n);
	free(counts);
	free(h.counts);
	return 0;
}

static void
html_groups(const struct view *v, FILE *out, struct strmap_ent **e)
{
	const struct agg *a = v->agg;
	size_t n = view_limit(v, a->groups.count), i;
	char sh[32];

	fprintf(out, "<h2 id=\"groups\">Top failure groups (%zu of %zu)</h2>\n",
	    n, a->groups.count);
	table_head(out, "#count|#share|type|reason|peer|program|first|last");
	for (i = 0; i < n; i++) {
		const struct agg_group *g = e[i]->val;

		fputs("<tr class=\"group\">", out);
		cell_num(out, (unsigned long long)g->st.count);
		snprintf(sh, sizeof(sh), "%.1f%%", view_share(v, g->st.count));
		fprintf(out, "<td class=\"n\">%s</td>", sh);
		cell(out, g->type);
		cell(out, g->reason);
		fputs("<td>", out);
		render_html_text(out, g->sni, CELL_MAX);
		fputs("<br>", out);
		render_html_text(out, g->addr, CELL_MAX);
		fputs("</td>", out);
		cell(out, g->program);
		cell_time(out, g->st.first);
		cell_time(out, g->st.last);
		fputs("</tr>\n", out);
	}
	table_end(out);
}

static void
html_types(const struct view *v, FILE *out, struct strmap_ent **e)
{
	size_t i;

	fputs("<h2 id=\"types\">Failures by type</h2>\n", out);
	table_head(out, "#count|#share|#warnings|type|first|last");
	for (i = 0; i < v->agg->types.count; i++) {
		const struct agg_type *t = e[i]->val;

		fputs("<tr class=\"type\">", out);
		cell_num(out, (unsigned long long)t->st.count);
		fprintf(out, "<td class=\"n\">%.1f%%</td>",
		    view_share(v, t->st.count));
		cell_num(out, (unsigned long long)t->warnings);
		cell(out, e[i]->key);
		cell_time(out, t->st.first);
		cell_time(out, t->st.last);
		fputs("</tr>\n", out);
	}
	table_end(out);
}

static void
html_groupby(const struct view *v, FILE *out)
{
	const struct groupby *gb = v->gb;
	struct strmap_ent **e;
	size_t n, i, j;

	if (gb == NULL)
		return;
	fputs("<h2 id=\"group-by\">Failures by ", out);
	for (j = 0; j < gb->npaths; j++) {
		fputs(j != 0 ? ", " : "", out);
		render_html_text(out, gb->paths[j], 120);
	}
	fputs("</h2>\n<div class=\"wrap\"><table><thead><tr>"
	      "<th class=\"n\">count</th><th class=\"n\">share</th>",
	    out);
	for (j = 0; j < gb->npaths; j++) {
		fputs("<th>", out);
		render_html_text(out, gb->paths[j], 120);
		fputs("</th>", out);
	}
	fputs("<th>first</th><th>last</th></tr>"
	      "</thead><tbody>\n",
	    out);
	e = gb->rows.count != 0 ? groupby_sorted(gb) : NULL;
	n = e != NULL ? view_limit(v, gb->rows.count) : 0;
	for (i = 0; i < n; i++) {
		const struct agg_stat *st = e[i]->val;

		fputs("<tr class=\"by\">", out);
		cell_num(out, (unsigned long long)st->count);
		fprintf(out, "<td class=\"n\">%.1f%%</td>",
		    view_share(v, st->count));
		for (j = 0; j < gb->npaths; j++)
			cell(out, groupby_value(e[i], j));
		cell_time(out, st->first);
		cell_time(out, st->last);
		fputs("</tr>\n", out);
	}
	free(e);
	table_end(out);
}

static void
baseline_rows(FILE *out, const struct baseline_row *rows, size_t n, int grown)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct agg_group *g = rows[i].g;

		fprintf(out, "<tr class=\"%s\">", grown ? "grown" : "new");
		cell_num(out, (unsigned long long)g->st.count);
		fprintf(out, "<td class=\"n\">%.1f</td>", rows[i].cur_rate);
		if (grown)
			fprintf(out, "<td class=\"n\">%.1f</td>",
			    rows[i].base_rate);
		cell(out, g->type);
		cell(out, g->reason);
		cell(out, strcmp(g->sni, "-") != 0 ? g->sni : g->addr);
		cell(out, g->program);
		fputs("</tr>\n", out);
	}
}

static void
html_baseline(const struct view *v, FILE *out)
{
	const struct baseline_diff *d = v->bl;

	if (d == NULL)
		return;
	fprintf(out,
	    "<h2 id=\"new\">New since the baseline (%zu)</h2>\n"
	    "<p>baseline: %llu failures over %.1f h; this period: %.1f h</p>\n",
	    d->nfresh, (unsigned long long)d->base_failures, d->base_hours,
	    d->cur_hours);
	table_head(out, "#count|#per hour|type|reason|peer|program");
	baseline_rows(out, d->fresh, view_limit(v, d->nfresh), 0);
	table_end(out);
	fprintf(out, "<h2 id=\"grown\">Grown %.0fx or more (%zu)</h2>\n",
	    BASELINE_GROWTH, d->ngrown);
	table_head(out,
	    "#count|#per hour|#baseline per hour|type|reason|peer|program");
	baseline_rows(out, d->grown, view_limit(v, d->ngrown), 1);
	table_end(out);
}

/* "expired" or "valid" at the last failure, with the class to show it. */
static void
cert_expiry(const struct view *v, FILE *out, const struct agg_cert *c)
{
	char b[CERTTIME_BUFSZ];

	(void)v;
	if (!c->has_not_after) {
		cell(out, c->not_after);
		return;
	}
	if (c->st.last >= c->not_after_us)
		fprintf(out,
		    "<td class=\"expired\">expired %s before the last "
		    "failure (",
		    certtime_format_duration(c->st.last - c->not_after_us, b));
	else
		fprintf(out,
		    "<td class=\"ok\">valid %s more at the last "
		    "failure (",
		    certtime_format_duration(c->not_after_us - c->st.last, b));
	render_html_text(out, c->not_after, 80);
	fputs(")</td>", out);
}

static void
html_certs(const struct view *v, FILE *out)
{
	const struct agg *a = v->agg;
	struct strmap_ent **e;
	size_t n = view_limit(v, a->certs.count), i;

	if (a->certs.count == 0)
		return;
	e = agg_sorted(&a->certs);
	if (e == NULL)
		return;
	fprintf(out, "<h2 id=\"certs\">Certificates (%zu of %zu)</h2>\n", n,
	    a->certs.count);
	table_head(out, "#count|subject|issuer|expiry|peer");
	for (i = 0; i < n; i++) {
		const struct agg_cert *c = e[i]->val;

		fputs("<tr class=\"cert\">", out);
		cell_num(out, (unsigned long long)c->st.count);
		cell(out, c->subject);
		cell(out, c->issuer);
		cert_expiry(v, out, c);
		cell(out, c->peer);
		fputs("</tr>\n", out);
	}
	table_end(out);
	free(e);
}

/* A call site's innermost named frame: "symbol (module)". */
static void
site_frame(const struct view *v, FILE *out, const struct agg_stack *s)
{
	struct sym_result sr;
	const struct agg_frame *f;

	fputs("<td>", out);
	if (s->fr.nframes == 0) {
		fputs("(frames not in these logs)</td>", out);
		return;
	}
	f = &s->fr.frames[0];
	view_frame(v, f, &sr);
	render_html_text(out,
	    sr.function[0] != '\0' ? sr.function :
		f->symbol != NULL  ? f->symbol :
				     "??",
	    120);
	fputs(" (", out);
	render_html_text(out, f->module != NULL ? path_base(f->module) : "?",
	    120);
	fprintf(out, "+0x%llx)</td>",
	    (unsigned long long)(f->offset != RECORD_NONE ? f->offset : 0));
}

static void
html_stacks(const struct view *v, FILE *out)
{
	const struct agg *a = v->agg;
	struct strmap_ent **e;
	size_t n = view_limit(v, a->stacks.count), i;

	if (a->stacks.count == 0)
		return;
	e = agg_sorted(&a->stacks);
	if (e == NULL)
		return;
	fprintf(out, "<h2 id=\"sites\">Call sites (%zu of %zu)</h2>\n", n,
	    a->stacks.count);
	table_head(out, "#count|stack|type|program|top frame");
	for (i = 0; i < n; i++) {
		const struct agg_stack *s = e[i]->val;

		fputs("<tr class=\"site\">", out);
		cell_num(out, (unsigned long long)s->st.count);
		cell(out, e[i]->key);
		cell(out, s->type);
		cell(out, s->program);
		site_frame(v, out, s);
		fputs("</tr>\n", out);
	}
	table_end(out);
	free(e);
}

static void
html_notes(const struct view *v, FILE *out)
{
	const struct agg *a = v->agg;
	struct strmap_ent **e;
	char line[1024];
	size_t i, n = view_limit(v, a->notes.count);

	fputs("<h2 id=\"coverage\">Coverage</h2>\n", out);
	fprintf(out,
	    "<p>%llu processes started with tlsdiag, %llu saw TLS, %llu "
	    "carried their own OpenSSL; %llu records dropped.</p>\n",
	    (unsigned long long)a->cov.starts,
	    (unsigned long long)a->cov.tls_seen,
	    (unsigned long long)a->cov.static_openssl,
	    (unsigned long long)a->cov.dropped);
	if (a->notes.count == 0)
		return;
	e = agg_sorted(&a->notes);
	if (e == NULL)
		return;
	fputs("<ul>\n", out);
	for (i = 0; i < n; i++) {
		const struct agg_note *nt = e[i]->val;

		/* Escaped once, as a whole, below. */
		view_note_describe(nt->kind, nt->program, nt->detail,
		    nt->st.count, line, sizeof(line));
		fputs("<li class=\"note\">", out);
		render_html_text(out, line, 0);
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
	free(e);
}

int
render_html(const struct view *v, FILE *out)
{
	const struct agg *a = v->agg;
	struct strmap_ent **types = NULL, **groups = NULL;
	int rc = 0;

	html_header(v, out);
	html_baseline(v, out);
	if (a->failures != 0) {
		types = agg_sorted(&a->types);
		groups = agg_sorted(&a->groups);
		if (types == NULL || groups == NULL)
			rc = -1;
	}
	if (types != NULL && groups != NULL) {
		if (html_chart(v, out, types) == -1)
			rc = -1;
		html_types(v, out, types);
		html_groups(v, out, groups);
	} else if (a->failures == 0) {
		fputs("<p>No TLS failures matched.</p>\n", out);
	}
	html_groupby(v, out);
	html_certs(v, out);
	html_stacks(v, out);
	html_notes(v, out);
	fputs("<p><small>made by tlsdiag report</small></p>\n</body></html>\n",
	    out);
	free(types);
	free(groups);
	return rc;
}
