/*
 * aggregate.c: folds the record stream into per-key counters (types,
 * groups, certificates, hosts, programs, EOFs here; call sites, coverage
 * and minutes in agg_stack.c, agg_note.c and agg_hist.c).  Nothing of
 * a record is kept after agg_add() except what a new key needs, so memory
 * follows the number of distinct keys, not the number of records.
 */
#include "aggregate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certtime.h"
#include "agg_private.h"
#include "logformat.h"

static const char *const eof_names[AGG_EOF_NKINDS] = {
	"during handshake",
	"after exchange, peer skipped close_notify",
	"cut mid-stream",
	"phase or byte counts unknown",
};

static const char *const eof_keys[AGG_EOF_NKINDS] = {
	"handshake",
	"no_close_notify",
	"mid_stream",
	"unknown",
};

const char *
agg_eof_name(int kind)
{
	return kind >= 0 && kind < AGG_EOF_NKINDS ? eof_names[kind] : "?";
}

const char *
agg_eof_key(int kind)
{
	return kind >= 0 && kind < AGG_EOF_NKINDS ? eof_keys[kind] : "?";
}

void
agg_init(struct agg *a)
{
	memset(a, 0, sizeof(*a));
	strmap_init(&a->types, sizeof(struct agg_type));
	strmap_init(&a->groups, sizeof(struct agg_group));
	strmap_init(&a->certs, sizeof(struct agg_cert));
	strmap_init(&a->stacks, sizeof(struct agg_stack));
	strmap_init(&a->frames, sizeof(struct agg_frames));
	strmap_init(&a->hosts, sizeof(struct agg_host));
	strmap_init(&a->programs, sizeof(struct agg_program));
	strmap_init(&a->procs, sizeof(struct agg_proc));
	strmap_init(&a->notes, sizeof(struct agg_note));
	strmap_init(&a->minutes, sizeof(struct agg_minute));
	a->stack_types = AGG_STACK_TYPES;
}

void
agg_worker(struct agg *a, unsigned index)
{
	a->stack_types = AGG_STACK_TYPES_MAX;
	a->seq_base = (uint64_t)index << 48;
}

static void
free_certs(struct strmap *m)
{
	struct strmap_iter it;
	struct strmap_ent *e;
	struct agg_cert *c;

	strmap_iter_init(&it, m);
	while ((e = strmap_iter_next(&it)) != NULL) {
		c = e->val;
		free(c->subject);
		free(c->issuer);
		free(c->not_before);
		free(c->not_after);
		free(c->serial);
		free(c->sha256);
		free(c->peer);
	}
}

void
agg_free(struct agg *a)
{
	free_certs(&a->certs);
	aggp_stacks_free(a);
	strmap_free(&a->frames);
	strmap_free(&a->types);
	strmap_free(&a->groups);
	strmap_free(&a->certs);
	strmap_free(&a->stacks);
	strmap_free(&a->hosts);
	strmap_free(&a->programs);
	strmap_free(&a->procs);
	strmap_free(&a->notes);
	strmap_free(&a->minutes);
}

void
agg_skip(struct agg *a, const char *file, uint64_t line, enum record_status st,
    const char *text, size_t len)
{
	struct agg_sample *s;

	a->nskipped++;
	if ((unsigned)st < RECORD_NSTATUS)
		a->skipped[st]++;
	if (a->nsamples == AGG_MAX_SAMPLES)
		return;
	s = &a->samples[a->nsamples++];
	snprintf(s->file, sizeof(s->file), "%s", file);
	s->line = line;
	s->status = st;
	s->excerpt[0] = '\0';
	if (text != NULL) {
		if (len > sizeof(s->excerpt) - 1)
			len = sizeof(s->excerpt) - 1;
		memcpy(s->excerpt, text, len);
		s->excerpt[len] = '\0';
	}
}

