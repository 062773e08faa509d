/*
 * emit.c: the one writer of log records' JSON.  context.c gathers the
 * facts about a connection, failure.c (and wrap_rand.c, coverage.c,
 * ratelimit.c) decide what to record; this file turns what they hand it
 * into members, with the names of common/logformat.h.  recordout.c fits
 * the result into RECORD_MAX and takes it to the log.
 */
#include "emit.h"

#include <arpa/inet.h>
#include <execinfo.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../common/civil.h"
#include "../common/hex.h"
#include "../common/logformat.h"
#include "attach.h"
#include "backtrace.h"
#include "coverage.h"
#include "entryhook.h"
#include "errnames.h"
#include "pydetect.h"
#include "shim.h"

/* The member of tlsdiag.coverage.failures that counts each kind. */
static const char *
kind_name(enum shim_kind k)
{
	static const enum exc_type type[KIND__COUNT] = {
		[KIND_EOF] = EXC_SSL_EOF,
		[KIND_CERT] = EXC_SSL_CERT_VERIFICATION,
		[KIND_ZERO_RETURN] = EXC_SSL_ZERO_RETURN,
		[KIND_SYSCALL] = EXC_SSL_SYSCALL,
		[KIND_OSERROR] = EXC_OSERROR,
		[KIND_SSL] = EXC_SSL_ERROR,
	};

	return k == KIND_VERIFY_IGNORED ? LOGFORMAT_M_VERIFY_IGNORED :
					  classify_type_names[type[k]];
}

static const char *const rand_names[COVERAGE_RAND__COUNT] = {
	"RAND_bytes",
	"RAND_priv_bytes",
	"RAND_status",
};

static void
emit_begin(struct jsonw *w, char *buf, const char *level, const char *action,
    const char *message)
{
	struct timespec ts;
	char when[40];

	clock_gettime(CLOCK_REALTIME, &ts);
	record_time(when, sizeof(when), (long long)ts.tv_sec,
	    ts.tv_nsec / 1000);
	jsonw_init(w, buf, RECORD_MAX);
	jsonw_obj(w, NULL);
	jsonw_str(w, LOGFORMAT_M_TIMESTAMP, when);
	jsonw_str(w, LOGFORMAT_M_LEVEL, level);
	jsonw_str(w, LOGFORMAT_M_MESSAGE, message);
	jsonw_str(w, LOGFORMAT_M_ECS_VERSION, LOGFORMAT_ECS_VERSION);
	jsonw_obj(w, LOGFORMAT_M_EVENT);
	jsonw_str(w, LOGFORMAT_M_ACTION, action);
	jsonw_end(w);
}

long
emit_seal(struct jsonw *w)
{
	jsonw_obj(w, LOGFORMAT_M_PROCESS);
	jsonw_int(w, LOGFORMAT_M_PID, getpid());
	jsonw_obj(w, LOGFORMAT_M_THREAD);
	jsonw_int(w, LOGFORMAT_M_THREAD_ID, (long long)syscall(SYS_gettid));
	jsonw_end(w);
	jsonw_str(w, LOGFORMAT_M_EXECUTABLE, shim.exe);
	jsonw_str(w, LOGFORMAT_M_NAME, shim.name);
	jsonw_end(w);
	jsonw_obj(w, LOGFORMAT_M_HOST);
	jsonw_str(w, LOGFORMAT_M_HOSTNAME, shim.host);
	jsonw_end(w);
	return jsonw_finish(w);
}

static void
emit_fit_marker(struct jsonw *w, const struct record_fit *f)
{
	char name[64];
	int i;

	if (f->said == 0)
		return;
	jsonw_arr(w, LOGFORMAT_M_TRUNCATED);
	for (i = 0; i < RECORD_NPARTS; i++)
		if (f->said & (1u << i)) {
			record_part_name(f, i, name, sizeof(name));
			jsonw_str(w, NULL, name);
		}
	jsonw_end(w);
}

static void
emit_schema(struct jsonw *w)
{
	const char *why, *given;

	jsonw_int(w, LOGFORMAT_M_SCHEMA, LOGFORMAT_SCHEMA);
	if (!record_fallback_due(&given, &why))
		return;
	jsonw_obj(w, LOGFORMAT_LOG_FALLBACK);
	jsonw_strn(w, LOGFORMAT_M_GIVEN, given,
	    strnlen(given, CONFIG_GIVEN_MAX - 1));
	jsonw_str(w, LOGFORMAT_M_REASON, why);
	jsonw_end(w);
}

