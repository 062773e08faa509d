/*
 * render_text.c: the default report, laid out for a terminal: a header
 * describing the input, then one section per triage question (what fails,
 * against whom, which certificate, which EOFs, from where, since when).
 */
#include "render_text.h"

#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "certtime.h"
#include "groupby.h"
#include "pathbase.h"
#include "termsafe.h"

#define FIELD_MAX 120
#define ESCBUF (FIELD_MAX + 8)

static const char *
esc(const char *s, char *buf)
{
	termsafe_escape(s != NULL ? s : "-", FIELD_MAX, buf, ESCBUF);
	return buf;
}

static const char *
ts(int64_t us, char *buf)
{
	return certtime_format(us, 0, buf);
}

/* What the exit records say could not be seen, one line each. */
static void
print_notes(const struct view *v, FILE *out)
{
	const struct agg *a = v->agg;
	struct strmap_ent **e;
	size_t n = view_limit(v, a->notes.count);
	char line[2 * ESCBUF + 192];
	char e1[ESCBUF];
	char e2[ESCBUF];
	size_t i;

	if (a->notes.count == 0)
		return;
	e = agg_sorted(&a->notes);
	if (e == NULL)
		return;
	for (i = 0; i < n; i++) {
		const struct agg_note *nt = e[i]->val;

		view_note_describe(nt->kind, esc(nt->program, e1),
		    esc(nt->detail, e2), nt->st.count, line, sizeof(line));
		fprintf(out, "            %s\n", line);
	}
	if (n < a->notes.count)
		fprintf(out, "            ... %zu more\n", a->notes.count - n);
	free(e);
}

/* "hosts 2: web-1 (N records, M failures), ..." */
static void
print_hosts(const struct view *v, FILE *out)
{
	const struct agg *a = v->agg;
	struct strmap_ent **e = agg_sorted(&a->hosts);
	size_t n = view_limit(v, a->hosts.count);
	char eb[ESCBUF];
	size_t i;

	fprintf(out, "  hosts     %zu", a->hosts.count);
	for (i = 0; i < n; i++) {
		const struct agg_host *h = e[i]->val;

		fprintf(out, "%s%s (%llu records, %llu failures)",
		    i == 0 ? ": " : ", ", esc(e[i]->key, eb),
		    (unsigned long long)h->st.count,
		    (unsigned long long)h->failures);
	}
	if (n < a->hosts.count)
		fprintf(out, ", ... %zu more", a->hosts.count - n);
	fputc('\n', out);
	free(e);
}

/* "programs 1: curl (N processes, M records, K failures), ..." */
static void
print_programs(const struct view *v, FILE *out)
{
	const struct agg *a = v->agg;
	struct strmap_ent **e = agg_sorted(&a->programs);
	size_t n = view_limit(v, a->programs.count);
	char eb[ESCBUF];
	size_t i;

	fprintf(out, "  programs  %zu", a->programs.count);
	for (i = 0; i < n; i++) {
		const struct agg_program *p = e[i]->val;

		fprintf(out,
		    "%s%s (%llu process%s, %llu records, "
		    "%llu failures)",
		    i == 0 ? ": " : ", ", esc(e[i]->key, eb),
		    (unsigned long long)p->processes,
		    p->processes == 1 ? "" : "es",
		    (unsigned long long)p->st.count,
		    (unsigned long long)p->failures);
	}
	if (n < a->programs.count)
		fprintf(out, ", ... %zu more", a->programs.count - n);
	fputc('\n', out);
	free(e);
}

