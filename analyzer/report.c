/*
 * report.c: the report pipeline.  One pass over every input: each line is
 * parsed, checked against the filter, folded into the aggregate and then
 * dropped, so any amount of log fits in memory.  Rendering happens once at
 * the end from the aggregate alone.
 */
#include "report.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "groupby.h"
#include "hugeheap.h"
#include "input.h"
#include "jobs.h"
#include "logformat.h"
#include "progress.h"
#include "logrecord.h"
#include "render_csv.h"
#include "render_html.h"
#include "render_json.h"
#include "render_text.h"
#include "symbolize.h"
#include "symprefetch.h"
#include "syslogline.h"
#include "termsafe.h"
#include "timeline.h"
#include "view.h"

#define DEFAULT_MAX_LINE (1024 * 1024)

/* Current UTC time in microseconds. */
static int64_t
report_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

unsigned
report_default_jobs(void)
{
	cpu_set_t set;
	long n;

	/* As nproc(1): the CPUs this process may run on (taskset, a
	 * cpuset), which are the online ones unless something narrowed
	 * them. */
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	else
		n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > REPORT_MAX_JOBS ? REPORT_MAX_JOBS : (unsigned)n;
}

void
report_opts_init(struct report_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = REPORT_TEXT;
	o->top = 10;
	o->now = report_now();
	filter_init(&o->filter);
	o->max_line = DEFAULT_MAX_LINE;
	o->symbolize = 1;
	o->jobs = report_default_jobs();
}

void
report_opts_free(struct report_opts *o)
{
	filter_free(&o->filter);
	groupby_free(o->groupby);
	o->groupby = NULL;
	free(o->baseline);
	o->baseline = NULL;
}

int
report_parse_format(const char *s, enum report_format *f)
{
	static const char *const names[] = { "text", "json", "csv", "ndjson",
		"html" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i]) == 0) {
			*f = (enum report_format)i;
			return 0;
		}
	}
	return -1;
}

static void
add_error(struct report_result *res, const char *msg)
{
	if (res->nerrors < REPORT_MAX_ERRORS)
		snprintf(res->errors[res->nerrors++], REPORT_ERRLEN, "%s", msg);
}

/*
 * Pass a matching record through for ndjson: byte for byte when it is
 * strict JSON with nothing a reader must not see raw, else with those
 * characters escaped (termsafe_json), and re-encoded from the parsed
 * record (record_reencode) if the parser accepted a number strict JSON
 * does not.  Returns 0, or
 * -1 if memory ran out.
 */
static int
ndjson_write(const struct record *r, const char *line, size_t len, FILE *out)
{
	char *enc = NULL;
	char *safe;
	size_t n;
	int rc;

	rc = termsafe_json(line, len, NULL, NULL);
	if (rc == 0) {
		fwrite(line, 1, len, out);
		fputc('\n', out);
		return 0;
	}
	if (rc == -1) {
		enc = record_reencode(r);
		if (enc == NULL)
			return -1;
		line = enc;
		len = strlen(enc);
	}
	safe = malloc(TERMSAFE_JSON_MAX(len));
	if (safe == NULL) {
		free(enc);
		return -1;
	}
	if (termsafe_json(line, len, safe, &n) == -1)
		n = 0;
	if (n != 0) {
		fwrite(safe, 1, n, out);
		fputc('\n', out);
	}
	free(safe);
	free(enc);
	return n != 0 ? 0 : -1;
}

/*
 * What issue 19 adds for a record that passed the filter: its --group-by
 * values, and the caller's hook.  Returns 0, or -1 if memory ran out.
 */
static int
report_extras(const struct report_opts *o, struct agg *a,
    const struct record *r)
{
	int rc = 0;

	if (o->groupby != NULL && r->is_failure &&
	    groupby_add(o->groupby, r) == -1)
		rc = -1;
	if (o->on_record != NULL)
		o->on_record(o->on_record_arg, a, r);
	return rc;
}

/*
 * One record: parse, filter, count; pass through for ndjson.  Returns
 * RECORD_OK, or why line[0..len) is not a record (nothing counted).
 */
