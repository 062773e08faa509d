"""deepfail.py: TLS handshake failures from deep in a C-level call stack.

usage: deepfail.py N [PAUSE]

Fails N handshakes over memory BIOs (the peer's end reads EOF at once), each
from 40 nested map() calls, so every record carries many frames: with
TLSDIAG_BACKTRACE=64 a record is about 8 KB, more than PIPE_BUF.  Then
sleeps PAUSE seconds (default 0) before exiting, so a slow log reader can
catch up before the exit record.  Prints "failures N".
"""

import ssl
import sys
import time

ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE


def fail():
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    incoming.write_eof()
    obj = ctx.wrap_bio(incoming, outgoing, server_hostname="deep.test")
    try:
        obj.do_handshake()
    except ssl.SSLError:
        return 1
    return 0


def deep(n):
    # map() calls back through C: each level adds C frames, not only
    # interpreter state
    return fail() if n == 0 else next(map(deep, [n - 1]))


def main():
    n = sum(deep(40) for _ in range(int(sys.argv[1])))
    print("failures", n, flush=True)
    time.sleep(float(sys.argv[2]) if len(sys.argv) > 2 else 0)


main()
