#!/bin/sh
# t110-py-handshake: the peer drops during the handshake (FIN, RST, or a
# plaintext answer): the shim's record equals the exception Python raised.
. "$(dirname "$0")/lib.sh"
require_shim
require_pythons
make_pki

start_server fin "$HPY" "$SRCPROGS/tlsserver.py" --mode fin-handshake
start_server rst "$HPY" "$SRCPROGS/tlsserver.py" --mode rst-handshake
start_server http "$HPY" "$SRCPROGS/tlsserver.py" --mode plain-http

# Named differences between the interpreters (pinned by the expect column):
# - Debian's 3.11.2 sets OP_IGNORE_UNEXPECTED_EOF in every context, so
#   OpenSSL itself reports the FIN as SSL_ERROR_ZERO_RETURN and Python raises
#   SSLZeroReturnError.  The shim sees that same ZERO_RETURN, so its record
#   is SSLZeroReturnError in both models: no record/Python difference.
# - With the option cleared, OpenSSL reports (SSL, UNEXPECTED_EOF_WHILE_
#   READING); 3.11.2 predates gh-95495 and raises SSLError(1).  The shim
#   detects 3.11.2 and records the same; the 3.13 model records
#   SSLEOFError(8): named gh-95495.
# - --timeout makes CPython drive a non-blocking socket (WANT_READ retries,
#   which are not failures and must not be recorded).
py_table <<'TABLE'
# id          python server flags                      expect                    d311     d313
fin-hs        pyenv  fin    -                          raise:SSLEOFError         -        -
fin-hs        debian fin    -                          raise:SSLZeroReturnError  -        -
fin-hs-to     pyenv  fin    --timeout=5                raise:SSLEOFError         -        -
fin-hs-ign    pyenv  fin    --ignore-unexpected-eof    raise:SSLZeroReturnError  -        -
fin-hs-noign  debian fin    --no-ignore-unexpected-eof raise:SSLError            -        gh-95495
rst-hs        pyenv  rst    -                          raise:ConnectionResetError -       -
rst-hs        debian rst    -                          raise:ConnectionResetError -       -
rst-hs-to     pyenv  rst    --timeout=5                raise:ConnectionResetError -       -
plain-http    pyenv  http   -                          raise:SSLError            -        -
plain-http    debian http   -                          raise:SSLError            -        -
TABLE
finish
