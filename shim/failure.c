/*
 * failure.c: what happens when an intercepted call fails.  Classify it as
 * CPython would, gather the context, write one record.  errno and the
 * OpenSSL error queue are left exactly as the real call left them: only
 * peeking calls are used, and everything that might queue an error runs
 * between ERR_set_mark and ERR_pop_to_mark.
 */
#include "shim.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/logformat.h"
#include "backtrace.h"
#include "context.h"
#include "coverage.h"
#include "emit.h"
#include "pydetect.h"
#include "ratelimit.h"
#include "recordout.h"
#include "str.h"

/*
 * Per-connection flags, kept in the SSL's ex_data without allocating:
 * the connection's read BIO pointer with the flags in its low bits (BIOs
 * are malloc'd, so at least 8-byte aligned).  A program that reuses an
 * SSL with SSL_clear() for a new connection gives it a new BIO, and the
 * flags of the old connection no longer apply.
 */
#define FLAG_VERIFY_RECORDED 1UL /* a verify failure is on record */
#define FLAG_FAILED 2UL		 /* a failure is on record */
#define FLAG_MASK 7UL

static int
ex_index(struct ossl *o)
{
	int i = atomic_load(&o->ex_index);

	if (i == -1) {
		/* CRYPTO_EX_INDEX_SSL is 0; no callbacks of ours */
		int n, expect = -1;

		o->ERR_set_mark();
		n = o->CRYPTO_get_ex_new_index(0, 0, NULL, NULL, NULL, NULL);
		o->ERR_pop_to_mark();
		if (n < 0)
			n = -2;
		if (!atomic_compare_exchange_strong(&o->ex_index, &expect, n))
			n = expect;
		i = n;
	}
	return i;
}

static unsigned long
conn_flags(struct ossl *o, SSL *s)
{
	int i = ex_index(o);
	uintptr_t v;

	if (i < 0)
		return 0;
	v = (uintptr_t)o->SSL_get_ex_data(s, i);
	if ((v & ~(uintptr_t)FLAG_MASK) != (uintptr_t)o->SSL_get_rbio(s))
		return 0; /* another connection's, or none */
	return (unsigned long)(v & FLAG_MASK);
}

static void
conn_set_flags(struct ossl *o, SSL *s, unsigned long f)
{
	int i = ex_index(o);
	uintptr_t b = (uintptr_t)o->SSL_get_rbio(s);

	if (i >= 0 && (b & FLAG_MASK) == 0)
		o->SSL_set_ex_data(s, i, (void *)(b | (f & FLAG_MASK)));
}

static enum shim_kind
kind_of(const struct classify_out *k)
{
	if (k->oserror)
		return KIND_OSERROR;
	if (k->type == EXC_SSL_EOF)
		return KIND_EOF;
	if (k->cert)
		return KIND_CERT;
	if (k->type == EXC_SSL_ZERO_RETURN)
		return KIND_ZERO_RETURN;
	if (k->type == EXC_SSL_SYSCALL)
		return KIND_SYSCALL;
	return KIND_SSL;
}

static const char *
phase_of(enum call c, const struct conn *cn)
{
	if (c == CALL_SSL_SHUTDOWN)
		return LOGFORMAT_PHASE_SHUTDOWN;
	if (c == CALL_SSL_DO_HANDSHAKE || c == CALL_SSL_CONNECT ||
	    c == CALL_SSL_ACCEPT || c == CALL_SSL_GET_VERIFY_RESULT ||
	    !cn->handshake_done)
		return LOGFORMAT_PHASE_HANDSHAKE;
	return LOGFORMAT_PHASE_DATA;
}

/*
 * The phantom-error pattern (openssl#11889 and others): SSL_get_error
 * looks at the queue before anything else, so an error the program left
 * queued earlier turns a call that only needs to be retried into
 * SSL_ERROR_SSL.  Judged without the queue, would this call have been a
 * retry?  Then what is queued is stale.
 */
