/*
 * logrecord.c: turns one JSON line into a struct record.  Only @timestamp,
 * event.action and tlsdiag.schema are required; every other field is
 * optional and a field of the wrong type reads as absent, so records from
 * older or partial writers still count.
 */
#include "logrecord.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "certtime.h"
#include "logformat.h"
#include "pathbase.h"

/*
 * Parse trees are carved from one arena (see arena.c).  cJSON's hooks are
 * process-wide, so they point at the arena only while record_parse() runs
 * and every other cJSON user keeps the system allocator.  The arena is
 * emptied when no parsed record is alive any more; callers normally hold
 * one at a time, so that is after every line.
 */
static struct arena parse_arena;
static unsigned long live_records;

static void *
parse_alloc(size_t n)
{
	return arena_alloc(&parse_arena, n);
}

/* Nodes are released all at once by arena_reset(), never one by one. */
static void
parse_free(void *p)
{
	(void)p;
}

static void
release_tree(void)
{
	if (live_records == 0)
		arena_reset(&parse_arena);
}

static cJSON *
parse_tree(const char *line, size_t len)
{
	static cJSON_Hooks arena_hooks = { parse_alloc, parse_free };
	cJSON *root;

	cJSON_InitHooks(&arena_hooks);
	/* len + 1: cJSON wants the NUL inside the buffer to see the end. */
	root = cJSON_ParseWithLengthOpts(line, len + 1, NULL, 1);
	cJSON_InitHooks(NULL);
	return root;
}

static const struct {
	const char *name;
	const char *key;
} status_names[RECORD_NSTATUS] = {
	{ "ok", "ok" },
	{ "line too long", "too_long" },
	{ "truncated last line", "truncated" },
	{ "NUL byte in line", "nul_byte" },
	{ "invalid JSON", "invalid_json" },
	{ "not a JSON object", "not_object" },
	{ "not a tlsdiag record", "not_tlsdiag" },
	{ "required field missing or mistyped", "bad_field" },
	{ "newer schema", "newer_schema" },
	{ "torn record", "torn" },
};

const char *
record_status_name(enum record_status st)
{
	if ((unsigned)st >= RECORD_NSTATUS)
		return "unknown";
	return status_names[st].name;
}

const char *
record_status_key(enum record_status st)
{
	if ((unsigned)st >= RECORD_NSTATUS)
		return "unknown";
	return status_names[st].key;
}

/* Typed views of a member: NULL or RECORD_NONE or -1 when mistyped. */
static const cJSON *
as_obj(const cJSON *v)
{
	return cJSON_IsObject(v) ? v : NULL;
}

