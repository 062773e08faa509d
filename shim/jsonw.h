/* jsonw.h: a small JSON writer into a caller's fixed buffer (no malloc). */
#ifndef TLSDIAG_JSONW_H
#define TLSDIAG_JSONW_H

#include <stddef.h>
#include <stdint.h>

#define JSONW_MAXDEPTH 16

/*
 * Writes one JSON value into buf[0..cap).  Strings are escaped so that the
 * output is always valid UTF-8 JSON on one line: control characters, DEL,
 * C1 controls, U+2028/U+2029 and bidirectional controls become \uXXXX, and
 * each byte of an invalid UTF-8 sequence becomes U+FFFD.  When the buffer
 * is too small, w->overflow is set and later calls write nothing but still
 * count (jsonw_need) the bytes they would have written; the caller checks
 * jsonw_finish().
 */
struct jsonw {
	char *buf;
	size_t cap;
	size_t len;
	size_t lost; /* bytes not written since the overflow */
	int overflow;
	int depth;
	unsigned char first[JSONW_MAXDEPTH]; /* no member written yet */
	char closer[JSONW_MAXDEPTH];	     /* '}' or ']' per level */
};

void jsonw_init(struct jsonw *w, char *buf, size_t cap);

/* The bytes written so far had the buffer been large enough. */
static inline size_t
jsonw_need(const struct jsonw *w)
{
	return w->len + w->lost;
}

/* Open/close an object or array; key is NULL inside arrays or at top. */
void jsonw_obj(struct jsonw *w, const char *key);
void jsonw_arr(struct jsonw *w, const char *key);
void jsonw_end(struct jsonw *w);

/*
 * Members (key NULL inside arrays).  Keys are written as given: they must
 * be plain ASCII literals without quotes or backslashes.  jsonw_str with
 * s NULL writes null.
 */
void jsonw_str(struct jsonw *w, const char *key, const char *s);
void jsonw_strn(struct jsonw *w, const char *key, const char *s, size_t n);
void jsonw_int(struct jsonw *w, const char *key, long long v);
void jsonw_uint(struct jsonw *w, const char *key, unsigned long long v);
void jsonw_bool(struct jsonw *w, const char *key, int v);
void jsonw_null(struct jsonw *w, const char *key);

/*
 * jsonw_strn, shortened at a character boundary so that jsonw_need stays at
 * or below limit after the closing quote.  Returns 1 if s was shortened.
 */
int jsonw_strn_fit(struct jsonw *w, const char *key, const char *s, size_t n,
    size_t limit);

/*
 * A point to come back to: jsonw_rollback() forgets everything written
 * after jsonw_mark() (at the same depth or below), as if never written.
 */
struct jsonw_mark {
	size_t len, lost;
	int overflow, depth;
	unsigned char first;
};
void jsonw_mark(const struct jsonw *w, struct jsonw_mark *m);
void jsonw_rollback(struct jsonw *w, const struct jsonw_mark *m);

/*
 * Close what is open, append '\n' and a NUL.  Returns the length without
 * the NUL, or -1 if the buffer overflowed (the buffer then holds garbage).
 */
long jsonw_finish(struct jsonw *w);

/*
 * Escape s[0..n) as JSON string contents (no quotes) into out[0..cap).
 * Returns the number of bytes written, or -1 if out is too small.
 */
long jsonw_escape(char *out, size_t cap, const char *s, size_t n);

#endif