static int
stale_queue(struct ossl *o, SSL *s)
{
	int want = o->SSL_want(s);
	BIO *b;

	if (want == SSL_READING)
		b = o->SSL_get_rbio(s);
	else if (want == SSL_WRITING)
		b = o->SSL_get_wbio(s);
	else
		return 0;
	if (b == NULL)
		return 0;
	return o->BIO_test_flags(b, BIO_FLAGS_SHOULD_RETRY) != 0 &&
	    o->BIO_test_flags(b,
		want == SSL_READING ? BIO_FLAGS_READ : BIO_FLAGS_WRITE) != 0;
}

/*
 * Build and write the record for facts f about s.  A record that does
 * not fit is built again with its largest parts shortened (recordout.h).
 */
static void
write_failure(struct ossl *o, SSL *s, struct fail_facts *f,
    const struct conn *cn, const struct classify_out *k)
{
	char msg[2048];
	struct verify_where vw;
	const char *shortmsg = k->cert ? k->verify_message : k->text;
	const char *call = classify_call_names[f->call];

	if (f->eof_masked)
		str_cat(msg, sizeof(msg), classify_type_names[k->type], " in ",
		    call, " from ", shim.name, " (", cn->peer_text,
		    "): abrupt EOF reported as "
		    "a clean close (SSL_OP_IGNORE_UNEXPECTED_EOF)",
		    STR_END);
	else if (f->stale)
		str_cat(msg, sizeof(msg), classify_type_names[k->type], " in ",
		    call, " from ", shim.name, " (", cn->peer_text,
		    "): ", shortmsg,
		    " (stale "
		    "error left on the queue before the call; the call only "
		    "needed to be retried)",
		    STR_END);
	else
		str_cat(msg, sizeof(msg), classify_type_names[k->type], " in ",
		    call, " from ", shim.name, " (", cn->peer_text,
		    "): ", shortmsg,
		    strcmp(f->level, LOGFORMAT_LEVEL_WARNING) == 0 && k->cert ?
			" (ignored by the program)" :
			"",
		    f->node_code != NULL ? " (node's verdict: " : "",
		    f->node_code != NULL ? f->node_code : "",
		    f->node_code != NULL ? ")" : "", STR_END);
	vw.depth = -1;
	vw.cut = 0;
	if (k->cert)
		context_verify_where(o, s, k->verify_code, &vw);
	f->phase = phase_of(f->call, cn);
	emit_failure(msg, o, s, f, cn, k, &vw);
}

#ifdef SHIM_FAULTS
/*
 * Test builds only (libtlsdiag-faults.so): misbehave inside the bracket
 * the way a failing OpenSSL getter or a failing open() would, so tests
 * can prove the host never sees it.
 */
static void
inject_faults(struct ossl *o)
{
	if (getenv("TLSDIAG_FAULT_ERRQUEUE") == NULL)
		;
	else if (o->ERR_new != NULL && o->ERR_set_error != NULL) {
		o->ERR_new(); /* 3.x: what ERR_raise expands to */
		o->ERR_set_error(CLASSIFY_LIB_SSL, 68, NULL);
	} else if (o->ERR_put_error != NULL)
		o->ERR_put_error(CLASSIFY_LIB_SSL, 0, 68, "fault", 1);
	if (getenv("TLSDIAG_FAULT_ERRNO") != NULL)
		errno = EILSEQ;
}
#else
#define inject_faults(o) ((void)(o))
#endif

/*
 * Classify and record; the caller holds an error-queue mark and has
 * admitted the record through the rate limit, except for a clean close,
 * which is decided here.  flags: the connection's, before this failure.
 */
