#!/usr/bin/env python3
"""pyclient: one TLS client scenario, reporting what Python raised.

Connects to --host:--port, wraps with ssl.create_default_context(cafile=...)
(server_hostname=--server-hostname), does the handshake, sends
"GET / HTTP/1.0", then recv()s until b''.  Prints exactly one JSON line:

  {"outcome":"ok","bytes":N,"swallowed":[...],...}
  {"outcome":"exception","stage":"handshake|send|recv|connect","type":...,
   "errno":...,"library":...,"reason":...,"verify_code":...,
   "verify_message":...,"str":...,"swallowed":[...],...}

"swallowed" lists the SSLErrors that SSLSocket.recv() turned into b''
(suppress_ragged_eofs): they are caught by a transparent wrapper around the
internal _sslobj.read, so the OpenSSL calls are exactly those of a plain
client.  The exit status is 0 either way (the outcome is data); 2 for bad
usage.  Standard library only; runs on any CPython 3.8+.
"""

import argparse
import socket
import ssl
import sys
import time

import excjson


class ReadSpy:
    """Forwards everything to the real _ssl._SSLSocket, remembering every
    exception its read() raises before ssl.py decides to swallow it."""

    def __init__(self, sslobj, sink):
        self._sslobj = sslobj
        self._sink = sink

    def read(self, *args):
        try:
            return self._sslobj.read(*args)
        except Exception as exc:
            self._sink.append(exc)
            raise

    def __getattr__(self, name):
        return getattr(self._sslobj, name)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--server-hostname", default="localhost")
    p.add_argument("--cafile")
    p.add_argument("--no-verify", action="store_true")
    p.add_argument("--no-suppress-ragged-eofs", action="store_true")
    p.add_argument("--request", dest="request", action="store_true",
                   default=True, help="send the request (default)")
    p.add_argument("--no-request", dest="request", action="store_false")
    p.add_argument("--send-delay", type=float, default=0,
                   help="seconds to wait between handshake and request")
    p.add_argument("--timeout", type=float, default=None,
                   help="socket timeout (default: blocking socket)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--ignore-unexpected-eof", dest="ignore_eof",
                   action="store_const", const=True, default=None,
                   help="set OP_IGNORE_UNEXPECTED_EOF on the context")
    g.add_argument("--no-ignore-unexpected-eof", dest="ignore_eof",
                   action="store_const", const=False,
                   help="clear OP_IGNORE_UNEXPECTED_EOF on the context")
    return p.parse_args(argv)


def make_context(a):
    ctx = ssl.create_default_context(cafile=a.cafile)
    if a.no_verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if a.ignore_eof is True:
        ctx.options |= ssl.OP_IGNORE_UNEXPECTED_EOF
    elif a.ignore_eof is False:
        ctx.options &= ~ssl.OP_IGNORE_UNEXPECTED_EOF
    return ctx


def run(a, result, seen):
    """Run the scenario; fills result, appends read() exceptions to seen."""
    ctx = make_context(a)
    stage = "connect"
    try:
        sock = socket.create_connection((a.host, a.port), timeout=a.timeout)
        ssock = ctx.wrap_socket(sock, server_hostname=a.server_hostname,
                                do_handshake_on_connect=False,
                                suppress_ragged_eofs=not
                                a.no_suppress_ragged_eofs)
        try:
            stage = "handshake"
            ssock.do_handshake()
            ssock._sslobj = ReadSpy(ssock._sslobj, seen)
            if a.request:
                time.sleep(a.send_delay)
                stage = "send"
                ssock.sendall(b"GET / HTTP/1.0\r\nHost: "
                              + a.server_hostname.encode("ascii")
                              + b"\r\n\r\n")
            stage = "recv"
            n = 0
            while True:
                data = ssock.recv(65536)
                if not data:
                    break
                n += len(data)
            result.update(outcome="ok", bytes=n)
        finally:
            ssock.close()
    except Exception as exc:
        result.update(excjson.describe(exc, stage))
        return exc
    return None


def main(argv):
    a = parse_args(argv)
    result = excjson.process_info()
    seen = []
    raised = run(a, result, seen)
    result["swallowed"] = [excjson.describe(e, "recv") for e in seen
                           if e is not raised]
    print(excjson.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
