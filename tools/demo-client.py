#!/usr/bin/env python3
"""demo-client: fetch one https:// URL the way an ordinary Python program
does (ssl.create_default_context, http.client), for tools/demo.sh.

Usage: demo-client.py CAFILE URL

The host name in URL is what the certificate is checked against, but the
connection always goes to 127.0.0.1: the demo's servers listen there only,
and "localhost" may resolve to ::1 first.  Prints the status line and body
size, or the exception; exits 1 on failure.
"""

import http.client
import socket
import ssl
import sys
import urllib.parse


class LoopbackHTTPS(http.client.HTTPSConnection):
    def connect(self):
        raw = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def main():
    if len(sys.argv) != 3:
        print("usage: demo-client.py CAFILE URL", file=sys.stderr)
        return 2
    url = urllib.parse.urlsplit(sys.argv[2])
    ctx = ssl.create_default_context(cafile=sys.argv[1])
    conn = LoopbackHTTPS(url.hostname, url.port or 443, timeout=10,
                         context=ctx)
    try:
        conn.request("GET", url.path or "/")
        resp = conn.getresponse()
        body = resp.read()
    except (OSError, http.client.HTTPException) as exc:
        print("python3: %s: %s" % (type(exc).__name__, exc), file=sys.stderr)
        return 1
    finally:
        conn.close()
    print("python3: %d %s, %d bytes" % (resp.status, resp.reason, len(body)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
