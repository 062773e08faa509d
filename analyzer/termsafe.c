/*
 * termsafe.c: certificate subjects, SNI names, paths and messages in a
 * log come from peers and programs we do not trust.  Text output passes
 * every such string through termsafe_escape() so that escape sequences,
 * bidi overrides and megabyte-long values cannot reach the terminal, and
 * JSON output through termsafe_json() so that it is strict JSON with no
 * such character raw.
 */
#include "termsafe.h"

#include <ctype.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static int
needs_u_escape(unsigned long c)
{
	if (c >= 0x80 && c <= 0x9f)
		return 1;
	if (c == 0x61c || c == 0x200e || c == 0x200f)
		return 1;
	if (c >= 0x202a && c <= 0x202e)
		return 1;
	if (c >= 0x2066 && c <= 0x2069)
		return 1;
	return c == 0x2028 || c == 0x2029;
}

size_t
termsafe_escape(const char *str, size_t maxlen, char *buf, size_t bufsz)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t slen = strlen(str);
	size_t pos = 0;
	size_t o = 0;
	size_t limit;
	char tmp[24];
	unsigned long c;
	size_t tl;
	int n;

	if (bufsz == 0)
		return 0;
	limit = bufsz - 4;
	if (bufsz < 4)
		limit = 0;
	if (maxlen != 0 && maxlen < limit)
		limit = maxlen;
	while (pos < slen) {
		n = utf8_decode(s + pos, slen - pos, &c);
		if (n < 0) {
			snprintf(tmp, sizeof(tmp), "\\x%02X", s[pos]);
			n = 1;
		} else if (c == '\\') {
			memcpy(tmp, "\\\\", 3);
		} else if (c == '\n') {
			memcpy(tmp, "\\n", 3);
		} else if (c == '\r') {
			memcpy(tmp, "\\r", 3);
		} else if (c == '\t') {
			memcpy(tmp, "\\t", 3);
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(tmp, sizeof(tmp), "\\x%02X", (unsigned)c);
		} else if (needs_u_escape(c)) {
			snprintf(tmp, sizeof(tmp), "\\u%04X",
			    (unsigned)(c & 0xffff));
		} else {
			memcpy(tmp, s + pos, (size_t)n);
			tmp[n] = '\0';
		}
		tl = strlen(tmp);
		if (o + tl > limit) {
			if (bufsz >= 4) {
				memcpy(buf + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(buf + o, tmp, tl);
		o += tl;
		pos += (size_t)n;
	}
	buf[o] = '\0';
	return o;
}

/* Is in[0..len) a number by JSON's grammar? */
static int
strict_number(const char *in, size_t len)
{
	size_t i = 0;
	size_t d;

	if (i < len && in[i] == '-')
		i++;
	if (i < len && in[i] == '0')
		i++;
	else if (i < len && in[i] >= '1' && in[i] <= '9')
		while (i < len && in[i] >= '0' && in[i] <= '9')
			i++;
	else
		return 0;
	if (i < len && in[i] == '.') {
		for (d = ++i; i < len && in[i] >= '0' && in[i] <= '9'; i++)
			continue;
		if (i == d)
			return 0;
	}
	if (i < len && (in[i] == 'e' || in[i] == 'E')) {
		i++;
		if (i < len && (in[i] == '+' || in[i] == '-'))
			i++;
		for (d = i; i < len && in[i] >= '0' && in[i] <= '9'; i++)
			continue;
		if (i == d)
			return 0;
	}
	return i == len;
}

/* Append n bytes of s to out (if any) at *o. */
static void
put(char *out, size_t *o, const char *s, size_t n)
{
	if (out != NULL)
		memcpy(out + *o, s, n);
	*o += n;
}

/* Printable ASCII but '"' and '\\': copied as it is inside a string. */
static const unsigned char plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 0,
	/* 0x80 and above: 0 */
};

/* 1 if in[at..at+4) are four hex digits. */
static int
hex4_at(const char *in, size_t len, size_t at)
{
	size_t i;

	if (len < at + 4)
		return 0;
	for (i = at; i < at + 4; i++)
		if (!isxdigit((unsigned char)in[i]))
			return 0;
	return 1;
}

int
termsafe_json(const char *in, size_t len, char *out, size_t *outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t pos = 0;
	size_t o = 0;
	size_t end;
	int in_str = 0;
	int changed = 0;
	unsigned long c;
	char tmp[8];
	int n;

	while (pos < len) {
		c = s[pos];
		if (!in_str) {
			if (c == '"') {
				in_str = 1;
			} else if ((c < 0x20 && c != '\t' && c != '\n') ||
			    c >= 0x7f) {
				put(out, &o, " ", 1);
				changed++;
				pos++;
				continue;
			} else if (c == '-' || c == '+' || c == '.' ||
			    (c >= '0' && c <= '9')) {
				for (end = pos; end < len &&
				     strchr("0123456789+-.eE", in[end]) !=
					 NULL &&
				     in[end] != '\0';
				     end++)
					continue;
				if (!strict_number(in + pos, end - pos))
					return -1;
				put(out, &o, in + pos, end - pos);
				pos = end;
				continue;
			}
			put(out, &o, in + pos, 1);
			pos++;
			continue;
		}
		if (plain[c]) {
			/* the common case, a run of printable ASCII */
			for (end = pos + 1; end < len && plain[s[end]]; end++)
				continue;
			put(out, &o, in + pos, end - pos);
			pos = end;
			continue;
		}
		if (c == '"') {
			in_str = 0;
		} else if (c == '\\' && pos + 1 < len) {
			/* cJSON reads "\u" with non-hex digits as U+0000 */
			if (in[pos + 1] == 'u' && !hex4_at(in, len, pos + 2))
				return -1;
			put(out, &o, in + pos, 2);
			pos += 2;
			continue;
		}
		n = utf8_decode(s + pos, len - pos, &c);
		if (n < 0) {
			put(out, &o, "\\ufffd", 6);
			changed++;
			pos++;
			continue;
		}
		if (c < 0x20 || c == 0x7f || needs_u_escape(c)) {
			snprintf(tmp, sizeof(tmp), "\\u%04lx", c);
			put(out, &o, tmp, 6);
			changed++;
		} else {
			put(out, &o, in + pos, (size_t)n);
		}
		pos += (size_t)n;
	}
	if (out != NULL)
		out[o] = '\0';
	if (outlen != NULL)
		*outlen = o;
	return changed;
}

char *
termsafe_utf8_dup(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t slen = strlen(str);
	size_t pos = 0;
	size_t o = 0;
	unsigned long c;
	char *out;
	int n;

	/* Each byte grows to at most three (U+FFFD). */
	out = malloc(slen * 3 + 1);
	if (out == NULL)
		return NULL;
	while (pos < slen) {
		n = utf8_decode(s + pos, slen - pos, &c);
		if (n < 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			pos++;
			continue;
		}
		memcpy(out + o, s + pos, (size_t)n);
		o += (size_t)n;
		pos += (size_t)n;
	}
	out[o] = '\0';
	return out;
}
