/* context.h: who, where and how far: the facts around a failing call. */
#ifndef TLSDIAG_CONTEXT_H
#define TLSDIAG_CONTEXT_H

#include <stdint.h>
#include <sys/socket.h>

#include "shim.h"

/* What carries the TLS bytes: a socket, memory BIOs (asyncio's
 * SSLObject, proxies), the program's own BIO (curl), another fd, none. */
enum transport {
	TRANSPORT_SOCKET,
	TRANSPORT_MEMORY,
	TRANSPORT_CUSTOM,
	TRANSPORT_FD,
	TRANSPORT_NONE
};

struct conn {
	int server;	     /* SSL_is_server */
	int init_finished;   /* SSL_is_init_finished: not after a fatal error */
	int handshake_done;  /* both Finished messages went through */
	int negotiated;	     /* a version and cipher were agreed */
	const char *version; /* "1.3" ... or NULL if not negotiated */
	const char *cipher;  /* NULL if not negotiated */
	int resumed;
	char sni[256];
	char check_host[256]; /* host or IP given to X509_VERIFY_PARAM */
	const char *check_host_source; /* "verify_param", "sni" or NULL */
	enum transport transport;
	struct sockaddr_storage peer, local;
	socklen_t peerlen, locallen;
	char peer_text[300];	 /* "127.0.0.1:8443", "unix:/run/x", ... */
	char bio[64];		 /* BIO method name when there is no fd */
	const char *peer_source; /* how the peer was found (context.c) */
	int shutdown;		 /* SSL_get_shutdown bits */
	int ignore_eof;		 /* SSL_OP_IGNORE_UNEXPECTED_EOF set */
	int rbio_eof;		 /* the transport reported EOF */
	uint64_t bytes_read, bytes_written;
	long long age_s; /* since the session was made, or -1 */
};

/* Gather the cheap facts about s.  Touches neither errno nor the queue
 * (the caller brackets with ERR_set_mark). */
void context_gather(struct ossl *o, SSL *s, struct conn *c);

/*
 * For a hostname mismatch (verify_result 62) on a client whose verify
 * parameters name no host: take the SNI name as the host that was checked
 * (a program checking the name in its own verify callback, as Ruby does,
 * reports 62 for the name it connected to).  Otherwise leaves c alone.
 */
void context_mismatch_host(struct conn *c, long verify_result);

/*
 * The peer's certificate: a new reference when *owned is set (the caller
 * X509_free()s it), else the leaf of the chain the peer sent (verification
 * failed before OpenSSL kept it); NULL if there is none.
 */
X509 *
context_peer_cert(struct ossl *o, SSL *s, const struct conn *c, int *owned);

/*
 * ss as text in out ("127.0.0.1:8443", "unix:/run/x", ...), and, for an
 * IP address, the address in ip and the port in *port (ip "" otherwise).
 */
void context_addr_text(const struct sockaddr_storage *ss, socklen_t len,
    char *out, size_t cap, char *ip, size_t ipcap, int *port);

/* RFC 2253, but UTF-8 kept as UTF-8 rather than \XX escapes: the JSON
 * writer makes any byte safe. */
#define CONTEXT_DN_FLAGS                                                       \
	((XN_FLAG_RFC2253 & ~(unsigned long)ASN1_STRFLGS_ESC_MSB) |            \
	    ASN1_STRFLGS_UTF8_CONVERT)

/* For a verify failure: the depth in the peer's chain that failed and
 * that certificate's subject; depth -1 if unknown. */
struct verify_where {
	int depth;
	char subject[512];
	int cut; /* the subject was longer than subject[] */
};
void context_verify_where(struct ossl *o, SSL *s, long verify_code,
    struct verify_where *vw);

#endif