static enum record_status
take_record(const struct report_opts *o, const char *line, size_t len,
    FILE *out, struct agg *a, struct report_result *res)
{
	struct record r;
	enum record_status st;
	size_t skip = syslogline_json(line, len); /* a collector's prefix */

	st = record_parse(line + skip, len - skip, &r);
	if (st != RECORD_OK)
		return st;
	a->records++;
	if (agg_learn(a, &r) == -1)
		res->fatal = 1;
	if (filter_match(&o->filter, &r)) {
		if (agg_add(a, &r) == -1)
			res->fatal = 1;
		if (report_extras(o, a, &r) == -1)
			res->fatal = 1;
		if (o->format == REPORT_NDJSON &&
		    ndjson_write(&r, line + skip, len - skip, out) == -1)
			res->fatal = 1;
	}
	record_free(&r);
	return RECORD_OK;
}

/*
 * take_record() of a piece of a line: copied, since the parser wants the
 * NUL right after it.
 */
static enum record_status
take_piece(const struct report_opts *o, const char *p, size_t n, FILE *out,
    struct agg *a, struct report_result *res)
{
	enum record_status st;
	char *copy;

	copy = malloc(n + 1);
	if (copy == NULL) {
		res->fatal = 1;
		return RECORD_BAD_JSON;
	}
	memcpy(copy, p, n);
	copy[n] = '\0';
	st = take_record(o, copy, n, out, a, res);
	free(copy);
	return st;
}

/* The next record start in p[0..end - p), or NULL. */
static const char *
next_start(const char *p, const char *end)
{
	static const char start[] = LOGFORMAT_RECORD_START;

	return memmem(p, (size_t)(end - p), start, sizeof(start) - 1);
}

/*
 * A line that is not one record: split it where records start.  A piece
 * that begins like a record but does not parse is a torn record (a writer
 * cut short: a full disk, a pipe's reader gone); the whole records glued
 * after it on the same line still count.  The last piece of a final line
 * without a newline is counted as truncated, as before.  st is the whole
 * line's status.
 */
static void
split_line(const struct report_opts *o, struct input *in, enum input_status ist,
    const char *line, size_t len, enum record_status st, FILE *out,
    struct agg *a, struct report_result *res)
{
	static const char start[] = LOGFORMAT_RECORD_START;
	const char *p = line, *end = line + len, *next;
	size_t n;

	if (len == 0)
		agg_skip(a, in->name, in->lineno, st, line, len);
	while (p < end) {
		next = next_start(p + 1, end);
		n = (size_t)((next != NULL ? next : end) - p);
		if (next == NULL && ist == INPUT_TRUNCATED)
			st = RECORD_TRUNCATED;
		else if (p != line || next != NULL)
			st = take_piece(o, p, n, out, a, res);
		if (st == RECORD_BAD_JSON && n >= sizeof(start) - 1 &&
		    memcmp(p, start, sizeof(start) - 1) == 0)
			st = RECORD_TORN;
		if (st != RECORD_OK)
			agg_skip(a, in->name, in->lineno, st, p, n);
		p = next != NULL ? next : end;
	}
}

/* One line: classify, parse, filter, count; pass through for ndjson. */
static void
process_line(const struct report_opts *o, struct input *in,
    enum input_status ist, const char *line, size_t len, FILE *out,
    struct agg *a, struct report_result *res)
{
	enum record_status st = RECORD_TRUNCATED;

	a->lines++;
	if (ist == INPUT_TOO_LONG) {
		agg_skip(a, in->name, in->lineno, RECORD_TOO_LONG, NULL, 0);
		return;
	}
	if (ist == INPUT_LINE) {
		st = take_record(o, line, len, out, a, res);
		if (st == RECORD_OK)
			return;
		if (st != RECORD_BAD_JSON) {
			agg_skip(a, in->name, in->lineno, st, line, len);
			return;
		}
	}
	split_line(o, in, ist, line, len, st, out, a, res);
}

void
report_feed(const struct report_opts *o, const char *name, uint64_t lineno,
    int too_long, const char *line, size_t len, FILE *out, struct agg *a,
    struct report_result *res)
{
	struct input in;

	memset(&in, 0, sizeof(in));
	in.name = name;
	in.lineno = lineno;
	process_line(o, &in, too_long ? INPUT_TOO_LONG : INPUT_LINE, line, len,
	    out, a, res);
}

