/*
 * jsonw.c: the shim's JSON encoder.  It runs inside the host process on
 * the failure path, so it allocates nothing, takes no locks and never
 * emits invalid UTF-8, whatever bytes a certificate or a path carries.
 */
#include "jsonw.h"

#include <string.h>

#include "../common/utf8.h"

/* Bytes copied as they are: printable ASCII but the quote and backslash. */
static const unsigned char plain[256] = {
#define P16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
	P16(0),
	P16(0),
	1,
	1,
	0,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1, /* 0x20: '"' */
	P16(1),
	P16(1),
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	0,
	1,
	1,
	1, /* 0x50: '\\' */
	P16(1),
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	0, /* 0x70: DEL */
	P16(0),
	P16(0),
	P16(0),
	P16(0),
	P16(0),
	P16(0),
	P16(0),
	P16(0),
#undef P16
};

static void
put(struct jsonw *w, const char *s, size_t n)
{
	if (w->overflow || n > w->cap - w->len) {
		w->overflow = 1;
		w->lost += n;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void
putc1(struct jsonw *w, char c)
{
	if (w->overflow || w->len >= w->cap) {
		w->overflow = 1;
		w->lost++;
		return;
	}
	w->buf[w->len++] = c;
}

void
jsonw_init(struct jsonw *w, char *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->lost = 0;
	w->overflow = cap < 2;
	w->depth = 0;
	w->first[0] = 1;
}

/* Code points written as \uXXXX although JSON would allow them raw. */
static int
must_escape(unsigned long cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	    cp == 0x2028 || cp == 0x2029 || (cp >= 0x200E && cp <= 0x200F) ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x061C;
}

/*
 * Escape s[0..n) into out[0..cap), stopping before the first character
 * whose escaped form does not fit.  out NULL: only count.  Returns the
 * bytes written; *used gets the input bytes consumed (at a character
 * boundary).
 */
static size_t
escape(char *out, size_t cap, const char *str, size_t n, size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, o = 0, len, k;
	unsigned long cp;
	int dlen;
	char tmp[8];
	const char *rep;
	size_t replen;

	while (i < n) {
		/* the common case: a run of printable ASCII, copied whole */
		if (plain[s[i]]) {
			size_t j = i + 1;

			while (j < n && plain[s[j]])
				j++;
			if (j - i > cap - o)
				j = i + (cap - o);
			if (out != NULL)
				memcpy(out + o, s + i, j - i);
			o += j - i;
			i = j;
			if (o == cap)
				break;
			continue;
		}
		dlen = utf8_decode(s + i, n - i, &cp);
		len = dlen > 0 ? (size_t)dlen : 1;
		if (dlen <= 0) {
			rep = "\xEF\xBF\xBD"; /* U+FFFD for one bad byte */
			replen = 3;
		} else if (cp == '"' || cp == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)cp;
			rep = tmp;
			replen = 2;
		} else if (must_escape(cp)) {
			rep = tmp;
			tmp[0] = '\\';
			replen = 2;
			switch (cp) {
			case '\n':
				tmp[1] = 'n';
				break;
			case '\r':
				tmp[1] = 'r';
				break;
			case '\t':
				tmp[1] = 't';
				break;
			case '\b':
				tmp[1] = 'b';
				break;
			case '\f':
				tmp[1] = 'f';
				break;
			default:
				tmp[1] = 'u';
				tmp[2] = hex[(cp >> 12) & 0xF];
				tmp[3] = hex[(cp >> 8) & 0xF];
				tmp[4] = hex[(cp >> 4) & 0xF];
				tmp[5] = hex[cp & 0xF];
				replen = 6;
			}
		} else {
			rep = (const char *)s + i;
			replen = len;
		}
		if (replen > cap - o)
			break;
		if (out != NULL)
			for (k = 0; k < replen; k++)
				out[o + k] = rep[k];
		o += replen;
		i += len;
	}
	*used = i;
	return o;
}

long
jsonw_escape(char *out, size_t cap, const char *str, size_t n)
{
	size_t used, o = escape(out, cap, str, n, &used);

	return used < n ? -1 : (long)o;
}

/*
 * Escaped s[0..n), at most room bytes of it: written while the buffer
 * has room, counted in w->lost after.  Returns the input bytes taken.
 */
static inline __attribute__((always_inline)) size_t
put_escaped(struct jsonw *w, const char *s, size_t n, size_t room)
{
	size_t used = 0, more, r;

	if (!w->overflow) {
		size_t cap = w->cap - w->len;
		size_t lim = cap < room ? cap : room;

		r = escape(w->buf + w->len, lim, s, n, &used);
		w->len += r;
		if (used == n || lim == room)
			return used;
		room -= r;
		w->overflow = 1;
	}
	r = escape(NULL, room, s + used, n - used, &more);
	w->lost += r;
	return used + more;
}

static void
putstr(struct jsonw *w, const char *s, size_t n)
{
	putc1(w, '"');
	put_escaped(w, s, n, SIZE_MAX);
	putc1(w, '"');
}

/*
 * Separator and key before a member, checked for room once: this runs
 * for every member of every record.
 */
static void
member(struct jsonw *w, const char *key)
{
	int comma = !w->first[w->depth];
	int haskey = key != NULL && w->depth > 0;
	size_t kl = haskey ? strlen(key) : 0;
	size_t need = (size_t)comma + (haskey ? kl + 3 : 0);
	char *p;

	w->first[w->depth] = 0;
	if (w->overflow || need > w->cap - w->len) {
		w->overflow = 1;
		w->lost += need;
		return;
	}
	p = w->buf + w->len;
	if (comma)
		*p++ = ',';
	if (haskey) {
		/* keys are the shim's own literals: plain ASCII, no escaping */
		*p++ = '"';
		memcpy(p, key, kl);
		p += kl;
		*p++ = '"';
		*p++ = ':';
	}
	w->len = (size_t)(p - w->buf);
}

static void
open_(struct jsonw *w, const char *key, char c)
{
	member(w, key);
	if (w->depth + 1 >= JSONW_MAXDEPTH) {
		w->overflow = 1;
		return;
	}
	putc1(w, c);
	w->depth++;
	w->first[w->depth] = 1;
	w->closer[w->depth] = c == '{' ? '}' : ']';
}

void
jsonw_obj(struct jsonw *w, const char *key)
{
	open_(w, key, '{');
}

void
jsonw_arr(struct jsonw *w, const char *key)
{
	open_(w, key, '[');
}

void
jsonw_end(struct jsonw *w)
{
	if (w->depth == 0) {
		w->overflow = 1;
		return;
	}
	putc1(w, w->closer[w->depth]);
	w->depth--;
}

void
jsonw_strn(struct jsonw *w, const char *key, const char *s, size_t n)
{
	member(w, key);
	putstr(w, s, n);
}

int
jsonw_strn_fit(struct jsonw *w, const char *key, const char *s, size_t n,
    size_t limit)
{
	size_t room;

	member(w, key);
	room = limit > jsonw_need(w) + 2 ? limit - jsonw_need(w) - 2 : 0;
	putc1(w, '"');
	n = n > 0 ? n - put_escaped(w, s, n, room) : 0;
	putc1(w, '"');
	return n > 0;
}

void
jsonw_mark(const struct jsonw *w, struct jsonw_mark *m)
{
	m->len = w->len;
	m->lost = w->lost;
	m->overflow = w->overflow;
	m->depth = w->depth;
	m->first = w->first[w->depth];
}

void
jsonw_rollback(struct jsonw *w, const struct jsonw_mark *m)
{
	w->len = m->len;
	w->lost = m->lost;
	w->overflow = m->overflow;
	w->depth = m->depth;
	w->first[w->depth] = m->first;
}

void
jsonw_str(struct jsonw *w, const char *key, const char *s)
{
	if (s == NULL) {
		jsonw_null(w, key);
		return;
	}
	jsonw_strn(w, key, s, strlen(s));
}

static void
putu(struct jsonw *w, unsigned long long v)
{
	char tmp[24];
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	put(w, tmp + n, sizeof(tmp) - n);
}

void
jsonw_uint(struct jsonw *w, const char *key, unsigned long long v)
{
	member(w, key);
	putu(w, v);
}

void
jsonw_int(struct jsonw *w, const char *key, long long v)
{
	member(w, key);
	if (v < 0) {
		putc1(w, '-');
		putu(w, (unsigned long long)(-(v + 1)) + 1);
	} else
		putu(w, (unsigned long long)v);
}

void
jsonw_bool(struct jsonw *w, const char *key, int v)
{
	member(w, key);
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void
jsonw_null(struct jsonw *w, const char *key)
{
	member(w, key);
	put(w, "null", 4);
}

long
jsonw_finish(struct jsonw *w)
{
	while (w->depth > 0)
		jsonw_end(w);
	putc1(w, '\n');
	if (w->overflow || w->len >= w->cap)
		return -1;
	w->buf[w->len] = '\0';
	return (long)w->len;
}