static void
conn_tlsdiag(struct jsonw *w, const struct conn *c)
{
	static const char *const tn[] = { "socket", "memory", "custom", "fd",
		"none" };

	jsonw_str(w, LOGFORMAT_M_ROLE,
	    c->server ? LOGFORMAT_ROLE_SERVER : LOGFORMAT_M_CLIENT);
	jsonw_str(w, LOGFORMAT_M_TRANSPORT, tn[c->transport]);
	jsonw_str(w, LOGFORMAT_M_PEER_SOURCE, c->peer_source);
	if (c->bio[0] != '\0')
		jsonw_str(w, LOGFORMAT_M_BIO, c->bio);
	if (c->check_host[0] != '\0') {
		jsonw_str(w, LOGFORMAT_M_CHECK_HOST, c->check_host);
		jsonw_str(w, LOGFORMAT_M_CHECK_HOST_SOURCE,
		    c->check_host_source);
	}
	jsonw_obj(w, LOGFORMAT_M_SHUTDOWN);
	jsonw_bool(w, LOGFORMAT_M_SENT, (c->shutdown & SSL_SENT_SHUTDOWN) != 0);
	jsonw_bool(w, LOGFORMAT_M_RECEIVED,
	    (c->shutdown & SSL_RECEIVED_SHUTDOWN) != 0);
	jsonw_end(w);
	jsonw_bool(w, LOGFORMAT_M_IGNORE_EOF, c->ignore_eof);
	jsonw_obj(w, LOGFORMAT_M_BYTES);
	jsonw_uint(w, LOGFORMAT_M_READ, c->bytes_read);
	jsonw_uint(w, LOGFORMAT_M_WRITTEN, c->bytes_written);
	jsonw_end(w);
	if (c->age_s >= 0)
		jsonw_int(w, LOGFORMAT_M_AGE_S, c->age_s);
}

static void
write_addr(struct jsonw *w, const char *key, const struct sockaddr_storage *ss,
    socklen_t len)
{
	char text[300], ip[64];
	int port;

	if (len == 0)
		return;
	context_addr_text(ss, len, text, sizeof(text), ip, sizeof(ip), &port);
	jsonw_obj(w, key);
	if (ip[0] != '\0') {
		jsonw_str(w, LOGFORMAT_M_IP, ip);
		jsonw_int(w, LOGFORMAT_M_PORT, port);
	} else
		jsonw_str(w, LOGFORMAT_M_ADDRESS, text);
	jsonw_end(w);
}

/*
 * The distinguished name as key.distinguished_name, ending at or before
 * jsonw_need(w) == limit.  Returns 1 if it was shortened (or left out for want
 * of room), else 0.
 */
static int
write_name(struct jsonw *w, struct ossl *o, const char *key,
    const X509_NAME *name, size_t limit)
{
	char buf[1024];
	struct jsonw_mark m;
	BIO *b;
	int n, cut = 0;

	if (name == NULL)
		return 0;
	b = o->BIO_new(o->BIO_s_mem());
	if (b == NULL)
		return 0;
	if (o->X509_NAME_print_ex(b, name, 0, CONTEXT_DN_FLAGS) >= 0) {
		n = o->BIO_read(b, buf, (int)sizeof(buf) - 1);
		if (n >= 0) {
			/* a longer name is cut here, and says so */
			cut = o->BIO_ctrl(b, BIO_CTRL_PENDING, 0, NULL) > 0;
			jsonw_mark(w, &m);
			jsonw_obj(w, key);
			cut |= jsonw_strn_fit(w, LOGFORMAT_M_DN, buf, (size_t)n,
			    limit == SIZE_MAX ? limit : limit - 1);
			jsonw_end(w);
			if (jsonw_need(w) > limit) {
				jsonw_rollback(w, &m);
				cut = 1;
			}
		}
	}
	o->BIO_free(b);
	return cut;
}

