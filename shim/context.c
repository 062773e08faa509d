/*
 * context.c: read-only questions to the program's own libssl about a
 * connection that just failed.  Only getters, run on the failure path;
 * the caller keeps errno and brackets everything with ERR_set_mark.
 */
#include "context.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>
#include <time.h>

#include "observe.h"
#include "str.h"

#define OP_IGNORE_UNEXPECTED_EOF ((uint64_t)1 << 7)

/* tlsdiag.peer_source: how the peer's address was found */
#define PEER_SOCKET_BIO "socket_bio"
#define PEER_BIO_CHAIN "bio_chain"
#define PEER_OBSERVED_FD "observed_fd"
#define PEER_NONE "none"

void
context_addr_text(const struct sockaddr_storage *ss, socklen_t len, char *out,
    size_t cap, char *ip, size_t ipcap, int *port)
{
	char pb[24];

	*port = -1;
	ip[0] = '\0';
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)ss;

		inet_ntop(AF_INET, &in->sin_addr, ip, (socklen_t)ipcap);
		*port = ntohs(in->sin_port);
		str_cat(out, cap, ip, ":", str_dec(pb, *port), STR_END);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)ss;

		inet_ntop(AF_INET6, &in6->sin6_addr, ip, (socklen_t)ipcap);
		*port = ntohs(in6->sin6_port);
		str_cat(out, cap, "[", ip, "]:", str_dec(pb, *port), STR_END);
	} else if (ss->ss_family == AF_UNIX) {
		const struct sockaddr_un *un = (const void *)ss;
		size_t n = len > offsetof(struct sockaddr_un, sun_path) ?
		    len - offsetof(struct sockaddr_un, sun_path) :
		    0;

		if (n > 0 && un->sun_path[0] == '\0')
			snprintf(out, cap, "unix:@%.*s", (int)(n - 1),
			    un->sun_path + 1);
		else if (n > 0)
			snprintf(out, cap, "unix:%.*s",
			    (int)strnlen(un->sun_path, n), un->sun_path);
		else
			snprintf(out, cap, "unix:(unnamed)");
	} else
		snprintf(out, cap, "(family %d)", ss->ss_family);
}

/*
 * Fill c's peer and local addresses from fd; peer_text too when there is
 * a peer.  Returns 1 if fd is a socket with a peer, 0 if not, with
 * peerlen or locallen 0 for what getpeername/getsockname did not give.
 */
static int
socket_addrs(int fd, struct conn *c)
{
	char ip[64];
	int port;

	c->peerlen = sizeof(c->peer);
	c->locallen = sizeof(c->local);
	if (getsockname(fd, (struct sockaddr *)&c->local, &c->locallen) != 0)
		c->locallen = 0;
	if (getpeername(fd, (struct sockaddr *)&c->peer, &c->peerlen) != 0) {
		c->peerlen = 0;
		return 0;
	}
	context_addr_text(&c->peer, c->peerlen, c->peer_text,
	    sizeof(c->peer_text), ip, sizeof(ip), &port);
	return 1;
}

/*
 * The descriptor a BIO in rb's chain reports through BIO_get_fd though it
 * is not a descriptor BIO (SSL_get_rfd looks for those only), or -1.  The
 * return value and the stored value must agree: a BIO that answers 1 to
 * every control it does not know does not count.
 */
static int
chain_fd(struct ossl *o, BIO *rb)
{
	BIO *b;
	int i;

	for (b = rb, i = 0; b != NULL && i < 8; i++) {
		int fd = -1;
		long r = o->BIO_ctrl(b, BIO_C_GET_FD, 0, &fd);

		if (r >= 0 && fd >= 0 && r == fd)
			return fd;
		if (o->BIO_next == NULL)
			break;
		b = o->BIO_next(b);
	}
	return -1;
}

/*
 * No descriptor BIO under s: find the peer another honest way.  First a
 * BIO in the chain that tells its descriptor; else the socket that this
 * thread read or wrote inside its calls on s (observe.c: what a program's
 * own BIO, such as curl's, uses); else none.  A BIO pair the program
 * fills from a socket outside OpenSSL's calls shows no descriptor, and
 * the peer stays unknown rather than guessed.
 */
static void
peer_behind_bio(struct ossl *o, SSL *s, BIO *rb, struct conn *c)
{
	char keep[sizeof(c->peer_text)], ip[64];
	int fd, port;

	memcpy(keep, c->peer_text, sizeof(keep));
	fd = chain_fd(o, rb);
	if (fd >= 0 && socket_addrs(fd, c) > 0) {
		c->peer_source = PEER_BIO_CHAIN;
		return;
	}
	if (observe_peer(s, &c->peer, &c->peerlen, &c->local, &c->locallen)) {
		context_addr_text(&c->peer, c->peerlen, c->peer_text,
		    sizeof(c->peer_text), ip, sizeof(ip), &port);
		c->peer_source = PEER_OBSERVED_FD;
		return;
	}
	c->peerlen = 0;
	c->locallen = 0;
	memcpy(c->peer_text, keep, sizeof(keep));
}

