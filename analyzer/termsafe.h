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

/* The most termsafe_json() writes for len input bytes ("\ufffd" a byte). */
#define TERMSAFE_JSON_MAX(len) ((len)*6 + 1)

/*
 * Make the JSON text in[0..len), which cJSON accepted, safe for whoever
 * reads it: inside strings, C0 controls and DEL become "\u00XX", C1
 * controls, bidi controls and U+2028/U+2029 "\uXXXX", and bytes that are
 * not UTF-8 "\ufffd"; outside strings, control bytes other than tab and
 * newline (whitespace to cJSON, not to JSON) become spaces.  If out is not
 * NULL it receives the result, NUL-terminated (TERMSAFE_JSON_MAX(len)
 * bytes at most), and *outlen its length.  Returns how many characters
 * were changed (0: in is safe as it is), or -1 if in holds a number that
 * strict JSON does not allow ("+1", "01", ".5", "1.") or a "\u" escape
 * without four hex digits (cJSON decodes it as U+0000): re-encode it then.
 */
int termsafe_json(const char *in, size_t len, char *out, size_t *outlen);

/*
 * Return a malloc'd copy of s that is valid UTF-8, each ill-formed byte
 * replaced by U+FFFD.  Returns NULL if memory ran out.
 */
char *termsafe_utf8_dup(const char *s);

#endif