static void
record_failure(struct ossl *o, SSL *s, struct fail_facts *f,
    unsigned long flags)
{
	struct classify_in in;
	struct classify_out k;
	struct conn cn;

	inject_faults(o);
	context_gather(o, s, &cn);
	if (f->ssl_error == SSL_ERROR_ZERO_RETURN) {
		/*
		 * A clean close is not a failure, except during a handshake
		 * or when SSL_OP_IGNORE_UNEXPECTED_EOF turned an abrupt EOF
		 * into one (the transport itself hit EOF).
		 */
		if (cn.handshake_done && f->call != CALL_SSL_SHUTDOWN) {
			if (cn.ignore_eof && cn.rbio_eof) {
				f->eof_masked = 1;
				f->level = LOGFORMAT_LEVEL_WARNING;
			} else if (shim.cfg.clean_close)
				f->level = LOGFORMAT_LEVEL_INFO;
			else
				return;
		}
		if (!ratelimit_admit())
			return;
	}

	memset(&in, 0, sizeof(in));
	in.call = f->call;
	in.ret = f->ret;
	in.ssl_error = f->ssl_error;
	in.sys_errno = f->sys_errno;
	in.err = f->last;
	in.layout = o->layout;
	in.reason_text =
	    f->last != 0 ? o->ERR_reason_error_string(f->last) : NULL;
	in.verify_result = o->SSL_get_verify_result(s);
	in.verify_text = o->X509_verify_cert_error_string(in.verify_result);
	context_mismatch_host(&cn, in.verify_result);
	in.check_host = cn.check_host[0] != '\0' ? cn.check_host : NULL;
	in.memory_bio =
	    cn.transport != TRANSPORT_SOCKET && cn.transport != TRANSPORT_FD;
	in.pyver = pydetect_model(&shim.cfg)->pyver;
	classify(&in, &k);
	conn_set_flags(o, s,
	    flags | FLAG_FAILED | (k.cert ? FLAG_VERIFY_RECORDED : 0));
	atomic_fetch_add(&shim.failures[kind_of(&k)], 1);
	write_failure(o, s, f, &cn, &k);
}

/*
 * A failure the rate limit held back is counted once, as suppressed: its
 * echoes on the same connection (the program's SSL_get_verify_result, the
 * reads and shutdown of its clean-up) are follow-ups, as they are after a
 * recorded failure.  So mark the connection as record_failure() would.
 */
static void
held_back(struct ossl *o, SSL *s, const struct fail_facts *f,
    unsigned long flags)
{
	unsigned long e = o->ERR_peek_last_error();
	int cert = (f->ssl_error == SSL_ERROR_SSL ||
		       f->ssl_error == SSL_ERROR_SYSCALL) &&
	    e != 0 && classify_err_lib(e, o->layout) == CLASSIFY_LIB_SSL &&
	    classify_err_reason(e, o->layout) == CLASSIFY_R_CERT_VERIFY_FAILED;

	o->ERR_set_mark();
	conn_set_flags(o, s,
	    flags | FLAG_FAILED | (cert ? FLAG_VERIFY_RECORDED : 0));
	o->ERR_pop_to_mark();
}

void
failure_io(struct ossl *o, enum call c, SSL *s, int ret)
{
	int saved = errno;
	unsigned long flags;
	struct fail_facts f;

	memset(&f, 0, sizeof(f));
	f.call = c;
	f.ret = ret;
	f.sys_errno = saved;
	f.level = LOGFORMAT_LEVEL_ERROR;
	f.ssl_error = o->SSL_get_error(s, ret);
	if (classify_is_retry(f.ssl_error) || f.ssl_error == SSL_ERROR_NONE)
		goto out;
	if (resolve_failure_path(o) < 0)
		goto out;
	/*
	 * Once a connection has failed, programs still call into it while
	 * cleaning up (curl reads and shuts down after a failed handshake);
	 * those echoes of the first failure are counted, not recorded.
	 */
	flags = conn_flags(o, s);
	if (flags & FLAG_FAILED) {
		atomic_fetch_add(&shim.followups, 1);
		goto out;
	}
	/* In a storm, a held-back failure costs no more than this. */
	if (f.ssl_error != SSL_ERROR_ZERO_RETURN && !ratelimit_admit()) {
		held_back(o, s, &f, flags);
		goto out;
	}
	f.first = o->ERR_peek_error();
	f.last = o->ERR_peek_last_error();
	if (f.first != 0)
		f.stale = stale_queue(o, s);
	o->ERR_set_mark();
	record_failure(o, s, &f, flags);
	o->ERR_pop_to_mark();
out:
	errno = saved;
}

