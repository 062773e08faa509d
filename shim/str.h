/*
 * str.h: the two string helpers the failure path needs, instead of
 * snprintf(), whose format parsing cost more than the rest of a record's
 * text (about 6,000 instructions a record).
 */
#ifndef TLSDIAG_STR_H
#define TLSDIAG_STR_H

#include <stddef.h>

/* The end of str_cat()'s list (a NULL string there reads as "(null)"). */
extern const char str_end[];
#define STR_END str_end

/*
 * Concatenate the strings after cap, up to STR_END, into out.  The result
 * is always NUL-terminated and cut to cap - 1 bytes (cap > 0).  Returns
 * the length written.
 */
size_t str_cat(char *out, size_t cap, ...);

/*
 * 1 if s starts with prefix.  A loop in line: strncmp() with strlen() cost
 * the exit scan about 30 instructions and two calls per name tried.
 */
static inline int
str_prefix(const char *s, const char *prefix)
{
	for (; *prefix != '\0'; s++, prefix++)
		if (*s != *prefix)
			return 0;
	return 1;
}

/* v in decimal into buf (at least 21 bytes); returns buf. */
char *str_dec(char *buf, long long v);

#endif
