/*
 * jscan.c: the on-demand JSON scanner behind logrecord.c (see jscan.h for the
 * language it accepts).  Strings are skipped with memchr(3) and only
 * looked at byte by byte where they hold a backslash; numbers take a fast
 * path for plain integers and strtod(3) otherwise; containers the caller
 * does not enter are validated and skipped without recursion.  The rules
 * mirror cJSON 1.7's parse_value(), parse_string() and parse_number()
 * step for step, so that tests/fuzz/fuzz_jscan.c can hold the two to the
 * same decisions.
 */
#include "jscan.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static void
skip_ws(struct jscan *s)
{
	jscan_skip_ws(s);
}

void
jscan_init(struct jscan *s, const char *line, size_t len)
{
	s->p = line;
	s->end = line + len;
	s->depth = 0;
	if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
		s->p += 3;
}

/* cJSON's parse_hex4(): 0 when any of the four is not a hex digit. */
static unsigned
hex4(const unsigned char *h)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (h[i] >= '0' && h[i] <= '9')
			v |= h[i] - '0';
		else if (h[i] >= 'a' && h[i] <= 'f')
			v |= h[i] - 'a' + 10;
		else if (h[i] >= 'A' && h[i] <= 'F')
			v |= h[i] - 'A' + 10;
		else
			return 0;
	}
	return v;
}

static char *
put_utf8(char *d, unsigned long cp)
{
	if (cp < 0x80) {
		*d++ = (char)cp;
	} else if (cp < 0x800) {
		*d++ = (char)(0xC0 | (cp >> 6));
		*d++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*d++ = (char)(0xE0 | (cp >> 12));
		*d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*d++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*d++ = (char)(0xF0 | (cp >> 18));
		*d++ = (char)(0x80 | ((cp >> 12) & 0x3F));
		*d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*d++ = (char)(0x80 | (cp & 0x3F));
	}
	return d;
}

/*
 * One escape at e (a backslash before q, the closing quote): its length,
 * or 0 if cJSON rejects it.  With d, its decoded bytes go to *d.  The
 * escaped character may be the closing quote itself when a \u escape
 * swallowed a backslash (cJSON reads it so too).
 */
static size_t
escape(const unsigned char *e, const unsigned char *q, char **d)
{
	unsigned long cp;
	unsigned lo;
	char c;

	switch (e[1]) {
	case 'b':
		c = '\b';
		break;
	case 'f':
		c = '\f';
		break;
	case 'n':
		c = '\n';
		break;
	case 'r':
		c = '\r';
		break;
	case 't':
		c = '\t';
		break;
	case '"':
	case '\\':
	case '/':
		c = (char)e[1];
		break;
	case 'u':
		if (q - e < 6)
			return 0;
		cp = hex4(e + 2);
		if (cp >= 0xDC00 && cp <= 0xDFFF)
			return 0;
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (q - (e + 6) < 6 || e[6] != '\\' || e[7] != 'u')
				return 0;
			lo = hex4(e + 8);
			if (lo < 0xDC00 || lo > 0xDFFF)
				return 0;
			cp = 0x10000 + (((cp & 0x3FF) << 10) | (lo & 0x3FF));
			if (d != NULL)
				*d = put_utf8(*d, cp);
			return 12;
		}
		if (d != NULL)
			*d = put_utf8(*d, cp);
		return 6;
	default:
		return 0;
	}
	if (d != NULL)
		*(*d)++ = c;
	return 2;
}

/*
 * Walk the string body [b, q) as cJSON's decoding loop does: check every
 * escape and, with dst, write the decoded bytes there.  Returns the end of
 * the output (or b's end) or NULL if an escape is invalid.
 */
static const unsigned char *
walk_string(const unsigned char *b, const unsigned char *q, char **dst)
{
	const unsigned char *bs;
	size_t n;

	while (b < q) {
		bs = memchr(b, '\\', (size_t)(q - b));
		if (bs == NULL) {
			bs = q;
		}
		if (dst != NULL) {
			memcpy(*dst, b, (size_t)(bs - b));
			*dst += bs - b;
		}
		if (bs == q)
			break;
		n = escape(bs, q, dst);
		if (n == 0)
			return NULL;
		b = bs + n;
	}
	return b;
}

#ifdef __SSE2__
/* Which of the sixteen bytes at q are a quote or a backslash (bit i for
 * q[i]). */
static inline unsigned
special16(const unsigned char *q)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)q);

	return (unsigned)_mm_movemask_epi8(
	    _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
		_mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
}
#endif