void
failure_verify(struct ossl *o, SSL *s, long result, enum call after)
{
	int saved = errno;
	struct fail_facts f;
	struct classify_in in;
	struct classify_out k;
	struct conn cn;

	if (resolve_failure_path(o) < 0)
		return;
	o->ERR_set_mark();
	if (conn_flags(o, s) & FLAG_VERIFY_RECORDED)
		goto out;
	conn_set_flags(o, s, conn_flags(o, s) | FLAG_VERIFY_RECORDED);
	if (!ratelimit_admit())
		goto out;
	context_gather(o, s, &cn);
	memset(&f, 0, sizeof(f));
	f.call = CALL_SSL_GET_VERIFY_RESULT;
	f.ret = (int)result;
	f.ssl_error = -1;
	f.sys_errno = saved;
	f.after = after;
	/* Finished handshake: the program went on regardless. */
	f.level =
	    cn.init_finished ? LOGFORMAT_LEVEL_WARNING : LOGFORMAT_LEVEL_ERROR;

	/* What CPython would raise had it enforced verification. */
	memset(&in, 0, sizeof(in));
	in.call = CALL_SSL_DO_HANDSHAKE;
	in.ret = -1;
	in.ssl_error = SSL_ERROR_SSL;
	in.err = classify_err_pack(CLASSIFY_LIB_SSL,
	    CLASSIFY_R_CERT_VERIFY_FAILED, o->layout);
	in.layout = o->layout;
	in.reason_text = o->ERR_reason_error_string(in.err);
	in.verify_result = result;
	in.verify_text = o->X509_verify_cert_error_string(result);
	context_mismatch_host(&cn, result);
	in.check_host = cn.check_host[0] != '\0' ? cn.check_host : NULL;
	in.pyver = pydetect_model(&shim.cfg)->pyver;
	classify(&in, &k);
	atomic_fetch_add(&shim.failures[cn.init_finished ? KIND_VERIFY_IGNORED :
							   KIND_CERT],
	    1);
	write_failure(o, s, &f, &cn, &k);
out:
	o->ERR_pop_to_mark();
	errno = saved;
}

void
check_verify_after_handshake(struct ossl *o, enum call c, SSL *s)
{
	long r = o->SSL_get_verify_result(s);

	if (r != X509_V_OK)
		failure_verify(o, s, r, c);
}

/*
 * 1 when host, as CPython would check it (X509_VERIFY_PARAM_set1_host
 * with X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, or set1_ip for an address),
 * does not match s's peer certificate: the mismatch is OpenSSL's verdict,
 * not only node's.  *ip says which check ran.  0 when it matches, when
 * there is no certificate or the check cannot run.
 */
static int
host_mismatch(struct ossl *o, SSL *s, const struct conn *cn, const char *host,
    int *ip)
{
	unsigned char a[16];
	X509 *x;
	int owned, r;

	*ip = inet_pton(AF_INET, host, a) == 1 ||
	    inet_pton(AF_INET6, host, a) == 1;
	if (*ip ? o->X509_check_ip_asc == NULL : o->X509_check_host == NULL)
		return 0;
	x = context_peer_cert(o, s, cn, &owned);
	if (x == NULL)
		return 0;
	r = *ip ? o->X509_check_ip_asc(x, host, 0) :
		  o->X509_check_host(x, host, strlen(host),
		      X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL);
	if (owned)
		o->X509_free(x);
	return r == 0;
}

/*
 * The inputs classify() would get from the call CPython makes when the
 * transport under s failed as node saw it (v), into *in and *f; 0, or -1
 * when CPython would raise nothing there (a clean close, or an abrupt EOF
 * that SSL_OP_IGNORE_UNEXPECTED_EOF reports as one).
 */
