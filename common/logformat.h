/* logformat.h: the log record contract shared by the shim and the analyzer. */
#ifndef TLSDIAG_LOGFORMAT_H
#define TLSDIAG_LOGFORMAT_H

/*
 * One JSON object per line (JSON Lines), written with one write() to a file
 * opened O_APPEND.  docs/log-format.md is the full contract; this header
 * holds the names both sides must agree on.  A reader skips (and counts)
 * records whose schema is newer than LOGFORMAT_SCHEMA.
 */
#define LOGFORMAT_SCHEMA 1

/*
 * ecs.version of every record: the Elastic Common Schema release whose
 * field definitions the fields outside tlsdiag.* follow (checked against
 * npm @elastic/ecs 9.4.0's ecs_flat table by tests/e2e/t545-ecs.sh).
 */
#define LOGFORMAT_ECS_VERSION "9.4.0"

/*
 * Every record begins with these bytes, and they cannot occur anywhere
 * else in a record (a quote inside a string is escaped).  A reader splits
 * a damaged line at them: a record torn by a failed write and the whole
 * records glued after it on the same line (docs/log-format.md).
 */
#define LOGFORMAT_RECORD_START "{\"@timestamp\""

/* tlsdiag.log_fallback: {given, reason}, TLSDIAG_LOG was not used */
#define LOGFORMAT_LOG_FALLBACK "log_fallback"

/* event.action values */
#define LOGFORMAT_ACTION_FAILURE "tls_failure" /* a classified failure */
#define LOGFORMAT_ACTION_START "tlsdiag_start" /* first TLS activity */
#define LOGFORMAT_ACTION_EXIT "tlsdiag_exit"   /* coverage at exit */
#define LOGFORMAT_ACTION_SUPPRESSED "tlsdiag_suppressed" /* rate limit */

/* log.level values */
#define LOGFORMAT_LEVEL_ERROR "error"
#define LOGFORMAT_LEVEL_WARNING "warning"
#define LOGFORMAT_LEVEL_INFO "info"

/* tlsdiag.phase values */
#define LOGFORMAT_PHASE_HANDSHAKE "handshake"
#define LOGFORMAT_PHASE_DATA "data"
#define LOGFORMAT_PHASE_SHUTDOWN "shutdown"

#endif
