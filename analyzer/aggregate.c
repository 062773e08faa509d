/*
 * aggregate.c: folds the record stream into per-key counters (types,
 * groups, certificates, call sites, hosts, programs, minutes).  Nothing of
 * a record is kept after agg_add() except what a new key needs, so memory
 * follows the number of distinct keys, not the number of records.
 */
#include "aggregate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certtime.h"
#include "logformat.h"

/* Longest piece of a string that goes into a key. */
#define KEY_FIELD_MAX 1024

static const char *const eof_names[AGG_EOF_NKINDS] = {
	"during handshake",
	"after exchange, peer skipped close_notify",
	"cut mid-stream",
	"phase or byte counts unknown",
};

static const char *const eof_keys[AGG_EOF_NKINDS] = {
	"handshake", "no_close_notify", "mid_stream", "unknown",
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

static const char *const note_keys[AGG_NOTE_NKINDS] = {
	"static_openssl", "static_openssl_besides_libssl", "other_tls",
	"other_tls_besides_openssl", "private_libssl", "libssl_never_called",
	"internal_callers_only",
};

const char *
agg_note_key(int kind)
{
	return kind >= 0 && kind < AGG_NOTE_NKINDS ? note_keys[kind] : "?";
}

void
agg_note_describe(int kind, const char *program, const char *detail,
    uint64_t count, char *buf, size_t bufsz)
{
	char more[48] = "";
	int n;

	if (count > 1)
		snprintf(more, sizeof(more), " (%llu processes)",
		    (unsigned long long)count);
	switch (kind) {
	case AGG_NOTE_STATIC:
		n = snprintf(buf, bufsz, "%s carries its own OpenSSL "
		    "(statically linked): nothing could be hooked", program);
		break;
	case AGG_NOTE_STATIC_TOO:
		n = snprintf(buf, bufsz, "%s carries its own OpenSSL "
		    "(statically linked) besides libssl: calls to its own "
		    "copy could not be hooked", program);
		break;
	case AGG_NOTE_OTHER_TLS:
		n = snprintf(buf, bufsz, "%s uses %s, which tlsdiag does not "
		    "cover", program, detail);
		break;
	case AGG_NOTE_ALSO_TLS:
		n = snprintf(buf, bufsz, "%s also loaded %s, which tlsdiag "
		    "does not cover", program, detail);
		break;
	case AGG_NOTE_PRIVATE:
		n = snprintf(buf, bufsz, "%s loaded %s privately but no TLS "
		    "call reached tlsdiag", program, detail);
		break;
	case AGG_NOTE_NO_CALL:
		n = snprintf(buf, bufsz, "%s links %s but made no TLS call",
		    program, detail);
		break;
	case AGG_NOTE_INTERNAL:
		n = snprintf(buf, bufsz, "%s called OpenSSL only from inside "
		    "libssl (dlsym pointers or BIO_f_ssl): its own failures "
		    "may be unseen", program);
		break;
	default:
		n = snprintf(buf, bufsz, "%s: %s", program, detail);
		break;
	}
	if (n >= 0 && (size_t)n < bufsz)
		snprintf(buf + n, bufsz - (size_t)n, "%s", more);
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

void
agg_free(struct agg *a)
{
	struct strmap_iter it;
	struct strmap_ent *e;

	free_certs(&a->certs);
	free_stacks(&a->stacks);
	strmap_iter_init(&it, &a->frames);
	while ((e = strmap_iter_next(&it)) != NULL)
		free_frames(e->val);
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
agg_skip(struct agg *a, const char *file, uint64_t line,
    enum record_status st, const char *text, size_t len)
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

static void
stat_add(struct agg_stat *st, int64_t ts)
{
	if (st->count == 0 || ts < st->first)
		st->first = ts;
	if (st->count == 0 || ts > st->last)
		st->last = ts;
	st->count++;
}

/* Append s (or "-") and its NUL to the scratch key at *len. */
static void
key_add(struct agg *a, size_t *len, const char *s)
{
	size_t n;

	if (s == NULL)
		s = "-";
	n = strlen(s);
	if (n > KEY_FIELD_MAX)
		n = KEY_FIELD_MAX;
	memcpy(a->key + *len, s, n);
	a->key[*len + n] = '\0';
	*len += n + 1;
}

static char *
dup_or_null(const char *s)
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
	if (r->call != NULL && (strstr(r->call, "read") != NULL ||
	    strstr(r->call, "peek") != NULL) && r->bytes_read > 0 &&
	    r->bytes_written > 0)
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

/* "ip:port" of a client's peer; a server's peers use ephemeral ports. */
static const char *
peer_addr(const struct record *r, char *buf, size_t bufsz)
{
	int server = r->role != NULL && strcmp(r->role, "server") == 0;

	if (r->peer_ip == NULL)
		return NULL;
	if (server || r->peer_port == RECORD_NONE)
		snprintf(buf, bufsz, "%.*s", KEY_FIELD_MAX, r->peer_ip);
	else
		snprintf(buf, bufsz, strchr(r->peer_ip, ':') != NULL ?
		    "[%.*s]:%lld" : "%.*s:%lld", KEY_FIELD_MAX, r->peer_ip,
		    (long long)r->peer_port);
	return buf;
}

/*
 * The type of the one failure record that has no error object (RAND_status
 * returned 0: Python raises nothing) is its call; NULL for any other.
 */
static const char *
rand_type(const struct record *r)
{
	if (r->type == NULL && r->call != NULL &&
	    strcmp(r->call, AGG_RAND_STATUS_CALL) == 0)
		return AGG_RAND_STATUS_CALL;
	return NULL;
}

/* A failure's type as the report shows it, never NULL. */
static const char *
type_of(const struct record *r)
{
	if (r->type != NULL)
		return r->type;
	if (rand_type(r) != NULL)
		return rand_type(r);
	return "(unknown)";
}

static const char *
reason_of(const struct record *r)
{
	if (rand_type(r) != NULL)
		return AGG_RAND_STATUS_REASON;
	if (r->verify_message != NULL)
		return r->verify_message;
	if (r->reason != NULL)
		return r->reason;
	return r->errmsg;
}

static int
add_group(struct agg *a, const struct record *r, const char *addr)
{
	struct strmap_ent *e;
	struct agg_group *g;
	const char *k;
	size_t len = 0;
	int created;

	key_add(a, &len, type_of(r));
	key_add(a, &len, reason_of(r));
	key_add(a, &len, r->sni);
	key_add(a, &len, addr);
	key_add(a, &len, r->name);
	e = strmap_get(&a->groups, a->key, len, &created);
	if (e == NULL)
		return -1;
	g = e->val;
	if (created) {
		k = e->key;
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
	stat_add(&g->st, r->ts);
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
		key_add(a, &len, r->cert_sha256);
	} else {
		key_add(a, &len, r->cert_subject);
		key_add(a, &len, r->cert_issuer);
		key_add(a, &len, r->cert_serial);
		key_add(a, &len, r->cert_not_after);
	}
	e = strmap_get(&a->certs, a->key, len, &created);
	if (e == NULL)
		return -1;
	c = e->val;
	if (created) {
		c->subject = dup_or_null(r->cert_subject);
		c->issuer = dup_or_null(r->cert_issuer);
		c->not_before = dup_or_null(r->cert_not_before);
		c->not_after = dup_or_null(r->cert_not_after);
		c->serial = dup_or_null(r->cert_serial);
		c->sha256 = dup_or_null(r->cert_sha256);
		c->peer = dup_or_null(r->sni != NULL ? r->sni : addr);
		c->has_not_after = c->not_after != NULL &&
		    certtime_parse_any(c->not_after, &c->not_after_us) == 0;
		c->has_not_before = c->not_before != NULL &&
		    certtime_parse_any(c->not_before, &c->not_before_us) == 0;
	}
	stat_add(&c->st, r->ts);
	return 0;
}

static void
parse_frames(struct agg_frames *s, const cJSON *bt)
{
	const cJSON *f;
	const cJSON *v;
	struct agg_frame *fr;
	size_t n = 0;
	double d;

	if (bt == NULL)
		return;
	s->frames = calloc(AGG_MAX_FRAMES, sizeof(*s->frames));
	if (s->frames == NULL)
		return;
	cJSON_ArrayForEach(f, bt) {
		if (n == AGG_MAX_FRAMES)
			break;
		if (!cJSON_IsObject(f))
			continue;
		fr = &s->frames[n++];
		v = cJSON_GetObjectItemCaseSensitive(f, "module");
		fr->module = cJSON_IsString(v) ? strdup(v->valuestring) : NULL;
		v = cJSON_GetObjectItemCaseSensitive(f, "build_id");
		fr->build_id = cJSON_IsString(v) ? strdup(v->valuestring) :
		    NULL;
		v = cJSON_GetObjectItemCaseSensitive(f, "symbol");
		fr->symbol = cJSON_IsString(v) ? strdup(v->valuestring) : NULL;
		v = cJSON_GetObjectItemCaseSensitive(f, "offset");
		d = cJSON_IsNumber(v) ? v->valuedouble : -1;
		fr->offset = d >= 0 && d < 9007199254740992.0 ? (int64_t)d :
		    RECORD_NONE;
	}
	s->nframes = n;
}

/* Without a stack_id, frames' module+offset pairs identify the stack. */
static size_t
frames_key(struct agg *a, const cJSON *bt)
{
	const cJSON *f;
	const cJSON *m;
	const cJSON *o;
	size_t len = 0;
	int n;

	cJSON_ArrayForEach(f, bt) {
		m = cJSON_GetObjectItemCaseSensitive(f, "module");
		o = cJSON_GetObjectItemCaseSensitive(f, "offset");
		n = snprintf(a->key + len, sizeof(a->key) - len, "%.200s+%.0f;",
		    cJSON_IsString(m) ? m->valuestring : "?",
		    cJSON_IsNumber(o) ? o->valuedouble : -1.0);
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
stack_count_type(struct agg_stack *s, const char *type)
{
	struct agg_stack_type t;
	size_t i;

	/* Kept names are cut like keys: compare only what was kept. */
	for (i = 0; i < s->ntypes; i++)
		if (strncmp(s->types[i].type, type, KEY_FIELD_MAX) == 0)
			break;
	if (i == s->ntypes) {
		if (s->ntypes == AGG_STACK_TYPES) {
			s->other_types++;
			return 0;
		}
		s->types[i].type = strndup(type, KEY_FIELD_MAX);
		if (s->types[i].type == NULL) {
			s->other_types++;
			return -1;
		}
		s->types[i].count = 0;
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
take_frames(struct agg *a, struct agg_frames *to, const char *key,
    size_t len)
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

	if (r->stack_id == NULL || r->backtrace == NULL)
		return 0;
	key_add(a, &len, r->stack_id);
	e = strmap_find(&a->stacks, a->key, len);
	if (e != NULL && (s = e->val)->fr.frames != NULL)
		return 0;
	e = strmap_get(&a->frames, a->key, len, &created);
	if (e == NULL)
		return -1;
	if (created)
		parse_frames(e->val, r->backtrace);
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

static int
add_stack(struct agg *a, const struct record *r)
{
	struct strmap_ent *e;
	struct agg_stack *s;
	size_t len = 0;
	int created;

	if (r->stack_id != NULL)
		key_add(a, &len, r->stack_id);
	else if (r->backtrace != NULL)
		len = frames_key(a, r->backtrace);
	if (len == 0)
		return 0;
	e = strmap_get(&a->stacks, a->key, len, &created);
	if (e == NULL)
		return -1;
	s = e->val;
	if (s->fr.frames == NULL && !take_frames(a, &s->fr, a->key, len))
		parse_frames(&s->fr, r->backtrace);
	if (created) {
		s->type = dup_or_null(r->type != NULL ? r->type :
		    rand_type(r));
		s->program = dup_or_null(r->name);
	}
	stat_add(&s->st, r->ts);
	return stack_count_type(s, type_of(r));
}

static int
add_minute(struct agg *a, int64_t ts)
{
	struct strmap_ent *e;
	struct agg_minute *m;
	int64_t minute = ts >= 0 ? ts / 60000000 : -((-ts + 59999999) /
	    60000000);
	int created;

	e = strmap_get(&a->minutes, &minute, sizeof(minute), &created);
	if (e == NULL)
		return -1;
	m = e->val;
	if (m->count == 0 || ts < m->first)
		m->first = ts;
	m->count++;
	return 0;
}

/*
 * A count from an exit record: a positive integral number up to 2^53,
 * else 0 (converting 1e300 to an integer type is undefined behaviour).
 */
static uint64_t
count_of(const cJSON *v)
{
	double d;

	if (!cJSON_IsNumber(v))
		return 0;
	d = v->valuedouble;
	if (!(d > 0 && d <= 9007199254740992.0))
		return 0;
	return (uint64_t)d;
}

static const char *
file_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static int
add_note(struct agg *a, const struct record *r, int kind, const char *detail)
{
	struct strmap_ent *e;
	struct agg_note *n;
	const char *k;
	size_t len = 0;
	int created;

	key_add(a, &len, note_keys[kind]);
	key_add(a, &len, r->name != NULL ? r->name : "(unknown)");
	key_add(a, &len, detail);
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
	stat_add(&n->st, r->ts);
	return 0;
}

/* A note for each string (its file name) in array arr, up to a few. */
static int
add_lib_notes(struct agg *a, const struct record *r, int kind,
    const cJSON *arr, const char *member_name)
{
	const cJSON *item;
	const cJSON *v;
	size_t n = 0;
	int rc = 0;

	cJSON_ArrayForEach(item, arr) {
		v = member_name != NULL ? cJSON_GetObjectItemCaseSensitive(item,
		    member_name) : item;
		if (!cJSON_IsString(v))
			continue;
		if (n++ == AGG_NOTE_MAX_LIBS)
			break;
		if (add_note(a, r, kind, file_name(v->valuestring)) == -1)
			rc = -1;
	}
	return rc;
}

/* What the exit record says could not be seen, as notes. */
static int
add_exit_notes(struct agg *a, const struct record *r, int seen)
{
	const cJSON *c = r->coverage;
	const cJSON *v;
	int rc = 0;

	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c,
	    "static_openssl"))) {
		a->cov.static_openssl++;
		rc |= add_note(a, r, seen ? AGG_NOTE_STATIC_TOO :
		    AGG_NOTE_STATIC, "");
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c,
	    "internal_callers_only"))) {
		a->cov.internal_only++;
		rc |= add_note(a, r, AGG_NOTE_INTERNAL, "");
	}
	/*
	 * Unreached, the libraries listed were loaded but not bound: "scope"
	 * "global" is a libssl linked in and never called (the program made
	 * no TLS call), anything else one loaded privately.
	 */
	v = cJSON_GetObjectItemCaseSensitive(c, "libraries");
	if (!seen && cJSON_IsArray(v) && cJSON_GetArraySize(v) > 0) {
		const cJSON *lib, *sc, *path;
		int global = 0, private = 0, kind;
		size_t n = 0;

		cJSON_ArrayForEach(lib, v) {
			sc = cJSON_GetObjectItemCaseSensitive(lib, "scope");
			path = cJSON_GetObjectItemCaseSensitive(lib, "path");
			kind = cJSON_IsString(sc) &&
			    strcmp(sc->valuestring, "global") == 0 ?
			    AGG_NOTE_NO_CALL : AGG_NOTE_PRIVATE;
			if (kind == AGG_NOTE_NO_CALL)
				global = 1;
			else
				private = 1;
			if (!cJSON_IsString(path) || n++ == AGG_NOTE_MAX_LIBS)
				continue;
			rc |= add_note(a, r, kind, file_name(path->valuestring));
		}
		if (private)
			a->cov.private_libssl++;
		/* OpenSSL was there too: another TLS library is "also" */
		seen = global;
	}
	v = cJSON_GetObjectItemCaseSensitive(c, "other_tls");
	if (cJSON_IsArray(v) && cJSON_GetArraySize(v) > 0) {
		a->cov.other_tls++;
		rc |= add_lib_notes(a, r, seen ? AGG_NOTE_ALSO_TLS :
		    AGG_NOTE_OTHER_TLS, v, NULL);
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
add_suppressed(struct agg *a, struct agg_proc *p, int from_exit,
    uint64_t n)
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
		a->cov.suppressed += n;
	} else {
		p->suppressed_events += n;
		if (!p->has_exit_count)
			a->cov.suppressed += n;
	}
}

static int
add_coverage(struct agg *a, const struct record *r, struct agg_proc *p)
{
	const cJSON *c = r->coverage;
	const cJSON *v;
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
	seen = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "tls_seen"));
	a->cov.tls_seen += seen;
	a->cov.records += count_of(cJSON_GetObjectItemCaseSensitive(c,
	    "records"));
	a->cov.dropped += count_of(cJSON_GetObjectItemCaseSensitive(c,
	    "dropped"));
	a->cov.followups += count_of(cJSON_GetObjectItemCaseSensitive(c,
	    "followups"));
	/* An older exit record without the count leaves the events' sum. */
	v = cJSON_GetObjectItemCaseSensitive(c, "suppressed");
	if (cJSON_IsNumber(v))
		add_suppressed(a, p, 1, count_of(v));
	return add_exit_notes(a, r, seen);
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
	const char *host = r->host != NULL ? r->host : "(unknown)";
	const char *prog = r->name != NULL ? r->name : "(unknown)";
	char pid[32];
	size_t len = 0;
	int created;

	e = strmap_get(&a->hosts, host, strlen(host), &created);
	if (e == NULL)
		return -1;
	h = e->val;
	stat_add(&h->st, r->ts);
	h->failures += r->is_failure;
	e = strmap_get(&a->programs, prog, strlen(prog), &created);
	if (e == NULL)
		return -1;
	p = e->val;
	stat_add(&p->st, r->ts);
	p->failures += r->is_failure;
	*proc = NULL;
	if (r->pid == RECORD_NONE)
		return 0;
	snprintf(pid, sizeof(pid), "%lld", (long long)r->pid);
	key_add(a, &len, host);
	key_add(a, &len, pid);
	key_add(a, &len, prog);
	e = strmap_get(&a->procs, a->key, len, &created);
	if (e == NULL)
		return -1;
	*proc = e->val;
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
	char abuf[KEY_FIELD_MAX + 64];
	int rc = 0;
	int created;

	a->matched++;
	if (!a->has_span || r->ts < a->first)
		a->first = r->ts;
	if (!a->has_span || r->ts > a->last)
		a->last = r->ts;
	a->has_span = 1;
	if (add_origin(a, r, &proc) == -1)
		rc = -1;
	if (add_coverage(a, r, proc) == -1)
		rc = -1;
	if (!r->is_failure)
		return rc;
	a->failures++;
	if (r->level != NULL && strcmp(r->level, LOGFORMAT_LEVEL_WARNING) == 0)
		a->warnings++;
	if (r->truncated != NULL)
		a->truncated++;
	type = type_of(r);
	e = strmap_get(&a->types, type, strnlen(type, KEY_FIELD_MAX), &created);
	if (e != NULL) {
		t = e->val;
		stat_add(&t->st, r->ts);
		if (r->level != NULL &&
		    strcmp(r->level, LOGFORMAT_LEVEL_WARNING) == 0)
			t->warnings++;
	} else
		rc = -1;
	addr = peer_addr(r, abuf, sizeof(abuf));
	if (add_group(a, r, addr) == -1 || add_cert(a, r, addr) == -1 ||
	    add_stack(a, r) == -1 || add_minute(a, r->ts) == -1)
		rc = -1;
	add_eof(a, r);
	return rc;
}

