/*
 * hex.c: the shim writes build ids (lower case, as readelf and debuginfod
 * spell them) and certificate serial numbers and SHA-256 fingerprints
 * (upper case, as getpeercert() gives serialNumber) with this.
 */
#include "hex.h"

char *
hex_encode(char *out, const unsigned char *p, size_t n, int upper)
{
	static const char lower_digits[] = "0123456789abcdef";
	static const char upper_digits[] = "0123456789ABCDEF";
	const char *digits = upper ? upper_digits : lower_digits;
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
	return out;
}
