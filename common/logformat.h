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

/*
 * Member names the analyzer reads, one name per JSON member (not per
 * dotted path: a reader descends one object at a time).  The comment
 * gives each member's full dotted path; docs/log-format.md its meaning.
 */
/* top level */
#define LOGFORMAT_M_TIMESTAMP "@timestamp"    /* @timestamp */
#define LOGFORMAT_M_EVENT "event"	      /* event */
#define LOGFORMAT_M_ACTION "action"	      /* event.action */
#define LOGFORMAT_M_LEVEL "log.level"	      /* log.level (one key) */
#define LOGFORMAT_M_PROCESS "process"	      /* process */
#define LOGFORMAT_M_PID "pid"		      /* process.pid */
#define LOGFORMAT_M_THREAD "thread"	      /* process.thread */
#define LOGFORMAT_M_THREAD_ID "id"	      /* process.thread.id */
#define LOGFORMAT_M_EXECUTABLE "executable"   /* process.executable */
#define LOGFORMAT_M_NAME "name"		      /* process.name */
#define LOGFORMAT_M_HOST "host"		      /* host */
#define LOGFORMAT_M_HOSTNAME "hostname"	      /* host.hostname */
#define LOGFORMAT_M_ERROR "error"	      /* error */
#define LOGFORMAT_M_ERROR_TYPE "type"	      /* error.type */
#define LOGFORMAT_M_ERROR_MESSAGE "message"   /* error.message */
#define LOGFORMAT_M_SOURCE "source"	      /* source (peer of a server) */
#define LOGFORMAT_M_DESTINATION "destination" /* destination (of a client) */
#define LOGFORMAT_M_IP "ip"		      /* source.ip, destination.ip */
#define LOGFORMAT_M_PORT "port" /* source.port, destination.port */
/* tls: the peer's certificate is under tls.server (we are the client) */
#define LOGFORMAT_M_TLS "tls"		      /* tls */
#define LOGFORMAT_M_CLIENT "client"	      /* tls.client */
#define LOGFORMAT_M_SERVER "server"	      /* tls.server */
#define LOGFORMAT_M_SERVER_NAME "server_name" /* tls.client.server_name */
#define LOGFORMAT_M_X509 "x509"		      /* tls.{client,server}.x509 */
#define LOGFORMAT_M_SUBJECT "subject"	      /* tls.*.x509.subject */
#define LOGFORMAT_M_ISSUER "issuer"	      /* tls.*.x509.issuer */
#define LOGFORMAT_M_DN                                                         \
	"distinguished_name" /* tls.*.x509.{subject,issuer}.distinguished_name */
#define LOGFORMAT_M_NOT_BEFORE "not_before" /* tls.*.x509.not_before */
#define LOGFORMAT_M_NOT_AFTER "not_after"   /* tls.*.x509.not_after */
#define LOGFORMAT_M_SERIAL "serial_number"  /* tls.*.x509.serial_number */
#define LOGFORMAT_M_HASH "hash"		    /* tls.{client,server}.hash */
#define LOGFORMAT_M_SHA256 "sha256"	    /* tls.*.hash.sha256 */
/* tlsdiag */
#define LOGFORMAT_M_TLSDIAG "tlsdiag" /* tlsdiag */
#define LOGFORMAT_M_SCHEMA "schema"   /* tlsdiag.schema */
#define LOGFORMAT_M_SUPPRESSED                                                 \
	"suppressed" /* tlsdiag.suppressed, tlsdiag.coverage.suppressed */
