/*
 * observe.c: recv, send, recvfrom, sendto, recvmsg and sendmsg, passed
 * straight through.  Inside a wrapped OpenSSL call (shim_depth > 0) on a
 * connection whose read BIO is not a descriptor BIO, a socket is noted
 * with its addresses the first time it is seen (observe.h), so that a
 * record can name the peer behind the program's own BIO (curl's calls
 * recv and send).  One getpeername() per connection and thread, more only
 * when a thread alternates connections.  read() and write() are left
 * alone: OpenSSL's socket BIO uses them, and a wrapper there would cost
 * every program on every record, for BIOs SSL_get_rfd finds anyway.
 */
#include "observe.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"

_Thread_local struct observe observe_state = { .fd = -1, .not_socket = -1 };

/*
 * A socket call inside a call on st->ssl: set up for that connection if
 * this is the first, then note fd if it is new and has a peer.
 */
static void
note(int fd)
{
	struct observe *st = &observe_state;
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	int saved = errno;
	BIO *b;
	uint64_t moved;

	/* inside a wrapper that is not on a connection (RAND_*) */
	if (st->ssl == NULL)
		return;
	b = st->o->SSL_get_rbio(st->ssl);
	moved = b != NULL ?
	    st->o->BIO_number_read(b) + st->o->BIO_number_written(b) :
	    0;

	/*
	 * A new connection, or one that reuses a freed SSL's address (and
	 * likely its descriptor number): a new BIO starts from 0 bytes.
	 */
	if (st->seen != st->ssl || moved < st->moved) {
		st->seen = st->ssl;
		st->fd = -1;
		st->not_socket = -1;
		st->peerlen = 0;
		/* a descriptor BIO is found by SSL_get_rfd: nothing to do */
		st->watch = b == NULL || st->o->BIO_method_type == NULL ||
		    !(st->o->BIO_method_type(b) & BIO_TYPE_DESCRIPTOR);
	}
	st->moved = moved;
	if (!st->watch || fd == st->fd || fd == st->not_socket)
		return;
	if (getpeername(fd, (struct sockaddr *)&peer, &len) != 0) {
		st->not_socket = fd;
		errno = saved;
		return;
	}
	st->fd = fd;
	st->peer = peer;
	st->peerlen = len;
	st->locallen = sizeof(st->local);
	if (getsockname(fd, (struct sockaddr *)&st->local, &st->locallen) != 0)
		st->locallen = 0;
	errno = saved;
}

int
observe_peer(const SSL *s, struct sockaddr_storage *peer, socklen_t *peerlen,
    struct sockaddr_storage *local, socklen_t *locallen)
{
	const struct observe *st = &observe_state;

	if (st->seen != s || st->fd < 0 || st->peerlen == 0)
		return 0;
	*peer = st->peer;
	*peerlen = st->peerlen;
	*local = st->local;
	*locallen = st->locallen;
	return 1;
}

/* dlsym may allocate, and an allocator may read: no recursion. */
static _Thread_local int resolving;

/*
 * The next definition of name (libc's, or another preload's), or NULL
 * while that is being looked up on this thread: then the caller makes
 * the system call itself.
 */
static __attribute__((noinline)) void *
next_fn_slow(_Atomic(void *) *slot, const char *name)
{
	void *p;

	if (resolving)
		return NULL;
	resolving = 1;
	p = dlsym(RTLD_NEXT, name);
	resolving = 0;
	if (p != NULL)
		atomic_store_explicit(slot, p, memory_order_release);
	return p;
}

static inline void *
next_fn(_Atomic(void *) *slot, const char *name)
{
	void *p = atomic_load_explicit(slot, memory_order_acquire);

	return p != NULL ? p : next_fn_slow(slot, name);
}

/* clang-format off */
/* The cost outside an OpenSSL call: a thread-local load and a branch. */
#define NOTE(fd)                                                           \
	do {                                                               \
		if (shim_depth > 0)                                        \
			note(fd);                                          \
	} while (0)

/*
 * One pass-through: ret name params, calling the next definition with
 * args, or the system call sys with sysargs when there is none.
 */
#define PASS(ret, name, params, args, sys, sysargs)                        \
	static _Atomic(void *) next_##name;                                \
	SHIM_EXPORT ret                                                    \
	name params                                                        \
	{                                                                  \
		ret (*f) params = (ret (*) params)next_fn(&next_##name,    \
		    #name);                                                \
                                                                           \
		NOTE(fd);                                                  \
		if (f == NULL)                                             \
			return (ret)syscall sysargs;                       \
		return f args;                                             \
	}

PASS(ssize_t, recv, (int fd, void *buf, size_t n, int fl), (fd, buf, n, fl),
    SYS_recvfrom, (SYS_recvfrom, fd, buf, n, fl, NULL, NULL))
PASS(ssize_t, send, (int fd, const void *buf, size_t n, int fl),
    (fd, buf, n, fl), SYS_sendto, (SYS_sendto, fd, buf, n, fl, NULL, 0))
PASS(ssize_t, recvfrom, (int fd, void *buf, size_t n, int fl,
    struct sockaddr *a, socklen_t *al), (fd, buf, n, fl, a, al),
    SYS_recvfrom, (SYS_recvfrom, fd, buf, n, fl, a, al))
PASS(ssize_t, sendto, (int fd, const void *buf, size_t n, int fl,
    const struct sockaddr *a, socklen_t al), (fd, buf, n, fl, a, al),
    SYS_sendto, (SYS_sendto, fd, buf, n, fl, a, al))
PASS(ssize_t, recvmsg, (int fd, struct msghdr *m, int fl), (fd, m, fl),
    SYS_recvmsg, (SYS_recvmsg, fd, m, fl))
PASS(ssize_t, sendmsg, (int fd, const struct msghdr *m, int fl), (fd, m, fl),
    SYS_sendmsg, (SYS_sendmsg, fd, m, fl))
/* clang-format on */

/*
 * Look the next definitions up at load time, so that a call from a signal
 * handler finds them ready (dlsym is not async-signal-safe).
 */
__attribute__((constructor)) static void
observe_init(void)
{
	(void)next_fn(&next_recv, "recv");
	(void)next_fn(&next_send, "send");
	(void)next_fn(&next_recvfrom, "recvfrom");
	(void)next_fn(&next_sendto, "sendto");
	(void)next_fn(&next_recvmsg, "recvmsg");
	(void)next_fn(&next_sendmsg, "sendmsg");
}
