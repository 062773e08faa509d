/* hex.h: bytes to hexadecimal text, with no allocation and no libc. */
#ifndef TLSDIAG_HEX_H
#define TLSDIAG_HEX_H

#include <stddef.h>

/*
 * Write the n bytes at p as 2 * n hex digits (upper case if upper, else
 * lower case) and a NUL to out, which must hold 2 * n + 1 bytes.  Returns
 * out.
 */
char *hex_encode(char *out, const unsigned char *p, size_t n, int upper);

#endif