/* The skipped lines by status, then the first few of them. */
static void
print_skipped(const struct agg *a, FILE *out)
{
	char eb[ESCBUF];
	char xb[ESCBUF];
	const char *sep = ": ";
	size_t i;
	int k;

	fprintf(out, "  skipped   %llu", (unsigned long long)a->nskipped);
	for (k = 1; k < RECORD_NSTATUS; k++) {
		if (a->skipped[k] == 0)
			continue;
		fprintf(out, "%s%s %llu", sep, record_status_name(k),
		    (unsigned long long)a->skipped[k]);
		sep = ", ";
	}
	fputc('\n', out);
	for (i = 0; i < a->nsamples; i++) {
		const struct agg_sample *s = &a->samples[i];

		fprintf(out, "    %s:%llu: %s", esc(s->file, eb),
		    (unsigned long long)s->line, record_status_name(s->status));
		if (s->excerpt[0] != '\0') {
			termsafe_escape(s->excerpt, 48, xb, sizeof(xb));
			fprintf(out, ": %s", xb);
		}
		fputc('\n', out);
	}
}

/* What the coverage records say, when the log has any. */
static void
print_coverage(const struct view *v, FILE *out)
{
	const struct agg *a = v->agg;

	if (a->cov.exits == 0 && a->cov.starts == 0 &&
	    a->cov.suppressed_events == 0)
		return;
	fprintf(out,
	    "  coverage  %llu processes started TLS, %llu exited "
	    "(%llu saw TLS, %llu static OpenSSL), %llu records "
	    "dropped, %llu follow-up failures\n",
	    (unsigned long long)a->cov.starts, (unsigned long long)a->cov.exits,
	    (unsigned long long)a->cov.tls_seen,
	    (unsigned long long)a->cov.static_openssl,
	    (unsigned long long)a->cov.dropped,
	    (unsigned long long)a->cov.followups);
	print_notes(v, out);
}

static void
print_header(const struct view *v, FILE *out)
{
	const struct agg *a = v->agg;
	char b1[CERTTIME_BUFSZ];
	char b2[CERTTIME_BUFSZ];
	char b3[CERTTIME_BUFSZ];
	char eb[ESCBUF];
	char sb[64];
	size_t i;

	fprintf(out, "tlsdiag report\n");
	if (a->has_span)
		fprintf(out, "  span      %s .. %s (%s)\n", ts(a->first, b1),
		    ts(a->last, b2),
		    certtime_format_duration(a->last - a->first, b3));
	else
		fprintf(out, "  span      -\n");
	print_hosts(v, out);
	print_programs(v, out);
	fprintf(out, "  processes %zu\n", a->procs.count);
	fprintf(out,
	    "  records   %llu lines read, %llu records, %llu matched, "
	    "%llu failures (%llu warnings)",
	    (unsigned long long)a->lines, (unsigned long long)a->records,
	    (unsigned long long)a->matched, (unsigned long long)a->failures,
	    (unsigned long long)a->warnings);
	fputs(view_suppressed(a->cov.suppressed, sb, sizeof(sb)), out);
	if (a->truncated != 0)
		fprintf(out,
		    "; %llu failure record%s shortened to fit "
		    "(tlsdiag.truncated)",
		    (unsigned long long)a->truncated,
		    a->truncated == 1 ? "" : "s");
	fputc('\n', out);
	print_skipped(a, out);
	for (i = 0; i < v->nerrors; i++)
		fprintf(out, "  error     %s\n", esc(v->errors[i], eb));
	print_coverage(v, out);
}

static void
print_types(const struct view *v, FILE *out, struct strmap_ent **e)
{
	const struct agg *a = v->agg;
	char b1[CERTTIME_BUFSZ];
	char b2[CERTTIME_BUFSZ];
	char eb[ESCBUF];
	size_t i;

	fprintf(out, "\nFailures by type\n");
	fprintf(out, "  %7s %6s %8s  %-20s  %-20s  %s\n", "count", "share",
	    "warnings", "first", "last", "type");
	for (i = 0; i < a->types.count; i++) {
		const struct agg_type *t = e[i]->val;

		fprintf(out, "  %7llu %5.1f%% %8llu  %-20s  %-20s  %s\n",
		    (unsigned long long)t->st.count, view_share(v, t->st.count),
		    (unsigned long long)t->warnings, ts(t->st.first, b1),
		    ts(t->st.last, b2), esc(e[i]->key, eb));
	}
}