static void
write_time(struct jsonw *w, struct ossl *o, const char *key, const ASN1_TIME *t)
{
	struct tm tm;
	char buf[40];
	long long days;

	if (t == NULL || o->ASN1_TIME_to_tm(t, &tm) != 1)
		return;
	days = civil_to_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	record_time(buf, sizeof(buf),
	    days * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec, 0);
	/* certificates have whole seconds: drop ".000000" */
	memmove(buf + 19, buf + 26, strlen(buf + 26) + 1);
	jsonw_str(w, key, buf);
}

/*
 * At most 64 names of at most 299 bytes, ending at or before jsonw_need(w) ==
 * limit.  Returns 1 if names were left out or cut, else 0.
 */
static int
write_sans(struct jsonw *w, struct ossl *o, X509 *x, size_t limit)
{
	GENERAL_NAMES *gens;
	struct jsonw_mark all, one;
	int i, n, cut, open = 1;
	char buf[300], ip[64];

	gens = o->X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	if (gens == NULL)
		return 0;
	jsonw_mark(w, &all);
	jsonw_arr(w, LOGFORMAT_M_ALT_NAMES);
	n = o->OPENSSL_sk_num((const OPENSSL_STACK *)gens);
	cut = n > 64;
	if (jsonw_need(w) + 1 > limit) {
		jsonw_rollback(w, &all);
		n = 0;
		cut = 1;
		open = 0;
	}
	for (i = 0; i < n && i < 64; i++) {
		const GENERAL_NAME *g =
		    o->OPENSSL_sk_value((const OPENSSL_STACK *)gens, i);
		const ASN1_STRING *str = NULL;
		const char *tag = NULL;

		if (g == NULL)
			continue;
		jsonw_mark(w, &one);
		switch (g->type) {
		case GEN_DNS:
			tag = "DNS";
			str = g->d.dNSName;
			break;
		case GEN_EMAIL:
			tag = "email";
			str = g->d.rfc822Name;
			break;
		case GEN_URI:
			tag = "URI";
			str = g->d.uniformResourceIdentifier;
			break;
		case GEN_IPADD: {
			int len = o->ASN1_STRING_length(g->d.iPAddress);
			const unsigned char *p =
			    o->ASN1_STRING_get0_data(g->d.iPAddress);

			if (len == 4 || len == 16) {
				inet_ntop(len == 4 ? AF_INET : AF_INET6, p, ip,
				    sizeof(ip));
				snprintf(buf, sizeof(buf), "IP:%s", ip);
				jsonw_str(w, NULL, buf);
			}
			break;
		}
		default:
			continue;
		}
		if (str != NULL) {
			int len = o->ASN1_STRING_length(str);
			const unsigned char *p = o->ASN1_STRING_get0_data(str);
			int k = snprintf(buf, sizeof(buf), "%s:", tag);

			if (len > (int)sizeof(buf) - k - 1) {
				len = (int)sizeof(buf) - k - 1;
				cut = 1;
			}
			memcpy(buf + k, p, (size_t)len);
			jsonw_strn(w, NULL, buf, (size_t)(k + len));
		}
		if (jsonw_need(w) + 1 > limit) {
			jsonw_rollback(w, &one);
			cut = 1;
			break;
		}
	}
	if (open)
		jsonw_end(w);
	o->GENERAL_NAMES_free(gens);
	return cut;
}

static void
write_cert(struct jsonw *w, struct ossl *o, X509 *x, struct record_fit *fit)
{
	unsigned char md[64];
	unsigned int mdlen = 0;
	char hexbuf[2 * 64 + 1];
	ASN1_INTEGER *serial;

	jsonw_obj(w, LOGFORMAT_M_X509);
	record_part_begin(fit, RECORD_PART_SUBJECT, w);
	record_part_end(fit, RECORD_PART_SUBJECT, w,
	    write_name(w, o, LOGFORMAT_M_SUBJECT, o->X509_get_subject_name(x),
		record_part_limit(fit, RECORD_PART_SUBJECT)));
	record_part_begin(fit, RECORD_PART_ISSUER, w);
	record_part_end(fit, RECORD_PART_ISSUER, w,
	    write_name(w, o, LOGFORMAT_M_ISSUER, o->X509_get_issuer_name(x),
		record_part_limit(fit, RECORD_PART_ISSUER)));
	write_time(w, o, LOGFORMAT_M_NOT_BEFORE, o->X509_get0_notBefore(x));
	write_time(w, o, LOGFORMAT_M_NOT_AFTER, o->X509_get0_notAfter(x));
	serial = o->X509_get_serialNumber(x);
	if (serial != NULL) {
		int len = o->ASN1_STRING_length(serial);
		const unsigned char *p = o->ASN1_STRING_get0_data(serial);

		if (len > 0 && len <= 64) {
			hex_encode(hexbuf, p, (size_t)len, 1);
			jsonw_strn(w, LOGFORMAT_M_SERIAL, hexbuf,
			    2 * (size_t)len);
		}
	}
	record_part_begin(fit, RECORD_PART_SANS, w);
	record_part_end(fit, RECORD_PART_SANS, w,
	    write_sans(w, o, x, record_part_limit(fit, RECORD_PART_SANS)));
	jsonw_end(w);
	if (o->X509_digest(x, o->EVP_sha256(), md, &mdlen) == 1 &&
	    mdlen <= 64) {
		hex_encode(hexbuf, md, mdlen, 1);
		jsonw_obj(w, LOGFORMAT_M_HASH);
		jsonw_strn(w, LOGFORMAT_M_SHA256, hexbuf, 2 * (size_t)mdlen);
		jsonw_end(w);
	}
}

