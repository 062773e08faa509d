/*
 * record.c: turns one JSON line into a struct record.  Only @timestamp,
 * event.action and tlsdiag.schema are required; every other field is
 * optional and a field of the wrong type reads as absent, so records from
 * older or partial writers still count.
 */
#include "record.h"

#include <math.h>
#include <string.h>

#include "certtime.h"
#include "logformat.h"

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

static const cJSON *
obj(const cJSON *o, const char *k)
{
	const cJSON *v;

	if (o == NULL)
		return NULL;
	v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsObject(v) ? v : NULL;
}

static const char *
str(const cJSON *o, const char *k)
{
	const cJSON *v;

	if (o == NULL)
		return NULL;
	v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* An integral JSON number within +-2^53, else RECORD_NONE. */
static int64_t
num(const cJSON *o, const char *k)
{
	const cJSON *v;
	double d;

	if (o == NULL)
		return RECORD_NONE;
	v = cJSON_GetObjectItemCaseSensitive(o, k);
	if (!cJSON_IsNumber(v))
		return RECORD_NONE;
	d = v->valuedouble;
	if (!(d >= -9007199254740992.0 && d <= 9007199254740992.0) ||
	    d != floor(d))
		return RECORD_NONE;
	return (int64_t)d;
}

static int
boolean(const cJSON *o, const char *k)
{
	const cJSON *v;

	if (o == NULL)
		return -1;
	v = cJSON_GetObjectItemCaseSensitive(o, k);
	if (!cJSON_IsBool(v))
		return -1;
	return cJSON_IsTrue(v) ? 1 : 0;
}

static const char *
basename_of(const char *path)
{
	const char *s;

	if (path == NULL)
		return NULL;
	s = strrchr(path, '/');
	return s != NULL ? s + 1 : path;
}

/* The failure-specific fields; the peer depends on our role. */
static void
parse_failure(struct record *r, const cJSON *root, const cJSON *td)
{
	const cJSON *err = obj(root, "error");
	const cJSON *tls = obj(root, "tls");
	const cJSON *peer;
	const cJSON *side;
	const cJSON *x509;
	const cJSON *bytes;
	const cJSON *bt;
	int server;

	r->type = str(err, "type");
	r->errmsg = str(err, "message");
	r->call = str(td, "call");
	r->ssl_error = str(td, "ssl_error");
	r->reason = str(td, "reason");
	r->verify_message = str(td, "verify_message");
	r->verify_code = num(td, "verify_code");
	r->errnum = num(td, "errno");
	r->role = str(td, "role");
	r->phase = str(td, "phase");
	r->transport = str(td, "transport");
	r->age_ms = num(td, "age_ms");
	bytes = obj(td, "bytes");
	r->bytes_read = num(bytes, "read");
	r->bytes_written = num(bytes, "written");
	r->shutdown_sent = boolean(obj(td, "shutdown"), "sent");
	r->shutdown_received = boolean(obj(td, "shutdown"), "received");
	r->stack_id = str(td, "stack_id");
	bt = cJSON_GetObjectItemCaseSensitive(td, "backtrace");
	r->backtrace = cJSON_IsArray(bt) ? bt : NULL;
	r->sni = str(obj(tls, "client"), "server_name");
	server = r->role != NULL && strcmp(r->role, "server") == 0;
	peer = obj(root, server ? "source" : "destination");
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

enum record_status
record_parse(const char *line, size_t len, struct record *r)
{
	const cJSON *td;
	const cJSON *proc;
	cJSON *root;

	memset(r, 0, sizeof(*r));
	if (memchr(line, '\0', len) != NULL)
		return RECORD_NUL;
	/* len + 1: cJSON wants the NUL inside the buffer to see the end. */
	root = cJSON_ParseWithLengthOpts(line, len + 1, NULL, 1);
	if (root == NULL)
		return RECORD_BAD_JSON;
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return RECORD_NOT_OBJECT;
	}
	td = obj(root, "tlsdiag");
	r->schema = num(td, "schema");
	if (r->schema == RECORD_NONE) {
		cJSON_Delete(root);
		return RECORD_NOT_TLSDIAG;
	}
	if (r->schema > LOGFORMAT_SCHEMA) {
		cJSON_Delete(root);
		return RECORD_NEWER_SCHEMA;
	}
	r->timestamp = str(root, "@timestamp");
	r->action = str(obj(root, "event"), "action");
	if (r->schema < 1 || r->timestamp == NULL || r->action == NULL ||
	    certtime_parse_rfc3339(r->timestamp, &r->ts) == -1) {
		cJSON_Delete(root);
		return RECORD_BAD_FIELD;
	}
	r->root = root;
	r->line = line;
	r->len = len;
	r->level = str(root, "log.level");
	proc = obj(root, "process");
	r->pid = num(proc, "pid");
	r->tid = num(obj(proc, "thread"), "id");
	r->exe = str(proc, "executable");
	r->name = str(proc, "name");
	if (r->name == NULL)
		r->name = basename_of(r->exe);
	r->host = str(obj(root, "host"), "hostname");
	r->verify_code = RECORD_NONE;
	r->errnum = RECORD_NONE;
	r->age_ms = RECORD_NONE;
	r->bytes_read = RECORD_NONE;
	r->bytes_written = RECORD_NONE;
	r->peer_port = RECORD_NONE;
	r->shutdown_sent = -1;
	r->shutdown_received = -1;
	r->suppressed = num(td, "suppressed");
	r->is_failure = strcmp(r->action, LOGFORMAT_ACTION_FAILURE) == 0;
	if (r->is_failure)
		parse_failure(r, root, td);
	if (strcmp(r->action, LOGFORMAT_ACTION_EXIT) == 0)
		r->coverage = obj(td, "coverage");
	return RECORD_OK;
}

void
record_free(struct record *r)
{
	cJSON_Delete(r->root);
	r->root = NULL;
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