/*
 * The first quote or backslash in [q, end), or end: sixteen bytes at a
 * time with SSE2 (every x86-64 has it), the tail byte by byte.
 */
static const unsigned char *
find_special(const unsigned char *q, const unsigned char *end)
{
#ifdef __SSE2__
	unsigned m;

	for (; end - q >= 16; q += 16)
		if ((m = special16(q)) != 0)
			return q + __builtin_ctz(m);
#endif
	while (q < end && *q != '"' && *q != '\\')
		q++;
	return q;
}

/* The string whose body is [b, q) (q its closing quote) into *v, and the
 * scanner past it. */
static inline int
take_string(struct jscan *s, struct jvalue *v, const unsigned char *b,
    const unsigned char *q, int escaped)
{
	v->type = JSCAN_STRING;
	v->raw = (const char *)b;
	v->rawlen = (size_t)(q - b);
	v->escaped = escaped;
	v->num = 0;
	s->p = (const char *)q + 1;
	return 0;
}

/*
 * Scan the string at s->p (a quote).  The closing quote is the first one
 * not escaped by a backslash (cJSON's length pass); then the escapes are
 * checked.  Fills *v.  Returns 0 or -1.
 */
static int
scan_string_any(struct jscan *s, struct jvalue *v)
{
	const unsigned char *b = (const unsigned char *)s->p + 1;
	const unsigned char *end = (const unsigned char *)s->end;
	const unsigned char *q = b;
	int escaped = 0;

	for (;;) {
		q = find_special(q, end);
		if (q == end)
			return -1;
		if (*q == '"')
			break;
		escaped = 1;
		if (end - q < 2)
			return -1;
		q += 2;
	}
	if (escaped && walk_string(b, q, NULL) == NULL)
		return -1;
	return take_string(s, v, b, q, escaped);
}

/*
 * scan_string_any(), with the common case inline: most strings of a log
 * record (member names, short values) end within sixteen bytes and hold
 * no backslash, which one SSE2 compare tells.
 */
static inline int
scan_string(struct jscan *s, struct jvalue *v)
{
#ifdef __SSE2__
	const unsigned char *b = (const unsigned char *)s->p + 1;
	const unsigned char *q;
	unsigned m;

	if (s->end - (const char *)b >= 16 && (m = special16(b)) != 0) {
		q = b + __builtin_ctz(m);
		if (*q == '"')
			return take_string(s, v, b, q, 0);
	}
#endif
	return scan_string_any(s, v);
}

static int
is_numchar(char c)
{
	return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' ||
	    c == 'e' || c == 'E';
}

/*
 * A number as cJSON reads it: the run of number characters, given to
 * strtod() (with the locale's decimal point), must be read whole, since
 * whatever strtod() leaves is a number character no context allows.  The
 * run has no length limit (Debian's cJSON carries the CVE-2023-26819 fix).
 */
static int
scan_number(struct jscan *s, struct jvalue *v)
{
	const char *b = s->p;
	const char *e = b;
	const char *d;
	char small[64];
	char *buf = small;
	char *after;
	const char *dp;
	const char *lim;
	uint64_t x = 0;
	unsigned digit;
	size_t n;

	/* The common case: an integer of at most 15 digits, exact. */
	d = *e == '-' ? e + 1 : e;
	e = d;
	lim = s->end - d > 16 ? d + 16 : s->end;
	while (e < lim && (digit = (unsigned char)*e - (unsigned)'0') < 10) {
		x = x * 10 + digit;
		e++;
	}
	if (e > d && e - d <= 15 && (e == s->end || !is_numchar(*e))) {
		v->num = *b == '-' ? -(double)x : (double)x;
		goto done;
	}
	while (e < s->end && is_numchar(*e))
		e++;
	n = (size_t)(e - b);
	v->num = 0;
	if (n >= sizeof(small)) {
		buf = malloc(n + 1);
		if (buf == NULL)
			return -1;
	}
	memcpy(buf, b, n);
	buf[n] = '\0';
	dp = localeconv()->decimal_point;
	if (dp != NULL && dp[0] != '.' && dp[0] != '\0') {
		char *c = memchr(buf, '.', n);

		while (c != NULL) {
			*c = dp[0];
			c = memchr(c + 1, '.', (size_t)(buf + n - (c + 1)));
		}
	}
	v->num = strtod(buf, &after);
	n = (size_t)(after - buf);
	if (buf != small)
		free(buf);
	if (b + n != e)
		return -1;
done:
	v->type = JSCAN_NUMBER;
	v->raw = b;
	v->rawlen = (size_t)(e - b);
	v->escaped = 0;
	s->p = e;
	return 0;
}

