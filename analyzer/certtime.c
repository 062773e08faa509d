/*
 * certtime.c: the time formats found in tlsdiag logs.  Record timestamps and
 * certificate validity are RFC 3339; certificate times may also come in the
 * form OpenSSL and Python print ("Jan  5 09:34:43 2018 GMT"), which is
 * parsed with exactly the acceptance rules of ssl.cert_time_to_seconds().
 */
#include "certtime.h"
#include "civil.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>

/*
 * Code points that start a run of ten Unicode decimal digits (category Nd),
 * which Python's re "\d" matches and int() converts.
 */
static const unsigned long nd_zeros[] = { 0x30, 0x660, 0x6f0, 0x7c0, 0x966,
	0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50,
	0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80,
	0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0,
	0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x11066, 0x110f0,
	0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730,
	0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50,
	0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950,
	0x1fbf0 };

static const char *const month_names[12] = { "Jan", "Feb", "Mar", "Apr", "May",
	"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Decode one code point of the NUL-terminated s; 0 at the end. */
static int
decode_cp(const unsigned char *s, unsigned long *cp)
{
	if (s[0] == '\0')
		return 0;
	return utf8_decode(s, 4, cp);
}

/* Python's str.isspace() set, which re "\s" matches in str patterns. */
static int
is_py_space(unsigned long c)
{
	if ((c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20))
		return 1;
	if (c == 0x85 || c == 0xa0 || c == 0x1680)
		return 1;
	if (c >= 0x2000 && c <= 0x200a)
		return 1;
	return c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
	    c == 0x3000;
}

/* Value 0..9 of a Unicode decimal digit, or -1. */
static int
py_digit(unsigned long c)
{
	size_t i;

	for (i = 0; i < sizeof(nd_zeros) / sizeof(nd_zeros[0]); i++)
		if (c >= nd_zeros[i] && c < nd_zeros[i] + 10)
			return (int)(c - nd_zeros[i]);
	return -1;
}

/*
 * The regular expression strptime builds for ' %d %H:%M:%S %Y GMT', as a
 * token list.  Each field is a list of alternatives tried in order; each
 * alternative is a string of classes, two bytes "lo hi" per character
 * (an ASCII range) or "**" for \d.
 */
enum tok_kind { TOK_SPACE, TOK_FIELD, TOK_LIT, TOK_END };

struct tok {
	enum tok_kind kind;
	int field;	     /* index into the value array, TOK_FIELD */
	const char *alts[6]; /* TOK_FIELD; TOK_LIT: alts[0] is the text */
};

enum { F_DAY, F_HOUR, F_MIN, F_SEC, F_YEAR, F_COUNT };

static const struct tok pattern[] = { { TOK_SPACE, 0, { NULL } },
	{ TOK_FIELD, F_DAY, { "3301", "12**", "0019", "19", "  19", NULL } },
	{ TOK_SPACE, 0, { NULL } },
	{ TOK_FIELD, F_HOUR, { "2203", "01**", "**", NULL } },
	{ TOK_LIT, 0, { ":", NULL } },
	{ TOK_FIELD, F_MIN, { "05**", "**", NULL } },
	{ TOK_LIT, 0, { ":", NULL } },
	{ TOK_FIELD, F_SEC, { "6601", "05**", "**", NULL } },
	{ TOK_SPACE, 0, { NULL } }, { TOK_FIELD, F_YEAR, { "********", NULL } },
	{ TOK_SPACE, 0, { NULL } }, { TOK_LIT, 0, { "GMT", NULL } },
	{ TOK_END, 0, { NULL } } };

/*
 * Match one alternative at s.  Returns the bytes consumed or -1; stores
 * the converted integer in *val.
 */
static int
match_alt(const char *alt, const unsigned char *s, int *val)
{
	unsigned long c;
	int pos = 0;
	int v = 0;
	int n;
	int d;

	for (; alt[0] != '\0'; alt += 2) {
		n = decode_cp(s + pos, &c);
		if (n <= 0)
			return -1;
		if (alt[0] == '*') {
			d = py_digit(c);
			if (d < 0)
				return -1;
		} else {
			if (c < (unsigned char)alt[0] ||
			    c > (unsigned char)alt[1])
				return -1;
			d = c == ' ' ? 0 : (int)(c - '0');
		}
		v = v * 10 + d;
		pos += n;
	}
	*val = v;
	return pos;
}

/*
 * Backtracking matcher over pattern[] from token t at byte offset pos,
 * in the order Python's re engine tries things.  Returns the end offset
 * of the first match or -1.
 */
static int
match_from(const unsigned char *s, int pos, int t, int *vals)
{
	const struct tok *k = &pattern[t];
	unsigned long c;
	int start;
	int n;
	int i;
	int r;

	switch (k->kind) {
	case TOK_END:
		return pos;
	case TOK_LIT:
		for (i = 0; k->alts[0][i] != '\0'; i++) {
			c = s[pos + i];
			if (c >= 'a' && c <= 'z')
				c -= 'a' - 'A';
			if (c != (unsigned char)k->alts[0][i])
				return -1;
		}
		return match_from(s, pos + i, t + 1, vals);
	case TOK_SPACE:
		/* Greedy \s+, then give back one code point at a time. */
		start = pos;
		for (;;) {
			n = decode_cp(s + pos, &c);
			if (n <= 0 || !is_py_space(c))
				break;
			pos += n;
		}
		while (pos > start) {
			r = match_from(s, pos, t + 1, vals);
			if (r >= 0)
				return r;
			do
				pos--;
			while (pos > start && (s[pos] & 0xc0) == 0x80);
		}
		return -1;
	case TOK_FIELD:
		for (i = 0; k->alts[i] != NULL; i++) {
			n = match_alt(k->alts[i], s + pos, &vals[k->field]);
			if (n < 0)
				continue;
			r = match_from(s, pos + n, t + 1, vals);
			if (r >= 0)
				return r;
		}
		return -1;
	}
	return -1;
}

/* Python's str.title() of the first three characters, checked for a month. */
static int
match_month(const unsigned char *s, int *consumed)
{
	unsigned long cp[3];
	char t[4];
	int pos = 0;
	int n;
	int i;

	for (i = 0; i < 3; i++) {
		n = decode_cp(s + pos, &cp[i]);
		if (n <= 0)
			return -1;
		pos += n;
	}
	/* U+017F LATIN SMALL LETTER LONG S title-cases to 'S'. */
	if (cp[0] == 0x17f)
		cp[0] = 'S';
	for (i = 0; i < 3; i++) {
		if (cp[i] >= 0x80)
			return -1;
		t[i] = (char)cp[i];
		if (i == 0 && t[i] >= 'a' && t[i] <= 'z')
			t[i] -= 'a' - 'A';
		else if (i > 0 && t[i] >= 'A' && t[i] <= 'Z')
			t[i] += 'a' - 'A';
	}
	t[3] = '\0';
	for (i = 0; i < 12; i++) {
		if (strcmp(t, month_names[i]) == 0) {
			*consumed = pos;
			return i + 1;
		}
	}
	return -1;
}

enum certtime_status
certtime_parse_openssl(const char *str, int64_t *secs)
{
	const unsigned char *s = (const unsigned char *)str;
	int vals[F_COUNT];
	int month;
	int off;
	int end;
	int64_t days;

	month = match_month(s, &off);
	if (month < 0)
		return CERTTIME_BAD_MONTH;
	end = match_from(s + off, 0, 0, vals);
	if (end < 0)
		return CERTTIME_NO_MATCH;
	if (s[off + end] != '\0')
		return CERTTIME_UNCONVERTED;
	if (vals[F_YEAR] == 0)
		return CERTTIME_YEAR_RANGE;
	/* calendar.timegm: days of the 1st of the month plus day - 1. */
	days = civil_to_days(vals[F_YEAR], month, 1) + vals[F_DAY] - 1;
	*secs =
	    days * 86400 + vals[F_HOUR] * 3600 + vals[F_MIN] * 60 + vals[F_SEC];
	return CERTTIME_OK;
}

/* Parse exactly n ASCII digits at s.  Returns the value or -1. */
static int
digits(const char *s, int n)
{
	int v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int
days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

int
certtime_parse_rfc3339(const char *s, int64_t *usec)
{
	int y, mo, d, h, mi, sec, oh, om;
	int64_t frac = 0;
	int64_t scale = 100000;
	int64_t off = 0;
	const char *p;

	y = digits(s, 4);
	if (y < 0 || s[4] != '-')
		return -1;
	mo = digits(s + 5, 2);
	if (mo < 1 || mo > 12 || s[7] != '-')
		return -1;
	d = digits(s + 8, 2);
	if (d < 1 || d > days_in_month(y, mo))
		return -1;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		return -1;
	h = digits(s + 11, 2);
	if (h < 0 || h > 23 || s[13] != ':')
		return -1;
	mi = digits(s + 14, 2);
	if (mi < 0 || mi > 59 || s[16] != ':')
		return -1;
	sec = digits(s + 17, 2);
	if (sec < 0 || sec > 60)
		return -1;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		for (; *p >= '0' && *p <= '9'; p++) {
			frac += (*p - '0') * scale;
			scale /= 10;
		}
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		oh = digits(p + 1, 2);
		om = digits(p + 4, 2);
		if (oh < 0 || oh > 23 || p[3] != ':' || om < 0 || om > 59)
			return -1;
		off = (oh * 60 + om) * 60;
		if (*p == '-')
			off = -off;
		p += 6;
	} else
		return -1;
	if (*p != '\0')
		return -1;
	*usec = ((civil_to_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
		     off) *
		    1000000) +
	    frac;
	return 0;
}

int
certtime_parse_any(const char *s, int64_t *usec)
{
	int64_t secs;

	if (certtime_parse_rfc3339(s, usec) == 0)
		return 0;
	if (certtime_parse_openssl(s, &secs) != CERTTIME_OK)
		return -1;
	*usec = secs * 1000000;
	return 0;
}

char *
certtime_format(int64_t usec, int frac, char *buf)
{
	int64_t secs =
	    usec >= 0 ? usec / 1000000 : -((-usec + 999999) / 1000000);
	int64_t us = usec - secs * 1000000;
	int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int64_t rem = secs - days * 86400;
	int64_t y;
	int m, d;

	civil_from_days(days, &y, &m, &d);
	if (frac)
		snprintf(buf, CERTTIME_BUFSZ,
		    "%04lld-%02d-%02dT%02d:%02d:%02d.%06lldZ", (long long)y, m,
		    d, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
		    (long long)us);
	else
		snprintf(buf, CERTTIME_BUFSZ,
		    "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d,
		    (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	return buf;
}

char *
certtime_format_duration(int64_t usec, char *buf)
{
	int64_t s;

	if (usec < 0)
		usec = -usec;
	s = usec / 1000000;
	if (s >= 86400 && s % 86400 / 3600 == 0)
		snprintf(buf, CERTTIME_BUFSZ, "%lldd", (long long)(s / 86400));
	else if (s >= 86400)
		snprintf(buf, CERTTIME_BUFSZ, "%lldd %lldh",
		    (long long)(s / 86400), (long long)(s % 86400 / 3600));
	else if (s >= 3600 && s % 3600 / 60 == 0)
		snprintf(buf, CERTTIME_BUFSZ, "%lldh", (long long)(s / 3600));
	else if (s >= 3600)
		snprintf(buf, CERTTIME_BUFSZ, "%lldh %lldm",
		    (long long)(s / 3600), (long long)(s % 3600 / 60));
	else if (s >= 60 && s % 60 == 0)
		snprintf(buf, CERTTIME_BUFSZ, "%lldm", (long long)(s / 60));
	else if (s >= 60)
		snprintf(buf, CERTTIME_BUFSZ, "%lldm %llds",
		    (long long)(s / 60), (long long)(s % 60));
	else if (s >= 10)
		snprintf(buf, CERTTIME_BUFSZ, "%llds", (long long)s);
	else
		snprintf(buf, CERTTIME_BUFSZ, "%lld.%03llds", (long long)s,
		    (long long)(usec % 1000000 / 1000));
	return buf;
}