static void
conn_top(struct jsonw *w, struct ossl *o, SSL *s, const struct conn *c,
    struct record_fit *fit)
{
	X509 *x;
	int owned;

	jsonw_obj(w, LOGFORMAT_M_TLS);
	if (c->version != NULL)
		jsonw_str(w, LOGFORMAT_M_VERSION, c->version);
	jsonw_str(w, LOGFORMAT_M_VERSION_PROTOCOL, "tls");
	if (c->cipher != NULL)
		jsonw_str(w, LOGFORMAT_M_CIPHER, c->cipher);
	jsonw_bool(w, LOGFORMAT_M_RESUMED, c->resumed);
	if (c->sni[0] != '\0' && !c->server) {
		jsonw_obj(w, LOGFORMAT_M_CLIENT);
		jsonw_str(w, LOGFORMAT_M_SERVER_NAME, c->sni);
		jsonw_end(w);
	}
	x = context_peer_cert(o, s, c, &owned);
	if (x != NULL) {
		jsonw_obj(w,
		    c->server ? LOGFORMAT_M_CLIENT : LOGFORMAT_M_SERVER);
		if (c->server && c->sni[0] != '\0')
			jsonw_str(w, LOGFORMAT_M_SERVER_NAME, c->sni);
		write_cert(w, o, x, fit);
		jsonw_end(w);
		if (owned)
			o->X509_free(x);
	} else if (c->server && c->sni[0] != '\0') {
		jsonw_obj(w, LOGFORMAT_M_CLIENT);
		jsonw_str(w, LOGFORMAT_M_SERVER_NAME, c->sni);
		jsonw_end(w);
	}
	jsonw_end(w);
	/* ECS: source is the initiator, destination the acceptor */
	write_addr(w, LOGFORMAT_M_SOURCE, c->server ? &c->peer : &c->local,
	    c->server ? c->peerlen : c->locallen);
	write_addr(w, LOGFORMAT_M_DESTINATION, c->server ? &c->local : &c->peer,
	    c->server ? c->locallen : c->peerlen);
}

/* One entry of tlsdiag.errors: packed error e of a copy with layout. */
static void
write_error_entry(struct jsonw *w, unsigned long e, enum err_layout layout,
    const char *text)
{
	int lib = classify_err_lib(e, layout);
	int reason = classify_err_reason(e, layout);

	jsonw_obj(w, NULL);
	jsonw_uint(w, LOGFORMAT_M_CODE, e);
	jsonw_str(w, LOGFORMAT_M_LIBRARY, errnames_lib(lib));
	jsonw_str(w, LOGFORMAT_M_REASON, errnames_reason(lib, reason));
	jsonw_str(w, LOGFORMAT_M_TEXT, text);
	jsonw_end(w);
}

/*
 * Write "stack_id" and "backtrace" members into the open object of w:
 * up to depth frames of the current stack above the shim's own frames,
 * each with module path, build-id and offset (the ELF virtual address of
 * the return address).  Identical stacks get identical stack ids: the id
 * hashes build-ids (or paths) and offsets, never load addresses.  *sp
 * says where the frames are; start == end when none were written.  The
 * members end at or before jsonw_need(w) == limit: frames that would pass
 * it are left out (the id still covers them), and with no room for an
 * empty list nothing is written.  Returns 1 if frames were left out or a
 * module path was cut to 255 bytes, else 0.
 */
