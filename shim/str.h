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

/* 1 if a and b are the same string (strcmp() == 0), in line as above. */
static inline int
str_eq(const char *a, const char *b)
{
	for (; *a == *b; a++, b++)
		if (*a == '\0')
			return 1;
	return 0;
}

/*
 * The last component of path: what follows its last '/', or path.  In
 * line as above: start-up and exit use no libc string function, each of
 * which costs its first caller about 800 instructions of lazy binding.
 */
static inline const char *
str_base(const char *path)
{
	const char *base = path;

	for (; *path != '\0'; path++)
		if (*path == '/')
			base = path + 1;
	return base;
}

/*
 * 1 if the last component of path starts with one of stems (a
 * NULL-terminated list): how an object is known by its file name.
 */
static inline int
str_base_starts(const char *path, const char *const *stems)
{
	const char *base = str_base(path);

	for (; *stems != NULL; stems++)
		if (str_prefix(base, *stems))
			return 1;
	return 0;
}

/* v in decimal into buf (at least 21 bytes); returns buf. */
char *str_dec(char *buf, long long v);

#endif