static void
print_groups(const struct view *v, FILE *out, struct strmap_ent **e)
{
	const struct agg *a = v->agg;
	size_t n = view_limit(v, a->groups.count);
	char b1[CERTTIME_BUFSZ];
	char b2[CERTTIME_BUFSZ];
	char e1[ESCBUF];
	char e2[ESCBUF];
	char e3[ESCBUF];
	char e4[ESCBUF];
	char e5[ESCBUF];
	size_t i;

	fprintf(out, "\nTop failure groups (%zu of %zu)\n", n, a->groups.count);
	for (i = 0; i < n; i++) {
		const struct agg_group *g = e[i]->val;

		fprintf(out, "  %2zu. %7llu %5.1f%%  %s: %s\n", i + 1,
		    (unsigned long long)g->st.count, view_share(v, g->st.count),
		    esc(g->type, e1), esc(g->reason, e2));
		if (strcmp(g->sni, "-") != 0 && strcmp(g->addr, "-") != 0)
			fprintf(out, "      peer %s (%s)", esc(g->sni, e3),
			    esc(g->addr, e4));
		else
			fprintf(out, "      peer %s",
			    strcmp(g->sni, "-") != 0 ? esc(g->sni, e3) :
						       esc(g->addr, e4));
		fprintf(out, "  program %s\n", esc(g->program, e5));
		fprintf(out, "      first %s  last %s\n", ts(g->st.first, b1),
		    ts(g->st.last, b2));
	}
}

/* "expired 3d 4h before" / "valid for 2h 5m more at" a failure time. */
static void
expiry(const struct agg_cert *c, int64_t when, const char *what, char *buf,
    size_t bufsz)
{
	char b[CERTTIME_BUFSZ];

	if (c->has_not_before && when < c->not_before_us)
		snprintf(buf, bufsz,
		    "not yet valid (for %s more) at the %s "
		    "failure",
		    certtime_format_duration(c->not_before_us - when, b), what);
	else if (when >= c->not_after_us)
		snprintf(buf, bufsz, "expired %s before the %s failure",
		    certtime_format_duration(when - c->not_after_us, b), what);
	else
		snprintf(buf, bufsz, "valid for %s more at the %s failure",
		    certtime_format_duration(c->not_after_us - when, b), what);
}

static void
print_expiry(FILE *out, const struct agg_cert *c)
{
	char first[160];
	char last[160];

	expiry(c, c->st.first, "first", first, sizeof(first));
	expiry(c, c->st.last, "last", last, sizeof(last));
	fprintf(out, "      validity   %s", first);
	/* Only the "first"/"last" words differ: say it once. */
	if (strncmp(first, last, strlen(first) - strlen("first failure")) != 0)
		fprintf(out, "; %s", last);
	fputc('\n', out);
}

