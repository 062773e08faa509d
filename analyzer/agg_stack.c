/*
 * agg_stack.c: failures by call site.  The shim writes a stack's frames
 * only in the first record of it in a log file, so frames are learned
 * from every record and given to the counted stacks at the end.
 */
#include "agg_stack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg_private.h"
#include "aggregate.h"

static void
free_frames(struct agg_frames *fr)
{
	size_t j;

	for (j = 0; j < fr->nframes; j++) {
		free(fr->frames[j].module);
		free(fr->frames[j].build_id);
		free(fr->frames[j].symbol);
	}
	free(fr->frames);
}

static void
free_stacks(struct strmap *m)
{
	struct strmap_iter it;
	struct strmap_ent *e;
	struct agg_stack *s;
	size_t j;

	strmap_iter_init(&it, m);
	while ((e = strmap_iter_next(&it)) != NULL) {
		s = e->val;
		free_frames(&s->fr);
		free(s->type);
		free(s->program);
		for (j = 0; j < s->ntypes; j++)
			free(s->types[j].type);
	}
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static void
parse_frames(struct agg *a, struct agg_frames *s, const struct record *r)
{
	const struct record_frame *f;
	struct agg_frame *fr;
	size_t n;

	if (!r->has_backtrace)
		return;
	s->frames = calloc(AGG_MAX_FRAMES, sizeof(*s->frames));
	if (s->frames == NULL)
		return;
	for (n = 0; n < r->nframes && n < AGG_MAX_FRAMES; n++) {
		f = &r->frames[n];
		fr = &s->frames[n];
		fr->module = dup_or_null(f->module);
		fr->build_id = dup_or_null(f->build_id);
		fr->symbol = dup_or_null(f->symbol);
		fr->offset = f->offset;
		if (a->on_frame != NULL && fr->module != NULL)
			a->on_frame(a->on_frame_arg, fr->module, fr->build_id,
			    fr->offset);
	}
	s->nframes = n;
}

/* Without a stack_id, frames' module+offset pairs identify the stack. */
static size_t
frames_key(struct agg *a, const struct record *r)
{
	const struct record_frame *f;
	size_t len = 0;
	size_t i;
	int n;

	for (i = 0; i < r->nframes; i++) {
		f = &r->frames[i];
		n = snprintf(a->key + len, sizeof(a->key) - len, "%.200s+%lld;",
		    f->module != NULL ? f->module : "?",
		    f->offset != RECORD_NONE ? (long long)f->offset : -1LL);
		if (n < 0 || (size_t)n >= sizeof(a->key) - len)
			break;
		len += (size_t)n;
	}
	return len;
}

/* Does type entry x sort before y (more failures, then by name)? */
static int
stack_type_before(const struct agg_stack_type *x,
    const struct agg_stack_type *y)
{
	if (x->count != y->count)
		return x->count > y->count;
	return strcmp(x->type, y->type) < 0;
}

/*
 * Count one failure of type at call site s, keeping s->types sorted.
 * Returns 0, or -1 if memory ran out (the failure then counts as of
 * another type, so the per-type counts still add up to the site's).
 */
static int
stack_count_type(struct agg *a, struct agg_stack *s, const char *type)
{
	struct agg_stack_type t;
	size_t i;

	/* Kept names are cut like keys: compare only what was kept. */
	for (i = 0; i < s->ntypes; i++)
		if (strncmp(s->types[i].type, type, AGG_KEY_FIELD_MAX) == 0)
			break;
	if (i == s->ntypes) {
		if (s->ntypes == a->stack_types) {
			s->other_types++;
			return 0;
		}
		s->types[i].type = strndup(type, AGG_KEY_FIELD_MAX);
		if (s->types[i].type == NULL) {
			s->other_types++;
			return -1;
		}
		s->types[i].count = 0;
		s->types[i].seq = a->seq_base + a->failures;
		s->ntypes++;
	}
	s->types[i].count++;
	while (i > 0 && stack_type_before(&s->types[i], &s->types[i - 1])) {
		t = s->types[i - 1];
		s->types[i - 1] = s->types[i];
		s->types[i] = t;
		i--;
	}
	return 0;
}

/*
 * Move the frames learned for stack key (by agg_learn()) into *to.
 * Returns 1 if there were some.
 */
static int
take_frames(struct agg *a, struct agg_frames *to, const char *key, size_t len)
{
	struct strmap_ent *e;
	struct agg_frames *fr;

	if (a->frames.count == 0)
		return 0;
	e = strmap_find(&a->frames, key, len);
	if (e == NULL)
		return 0;
	fr = e->val;
	if (fr->frames == NULL)
		return 0;
	*to = *fr;
	fr->frames = NULL;
	fr->nframes = 0;
	return 1;
}

int
agg_learn(struct agg *a, const struct record *r)
{
	struct strmap_ent *e;
	const struct agg_stack *s;
	size_t len = 0;
	int created;

	if (r->stack_id == NULL || !r->has_backtrace)
		return 0;
	aggp_key_add(a, &len, r->stack_id);
	e = strmap_find(&a->stacks, a->key, len);
	if (e != NULL && (s = e->val)->fr.frames != NULL)
		return 0;
	e = strmap_get(&a->frames, a->key, len, &created);
	if (e == NULL)
		return -1;
	if (created)
		parse_frames(a, e->val, r);
	return 0;
}

void
agg_finish(struct agg *a)
{
	struct strmap_ent **e;
	struct agg_stack *s;
	size_t i;

	if (a->frames.count == 0)
		return;
	e = strmap_entries(&a->stacks);
	for (i = 0; e != NULL && i < a->stacks.count; i++) {
		s = e[i]->val;
		if (s->fr.frames == NULL)
			take_frames(a, &s->fr, e[i]->key, e[i]->klen);
	}
	free(e);
}

int
aggp_stack_add(struct agg *a, const struct record *r)
{
	struct strmap_ent *e;
	struct agg_stack *s;
	size_t len = 0;
	int created;

	if (r->stack_id != NULL)
		aggp_key_add(a, &len, r->stack_id);
	else if (r->has_backtrace)
		len = frames_key(a, r);
	if (len == 0)
		return 0;
	e = strmap_get(&a->stacks, a->key, len, &created);
	if (e == NULL)
		return -1;
	s = e->val;
	if (s->fr.frames == NULL && !take_frames(a, &s->fr, a->key, len))
		parse_frames(a, &s->fr, r);
	if (created) {
		s->type =
		    aggp_strdup(r->type != NULL ? r->type : aggp_rand_type(r));
		s->program = aggp_strdup(r->name);
	}
	agg_stat_add(&s->st, r->ts);
	return stack_count_type(a, s, aggp_type_of(r));
}

void
aggp_stacks_free(struct agg *a)
{
	struct strmap_iter it;
	struct strmap_ent *e;

	free_stacks(&a->stacks);
	strmap_iter_init(&it, &a->frames);
	while ((e = strmap_iter_next(&it)) != NULL)
		free_frames(e->val);
}

/*
 * The frames of the stack at key for the merged aggregate, earliest
 * first: d's own, then those dst learned, then s's own, then those src
 * learned (taken out of their owner).
 */
static void
merge_frames(struct agg *dst, struct agg *src, struct agg_stack *d,
    struct agg_stack *s, const struct strmap_ent *se)
{
	if (d->fr.frames == NULL)
		take_frames(dst, &d->fr, se->key, se->klen);
	if (d->fr.frames == NULL && s->fr.frames != NULL) {
		d->fr = s->fr;
		s->fr.frames = NULL;
		s->fr.nframes = 0;
	}
	if (d->fr.frames == NULL)
		take_frames(src, &d->fr, se->key, se->klen);
}

/* Add s's per-type counts to d's (any number; agg_merge_done() trims). */
static int
merge_types(struct agg_stack *d, struct agg_stack *s)
{
	size_t i, j;

	d->other_types += s->other_types;
	for (j = 0; j < s->ntypes; j++) {
		for (i = 0; i < d->ntypes; i++)
			if (strcmp(d->types[i].type, s->types[j].type) == 0)
				break;
		if (i < d->ntypes) {
			d->types[i].count += s->types[j].count;
			if (s->types[j].seq < d->types[i].seq)
				d->types[i].seq = s->types[j].seq;
			continue;
		}
		if (d->ntypes == AGG_STACK_TYPES_MAX) {
			d->other_types += s->types[j].count;
			continue;
		}
		d->types[d->ntypes++] = s->types[j];
		s->types[j].type = NULL;
	}
	return 0;
}

int
aggp_stacks_merge(struct agg *dst, struct agg *src)
{
	struct strmap_iter it;
	struct strmap_ent *se, *de;
	struct agg_stack *s, *d;
	struct agg_frames *sf, *df;
	int created;

	strmap_reserve_like(&dst->stacks, &src->stacks);
	strmap_iter_init(&it, &src->stacks);
	while ((se = strmap_iter_next(&it)) != NULL) {
		s = se->val;
		de = strmap_get_like(&dst->stacks, se, &created);
		if (de == NULL)
			return -1;
		d = de->val;
		if (created) {
			d->type = s->type;
			d->program = s->program;
			s->type = NULL;
			s->program = NULL;
		}
		merge_frames(dst, src, d, s, se);
		agg_stat_merge(&d->st, &s->st);
		merge_types(d, s);
	}
	strmap_reserve_like(&dst->frames, &src->frames);
	strmap_iter_init(&it, &src->frames);
	while ((se = strmap_iter_next(&it)) != NULL) {
		sf = se->val;
		if (sf->frames == NULL)
			continue;
		if (strmap_find(&dst->stacks, se->key, se->klen) != NULL)
			continue; /* merge_frames() had its chance */
		de = strmap_get_like(&dst->frames, se, &created);
		if (de == NULL)
			return -1;
		df = de->val;
		if (df->frames == NULL) {
			*df = *sf;
			sf->frames = NULL;
			sf->nframes = 0;
		}
	}
	return 0;
}

static int
cmp_type_seq(const void *pa, const void *pb)
{
	const struct agg_stack_type *a = pa;
	const struct agg_stack_type *b = pb;

	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int
cmp_type_order(const void *pa, const void *pb)
{
	const struct agg_stack_type *a = pa;
	const struct agg_stack_type *b = pb;

	if (stack_type_before(a, b))
		return -1;
	return stack_type_before(b, a);
}

void
aggp_stacks_merge_done(struct agg *a)
{
	struct strmap_iter it;
	struct strmap_ent *e;
	struct agg_stack *s;
	size_t j;

	strmap_iter_init(&it, &a->stacks);
	while ((e = strmap_iter_next(&it)) != NULL) {
		s = e->val;
		if (s->ntypes > AGG_STACK_TYPES) {
			/* The first AGG_STACK_TYPES seen keep their rows. */
			qsort(s->types, s->ntypes, sizeof(s->types[0]),
			    cmp_type_seq);
			for (j = AGG_STACK_TYPES; j < s->ntypes; j++) {
				s->other_types += s->types[j].count;
				free(s->types[j].type);
				s->types[j].type = NULL;
			}
			s->ntypes = AGG_STACK_TYPES;
		}
		qsort(s->types, s->ntypes, sizeof(s->types[0]), cmp_type_order);
	}
}