static int
scan_literal(struct jscan *s, struct jvalue *v, const char *word,
    enum jscan_type t)
{
	size_t n = strlen(word);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return -1;
	v->type = t;
	v->raw = s->p;
	v->rawlen = n;
	v->escaped = 0;
	v->num = 0;
	s->p += n;
	return 0;
}

/*
 * A value that is not a container, at s->p (white space skipped).  Inline,
 * strings first: most values of a record are strings, then numbers.
 */
static inline __attribute__((always_inline)) int
scan_scalar(struct jscan *s, struct jvalue *v)
{
	unsigned char c;

	if (s->p == s->end)
		return -1;
	c = (unsigned char)*s->p;
	if (c == '"')
		return scan_string(s, v);
	if (c == '-' || (unsigned)(c - '0') < 10)
		return scan_number(s, v);
	if (c == 'n')
		return scan_literal(s, v, "null", JSCAN_NULL);
	if (c == 't')
		return scan_literal(s, v, "true", JSCAN_TRUE);
	if (c == 'f')
		return scan_literal(s, v, "false", JSCAN_FALSE);
	return -1;
}

/*
 * Validate and skip the container at s->p, iteratively: kind[] remembers
 * which closer each open level wants.
 */
static int
skip_container(struct jscan *s)
{
	char kind[JSCAN_MAX_DEPTH];
	struct jvalue v;
	int top = 0;
	char c;

value:
	skip_ws(s);
	if (s->p == s->end)
		return -1;
	c = *s->p;
	if (c == '{' || c == '[') {
		if (s->depth >= JSCAN_MAX_DEPTH)
			return -1;
		s->depth++;
		kind[top++] = c == '{' ? '}' : ']';
		s->p++;
		skip_ws(s);
		if (s->p < s->end && *s->p == kind[top - 1]) {
			s->p++;
			s->depth--;
			top--;
			goto after;
		}
		if (c == '{')
			goto key;
		goto value;
	}
	if (scan_scalar(s, &v) == -1)
		return -1;
	goto after;
key:
	skip_ws(s);
	if (s->p == s->end || *s->p != '"' || scan_string(s, &v) == -1)
		return -1;
	skip_ws(s);
	if (s->p == s->end || *s->p != ':')
		return -1;
	s->p++;
	goto value;
after:
	if (top == 0)
		return 0;
	skip_ws(s);
	if (s->p == s->end)
		return -1;
	if (*s->p == ',') {
		s->p++;
		if (kind[top - 1] == '}')
			goto key;
		goto value;
	}
	if (*s->p != kind[top - 1])
		return -1;
	s->p++;
	s->depth--;
	top--;
	goto after;
}

int
jscan_value(struct jscan *s, struct jvalue *v)
{
	struct jvalue tmp;
	enum jscan_type t;
	const char *b;

	if (v == NULL)
		v = &tmp;
	skip_ws(s);
	if (s->p == s->end)
		return -1;
	if (*s->p != '{' && *s->p != '[')
		return scan_scalar(s, v);
	t = *s->p == '{' ? JSCAN_OBJECT : JSCAN_ARRAY;
	b = s->p;
	if (skip_container(s) == -1)
		return -1;
	v->type = t;
	v->raw = b;
	v->rawlen = (size_t)(s->p - b);
	v->escaped = 0;
	v->num = 0;
	return 0;
}

int
jscan_enter(struct jscan *s)
{
	if (s->depth >= JSCAN_MAX_DEPTH)
		return -1;
	s->depth++;
	s->p++;
	return 0;
}

/*
 * Before the next element of a container closed by closer: 1 if there is
 * one, 0 at the closer (consumed), -1 on a syntax error.
 */
static inline int
next_element(struct jscan *s, int *first, char closer)
{
	skip_ws(s);
	if (s->p == s->end)
		return -1;
	if (*s->p == closer) {
		s->p++;
		s->depth--;
		return 0;
	}
	if (*first) {
		*first = 0;
		return 1;
	}
	if (*s->p != ',')
		return -1;
	s->p++;
	return 1;
}

int
jscan_member(struct jscan *s, int *first, struct jvalue *key)
{
	int rc;

	rc = next_element(s, first, '}');
	if (rc != 1)
		return rc;
	skip_ws(s);
	/* "{}" is empty but "{,}" and "{"a":1,}" are not. */
	if (s->p == s->end || *s->p != '"')
		return -1;
	if (scan_string(s, key) == -1)
		return -1;
	skip_ws(s);
	if (s->p == s->end || *s->p != ':')
		return -1;
	s->p++;
	return 1;
}

