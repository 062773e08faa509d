/* classify.h: map an OpenSSL outcome to the exception CPython's ssl raises. */
#ifndef TLSDIAG_CLASSIFY_H
#define TLSDIAG_CLASSIFY_H

/* The intercepted entry points, in the order of classify_call_names[]. */
enum call {
	CALL_SSL_READ,
	CALL_SSL_READ_EX,
	CALL_SSL_PEEK,
	CALL_SSL_PEEK_EX,
	CALL_SSL_WRITE,
	CALL_SSL_WRITE_EX,
	CALL_SSL_DO_HANDSHAKE,
	CALL_SSL_CONNECT,
	CALL_SSL_ACCEPT,
	CALL_SSL_SHUTDOWN,
	CALL_SSL_GET_VERIFY_RESULT,
	CALL__COUNT
};
extern const char *const classify_call_names[CALL__COUNT];

/*
 * Which CPython rules to reproduce (python-ssl-error-model.md §4, §5): a
 * CPython version as PYVER(3, 11, 7).  The default, for hosts that are
 * not Python, is 3.13, the current documentation's model.
 */
#define PYVER(major, minor, micro)                                             \
	((unsigned)(major) << 16 | (unsigned)(minor) << 8 | (unsigned)(micro))
#define PYVER_DEFAULT PYVER(3, 13, 0)

/* The classification rules of one CPython version (§5). */
struct pyrules {
	int rw_ret_zero;  /* 3.10-3.12: read/write hand ret 0 (bpo-42854) */
	int errno_only;	  /* 3.13+: ret ignored (gh-115627) */
	int sys_oserror;  /* ERR_LIB_SYS queued -> OSError (gh-127257) */
	int syscall_cert; /* SYSCALL + (SSL, 134) -> cert error (gh-107077) */
	int eof_294;	  /* (SSL, 294) -> SSLEOFError (gh-95495) */
};

/*
 * The rules CPython pyver applies.  3.14 and later get 3.13's: no change
 * to PySSL_SetError after 3.13 is known here (3.14's _ssl.c was not
 * read; gh-148292 is 3.15 development).  Before 3.10, the 3.10 rules
 * with the real return value (those releases used SSL_read/SSL_write).
 */
void classify_rules(unsigned pyver, struct pyrules *r);

/* Packed error code layout of the OpenSSL actually loaded (§1.3). */
enum err_layout {
	ERR_LAYOUT_3,  /* 3.x: lib << 23, 23-bit reason, bit 31 = system */
	ERR_LAYOUT_111 /* 1.1.1: lib << 24, func << 12, 12-bit reason */
};

#define CLASSIFY_LIB_SYS 2
#define CLASSIFY_LIB_SSL 20
#define CLASSIFY_R_CERT_VERIFY_FAILED 134
#define CLASSIFY_R_UNEXPECTED_EOF 294

/* The library and reason of packed error e, as ERR_GET_LIB/REASON would. */
int classify_err_lib(unsigned long e, enum err_layout layout);
int classify_err_reason(unsigned long e, enum err_layout layout);

/* Pack (lib, reason) as OpenSSL would for layout. */
unsigned long classify_err_pack(int lib, int reason, enum err_layout layout);

/* The layout for an OpenSSL_version_num() value. */
enum err_layout classify_layout(unsigned long version_num);

struct classify_in {
	enum call call;
	int ret;	   /* what the real call returned */
	int ssl_error;	   /* SSL_get_error(ssl, ret) */
	int sys_errno;	   /* errno right after the call */
	unsigned long err; /* ERR_peek_last_error(), 0 if none */
	enum err_layout layout;
	const char *reason_text; /* ERR_reason_error_string(err), or NULL */
	long verify_result;	 /* SSL_get_verify_result() */
	const char *verify_text; /* X509_verify_cert_error_string(result) */
	const char *check_host;	 /* host or IP the program asked to verify */
	int memory_bio;		 /* no socket under the SSL (SSLObject) */
	unsigned pyver;		 /* PYVER() of the CPython to reproduce */
};

/*
 * The exception classes classify() can name, in the order of
 * classify_type_names[]: ssl's own, then OSError and the subclasses
 * PEP 3151 maps an errno to.
 */
enum exc_type {
	EXC_SSL_ERROR,
	EXC_SSL_ZERO_RETURN,
	EXC_SSL_WANT_READ,
	EXC_SSL_WANT_WRITE,
	EXC_SSL_SYSCALL,
	EXC_SSL_EOF,
	EXC_SSL_CERT_VERIFICATION,
	EXC_OSERROR,
	EXC_BLOCKING_IO,
	EXC_CHILD_PROCESS,
	EXC_BROKEN_PIPE,
	EXC_CONNECTION_ABORTED,
	EXC_CONNECTION_REFUSED,
	EXC_CONNECTION_RESET,
	EXC_FILE_EXISTS,
	EXC_FILE_NOT_FOUND,
	EXC_IS_A_DIRECTORY,
	EXC_NOT_A_DIRECTORY,
	EXC_INTERRUPTED,
	EXC_PERMISSION,
	EXC_PROCESS_LOOKUP,
	EXC_TIMEOUT,
	EXC__COUNT
};

/* The CPython class name of each enum exc_type ("SSLEOFError"...). */
extern const char *const classify_type_names[EXC__COUNT];

struct classify_out {
	enum exc_type type;  /* exception class */
	int code;	     /* exc.errno */
	int oserror;	     /* an OSError subclass (no library/reason) */
	const char *library; /* exc.library, NULL for None */
	const char *reason;  /* exc.reason, NULL for None */
	int cert;	     /* SSLCertVerificationError: verify_* valid */
	long verify_code;
	char verify_message[384];
	char message[768]; /* str(exc) without " (_ssl.c:N)" */
	const char *text;  /* message without its "[LIB: REASON] " part */
};

/* Classify in; always fills out (never fails).  Returns out->type. */
enum exc_type classify(const struct classify_in *in, struct classify_out *out);

/* "SSL_ERROR_SSL" ... for an SSL_get_error() value; "SSL_ERROR_<n>" else. */
const char *classify_ssl_error_name(int ssl_error);

/* The OSError subclass CPython raises for errnum (PEP 3151). */
enum exc_type classify_oserror_type(int errnum);

/* 1 if ssl_error only asks the caller to try again (the WANT_* values). */
int classify_is_retry(int ssl_error);

#endif
