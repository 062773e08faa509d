/*
 * record.c: turns one JSON line into a struct record.  Only @timestamp,
 * event.action and tlsdiag.schema are required; every other field is
 * optional and a field of the wrong type reads as absent, so records from
 * older or partial writers still count.
 */
#include "record.h"

#include <math.h>
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

static const char *const root_keys[M_NROOT] = { "tlsdiag", "@timestamp",
	"event", "log.level", "process", "host", "error", "tls", "source",
	"destination" };

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
	T_NTD
};

static const char *const td_keys[T_NTD] = { "schema", "suppressed", "coverage",
	"call", "ssl_error", "reason", "verify_message", "verify_code", "errno",
	"role", "phase", "transport", "age_s", "bytes", "shutdown", "stack_id",
	"backtrace", "truncated" };

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

	r->type = str(err, "type");
	r->errmsg = str(err, "message");
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
	r->bytes_read = num(bytes, "read");
	r->bytes_written = num(bytes, "written");
	shut = as_obj(t[T_SHUTDOWN]);
	r->shutdown_sent = boolean(shut, "sent");
	r->shutdown_received = boolean(shut, "received");
	r->stack_id = as_str(t[T_STACK_ID]);
	r->backtrace = cJSON_IsArray(t[T_BACKTRACE]) ? t[T_BACKTRACE] : NULL;
	r->truncated = cJSON_IsArray(t[T_TRUNCATED]) &&
		cJSON_GetArraySize(t[T_TRUNCATED]) > 0 ?
	    t[T_TRUNCATED] :
	    NULL;
	r->sni = str(obj(tls, "client"), "server_name");
	server = r->role != NULL && strcmp(r->role, "server") == 0;
	peer = as_obj(m[server ? M_SOURCE : M_DESTINATION]);
	r->peer_ip = str(peer, "ip");
	r->peer_port = num(peer, "port");
	side = obj(tls, server ? "client" : "server");
	x509 = obj(side, "x509");
	r->cert_subject = str(obj(x509, "subject"), "distinguished_name");
	r->cert_issuer = str(obj(x509, "issuer"), "distinguished_name");
	r->cert_not_before = str(x509, "not_before");
	r->cert_not_after = str(x509, "not_after");
	r->cert_serial = str(x509, "serial_number");
	r->cert_sha256 = str(obj(side, "hash"), "sha256");
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
	r->action = str(as_obj(m[M_EVENT]), "action");
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
	r->pid = num(proc, "pid");
	r->tid = num(obj(proc, "thread"), "id");
	r->exe = str(proc, "executable");
	r->name = str(proc, "name");
	if (r->name == NULL)
		r->name = path_base(r->exe);
	r->host = str(as_obj(m[M_HOST]), "hostname");
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
		r->coverage = as_obj(t[T_COVERAGE]);
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
