/*
 * test_classify.c: the classifier against python-ssl-error-model.md: the
 * oracle table (§8, CPython 3.11.7 + OpenSSL 3.0.19), the injected
 * branches (§8.1), the 3.13 rules (§4), and both error-code layouts.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "classify.h"
#include "errnames.h"

#define HS CALL_SSL_DO_HANDSHAKE
#define RD CALL_SSL_READ_EX
#define WR CALL_SSL_WRITE_EX
#define SD CALL_SSL_SHUTDOWN
#define M11 PYVER(3, 11, 7)
#define M13 PYVER(3, 13, 0)
#define L3 ERR_LAYOUT_3
#define L1 ERR_LAYOUT_111

struct row {
	const char *name;
	unsigned model;
	enum call call;
	int ret, ssl_error, sys_errno;
	unsigned long err;
	enum err_layout layout;
	const char *reason_text;
	long verify;
	const char *verify_text;
	const char *host;
	int membio;
	/* expected */
	const char *type;
	int code;
	const char *library, *reason;
	const char *message;
	const char *verify_message; /* NULL: not a cert error */
};

static const struct row rows[] = {
	/* §8 oracle, client side */
	{ "fin during handshake", M11, HS, -1, 1, 0, 0x0A000126, L3,
	    "unexpected eof while reading", 0, "ok", "localhost", 0,
	    "SSLEOFError", 8, "SSL", "UNEXPECTED_EOF_WHILE_READING",
	    "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation "
	    "of protocol",
	    NULL },
	{ "rst during handshake", M11, HS, -1, 5, 104, 0, L3, NULL, 0, "ok",
	    "localhost", 0, "ConnectionResetError", 104, NULL, NULL,
	    "[Errno 104] Connection reset by peer", NULL },
	{ "rst during handshake 3.13", M13, HS, -1, 5, 104, 0, L3, NULL, 0,
	    "ok", "localhost", 0, "ConnectionResetError", 104, NULL, NULL,
	    "[Errno 104] Connection reset by peer", NULL },
	{ "plaintext reply", M11, HS, -1, 1, 0, 0x0A00010B, L3,
	    "wrong version number", 0, "ok", NULL, 0, "SSLError", 1, "SSL",
	    "WRONG_VERSION_NUMBER",
	    "[SSL: WRONG_VERSION_NUMBER] wrong version number", NULL },
	{ "fin in recv", M11, RD, 0, 1, 0, 0x0A000126, L3,
	    "unexpected eof while reading", 0, "ok", NULL, 0, "SSLEOFError", 8,
	    "SSL", "UNEXPECTED_EOF_WHILE_READING",
	    "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation "
	    "of protocol",
	    NULL },
	{ "rst in recv 3.11", M11, RD, 0, 5, 104, 0, L3, NULL, 0, "ok", NULL, 0,
	    "SSLEOFError", 8, NULL, NULL,
	    "EOF occurred in violation of protocol", NULL },
	{ "rst in recv 3.13", M13, RD, 0, 5, 104, 0, L3, NULL, 0, "ok", NULL, 0,
	    "ConnectionResetError", 104, NULL, NULL,
	    "[Errno 104] Connection reset by peer", NULL },
	{ "rst in plain SSL_read 3.11 (ret -1 ignored)", M11, CALL_SSL_READ, -1,
	    5, 104, 0, L3, NULL, 0, "ok", NULL, 0, "SSLEOFError", 8, NULL, NULL,
	    "EOF occurred in violation of protocol", NULL },
	{ "zero return, state 3", M11, RD, 0, 6, 0, 0, L3, NULL, 0, "ok", NULL,
	    0, "SSLZeroReturnError", 6, NULL, NULL,
	    "TLS/SSL connection has been closed (EOF)", NULL },
	{ "non-blocking recv", M11, RD, 0, 2, 11, 0, L3, NULL, 0, "ok", NULL, 0,
	    "SSLWantReadError", 2, NULL, NULL,
	    "The operation did not complete (read)", NULL },
	{ "non-blocking send", M11, WR, 0, 3, 11, 0, L3, NULL, 0, "ok", NULL, 0,
	    "SSLWantWriteError", 3, NULL, NULL,
	    "The operation did not complete (write)", NULL },
	{ "send after fin 3.11", M11, WR, 0, 5, 32, 0, L3, NULL, 0, "ok", NULL,
	    0, "SSLEOFError", 8, NULL, NULL,
	    "EOF occurred in violation of protocol", NULL },
	{ "send after fin 3.13", M13, WR, 0, 5, 32, 0, L3, NULL, 0, "ok", NULL,
	    0, "BrokenPipeError", 32, NULL, NULL, "[Errno 32] Broken pipe",
	    NULL },
	{ "send after rst 3.13", M13, WR, 0, 5, 104, 0, L3, NULL, 0, "ok", NULL,
	    0, "ConnectionResetError", 104, NULL, NULL,
	    "[Errno 104] Connection reset by peer", NULL },
	{ "fin in handshake, IGNORE_UNEXPECTED_EOF", M11, HS, -1, 6, 0, 0, L3,
	    NULL, 0, "ok", NULL, 0, "SSLZeroReturnError", 6, NULL, NULL,
	    "TLS/SSL connection has been closed (EOF)", NULL },
	{ "expired", M11, HS, -1, 1, 0, 0x0A000086, L3,
	    "certificate verify failed", 10, "certificate has expired",
	    "localhost", 0, "SSLCertVerificationError", 1, "SSL",
	    "CERTIFICATE_VERIFY_FAILED",
	    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
	    "certificate has expired",
	    "certificate has expired" },
	{ "expired, server side", M11, HS, -1, 1, 0, 0x0A000415, L3,
	    "sslv3 alert certificate expired", 0, "ok", NULL, 0, "SSLError", 1,
	    "SSL", "SSLV3_ALERT_CERTIFICATE_EXPIRED",
	    "[SSL: SSLV3_ALERT_CERTIFICATE_EXPIRED] sslv3 alert certificate "
	    "expired",
	    NULL },
	{ "not yet valid", M13, HS, -1, 1, 0, 0x0A000086, L3,
	    "certificate verify failed", 9, "certificate is not yet valid",
	    "localhost", 0, "SSLCertVerificationError", 1, "SSL",
	    "CERTIFICATE_VERIFY_FAILED",
	    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
	    "certificate is not yet valid",
	    "certificate is not yet valid" },
	{ "self-signed", M13, HS, -1, 1, 0, 0x0A000086, L3,
	    "certificate verify failed", 18, "self-signed certificate",
	    "localhost", 0, "SSLCertVerificationError", 1, "SSL",
	    "CERTIFICATE_VERIFY_FAILED",
	    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
	    "self-signed certificate",
	    "self-signed certificate" },
	{ "untrusted ca", M11, HS, -1, 1, 0, 0x0A000086, L3,
	    "certificate verify failed", 20,
	    "unable to get local issuer certificate", "localhost", 0,
	    "SSLCertVerificationError", 1, "SSL", "CERTIFICATE_VERIFY_FAILED",
	    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
	    "unable to get local issuer certificate",
	    "unable to get local issuer certificate" },
	{ "hostname mismatch", M11, HS, -1, 1, 0, 0x0A000086, L3,
	    "certificate verify failed", 62, "hostname mismatch", "localhost",
	    0, "SSLCertVerificationError", 1, "SSL",
	    "CERTIFICATE_VERIFY_FAILED",
	    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
	    "Hostname mismatch, certificate is not valid for 'localhost'.",
	    "Hostname mismatch, certificate is not valid for 'localhost'." },
	{ "ip mismatch", M13, HS, -1, 1, 0, 0x0A000086, L3,
	    "certificate verify failed", 64, "IP address mismatch", "127.0.0.1",
	    0, "SSLCertVerificationError", 1, "SSL",
	    "CERTIFICATE_VERIFY_FAILED",
	    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
	    "IP address mismatch, certificate is not valid for '127.0.0.1'.",
	    "IP address mismatch, certificate is not valid for '127.0.0.1'." },
	{ "alert unknown ca (peer)", M11, HS, -1, 1, 0, 0x0A000418, L3,
	    "tlsv1 alert unknown ca", 0, "ok", NULL, 0, "SSLError", 1, "SSL",
	    "TLSV1_ALERT_UNKNOWN_CA",
	    "[SSL: TLSV1_ALERT_UNKNOWN_CA] tlsv1 alert unknown ca", NULL },
	{ "server: unwrap after peer vanished", M11, SD, -1, 1, 0, 0x0A000126,
	    L3, "unexpected eof while reading", 0, "ok", NULL, 0, "SSLEOFError",
	    8, "SSL", "UNEXPECTED_EOF_WHILE_READING",
	    "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation "
	    "of protocol",
	    NULL },
	{ "server: no client cert", M13, HS, -1, 1, 0, 0x0A0000C7, L3,
	    "peer did not return a certificate", 0, "ok", NULL, 0, "SSLError",
	    1, "SSL", "PEER_DID_NOT_RETURN_A_CERTIFICATE",
	    "[SSL: PEER_DID_NOT_RETURN_A_CERTIFICATE] peer did not return a "
	    "certificate",
	    NULL },
	{ "server: http request", M11, HS, -1, 1, 0, 0x0A00009C, L3,
	    "http request", 0, "ok", NULL, 0, "SSLError", 1, "SSL",
	    "HTTP_REQUEST", "[SSL: HTTP_REQUEST] http request", NULL },
	{ "server: client resets", M11, HS, -1, 5, 104, 0, L3, NULL, 0, "ok",
	    NULL, 0, "ConnectionResetError", 104, NULL, NULL,
	    "[Errno 104] Connection reset by peer", NULL },
	{ "memory bio: write_eof", M11, HS, -1, 1, 0, 0x0A000126, L3,
	    "unexpected eof while reading", 0, "ok", NULL, 1, "SSLEOFError", 8,
	    "SSL", "UNEXPECTED_EOF_WHILE_READING",
	    "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation "
	    "of protocol",
	    NULL },

	/* §8.1 injected branches */
	{ "hs syscall, errno 0", M11, HS, -1, 5, 0, 0, L3, NULL, 0, "ok", NULL,
	    0, "SSLEOFError", 8, NULL, NULL,
	    "EOF occurred in violation of protocol", NULL },
	{ "hs syscall, ret 0 wins over errno (3.11)", M11, HS, 0, 5, 104, 0, L3,
	    NULL, 0, "ok", NULL, 0, "SSLEOFError", 8, NULL, NULL,
	    "EOF occurred in violation of protocol", NULL },
	{ "hs syscall, ret 0, errno 104 (3.13)", M13, HS, 0, 5, 104, 0, L3,
	    NULL, 0, "ok", NULL, 0, "ConnectionResetError", 104, NULL, NULL,
	    "[Errno 104] Connection reset by peer", NULL },
	{ "hs syscall epipe", M11, HS, -1, 5, 32, 0, L3, NULL, 0, "ok", NULL, 0,
	    "BrokenPipeError", 32, NULL, NULL, "[Errno 32] Broken pipe", NULL },
	{ "hs syscall etimedout", M11, HS, -1, 5, 110, 0, L3, NULL, 0, "ok",
	    NULL, 0, "TimeoutError", 110, NULL, NULL,
	    "[Errno 110] Connection timed out", NULL },
	{ "hs syscall + queue", M11, HS, -1, 5, 0, 0x0A0000C1, L3,
	    "no shared cipher", 0, "ok", NULL, 0, "SSLError", 5, "SSL",
	    "NO_SHARED_CIPHER", "[SSL: NO_SHARED_CIPHER] no shared cipher",
	    NULL },
	{ "hs syscall + cert", M11, HS, -1, 5, 0, 0x0A000086, L3,
	    "certificate verify failed", 10, "certificate has expired",
	    "localhost", 0, "SSLCertVerificationError", 5, "SSL",
	    "CERTIFICATE_VERIFY_FAILED",
	    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
	    "certificate has expired",
	    "certificate has expired" },
	{ "hs syscall + SYS 3.11", M11, HS, -1, 5, 104, 0x80000068, L3, NULL, 0,
	    "ok", NULL, 0, "SSLError", 5, "SYS", NULL, "[SYS] unknown error",
	    NULL },
	{ "hs syscall + SYS 3.13", M13, HS, -1, 5, 104, 0x80000068, L3, NULL, 0,
	    "ok", NULL, 0, "ConnectionResetError", 104, NULL, NULL,
	    "[Errno 104] Connection reset by peer", NULL },
	{ "hs ssl, empty queue", M11, HS, -1, 1, 0, 0, L3, NULL, 0, "ok", NULL,
	    0, "SSLError", 1, NULL, NULL,
	    "A failure in the SSL library occurred", NULL },
	{ "hs ssl, internal error (common reason)", M11, HS, -1, 1, 0,
	    0x0A0C0103, L3, "internal error", 0, "ok", NULL, 0, "SSLError", 1,
	    "SSL", NULL, "[SSL] internal error", NULL },
	{ "hs ssl, SYS 2 (3.11)", M11, HS, -1, 1, 0, 0x80000002, L3, NULL, 0,
	    "ok", NULL, 0, "SSLError", 1, "SYS", NULL, "[SYS] unknown error",
	    NULL },
	{ "hs ssl, SYS 2 (3.13)", M13, HS, -1, 1, 0, 0x80000002, L3, NULL, 0,
	    "ok", NULL, 0, "FileNotFoundError", 2, NULL, NULL,
	    "[Errno 2] No such file or directory", NULL },
	{ "hs ssl, X509 reason", M11, HS, -1, 1, 0, 0x05800065, L3,
	    "cert already in hash table", 0, "ok", NULL, 0, "SSLError", 1,
	    "X509", "CERT_ALREADY_IN_HASH_TABLE",
	    "[X509: CERT_ALREADY_IN_HASH_TABLE] cert already in hash table",
	    NULL },
	{ "hs ssl, unknown library", M11, HS, -1, 1, 0, 0x31800005, L3, NULL, 0,
	    "ok", NULL, 0, "SSLError", 1, NULL, NULL, "unknown error", NULL },
	{ "hs ssl, unknown reason", M11, HS, -1, 1, 0, 0x0A000FA0, L3, NULL, 0,
	    "ok", NULL, 0, "SSLError", 1, "SSL", NULL, "[SSL] unknown error",
	    NULL },
	{ "x509 lookup", M11, HS, -1, 4, 0, 0, L3, NULL, 0, "ok", NULL, 0,
	    "SSLError", 4, NULL, NULL,
	    "The operation did not complete (X509 lookup)", NULL },
	{ "want connect", M11, HS, -1, 7, 0, 0, L3, NULL, 0, "ok", NULL, 0,
	    "SSLError", 7, NULL, NULL,
	    "The operation did not complete (connect)", NULL },
	{ "want retry verify", M13, HS, -1, 12, 0, 0, L3, NULL, 0, "ok", NULL,
	    0, "SSLError", 10, NULL, NULL, "Invalid error code", NULL },
	{ "zero return with stale queue", M11, HS, -1, 6, 0, 0x0A000126, L3,
	    "unexpected eof while reading", 0, "ok", NULL, 0,
	    "SSLZeroReturnError", 6, "SSL", "UNEXPECTED_EOF_WHILE_READING",
	    "[SSL: UNEXPECTED_EOF_WHILE_READING] TLS/SSL connection has been "
	    "closed (EOF)",
	    NULL },
	{ "want read with stale queue", M11, HS, -1, 2, 0, 0x0A00010B, L3,
	    "wrong version number", 0, "ok", NULL, 0, "SSLWantReadError", 2,
	    "SSL", "WRONG_VERSION_NUMBER",
	    "[SSL: WRONG_VERSION_NUMBER] The operation did not complete "
	    "(read)",
	    NULL },
	{ "cert, unknown verify code", M11, HS, -1, 1, 0, 0x0A000086, L3,
	    "certificate verify failed", 95,
	    "unknown certificate verification error", NULL, 0,
	    "SSLCertVerificationError", 1, "SSL", "CERTIFICATE_VERIFY_FAILED",
	    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
	    "unknown certificate verification error",
	    "unknown certificate verification error" },
	{ "cert, verify ok", M11, HS, -1, 1, 0, 0x0A000086, L3,
	    "certificate verify failed", 0, "ok", NULL, 0,
	    "SSLCertVerificationError", 1, "SSL", "CERTIFICATE_VERIFY_FAILED",
	    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ok",
	    "ok" },
	{ "read syscall + SYS 104 (3.11)", M11, RD, 0, 5, 0, 0x80000068, L3,
	    NULL, 0, "ok", NULL, 0, "SSLError", 5, "SYS", NULL,
	    "[SYS] unknown error", NULL },
	{ "read ssl + SYS 32 (3.13)", M13, RD, 0, 1, 0, 0x80000020, L3, NULL, 0,
	    "ok", NULL, 0, "BrokenPipeError", 32, NULL, NULL,
	    "[Errno 32] Broken pipe", NULL },
	{ "memory bio hs syscall (3.11)", M11, HS, -1, 5, 104, 0, L3, NULL, 0,
	    "ok", NULL, 1, "SSLSyscallError", 5, NULL, NULL,
	    "Some I/O error occurred", NULL },
	{ "memory bio hs syscall errno 0 (3.13)", M13, HS, -1, 5, 0, 0, L3,
	    NULL, 0, "ok", NULL, 1, "SSLEOFError", 8, NULL, NULL,
	    "EOF occurred in violation of protocol", NULL },
	{ "memory bio hs syscall ret 0 (3.11)", M11, HS, 0, 5, 0, 0, L3, NULL,
	    0, "ok", NULL, 1, "SSLEOFError", 8, NULL, NULL,
	    "EOF occurred in violation of protocol", NULL },

	/* OpenSSL 1.1.1 codes, as 1.1.1 packs them (§1.3, §5.1) */
	{ "1.1.1 cert verify failed", M11, CALL_SSL_CONNECT, -1, 1, 0,
	    0x1416F086, L1, "certificate verify failed", 10,
	    "certificate has expired", "localhost", 0,
	    "SSLCertVerificationError", 1, "SSL", "CERTIFICATE_VERIFY_FAILED",
	    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
	    "certificate has expired",
	    "certificate has expired" },
	{ "1.1.1 alert handshake failure", M13, CALL_SSL_CONNECT, -1, 1, 0,
	    0x14094410, L1, "sslv3 alert handshake failure", 0, "ok", NULL, 0,
	    "SSLError", 1, "SSL", "SSLV3_ALERT_HANDSHAKE_FAILURE",
	    "[SSL: SSLV3_ALERT_HANDSHAKE_FAILURE] sslv3 alert handshake "
	    "failure",
	    NULL },
	{ "1.1.1 wrong version number", M11, CALL_SSL_CONNECT, -1, 1, 0,
	    0x1408F10B, L1, "wrong version number", 0, "ok", NULL, 0,
	    "SSLError", 1, "SSL", "WRONG_VERSION_NUMBER",
	    "[SSL: WRONG_VERSION_NUMBER] wrong version number", NULL },
	{ "1.1.1 system error 3.13", M13, CALL_SSL_CONNECT, -1, 5, 0,
	    0x0200100D, L1, "Permission denied", 0, "ok", NULL, 0,
	    "PermissionError", 13, NULL, NULL, "[Errno 13] Permission denied",
	    NULL },
	{ "1.1.1 system error 3.11", M11, CALL_SSL_CONNECT, -1, 5, 0,
	    0x0200100D, L1, "Permission denied", 0, "ok", NULL, 0, "SSLError",
	    5, "SYS", NULL, "[SYS] Permission denied", NULL },
	{ "1.1.1 unexpected eof is SYSCALL, empty queue", M11, CALL_SSL_READ, 0,
	    5, 0, 0, L1, NULL, 0, "ok", NULL, 0, "SSLEOFError", 8, NULL, NULL,
	    "EOF occurred in violation of protocol", NULL },
};

