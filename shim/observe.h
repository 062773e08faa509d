/* observe.h: the socket a connection's bytes went through, seen from the
 * socket calls its thread makes inside an OpenSSL call. */
#ifndef TLSDIAG_OBSERVE_H
#define TLSDIAG_OBSERVE_H

#include <stdint.h>
#include <sys/socket.h>

#include "shim.h"

/*
 * Per thread: the SSL of the outermost wrapped call in progress or last
 * made and, when its read BIO is not a descriptor BIO (curl's own BIO, a
 * BIO pair), the last socket that the thread received from or sent to
 * (recv, send and their relatives) inside a call on it, with both ends'
 * addresses taken when it was first seen there (a reset connection no
 * longer has a peer by the time the failure is recorded).  Internal to
 * observe.c: use observe_begin and observe_peer.
 */
struct observe {
	SSL *ssl;	/* the connection of the current call */
	struct ossl *o; /* the libssl copy it belongs to */
	SSL *seen;	/* the connection the members below are for */
	int watch;	/* its read BIO is not a descriptor BIO */
	int fd;		/* the socket, or -1 */
	int not_socket; /* last descriptor seen that has no peer */
	uint64_t moved; /* bytes through its read BIO when last seen */
	struct sockaddr_storage peer, local;
	socklen_t peerlen, locallen;
};
extern _Thread_local struct observe observe_state;

/*
 * Called by the wrappers before the outermost real call on s.  Two stores
 * when the thread turns to another connection, else a compare: the rest
 * is set up only once a socket call is seen inside a call on s.
 */
static inline void
observe_begin(struct ossl *o, SSL *s)
{
	if (observe_state.ssl != s) {
		observe_state.ssl = s;
		observe_state.o = o;
	}
}

/*
 * The peer (and local) address of the socket this thread used inside its
 * calls on s: 1 with *peer, *local and their lengths filled (locallen may
 * be 0), 0 if none was seen.
 */
int observe_peer(const SSL *s, struct sockaddr_storage *peer,
    socklen_t *peerlen, struct sockaddr_storage *local, socklen_t *locallen);

#endif