#define LOGFORMAT_M_COVERAGE "coverage"		    /* tlsdiag.coverage */
#define LOGFORMAT_M_CALL "call"			    /* tlsdiag.call */
#define LOGFORMAT_M_SSL_ERROR "ssl_error"	    /* tlsdiag.ssl_error */
#define LOGFORMAT_M_REASON "reason"		    /* tlsdiag.reason */
#define LOGFORMAT_M_VERIFY_MESSAGE "verify_message" /* tlsdiag.verify_message */
#define LOGFORMAT_M_VERIFY_CODE "verify_code"	    /* tlsdiag.verify_code */
#define LOGFORMAT_M_ERRNO "errno"		    /* tlsdiag.errno */
#define LOGFORMAT_M_ROLE "role"	       /* tlsdiag.role: "client" or "server" */
#define LOGFORMAT_ROLE_SERVER "server" /* its value when we are the server */
#define LOGFORMAT_M_PHASE "phase"      /* tlsdiag.phase */
#define LOGFORMAT_M_TRANSPORT "transport" /* tlsdiag.transport */
#define LOGFORMAT_M_AGE_S "age_s"	  /* tlsdiag.age_s */
#define LOGFORMAT_M_BYTES "bytes"	  /* tlsdiag.bytes */
#define LOGFORMAT_M_READ "read"		  /* tlsdiag.bytes.read */
#define LOGFORMAT_M_WRITTEN "written"	  /* tlsdiag.bytes.written */
#define LOGFORMAT_M_SHUTDOWN "shutdown"	  /* tlsdiag.shutdown */
#define LOGFORMAT_M_SENT "sent"		  /* tlsdiag.shutdown.sent */
#define LOGFORMAT_M_RECEIVED "received"	  /* tlsdiag.shutdown.received */
#define LOGFORMAT_M_STACK_ID "stack_id"	  /* tlsdiag.stack_id */
#define LOGFORMAT_M_BACKTRACE "backtrace" /* tlsdiag.backtrace */
#define LOGFORMAT_M_MODULE "module"	  /* tlsdiag.backtrace[].module */
#define LOGFORMAT_M_BUILD_ID "build_id"	  /* tlsdiag.backtrace[].build_id */
#define LOGFORMAT_M_SYMBOL "symbol"	  /* tlsdiag.backtrace[].symbol */
#define LOGFORMAT_M_OFFSET "offset"	  /* tlsdiag.backtrace[].offset */
#define LOGFORMAT_M_TRUNCATED "truncated" /* tlsdiag.truncated */
#define LOGFORMAT_M_ERRORS "errors"	  /* tlsdiag.errors */
#define LOGFORMAT_M_CODE "code"		  /* tlsdiag.errors[].code */
#define LOGFORMAT_M_LIBRARY "library"	  /* tlsdiag.errors[].library */
#define LOGFORMAT_M_TEXT                                                       \
	"text" /* tlsdiag.errors[].text; .reason is LOGFORMAT_M_REASON */
/* tlsdiag.coverage (exit records) */
#define LOGFORMAT_M_TLS_SEEN "tls_seen" /* tlsdiag.coverage.tls_seen */
#define LOGFORMAT_M_STATIC_OPENSSL                                             \
	"static_openssl" /* tlsdiag.coverage.static_openssl */
#define LOGFORMAT_M_INTERNAL_ONLY                                              \
	"internal_callers_only" /* tlsdiag.coverage.internal_callers_only */
#define LOGFORMAT_M_LIBRARIES "libraries" /* tlsdiag.coverage.libraries */
#define LOGFORMAT_M_SCOPE "scope" /* tlsdiag.coverage.libraries[].scope */
#define LOGFORMAT_SCOPE_GLOBAL                                                 \
	"global"		/* its value for a libssl in the global scope */
#define LOGFORMAT_M_PATH "path" /* tlsdiag.coverage.libraries[].path */
#define LOGFORMAT_M_OTHER_TLS "other_tls" /* tlsdiag.coverage.other_tls */
/* tlsdiag.coverage.attach: only after "tlsdiag attach" (shim/attach.c) */
#define LOGFORMAT_M_ATTACH "attach"
#define LOGFORMAT_M_ATTACH_SLOTS "slots"
#define LOGFORMAT_M_ATTACH_FOREIGN "foreign_slots"
#define LOGFORMAT_M_ATTACH_UNREACHABLE "unreachable"
#define LOGFORMAT_M_OTHER_TLS "other_tls"     /* tlsdiag.coverage.other_tls */
#define LOGFORMAT_M_ENTRY_HOOKS "entry_hooks" /* tlsdiag.coverage.entry_hooks */
/* objects that export OpenSSL past the bound of entry_hooks (a count) */
#define LOGFORMAT_M_ENTRY_HOOKS_UNLISTED "entry_hooks_unlisted"
#define LOGFORMAT_M_HOOKED "hooked" /* tlsdiag.coverage.entry_hooks[].hooked */
#define LOGFORMAT_M_NOT_HOOKED                                                 \
	"not_hooked" /* tlsdiag.coverage.entry_hooks[].not_hooked */
#define LOGFORMAT_M_FUNCTION                                                   \
	"function" /* ...entry_hooks[].not_hooked[].function; .reason is       \
		      LOGFORMAT_M_REASON */
