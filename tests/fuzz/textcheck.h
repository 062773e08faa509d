/* textcheck.h: what the fuzz harnesses require of text meant for people. */
#ifndef TLSDIAG_TEXTCHECK_H
#define TLSDIAG_TEXTCHECK_H

#include <stddef.h>

/*
 * 1 if s[0..n) may be written to a terminal: strict UTF-8 with no C0
 * control but '\n' (and '\t' if tabs), no DEL, no C1 control, no bidi
 * control and no U+2028/U+2029.  Otherwise 0, with the offset of the
 * first offending byte in *at.
 */
int textcheck_safe(const char *s, size_t n, int tabs, size_t *at);

#endif