static int
emit_backtrace(struct jsonw *w, int depth, struct bt_span *sp, size_t limit)
{
	void *ips[BT_MAX_FRAMES];
	struct bt_module mi;
	struct jsonw_mark all, frame;
	uint64_t id = 14695981039346656037ULL; /* FNV-1a */
	char idhex[17];
	int n, i, first, kept, cut = 0;
	size_t mark;

	sp->id = 0;
	sp->start = sp->end = 0;
	if (depth <= 0)
		return 0;
	backtrace_warmup();
	/* the shim's own frames first, then at most depth of the caller's */
	n = backtrace(ips,
	    depth < BT_MAX_FRAMES - BT_SHIM_FRAMES ? depth + BT_SHIM_FRAMES :
						     BT_MAX_FRAMES);
	first = backtrace_skip(ips, n);
	if (first >= n)
		return 0;
	/* the id goes before the frames: write frames after a placeholder */
	jsonw_mark(w, &all);
	jsonw_str(w, LOGFORMAT_M_STACK_ID, "0000000000000000");
	mark = w->len - 17; /* the 16 hex digits and the closing quote */
	sp->start = w->len; /* the comma before "backtrace" */
	jsonw_arr(w, LOGFORMAT_M_BACKTRACE);
	if (jsonw_need(w) + 1 > limit) {
		/* not even an empty list fits: no stack at all */
		jsonw_rollback(w, &all);
		sp->start = 0;
		return 1;
	}
	/* the id covers every frame, also those cut for room */
	for (i = first, kept = 0; i < n && kept < depth; i++, kept++) {
		uintptr_t ip = (uintptr_t)ips[i];
		uintptr_t off = ip;
		int known = backtrace_module(ip, &mi);
		const char *p;

		if (known) {
			off = ip - mi.bias;
			for (p = mi.build_id[0] ? mi.build_id : mi.path; *p;
			     p++)
				id =
				    (id ^ (unsigned char)*p) * 1099511628211ULL;
		}
		for (p = (const char *)&off; p < (const char *)(&off + 1); p++)
			id = (id ^ (unsigned char)*p) * 1099511628211ULL;
		if (cut)
			continue;
		jsonw_mark(w, &frame);
		jsonw_obj(w, NULL);
		if (known) {
			jsonw_str(w, LOGFORMAT_M_MODULE, mi.path);
			if (mi.build_id[0] != '\0')
				jsonw_str(w, LOGFORMAT_M_BUILD_ID, mi.build_id);
			cut |= mi.path_cut;
		}
		jsonw_uint(w, LOGFORMAT_M_OFFSET, off);
		jsonw_end(w);
		if (jsonw_need(w) + 1 > limit) {
			jsonw_rollback(w, &frame);
			cut = 1;
		}
	}
	jsonw_end(w);
	snprintf(idhex, sizeof(idhex), "%016llx", (unsigned long long)id);
	if (!w->overflow) {
		memcpy(w->buf + mark, idhex, 16);
		sp->id = id;
		sp->end = w->len;
	} else
		sp->start = 0;
	return cut;
}

/* tlsdiag.errors: the first and last queued errors, within fit's room. */
static void
write_errors(struct jsonw *w, struct ossl *o, const struct fail_facts *f,
    struct record_fit *fit)
{
	size_t limit = record_part_limit(fit, RECORD_PART_ERRORS);
	struct jsonw_mark m;
	unsigned long e[2];
	int i, n = 0, cut = 0;

	record_part_begin(fit, RECORD_PART_ERRORS, w);
	e[n++] = f->first;
	if (f->last != f->first)
		e[n++] = f->last;
	jsonw_mark(w, &m);
	jsonw_arr(w, LOGFORMAT_M_ERRORS);
	for (i = 0; i < n && !cut; i++) {
		struct jsonw_mark one;

		jsonw_mark(w, &one);
		write_error_entry(w, e[i], o->layout,
		    o->ERR_reason_error_string(e[i]));
		if (jsonw_need(w) + 1 > limit) {
			jsonw_rollback(w, &one);
			cut = 1;
		}
	}
	jsonw_end(w);
	if (jsonw_need(w) > limit) {
		jsonw_rollback(w, &m);
		cut = 1;
	}
	record_part_end(fit, RECORD_PART_ERRORS, w, cut);
}

