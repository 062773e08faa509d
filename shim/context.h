/* context.h: who, where and how far: the facts around a failing call. */
#ifndef TLSDIAG_CONTEXT_H
#define TLSDIAG_CONTEXT_H

#include <stdint.h>
#include <sys/socket.h>

#include "jsonw.h"
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

/* Members of the tlsdiag object that come from c. */
void context_write_tlsdiag(struct jsonw *w, const struct conn *c);

struct record_fit;

/*
 * Top-level members: tls.* (with the peer certificate), source.*,
 * destination.*.  The certificate's subject, issuer and names are parts
 * of fit: measured, and shortened to the room fit gives them.
 */
void context_write_top(struct jsonw *w, struct ossl *o, SSL *s,
    const struct conn *c, struct record_fit *fit);

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