static int
node_inputs(struct ossl *o, enum node_verdict v, const struct conn *cn,
    unsigned pyver, struct classify_in *in, struct fail_facts *f)
{
	/* 3.10 and later read with SSL_read_ex, which returns 0 */
	int rw_ex = pyver >= PYVER(3, 10, 0);

	if (cn->shutdown & SSL_RECEIVED_SHUTDOWN)
		return -1; /* close_notify came: recv() returns b'' */
	if (!cn->handshake_done) {
		f->call = CALL_SSL_DO_HANDSHAKE;
		f->ret = -1;
	} else {
		f->call = rw_ex ? CALL_SSL_READ_EX : CALL_SSL_READ;
		f->ret = rw_ex ? 0 : -1;
	}
	if (v == NODE_RESET) {
		f->ssl_error = SSL_ERROR_SYSCALL;
		f->sys_errno = ECONNRESET;
	} else if (cn->ignore_eof) {
		if (cn->handshake_done)
			return -1;
		f->ssl_error = SSL_ERROR_ZERO_RETURN;
	} else if (o->layout == ERR_LAYOUT_3) {
		f->ssl_error = SSL_ERROR_SSL;
		in->err = classify_err_pack(CLASSIFY_LIB_SSL,
		    CLASSIFY_R_UNEXPECTED_EOF, o->layout);
	} else {
		/* 1.1.1: SYSCALL, empty queue, errno 0 (§5.1) */
		f->ssl_error = SSL_ERROR_SYSCALL;
		if (f->call == CALL_SSL_READ)
			f->ret = 0;
	}
	in->call = f->call;
	in->ret = f->ret;
	in->ssl_error = f->ssl_error;
	in->sys_errno = f->sys_errno;
	return 0;
}

int
failure_node(struct ossl *o, SSL *s, enum node_verdict v, const char *code,
    const char *host)
{
	int saved = errno, ip = 0, rc = 0;
	unsigned long flags;
	struct fail_facts f;
	struct classify_in in;
	struct classify_out k;
	struct conn cn;

	if (resolve_failure_path(o) < 0)
		return 0;
	o->ERR_set_mark();
	flags = conn_flags(o, s);
	/* the entry hooks recorded this connection already (exp, self) */
	if (flags & (FLAG_FAILED | FLAG_VERIFY_RECORDED))
		goto out;
	context_gather(o, s, &cn);
	memset(&f, 0, sizeof(f));
	memset(&in, 0, sizeof(in));
	f.level = LOGFORMAT_LEVEL_ERROR;
	f.node_code = code;
	in.pyver = pydetect_model(&shim.cfg)->pyver;
	if (v == NODE_HOST) {
		/* a chain node accepted but OpenSSL did not: not ours */
		if (o->SSL_get_verify_result(s) != X509_V_OK || host == NULL ||
		    host[0] == '\0' || !host_mismatch(o, s, &cn, host, &ip))
			goto out;
		f.call = CALL_SSL_DO_HANDSHAKE;
		f.ret = -1;
		f.ssl_error = SSL_ERROR_SSL;
		in.call = f.call;
		in.ret = f.ret;
		in.ssl_error = f.ssl_error;
		in.err = classify_err_pack(CLASSIFY_LIB_SSL,
		    CLASSIFY_R_CERT_VERIFY_FAILED, o->layout);
		in.verify_result = ip ? X509_V_ERR_IP_ADDRESS_MISMATCH :
					X509_V_ERR_HOSTNAME_MISMATCH;
		str_cat(cn.check_host, sizeof(cn.check_host), host, STR_END);
		cn.check_host_source = LOGFORMAT_CHECK_HOST_NODE;
		in.check_host = cn.check_host;
	} else if (node_inputs(o, v, &cn, in.pyver, &in, &f) < 0)
		goto out;
	if (!ratelimit_admit())
		goto out;
	in.layout = o->layout;
	in.reason_text =
	    in.err != 0 ? o->ERR_reason_error_string(in.err) : NULL;
	if (v == NODE_HOST)
		in.verify_text =
		    o->X509_verify_cert_error_string(in.verify_result);
	/* node reads a socket itself: CPython's socket-backed SSLSocket */
	in.memory_bio = 0;
	classify(&in, &k);
	conn_set_flags(o, s,
	    flags | FLAG_FAILED | (k.cert ? FLAG_VERIFY_RECORDED : 0));
	atomic_fetch_add(&shim.failures[kind_of(&k)], 1);
	write_failure(o, s, &f, &cn, &k);
	rc = 1;
out:
	o->ERR_pop_to_mark();
	errno = saved;
	return rc;
}
