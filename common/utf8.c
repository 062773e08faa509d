/* utf8.c: strict UTF-8 decoding (RFC 3629), for the shim and the analyzer. */
#include "utf8.h"

int
utf8_decode(const unsigned char *s, size_t avail, unsigned long *cp)
{
	unsigned long c;
	int n;
	int i;

	if (avail == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return -1;
	for (i = 1; i < n; i++) {
		if ((size_t)i >= avail || (s[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return -1;
	if (c >= 0xd800 && c <= 0xdfff)
		return -1;
	*cp = c;
	return n;
}