/*
 * Read path (the lines starting in [start, end) of it when end is not 0)
 * into a.  Returns the number of lines read.
 */
static uint64_t
collect_one(const struct report_opts *o, const char *path, uint64_t start,
    uint64_t end, FILE *out, struct agg *a, struct report_result *res,
    struct progress *pr)
{
	struct input in;
	struct stat sb;
	enum input_status ist;
	const char *line = NULL;
	size_t len = 0;
	uint64_t total = 0;
	uint64_t lines;
	char err[REPORT_ERRLEN];
	int rc;

	if (end != 0)
		rc = input_open_range(&in, path, start, end, o->max_line, err,
		    sizeof(err));
	else
		rc = input_open(&in, path, o->max_line, err, sizeof(err));
	if (rc == -1) {
		add_error(res, err);
		return 0;
	}
	if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 &&
	    S_ISREG(sb.st_mode))
		total = (uint64_t)sb.st_size;
	for (;;) {
		ist = input_next(&in, &line, &len);
		if (ist == INPUT_EOF)
			break;
		if (ist == INPUT_ERROR) {
			add_error(res, in.err);
			break;
		}
		process_line(o, &in, ist, line, len, out, a, res);
		if ((a->lines & 16383) == 0)
			progress_update(pr, path, input_offset(&in), total,
			    a->records);
	}
	lines = in.lineno;
	input_close(&in);
	return lines;
}

uint64_t
report_collect_piece(const struct report_opts *o, const char *path,
    uint64_t start, uint64_t end, struct agg *a, struct report_result *res)
{
	struct progress pr;

	progress_init(&pr, NULL);
	return collect_one(o, path, start, end, NULL, a, res, &pr);
}

/*
 * Read files ("-" = stdin) in order into a (initialized by the caller),
 * counting skipped lines and grouping records that pass o->filter.  With
 * REPORT_NDJSON, matching lines are copied to out as they are read.
 * Inputs that cannot be read are noted in res->errors and skipped.
 */
static void
report_collect(const struct report_opts *o, char *const *files, size_t nfiles,
    FILE *out, struct agg *a, struct report_result *res)
{
	static char *const stdin_only[] = { (char *)"-" };
	struct progress pr;
	size_t i;

	memset(res, 0, sizeof(*res));
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	progress_init(&pr, o->progress);
	/* --group-by and the per-record hooks (--follow, the HTML timeline)
	 * keep one state that workers would share: those read in order. */
	if (o->jobs > 1 && o->format != REPORT_NDJSON && o->groupby == NULL &&
	    o->on_record == NULL && jobs_collect(o, files, nfiles, a, res) == 0)
		nfiles = 0; /* read by the workers */
	for (i = 0; i < nfiles; i++)
		collect_one(o, files[i], 0, 0, out, a, res, &pr);
	agg_finish(a);
	progress_done(&pr);
	res->failures = a->failures;
}

/* Will rendering in o->format look up call sites? */
static int
wants_symbols(const struct report_opts *o)
{
	return o->symbolize && o->format != REPORT_NDJSON &&
	    o->format != REPORT_CSV;
}

/* report_render() with the symbolizer sym (NULL: none), kept by caller. */
static int
render(const struct report_opts *o, struct agg *a, const struct agg *base,
    struct report_result *res, FILE *out, struct symbolizer *sym)
{
	struct baseline_diff bd;
	struct view v;
	char *errs[REPORT_MAX_ERRORS];
	size_t i;
	int rc = 0;

	memset(&v, 0, sizeof(v));
	v.agg = a;
	v.top = o->top;
	v.now = o->now;
	for (i = 0; i < res->nerrors; i++)
		errs[i] = res->errors[i];
	v.errors = errs;
	v.nerrors = res->nerrors;
	v.gb = o->groupby;
	memset(&bd, 0, sizeof(bd));
	if (base != NULL) {
		if (baseline_compare(base, a, &bd) == -1)
			rc = -1;
		v.bl = &bd;
	}
	v.tl = o->on_record == timeline_hook ? o->on_record_arg : NULL;
	v.sym = sym;
	switch (o->format) {
	case REPORT_TEXT:
		rc |= render_text(&v, out);
		break;
	case REPORT_JSON:
		rc |= render_json(&v, out);
		break;
	case REPORT_CSV:
		rc |= render_csv(&v, out);
		break;
	case REPORT_HTML:
		rc |= render_html(&v, out);
		break;
	case REPORT_NDJSON:
		break;
	}
	baseline_free(&bd);
	if (rc != 0)
		res->fatal = 1;
	return rc != 0 ? -1 : 0;
}

