#!/usr/bin/env python3
"""urlfetch: fetch https://localhost:PORT/ with urllib.request.urlopen.

usage: urlfetch.py PORT CAFILE default|strict

Verifies against CAFILE.  "strict" wraps sockets with
suppress_ragged_eofs=False, so that an EOF without close_notify raises
instead of reading as the end of the body.  Prints one JSON line: the
interpreter's version, then either "body" or "raised" (the exception's
class) and "reason" (for URLError its .reason, else the exception itself:
type, errno, message without CPython's " (_ssl.c:N)" suffix).  Exit 0.
"""

import json
import re
import ssl
import sys
import urllib.error
import urllib.request


class StrictContext(ssl.SSLContext):
    def wrap_socket(self, *args, **kwargs):
        kwargs["suppress_ragged_eofs"] = False
        return super().wrap_socket(*args, **kwargs)


def describe(exc):
    return {"type": type(exc).__name__, "errno": getattr(exc, "errno", None),
            "message": re.sub(r" \(_ssl\.c:[0-9]+\)$", "", str(exc))}


def main(argv):
    port, cafile, mode = int(argv[0]), argv[1], argv[2]
    ctx = ssl.create_default_context(cafile=cafile)
    if mode == "strict":
        ctx.__class__ = StrictContext
    out = {"python": sys.version.split()[0]}
    try:
        with urllib.request.urlopen("https://localhost:%d/" % port,
                                    context=ctx, timeout=10) as resp:
            out["body"] = resp.read().decode()
    except urllib.error.URLError as exc:
        out["raised"] = "URLError"
        out["reason"] = describe(exc.reason)
    except Exception as exc:  # what the caller would see, whatever it is
        out["raised"] = type(exc).__name__
        out["reason"] = describe(exc)
    print(json.dumps(out, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
