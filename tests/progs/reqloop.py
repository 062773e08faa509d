#!/usr/bin/env python3
"""reqloop: HTTPS requests at a steady rate until told to stop (t703).

usage: reqloop.py PORT CAFILE STOPFILE [INTERVAL]

Every INTERVAL seconds (default 0.02) a new connection: handshake with
verification, GET /, read the answer.  One line per request on stdout:
"ok MS" (milliseconds the request took) or "fail MS EXCEPTION".  Prints
"ready" after the first request, and stops once STOPFILE exists.
"""

import socket
import ssl
import sys
import time
import os


def one(ctx, port):
    with socket.create_connection(("127.0.0.1", port), 5) as s:
        with ctx.wrap_socket(s, server_hostname="localhost") as t:
            t.settimeout(5)
            t.sendall(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
            data = b""
            while True:
                b = t.recv(4096)
                if not b:
                    break
                data += b
    if b" 200 " not in data.split(b"\r\n", 1)[0]:
        raise RuntimeError("bad answer")


def main():
    port, cafile, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.02
    ctx = ssl.create_default_context(cafile=cafile)
    first = True
    while not os.path.exists(stop):
        t0 = time.monotonic()
        try:
            one(ctx, port)
            line = "ok %.1f" % ((time.monotonic() - t0) * 1e3)
        except Exception as e:  # noqa: BLE001 - reported, never fatal
            line = "fail %.1f %s" % ((time.monotonic() - t0) * 1e3,
                                     type(e).__name__)
        if first:
            print("ready")
            first = False
        print(line, flush=True)
        time.sleep(interval)


if __name__ == "__main__":
    sys.exit(main())
