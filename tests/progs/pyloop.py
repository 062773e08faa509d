#!/usr/bin/env python3
"""pyloop: a TLS client loop for the attach tests (t700).

Every --interval seconds, connects to 127.0.0.1:PORT with verification
on (CA --cafile, or the system's), does the handshake and a request, and
prints one line: "ok" or the exception's class name.  Runs until killed,
or --count attempts.  It is started without the preload: "tlsdiag attach"
joins it while it runs.
"""

import argparse
import socket
import ssl
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("--cafile")
    ap.add_argument("--interval", type=float, default=0.1)
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--hostname", default="localhost")
    a = ap.parse_args()
    ctx = ssl.create_default_context(cafile=a.cafile)
    n = 0
    while a.count == 0 or n < a.count:
        n += 1
        try:
            with socket.create_connection(("127.0.0.1", a.port), 5) as s:
                with ctx.wrap_socket(s, server_hostname=a.hostname) as t:
                    t.sendall(b"GET / HTTP/1.0\r\n\r\n")
                    t.recv(100)
            print("ok", flush=True)
        except Exception as e:  # noqa: BLE001 - the class is the output
            print(type(e).__name__, flush=True)
        time.sleep(a.interval)


if __name__ == "__main__":
    sys.exit(main())
