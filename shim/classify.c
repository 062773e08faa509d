/*
 * classify.c: CPython's PySSL_SetError and fill_and_set_sslerror as a pure
 * function (python-ssl-error-model.md §4).  Everything it needs is passed
 * in, so it runs the same in the shim and in unit tests.
 */
#include "classify.h"
#include "errnames.h"
#include "str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const classify_type_names[EXC__COUNT] = {
	[EXC_SSL_ERROR] = "SSLError",
	[EXC_SSL_ZERO_RETURN] = "SSLZeroReturnError",
	[EXC_SSL_WANT_READ] = "SSLWantReadError",
	[EXC_SSL_WANT_WRITE] = "SSLWantWriteError",
	[EXC_SSL_SYSCALL] = "SSLSyscallError",
	[EXC_SSL_EOF] = "SSLEOFError",
	[EXC_SSL_CERT_VERIFICATION] = "SSLCertVerificationError",
	[EXC_OSERROR] = "OSError",
	[EXC_BLOCKING_IO] = "BlockingIOError",
	[EXC_CHILD_PROCESS] = "ChildProcessError",
	[EXC_BROKEN_PIPE] = "BrokenPipeError",
	[EXC_CONNECTION_ABORTED] = "ConnectionAbortedError",
	[EXC_CONNECTION_REFUSED] = "ConnectionRefusedError",
	[EXC_CONNECTION_RESET] = "ConnectionResetError",
	[EXC_FILE_EXISTS] = "FileExistsError",
	[EXC_FILE_NOT_FOUND] = "FileNotFoundError",
	[EXC_IS_A_DIRECTORY] = "IsADirectoryError",
	[EXC_NOT_A_DIRECTORY] = "NotADirectoryError",
	[EXC_INTERRUPTED] = "InterruptedError",
	[EXC_PERMISSION] = "PermissionError",
	[EXC_PROCESS_LOOKUP] = "ProcessLookupError",
	[EXC_TIMEOUT] = "TimeoutError",
};

const char *const classify_call_names[CALL__COUNT] = {
	"SSL_read",
	"SSL_read_ex",
	"SSL_peek",
	"SSL_peek_ex",
	"SSL_write",
	"SSL_write_ex",
	"SSL_do_handshake",
	"SSL_connect",
	"SSL_accept",
	"SSL_shutdown",
	"SSL_get_verify_result",
};

/* SSL_get_error() values (ssl.h); spelled out so no header is needed. */
enum {
	E_NONE,
	E_SSL,
	E_WANT_READ,
	E_WANT_WRITE,
	E_WANT_X509_LOOKUP,
	E_SYSCALL,
	E_ZERO_RETURN,
	E_WANT_CONNECT,
	E_WANT_ACCEPT,
	E_WANT_ASYNC,
	E_WANT_ASYNC_JOB,
	E_WANT_CLIENT_HELLO_CB,
	E_WANT_RETRY_VERIFY
};

/* CPython's py_ssl_error codes (exc.errno). */
enum {
	PY_SSL = 1,
	PY_WANT_READ,
	PY_WANT_WRITE,
	PY_WANT_X509_LOOKUP,
	PY_SYSCALL,
	PY_ZERO_RETURN,
	PY_WANT_CONNECT,
	PY_EOF,
	PY_INVALID = 10
};

#define SYSTEM_FLAG 0x80000000UL

int
classify_err_lib(unsigned long e, enum err_layout layout)
{
	if (layout == ERR_LAYOUT_111)
		return (int)((e >> 24) & 0xFF);
	if (e & SYSTEM_FLAG)
		return CLASSIFY_LIB_SYS;
	return (int)((e >> 23) & 0xFF);
}

int
classify_err_reason(unsigned long e, enum err_layout layout)
{
	if (layout == ERR_LAYOUT_111)
		return (int)(e & 0xFFF);
	if (e & SYSTEM_FLAG)
		return (int)(e & 0x7FFFFFFF);
	return (int)(e & 0x7FFFFF);
}

