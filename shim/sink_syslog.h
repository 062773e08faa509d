/* sink_syslog.h: send a record to a syslog socket as one RFC 5424 datagram. */
#ifndef TLSDIAG_SINK_SYSLOG_H
#define TLSDIAG_SINK_SYSLOG_H

#include <stddef.h>

/* Facility user (1); the severity follows the record's log.level. */
#define SINK_SYSLOG_FACILITY 1
/* MSGID of every message, so collectors can pick tlsdiag's out. */
#define SINK_SYSLOG_MSGID "tlsdiag"
/* The CEE cookie before the JSON: rsyslog's mmjsonparse wants it. */
#define SINK_SYSLOG_COOKIE "@cee:"
/* Room for the header: PRI, version, time, 255 host, 48 app, pid, msgid. */
#define SINK_SYSLOG_HEADER_MAX 400

/*
 * The PRI for the record json[0..len): facility user, severity from its
 * "log.level" (error 3, warning 4, info 6; anything else 4).
 */
int sink_syslog_pri(const char *json, size_t len);

/*
 * Format "<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - @cee:" into
 * out[0..cap).  TIMESTAMP is the record's own "@timestamp" when json
 * starts with it, else "-"; host and app are cut to RFC 5424's 255 and 48
 * characters, bytes outside printable ASCII become '_', empty ones "-".
 * Returns the length, or -1 if cap is too small.
 */
int sink_syslog_header(char *out, size_t cap, const char *json, size_t len,
    const char *host, const char *app, long pid);

/*
 * Send the record json[0..len) (a line: its newline is left out) to the
 * AF_UNIX datagram socket at sock, as one datagram, on a socket opened
 * for this record and closed again.  Never blocks: a full receiver
 * (EAGAIN), a missing one (ENOENT, ECONNREFUSED) or a datagram too large
 * (EMSGSIZE) drops the record.  errno is left as it was on success.
 * Returns 0, or -1 with errno set.
 */
int sink_syslog_send(const char *sock, const char *json, size_t len,
    const char *host, const char *app, long pid);

#endif
