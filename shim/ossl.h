/* ossl.h: the OpenSSL functions the shim calls, one table per copy. */
#ifndef TLSDIAG_OSSL_H
#define TLSDIAG_OSSL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "classify.h"

/* 3.0 maps the 1.1.1 name to SSL_get1_peer_certificate; we need both. */
#undef SSL_get_peer_certificate

/*
 * A "copy" is one loaded libssl with its libcrypto: a process may hold
 * several (a private one dlopen()ed RTLD_LOCAL, another soname), and the
 * code and the docs call each one a copy.
 *
 * Everything the shim calls in one libssl/libcrypto copy, resolved from
 * that copy only, so a process with two copies never mixes them.  Entries
 * marked optional may be NULL (absent in some versions).
 */
#define OSSL_WRAPPED(X)                                                        \
	X(int, SSL_read, (SSL *, void *, int))                                 \
	X(int, SSL_read_ex, (SSL *, void *, size_t, size_t *))                 \
	X(int, SSL_peek, (SSL *, void *, int))                                 \
	X(int, SSL_peek_ex, (SSL *, void *, size_t, size_t *))                 \
	X(int, SSL_write, (SSL *, const void *, int))                          \
	X(int, SSL_write_ex, (SSL *, const void *, size_t, size_t *))          \
	X(int, SSL_do_handshake, (SSL *))                                      \
	X(int, SSL_connect, (SSL *))                                           \
	X(int, SSL_accept, (SSL *))                                            \
	X(int, SSL_shutdown, (SSL *))                                          \
	X(long, SSL_get_verify_result, (const SSL *))

/*
 * What the wrappers' success path and the coverage records use, looked
 * up at a copy's first call (SSL_get_error tells a failure from a retry
 * such as SSL_ERROR_WANT_READ, which non-blocking programs see all the
 * time).  OSSL_HELPERS and OSSL_OPTIONAL serve the failure path only and
 * are looked up at the copy's first failure (resolve_failure_path): a
 * process whose TLS never fails does not pay those 63 dlsym calls.
 */
#define OSSL_FIRST_CALL(X)                                                     \
	X(int, SSL_get_error, (const SSL *, int))                              \
	X(unsigned long, OpenSSL_version_num, (void))                          \
	X(const char *, OpenSSL_version, (int))                                \
	X(BIO *, SSL_get_rbio, (const SSL *))                                  \
	X(uint64_t, BIO_number_read, (BIO *))                                  \
	X(uint64_t, BIO_number_written, (BIO *))

/* Optional among those. */
#define OSSL_FIRST_CALL_OPTIONAL(X) X(int, BIO_method_type, (const BIO *))

