/* certtime.h: RFC 3339 and OpenSSL "notAfter" time parsing and printing. */
#ifndef TLSDIAG_CERTTIME_H
#define TLSDIAG_CERTTIME_H

#include <stddef.h>
#include <stdint.h>

/* Results of certtime_parse_openssl(), mirroring Python's ValueErrors. */
enum certtime_status {
	CERTTIME_OK = 0,
	CERTTIME_BAD_MONTH,   /* first three characters are no month name */
	CERTTIME_NO_MATCH,    /* rest does not match ' %d %H:%M:%S %Y GMT' */
	CERTTIME_UNCONVERTED, /* "unconverted data remains" */
	CERTTIME_YEAR_RANGE   /* year 0: "year 0 is out of range" */
};

/*
 * Parse s exactly as CPython's ssl.cert_time_to_seconds() does (C locale,
 * GMT only; see spec/python-ssl-error-model.md section 10), treating s as
 * UTF-8.  On CERTTIME_OK stores UTC epoch seconds in *secs.  Never reads
 * past the terminating NUL.
 */
enum certtime_status certtime_parse_openssl(const char *s, int64_t *secs);

/*
 * Parse an RFC 3339 date-time ("2026-11-27T03:12:45.123456Z", offsets
 * "+01:00", 't', 'z' and ' ' accepted; fractions beyond microseconds are
 * truncated).  Stores microseconds since the epoch (UTC) in *usec.
 * Returns 0, or -1 if s is not a valid RFC 3339 date-time.
 */
int certtime_parse_rfc3339(const char *s, int64_t *usec);

/*
 * Parse a certificate time in either accepted form (RFC 3339 first, then
 * the OpenSSL form).  Stores microseconds in *usec.  Returns 0 or -1.
 */
int certtime_parse_any(const char *s, int64_t *usec);

/*
 * Format usec as RFC 3339 UTC into buf (at least CERTTIME_BUFSZ bytes),
 * with 6 fractional digits if frac is non-zero.  Returns buf.
 */
#define CERTTIME_BUFSZ 80
char *certtime_format(int64_t usec, int frac, char *buf);

/*
 * Format a non-negative duration in microseconds compactly into buf
 * (CERTTIME_BUFSZ bytes): "3d 4h", "3d", "5h 12m", "7m 3s", "5m", "42s",
 * "0.250s" (a zero second unit is left out).
 * Returns buf.
 */
char *certtime_format_duration(int64_t usec, char *buf);

#endif