/* tlsdiag.verify_subject, within fit's room. */
static void
write_verify_subject(struct jsonw *w, const struct verify_where *vw,
    struct record_fit *fit)
{
	size_t limit = record_part_limit(fit, RECORD_PART_VERIFY_SUBJECT);
	struct jsonw_mark m;
	int cut;

	record_part_begin(fit, RECORD_PART_VERIFY_SUBJECT, w);
	jsonw_mark(w, &m);
	cut = jsonw_strn_fit(w, LOGFORMAT_M_VERIFY_SUBJECT, vw->subject,
		  strlen(vw->subject), limit) ||
	    vw->cut;
	if (jsonw_need(w) > limit) {
		jsonw_rollback(w, &m);
		cut = 1;
	}
	record_part_end(fit, RECORD_PART_VERIFY_SUBJECT, w, cut);
}

/*
 * One pass at the record for facts f about s into w (buf): the parts
 * that fit may shorten are measured in, and limited by, fit.
 */
static void
build_failure(struct jsonw *w, char *buf, const char *msg, struct ossl *o,
    SSL *s, const struct fail_facts *f, const struct conn *cn,
    const struct classify_out *k, const struct verify_where *vw,
    struct record_fit *fit, struct bt_span *bt)
{
	const struct pymodel *pm = pydetect_model(&shim.cfg);

	emit_begin(w, buf, f->level, LOGFORMAT_ACTION_FAILURE, msg);
	jsonw_obj(w, LOGFORMAT_M_ERROR);
	jsonw_str(w, LOGFORMAT_M_ERROR_TYPE, classify_type_names[k->type]);
	jsonw_str(w, LOGFORMAT_M_MESSAGE, k->message);
	jsonw_end(w);

	jsonw_obj(w, LOGFORMAT_M_TLSDIAG);
	emit_schema(w);
	jsonw_str(w, LOGFORMAT_M_CALL, classify_call_names[f->call]);
	jsonw_int(w, LOGFORMAT_M_RET, f->ret);
	if (f->node_code != NULL) {
		jsonw_str(w, LOGFORMAT_M_VERDICT_SOURCE,
		    LOGFORMAT_VERDICT_SOURCE_NODE);
		jsonw_str(w, LOGFORMAT_M_NODE_CODE, f->node_code);
	}
	if (f->ssl_error >= 0)
		jsonw_str(w, LOGFORMAT_M_SSL_ERROR,
		    classify_ssl_error_name(f->ssl_error));
	else
		jsonw_str(w, LOGFORMAT_M_AFTER, classify_call_names[f->after]);
	jsonw_int(w, LOGFORMAT_M_ERRNO, f->sys_errno);
	jsonw_int(w, LOGFORMAT_M_EXC_ERRNO, k->code);
	jsonw_str(w, LOGFORMAT_M_LIBRARY, k->library);
	jsonw_str(w, LOGFORMAT_M_REASON, k->reason);
	if (k->cert) {
		jsonw_int(w, LOGFORMAT_M_VERIFY_CODE, k->verify_code);
		jsonw_str(w, LOGFORMAT_M_VERIFY_MESSAGE, k->verify_message);
		if (vw->depth >= 0) {
			jsonw_int(w, LOGFORMAT_M_VERIFY_DEPTH, vw->depth);
			if (vw->subject[0] != '\0')
				write_verify_subject(w, vw, fit);
		}
	}
	jsonw_str(w, LOGFORMAT_M_PHASE, f->phase);
	jsonw_str(w, LOGFORMAT_M_PYTHON_MODEL, pm->name);
	jsonw_str(w, LOGFORMAT_M_PYTHON_MODEL_SOURCE,
	    config_pysource_names[pm->source]);
	conn_tlsdiag(w, cn);
	jsonw_bool(w, LOGFORMAT_M_STALE_QUEUE, f->stale);
	jsonw_bool(w, LOGFORMAT_M_EOF_MASKED, f->eof_masked);
	if (f->first != 0)
		write_errors(w, o, f, fit);
	jsonw_obj(w, LOGFORMAT_M_OPENSSL);
	jsonw_str(w, LOGFORMAT_M_VERSION, o->version);
	jsonw_str(w, LOGFORMAT_M_PATH, o->path);
	jsonw_end(w);
	emit_fit_marker(w, fit);
	record_part_begin(fit, RECORD_PART_BACKTRACE, w);
	record_part_end(fit, RECORD_PART_BACKTRACE, w,
	    emit_backtrace(w, shim.cfg.depth, bt,
		record_part_limit(fit, RECORD_PART_BACKTRACE)));
	jsonw_end(w);