int
report_render(const struct report_opts *o, struct agg *a,
    const struct agg *base, struct report_result *res, FILE *out)
{
	struct symbolizer *sym = wants_symbols(o) ? symbolizer_new() : NULL;
	int rc;

	rc = render(o, a, base, res, out, sym);
	symbolizer_free(sym);
	return rc;
}

/*
 * The baseline half of --baseline or --baseline-until into base, and
 * narrow *cur to the other half.  Only the current half is grouped by
 * --group-by, passed through or hooked.  Errors go to res.
 */
static void
collect_baseline(const struct report_opts *o, char *const *files, size_t nfiles,
    struct report_opts *cur, struct agg *base, struct report_result *res)
{
	struct report_opts bo = *o;
	int64_t t = o->baseline_until;

	bo.format = REPORT_TEXT;
	bo.groupby = NULL;
	bo.on_record = NULL;
	bo.progress = NULL;
	if (o->has_baseline_until) {
		if (!bo.filter.has_until || bo.filter.until > t)
			bo.filter.until = t;
		bo.filter.has_until = 1;
		if (!cur->filter.has_since || cur->filter.since < t)
			cur->filter.since = t;
		cur->filter.has_since = 1;
	} else {
		files = (char *const *)o->baseline;
		nfiles = o->nbaseline;
	}
	report_collect(&bo, files, nfiles, NULL, base, res);
}

int
report_run(const struct report_opts *o, char *const *files, size_t nfiles,
    FILE *out, struct report_result *res)
{
	struct report_opts cur = *o;
	struct report_result bres;
	struct timeline *tl = NULL;
	struct agg *a, *base = NULL;
	struct symbolizer *sym = NULL;
	struct sympre *pre = NULL;
	size_t i;

	hugeheap_init();
	a = malloc(sizeof(*a));
	if (o->nbaseline != 0 || o->has_baseline_until)
		base = malloc(sizeof(*base));
	if (o->format == REPORT_HTML && o->on_record == NULL) {
		tl = timeline_new();
		cur.on_record = timeline_hook;
		cur.on_record_arg = tl;
	}
	if (a == NULL ||
	    ((o->nbaseline != 0 || o->has_baseline_until) && base == NULL) ||
	    (o->format == REPORT_HTML && tl == NULL)) {
		free(a);
		free(base);
		timeline_free(tl);
		memset(res, 0, sizeof(*res));
		res->fatal = 1;
		return -1;
	}
	memset(&bres, 0, sizeof(bres));
	if (base != NULL) {
		agg_init(base);
		collect_baseline(o, files, nfiles, &cur, base, &bres);
	}
	agg_init(a);
	/*
	 * The modules the frames name load while the log is read, where a
	 * second CPU can do it; on one CPU that thread would only take
	 * turns with the reader (and cost it its caches), so the renderer
	 * looks up what it prints afterwards.
	 */
	if (wants_symbols(&cur)) {
		sym = symbolizer_new();
		pre = report_default_jobs() > 1 ? sympre_start(sym) : NULL;
		a->on_frame = pre != NULL ? sympre_frame_hook : NULL;
		a->on_frame_arg = pre;
	}
	report_collect(&cur, files, nfiles, out, a, res);
	sympre_finish(pre);
	for (i = 0; i < bres.nerrors; i++)
		add_error(res, bres.errors[i]);
	res->fatal |= bres.fatal;
	render(&cur, a, base, res, out, sym);
	symbolizer_free(sym);
	timeline_free(tl);
	if (base != NULL) {
		agg_free(base);
		free(base);
	}
	agg_free(a);
	free(a);
	return res->fatal ? -1 : 0;
}

/* Has the log seen any TLS at all? */
static int
tls_activity(const struct agg *a)
{
	return a->failures != 0 || a->cov.starts != 0 || a->cov.tls_seen != 0 ||
	    a->cov.suppressed != 0;
}

