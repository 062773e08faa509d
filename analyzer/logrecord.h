/* logrecord.h: one parsed log line, with the fields the analyzer uses. */
#ifndef TLSDIAG_ANALYZER_LOGRECORD_H
#define TLSDIAG_ANALYZER_LOGRECORD_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* Why a line was skipped; RECORD_OK when it was not. */
enum record_status {
	RECORD_OK = 0,
	RECORD_TOO_LONG,     /* over the line cap (set by the reader) */
	RECORD_TRUNCATED,    /* no newline at end of input (reader) */
	RECORD_NUL,	     /* contains a NUL byte */
	RECORD_BAD_JSON,     /* not valid JSON */
	RECORD_NOT_OBJECT,   /* valid JSON, but not an object */
	RECORD_NOT_TLSDIAG,  /* no integer tlsdiag.schema */
	RECORD_BAD_FIELD,    /* a required field is missing or mistyped */
	RECORD_NEWER_SCHEMA, /* tlsdiag.schema newer than we know */
	RECORD_TORN,	     /* a record cut short (report.c) */
	RECORD_NSTATUS
};

/* Absent integer fields read as this. */
#define RECORD_NONE INT64_MIN

/* One tlsdiag.backtrace frame (an object; other items are left out). */
struct record_frame {
	const char *module; /* NULL when absent or not a string */
	const char *build_id;
	const char *symbol;
	int64_t offset; /* a non-negative integer below 2^53, else
			 * RECORD_NONE */
};

/* One tlsdiag.errors entry (an object; other items are left out). */
struct record_error {
	int64_t code;
	const char *library;
	const char *reason;
	const char *text;
};

/* One tlsdiag.coverage.libraries item; both NULL if not an object. */
struct record_library {
	const char *scope;
	const char *path;
};

/*
 * tlsdiag.coverage of an exit record.  Booleans are 1 only for a JSON
 * true.  Counts are a positive integral-or-not number up to 2^53 taken
 * as an integer (truncated), else 0.  Arrays keep one slot per JSON item,
 * NULL where the item is not of the expected type, so their lengths are
 * the JSON arrays' lengths.
 */
struct record_coverage {
	int tls_seen;
	int static_openssl;
	int internal_callers_only;
	uint64_t records;
	uint64_t dropped;
	uint64_t followups;
	int has_suppressed; /* suppressed is a number */
	uint64_t suppressed;
	const struct record_library *libraries;
	size_t nlibraries;
	const char *const *other_tls;
	size_t nother_tls;
};

/*
 * A typed record: nothing after record_parse() sees JSON.  Strings are
 * NUL-terminated and live until record_free() (NULL when absent or not a
 * string); integers are RECORD_NONE when absent or not integral; booleans
 * are 1, 0, or -1 when absent.  Arrays live as long as the strings.
 *
 * cJSON stays inside record.c: root is record.c's own (the parse tree
 * behind the strings, and what record_where() and record_reencode() look
 * at); no other file reads it, so an on-demand scanner can replace cJSON
 * in record.c alone.
 */
struct record {
	cJSON *root;	  /* private to record.c */
	const char *line; /* the raw line, for pass-through */
	size_t len;
	int64_t ts; /* @timestamp, microseconds */
	const char *timestamp;
	const char *level;
	const char *action;
	int64_t schema;
	int64_t pid;
	int64_t tid;
	const char *exe;
	const char *name; /* process.name, else basename of exe */
	const char *host;
	int is_failure;	    /* event.action is tls_failure */
	const char *type;   /* error.type */
	const char *errmsg; /* error.message */
	const char *call;
	const char *ssl_error;
	const char *reason;
	const char *verify_message;
	int64_t verify_code;
	int64_t errnum;
	const char *role;
	const char *phase;
	const char *transport;
	const char *sni;
	int shutdown_sent; /* 1, 0, or -1 when unknown */
	int shutdown_received;
	int64_t bytes_read;
	int64_t bytes_written;
	int64_t age_s;	     /* seconds since the session began */
	const char *peer_ip; /* destination (client) or source (server) */
	int64_t peer_port;
	const char *cert_subject;
	const char *cert_issuer;
	const char *cert_not_before;
	const char *cert_not_after;
	const char *cert_serial;
	const char *cert_sha256;
	const char *stack_id;
	int has_backtrace; /* tlsdiag.backtrace is an array (maybe empty) */
	const struct record_frame *frames; /* its object items */
	size_t nframes;
	const struct record_error *errors; /* tlsdiag.errors objects */
	size_t nerrors;
	/* tlsdiag.truncated: the member names the shim shortened to fit,
	 * one slot per item (NULL if not a string); 0 when absent */
	const char *const *truncated;
	size_t ntruncated;
	int64_t suppressed;			/* tlsdiag.suppressed */
	const struct record_coverage *coverage; /* exit records, or NULL */
};

/*
 * Parse line (len bytes followed by a NUL) into *r.  Returns RECORD_OK, or
 * the reason the line must be skipped; on RECORD_OK the caller must call
 * record_free().  Nothing stays allocated on failure.  The record's
 * strings and arrays (and the tree r->root behind them, not to be
 * cJSON_Delete'd) live until record_free(); several records may be alive
 * at once.  Not thread-safe: parsing swaps cJSON's process-wide allocation
 * hooks.
 */
enum record_status record_parse(const char *line, size_t len, struct record *r);

/* Release what record_parse() allocated. */
void record_free(struct record *r);

/* Short name of a status, e.g. "invalid JSON". */
const char *record_status_name(enum record_status st);

/* Machine name of a status, e.g. "invalid_json". */
const char *record_status_key(enum record_status st);

/*
 * Does the member at dotted path (see record_lookup()) hold want?  A
 * string equals it, a number equals it read as a number, true, false and
 * null match those words; objects, arrays and absent members never match.
 * Returns 1 or 0.
 */
int record_where(const struct record *r, const char *path, const char *want);

/*
 * The record as compact JSON, re-encoded from its parsed values (a number
 * written as the strict-JSON form), malloc'd; NULL if memory ran out.
 * For a line a lax parser took that strict JSON does not.
 */
char *record_reencode(const struct record *r);

/*
 * Look up a dotted path such as "tlsdiag.reason" or "log.level" in root.
 * Keys that themselves contain dots ("log.level") are found too: at each
 * level the longest literal key that matches a prefix of the path wins.
 * Returns the item or NULL.  For record.c and its unit test; the rest of
 * the analyzer uses record_where().
 */
const cJSON *record_lookup(const cJSON *root, const char *path);

/*
 * Canonical CPython name for an exception type given by a user:
 * "CertificateError" (an alias in the ssl module) becomes
 * "SSLCertVerificationError"; anything else is returned unchanged.
 */
const char *record_canonical_type(const char *type);

#endif