	conn_top(w, o, s, cn, fit);
}

void
emit_failure(const char *msg, struct ossl *o, SSL *s, struct fail_facts *f,
    const struct conn *cn, const struct classify_out *k,
    const struct verify_where *vw)
{
	char buf[RECORD_MAX];
	struct jsonw w;
	struct bt_span bt;
	struct record_fit fit;
	long len;

	record_fit_init(&fit, cn->server ? "client" : "server");
	do {
		build_failure(&w, buf, msg, o, s, f, cn, k, vw, &fit, &bt);
		len = emit_seal(&w);
	} while (record_fit_again(&fit, &w));
	record_write_sealed(&w, len, &bt);
}

/*
 * The libssl copies bound, or else those merely loaded ("bound": false):
 * "scope" "private" for the first nprivate (outside the global scope),
 * "global" for the rest (linked in, never called).
 */
static void
write_libraries(struct jsonw *w, char (*loaded)[256], int nloaded, int nprivate)
{
	struct ossl *c[8];
	int i, k = 0, n = resolve_copies(c, 8);

	jsonw_arr(w, LOGFORMAT_M_LIBRARIES);
	for (i = 0; i < n; i++) {
		/* a program's own copy, hooked at its entries, never called */
		if (c[i]->entry && atomic_load(&c[i]->called) == 0)
			continue;
		k++;
		jsonw_obj(w, NULL);
		jsonw_str(w, LOGFORMAT_M_PATH, c[i]->path);
		jsonw_str(w, LOGFORMAT_M_VERSION, c[i]->version);
		jsonw_end(w);
	}
	for (i = 0; k == 0 && i < nloaded; i++) {
		jsonw_obj(w, NULL);
		jsonw_str(w, LOGFORMAT_M_PATH, loaded[i]);
		jsonw_bool(w, LOGFORMAT_M_BOUND, 0);
		jsonw_str(w, LOGFORMAT_M_SCOPE,
		    i < nprivate ? "private" : LOGFORMAT_SCOPE_GLOBAL);
		jsonw_end(w);
	}
	jsonw_end(w);
}

void
emit_suppressed(unsigned long held, const char *msg)
{
	char buf[RECORD_MAX];
	struct jsonw w;

	emit_begin(&w, buf, LOGFORMAT_LEVEL_WARNING,
	    LOGFORMAT_ACTION_SUPPRESSED, msg);
	jsonw_obj(&w, LOGFORMAT_M_TLSDIAG);
	emit_schema(&w);
	jsonw_uint(&w, LOGFORMAT_M_SUPPRESSED, held);
	jsonw_end(&w);
	record_write(&w);
}

void
emit_start(const char *msg)
{
	char buf[RECORD_MAX];
	struct jsonw w;

	emit_begin(&w, buf, LOGFORMAT_LEVEL_INFO, LOGFORMAT_ACTION_START, msg);
	jsonw_obj(&w, LOGFORMAT_M_TLSDIAG);
	emit_schema(&w);
	jsonw_obj(&w, LOGFORMAT_M_COVERAGE);
	write_libraries(&w, NULL, 0, 0);
	jsonw_end(&w);
	jsonw_end(&w);
	record_write(&w);
}