int
jscan_item(struct jscan *s, int *first)
{
	return next_element(s, first, ']');
}

int
jscan_finish(struct jscan *s)
{
	skip_ws(s);
	return s->p == s->end ? 0 : -1;
}

size_t
jscan_string(const struct jvalue *v, char *dst)
{
	char *d = dst;

	if (!v->escaped) {
		memcpy(dst, v->raw, v->rawlen);
		dst[v->rawlen] = '\0';
		d = memchr(dst, '\0', v->rawlen + 1);
		return (size_t)(d - dst);
	}
	walk_string((const unsigned char *)v->raw,
	    (const unsigned char *)v->raw + v->rawlen, &d);
	*d = '\0';
	return strlen(dst);
}

int
jscan_string_eq(const struct jvalue *v, const char *want)
{
	char small[256];
	char *buf = small;
	int eq;

	if (v->type != JSCAN_STRING)
		return 0;
	if (!v->escaped) {
		/* A raw NUL ends the C string, as in jscan_string(). */
		const char *nul = memchr(v->raw, '\0', v->rawlen);
		size_t n = nul != NULL ? (size_t)(nul - v->raw) : v->rawlen;

		return strlen(want) == n && memcmp(v->raw, want, n) == 0;
	}
	if (v->rawlen >= sizeof(small)) {
		buf = malloc(v->rawlen + 1);
		if (buf == NULL)
			return 0;
	}
	jscan_string(v, buf);
	eq = strcmp(buf, want) == 0;
	if (buf != small)
		free(buf);
	return eq;
}

int
jscan_check(const char *line, size_t len)
{
	struct jscan s;

	jscan_init(&s, line, len);
	if (jscan_value(&s, NULL) == -1)
		return -1;
	return jscan_finish(&s);
}

/*
 * The length of the member name k as a C string, and whether it matches
 * a prefix of path as record_lookup() wants (followed by '.' or the end).
 */
static size_t
key_prefix(const struct jvalue *k, const char *path)
{
	char small[256];
	char *buf = small;
	size_t kl;
	size_t r = 0;

	if (!k->escaped) {
		kl = k->rawlen;
		if (memchr(k->raw, '\0', kl) != NULL)
			kl = (size_t)((const char *)memchr(k->raw, '\0', kl) -
			    k->raw);
		if (strncmp(path, k->raw, kl) == 0 && strlen(path) >= kl &&
		    (path[kl] == '\0' || path[kl] == '.'))
			return kl;
		return 0;
	}
	if (k->rawlen >= sizeof(small)) {
		buf = malloc(k->rawlen + 1);
		if (buf == NULL)
			return 0;
	}
	kl = jscan_string(k, buf);
	if (strncmp(path, buf, kl) == 0 && strlen(path) >= kl &&
	    (path[kl] == '\0' || path[kl] == '.'))
		r = kl;
	if (buf != small)
		free(buf);
	return r;
}

void
jscan_lookup(const struct jvalue *v, const char *path, struct jvalue *out)
{
	struct jvalue cur = *v;
	struct jvalue key;
	struct jvalue val;
	struct jvalue best;
	struct jscan s;
	size_t bestlen;
	size_t kl;
	int first;

	while (*path != '\0') {
		if (cur.type != JSCAN_OBJECT)
			goto absent;
		jscan_init(&s, cur.raw, cur.rawlen);
		if (jscan_peek(&s) != JSCAN_OBJECT || jscan_enter(&s) == -1)
			goto absent;
		bestlen = 0;
		best.type = JSCAN_NONE;
		first = 1;
		while (jscan_member(&s, &first, &key) == 1) {
			kl = key_prefix(&key, path);
			if (jscan_value(&s, &val) == -1)
				goto absent;
			if (kl > bestlen) {
				best = val;
				bestlen = kl;
			}
		}
		if (best.type == JSCAN_NONE)
			goto absent;
		cur = best;
		path += bestlen;
		if (*path != '.')
			break;
		path++;
	}
	*out = cur;
	return;
absent:
	memset(out, 0, sizeof(*out));
}

int
jscan_paths(const char *line, size_t len, const char *const *paths, size_t n,
    struct jvalue *out)
{
	struct jscan s;
	struct jvalue root;
	size_t i;

	memset(out, 0, n * sizeof(*out));
	jscan_init(&s, line, len);
	if (jscan_value(&s, &root) == -1 || jscan_finish(&s) == -1)
		return -1;
	for (i = 0; i < n; i++)
		jscan_lookup(&root, paths[i], &out[i]);
	return 0;
}