unsigned long
classify_err_pack(int lib, int reason, enum err_layout layout)
{
	if (layout == ERR_LAYOUT_111)
		return ((unsigned long)(lib & 0xFF) << 24) |
		    ((unsigned long)reason & 0xFFF);
	if (lib == CLASSIFY_LIB_SYS)
		return SYSTEM_FLAG | ((unsigned long)reason & 0x7FFFFFFF);
	return ((unsigned long)(lib & 0xFF) << 23) |
	    ((unsigned long)reason & 0x7FFFFF);
}

enum err_layout
classify_layout(unsigned long version_num)
{
	/* 0xMNN00PPL since 3.0; 0xMNNFFPPS before: major nibble 1 is 1.x */
	return (version_num >> 28) >= 3 ? ERR_LAYOUT_3 : ERR_LAYOUT_111;
}

const char *
errnames_lib(int lib)
{
	unsigned i;

	for (i = 0; i < errnames_nlibs; i++)
		if (errnames_libs[i].lib == lib)
			return errnames_libs[i].name;
	return NULL;
}

static int
cmp_reason(const void *k, const void *e)
{
	const struct errname_reason *a = k, *b = e;

	if (a->lib != b->lib)
		return a->lib < b->lib ? -1 : 1;
	if (a->reason != b->reason)
		return a->reason < b->reason ? -1 : 1;
	return 0;
}

const char *
errnames_reason(int lib, int reason)
{
	struct errname_reason key = { lib, reason, "" };
	const struct errname_reason *r;

	r = bsearch(&key, errnames_reasons, errnames_nreasons,
	    sizeof(errnames_reasons[0]), cmp_reason);
	return r != NULL ? r->name : NULL;
}

const char *
classify_ssl_error_name(int e)
{
	static const char *const names[] = {
		"SSL_ERROR_NONE",
		"SSL_ERROR_SSL",
		"SSL_ERROR_WANT_READ",
		"SSL_ERROR_WANT_WRITE",
		"SSL_ERROR_WANT_X509_LOOKUP",
		"SSL_ERROR_SYSCALL",
		"SSL_ERROR_ZERO_RETURN",
		"SSL_ERROR_WANT_CONNECT",
		"SSL_ERROR_WANT_ACCEPT",
		"SSL_ERROR_WANT_ASYNC",
		"SSL_ERROR_WANT_ASYNC_JOB",
		"SSL_ERROR_WANT_CLIENT_HELLO_CB",
		"SSL_ERROR_WANT_RETRY_VERIFY",
	};

	if (e >= 0 && (size_t)e < sizeof(names) / sizeof(names[0]))
		return names[e];
	return "SSL_ERROR_UNKNOWN";
}

int
classify_is_retry(int e)
{
	return e == E_WANT_READ || e == E_WANT_WRITE ||
	    e == E_WANT_X509_LOOKUP || e == E_WANT_CONNECT ||
	    e == E_WANT_ACCEPT || e == E_WANT_ASYNC || e == E_WANT_ASYNC_JOB ||
	    e == E_WANT_CLIENT_HELLO_CB || e == E_WANT_RETRY_VERIFY;
}

enum exc_type
classify_oserror_type(int n)
{
	switch (n) {
	case EAGAIN:
	case EALREADY:
	case EINPROGRESS:
		return EXC_BLOCKING_IO;
	case ECHILD:
		return EXC_CHILD_PROCESS;
	case EPIPE:
	case ESHUTDOWN:
		return EXC_BROKEN_PIPE;
	case ECONNABORTED:
		return EXC_CONNECTION_ABORTED;
	case ECONNREFUSED:
		return EXC_CONNECTION_REFUSED;
	case ECONNRESET:
		return EXC_CONNECTION_RESET;
	case EEXIST:
		return EXC_FILE_EXISTS;
	case ENOENT:
		return EXC_FILE_NOT_FOUND;
	case EISDIR:
		return EXC_IS_A_DIRECTORY;
	case ENOTDIR:
		return EXC_NOT_A_DIRECTORY;
	case EINTR:
		return EXC_INTERRUPTED;
	case EACCES:
	case EPERM:
		return EXC_PERMISSION;
	case ESRCH:
		return EXC_PROCESS_LOOKUP;
	case ETIMEDOUT:
		return EXC_TIMEOUT;
	default:
		return EXC_OSERROR;
	}
}

