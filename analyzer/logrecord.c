/*
 * logrecord.c: turns one JSON line into a struct record.  Only @timestamp,
 * event.action and tlsdiag.schema are required; every other field is
 * optional and a field of the wrong type reads as absent, so records from
 * older or partial writers still count.
 */
#include "logrecord.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "certtime.h"
#include "jscan.h"
#include "logformat.h"
#include "pathbase.h"

/*
 * Decoded strings and typed arrays are carved from one arena per thread
 * (see arena.c), emptied when no parsed record of the thread is alive any
 * more; callers normally hold one at a time, so that is after every line.
 */
static _Thread_local struct arena parse_arena;
static _Thread_local unsigned long live_records;

static void
release_arena(void)
{
	if (live_records == 0)
		arena_reset(&parse_arena);
}

void
record_thread_done(void)
{
	if (live_records == 0)
		arena_free(&parse_arena);
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

/* An integral JSON number within +-2^53, else RECORD_NONE. */
static int64_t
as_int(double d)
{
	if (!(d >= -9007199254740992.0 && d <= 9007199254740992.0) ||
	    d != floor(d))
		return RECORD_NONE;
	return (int64_t)d;
}

/* A number member: its value and whether it was a number at all. */
struct scan_num {
	double v;
	int set;
};

/* A JSON array being collected into the arena. */
struct scan_vec {
	void *items;
	size_t n;
	size_t cap;
	int present; /* the member was an array */
};

struct scan_side {
	const char *subject;
	const char *issuer;
	const char *not_before;
	const char *not_after;
	const char *serial;
	const char *sha256;
	const char *server_name;
};

struct scan_peer {
	const char *ip;
	int64_t port;
};

/*
 * Everything record_parse() may need from a line, filled in one pass by
 * the tables below; record_parse() then picks what the record's action
 * and role call for.  Absent or mistyped members keep their defaults.
 */
struct scan {
	const char *timestamp;
	const char *action;
	const char *level;
	int64_t pid;
	int64_t tid;
	const char *exe;
	const char *name;
	const char *hostname;
	const char *type;
	const char *errmsg;
	struct scan_side client; /* tls.client */
	struct scan_side server; /* tls.server */
	struct scan_peer source;
	struct scan_peer destination;
	int64_t schema;
	int64_t suppressed;
	const char *call;
	const char *ssl_error;
	const char *reason;
	const char *verify_message;
	int64_t verify_code;
	int64_t errnum;
	const char *role;
	const char *phase;
	const char *transport;
	int64_t age_s;
	int64_t bytes_read;
	int64_t bytes_written;
	int sent;
	int received;
	const char *stack_id;
	struct scan_vec frames;	   /* struct record_frame */
	struct scan_vec errors;	   /* struct record_error */
	struct scan_vec truncated; /* const char * */
	int has_coverage;
	int tls_seen;
	int static_openssl;
	int internal_only;
	struct scan_num records;
	struct scan_num dropped;
	struct scan_num followups;
	struct scan_num cov_suppressed;
	struct scan_vec libraries; /* struct record_library */
	struct scan_vec other_tls; /* const char * */
};

enum field_kind {
	F_STR,	  /* const char *: a string, else untouched */
	F_INT,	  /* int64_t: an integral number (as_int) */
	F_BOOL,	  /* int: 1 for true, 0 for false */
	F_NUM,	  /* struct scan_num */
	F_OBJ,	  /* descend with sub, same base */
	F_MARK,	  /* int: set to 1 when the member is an object, then F_OBJ */
	F_FRAMES, /* struct scan_vec of the object items, parsed with sub */
	F_ERRORS, /* the same, struct record_error */
	F_LIBS,	  /* struct scan_vec, one struct record_library per item */
	F_STRS	  /* struct scan_vec, one const char * per item */
};

/*
 * One member an object level wants: where it goes (an offset into the
 * base the level writes to) and how it is read.
 */
struct ftable;

struct field {
	const char *name;
	unsigned char len;
	unsigned char kind;
	unsigned short off;
	struct ftable *sub;  /* its hash is filled at start-up */
	unsigned short mark; /* F_MARK: offset of the flag */
};

/* Most members one object level reads (the seen mask is 32 bits). */
#define FTABLE_MAX 32
/* Slots of a level's name hash. */
#define FTABLE_SLOTS 256

/*
 * One object level's members, with a hash of their names built once
 * (build_tables()): a name's first eight bytes and its length pick a slot
 * that holds the one member it can be, so a lookup is one compare, and a
 * name no member has (the many the report does not read) usually finds
 * an empty slot.
 */
struct ftable {
	const struct field *f;
	unsigned char n;
	unsigned char perfect;	   /* no two names share a slot */
	uint64_t mul;		   /* the hash's multiplier */
	uint64_t word[FTABLE_MAX]; /* each name's first 8 bytes, 0-padded */
	unsigned char slot[FTABLE_SLOTS]; /* member index + 1, or 0 */
};

#define FTABLE(table)                                                          \
	_Static_assert(sizeof(table) / sizeof(table[0]) <= FTABLE_MAX,         \
	    #table " has too many members");                                   \
	static struct ftable table##_t = { table,                              \
		sizeof(table) / sizeof(table[0]), 0, 0, { 0 }, { 0 } }

#define FLD(name, kind, type, member)                                          \
	{                                                                      \
		name, sizeof(name) - 1, kind, offsetof(type, member), NULL, 0  \
	}
#define SUB(name, table)                                                       \
	{                                                                      \
		name, sizeof(name) - 1, F_OBJ, 0, &table##_t, 0                \
	}
#define ARR(name, kind, member, table)                                         \
	{                                                                      \
		name, sizeof(name) - 1, kind, offsetof(struct scan, member),   \
		    &table##_t, 0                                              \
	}
#define STRS(name, member)                                                     \
	{                                                                      \
		name, sizeof(name) - 1, F_STRS, offsetof(struct scan, member), \
		    NULL, 0                                                    \
	}
#define S(name, member) FLD(name, F_STR, struct scan, member)
#define I(name, member) FLD(name, F_INT, struct scan, member)

static const struct field f_frame[] = {
	FLD(LOGFORMAT_M_MODULE, F_STR, struct record_frame, module),
	FLD(LOGFORMAT_M_BUILD_ID, F_STR, struct record_frame, build_id),
	FLD(LOGFORMAT_M_SYMBOL, F_STR, struct record_frame, symbol),
	FLD(LOGFORMAT_M_OFFSET, F_INT, struct record_frame, offset),
};
FTABLE(f_frame);

static const struct field f_error[] = {
	FLD(LOGFORMAT_M_CODE, F_INT, struct record_error, code),
	FLD(LOGFORMAT_M_LIBRARY, F_STR, struct record_error, library),
	FLD(LOGFORMAT_M_REASON, F_STR, struct record_error, reason),
	FLD(LOGFORMAT_M_TEXT, F_STR, struct record_error, text),
};
FTABLE(f_error);

static const struct field f_library[] = {
	FLD(LOGFORMAT_M_SCOPE, F_STR, struct record_library, scope),
	FLD(LOGFORMAT_M_PATH, F_STR, struct record_library, path),
};
FTABLE(f_library);

static const struct field f_coverage[] = {
	FLD(LOGFORMAT_M_TLS_SEEN, F_BOOL, struct scan, tls_seen),
	FLD(LOGFORMAT_M_STATIC_OPENSSL, F_BOOL, struct scan, static_openssl),
	FLD(LOGFORMAT_M_INTERNAL_ONLY, F_BOOL, struct scan, internal_only),
	FLD(LOGFORMAT_M_RECORDS, F_NUM, struct scan, records),
	FLD(LOGFORMAT_M_DROPPED, F_NUM, struct scan, dropped),
	FLD(LOGFORMAT_M_FOLLOWUPS, F_NUM, struct scan, followups),
	FLD(LOGFORMAT_M_SUPPRESSED, F_NUM, struct scan, cov_suppressed),
	ARR(LOGFORMAT_M_LIBRARIES, F_LIBS, libraries, f_library),
	STRS(LOGFORMAT_M_OTHER_TLS, other_tls),
};
FTABLE(f_coverage);

static const struct field f_bytes[] = {
	I(LOGFORMAT_M_READ, bytes_read),
	I(LOGFORMAT_M_WRITTEN, bytes_written),
};
FTABLE(f_bytes);

static const struct field f_shutdown[] = {
	FLD(LOGFORMAT_M_SENT, F_BOOL, struct scan, sent),
	FLD(LOGFORMAT_M_RECEIVED, F_BOOL, struct scan, received),
};
FTABLE(f_shutdown);

static const struct field f_tlsdiag[] = {
	I(LOGFORMAT_M_SCHEMA, schema),
	I(LOGFORMAT_M_SUPPRESSED, suppressed),
	{ LOGFORMAT_M_COVERAGE, sizeof(LOGFORMAT_M_COVERAGE) - 1, F_MARK, 0,
	    &f_coverage_t, offsetof(struct scan, has_coverage) },
	S(LOGFORMAT_M_CALL, call),
	S(LOGFORMAT_M_SSL_ERROR, ssl_error),
	S(LOGFORMAT_M_REASON, reason),
	S(LOGFORMAT_M_VERIFY_MESSAGE, verify_message),
	I(LOGFORMAT_M_VERIFY_CODE, verify_code),
	I(LOGFORMAT_M_ERRNO, errnum),
	S(LOGFORMAT_M_ROLE, role),
	S(LOGFORMAT_M_PHASE, phase),
	S(LOGFORMAT_M_TRANSPORT, transport),
	I(LOGFORMAT_M_AGE_S, age_s),
	SUB(LOGFORMAT_M_BYTES, f_bytes),
	SUB(LOGFORMAT_M_SHUTDOWN, f_shutdown),
	S(LOGFORMAT_M_STACK_ID, stack_id),
	ARR(LOGFORMAT_M_BACKTRACE, F_FRAMES, frames, f_frame),
	STRS(LOGFORMAT_M_TRUNCATED, truncated),
	ARR(LOGFORMAT_M_ERRORS, F_ERRORS, errors, f_error),
};
FTABLE(f_tlsdiag);

/* tls.{client,server}.x509 and .hash, one table per side */
#define SIDE_TABLES(side)                                                      \
	static const struct field f_##side##_subject[] = {                     \
		S(LOGFORMAT_M_DN, side.subject),                               \
	};                                                                     \
	FTABLE(f_##side##_subject);                                            \
	static const struct field f_##side##_issuer[] = {                      \
		S(LOGFORMAT_M_DN, side.issuer),                                \
	};                                                                     \
	FTABLE(f_##side##_issuer);                                             \
	static const struct field f_##side##_x509[] = {                        \
		SUB(LOGFORMAT_M_SUBJECT, f_##side##_subject),                  \
		SUB(LOGFORMAT_M_ISSUER, f_##side##_issuer),                    \
		S(LOGFORMAT_M_NOT_BEFORE, side.not_before),                    \
		S(LOGFORMAT_M_NOT_AFTER, side.not_after),                      \
		S(LOGFORMAT_M_SERIAL, side.serial),                            \
	};                                                                     \
	FTABLE(f_##side##_x509);                                               \
	static const struct field f_##side##_hash[] = {                        \
		S(LOGFORMAT_M_SHA256, side.sha256),                            \
	};                                                                     \
	FTABLE(f_##side##_hash);                                               \
	static const struct field f_##side[] = {                               \
		SUB(LOGFORMAT_M_X509, f_##side##_x509),                        \
		SUB(LOGFORMAT_M_HASH, f_##side##_hash),                        \
		S(LOGFORMAT_M_SERVER_NAME, side.server_name),                  \
	};                                                                     \
	FTABLE(f_##side)
SIDE_TABLES(client);
SIDE_TABLES(server);

static const struct field f_tls[] = {
	SUB(LOGFORMAT_M_CLIENT, f_client),
	SUB(LOGFORMAT_M_SERVER, f_server),
};
FTABLE(f_tls);

static const struct field f_event[] = { S(LOGFORMAT_M_ACTION, action) };
FTABLE(f_event);
static const struct field f_thread[] = { I(LOGFORMAT_M_THREAD_ID, tid) };
FTABLE(f_thread);
static const struct field f_process[] = {
	I(LOGFORMAT_M_PID, pid),
	SUB(LOGFORMAT_M_THREAD, f_thread),
	S(LOGFORMAT_M_EXECUTABLE, exe),
	S(LOGFORMAT_M_NAME, name),
};
FTABLE(f_process);
static const struct field f_host[] = { S(LOGFORMAT_M_HOSTNAME, hostname) };
FTABLE(f_host);
static const struct field f_error_obj[] = {
	S(LOGFORMAT_M_ERROR_TYPE, type),
	S(LOGFORMAT_M_ERROR_MESSAGE, errmsg),
};
FTABLE(f_error_obj);
static const struct field f_source[] = {
	S(LOGFORMAT_M_IP, source.ip),
	I(LOGFORMAT_M_PORT, source.port),
};
FTABLE(f_source);
static const struct field f_destination[] = {
	S(LOGFORMAT_M_IP, destination.ip),
	I(LOGFORMAT_M_PORT, destination.port),
};
FTABLE(f_destination);

static const struct field f_root[] = {
	S(LOGFORMAT_M_TIMESTAMP, timestamp),
	SUB(LOGFORMAT_M_EVENT, f_event),
	S(LOGFORMAT_M_LEVEL, level),
	SUB(LOGFORMAT_M_PROCESS, f_process),
	SUB(LOGFORMAT_M_HOST, f_host),
	SUB(LOGFORMAT_M_ERROR, f_error_obj),
	SUB(LOGFORMAT_M_TLS, f_tls),
	SUB(LOGFORMAT_M_SOURCE, f_source),
	SUB(LOGFORMAT_M_DESTINATION, f_destination),
	SUB(LOGFORMAT_M_TLSDIAG, f_tlsdiag),
};
FTABLE(f_root);

/*
 * A string value decoded into the arena, or NULL if memory ran out.  The
 * line holds no NUL (record_parse() checked), so a string without an
 * escape is copied as it is.
 */
static const char *
arena_string(const struct jvalue *v)
{
	char *d = arena_alloc(&parse_arena, v->rawlen + 1);

	if (d == NULL)
		return NULL;
	if (v->escaped) {
		jscan_string(v, d);
	} else {
		memcpy(d, v->raw, v->rawlen);
		d[v->rawlen] = '\0';
	}
	return d;
}

/* The first eight bytes of a name of len bytes at p, zero-padded; the
 * line ends at end (the bytes after a short name may not be there). */
static inline uint64_t
name_word(const char *p, size_t len, const char *end)
{
	uint64_t w = 0;

	if (len == 0)
		return 0;
	if (len >= 8 || end - p >= 8) {
		memcpy(&w, p, 8);
		if (len < 8)
			w &= ~(uint64_t)0 >> (64 - 8 * len);
	} else {
		memcpy(&w, p, len);
	}
	return w;
}

static inline unsigned
name_slot(const struct ftable *t, uint64_t w, size_t len)
{
	return (unsigned)(((w ^ len) * t->mul) >> 56);
}

/*
 * Fill t's hash: a multiplier under which no two of its names share a
 * slot (tried in turn; the tables are small), else one where they may,
 * which field_index() then checks by walking the table.
 */
static void
build_table(struct ftable *t)
{
	uint64_t mul = 0x9e3779b97f4a7c15ULL;
	unsigned char used[FTABLE_SLOTS];
	unsigned k, i, sl;

	for (i = 0; i < t->n; i++)
		t->word[i] = name_word(t->f[i].name, t->f[i].len,
		    t->f[i].name + t->f[i].len);
	for (k = 0; k < 64;
	     k++, mul = mul * 0x5851f42d4c957f2dULL + 2 * k + 1) {
		memset(used, 0, sizeof(used));
		t->mul = mul | 1;
		for (i = 0; i < t->n; i++) {
			sl = name_slot(t, t->word[i], t->f[i].len);
			if (used[sl]++ != 0)
				break;
		}
		if (i == t->n) {
			t->perfect = 1;
			break;
		}
	}
	memset(t->slot, 0, sizeof(t->slot));
	for (i = t->n; i-- > 0;)
		t->slot[name_slot(t, t->word[i], t->f[i].len)] =
		    (unsigned char)(i + 1);
	for (i = 0; i < t->n; i++)
		if (t->f[i].sub != NULL)
			build_table(t->f[i].sub);
}

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void
build_tables(void)
{
	build_table(&f_root_t);
}

/* Are the bytes of a name at a, len long, past its first eight, those of
 * b?  Member names are short: a loop here costs less than memcmp. */
static int
same_tail(const char *a, const char *b, size_t len)
{
	size_t i;

	for (i = 8; i < len; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/*
 * The index of the member named k in t, or -1.  Names are compared as C
 * strings, as cJSON does: a name with an escape is decoded first.
 */
static int
field_index(const struct ftable *t, const struct jvalue *k, const char *end)
{
	char buf[64];
	const char *name = k->raw;
	size_t len = k->rawlen;
	uint64_t w;
	unsigned i;

	if (k->escaped) {
		if (k->rawlen >= sizeof(buf)) {
			name = arena_string(k);
			if (name == NULL)
				return -1;
		} else {
			jscan_string(k, buf);
			name = buf;
		}
		len = strlen(name);
		end = name + len;
	}
	if (len == 0)
		return -1;
	w = name_word(name, len, end);
	i = t->slot[name_slot(t, w, len)];
	if (i != 0) {
		i--;
		if (t->word[i] == w && t->f[i].len == len &&
		    same_tail(t->f[i].name, name, len))
			return (int)i;
	}
	if (t->perfect)
		return -1;
	for (i = 0; i < t->n; i++)
		if (t->word[i] == w && t->f[i].len == len &&
		    same_tail(t->f[i].name, name, len))
			return (int)i;
	return -1;
}

/* Append item (size bytes) to v, growing it in the arena. */
static void
vec_push(struct scan_vec *v, const void *item, size_t size)
{
	void *grown;
	size_t cap;

	if (v->n == v->cap) {
		cap = v->cap != 0 ? v->cap * 2 : 8;
		grown = arena_alloc(&parse_arena, cap * size);
		if (grown == NULL)
			return; /* the array reads shorter; the record counts */
		if (v->n != 0)
			memcpy(grown, v->items, v->n * size);
		v->items = grown;
		v->cap = cap;
	}
	memcpy((char *)v->items + v->n * size, item, size);
	v->n++;
}

static int parse_object(struct jscan *s, const struct ftable *t, void *base);

/* The defaults of an array item the tables fill. */
static void
item_defaults(enum field_kind kind, void *item)
{
	struct record_frame *f = item;
	struct record_error *e = item;

	if (kind == F_FRAMES) {
		memset(f, 0, sizeof(*f));
		f->offset = RECORD_NONE;
	} else if (kind == F_ERRORS) {
		memset(e, 0, sizeof(*e));
		e->code = RECORD_NONE;
	} else {
		memset(item, 0, sizeof(struct record_library));
	}
}

/*
 * An array member: object items parsed with f->sub (F_FRAMES, F_ERRORS
 * keep only those; F_LIBS keeps one slot per item), or strings (F_STRS,
 * one slot per item).  Returns 0 or -1 (invalid JSON).
 */
static int
parse_array(struct jscan *s, const struct field *f, struct scan_vec *vec)
{
	union {
		struct record_frame f;
		struct record_error e;
		struct record_library l;
	} item;
	struct jvalue v;
	const char *str;
	enum field_kind kind = (enum field_kind)f->kind;
	int first = 1;
	int rc;

	vec->present = 1;
	if (jscan_enter(s) == -1)
		return -1;
	while ((rc = jscan_item(s, &first)) == 1) {
		if (kind == F_STRS) {
			if (jscan_value(s, &v) == -1)
				return -1;
			str = v.type == JSCAN_STRING ? arena_string(&v) : NULL;
			vec_push(vec, &str, sizeof(str));
			continue;
		}
		item_defaults(kind, &item);
		if (jscan_peek(s) == JSCAN_OBJECT) {
			if (parse_object(s, f->sub, &item) == -1)
				return -1;
		} else {
			if (jscan_value(s, NULL) == -1)
				return -1;
			if (kind != F_LIBS)
				continue;
		}
		vec_push(vec, &item,
		    kind == F_FRAMES	 ? sizeof(item.f) :
			kind == F_ERRORS ? sizeof(item.e) :
					   sizeof(item.l));
	}
	return rc;
}

/* Read the value of member f into base.  Returns 0 or -1 (invalid). */
static int
parse_field(struct jscan *s, const struct field *f, void *base)
{
	char *at = (char *)base + f->off;
	enum jscan_type t = jscan_peek(s);
	struct scan_num *num;
	struct jvalue v;

	switch (f->kind) {
	case F_MARK:
	case F_OBJ:
		if (t != JSCAN_OBJECT)
			break;
		if (f->kind == F_MARK)
			*(int *)((char *)base + f->mark) = 1;
		return parse_object(s, f->sub, base);
	case F_FRAMES:
	case F_ERRORS:
	case F_LIBS:
	case F_STRS:
		if (t != JSCAN_ARRAY)
			break;
		return parse_array(s, f, (struct scan_vec *)(void *)at);
	default:
		break;
	}
	if (jscan_value(s, &v) == -1)
		return -1;
	switch (f->kind) {
	case F_STR:
		if (v.type == JSCAN_STRING)
			*(const char **)(void *)at = arena_string(&v);
		break;
	case F_INT:
		if (v.type == JSCAN_NUMBER)
			*(int64_t *)(void *)at = as_int(v.num);
		break;
	case F_BOOL:
		if (v.type == JSCAN_TRUE || v.type == JSCAN_FALSE)
			*(int *)(void *)at = v.type == JSCAN_TRUE;
		break;
	case F_NUM:
		num = (struct scan_num *)(void *)at;
		num->set = v.type == JSCAN_NUMBER;
		num->v = v.num;
		break;
	default:
		break;
	}
	return 0;
}

/*
 * The object at s (jscan_peek() said so): the members t names are read
 * into base, the first of each name only (cJSON's lookup finds the
 * first), all others validated and skipped.  Returns 0 or -1 (invalid).
 */
static int
parse_object(struct jscan *s, const struct ftable *t, void *base)
{
	struct jvalue key;
	uint32_t seen = 0;
	int first = 1;
	int rc;
	int i;

	if (jscan_enter(s) == -1)
		return -1;
	while ((rc = jscan_member(s, &first, &key)) == 1) {
		i = field_index(t, &key, s->end);
		if (i < 0 || (seen & (1u << i)) != 0) {
			if (jscan_value(s, NULL) == -1)
				return -1;
			continue;
		}
		seen |= 1u << i;
		if (parse_field(s, &t->f[i], base) == -1)
			return -1;
	}
	return rc;
}

static void
scan_defaults(struct scan *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->pid = sc->tid = sc->schema = sc->suppressed = RECORD_NONE;
	sc->verify_code = sc->errnum = sc->age_s = RECORD_NONE;
	sc->bytes_read = sc->bytes_written = RECORD_NONE;
	sc->source.port = sc->destination.port = RECORD_NONE;
	sc->sent = sc->received = -1;
}

/*
 * Scan the whole line into *sc.  Returns RECORD_OK, RECORD_BAD_JSON or
 * RECORD_NOT_OBJECT.
 */
static enum record_status
scan_line(const char *line, size_t len, struct scan *sc)
{
	struct jscan s;

	scan_defaults(sc);
	jscan_init(&s, line, len);
	if (jscan_peek(&s) != JSCAN_OBJECT) {
		if (jscan_value(&s, NULL) == -1 || jscan_finish(&s) == -1)
			return RECORD_BAD_JSON;
		return RECORD_NOT_OBJECT;
	}
	if (parse_object(&s, &f_root_t, sc) == -1 || jscan_finish(&s) == -1)
		return RECORD_BAD_JSON;
	return RECORD_OK;
}

/*
 * A count from an exit record: a positive number up to 2^53 (fractions
 * dropped), else 0 (converting 1e300 to an integer is undefined).
 */
static uint64_t
count_of(const struct scan_num *n)
{
	if (!n->set || !(n->v > 0 && n->v <= 9007199254740992.0))
		return 0;
	return (uint64_t)n->v;
}

static const struct record_coverage *
make_coverage(const struct scan *sc)
{
	struct record_coverage *cov;

	cov = arena_alloc(&parse_arena, sizeof(*cov));
	if (cov == NULL)
		return NULL;
	memset(cov, 0, sizeof(*cov));
	cov->tls_seen = sc->tls_seen == 1;
	cov->static_openssl = sc->static_openssl == 1;
	cov->internal_callers_only = sc->internal_only == 1;
	cov->records = count_of(&sc->records);
	cov->dropped = count_of(&sc->dropped);
	cov->followups = count_of(&sc->followups);
	cov->has_suppressed = sc->cov_suppressed.set;
	cov->suppressed = count_of(&sc->cov_suppressed);
	cov->libraries = sc->libraries.items;
	cov->nlibraries = sc->libraries.n;
	cov->other_tls = sc->other_tls.items;
	cov->nother_tls = sc->other_tls.n;
	return cov;
}

/* The failure-specific fields; the peer depends on our role. */
static void
fill_failure(struct record *r, const struct scan *sc)
{
	const struct scan_side *side;
	const struct scan_peer *peer;
	struct record_frame *f;
	size_t i;
	int server;

	r->type = sc->type;
	r->errmsg = sc->errmsg;
	r->call = sc->call;
	r->ssl_error = sc->ssl_error;
	r->reason = sc->reason;
	r->verify_message = sc->verify_message;
	r->verify_code = sc->verify_code;
	r->errnum = sc->errnum;
	r->role = sc->role;
	r->phase = sc->phase;
	r->transport = sc->transport;
	r->age_s = sc->age_s;
	r->bytes_read = sc->bytes_read;
	r->bytes_written = sc->bytes_written;
	r->shutdown_sent = sc->sent;
	r->shutdown_received = sc->received;
	r->stack_id = sc->stack_id;
	r->has_backtrace = sc->frames.present;
	f = sc->frames.items;
	for (i = 0; i < sc->frames.n; i++) {
		if (f[i].offset != RECORD_NONE &&
		    !(f[i].offset >= 0 && f[i].offset < 9007199254740992LL))
			f[i].offset = RECORD_NONE;
	}
	r->frames = f;
	r->nframes = sc->frames.n;
	r->errors = sc->errors.items;
	r->nerrors = sc->errors.n;
	r->truncated = sc->truncated.items;
	r->ntruncated = sc->truncated.n;
	r->sni = sc->client.server_name;
	server = r->role != NULL && strcmp(r->role, LOGFORMAT_ROLE_SERVER) == 0;
	peer = server ? &sc->source : &sc->destination;
	r->peer_ip = peer->ip;
	r->peer_port = peer->port;
	side = server ? &sc->client : &sc->server;
	r->cert_subject = side->subject;
	r->cert_issuer = side->issuer;
	r->cert_not_before = side->not_before;
	r->cert_not_after = side->not_after;
	r->cert_serial = side->serial;
	r->cert_sha256 = side->sha256;
}

/*
 * The required fields: is this a record we can count?  Only
 * @timestamp, event.action and tlsdiag.schema are required.
 */
static enum record_status
check_required(const struct scan *sc, struct record *r)
{
	r->schema = sc->schema;
	if (r->schema == RECORD_NONE)
		return RECORD_NOT_TLSDIAG;
	if (r->schema > LOGFORMAT_SCHEMA)
		return RECORD_NEWER_SCHEMA;
	r->timestamp = sc->timestamp;
	r->action = sc->action;
	if (r->schema < 1 || r->timestamp == NULL || r->action == NULL ||
	    certtime_parse_rfc3339(r->timestamp, &r->ts) == -1)
		return RECORD_BAD_FIELD;
	return RECORD_OK;
}

enum record_status
record_parse(const char *line, size_t len, struct record *r)
{
	struct scan sc;
	enum record_status st;

	memset(r, 0, sizeof(*r));
	if (memchr(line, '\0', len) != NULL)
		return RECORD_NUL;
	pthread_once(&tables_once, build_tables);
	st = scan_line(line, len, &sc);
	if (st == RECORD_OK)
		st = check_required(&sc, r);
	if (st != RECORD_OK) {
		memset(r, 0, sizeof(*r));
		release_arena();
		return st;
	}
	live_records++;
	r->live = 1;
	r->line = line;
	r->len = len;
	r->level = sc.level;
	r->pid = sc.pid;
	r->tid = sc.tid;
	r->exe = sc.exe;
	r->name = sc.name;
	if (r->name == NULL)
		r->name = path_base(r->exe);
	r->host = sc.hostname;
	r->verify_code = RECORD_NONE;
	r->errnum = RECORD_NONE;
	r->age_s = RECORD_NONE;
	r->bytes_read = RECORD_NONE;
	r->bytes_written = RECORD_NONE;
	r->peer_port = RECORD_NONE;
	r->shutdown_sent = -1;
	r->shutdown_received = -1;
	r->suppressed = sc.suppressed;
	r->is_failure = strcmp(r->action, LOGFORMAT_ACTION_FAILURE) == 0;
	if (r->is_failure)
		fill_failure(r, &sc);
	if (sc.has_coverage && strcmp(r->action, LOGFORMAT_ACTION_EXIT) == 0)
		r->coverage = make_coverage(&sc);
	return RECORD_OK;
}

void
record_free(struct record *r)
{
	if (!r->live)
		return;
	r->live = 0;
	live_records--;
	release_arena();
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
match_value(const struct jvalue *v, const char *want)
{
	char *end;
	double d;

	switch (v->type) {
	case JSCAN_STRING:
		return jscan_string_eq(v, want);
	case JSCAN_NUMBER:
		d = strtod(want, &end);
		return *want != '\0' && *end == '\0' && d == v->num;
	case JSCAN_TRUE:
		return strcmp(want, "true") == 0;
	case JSCAN_FALSE:
		return strcmp(want, "false") == 0;
	case JSCAN_NULL:
		return strcmp(want, "null") == 0;
	default:
		return 0;
	}
}

int
record_where(const struct record *r, const char *path, const char *want)
{
	struct jvalue v;

	if (jscan_paths(r->line, r->len, &path, 1, &v) == -1)
		return 0;
	return match_value(&v, want);
}

/*
 * cJSON earns its place here: this runs only for a line with a number
 * strict JSON does not allow, and re-encoding needs the whole tree.
 */
char *
record_reencode(const struct record *r)
{
	cJSON *root;
	char *enc;

	root = cJSON_ParseWithLengthOpts(r->line, r->len + 1, NULL, 1);
	if (root == NULL)
		return NULL;
	enc = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return enc;
}