/* Append s (or "-") and its NUL to the scratch key at *len. */
void
aggp_key_add(struct agg *a, size_t *len, const char *s)
{
	size_t n;

	if (s == NULL)
		s = "-";
	n = strlen(s);
	if (n > AGG_KEY_FIELD_MAX)
		n = AGG_KEY_FIELD_MAX;
	memcpy(a->key + *len, s, n);
	a->key[*len + n] = '\0';
	*len += n + 1;
}

char *
aggp_strdup(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

int
agg_eof_kind(const struct record *r)
{
	int eof = 0;

	if (!r->is_failure || r->type == NULL)
		return -1;
	if (strcmp(r->type, "SSLEOFError") == 0)
		eof = 1;
	else if (r->reason != NULL &&
	    strcmp(r->reason, "UNEXPECTED_EOF_WHILE_READING") == 0)
		eof = 1;
	else if (strcmp(r->type, "SSLSyscallError") == 0 && r->errnum == 0)
		eof = 1;
	if (!eof)
		return -1;
	if (r->phase == NULL)
		return AGG_EOF_UNKNOWN;
	if (strcmp(r->phase, LOGFORMAT_PHASE_HANDSHAKE) == 0)
		return AGG_EOF_HANDSHAKE;
	if (strcmp(r->phase, LOGFORMAT_PHASE_SHUTDOWN) == 0 ||
	    r->shutdown_sent == 1)
		return AGG_EOF_NO_CLOSE_NOTIFY;
	if (r->bytes_read == RECORD_NONE || r->bytes_written == RECORD_NONE)
		return AGG_EOF_UNKNOWN;
	/* Waiting for more after data moved both ways: the peer was done. */
	if (r->call != NULL &&
	    (strstr(r->call, "read") != NULL ||
		strstr(r->call, "peek") != NULL) &&
	    r->bytes_read > 0 && r->bytes_written > 0)
		return AGG_EOF_NO_CLOSE_NOTIFY;
	return AGG_EOF_MID_STREAM;
}

static void
add_eof(struct agg *a, const struct record *r)
{
	struct agg_eof *e;
	int k = agg_eof_kind(r);

	if (k < 0)
		return;
	e = &a->eof[k];
	e->count++;
	if (r->bytes_read != RECORD_NONE && r->bytes_written != RECORD_NONE &&
	    r->bytes_read >= 0 && r->bytes_written >= 0) {
		e->nbytes++;
		e->sum_read += (uint64_t)r->bytes_read;
		e->sum_written += (uint64_t)r->bytes_written;
		if ((uint64_t)r->bytes_read > e->max_read)
			e->max_read = (uint64_t)r->bytes_read;
		if ((uint64_t)r->bytes_written > e->max_written)
			e->max_written = (uint64_t)r->bytes_written;
	}
	if (r->age_s != RECORD_NONE && r->age_s >= 0) {
		e->nage++;
		e->sum_age += (uint64_t)r->age_s;
		if ((uint64_t)r->age_s > e->max_age)
			e->max_age = (uint64_t)r->age_s;
	}
}

/*
 * The decimal digits of v at buf (room for 21 bytes), NUL-terminated;
 * returns their number.  snprintf's work, without its cost per record.
 */
static size_t
fmt_int(char *buf, long long v)
{
	char tmp[24];
	unsigned long long u =
	    v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	size_t n = 0, k = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		buf[k++] = '-';
	while (n > 0)
		buf[k++] = tmp[--n];
	buf[k] = '\0';
	return k;
}

/* Append s (at most max bytes of it) to buf at *at, if there is room. */
static void
put(char *buf, size_t bufsz, size_t *at, const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	if (n > bufsz - 1 - *at)
		n = bufsz - 1 - *at;
	memcpy(buf + *at, s, n);
	*at += n;
	buf[*at] = '\0';
}

/* "ip:port" of a client's peer; a server's peers use ephemeral ports. */
static const char *
peer_addr(const struct record *r, char *buf, size_t bufsz)
{
	int server = r->role != NULL && strcmp(r->role, "server") == 0;
	int v6;
	char port[24];
	size_t at = 0;

	if (r->peer_ip == NULL)
		return NULL;
	buf[0] = '\0';
	if (server || r->peer_port == RECORD_NONE) {
		put(buf, bufsz, &at, r->peer_ip, AGG_KEY_FIELD_MAX);
		return buf;
	}
	v6 = strchr(r->peer_ip, ':') != NULL;
	fmt_int(port + 1, (long long)r->peer_port);
	port[0] = ':';
	put(buf, bufsz, &at, "[", v6 ? 1 : 0);
	put(buf, bufsz, &at, r->peer_ip, AGG_KEY_FIELD_MAX);
	put(buf, bufsz, &at, "]", v6 ? 1 : 0);
	put(buf, bufsz, &at, port, sizeof(port));
	return buf;
}

/*
 * The type of the one failure record that has no error object (RAND_status
 * returned 0: Python raises nothing) is its call; NULL for any other.
 */
const char *
aggp_rand_type(const struct record *r)
{
	if (r->type == NULL && r->call != NULL &&
	    strcmp(r->call, AGG_RAND_STATUS_CALL) == 0)
		return AGG_RAND_STATUS_CALL;
	return NULL;
}

/* A failure's type as the report shows it, never NULL. */
const char *
aggp_type_of(const struct record *r)
{
	if (r->type != NULL)
		return r->type;
	if (aggp_rand_type(r) != NULL)
		return aggp_rand_type(r);
	return "(unknown)";
}

static const char *
reason_of(const struct record *r)
{
	if (aggp_rand_type(r) != NULL)
		return AGG_RAND_STATUS_REASON;
	if (r->verify_message != NULL)
		return r->verify_message;
	if (r->reason != NULL)
		return r->reason;
	return r->errmsg;
}

/* Point a group's fields into its entry's key (see add_group()). */
static void
group_fields(struct agg_group *g, const char *k)
{
	g->type = k;
	k += strlen(k) + 1;
	g->reason = k;
	k += strlen(k) + 1;
	g->sni = k;
	k += strlen(k) + 1;
	g->addr = k;
	k += strlen(k) + 1;
	g->program = k;
}

static int
add_group(struct agg *a, const struct record *r, const char *addr)
{
	struct strmap_ent *e;
	struct agg_group *g;
	size_t len = 0;
	int created;

	aggp_key_add(a, &len, aggp_type_of(r));
	aggp_key_add(a, &len, reason_of(r));
	aggp_key_add(a, &len, r->sni);
	aggp_key_add(a, &len, addr);
	aggp_key_add(a, &len, r->name);
	e = strmap_get(&a->groups, a->key, len, &created);
	if (e == NULL)
		return -1;
	g = e->val;
	if (created)
		group_fields(g, e->key);
	agg_stat_add(&g->st, r->ts);
	a->last_group = g;
	return 0;
}

static int
add_cert(struct agg *a, const struct record *r, const char *addr)
{
	struct strmap_ent *e;
	struct agg_cert *c;
	size_t len = 0;
	int created;

	if (r->cert_sha256 == NULL && r->cert_subject == NULL)
		return 0;
	if (r->cert_sha256 != NULL) {
		aggp_key_add(a, &len, r->cert_sha256);
	} else {
		aggp_key_add(a, &len, r->cert_subject);
		aggp_key_add(a, &len, r->cert_issuer);
		aggp_key_add(a, &len, r->cert_serial);
		aggp_key_add(a, &len, r->cert_not_after);
	}
	e = strmap_get(&a->certs, a->key, len, &created);
	if (e == NULL)
		return -1;
	c = e->val;
	if (created) {
		c->subject = aggp_strdup(r->cert_subject);
		c->issuer = aggp_strdup(r->cert_issuer);
		c->not_before = aggp_strdup(r->cert_not_before);
		c->not_after = aggp_strdup(r->cert_not_after);
		c->serial = aggp_strdup(r->cert_serial);
		c->sha256 = aggp_strdup(r->cert_sha256);
		c->peer = aggp_strdup(r->sni != NULL ? r->sni : addr);
		c->has_not_after = c->not_after != NULL &&
		    certtime_parse_any(c->not_after, &c->not_after_us) == 0;
		c->has_not_before = c->not_before != NULL &&
		    certtime_parse_any(c->not_before, &c->not_before_us) == 0;
	}
	agg_stat_add(&c->st, r->ts);
	return 0;
}

/*
 * Hosts, programs and processes, for the header.  Sets *proc to the
 * process's entry, or NULL when the record names no pid.
 */
static int
add_origin(struct agg *a, const struct record *r, struct agg_proc **proc)
{
	struct strmap_ent *e;
	struct agg_host *h;
	struct agg_program *p;
	struct agg_proc *pr = NULL;
	const char *host = r->host != NULL ? r->host : "(unknown)";
	const char *prog = r->name != NULL ? r->name : "(unknown)";
	char pid[32];
	size_t len = 0;
	int created = 0;
	int created_h;

	if (r->pid != RECORD_NONE) {
		fmt_int(pid, (long long)r->pid);
		aggp_key_add(a, &len, host);
		aggp_key_add(a, &len, pid);
		aggp_key_add(a, &len, prog);
		e = strmap_get(&a->procs, a->key, len, &created);
		if (e == NULL)
			return -1;
		pr = e->val;
	}
	*proc = pr;
	if (pr != NULL && pr->host != NULL) {
		h = pr->host;
		p = pr->program;
	} else {
		e = strmap_get(&a->hosts, host, strlen(host), &created_h);
		if (e == NULL)
			return -1;
		h = e->val;
		e = strmap_get(&a->programs, prog, strlen(prog), &created_h);
		if (e == NULL)
			return -1;
		p = e->val;
		if (pr != NULL) {
			pr->host = h;
			pr->program = p;
		}
	}
	agg_stat_add(&h->st, r->ts);
	h->failures += r->is_failure;
	agg_stat_add(&p->st, r->ts);
	p->failures += r->is_failure;
	p->processes += created;
	return 0;
}

int
agg_add(struct agg *a, const struct record *r)
{
	struct strmap_ent *e;
	struct agg_type *t;
	struct agg_proc *proc = NULL;
	const char *type;
	const char *addr;
	char abuf[AGG_KEY_FIELD_MAX + 64];
	int rc = 0;
	int created;

	a->matched++;
	a->last_group = NULL;
	if (!a->has_span || r->ts < a->first)
		a->first = r->ts;
	if (!a->has_span || r->ts > a->last)
		a->last = r->ts;
	a->has_span = 1;
	if (add_origin(a, r, &proc) == -1)
		rc = -1;
	if (aggp_coverage_add(a, r, proc) == -1)
		rc = -1;
	if (!r->is_failure)
		return rc;
	a->failures++;
	if (r->level != NULL && strcmp(r->level, LOGFORMAT_LEVEL_WARNING) == 0)
		a->warnings++;
	if (r->ntruncated != 0)
		a->truncated++;
	type = aggp_type_of(r);
	e = strmap_get(&a->types, type, strnlen(type, AGG_KEY_FIELD_MAX),
	    &created);
	if (e != NULL) {
		t = e->val;
		agg_stat_add(&t->st, r->ts);
		if (r->level != NULL &&
		    strcmp(r->level, LOGFORMAT_LEVEL_WARNING) == 0)
			t->warnings++;
	} else
		rc = -1;
	addr = peer_addr(r, abuf, sizeof(abuf));
	if (add_group(a, r, addr) == -1 || add_cert(a, r, addr) == -1 ||
	    aggp_stack_add(a, r) == -1 || aggp_minute_add(a, r->ts) == -1)
		rc = -1;
	add_eof(a, r);
	return rc;
}

static void
merge_eof(struct agg_eof *d, const struct agg_eof *s)
{
	d->count += s->count;
	d->nbytes += s->nbytes;
	d->sum_read += s->sum_read;
	d->sum_written += s->sum_written;
	d->nage += s->nage;
	d->sum_age += s->sum_age;
	if (s->max_read > d->max_read)
		d->max_read = s->max_read;
	if (s->max_written > d->max_written)
		d->max_written = s->max_written;
	if (s->max_age > d->max_age)
		d->max_age = s->max_age;
}

/* The plain counters, the span and the samples. */
static void
merge_counts(struct agg *d, const struct agg *s)
{
	size_t i;

	d->lines += s->lines;
	d->records += s->records;
	d->matched += s->matched;
	d->failures += s->failures;
	d->warnings += s->warnings;
	d->truncated += s->truncated;
	d->nskipped += s->nskipped;
	for (i = 0; i < RECORD_NSTATUS; i++)
		d->skipped[i] += s->skipped[i];
	for (i = 0; i < s->nsamples && d->nsamples < AGG_MAX_SAMPLES; i++)
		d->samples[d->nsamples++] = s->samples[i];
	if (s->has_span) {
		if (!d->has_span || s->first < d->first)
			d->first = s->first;
		if (!d->has_span || s->last > d->last)
			d->last = s->last;
		d->has_span = 1;
	}
	for (i = 0; i < AGG_EOF_NKINDS; i++)
		merge_eof(&d->eof[i], &s->eof[i]);
}

/* Merge one entry of the core maps; s's owned strings may move to d. */
static void
merge_entry(const struct strmap *map, const struct agg *dst, void *dv, void *sv,
    const char *dkey, int created)
{
	struct agg_cert *dc, *sc;

	if (map == &dst->types) {
		agg_stat_merge(dv, sv);
		((struct agg_type *)dv)->warnings +=
		    ((struct agg_type *)sv)->warnings;
	} else if (map == &dst->groups) {
		if (created)
			group_fields(dv, dkey);
		agg_stat_merge(dv, sv);
	} else if (map == &dst->certs) {
		dc = dv;
		sc = sv;
		if (created) {
			/* The first failure's strings are src's: take them. */
			*dc = *sc;
			memset(sc, 0, sizeof(*sc));
		} else {
			agg_stat_merge(&dc->st, &sc->st);
		}
	} else if (map == &dst->hosts) {
		agg_stat_merge(dv, sv);
		((struct agg_host *)dv)->failures +=
		    ((struct agg_host *)sv)->failures;
	} else {
		agg_stat_merge(dv, sv);
		((struct agg_program *)dv)->failures +=
		    ((struct agg_program *)sv)->failures;
		((struct agg_program *)dv)->processes +=
		    ((struct agg_program *)sv)->processes;
	}
}

int
agg_merge(struct agg *dst, struct agg *src)
{
	struct strmap *dmaps[] = { &dst->types, &dst->groups, &dst->certs,
		&dst->hosts, &dst->programs };
	struct strmap *smaps[] = { &src->types, &src->groups, &src->certs,
		&src->hosts, &src->programs };
	struct strmap_iter it;
	struct strmap_ent *se, *de;
	size_t m;
	int created;

	merge_counts(dst, src);
	for (m = 0; m < sizeof(dmaps) / sizeof(dmaps[0]); m++) {
		strmap_reserve_like(dmaps[m], smaps[m]);
		strmap_iter_init(&it, smaps[m]);
		while ((se = strmap_iter_next(&it)) != NULL) {
			de = strmap_get_like(dmaps[m], se, &created);
			if (de == NULL)
				return -1;
			merge_entry(dmaps[m], dst, de->val, se->val, de->key,
			    created);
		}
	}
	if (aggp_coverage_merge(dst, src) == -1 ||
	    aggp_stacks_merge(dst, src) == -1 ||
	    aggp_minutes_merge(dst, src) == -1)
		return -1;
	return 0;
}

void
agg_merge_done(struct agg *a)
{
	aggp_stacks_merge_done(a);
}