static int
is_read_write(enum call c)
{
	return c <= CALL_SSL_WRITE_EX;
}

static void
set_oserror(struct classify_out *out, int n)
{
	const char *s = strerrordesc_np(n);

	out->type = classify_oserror_type(n);
	out->code = n;
	out->oserror = 1;
	char nb[24];

	str_dec(nb, n);
	if (s != NULL)
		str_cat(out->message, sizeof(out->message), "[Errno ", nb, "] ",
		    s, STR_END);
	else
		str_cat(out->message, sizeof(out->message), "[Errno ", nb,
		    "] Unknown error ", nb, STR_END);
	out->text = out->message;
}

/* exc.verify_message: CPython rewords 62 and 64 with the checked host. */
static void
verify_message(const struct classify_in *in, char *buf, size_t cap)
{
	if (in->verify_result == 62 && in->check_host != NULL)
		str_cat(buf, cap,
		    "Hostname mismatch, certificate is not "
		    "valid for '",
		    in->check_host, "'.", STR_END);
	else if (in->verify_result == 64 && in->check_host != NULL)
		str_cat(buf, cap,
		    "IP address mismatch, certificate is not "
		    "valid for '",
		    in->check_host, "'.", STR_END);
	else
		str_cat(buf, cap,
		    in->verify_text != NULL ?
			in->verify_text :
			"unknown certificate verification error",
		    STR_END);
}

void
classify_rules(unsigned v, struct pyrules *r)
{
	r->rw_ret_zero = v >= PYVER(3, 10, 0) && v < PYVER(3, 13, 0);
	r->errno_only = v >= PYVER(3, 13, 0);
	r->sys_oserror = v >= PYVER(3, 12, 9) ||
	    (v >= PYVER(3, 11, 12) && v < PYVER(3, 12, 0)) ||
	    (v >= PYVER(3, 10, 17) && v < PYVER(3, 11, 0));
	r->syscall_cert = v >= PYVER(3, 11, 5);
	/* 3.10.5 lacks it; later 3.10 releases were not checked (§5) */
	r->eof_294 = v >= PYVER(3, 11, 3);
}

/*
 * CPython's fill_and_set_sslerror: out for an SSLError of class type,
 * errno code, its text (NULL: the queued error's reason string), and
 * for a certificate error the verify result; the library and reason
 * names always come from the queued error, (lib, reason) (§4.1).
 */
static void
fill_sslerror(const struct classify_in *in, struct classify_out *out,
    enum exc_type type, int code, const char *text, int cert, int lib,
    int reason)
{
	size_t n;

	if (in->err != 0) {
		out->library = errnames_lib(lib);
		out->reason = errnames_reason(lib, reason);
		if (text == NULL)
			text = in->reason_text;
	}
	if (text == NULL)
		text = "unknown error";
	out->type = type;
	out->code = code;
	if (cert) {
		out->cert = 1;
		out->verify_code = in->verify_result;
		verify_message(in, out->verify_message,
		    sizeof(out->verify_message));
	}
	if (out->library != NULL && out->reason != NULL)
		n = str_cat(out->message, sizeof(out->message), "[",
		    out->library, ": ", out->reason, "] ", STR_END);
	else if (out->library != NULL)
		n = str_cat(out->message, sizeof(out->message), "[",
		    out->library, "] ", STR_END);
	else
		n = 0;
	out->text = out->message + n;
	if (cert)
		str_cat(out->message + n, sizeof(out->message) - n, text, ": ",
		    out->verify_message, STR_END);
	else
		str_cat(out->message + n, sizeof(out->message) - n, text,
		    STR_END);
}

