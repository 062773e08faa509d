/*
 * agg_note.c: folds the coverage records into counts and into notes on
 * what the shim could not see (a static OpenSSL, another TLS library, a
 * libssl never reached).  Rate-limited failures are counted here too.
 */
#include "agg_note.h"

#include <string.h>

#include "agg_private.h"
#include "aggregate.h"
#include "logformat.h"
#include "pathbase.h"

static const char *const note_keys[AGG_NOTE_NKINDS] = {
	"static_openssl",
	"static_openssl_besides_libssl",
	"other_tls",
	"other_tls_besides_openssl",
	"private_libssl",
	"libssl_never_called",
	"internal_callers_only",
};

const char *
agg_note_key(int kind)
{
	return kind >= 0 && kind < AGG_NOTE_NKINDS ? note_keys[kind] : "?";
}

static int
add_note(struct agg *a, const struct record *r, int kind, const char *detail)
{
	struct strmap_ent *e;
	struct agg_note *n;
	const char *k;
	size_t len = 0;
	int created;

	aggp_key_add(a, &len, note_keys[kind]);
	aggp_key_add(a, &len, r->name != NULL ? r->name : "(unknown)");
	aggp_key_add(a, &len, detail);
	e = strmap_get(&a->notes, a->key, len, &created);
	if (e == NULL)
		return -1;
	n = e->val;
	if (created) {
		n->kind = kind;
		k = e->key + strlen(e->key) + 1;
		n->program = k;
		n->detail = k + strlen(k) + 1;
	}
	agg_stat_add(&n->st, r->ts);
	return 0;
}

/* A note for each string (its file name) of names[0..n), up to a few. */
static int
add_lib_notes(struct agg *a, const struct record *r, int kind,
    const char *const *names, size_t n)
{
	size_t i;
	size_t k = 0;
	int rc = 0;

	for (i = 0; i < n; i++) {
		if (names[i] == NULL)
			continue;
		if (k++ == AGG_NOTE_MAX_LIBS)
			break;
		if (add_note(a, r, kind, path_base(names[i])) == -1)
			rc = -1;
	}
	return rc;
}

/* What the exit record says could not be seen, as notes. */
static int
add_exit_notes(struct agg *a, const struct record *r, int seen)
{
	const struct record_coverage *c = r->coverage;
	const struct record_library *lib;
	int rc = 0;

	if (c->static_openssl) {
		a->cov.static_openssl++;
		rc |= add_note(a, r,
		    seen ? AGG_NOTE_STATIC_TOO : AGG_NOTE_STATIC, "");
	}
	if (c->internal_callers_only) {
		a->cov.internal_only++;
		rc |= add_note(a, r, AGG_NOTE_INTERNAL, "");
	}
	/*
	 * Unreached, the libraries listed were loaded but not bound: "scope"
	 * "global" is a libssl linked in and never called (the program made
	 * no TLS call), anything else one loaded privately.
	 */
	if (!seen && c->nlibraries > 0) {
		int global = 0, private = 0, kind;
		size_t i, n = 0;

		for (i = 0; i < c->nlibraries; i++) {
			lib = &c->libraries[i];
			kind = lib->scope != NULL &&
				strcmp(lib->scope, LOGFORMAT_SCOPE_GLOBAL) ==
				    0 ?
			    AGG_NOTE_NO_CALL :
			    AGG_NOTE_PRIVATE;
			if (kind == AGG_NOTE_NO_CALL)
				global = 1;
			else
			private = 1;
			if (lib->path == NULL || n++ == AGG_NOTE_MAX_LIBS)
				continue;
			rc |= add_note(a, r, kind, path_base(lib->path));
		}
		if (private)
			a->cov.private_libssl++;
		/* OpenSSL was there too: another TLS library is "also" */
		seen = global;
	}
	if (c->nother_tls > 0) {
		a->cov.other_tls++;
		rc |= add_lib_notes(a, r,
		    seen ? AGG_NOTE_ALSO_TLS : AGG_NOTE_OTHER_TLS, c->other_tls,
		    c->nother_tls);
	}
	return rc;
}

/*
 * Rate-limited failures, counted once per process: its exit record counts
 * every one it held back (including those its tlsdiag_suppressed records
 * already reported), so once a process has one, its tlsdiag_suppressed
 * records no longer add.  Without a process key (no pid), each record's
 * count is taken as it comes.  Input order does not matter.
 */
static void
add_suppressed(struct agg *a, struct agg_proc *p, int from_exit, uint64_t n)
{
	if (from_exit)
		a->cov.suppressed_exits += n;
	else
		a->cov.suppressed_events += n;
	if (p == NULL) {
		a->cov.suppressed += n;
		return;
	}
	if (from_exit) {
		if (!p->has_exit_count)
			a->cov.suppressed -= p->suppressed_events;
		p->has_exit_count = 1;
		p->suppressed_exits += n;
		a->cov.suppressed += n;
	} else {
		p->suppressed_events += n;
		if (!p->has_exit_count)
			a->cov.suppressed += n;
	}
}

