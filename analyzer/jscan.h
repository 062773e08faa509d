/* jscan.h: a validating, on-demand JSON scanner for the report's read path. */
#ifndef TLSDIAG_JSCAN_H
#define TLSDIAG_JSCAN_H

#include <stddef.h>

/*
 * The scanner walks a line once, validating every byte, and hands out only
 * the values its caller asks for; nothing is built for the rest.  It
 * accepts exactly the lines cJSON (the parser the analyzer used before,
 * still used for the JSON report) accepts with a NUL-terminated buffer:
 * RFC 8259 JSON plus cJSON's laxities, which the analyzer has always
 * counted as records: a leading UTF-8 byte order mark, any byte from 0x01
 * to 0x20 as white space, raw control bytes and invalid UTF-8 inside
 * strings, numbers as far as strtod(3) reads the run of [0-9+-.eE] (at
 * most 63 bytes: "07", "1.", "-.5"), and a \u escape whose hex digits are
 * not hex read as U+0000.  Escapes are validated as cJSON does (a lone
 * surrogate is an error), nesting is bounded by JSCAN_MAX_DEPTH.  Output
 * escapes what strict JSON forbids (termsafe.c), so these lines reach no
 * reader raw.  With duplicate members, the first one wins, as with
 * cJSON_GetObjectItemCaseSensitive().
 */

/* Containers nested deeper than this are an error (CJSON_NESTING_LIMIT). */
#define JSCAN_MAX_DEPTH 1000

enum jscan_type {
	JSCAN_NONE = 0, /* absent, or an error */
	JSCAN_NULL,
	JSCAN_FALSE,
	JSCAN_TRUE,
	JSCAN_NUMBER,
	JSCAN_STRING,
	JSCAN_ARRAY,
	JSCAN_OBJECT
};

/*
 * One scanned value.  raw points into the line: for a string the bytes
 * between the quotes (escapes not decoded; jscan_string() decodes), for
 * anything else the value's text.  num is a number's value as cJSON reads
 * it (strtod), 0 otherwise.
 */
struct jvalue {
	enum jscan_type type;
	const char *raw;
	size_t rawlen;
	int escaped; /* a string with a backslash in it */
	double num;
};

/* A cursor over one line.  Members are private to jscan.c. */
struct jscan {
	const char *p;
	const char *end;
	int depth;
};

/* Start scanning line[0..len) (a byte order mark at the start is skipped). */
void jscan_init(struct jscan *s, const char *line, size_t len);

/* Skip JSON white space (and, as cJSON does, any byte up to 32). */
static inline void
jscan_skip_ws(struct jscan *s)
{
	while (s->p < s->end && (unsigned char)*s->p <= 32)
		s->p++;
}

/*
 * The type of the next value (white space skipped), JSCAN_NONE if none.
 * Inline: the record parser asks before every value it reads.
 */
static inline enum jscan_type
jscan_peek(struct jscan *s)
{
	jscan_skip_ws(s);
	if (s->p == s->end)
		return JSCAN_NONE;
	switch (*s->p) {
	case '{':
		return JSCAN_OBJECT;
	case '[':
		return JSCAN_ARRAY;
	case '"':
		return JSCAN_STRING;
	case 'n':
		return JSCAN_NULL;
	case 't':
		return JSCAN_TRUE;
	case 'f':
		return JSCAN_FALSE;
	case '-':
		return JSCAN_NUMBER;
	default:
		if (*s->p >= '0' && *s->p <= '9')
			return JSCAN_NUMBER;
		return JSCAN_NONE;
	}
}

/*
 * Scan the next value, validating all of it (a container whole), into *v
 * (may be NULL).  Returns 0, or -1 if it is not valid.
 */
int jscan_value(struct jscan *s, struct jvalue *v);

/*
 * Enter the object or array jscan_peek() just saw.  Returns 0, or -1 when
 * nesting gets too deep.
 */
int jscan_enter(struct jscan *s);

/*
 * The next member of the object entered last: *first is 1 before the first
 * call and is cleared.  Returns 1 with its name in *key and the scanner
 * before its value (which the caller must scan), 0 at the end of the
 * object (left), or -1 if the JSON is not valid.
 */
int jscan_member(struct jscan *s, int *first, struct jvalue *key);

/* The same for the items of an array: 1 before an item, 0, or -1. */
int jscan_item(struct jscan *s, int *first);

/* After the top value: only white space may follow.  Returns 0 or -1. */
int jscan_finish(struct jscan *s);

/*
 * Decode the string v (validated by the scanner) into dst, which holds
 * v->rawlen + 1 bytes, NUL-terminated.  Returns the length up to the first
 * NUL, which is what a C string of it holds (a \u0000 ends it, as in
 * cJSON).
 */
size_t jscan_string(const struct jvalue *v, char *dst);

/* Does the string v, decoded, equal the C string want?  1 or 0. */
int jscan_string_eq(const struct jvalue *v, const char *want);

/* Is line[0..len) one valid JSON value (and nothing else)?  0 or -1. */
int jscan_check(const char *line, size_t len);

/*
 * Extract n dotted paths from the JSON line[0..len): out[i] is the value
 * at paths[i] (JSCAN_NONE when absent), found as record_lookup() finds
 * it: at each level the longest member name that is a prefix of the rest
 * of the path, ending at a dot or its end, wins (so "log.level" is one
 * member), and with equal names the first.  Returns 0, or -1 (all of out
 * JSCAN_NONE) if the line is not valid JSON.  Values point into line.
 */
int jscan_paths(const char *line, size_t len, const char *const *paths,
    size_t n, struct jvalue *out);

/* The same for one path from an already validated value v (an object). */
void jscan_lookup(const struct jvalue *v, const char *path, struct jvalue *out);

#endif