static int
cmp_stat(const void *pa, const void *pb)
{
	const struct strmap_ent *ea = *(const struct strmap_ent *const *)pa;
	const struct strmap_ent *eb = *(const struct strmap_ent *const *)pb;
	const struct agg_stat *a = ea->val;
	const struct agg_stat *b = eb->val;
	size_t n;
	int c;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	n = ea->klen < eb->klen ? ea->klen : eb->klen;
	c = memcmp(ea->key, eb->key, n);
	if (c != 0)
		return c;
	return ea->klen < eb->klen ? -1 : ea->klen > eb->klen;
}

struct strmap_ent **
agg_sorted(const struct strmap *map)
{
	struct strmap_ent **v = strmap_entries(map);

	if (v != NULL)
		qsort(v, map->count, sizeof(*v), cmp_stat);
	return v;
}

static int
cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa;
	uint64_t b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

static void
find_spike(struct agg_hist *h)
{
	uint64_t *sorted;
	uint64_t thr;
	size_t i;

	h->peak = 0;
	for (i = 0; i < h->n; i++) {
		if (h->counts[i] > h->peak) {
			h->peak = h->counts[i];
			h->peak_bucket = i;
		}
	}
	sorted = malloc(h->n * sizeof(*sorted));
	if (sorted == NULL)
		return;
	memcpy(sorted, h->counts, h->n * sizeof(*sorted));
	qsort(sorted, h->n, sizeof(*sorted), cmp_u64);
	h->baseline = sorted[h->n / 2];
	free(sorted);
	if (h->n < 3 || h->peak < 5 || h->peak < 4 * h->baseline)
		return;
	thr = 2 * h->baseline;
	if (h->peak / 4 > thr)
		thr = h->peak / 4;
	i = h->peak_bucket;
	while (i > 0 && h->counts[i - 1] > thr)
		i--;
	h->has_spike = 1;
	h->spike_bucket = i;
}

