/*
 * termsafe.c: certificate subjects, SNI names, paths and messages in a
 * log come from peers and programs we do not trust.  Text output passes
 * every such string through termsafe_escape() so that escape sequences,
 * bidi overrides and megabyte-long values cannot reach the terminal.
 */
#include "termsafe.h"

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