static void
print_certs(const struct view *v, FILE *out)
{
	const struct agg *a = v->agg;
	struct strmap_ent **e;
	size_t n = view_limit(v, a->certs.count);
	char b1[CERTTIME_BUFSZ];
	char b2[CERTTIME_BUFSZ];
	char eb[ESCBUF];
	size_t i;

	if (a->certs.count == 0)
		return;
	e = agg_sorted(&a->certs);
	if (e == NULL)
		return;
	fprintf(out, "\nCertificates (%zu of %zu)\n", n, a->certs.count);
	for (i = 0; i < n; i++) {
		const struct agg_cert *c = e[i]->val;

		fprintf(out, "  %2zu. %7llu  %s\n", i + 1,
		    (unsigned long long)c->st.count, esc(c->subject, eb));
		fprintf(out, "      issuer     %s\n", esc(c->issuer, eb));
		fprintf(out, "      not_after  %s", esc(c->not_after, eb));
		if (!c->has_not_after && c->not_after != NULL)
			fprintf(out, " (unparsable)");
		else if (c->has_not_after &&
		    strcmp(c->not_after, ts(c->not_after_us, b1)) != 0)
			fprintf(out, " (%s)", b1);
		fputc('\n', out);
		if (c->has_not_after)
			print_expiry(out, c);
		if (c->serial != NULL)
			fprintf(out, "      serial     %s\n",
			    esc(c->serial, eb));
		if (c->sha256 != NULL)
			fprintf(out, "      sha256     %s\n",
			    esc(c->sha256, eb));
		fprintf(out, "      peer       %s\n", esc(c->peer, eb));
		fprintf(out, "      first %s  last %s\n", ts(c->st.first, b1),
		    ts(c->st.last, b2));
	}
	free(e);
}

static void
print_eofs(const struct view *v, FILE *out)
{
	const struct agg *a = v->agg;
	uint64_t total = 0;
	int k;

	for (k = 0; k < AGG_EOF_NKINDS; k++)
		total += a->eof[k].count;
	if (total == 0)
		return;
	fprintf(out, "\nEOFs (%llu)\n", (unsigned long long)total);
	for (k = 0; k < AGG_EOF_NKINDS; k++) {
		const struct agg_eof *e = &a->eof[k];

		if (e->count == 0)
			continue;
		fprintf(out, "  %7llu  %s\n", (unsigned long long)e->count,
		    agg_eof_name(k));
		if (e->nbytes != 0)
			fprintf(out,
			    "           bytes read avg %llu max %llu, "
			    "written avg %llu max %llu\n",
			    (unsigned long long)(e->sum_read / e->nbytes),
			    (unsigned long long)e->max_read,
			    (unsigned long long)(e->sum_written / e->nbytes),
			    (unsigned long long)e->max_written);
		/* Ages are whole seconds: a truncated mean would read 0. */
		if (e->nage != 0)
			fprintf(out,
			    "           connection age avg %.1f s "
			    "max %llu s\n",
			    (double)e->sum_age / (double)e->nage,
			    (unsigned long long)e->max_age);
	}
}

static void
print_frame(const struct view *v, FILE *out, size_t idx,
    const struct agg_frame *f)
{
	struct sym_result sr;
	char e1[ESCBUF];
	char e2[ESCBUF];
	const char *fn;

	view_frame(v, f, &sr);
	fn = sr.function[0] != '\0' ? sr.function :
	    f->symbol != NULL	    ? f->symbol :
				      "??";
	fprintf(out, "      #%-2zu %s", idx, esc(fn, e1));
	if (sr.file[0] != '\0')
		fprintf(out, " at %s:%d", esc(sr.file, e2), sr.line);
	fprintf(out, " (%s+0x%llx)",
	    esc(f->module != NULL ? path_base(f->module) : "?", e2),
	    (unsigned long long)(f->offset != RECORD_NONE ? f->offset : 0));
	if (sr.status == SYM_BUILD_ID_MISMATCH)
		fprintf(out, " [build-id mismatch]");
	fputc('\n', out);
}

/*
 * The failure types of a call site: the one type, or when the site failed
 * in several ways each with its count ("SSLCertVerificationError 1,
 * SSLEOFError 1"), most frequent first.
 */
static void
print_stack_types(FILE *out, const struct agg_stack *s)
{
	char eb[ESCBUF];
	size_t i;

	if (s->ntypes == 1 && s->other_types == 0) {
		fputs(esc(s->types[0].type, eb), out);
		return;
	}
	for (i = 0; i < s->ntypes; i++)
		fprintf(out, "%s%s %llu", i == 0 ? "" : ", ",
		    esc(s->types[i].type, eb),
		    (unsigned long long)s->types[i].count);
	if (s->other_types != 0)
		fprintf(out, "%s+%llu of other types",
		    s->ntypes == 0 ? "" : ", ",
		    (unsigned long long)s->other_types);
}