#define OSSL_HELPERS(X)                                                        \
	X(unsigned long, ERR_peek_error, (void))                               \
	X(unsigned long, ERR_peek_last_error, (void))                          \
	X(int, ERR_set_mark, (void))                                           \
	X(int, ERR_pop_to_mark, (void))                                        \
	X(const char *, ERR_reason_error_string, (unsigned long))              \
	X(const char *, X509_verify_cert_error_string, (long))                 \
	X(int, SSL_get_shutdown, (const SSL *))                                \
	X(uint64_t, SSL_get_options, (const SSL *))                            \
	X(int, SSL_is_server, (const SSL *))                                   \
	X(int, SSL_is_init_finished, (const SSL *))                            \
	X(size_t, SSL_get_finished, (const SSL *, void *, size_t))             \
	X(size_t, SSL_get_peer_finished, (const SSL *, void *, size_t))        \
	X(const char *, SSL_get_version, (const SSL *))                        \
	X(const SSL_CIPHER *, SSL_get_current_cipher, (const SSL *))           \
	X(const char *, SSL_CIPHER_get_name, (const SSL_CIPHER *))             \
	X(int, SSL_session_reused, (const SSL *))                              \
	X(const char *, SSL_get_servername, (const SSL *, int))                \
	X(X509_VERIFY_PARAM *, SSL_get0_param, (SSL *))                        \
	X(char *, X509_VERIFY_PARAM_get0_host, (X509_VERIFY_PARAM *, int))     \
	X(int, SSL_get_rfd, (const SSL *))                                     \
	X(BIO *, SSL_get_wbio, (const SSL *))                                  \
	X(const char *, BIO_method_name, (const BIO *))                        \
	X(int, BIO_test_flags, (const BIO *, int))                             \
	X(int, SSL_want, (const SSL *))                                        \
	X(long, BIO_ctrl, (BIO *, int, long, void *))                          \
	X(SSL_SESSION *, SSL_get_session, (const SSL *))                       \
	X(long, SSL_SESSION_get_time, (const SSL_SESSION *))                   \
	X(int, CRYPTO_get_ex_new_index,                                        \
	    (int, long, void *, void *, void *, void *))                       \
	X(int, SSL_set_ex_data, (SSL *, int, void *))                          \
	X(void *, SSL_get_ex_data, (const SSL *, int))                         \
	X(void, CRYPTO_free, (void *, const char *, int))                      \
	X(void, X509_free, (X509 *))                                           \
	X(X509_NAME *, X509_get_subject_name, (const X509 *))                  \
	X(X509_NAME *, X509_get_issuer_name, (const X509 *))                   \
	X(int, X509_NAME_print_ex,                                             \
	    (BIO *, const X509_NAME *, int, unsigned long))                    \
	X(const ASN1_TIME *, X509_get0_notBefore, (const X509 *))              \
	X(const ASN1_TIME *, X509_get0_notAfter, (const X509 *))               \
	X(int, ASN1_TIME_to_tm, (const ASN1_TIME *, struct tm *))              \
	X(ASN1_INTEGER *, X509_get_serialNumber, (X509 *))                     \
	X(int, ASN1_STRING_length, (const ASN1_STRING *))                      \
	X(const unsigned char *, ASN1_STRING_get0_data, (const ASN1_STRING *)) \
	X(const EVP_MD *, EVP_sha256, (void))                                  \
	X(int, X509_digest,                                                    \
	    (const X509 *, const EVP_MD *, unsigned char *, unsigned int *))   \
	X(void *, X509_get_ext_d2i, (const X509 *, int, int *, int *))         \
	X(int, OPENSSL_sk_num, (const OPENSSL_STACK *))                        \
	X(void *, OPENSSL_sk_value, (const OPENSSL_STACK *, int))              \
	X(void, GENERAL_NAMES_free, (GENERAL_NAMES *))                         \
	X(const BIO_METHOD *, BIO_s_mem, (void))                               \
	X(BIO *, BIO_new, (const BIO_METHOD *))                                \
	X(int, BIO_free, (BIO *))                                              \
	X(int, BIO_read, (BIO *, void *, int))                                 \
	X(STACK_OF(X509) *, SSL_get_peer_cert_chain, (const SSL *))            \
	X(int, X509_cmp_current_time, (const ASN1_TIME *))

/* Optional: present in some versions only. */
#define OSSL_OPTIONAL(X)                                                       \
	X(void, ERR_put_error, (int, int, int, const char *, int))             \
	X(void, ERR_new, (void))                                               \
	X(void, ERR_set_error, (int, int, const char *, ...))                  \
	X(X509 *, SSL_get1_peer_certificate, (const SSL *))                    \
	X(X509 *, SSL_get_peer_certificate, (const SSL *))                     \
	X(char *, X509_VERIFY_PARAM_get1_ip_asc, (X509_VERIFY_PARAM *))        \
	X(const SSL_CIPHER *, SSL_get_pending_cipher, (const SSL *))           \
	X(BIO *, BIO_next, (BIO *))                                            \
	X(int, X509_check_host,                                                \
	    (X509 *, const char *, size_t, unsigned int, char **))             \
	X(int, X509_check_ip_asc, (X509 *, const char *, unsigned int))

struct ossl {
	uintptr_t base;	  /* load address of this copy */
	char path[256];	  /* its file */
	char version[64]; /* OpenSSL_version(OPENSSL_VERSION) */
	unsigned long version_num;
	enum err_layout layout;
	_Atomic int ex_index;	 /* per-SSL flags slot, -1 until needed */
	_Atomic unsigned called; /* bit per enum call seen at least once */
	void *handle;		 /* dlopen(RTLD_NOLOAD) reference, kept */
	int entry; /* a program's own OpenSSL, hooked at its entries */
#define X(ret, name, args) ret(*name) args;
	OSSL_WRAPPED(X)
	OSSL_FIRST_CALL(X)
	OSSL_FIRST_CALL_OPTIONAL(X)
	OSSL_HELPERS(X)
	OSSL_OPTIONAL(X)
#undef X
	_Atomic int failure_path; /* 0 not looked up, 1 ready, 2 incomplete */
};

/*
 * Note that entry point c of copy o was called, for the coverage record:
 * after the first time, one load and a branch.
 */
#define MARK_CALLED(o, c)                                                      \
	do {                                                                   \
		if (!(atomic_load_explicit(&(o)->called,                       \
			  memory_order_relaxed) &                              \
			(1u << (c))))                                          \
			atomic_fetch_or(&(o)->called, 1u << (c));              \
	} while (0)

#endif