#define LOGFORMAT_M_RECORDS "records"	  /* tlsdiag.coverage.records */
#define LOGFORMAT_M_DROPPED "dropped"	  /* tlsdiag.coverage.dropped */
#define LOGFORMAT_M_FOLLOWUPS "followups" /* tlsdiag.coverage.followups */

/*
 * Members the shim writes and the analyzer does not read (yet): the
 * shim's emitter (shim/emit.c) names every member through this header.
 * tlsdiag.coverage.failures has one member per exception class name
 * besides verify_ignored.
 */
#define LOGFORMAT_M_MESSAGE "message" /* message (the one-line summary) */
#define LOGFORMAT_M_ECS_VERSION "ecs.version" /* ecs.version (one key) */
#define LOGFORMAT_M_ADDRESS                                                    \
	"address" /* source.address, destination.address (no IP) */
#define LOGFORMAT_M_VERSION                                                    \
	"version" /* tls.version, tlsdiag.openssl.version, ...libraries[].version */
#define LOGFORMAT_M_VERSION_PROTOCOL                                           \
	"version_protocol"	      /* tls.version_protocol */
#define LOGFORMAT_M_CIPHER "cipher"   /* tls.cipher */
#define LOGFORMAT_M_RESUMED "resumed" /* tls.resumed */
#define LOGFORMAT_M_ALT_NAMES                                                  \
	"alternative_names"		  /* tls.*.x509.alternative_names */
#define LOGFORMAT_M_GIVEN "given"	  /* tlsdiag.log_fallback.given */
#define LOGFORMAT_M_RET "ret"		  /* tlsdiag.ret */
#define LOGFORMAT_M_AFTER "after"	  /* tlsdiag.after */
#define LOGFORMAT_M_EXC_ERRNO "exc_errno" /* tlsdiag.exc_errno */
#define LOGFORMAT_M_VERIFY_DEPTH "verify_depth"	    /* tlsdiag.verify_depth */
#define LOGFORMAT_M_VERIFY_SUBJECT "verify_subject" /* tlsdiag.verify_subject */
#define LOGFORMAT_M_PYTHON_MODEL "python_model"	    /* tlsdiag.python_model */
#define LOGFORMAT_M_PYTHON_MODEL_SOURCE                                        \
	"python_model_source"		      /* tlsdiag.python_model_source */
#define LOGFORMAT_M_PEER_SOURCE "peer_source" /* tlsdiag.peer_source */
#define LOGFORMAT_M_BIO "bio"		      /* tlsdiag.bio */
#define LOGFORMAT_M_CHECK_HOST "check_host"   /* tlsdiag.check_host */
#define LOGFORMAT_M_CHECK_HOST_SOURCE                                          \
	"check_host_source" /* tlsdiag.check_host_source */
#define LOGFORMAT_M_IGNORE_EOF                                                 \
	"ignore_unexpected_eof" /* tlsdiag.ignore_unexpected_eof */
#define LOGFORMAT_M_STALE_QUEUE "stale_queue" /* tlsdiag.stale_queue */
/*
 * tlsdiag.verdict_source: present when no OpenSSL call failed and a
 * program's own layer decided (node's JavaScript, shim/node_napi.c);
 * tlsdiag.call, ret, ssl_error and errno then hold what the call CPython
 * makes would have returned (docs/log-format.md).
 */
#define LOGFORMAT_M_VERDICT_SOURCE "verdict_source"
#define LOGFORMAT_VERDICT_SOURCE_NODE "node" /* its value for node */
#define LOGFORMAT_M_NODE_CODE "node_code"    /* tlsdiag.node_code */
#define LOGFORMAT_CHECK_HOST_NODE                                              \
	"node" /* tlsdiag.check_host_source: the host node's check used */
#define LOGFORMAT_M_EOF_MASKED "eof_masked" /* tlsdiag.eof_masked */
#define LOGFORMAT_M_OPENSSL "openssl"	    /* tlsdiag.openssl */
#define LOGFORMAT_M_BACKTRACE_REPEAT                                           \
	"backtrace_repeat" /* tlsdiag.backtrace_repeat */
#define LOGFORMAT_M_BOUND                                                      \
	"bound" /* tlsdiag.coverage.bound, ...libraries[].bound */
#define LOGFORMAT_M_CALLED "called"	/* tlsdiag.coverage.called */
#define LOGFORMAT_M_FAILURES "failures" /* tlsdiag.coverage.failures */
#define LOGFORMAT_M_VERIFY_IGNORED                                             \
	"verify_ignored" /* tlsdiag.coverage.failures.verify_ignored */

#endif
