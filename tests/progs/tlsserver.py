#!/usr/bin/env python3
"""tlsserver: a misbehaving TLS test server for the end-to-end tests.

Binds 127.0.0.1 on an ephemeral port, prints "PORT <n>" (flushed) on
stdout, then serves each connection in its own thread according to --mode:

  ok                handshake, read the request, send a 200 response, send
                    close_notify (unwrap)
  cert              same as ok; used with a bad --cert so that the client
                    fails verification
  fin-handshake     read the ClientHello, then FIN (no TLS at all)
  rst-handshake     read the ClientHello, then RST (SO_LINGER 0)
  plain-http        answer the ClientHello with a plaintext HTTP response
  fin-mid-response  handshake, read the request, send half a response, then
                    FIN without close_notify
  rst-mid-response  same, then RST
  rst-after-handshake  handshake, then RST at once (the client writes to
                    a reset connection)

With --report FILE, one JSON line per connection (excjson format, plus
"conn") says what the server's own ssl calls raised: this is the truth the
server-side tests compare the shim's records with.  A failing connection
never stops the server.  --count N: exit after N connections.
Standard library only; runs on any CPython 3.8+.
"""

import argparse
import os
import socket
import ssl
import struct
import sys
import threading
import time

import excjson

TLS_MODES = ("ok", "cert", "fin-mid-response", "rst-mid-response",
             "rst-after-handshake")
RAW_MODES = ("fin-handshake", "rst-handshake", "plain-http")

RESPONSE = (b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 3\r\n\r\nok\n")
PARTIAL = (b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
           b"Content-Length: 1000\r\n\r\npartial")
PLAIN = (b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
         b"Connection: close\r\n\r\n")
# How long a *-mid-response server waits after the partial response before
# dropping, so that the client has consumed it and is blocked in recv().
DROP_DELAY = 0.2
DRAIN_TIMEOUT = 5.0


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mode", choices=TLS_MODES + RAW_MODES, default="ok")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--count", type=int, default=0,
                   help="connections to serve before exiting (0: forever)")
    p.add_argument("--require-client-cert", metavar="CAFILE")
    p.add_argument("--report", metavar="FILE")
    a = p.parse_args(argv)
    if a.mode in TLS_MODES and not (a.cert and a.key):
        p.error("--mode %s needs --cert and --key" % a.mode)
    return a


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            break
        buf += chunk
    return buf


def read_client_hello(sock):
    """Consume one whole TLS record so that closing sends FIN, not RST."""
    sock.settimeout(DRAIN_TIMEOUT)
    hdr = recv_exact(sock, 5)
    if len(hdr) == 5:
        (length,) = struct.unpack("!H", hdr[3:5])
        recv_exact(sock, length)


def drain_and_close(sock):
    """Half-close (FIN), read until the peer closes, then close."""
    try:
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(DRAIN_TIMEOUT)
        while sock.recv(4096):
            pass
    except OSError:
        pass
    sock.close()


def reset_and_close(sock):
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                    struct.pack("ii", 1, 0))
    sock.close()


def read_request(ssock):
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = ssock.recv(4096)
        if not data:
            break
        buf += data
    return buf


def serve_raw(conn, mode):
    read_client_hello(conn)
    if mode == "rst-handshake":
        reset_and_close(conn)
        return
    if mode == "plain-http":
        conn.sendall(PLAIN)
    drain_and_close(conn)


def serve_tls(conn, mode, ctx, result):
    """TLS modes; updates result with the stage reached."""
    result["stage"] = "wrap"
    ssock = ctx.wrap_socket(conn, server_side=True,
                            do_handshake_on_connect=False)
    try:
        result["stage"] = "handshake"
        ssock.do_handshake()
        if mode == "rst-after-handshake":
            reset_and_close(ssock)
            return
        result["stage"] = "recv"
        read_request(ssock)
        result["stage"] = "send"
        if mode in ("ok", "cert"):
            ssock.sendall(RESPONSE)
            result["stage"] = "shutdown"
            ssock.unwrap()
            return
        ssock.sendall(PARTIAL)
        time.sleep(DROP_DELAY)
        if mode == "rst-mid-response":
            reset_and_close(ssock)
        else:
            # SSLSocket.shutdown() (in drain_and_close) drops the SSL object
            # without sending close_notify, then half-closes the TCP
            # connection.
            drain_and_close(ssock)
    finally:
        ssock.close()


class Server:
    def __init__(self, a):
        self.a = a
        self.lock = threading.Lock()
        self.report = open(a.report, "a") if a.report else None
        self.ctx = None
        if a.mode in TLS_MODES:
            self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.ctx.load_cert_chain(a.cert, a.key)
            if a.require_client_cert:
                self.ctx.verify_mode = ssl.CERT_REQUIRED
                self.ctx.load_verify_locations(a.require_client_cert)

    def handle(self, conn, n):
        result = {"conn": n, "pid": os.getpid(), "stage": "accept"}
        try:
            if self.ctx is None:
                serve_raw(conn, self.a.mode)
            else:
                serve_tls(conn, self.a.mode, self.ctx, result)
            result["outcome"] = "ok"
        except Exception as exc:
            result.update(excjson.describe(exc, result["stage"]))
        finally:
            conn.close()
        if self.report:
            with self.lock:
                self.report.write(excjson.dumps(result) + "\n")
                self.report.flush()

    def run(self):
        lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lsock.bind(("127.0.0.1", 0))
        lsock.listen(16)
        print("PORT %d" % lsock.getsockname()[1], flush=True)
        threads = []
        n = 0
        while self.a.count == 0 or n < self.a.count:
            conn, _ = lsock.accept()
            n += 1
            t = threading.Thread(target=self.handle, args=(conn, n),
                                 daemon=True)
            t.start()
            threads.append(t)
            threads = [t for t in threads if t.is_alive()]
        for t in threads:
            t.join()
        lsock.close()


def main(argv):
    Server(parse_args(argv)).run()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