/* Whether and what the handshake negotiated, and whether it resumed. */
static void
gather_session(struct ossl *o, SSL *s, struct conn *c)
{
	const SSL_CIPHER *ci;
	const char *v;

	/*
	 * A fatal error puts the state machine back "in init", so ask
	 * whether both Finished messages were exchanged instead.
	 */
	{
		char dummy[1];

		c->handshake_done = c->init_finished ||
		    (o->SSL_get_finished(s, dummy, 0) > 0 &&
			o->SSL_get_peer_finished(s, dummy, 0) > 0);
	}
	/*
	 * Before the server's hello, SSL_get_version says what the client
	 * offered at most (or, on a server that refused the hello, what the
	 * client's legacy field said): nothing was negotiated.  OpenSSL
	 * sets the pending cipher once a version and a cipher were agreed
	 * (client: the ServerHello was accepted; server: it chose them for
	 * its ServerHello), and a new connection or SSL_clear resets it.
	 */
	ci = o->SSL_get_pending_cipher != NULL ? o->SSL_get_pending_cipher(s) :
						 NULL;
	c->negotiated = c->handshake_done || ci != NULL;
	if (c->negotiated) {
		v = o->SSL_get_version(s);
		if (v != NULL && strncmp(v, "TLSv", 4) == 0)
			c->version = v + 4;
		else if (v != NULL && strcmp(v, "unknown") != 0)
			c->version = v;
		if (o->SSL_get_current_cipher(s) != NULL)
			ci = o->SSL_get_current_cipher(s);
		if (ci != NULL)
			c->cipher = o->SSL_CIPHER_get_name(ci);
	}
	c->resumed = o->SSL_session_reused(s);
}

/* The name the client sent (SNI) and the host it asked to verify. */
static void
gather_names(struct ossl *o, SSL *s, struct conn *c)
{
	X509_VERIFY_PARAM *param;
	const char *sni;

	sni = o->SSL_get_servername(s, 0 /* TLSEXT_NAMETYPE_host_name */);
	if (sni != NULL)
		str_cat(c->sni, sizeof(c->sni), sni, STR_END);
	param = o->SSL_get0_param(s);
	if (param != NULL) {
		const char *h = o->X509_VERIFY_PARAM_get0_host(param, 0);

		if (h != NULL)
			str_cat(c->check_host, sizeof(c->check_host), h,
			    STR_END);
		else if (o->X509_VERIFY_PARAM_get1_ip_asc != NULL) {
			char *a = o->X509_VERIFY_PARAM_get1_ip_asc(param);

			if (a != NULL) {
				str_cat(c->check_host, sizeof(c->check_host), a,
				    STR_END);
				o->CRYPTO_free(a, "", 0);
			}
		}
		if (c->check_host[0] != '\0')
			c->check_host_source = "verify_param";
	}
}

/* What carries the bytes under s (read BIO rb), and who the peer is. */
static void
gather_transport(struct ossl *o, SSL *s, BIO *rb, struct conn *c)
{
	int fd;

	c->peer_source = PEER_NONE;
	fd = o->SSL_get_rfd(s);
	if (fd < 0) {
		/* curl's own BIO claims the memory type: go by name */
		const char *name = rb != NULL ? o->BIO_method_name(rb) : NULL;

		char b40[41];

		str_cat(c->bio, sizeof(c->bio), name ? name : "", STR_END);
		if (rb == NULL) {
			c->transport = TRANSPORT_NONE;
			str_cat(c->peer_text, sizeof(c->peer_text), "no BIO",
			    STR_END);
		} else if (name != NULL &&
		    (strcmp(name, "memory buffer") == 0 ||
			strcmp(name, "BIO pair") == 0)) {
			c->transport = TRANSPORT_MEMORY;
			str_cat(c->peer_text, sizeof(c->peer_text),
			    "memory BIO, no socket", STR_END);
		} else {
			c->transport = TRANSPORT_CUSTOM;
			str_cat(b40, sizeof(b40), c->bio, STR_END);
			str_cat(c->peer_text, sizeof(c->peer_text), "BIO '",
			    b40, "', no socket", STR_END);
		}
		if (rb != NULL)
			peer_behind_bio(o, s, rb, c);
		return;
	}
	c->transport = TRANSPORT_FD;
	{
		char fb[24];

		str_cat(c->peer_text, sizeof(c->peer_text), "fd ",
		    str_dec(fb, fd), STR_END);
	}
	if (socket_addrs(fd, c) > 0) {
		/* SSL_get_rfd finds a descriptor BIO anywhere in the chain */
		c->peer_source = o->BIO_method_type == NULL || rb == NULL ||
			(o->BIO_method_type(rb) & BIO_TYPE_DESCRIPTOR) ?
		    PEER_SOCKET_BIO :
		    PEER_BIO_CHAIN;
	}
	if (c->peerlen > 0 || c->locallen > 0)
		c->transport = TRANSPORT_SOCKET;
	/* BIO_eof on a socket BIO: the peer's FIN was read */
	if (rb != NULL && c->transport == TRANSPORT_SOCKET)
		c->rbio_eof = o->BIO_ctrl(rb, BIO_CTRL_EOF, 0, NULL) > 0;
}

