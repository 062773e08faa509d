/*
 * render_json.c: the report as one JSON object for scripts.  Every member
 * is named (no positional arrays), "format" and "version" identify the
 * layout, and fields only ever get added within a version.
 */
#include "render_json.h"

#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "certtime.h"
#include "groupby.h"
#include "logformat.h"
#include "termsafe.h"

static int nomem;

static void
add_str(cJSON *o, const char *k, const char *s)
{
	char *u;

	if (s == NULL) {
		if (cJSON_AddNullToObject(o, k) == NULL)
			nomem = 1;
		return;
	}
	u = termsafe_utf8_dup(s);
	if (u == NULL || cJSON_AddStringToObject(o, k, u) == NULL)
		nomem = 1;
	free(u);
}

static void
add_num(cJSON *o, const char *k, double d)
{
	if (cJSON_AddNumberToObject(o, k, d) == NULL)
		nomem = 1;
}

static void
add_time(cJSON *o, const char *k, int64_t us)
{
	char b[CERTTIME_BUFSZ];

	add_str(o, k, certtime_format(us, 1, b));
}

static cJSON *
add_obj(cJSON *o, const char *k)
{
	cJSON *c = cJSON_AddObjectToObject(o, k);

	if (c == NULL)
		nomem = 1;
	return c;
}

static cJSON *
add_arr(cJSON *o, const char *k)
{
	cJSON *c = cJSON_AddArrayToObject(o, k);

	if (c == NULL)
		nomem = 1;
	return c;
}

static cJSON *
push_obj(cJSON *arr)
{
	cJSON *c = cJSON_CreateObject();

	if (c == NULL || !cJSON_AddItemToArray(arr, c)) {
		cJSON_Delete(c);
		nomem = 1;
		return NULL;
	}
	return c;
}

/* d rounded to one decimal, for shares and means. */
static double
tenths(double d)
{
	return (double)(int64_t)(d * 10 + 0.5) / 10;
}

static void
add_stat(cJSON *o, const struct view *v, const struct agg_stat *st)
{
	add_num(o, "count", (double)st->count);
	add_num(o, "share", tenths(view_share(v, st->count)));
	add_time(o, "first_seen", st->first);
	add_time(o, "last_seen", st->last);
}

static void
json_input(const struct view *v, cJSON *root)
{
	const struct agg *a = v->agg;
	cJSON *in = add_obj(root, "input");
	cJSON *by;
	cJSON *arr;
	cJSON *o;
	size_t i;
	int k;

	if (in == NULL)
		return;
	add_num(in, "lines", (double)a->lines);
	add_num(in, "records", (double)a->records);
	add_num(in, "matched", (double)a->matched);
	add_num(in, "skipped", (double)a->nskipped);
	by = add_obj(in, "skipped_by_reason");
	for (k = 1; by != NULL && k < RECORD_NSTATUS; k++)
		add_num(by, record_status_key(k), (double)a->skipped[k]);
	arr = add_arr(in, "skipped_samples");
	for (i = 0; arr != NULL && i < a->nsamples; i++) {
		o = push_obj(arr);
		if (o == NULL)
			break;
		add_str(o, "file", a->samples[i].file);
		add_num(o, "line", (double)a->samples[i].line);
		add_str(o, "reason", record_status_key(a->samples[i].status));
	}
	arr = add_arr(in, "errors");
	for (i = 0; arr != NULL && i < v->nerrors; i++) {
		cJSON *s = cJSON_CreateString(v->errors[i]);

		if (s == NULL || !cJSON_AddItemToArray(arr, s)) {
			cJSON_Delete(s);
			nomem = 1;
		}
	}
}

