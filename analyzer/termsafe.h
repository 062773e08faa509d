/* termsafe.h: make untrusted record strings safe to show on a terminal. */
#ifndef TLSDIAG_TERMSAFE_H
#define TLSDIAG_TERMSAFE_H

#include <stddef.h>

/*
 * Escape s into buf (bufsz bytes, always NUL-terminated): a backslash
 * becomes "\\", \n \r \t stay visible as "\n" "\r" "\t", other C0
 * controls, DEL and bytes that are not UTF-8 become "\xNN", C1 controls,
 * bidi controls and U+2028/U+2029 become "\uNNNN".  If the escaped text
 * is longer than maxlen bytes (0: no limit besides bufsz), it is cut at a
 * character boundary and "..." is appended.  Returns the length written.
 * buf needs at least maxlen + 4 bytes for the limit to apply exactly.
 */
size_t termsafe_escape(const char *s, size_t maxlen, char *buf, size_t bufsz);

/*
 * Return a malloc'd copy of s that is valid UTF-8, each ill-formed byte
 * replaced by U+FFFD.  Returns NULL if memory ran out.
 */
char *termsafe_utf8_dup(const char *s);

#endif