void
context_gather(struct ossl *o, SSL *s, struct conn *c)
{
	SSL_SESSION *sess;
	BIO *rb, *wb;

	memset(c, 0, sizeof(*c));
	c->age_s = -1;
	c->server = o->SSL_is_server(s);
	c->init_finished = o->SSL_is_init_finished(s);
	gather_session(o, s, c);
	gather_names(o, s, c);
	c->shutdown = o->SSL_get_shutdown(s);
	c->ignore_eof = (o->SSL_get_options(s) & OP_IGNORE_UNEXPECTED_EOF) != 0;
	rb = o->SSL_get_rbio(s);
	wb = o->SSL_get_wbio(s);
	if (rb != NULL)
		c->bytes_read = o->BIO_number_read(rb);
	if (wb != NULL)
		c->bytes_written = o->BIO_number_written(wb);
	sess = o->SSL_get_session(s);
	if (sess != NULL) {
		long t = o->SSL_SESSION_get_time(sess);

		if (t > 0)
			c->age_s = (long long)time(NULL) - t;
	}

	gather_transport(o, s, rb, c);
}

void
context_mismatch_host(struct conn *c, long verify_result)
{
	if (verify_result != X509_V_ERR_HOSTNAME_MISMATCH || c->server ||
	    c->check_host[0] != '\0' || c->sni[0] == '\0')
		return;
	str_cat(c->check_host, sizeof(c->check_host), c->sni, STR_END);
	c->check_host_source = "sni";
}

/* The peer's certificate (a new reference), or the leaf of the chain it
 * sent when verification failed before OpenSSL kept it. */
X509 *
context_peer_cert(struct ossl *o, SSL *s, const struct conn *c, int *owned)
{
	X509 *x = NULL;
	STACK_OF(X509) * chain;

	*owned = 0;
	if (o->SSL_get1_peer_certificate != NULL)
		x = o->SSL_get1_peer_certificate(s);
	if (x != NULL) {
		*owned = 1;
		return x;
	}
	chain = o->SSL_get_peer_cert_chain(s);
	/* a client's chain starts with the server's leaf; a server's not */
	if (chain != NULL && !c->server &&
	    o->OPENSSL_sk_num((const OPENSSL_STACK *)chain) > 0)
		x = o->OPENSSL_sk_value((const OPENSSL_STACK *)chain, 0);
	return x;
}

void
context_verify_where(struct ossl *o, SSL *s, long code, struct verify_where *vw)
{
	STACK_OF(X509) *chain = o->SSL_get_peer_cert_chain(s);
	int n, i, depth = -1;
	X509 *x = NULL;
	BIO *b;

	vw->depth = -1;
	vw->subject[0] = '\0';
	vw->cut = 0;
	if (chain == NULL || o->SSL_is_server(s))
		return;
	n = o->OPENSSL_sk_num((const OPENSSL_STACK *)chain);
	if (n <= 0)
		return;
	/*
	 * OpenSSL keeps only the code, not the depth: derive it from the
	 * chain the peer sent and what the code means.
	 */
	switch (code) {
	case 9:	 /* not yet valid */
	case 10: /* expired */
		for (i = 0; i < n && depth < 0; i++) {
			X509 *c =
			    o->OPENSSL_sk_value((const OPENSSL_STACK *)chain,
				i);
			int r = code == 10 ?
			    o->X509_cmp_current_time(o->X509_get0_notAfter(c)) :
			    -o->X509_cmp_current_time(
				o->X509_get0_notBefore(c));

			if (r < 0)
				depth = i;
		}
		break;
	case 18:
	case 21:
	case 62:
	case 63:
	case 64:
	case 26:
		depth = 0;
		break;
	case 2:
	case 19:
	case 20:
		depth = n - 1;
		break;
	default:
		return;
	}
	if (depth < 0)
		return;
	vw->depth = depth;
	x = o->OPENSSL_sk_value((const OPENSSL_STACK *)chain, depth);
	if (x == NULL)
		return;
	b = o->BIO_new(o->BIO_s_mem());
	if (b == NULL)
		return;
	if (o->X509_NAME_print_ex(b, o->X509_get_subject_name(x), 0,
		CONTEXT_DN_FLAGS) >= 0) {
		int k = o->BIO_read(b, vw->subject, sizeof(vw->subject) - 1);

		vw->subject[k > 0 ? k : 0] = '\0';
		vw->cut = o->BIO_ctrl(b, BIO_CTRL_PENDING, 0, NULL) > 0;
	}
	o->BIO_free(b);
}