static void
json_origin(const struct view *v, cJSON *root)
{
	const struct agg *a = v->agg;
	struct strmap_ent **e;
	cJSON *arr;
	cJSON *o;
	size_t i;

	arr = add_arr(root, "hosts");
	e = agg_sorted(&a->hosts);
	for (i = 0; arr != NULL && e != NULL && i < a->hosts.count; i++) {
		const struct agg_host *h = e[i]->val;

		o = push_obj(arr);
		if (o == NULL)
			break;
		add_str(o, "hostname", e[i]->key);
		add_num(o, "records", (double)h->st.count);
		add_num(o, "failures", (double)h->failures);
	}
	free(e);
	arr = add_arr(root, "programs");
	e = agg_sorted(&a->programs);
	for (i = 0; arr != NULL && e != NULL && i < a->programs.count; i++) {
		const struct agg_program *p = e[i]->val;

		o = push_obj(arr);
		if (o == NULL)
			break;
		add_str(o, "name", e[i]->key);
		add_num(o, "processes", (double)p->processes);
		add_num(o, "records", (double)p->st.count);
		add_num(o, "failures", (double)p->failures);
	}
	free(e);
}

static void
json_types_groups(const struct view *v, cJSON *root)
{
	const struct agg *a = v->agg;
	struct strmap_ent **e;
	cJSON *arr;
	cJSON *o;
	size_t i;
	size_t n;

	arr = add_arr(root, "types");
	e = agg_sorted(&a->types);
	for (i = 0; arr != NULL && e != NULL && i < a->types.count; i++) {
		const struct agg_type *t = e[i]->val;

		o = push_obj(arr);
		if (o == NULL)
			break;
		add_str(o, "type", e[i]->key);
		add_stat(o, v, &t->st);
		add_num(o, "warnings", (double)t->warnings);
	}
	free(e);
	arr = add_arr(root, "groups");
	e = agg_sorted(&a->groups);
	n = view_limit(v, a->groups.count);
	for (i = 0; arr != NULL && e != NULL && i < n; i++) {
		const struct agg_group *g = e[i]->val;

		o = push_obj(arr);
		if (o == NULL)
			break;
		add_str(o, "type", g->type);
		add_str(o, "reason", g->reason);
		add_str(o, "sni", strcmp(g->sni, "-") != 0 ? g->sni : NULL);
		add_str(o, "address",
		    strcmp(g->addr, "-") != 0 ? g->addr : NULL);
		add_str(o, "program", g->program);
		add_stat(o, v, &g->st);
	}
	free(e);
}

static void
json_certs(const struct view *v, cJSON *root)
{
	const struct agg *a = v->agg;
	struct strmap_ent **e;
	cJSON *arr;
	cJSON *o;
	size_t n = view_limit(v, a->certs.count);
	size_t i;

	arr = add_arr(root, "certificates");
	e = agg_sorted(&a->certs);
	for (i = 0; arr != NULL && e != NULL && i < n; i++) {
		const struct agg_cert *c = e[i]->val;

		o = push_obj(arr);
		if (o == NULL)
			break;
		add_str(o, "subject", c->subject);
		add_str(o, "issuer", c->issuer);
		add_str(o, "serial_number", c->serial);
		add_str(o, "sha256", c->sha256);
		add_str(o, "not_before", c->not_before);
		add_str(o, "not_after", c->not_after);
		add_str(o, "peer", c->peer);
		add_stat(o, v, &c->st);
		if (c->has_not_after) {
			/* Positive: expired that many seconds before. */
			add_num(o, "expired_seconds_at_first_failure",
			    (double)((c->st.first - c->not_after_us) /
				1000000));
			add_num(o, "expired_seconds_at_last_failure",
			    (double)((c->st.last - c->not_after_us) / 1000000));
			add_num(o, "expired_seconds_at_now",
			    (double)((v->now - c->not_after_us) / 1000000));
		}
	}
	free(e);
}

static void
json_eofs(const struct view *v, cJSON *root)
{
	cJSON *arr = add_arr(root, "eofs");
	cJSON *o;
	int k;

	for (k = 0; arr != NULL && k < AGG_EOF_NKINDS; k++) {
		const struct agg_eof *e = &v->agg->eof[k];

		o = push_obj(arr);
		if (o == NULL)
			break;
		add_str(o, "kind", agg_eof_key(k));
		add_str(o, "description", agg_eof_name(k));
		add_num(o, "count", (double)e->count);
		add_num(o, "with_byte_counts", (double)e->nbytes);
		add_num(o, "bytes_read_avg",
		    e->nbytes ? (double)(e->sum_read / e->nbytes) : 0);
		add_num(o, "bytes_read_max", (double)e->max_read);
		add_num(o, "bytes_written_avg",
		    e->nbytes ? (double)(e->sum_written / e->nbytes) : 0);
		add_num(o, "bytes_written_max", (double)e->max_written);
		add_num(o, "age_s_avg",
		    e->nage ? tenths((double)e->sum_age / (double)e->nage) : 0);
		add_num(o, "age_s_max", (double)e->max_age);
	}
}