static const char *
as_str(const cJSON *v)
{
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* An integral JSON number within +-2^53, else RECORD_NONE. */
static int64_t
as_num(const cJSON *v)
{
	double d;

	if (!cJSON_IsNumber(v))
		return RECORD_NONE;
	d = v->valuedouble;
	if (!(d >= -9007199254740992.0 && d <= 9007199254740992.0) ||
	    d != floor(d))
		return RECORD_NONE;
	return (int64_t)d;
}

static int
as_bool(const cJSON *v)
{
	if (!cJSON_IsBool(v))
		return -1;
	return cJSON_IsTrue(v) ? 1 : 0;
}

static const cJSON *
member(const cJSON *o, const char *k)
{
	return o != NULL ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
}

static const cJSON *
obj(const cJSON *o, const char *k)
{
	return as_obj(member(o, k));
}

static const char *
str(const cJSON *o, const char *k)
{
	return as_str(member(o, k));
}

static int64_t
num(const cJSON *o, const char *k)
{
	return as_num(member(o, k));
}

static int
boolean(const cJSON *o, const char *k)
{
	return as_bool(member(o, k));
}

/*
 * Set v[i] to the first member of o named keys[i], or NULL: what
 * cJSON_GetObjectItemCaseSensitive() returns, but found in one walk over
 * o's members instead of one walk per key.  The big objects (the record
 * and its tlsdiag block, 10 to 40 members) are read this way.
 */
static void
members(const cJSON *o, const char *const *keys, const cJSON **v, size_t n)
{
	const cJSON *c;
	size_t found = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = NULL;
	if (o == NULL)
		return;
	for (c = o->child; c != NULL && found < n; c = c->next) {
		if (c->string == NULL)
			continue;
		for (i = 0; i < n; i++) {
			if (v[i] == NULL && c->string[0] == keys[i][0] &&
			    strcmp(c->string, keys[i]) == 0) {
				v[i] = c;
				found++;
				break;
			}
		}
	}
}

enum {
	M_TLSDIAG,
	M_TIMESTAMP,
	M_EVENT,
	M_LEVEL,
	M_PROCESS,
	M_HOST,
	M_ERROR,
	M_TLS,
	M_SOURCE,
	M_DESTINATION,
	M_NROOT
};

static const char *const root_keys[M_NROOT] = { LOGFORMAT_M_TLSDIAG,
	LOGFORMAT_M_TIMESTAMP, LOGFORMAT_M_EVENT, LOGFORMAT_M_LEVEL,
	LOGFORMAT_M_PROCESS, LOGFORMAT_M_HOST, LOGFORMAT_M_ERROR,
	LOGFORMAT_M_TLS, LOGFORMAT_M_SOURCE, LOGFORMAT_M_DESTINATION };

enum {
	T_SCHEMA,
	T_SUPPRESSED,
	T_COVERAGE,
	T_CALL,
	T_SSL_ERROR,
	T_REASON,
	T_VERIFY_MESSAGE,
	T_VERIFY_CODE,
	T_ERRNO,
	T_ROLE,
	T_PHASE,
	T_TRANSPORT,
	T_AGE_S,
	T_BYTES,
	T_SHUTDOWN,
	T_STACK_ID,
	T_BACKTRACE,
	T_TRUNCATED,
	T_ERRORS,
	T_NTD
};

static const char *const td_keys[T_NTD] = { LOGFORMAT_M_SCHEMA,
	LOGFORMAT_M_SUPPRESSED, LOGFORMAT_M_COVERAGE, LOGFORMAT_M_CALL,
	LOGFORMAT_M_SSL_ERROR, LOGFORMAT_M_REASON, LOGFORMAT_M_VERIFY_MESSAGE,
	LOGFORMAT_M_VERIFY_CODE, LOGFORMAT_M_ERRNO, LOGFORMAT_M_ROLE,
	LOGFORMAT_M_PHASE, LOGFORMAT_M_TRANSPORT, LOGFORMAT_M_AGE_S,
	LOGFORMAT_M_BYTES, LOGFORMAT_M_SHUTDOWN, LOGFORMAT_M_STACK_ID,
	LOGFORMAT_M_BACKTRACE, LOGFORMAT_M_TRUNCATED, LOGFORMAT_M_ERRORS };

/*
 * Typed arrays are carved from the parse arena too and die with the tree.
 * If memory runs out an array reads as empty (the record still counts).
 */
static void *
alloc_array(size_t n, size_t size)
{
	if (n == 0 || n > SIZE_MAX / size)
		return NULL;
	return arena_alloc(&parse_arena, n * size);
}

/* A JSON array of strings: one slot per item, NULL if not a string. */
static const char *const *
str_array(const cJSON *arr, size_t *np)
{
	const char **v;
	const cJSON *c;
	size_t n;

	*np = 0;
	if (!cJSON_IsArray(arr))
		return NULL;
	n = (size_t)cJSON_GetArraySize(arr);
	v = alloc_array(n, sizeof(*v));
	if (v == NULL)
		return NULL;
	n = 0;
	cJSON_ArrayForEach(c, arr)
		v[n++] = as_str(c);
	*np = n;
	return v;
}

/* The object items of an array, and how many there are. */
static size_t
count_objects(const cJSON *arr)
{
	const cJSON *c;
	size_t n = 0;

	cJSON_ArrayForEach(c, arr)
		n += cJSON_IsObject(c) ? 1 : 0;
	return n;
}

static void
parse_frames(struct record *r, const cJSON *bt)
{
	struct record_frame *f;
	const cJSON *c;
	double d;
	size_t n = 0;

	if (!cJSON_IsArray(bt))
		return;
	r->has_backtrace = 1;
	f = alloc_array(count_objects(bt), sizeof(*f));
	if (f == NULL)
		return;
	cJSON_ArrayForEach(c, bt) {
		if (!cJSON_IsObject(c))
			continue;
		f[n].module = str(c, LOGFORMAT_M_MODULE);
		f[n].build_id = str(c, LOGFORMAT_M_BUILD_ID);
		f[n].symbol = str(c, LOGFORMAT_M_SYMBOL);
		f[n].offset = as_num(member(c, LOGFORMAT_M_OFFSET));
		d = (double)f[n].offset;
		if (f[n].offset != RECORD_NONE &&
		    !(d >= 0 && d < 9007199254740992.0))
			f[n].offset = RECORD_NONE;
		n++;
	}
	r->frames = f;
	r->nframes = n;
}

static void
parse_errors(struct record *r, const cJSON *errs)
{
	struct record_error *e;
	const cJSON *c;
	size_t n = 0;

	if (!cJSON_IsArray(errs))
		return;
	e = alloc_array(count_objects(errs), sizeof(*e));
	if (e == NULL)
		return;
	cJSON_ArrayForEach(c, errs) {
		if (!cJSON_IsObject(c))
			continue;
		e[n].code = num(c, LOGFORMAT_M_CODE);
		e[n].library = str(c, LOGFORMAT_M_LIBRARY);
		e[n].reason = str(c, LOGFORMAT_M_REASON);
		e[n].text = str(c, LOGFORMAT_M_TEXT);
		n++;
	}
	r->errors = e;
	r->nerrors = n;
}

/*
 * A count from an exit record: a positive number up to 2^53 (fractions
 * dropped), else 0 (converting 1e300 to an integer is undefined).
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

static const struct record_coverage *
parse_coverage(const cJSON *c)
{
	struct record_coverage *cov;
	struct record_library *lib;
	const cJSON *v;
	const cJSON *l;
	size_t n;

	if (c == NULL)
		return NULL;
	cov = arena_alloc(&parse_arena, sizeof(*cov));
	if (cov == NULL)
		return NULL;
	memset(cov, 0, sizeof(*cov));
	cov->tls_seen = cJSON_IsTrue(member(c, LOGFORMAT_M_TLS_SEEN));
	cov->static_openssl =
	    cJSON_IsTrue(member(c, LOGFORMAT_M_STATIC_OPENSSL));
	cov->internal_callers_only =
	    cJSON_IsTrue(member(c, LOGFORMAT_M_INTERNAL_ONLY));
	cov->records = count_of(member(c, LOGFORMAT_M_RECORDS));
	cov->dropped = count_of(member(c, LOGFORMAT_M_DROPPED));
	cov->followups = count_of(member(c, LOGFORMAT_M_FOLLOWUPS));
	v = member(c, LOGFORMAT_M_SUPPRESSED);
	cov->has_suppressed = cJSON_IsNumber(v);
	cov->suppressed = count_of(v);
	v = member(c, LOGFORMAT_M_LIBRARIES);
	if (cJSON_IsArray(v)) {
		lib = alloc_array((size_t)cJSON_GetArraySize(v), sizeof(*lib));
		n = 0;
		if (lib != NULL) {
			cJSON_ArrayForEach(l, v) {
				lib[n].scope =
				    str(as_obj(l), LOGFORMAT_M_SCOPE);
				lib[n].path = str(as_obj(l), LOGFORMAT_M_PATH);
				n++;
			}
		}
		cov->libraries = lib;
		cov->nlibraries = n;
	}
	cov->other_tls =
	    str_array(member(c, LOGFORMAT_M_OTHER_TLS), &cov->nother_tls);
	return cov;
}

/* The failure-specific fields; the peer depends on our role. */
static void
parse_failure(struct record *r, const cJSON *const *m, const cJSON *const *t)
{
	const cJSON *err = as_obj(m[M_ERROR]);
	const cJSON *tls = as_obj(m[M_TLS]);
	const cJSON *peer;
	const cJSON *side;
	const cJSON *x509;
	const cJSON *bytes;
	const cJSON *shut;
	int server;

	r->type = str(err, LOGFORMAT_M_ERROR_TYPE);
	r->errmsg = str(err, LOGFORMAT_M_ERROR_MESSAGE);
	r->call = as_str(t[T_CALL]);
	r->ssl_error = as_str(t[T_SSL_ERROR]);
	r->reason = as_str(t[T_REASON]);
	r->verify_message = as_str(t[T_VERIFY_MESSAGE]);
	r->verify_code = as_num(t[T_VERIFY_CODE]);
	r->errnum = as_num(t[T_ERRNO]);
	r->role = as_str(t[T_ROLE]);
	r->phase = as_str(t[T_PHASE]);
	r->transport = as_str(t[T_TRANSPORT]);
	r->age_s = as_num(t[T_AGE_S]);
	bytes = as_obj(t[T_BYTES]);
	r->bytes_read = num(bytes, LOGFORMAT_M_READ);
	r->bytes_written = num(bytes, LOGFORMAT_M_WRITTEN);
	shut = as_obj(t[T_SHUTDOWN]);
	r->shutdown_sent = boolean(shut, LOGFORMAT_M_SENT);
	r->shutdown_received = boolean(shut, LOGFORMAT_M_RECEIVED);
	r->stack_id = as_str(t[T_STACK_ID]);
	parse_frames(r, t[T_BACKTRACE]);
	parse_errors(r, t[T_ERRORS]);
	r->truncated = str_array(t[T_TRUNCATED], &r->ntruncated);
	r->sni = str(obj(tls, LOGFORMAT_M_CLIENT), LOGFORMAT_M_SERVER_NAME);
	server = r->role != NULL && strcmp(r->role, LOGFORMAT_ROLE_SERVER) == 0;
	peer = as_obj(m[server ? M_SOURCE : M_DESTINATION]);
	r->peer_ip = str(peer, LOGFORMAT_M_IP);
	r->peer_port = num(peer, LOGFORMAT_M_PORT);
	side = obj(tls, server ? LOGFORMAT_M_CLIENT : LOGFORMAT_M_SERVER);
	x509 = obj(side, LOGFORMAT_M_X509);
	r->cert_subject = str(obj(x509, LOGFORMAT_M_SUBJECT), LOGFORMAT_M_DN);
	r->cert_issuer = str(obj(x509, LOGFORMAT_M_ISSUER), LOGFORMAT_M_DN);
	r->cert_not_before = str(x509, LOGFORMAT_M_NOT_BEFORE);
	r->cert_not_after = str(x509, LOGFORMAT_M_NOT_AFTER);
	r->cert_serial = str(x509, LOGFORMAT_M_SERIAL);
	r->cert_sha256 = str(obj(side, LOGFORMAT_M_HASH), LOGFORMAT_M_SHA256);
}

/*
 * The required fields: is this a record we can count?  Fills m with the
 * record's top-level members and t with its tlsdiag block's.
 */
static enum record_status
check_tree(const cJSON *root, struct record *r, const cJSON **m,
    const cJSON **t)
{
	const cJSON *td;

	if (root == NULL)
		return RECORD_BAD_JSON;
	if (!cJSON_IsObject(root))
		return RECORD_NOT_OBJECT;
	members(root, root_keys, m, M_NROOT);
	td = as_obj(m[M_TLSDIAG]);
	members(td, td_keys, t, T_NTD);
	r->schema = as_num(t[T_SCHEMA]);
	if (r->schema == RECORD_NONE)
		return RECORD_NOT_TLSDIAG;
	if (r->schema > LOGFORMAT_SCHEMA)
		return RECORD_NEWER_SCHEMA;
	r->timestamp = as_str(m[M_TIMESTAMP]);
	r->action = str(as_obj(m[M_EVENT]), LOGFORMAT_M_ACTION);
	if (r->schema < 1 || r->timestamp == NULL || r->action == NULL ||
	    certtime_parse_rfc3339(r->timestamp, &r->ts) == -1)
		return RECORD_BAD_FIELD;
	return RECORD_OK;
}

enum record_status
record_parse(const char *line, size_t len, struct record *r)
{
	const cJSON *m[M_NROOT];
	const cJSON *t[T_NTD];
	const cJSON *proc;
	cJSON *root;
	enum record_status st;

	memset(r, 0, sizeof(*r));
	if (memchr(line, '\0', len) != NULL)
		return RECORD_NUL;
	root = parse_tree(line, len);
	st = check_tree(root, r, m, t);
	if (st != RECORD_OK) {
		release_tree();
		return st;
	}
	live_records++;
	r->root = root;
	r->line = line;
	r->len = len;
	r->level = as_str(m[M_LEVEL]);
	proc = as_obj(m[M_PROCESS]);
	r->pid = num(proc, LOGFORMAT_M_PID);
	r->tid = num(obj(proc, LOGFORMAT_M_THREAD), LOGFORMAT_M_THREAD_ID);
	r->exe = str(proc, LOGFORMAT_M_EXECUTABLE);
	r->name = str(proc, LOGFORMAT_M_NAME);
	if (r->name == NULL)
		r->name = path_base(r->exe);
	r->host = str(as_obj(m[M_HOST]), LOGFORMAT_M_HOSTNAME);
	r->verify_code = RECORD_NONE;
	r->errnum = RECORD_NONE;
	r->age_s = RECORD_NONE;
	r->bytes_read = RECORD_NONE;
	r->bytes_written = RECORD_NONE;
	r->peer_port = RECORD_NONE;
	r->shutdown_sent = -1;
	r->shutdown_received = -1;
	r->suppressed = as_num(t[T_SUPPRESSED]);
	r->is_failure = strcmp(r->action, LOGFORMAT_ACTION_FAILURE) == 0;
	if (r->is_failure)
		parse_failure(r, m, t);
	if (strcmp(r->action, LOGFORMAT_ACTION_EXIT) == 0)
		r->coverage = parse_coverage(as_obj(t[T_COVERAGE]));
	return RECORD_OK;
}

void
record_free(struct record *r)
{
	if (r->root == NULL)
		return;
	r->root = NULL;
	live_records--;
	release_tree();
}

const cJSON *
record_lookup(const cJSON *root, const char *path)
{
	const cJSON *c;
	const cJSON *best;
	size_t bestlen;
	size_t kl;

	while (root != NULL && *path != '\0') {
		if (!cJSON_IsObject(root))
			return NULL;
		best = NULL;
		bestlen = 0;
		for (c = root->child; c != NULL; c = c->next) {
			if (c->string == NULL)
				continue;
			kl = strlen(c->string);
			if (kl <= bestlen || strncmp(path, c->string, kl) != 0)
				continue;
			if (path[kl] != '\0' && path[kl] != '.')
				continue;
			best = c;
			bestlen = kl;
		}
		if (best == NULL)
			return NULL;
		root = best;
		path += bestlen;
		if (*path == '.')
			path++;
		else
			break;
	}
	return root;
}

const char *
record_canonical_type(const char *type)
{
	if (strcmp(type, "CertificateError") == 0)
		return "SSLCertVerificationError";
	return type;
}

/* Compare a JSON value with the text of a --where term by its type. */
static int
match_value(const cJSON *v, const char *want)
{
	char *end;
	double d;

	if (v == NULL)
		return 0;
	if (cJSON_IsString(v))
		return strcmp(v->valuestring, want) == 0;
	if (cJSON_IsNumber(v)) {
		d = strtod(want, &end);
		return *want != '\0' && *end == '\0' && d == v->valuedouble;
	}
	if (cJSON_IsTrue(v))
		return strcmp(want, "true") == 0;
	if (cJSON_IsFalse(v))
		return strcmp(want, "false") == 0;
	if (cJSON_IsNull(v))
		return strcmp(want, "null") == 0;
	return 0;
}

int
record_where(const struct record *r, const char *path, const char *want)
{
	return match_value(record_lookup(r->root, path), want);
}

char *
record_reencode(const struct record *r)
{
	/* Outside record_parse() cJSON allocates with malloc(). */
	return cJSON_PrintUnformatted(r->root);
}
