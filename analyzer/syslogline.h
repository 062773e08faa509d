/*
 * syslogline.h: find the JSON record in a line a syslog collector wrote,
 * so that "tlsdiag report" reads a central collector's file as it is.
 */
#ifndef TLSDIAG_SYSLOGLINE_H
#define TLSDIAG_SYSLOGLINE_H

#include <stddef.h>

/*
 * The offset of the JSON object in line[0..len), after a syslog prefix
 * as rsyslog's and syslog-ng's file templates write one:
 *   RFC 5424:  "<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG"
 *   RFC 3164:  "[<PRI>]Mmm dd hh:mm:ss HOST TAG: MSG", or with an RFC 3339
 *              TIMESTAMP ("2026-11-29T23:56:12.99+00:00 HOST TAG: MSG"),
 *              the TAG with or without its ':' (rsyslog writes "app[pid]"
 *              for RFC 5424 input)
 * where MSG is the record, after an optional BOM and "@cee:" cookie, or
 * the rest of an RFC 5424 header a receiver that reads RFC 3164 only left
 * in MSG after taking its "1" for the TAG.
 * Returns 0 when the line starts with '{' or has no such prefix (it is
 * then parsed, and judged, as it is).  Pure; line need not end in NUL.
 */
size_t syslogline_json(const char *line, size_t len);

#endif