static void
json_frames(const struct view *v, cJSON *arr, const struct agg_stack *s)
{
	struct sym_result sr;
	cJSON *o;
	size_t j;

	for (j = 0; j < s->fr.nframes; j++) {
		const struct agg_frame *f = &s->fr.frames[j];

		o = push_obj(arr);
		if (o == NULL)
			return;
		view_frame(v, f, &sr);
		add_str(o, "module", f->module);
		add_str(o, "build_id", f->build_id);
		if (f->offset != RECORD_NONE)
			add_num(o, "offset", (double)f->offset);
		else
			add_str(o, "offset", NULL);
		add_str(o, "symbol", f->symbol);
		add_str(o, "function", sr.function[0] ? sr.function : NULL);
		add_str(o, "file", sr.file[0] ? sr.file : NULL);
		if (sr.line > 0)
			add_num(o, "line", sr.line);
		else
			add_str(o, "line", NULL);
		add_str(o, "symbolized", symbolize_status_name(sr.status));
	}
}

/* Every type the site failed with, most frequent first. */
static void
json_stack_types(cJSON *site, const struct agg_stack *s)
{
	cJSON *arr = add_arr(site, "types");
	cJSON *o;
	size_t i;

	for (i = 0; arr != NULL && i < s->ntypes; i++) {
		o = push_obj(arr);
		if (o == NULL)
			break;
		add_str(o, "type", s->types[i].type);
		add_num(o, "count", (double)s->types[i].count);
	}
	add_num(site, "other_types_count", (double)s->other_types);
}

static void
json_stacks(const struct view *v, cJSON *root)
{
	const struct agg *a = v->agg;
	struct strmap_ent **e;
	cJSON *arr;
	cJSON *fr;
	cJSON *o;
	size_t n = view_limit(v, a->stacks.count);
	size_t i;

	arr = add_arr(root, "call_sites");
	e = agg_sorted(&a->stacks);
	for (i = 0; arr != NULL && e != NULL && i < n; i++) {
		const struct agg_stack *s = e[i]->val;

		o = push_obj(arr);
		if (o == NULL)
			break;
		add_str(o, "stack_id", e[i]->key);
		add_str(o, "type", s->type);
		json_stack_types(o, s);
		add_str(o, "program", s->program);
		add_stat(o, v, &s->st);
		fr = add_arr(o, "frames");
		if (fr != NULL)
			json_frames(v, fr, s);
	}
	free(e);
}

static void
json_histogram(const struct view *v, cJSON *root)
{
	struct agg_hist h;
	cJSON *hist = add_obj(root, "histogram");
	cJSON *arr;
	cJSON *o;
	size_t i;

	if (hist == NULL || agg_histogram(v->agg, 48, &h) == -1) {
		nomem = 1;
		return;
	}
	add_num(hist, "bucket_seconds", (double)(h.bucket_us / 1000000));
	arr = add_arr(hist, "buckets");
	for (i = 0; arr != NULL && i < h.n; i++) {
		o = push_obj(arr);
		if (o == NULL)
			break;
		add_time(o, "start", h.start + (int64_t)i * h.bucket_us);
		add_num(o, "count", (double)h.counts[i]);
	}
	add_num(hist, "peak", (double)h.peak);
	add_num(hist, "median", (double)h.baseline);
	if (h.has_spike) {
		o = add_obj(hist, "spike");
		if (o != NULL) {
			add_time(o, "began", h.spike_first);
			add_time(o, "bucket_start",
			    h.start + (int64_t)h.spike_bucket * h.bucket_us);
		}
	} else
		add_str(hist, "spike", NULL);
	free(h.counts);
}

