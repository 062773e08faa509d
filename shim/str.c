/* str.c: see str.h. */
#include "str.h"

#include <stdarg.h>
#include <string.h>

const char str_end[] = "";

size_t
str_cat(char *out, size_t cap, ...)
{
	va_list ap;
	const char *s;
	size_t o = 0, n;

	va_start(ap, cap);
	while ((s = va_arg(ap, const char *)) != str_end) {
		if (s == NULL)
			s = "(null)";
		n = strlen(s);
		if (n > cap - 1 - o)
			n = cap - 1 - o;
		memcpy(out + o, s, n);
		o += n;
	}
	va_end(ap);
	out[o] = '\0';
	return o;
}

char *
str_dec(char *buf, long long v)
{
	char tmp[21];
	unsigned long long u =
	    v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		tmp[--i] = '-';
	memcpy(buf, tmp + i, sizeof(tmp) - i);
	buf[sizeof(tmp) - i] = '\0';
	return buf;
}