void
emit_exit(const struct cov_exit *ce)
{
	char buf[RECORD_MAX];
	struct jsonw w;
	struct ossl *c[8];
	int i, k, n;

	emit_begin(&w, buf, ce->level, LOGFORMAT_ACTION_EXIT, ce->msg);
	jsonw_obj(&w, LOGFORMAT_M_TLSDIAG);
	emit_schema(&w);
	jsonw_obj(&w, LOGFORMAT_M_COVERAGE);
	jsonw_bool(&w, LOGFORMAT_M_TLS_SEEN, ce->seen);
	jsonw_bool(&w, LOGFORMAT_M_STATIC_OPENSSL, ce->static_openssl);
	jsonw_bool(&w, LOGFORMAT_M_INTERNAL_ONLY, ce->internal_only);
	write_libraries(&w, ce->loaded, ce->nloaded, ce->nprivate);
	n = resolve_copies(c, 8);
	jsonw_arr(&w, LOGFORMAT_M_BOUND);
	for (k = 0; k < CALL__COUNT && n > 0; k++)
		if (resolve_bound(c[0], (enum call)k))
			jsonw_str(&w, NULL, classify_call_names[k]);
	jsonw_end(&w);
	jsonw_arr(&w, LOGFORMAT_M_CALLED);
	for (k = 0; k < CALL__COUNT; k++) {
		unsigned bits = 0;

		for (i = 0; i < n; i++)
			bits |= atomic_load(&c[i]->called);
		if (bits & (1u << k))
			jsonw_str(&w, NULL, classify_call_names[k]);
	}
	for (k = 0; k < COVERAGE_RAND__COUNT; k++)
		if (ce->rand & (1u << k))
			jsonw_str(&w, NULL, rand_names[k]);
	jsonw_end(&w);
	jsonw_obj(&w, LOGFORMAT_M_FAILURES);
	for (k = 0; k < KIND__COUNT; k++)
		if (atomic_load(&shim.failures[k]) > 0)
			jsonw_uint(&w, kind_name((enum shim_kind)k),
			    atomic_load(&shim.failures[k]));
	jsonw_end(&w);
	jsonw_uint(&w, LOGFORMAT_M_RECORDS, atomic_load(&shim.records));
	jsonw_uint(&w, LOGFORMAT_M_DROPPED, atomic_load(&shim.dropped));
	jsonw_uint(&w, LOGFORMAT_M_FOLLOWUPS, atomic_load(&shim.followups));
	jsonw_uint(&w, LOGFORMAT_M_SUPPRESSED, atomic_load(&shim.suppressed));
	jsonw_arr(&w, LOGFORMAT_M_OTHER_TLS);
	for (i = 0; i < ce->nother; i++)
		jsonw_str(&w, NULL, ce->other[i]);
	jsonw_end(&w);
	attach_coverage(&w);
	entryhook_write(&w);
	jsonw_end(&w);
	jsonw_end(&w);
	record_write(&w);
}

void
emit_rand(const char *msg, int status, const char *call, int ret, int sys_errno,
    unsigned long e, enum err_layout layout, const char *message,
    const char *err_text)
{
	char buf[RECORD_MAX];
	struct jsonw w;
	struct bt_span bt;

	emit_begin(&w, buf,
	    status ? LOGFORMAT_LEVEL_WARNING : LOGFORMAT_LEVEL_ERROR,
	    LOGFORMAT_ACTION_FAILURE, msg);
	if (!status) {
		jsonw_obj(&w, LOGFORMAT_M_ERROR);
		jsonw_str(&w, LOGFORMAT_M_ERROR_TYPE,
		    classify_type_names[EXC_SSL_ERROR]);
		jsonw_str(&w, LOGFORMAT_M_MESSAGE, message);
		jsonw_end(&w);
	}
	jsonw_obj(&w, LOGFORMAT_M_TLSDIAG);
	emit_schema(&w);
	jsonw_str(&w, LOGFORMAT_M_CALL, call);
	jsonw_int(&w, LOGFORMAT_M_RET, ret);
	jsonw_int(&w, LOGFORMAT_M_ERRNO, sys_errno);
	if (!status)
		jsonw_uint(&w, LOGFORMAT_M_EXC_ERRNO, e);
	if (e != 0) {
		jsonw_arr(&w, LOGFORMAT_M_ERRORS);
		write_error_entry(&w, e, layout, err_text);
		jsonw_end(&w);
	}
	/* frames end in the first half: the other half has room for the rest */
	if (emit_backtrace(&w, shim.cfg.depth, &bt, RECORD_MAX / 2)) {
		jsonw_arr(&w, LOGFORMAT_M_TRUNCATED);
		jsonw_str(&w, NULL,
		    LOGFORMAT_M_TLSDIAG "." LOGFORMAT_M_BACKTRACE);
		jsonw_end(&w);
	}
	jsonw_end(&w);
	record_write_frames(&w, &bt);
}