/* Every note, not only the top ones: there are few, each matters. */
static void
json_notes(const struct view *v, cJSON *cov)
{
	const struct agg *a = v->agg;
	struct strmap_ent **e;
	cJSON *arr = add_arr(cov, "notes");
	cJSON *o;
	char line[4096];
	size_t i;

	e = agg_sorted(&a->notes);
	for (i = 0; arr != NULL && e != NULL && i < a->notes.count; i++) {
		const struct agg_note *n = e[i]->val;

		o = push_obj(arr);
		if (o == NULL)
			break;
		add_str(o, "kind", agg_note_key(n->kind));
		add_str(o, "program", n->program);
		add_str(o, "library", n->detail[0] != '\0' ? n->detail : NULL);
		add_num(o, "processes", (double)n->st.count);
		view_note_describe(n->kind, n->program, n->detail, n->st.count,
		    line, sizeof(line));
		add_str(o, "message", line);
	}
	free(e);
}

static void
json_coverage(const struct view *v, cJSON *root)
{
	const struct agg_coverage *c = &v->agg->cov;
	cJSON *o = add_obj(root, "coverage");

	if (o == NULL)
		return;
	add_num(o, "processes_started", (double)c->starts);
	add_num(o, "processes_exited", (double)c->exits);
	add_num(o, "tls_seen", (double)c->tls_seen);
	add_num(o, "static_openssl", (double)c->static_openssl);
	add_num(o, "internal_callers_only", (double)c->internal_only);
	add_num(o, "other_tls", (double)c->other_tls);
	add_num(o, "private_libssl", (double)c->private_libssl);
	add_num(o, "records_written", (double)c->records);
	add_num(o, "records_dropped", (double)c->dropped);
	add_num(o, "failures_suppressed", (double)c->suppressed);
	add_num(o, "followups", (double)c->followups);
	json_notes(v, o);
}

/*
 * Write cJSON's text with C1, bidi and line-separator characters escaped
 * (cJSON escapes only C0 controls).  Returns 0, or -1 if memory ran out.
 */
static int
write_safe(const char *text, FILE *out)
{
	size_t len = strlen(text);
	size_t n;
	char *safe;

	safe = malloc(TERMSAFE_JSON_MAX(len));
	if (safe == NULL)
		return -1;
	if (termsafe_json(text, len, safe, &n) == -1) {
		/* cJSON writes strict numbers: cannot happen. */
		free(safe);
		return -1;
	}
	fwrite(safe, 1, n, out);
	fputc('\n', out);
	free(safe);
	return 0;
}

int
render_json(const struct view *v, FILE *out)
{
	const struct agg *a = v->agg;
	cJSON *root;
	cJSON *o;
	char *text;
	int rc;

	nomem = 0;
	root = cJSON_CreateObject();
	if (root == NULL)
		return -1;
	add_str(root, "format", "tlsdiag-report");
	add_num(root, "version", RENDER_JSON_VERSION);
	add_num(root, "log_schema", LOGFORMAT_SCHEMA);
	add_time(root, "now", v->now);
	json_input(v, root);
	o = add_obj(root, "span");
	if (o != NULL && a->has_span) {
		add_time(o, "first", a->first);
		add_time(o, "last", a->last);
	}
	json_origin(v, root);
	add_num(root, "processes", (double)a->procs.count);
	o = add_obj(root, "failures");
	if (o != NULL) {
		add_num(o, "total", (double)a->failures);
		add_num(o, "warnings", (double)a->warnings);
		add_num(o, "suppressed", (double)a->cov.suppressed);
		add_num(o, "truncated", (double)a->truncated);
	}
	json_types_groups(v, root);
	if (groupby_json(v, root) == -1 || baseline_json(v, root) == -1)
		nomem = 1;
	json_certs(v, root);
	json_eofs(v, root);
	json_stacks(v, root);
	json_histogram(v, root);
	json_coverage(v, root);
	text = nomem ? NULL : cJSON_Print(root);
	cJSON_Delete(root);
	if (text == NULL)
		return -1;
	rc = write_safe(text, out);
	free(text);
	return rc;
}