enum exc_type
classify(const struct classify_in *in, struct classify_out *out)
{
	enum exc_type type = EXC_SSL_ERROR;
	const char *text = NULL;
	int code = 0, lib = 0, reason = 0, cert = 0;
	int ret = in->ret;
	unsigned long e = in->err;
	struct pyrules r;

	memset(out, 0, sizeof(*out));
	classify_rules(in->pyver, &r);
	if (e != 0) {
		lib = classify_err_lib(e, in->layout);
		reason = classify_err_reason(e, in->layout);
	}
	/* 3.10-3.12 pass 0 for SSL_read_ex/SSL_write_ex failures (§3.1). */
	if (r.rw_ret_zero && is_read_write(in->call))
		ret = 0;

	switch (in->ssl_error) {
	case E_ZERO_RETURN:
		type = EXC_SSL_ZERO_RETURN;
		code = PY_ZERO_RETURN;
		text = "TLS/SSL connection has been closed (EOF)";
		break;
	case E_WANT_READ:
		type = EXC_SSL_WANT_READ;
		code = PY_WANT_READ;
		text = "The operation did not complete (read)";
		break;
	case E_WANT_WRITE:
		type = EXC_SSL_WANT_WRITE;
		code = PY_WANT_WRITE;
		text = "The operation did not complete (write)";
		break;
	case E_WANT_X509_LOOKUP:
		code = PY_WANT_X509_LOOKUP;
		text = "The operation did not complete (X509 lookup)";
		break;
	case E_WANT_CONNECT:
		code = PY_WANT_CONNECT;
		text = "The operation did not complete (connect)";
		break;
	case E_SYSCALL:
		if (e == 0) {
			/*
			 * The underlying BIO failed.  3.13 looks at errno only;
			 * 3.11 also at ret and at whether a socket exists.
			 */
			int eof = 1;

			if (r.errno_only || (ret == -1 && !in->memory_bio)) {
				if (in->sys_errno != 0) {
					set_oserror(out, in->sys_errno);
					return out->type;
				}
			} else if (ret != 0)
				eof = 0;
			if (eof) {
				type = EXC_SSL_EOF;
				code = PY_EOF;
				text = "EOF occurred in violation of protocol";
			} else {
				type = EXC_SSL_SYSCALL;
				code = PY_SYSCALL;
				text = "Some I/O error occurred";
			}
			break;
		}
		code = PY_SYSCALL;
		goto queued;
	case E_SSL:
		code = PY_SSL;
		if (e == 0) {
			text = "A failure in the SSL library occurred";
			break;
		}
queued:
		/* an error on the queue: SYSCALL and SSL share these rules */
		if (r.sys_oserror && lib == CLASSIFY_LIB_SYS) {
			set_oserror(out, reason);
			return out->type;
		}
		if (lib == CLASSIFY_LIB_SSL &&
		    reason == CLASSIFY_R_CERT_VERIFY_FAILED &&
		    (in->ssl_error == E_SSL || r.syscall_cert)) {
			type = EXC_SSL_CERT_VERIFICATION;
			cert = 1;
		} else if (in->ssl_error == E_SSL && lib == CLASSIFY_LIB_SSL &&
		    reason == CLASSIFY_R_UNEXPECTED_EOF && r.eof_294) {
			type = EXC_SSL_EOF;
			code = PY_EOF;
			text = "EOF occurred in violation of protocol";
		}
		break;
	default:
		code = PY_INVALID;
		text = "Invalid error code";
		break;
	}

	fill_sslerror(in, out, type, code, text, cert, lib, reason);
	return type;
}
