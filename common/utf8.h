/* utf8.h: strict UTF-8 decoding shared by the shim and the analyzer. */
#ifndef TLSDIAG_UTF8_H
#define TLSDIAG_UTF8_H

#include <stddef.h>

/*
 * Decode one code point from the avail bytes at s into *cp.  Returns its
 * length (1..4), 0 if avail is 0, or -1 if the bytes are not well-formed
 * UTF-8 (overlongs, surrogates and values above U+10FFFF are rejected).
 * Stops at the first byte that does not continue the sequence, so a NUL
 * terminator is never read past.
 */
int utf8_decode(const unsigned char *s, size_t avail, unsigned long *cp);

#endif