static void
check(const struct row *r)
{
	struct classify_in in;
	struct classify_out out;

	memset(&in, 0, sizeof(in));
	in.call = r->call;
	in.ret = r->ret;
	in.ssl_error = r->ssl_error;
	in.sys_errno = r->sys_errno;
	in.err = r->err;
	in.layout = r->layout;
	in.reason_text = r->reason_text;
	in.verify_result = r->verify;
	in.verify_text = r->verify_text;
	in.check_host = r->host;
	in.memory_bio = r->membio;
	in.pyver = r->model;
	cr_expect_eq(classify(&in, &out), out.type, "%s: returns the type",
	    r->name);
	cr_expect_str_eq(classify_type_names[out.type], r->type, "%s: type",
	    r->name);
	cr_expect_eq(out.code, r->code, "%s: code %d, want %d", r->name,
	    out.code, r->code);
	cr_expect_str_eq(out.message, r->message, "%s: message", r->name);
	if (r->library == NULL)
		cr_expect_null(out.library, "%s: library %s", r->name,
		    out.library);
	else
		cr_expect(out.library != NULL &&
			strcmp(out.library, r->library) == 0,
		    "%s: library %s", r->name,
		    out.library ? out.library : "(null)");
	if (r->reason == NULL)
		cr_expect_null(out.reason, "%s: reason %s", r->name,
		    out.reason);
	else
		cr_expect(out.reason != NULL &&
			strcmp(out.reason, r->reason) == 0,
		    "%s: reason %s", r->name,
		    out.reason ? out.reason : "(null)");
	cr_expect_eq(out.cert, r->verify_message != NULL, "%s: cert", r->name);
	if (r->verify_message != NULL) {
		cr_expect_eq(out.verify_code, r->verify, "%s: verify_code",
		    r->name);
		cr_expect_str_eq(out.verify_message, r->verify_message,
		    "%s: verify_message", r->name);
	}
}

