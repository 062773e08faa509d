/*
 * textcheck.c: an independent statement of "safe for a terminal", kept
 * apart from analyzer/termsafe.c so that the fuzzers test it rather than
 * trust it.
 */
#include "textcheck.h"

int
textcheck_safe(const char *str, size_t n, int tabs, size_t *at)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned long c;
	size_t i = 0, len, k;

	while (i < n) {
		*at = i;
		if (s[i] < 0x80) {
			c = s[i];
			len = 1;
		} else if (s[i] >= 0xC2 && s[i] <= 0xDF) {
			c = s[i] & 0x1F;
			len = 2;
		} else if (s[i] >= 0xE0 && s[i] <= 0xEF) {
			c = s[i] & 0x0F;
			len = 3;
		} else if (s[i] >= 0xF0 && s[i] <= 0xF4) {
			c = s[i] & 0x07;
			len = 4;
		} else
			return 0;
		if (len > n - i)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			c = (c << 6) | (s[i + k] & 0x3F);
		}
		if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
		    (len == 4 && c < 0x10000) || c > 0x10FFFF ||
		    (c >= 0xD800 && c <= 0xDFFF))
			return 0;
		if ((c < 0x20 && c != '\n' && !(tabs && c == '\t')) ||
		    c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x061C ||
		    c == 0x200E || c == 0x200F ||
		    (c >= 0x202A && c <= 0x202E) ||
		    (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029)
			return 0;
		i += len;
	}
	return 1;
}