static void
print_stacks(const struct view *v, FILE *out)
{
	const struct agg *a = v->agg;
	struct strmap_ent **e;
	size_t n = view_limit(v, a->stacks.count);
	char b1[CERTTIME_BUFSZ];
	char b2[CERTTIME_BUFSZ];
	char e1[ESCBUF];
	char e2[ESCBUF];
	size_t i;
	size_t j;

	if (a->stacks.count == 0)
		return;
	e = agg_sorted(&a->stacks);
	if (e == NULL)
		return;
	fprintf(out, "\nCall sites (%zu of %zu stacks)\n", n, a->stacks.count);
	for (i = 0; i < n; i++) {
		const struct agg_stack *s = e[i]->val;

		fprintf(out, "  %2zu. %7llu %5.1f%%  stack %s  (", i + 1,
		    (unsigned long long)s->st.count, view_share(v, s->st.count),
		    esc(e[i]->key, e1));
		print_stack_types(out, s);
		fprintf(out, ", %s)\n", esc(s->program, e2));
		fprintf(out, "      first %s  last %s\n", ts(s->st.first, b1),
		    ts(s->st.last, b2));
		for (j = 0; j < s->fr.nframes; j++)
			print_frame(v, out, j, &s->fr.frames[j]);
		if (s->fr.nframes == 0)
			fprintf(out,
			    "      (no frames in these logs: they are "
			    "in the first record of this stack in its log "
			    "file)\n");
	}
	free(e);
}

static void
print_histogram(const struct view *v, FILE *out)
{
	struct agg_hist h;
	char b1[CERTTIME_BUFSZ];
	char b2[CERTTIME_BUFSZ];
	uint64_t bar;
	size_t i;
	size_t j;

	if (agg_histogram(v->agg, 48, &h) == -1 || h.n == 0)
		return;
	fprintf(out, "\nFailures over time (bucket %s)\n",
	    certtime_format_duration(h.bucket_us, b1));
	for (i = 0; i < h.n; i++) {
		bar =
		    h.peak != 0 ? (h.counts[i] * 50 + h.peak - 1) / h.peak : 0;
		fprintf(out, "  %s %7llu ",
		    ts(h.start + (int64_t)i * h.bucket_us, b1),
		    (unsigned long long)h.counts[i]);
		for (j = 0; j < bar; j++)
			fputc('#', out);
		fputc('\n', out);
	}
	if (h.has_spike)
		fprintf(out,
		    "  spike began %s (bucket %s; peak %llu per bucket, "
		    "median %llu)\n",
		    ts(h.spike_first, b1),
		    ts(h.start + (int64_t)h.spike_bucket * h.bucket_us, b2),
		    (unsigned long long)h.peak, (unsigned long long)h.baseline);
	else
		fprintf(out, "  no spike (peak %llu per bucket, median %llu)\n",
		    (unsigned long long)h.peak, (unsigned long long)h.baseline);
	free(h.counts);
}

int
render_text(const struct view *v, FILE *out)
{
	const struct agg *a = v->agg;
	struct strmap_ent **types;
	struct strmap_ent **groups;

	print_header(v, out);
	baseline_text(v, out);
	if (a->failures == 0) {
		fprintf(out, "\nNo TLS failures matched.\n");
		return 0;
	}
	types = agg_sorted(&a->types);
	groups = agg_sorted(&a->groups);
	if (types == NULL || groups == NULL) {
		free(types);
		free(groups);
		return -1;
	}
	print_types(v, out, types);
	print_groups(v, out, groups);
	groupby_text(v, out);
	free(types);
	free(groups);
	print_certs(v, out);
	print_eofs(v, out);
	print_stacks(v, out);
	print_histogram(v, out);
	return 0;
}