#define SUMMARY_NOTES 5

/* What the coverage records say could not be seen, one line each. */
static void
summary_notes(const struct agg *a, FILE *out)
{
	struct strmap_ent **e = agg_sorted(&a->notes);
	size_t n =
	    a->notes.count < SUMMARY_NOTES ? a->notes.count : SUMMARY_NOTES;
	char b[2][96];
	char line[400];
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < n; i++) {
		const struct agg_note *nt = e[i]->val;

		termsafe_escape(nt->program, 60, b[0], sizeof(b[0]));
		termsafe_escape(nt->detail, 60, b[1], sizeof(b[1]));
		view_note_describe(nt->kind, b[0], b[1], nt->st.count, line,
		    sizeof(line));
		fprintf(out, "tlsdiag: %s\n", line);
	}
	if (a->notes.count > n)
		fprintf(out,
		    "tlsdiag: ... %zu more coverage notes: tlsdiag "
		    "report shows them\n",
		    a->notes.count - n);
	free(e);
}

static void
summary_groups(const struct agg *a, FILE *out)
{
	struct strmap_ent **e = agg_sorted(&a->groups);
	char b[4][96];
	size_t n = a->groups.count < 3 ? a->groups.count : 3;
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < n; i++) {
		const struct agg_group *g = e[i]->val;

		termsafe_escape(g->type, 60, b[0], sizeof(b[0]));
		termsafe_escape(g->reason, 80, b[1], sizeof(b[1]));
		termsafe_escape(strcmp(g->sni, "-") != 0 ? g->sni : g->addr, 60,
		    b[2], sizeof(b[2]));
		termsafe_escape(g->program, 40, b[3], sizeof(b[3]));
		fprintf(out, "tlsdiag: %6llu  %s: %s  peer %s  %s\n",
		    (unsigned long long)g->st.count, b[0], b[1], b[2], b[3]);
	}
	if (a->groups.count > n)
		fprintf(out, "tlsdiag:         ... %zu more groups\n",
		    a->groups.count - n);
	free(e);
}

int
report_summary(const char *path, FILE *out)
{
	struct report_opts o;
	struct report_result *res;
	struct agg *a;
	char *files[1];
	char pb[96];
	char sb[64];
	int rc;

	report_opts_init(&o);
	a = malloc(sizeof(*a));
	res = malloc(sizeof(*res));
	if (a == NULL || res == NULL) {
		free(a);
		free(res);
		fprintf(out, "tlsdiag: cannot summarize: out of memory\n");
		return -1;
	}
	agg_init(a);
	files[0] = (char *)path;
	report_collect(&o, files, 1, out, a, res);
	if (res->nerrors != 0 && a->lines == 0) {
		fprintf(out, "tlsdiag: %s\n", res->errors[0]);
		rc = -1;
	} else if (!tls_activity(a) && a->notes.count == 0) {
		fprintf(out, "tlsdiag: no TLS activity seen\n");
		rc = 0;
	} else if (a->failures == 0) {
		/* Nothing seen but coverage notes: they say why. */
		if (tls_activity(a))
			fprintf(out,
			    "tlsdiag: no TLS failures (%zu "
			    "processes)\n",
			    a->procs.count);
		summary_notes(a, out);
		rc = 0;
	} else {
		fprintf(out, "tlsdiag: %llu TLS failure%s in %zu process%s",
		    (unsigned long long)a->failures,
		    a->failures == 1 ? "" : "s", a->procs.count,
		    a->procs.count == 1 ? "" : "es");
		fputs(view_suppressed(a->cov.suppressed, sb, sizeof(sb)), out);
		fputc('\n', out);
		summary_groups(a, out);
		summary_notes(a, out);
		termsafe_escape(path, 80, pb, sizeof(pb));
		fprintf(out, "tlsdiag: details: tlsdiag report %s\n", pb);
		rc = a->failures > INT32_MAX ? INT32_MAX : (int)a->failures;
	}
	if (rc >= 0 && a->nskipped != 0)
		fprintf(out,
		    "tlsdiag: %llu malformed or unknown lines skipped\n",
		    (unsigned long long)a->nskipped);
	agg_free(a);
	free(a);
	free(res);
	report_opts_free(&o);
	return rc;
}
