"""excjson: describe a Python exception the way the e2e tests compare it.

Shared by pyclient.py and tlsserver.py (both import it from their own
directory).  Only the standard library is used, and nothing here touches
OpenSSL, so importing it does not change what the shim sees.
"""

import json
import os
import platform
import ssl
import sys

# Attributes CPython's ssl module sets on its exceptions.  An attribute that
# does not exist (OSError subclasses have no library/reason; only
# SSLCertVerificationError has verify_*) is left out of the description, one
# that exists but is None becomes null.
SSL_ATTRS = ("library", "reason", "verify_code", "verify_message")


def describe(exc, stage):
    """Return a dict describing exc, raised (or swallowed) at stage."""
    d = {
        "outcome": "exception",
        "stage": stage,
        "type": type(exc).__name__,
        "module": type(exc).__module__,
        "errno": getattr(exc, "errno", None),
        "str": str(exc),
    }
    for a in SSL_ATTRS:
        if hasattr(exc, a):
            d[a] = getattr(exc, a)
    return d


def process_info():
    """Facts about this interpreter the comparison needs."""
    try:
        exe = os.readlink("/proc/self/exe")
    except OSError:
        exe = sys.executable
    ctx = ssl.create_default_context()
    return {
        "python": platform.python_version(),
        "openssl": ssl.OPENSSL_VERSION,
        "default_ignore_unexpected_eof":
            bool(ctx.options & getattr(ssl, "OP_IGNORE_UNEXPECTED_EOF", 0)),
        "pid": os.getpid(),
        "executable": exe,
    }


def dumps(d):
    """One compact JSON line (no trailing newline)."""
    return json.dumps(d, sort_keys=True, separators=(",", ":"))