int
agg_histogram(const struct agg *a, size_t maxbuckets, struct agg_hist *h)
{
	static const int64_t widths[] = {
		60, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400,
		604800
	};
	struct agg_minute *m;
	struct strmap_iter it;
	struct strmap_ent *e;
	int64_t lo = 0;
	int64_t hi = 0;
	int64_t minute;
	int64_t w;
	size_t i;
	size_t b;
	int any = 0;

	memset(h, 0, sizeof(*h));
	strmap_iter_init(&it, &a->minutes);
	while ((e = strmap_iter_next(&it)) != NULL) {
		memcpy(&minute, e->key, sizeof(minute));
		if (!any || minute < lo)
			lo = minute;
		if (!any || minute > hi)
			hi = minute;
		any = 1;
	}
	if (!any || maxbuckets == 0)
		return 0;
	w = 0;
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		w = widths[i] / 60;
		if ((hi / w - lo / w) + 1 <= (int64_t)maxbuckets)
			break;
	}
	while ((hi / w - lo / w) + 1 > (int64_t)maxbuckets)
		w += 10080;
	/* Minutes before 1970 would floor wrongly; logs do not go there. */
	h->bucket_us = w * 60000000;
	h->start = (lo / w) * w * 60000000;
	h->n = (size_t)(hi / w - lo / w) + 1;
	h->counts = calloc(h->n, sizeof(*h->counts));
	if (h->counts == NULL) {
		h->n = 0;
		return -1;
	}
	strmap_iter_init(&it, &a->minutes);
	while ((e = strmap_iter_next(&it)) != NULL) {
		memcpy(&minute, e->key, sizeof(minute));
		m = e->val;
		b = (size_t)(minute / w - lo / w);
		h->counts[b] += m->count;
	}
	find_spike(h);
	if (!h->has_spike)
		return 0;
	h->spike_first = INT64_MAX;
	strmap_iter_init(&it, &a->minutes);
	while ((e = strmap_iter_next(&it)) != NULL) {
		memcpy(&minute, e->key, sizeof(minute));
		m = e->val;
		if ((size_t)(minute / w - lo / w) == h->spike_bucket &&
		    m->first < h->spike_first)
			h->spike_first = m->first;
	}
	return 0;
}