Test(classify, table)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check(&rows[i]);
}

Test(classify, layouts)
{
	cr_expect_eq(classify_layout(0x30000130UL), ERR_LAYOUT_3);
	cr_expect_eq(classify_layout(0x30200000UL), ERR_LAYOUT_3);
	cr_expect_eq(classify_layout(0x1010117FUL), ERR_LAYOUT_111);
	cr_expect_eq(classify_err_lib(0x0A000126, ERR_LAYOUT_3), 20);
	cr_expect_eq(classify_err_reason(0x0A000126, ERR_LAYOUT_3), 294);
	cr_expect_eq(classify_err_lib(0x80000068, ERR_LAYOUT_3), 2);
	cr_expect_eq(classify_err_reason(0x80000068, ERR_LAYOUT_3), 104);
	cr_expect_eq(classify_err_reason(0x0A0C0103, ERR_LAYOUT_3), 0xC0103);
	cr_expect_eq(classify_err_lib(0x1416F086, ERR_LAYOUT_111), 20);
	cr_expect_eq(classify_err_reason(0x1416F086, ERR_LAYOUT_111), 134);
	/* the same bits mean different things in the other layout */
	cr_expect_neq(classify_err_lib(0x1416F086, ERR_LAYOUT_3), 20);
	cr_expect_eq(classify_err_pack(20, 134, ERR_LAYOUT_3), 0x0A000086UL);
	cr_expect_eq(classify_err_pack(20, 134, ERR_LAYOUT_111), 0x14000086UL);
	cr_expect_eq(classify_err_pack(2, 104, ERR_LAYOUT_3), 0x80000068UL);
}