int
aggp_coverage_add(struct agg *a, const struct record *r, struct agg_proc *p)
{
	const struct record_coverage *c = r->coverage;
	int seen;

	if (strcmp(r->action, LOGFORMAT_ACTION_START) == 0)
		a->cov.starts++;
	if (strcmp(r->action, LOGFORMAT_ACTION_SUPPRESSED) == 0 &&
	    r->suppressed != RECORD_NONE && r->suppressed > 0)
		add_suppressed(a, p, 0, (uint64_t)r->suppressed);
	if (strcmp(r->action, LOGFORMAT_ACTION_EXIT) != 0)
		return 0;
	a->cov.exits++;
	if (c == NULL)
		return 0;
	seen = c->tls_seen;
	a->cov.tls_seen += seen;
	a->cov.records += c->records;
	a->cov.dropped += c->dropped;
	a->cov.followups += c->followups;
	/* An older exit record without the count leaves the events' sum. */
	if (c->has_suppressed)
		add_suppressed(a, p, 1, c->suppressed);
	return add_exit_notes(a, r, seen);
}

/* What a process adds to cov.suppressed (see add_suppressed()). */
static uint64_t
proc_suppressed(const struct agg_proc *p)
{
	return p->has_exit_count ? p->suppressed_exits : p->suppressed_events;
}

/*
 * A process in both dst and src: its count was added to both totals and
 * to its program's process count twice; count it once.
 */
static void
merge_proc(struct agg *dst, const struct strmap_ent *se, struct agg_proc *d,
    const struct agg_proc *s)
{
	struct strmap_iter it;
	struct strmap_ent *e;
	struct agg_program *prog;
	const char *name;
	size_t n;

	dst->cov.suppressed -= proc_suppressed(d) + proc_suppressed(s);
	d->suppressed_events += s->suppressed_events;
	d->suppressed_exits += s->suppressed_exits;
	d->has_exit_count |= s->has_exit_count;
	dst->cov.suppressed += proc_suppressed(d);
	/* Key: host, pid, program (cut to AGG_KEY_FIELD_MAX). */
	name = se->key + strlen(se->key) + 1;
	name += strlen(name) + 1;
	n = strlen(name);
	e = strmap_find(&dst->programs, name, n);
	if (e == NULL && n == AGG_KEY_FIELD_MAX) {
		strmap_iter_init(&it, &dst->programs);
		while ((e = strmap_iter_next(&it)) != NULL)
			if (e->klen > n && memcmp(e->key, name, n) == 0)
				break;
	}
	if (e == NULL)
		return;
	prog = e->val;
	if (prog->processes > 0)
		prog->processes--;
}

int
aggp_coverage_merge(struct agg *dst, struct agg *src)
{
	struct agg_coverage *d = &dst->cov;
	const struct agg_coverage *s = &src->cov;
	struct strmap_iter it;
	struct strmap_ent *se, *de;
	struct agg_note *dn;
	const struct agg_note *sn;
	const char *k;
	int created;

	d->starts += s->starts;
	d->exits += s->exits;
	d->tls_seen += s->tls_seen;
	d->static_openssl += s->static_openssl;
	d->internal_only += s->internal_only;
	d->other_tls += s->other_tls;
	d->private_libssl += s->private_libssl;
	d->records += s->records;
	d->dropped += s->dropped;
	d->followups += s->followups;
	d->suppressed += s->suppressed;
	d->suppressed_exits += s->suppressed_exits;
	d->suppressed_events += s->suppressed_events;
	strmap_reserve_like(&dst->procs, &src->procs);
	strmap_iter_init(&it, &src->procs);
	while ((se = strmap_iter_next(&it)) != NULL) {
		de = strmap_get_like(&dst->procs, se, &created);
		if (de == NULL)
			return -1;
		if (created) {
			memcpy(de->val, se->val, sizeof(struct agg_proc));
			/* Those point into src. */
			((struct agg_proc *)de->val)->host = NULL;
			((struct agg_proc *)de->val)->program = NULL;
		} else
			merge_proc(dst, se, de->val, se->val);
	}
	strmap_reserve_like(&dst->notes, &src->notes);
	strmap_iter_init(&it, &src->notes);
	while ((se = strmap_iter_next(&it)) != NULL) {
		sn = se->val;
		de = strmap_get_like(&dst->notes, se, &created);
		if (de == NULL)
			return -1;
		dn = de->val;
		if (created) {
			dn->kind = sn->kind;
			k = de->key + strlen(de->key) + 1;
			dn->program = k;
			dn->detail = k + strlen(k) + 1;
		}
		agg_stat_merge(&dn->st, &sn->st);
	}
	return 0;
}
