#!/usr/bin/env python3
"""dropclient: connect to a TLS server and drop the connection.

For server-side tests: the server runs under the shim and records the
client vanishing mid-handshake.  This client makes no OpenSSL I/O calls on
the socket (the ClientHello is produced through a memory BIO).

  --mode fin             connect, then close (FIN) without sending anything
  --mode rst             connect, then reset (SO_LINGER 0)
  --mode hello-then-fin  send a real ClientHello, half-close (FIN), read what
                         the server sends until it closes, then close

--delay S (default 0.3) is waited between connecting and dropping, so that
the server has accepted the connection and sits in SSL_do_handshake (a
connection already reset before accept() fails in CPython's wrap_socket,
before any OpenSSL call).

Exit status 0, or 1 if the TCP connection could not be made.
"""

import argparse
import socket
import ssl
import struct
import sys
import time


def client_hello(server_hostname):
    ctx = ssl.create_default_context()
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname=server_hostname)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--mode", choices=("fin", "rst", "hello-then-fin"),
                   required=True)
    p.add_argument("--server-hostname", default="localhost")
    p.add_argument("--delay", type=float, default=0.3)
    a = p.parse_args(argv)
    hello = client_hello(a.server_hostname) \
        if a.mode == "hello-then-fin" else b""
    try:
        sock = socket.create_connection((a.host, a.port), timeout=10)
    except OSError as exc:
        print("dropclient: connect: %s" % exc, file=sys.stderr)
        return 1
    time.sleep(a.delay)
    if a.mode == "rst":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                        struct.pack("ii", 1, 0))
    elif a.mode == "hello-then-fin":
        sock.sendall(hello)
        sock.shutdown(socket.SHUT_WR)
        try:
            while sock.recv(65536):
                pass
        except OSError:
            pass
    sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