Test(classify, oserror_types)
{
	static const struct {
		int e;
		const char *t;
	} t[] = {
		{ 11, "BlockingIOError" },
		{ 32, "BrokenPipeError" },
		{ 103, "ConnectionAbortedError" },
		{ 111, "ConnectionRefusedError" },
		{ 104, "ConnectionResetError" },
		{ 110, "TimeoutError" },
		{ 4, "InterruptedError" },
		{ 13, "PermissionError" },
		{ 1, "PermissionError" },
		{ 2, "FileNotFoundError" },
		{ 113, "OSError" },
		{ 108, "BrokenPipeError" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		cr_expect_str_eq(classify_type_names[classify_oserror_type(
				     t[i].e)],
		    t[i].t, "errno %d", t[i].e);
}

/* Every class has a name, and the names are distinct. */
Test(classify, type_names)
{
	int i, j;

	for (i = 0; i < EXC__COUNT; i++) {
		cr_assert_not_null(classify_type_names[i], "type %d", i);
		cr_expect(strstr(classify_type_names[i], "Error") != NULL, "%s",
		    classify_type_names[i]);
		for (j = 0; j < i; j++)
			cr_expect_str_neq(classify_type_names[i],
			    classify_type_names[j]);
	}
}

Test(classify, ssl_error_names)
{
	cr_expect_str_eq(classify_ssl_error_name(1), "SSL_ERROR_SSL");
	cr_expect_str_eq(classify_ssl_error_name(5), "SSL_ERROR_SYSCALL");
	cr_expect_str_eq(classify_ssl_error_name(12),
	    "SSL_ERROR_WANT_RETRY_VERIFY");
	cr_expect_str_eq(classify_ssl_error_name(99), "SSL_ERROR_UNKNOWN");
	cr_expect(classify_is_retry(2) && classify_is_retry(3) &&
	    classify_is_retry(12));
	cr_expect(!classify_is_retry(1) && !classify_is_retry(5) &&
	    !classify_is_retry(6));
}

Test(classify, long_inputs_are_truncated_safely)
{
	struct classify_in in;
	struct classify_out out;
	char host[2000];

	memset(host, 'a', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	memset(&in, 0, sizeof(in));
	in.call = HS;
	in.ret = -1;
	in.ssl_error = 1;
	in.err = 0x0A000086;
	in.reason_text = "certificate verify failed";
	in.verify_result = 62;
	in.check_host = host;
	classify(&in, &out);
	cr_expect_eq(strlen(out.verify_message),
	    sizeof(out.verify_message) - 1);
	cr_expect(strlen(out.message) < sizeof(out.message));
	cr_expect(strncmp(out.verify_message, "Hostname mismatch, ", 19) == 0);
	cr_expect(strstr(out.message, out.verify_message) != NULL);
}

/*
 * The decision procedure per CPython release (python-ssl-error-model.md
 * §5): five inputs whose exception changed across 3.10-3.14, each run
 * under every release where a rule starts or stops.
 */
enum {
	IN_WRITE_RST,
	IN_SYS_QUEUED,
	IN_SYSCALL_CERT,
	IN_EOF_294,
	IN_MEMBIO_SYSCALL,
	IN__COUNT
};

static void
version_input(int which, struct classify_in *in)
{
	memset(in, 0, sizeof(*in));
	in->layout = L3;
	in->verify_text = "ok";
	in->call = HS;
	in->ret = -1;
	switch (which) {
	case IN_WRITE_RST: /* send() after the peer's RST */
		in->call = WR;
		in->ret = 0;
		in->ssl_error = 5;
		in->sys_errno = 104;
		break;
	case IN_SYS_QUEUED: /* OpenSSL 3.4 queues EPIPE as ERR_LIB_SYS */
		in->ssl_error = 5;
		in->err = 0x80000020;
		break;
	case IN_SYSCALL_CERT:
		in->ssl_error = 5;
		in->err = 0x0A000086;
		in->reason_text = "certificate verify failed";
		in->verify_result = 10;
		in->verify_text = "certificate has expired";
		break;
	case IN_EOF_294:
		in->ssl_error = 1;
		in->err = 0x0A000126;
		in->reason_text = "unexpected eof while reading";
		break;
	case IN_MEMBIO_SYSCALL: /* SSLObject, BIO failed without errno */
		in->ssl_error = 5;
		in->memory_bio = 1;
		break;
	}
}

Test(classify, versions)
{
	static const struct {
		unsigned v;
		const char *type[IN__COUNT];
	} want[] = {
		{ PYVER(3, 10, 0),
		    { "SSLEOFError", "SSLError", "SSLError", "SSLError",
			"SSLSyscallError" } },
		{ PYVER(3, 10, 17),
		    { "SSLEOFError", "BrokenPipeError", "SSLError", "SSLError",
			"SSLSyscallError" } },
		{ PYVER(3, 11, 2),
		    { "SSLEOFError", "SSLError", "SSLError", "SSLError",
			"SSLSyscallError" } },
		{ PYVER(3, 11, 3),
		    { "SSLEOFError", "SSLError", "SSLError", "SSLEOFError",
			"SSLSyscallError" } },
		{ PYVER(3, 11, 5),
		    { "SSLEOFError", "SSLError", "SSLCertVerificationError",
			"SSLEOFError", "SSLSyscallError" } },
		{ PYVER(3, 11, 11),
		    { "SSLEOFError", "SSLError", "SSLCertVerificationError",
			"SSLEOFError", "SSLSyscallError" } },
		{ PYVER(3, 11, 12),
		    { "SSLEOFError", "BrokenPipeError",
			"SSLCertVerificationError", "SSLEOFError",
			"SSLSyscallError" } },
		{ PYVER(3, 12, 0),
		    { "SSLEOFError", "SSLError", "SSLCertVerificationError",
			"SSLEOFError", "SSLSyscallError" } },
		{ PYVER(3, 12, 8),
		    { "SSLEOFError", "SSLError", "SSLCertVerificationError",
			"SSLEOFError", "SSLSyscallError" } },
		{ PYVER(3, 12, 9),
		    { "SSLEOFError", "BrokenPipeError",
			"SSLCertVerificationError", "SSLEOFError",
			"SSLSyscallError" } },
		{ PYVER(3, 13, 0),
		    { "ConnectionResetError", "BrokenPipeError",
			"SSLCertVerificationError", "SSLEOFError",
			"SSLEOFError" } },
		{ PYVER(3, 14, 0),
		    { "ConnectionResetError", "BrokenPipeError",
			"SSLCertVerificationError", "SSLEOFError",
			"SSLEOFError" } },
	};
	struct classify_in in;
	struct classify_out out;
	size_t i;
	int k;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		for (k = 0; k < IN__COUNT; k++) {
			version_input(k, &in);
			in.pyver = want[i].v;
			classify(&in, &out);
			cr_expect_str_eq(classify_type_names[out.type],
			    want[i].type[k], "%u.%u.%u input %d: %s",
			    want[i].v >> 16, (want[i].v >> 8) & 0xFF,
			    want[i].v & 0xFF, k, classify_type_names[out.type]);
		}
	/* the texts that go with the older outcomes */
	version_input(IN_EOF_294, &in);
	in.pyver = PYVER(3, 11, 2);
	classify(&in, &out);
	cr_expect_str_eq(out.message,
	    "[SSL: UNEXPECTED_EOF_WHILE_READING] "
	    "unexpected eof while reading");
	cr_expect_eq(out.code, 1);
	version_input(IN_SYSCALL_CERT, &in);
	in.pyver = PYVER(3, 11, 4);
	classify(&in, &out);
	cr_expect_str_eq(out.message,
	    "[SSL: CERTIFICATE_VERIFY_FAILED] "
	    "certificate verify failed");
	cr_expect_eq(out.code, 5);
	cr_expect(!out.cert);
	version_input(IN_SYS_QUEUED, &in);
	in.pyver = PYVER(3, 12, 8);
	classify(&in, &out);
	cr_expect_str_eq(out.message, "[SYS] unknown error");
}
