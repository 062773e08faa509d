#!/bin/sh
# t120-py-ragged-eof: the server drops (FIN or RST, no close_notify) after
# half a response while the client is in recv().  With the default
# suppress_ragged_eofs Python returns b'' but the shim still records the
# SSLEOFError it swallowed; with suppress_ragged_eofs=False Python raises.
. "$(dirname "$0")/lib.sh"
require_shim
require_pythons
make_pki

start_server fin "$HPY" "$SRCPROGS/tlsserver.py" --mode fin-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"
start_server rst "$HPY" "$SRCPROGS/tlsserver.py" --mode rst-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"
start_server rsth "$HPY" "$SRCPROGS/tlsserver.py" \
    --mode rst-after-handshake --cert "$PKI/good.pem" --key "$PKI/good.key"

# Named differences:
# - gh-115627 (3.13 model): CPython 3.10-3.12 pass ret=0 for SSL_read_ex, so
#   the RST (SSL_ERROR_SYSCALL, empty queue, errno 104) is SSLEOFError, and
#   suppress_ragged_eofs swallows it; 3.13 raises ConnectionResetError
#   (never swallowed).  Likewise send() on a connection the peer reset
#   after the handshake: 3.11 raises SSLEOFError, 3.13 ConnectionResetError.  The shim records the OSError with TLSDIAG_PYTHON=3.13.
# - Debian's 3.11.2 (OP_IGNORE_UNEXPECTED_EOF on by default): the FIN is a
#   clean SSL_ERROR_ZERO_RETURN, recv() returns b'' even with
#   suppress_ragged_eofs=False, Python raises nothing; the shim still
#   records the masked abrupt EOF as a warning: named masked-eof.
# - Debian's 3.11.2 with the option cleared predates gh-95495: SSLError(1)
#   "unexpected eof while reading", which suppress_ragged_eofs does not
#   swallow (errno 1, not 8).  The shim detects 3.11.2 and records the
#   same; the 3.13 model records SSLEOFError: named gh-95495.
py_table <<'TABLE'
# id                python server flags                     expect             d311     d313
fin-recv            pyenv  fin    -                         swallow:SSLEOFError -       -
fin-recv-strict     pyenv  fin    --no-suppress-ragged-eofs raise:SSLEOFError  -        -
fin-recv-to         pyenv  fin    --timeout=5               swallow:SSLEOFError -       -
fin-recv            debian fin    -                         none               masked-eof masked-eof
fin-recv-strict     debian fin    --no-suppress-ragged-eofs none               masked-eof masked-eof
fin-recv-noign      debian fin    --no-ignore-unexpected-eof raise:SSLError    -        gh-95495
fin-recv-noign-strict debian fin  --no-ignore-unexpected-eof,--no-suppress-ragged-eofs raise:SSLError - gh-95495
rst-recv            pyenv  rst    -                         swallow:SSLEOFError -       gh-115627:104
rst-recv-strict     pyenv  rst    --no-suppress-ragged-eofs raise:SSLEOFError  -        gh-115627:104
rst-recv-to         pyenv  rst    --timeout=5               swallow:SSLEOFError -       gh-115627:104
rst-recv            debian rst    -                         swallow:SSLEOFError -       gh-115627:104
rst-recv-strict     debian rst    --no-suppress-ragged-eofs raise:SSLEOFError  -        gh-115627:104
rst-send            pyenv  rsth   --send-delay=0.3          raise:SSLEOFError  -        gh-115627:104
rst-send            debian rsth   --send-delay=0.3          raise:SSLEOFError  -        gh-115627:104
TABLE
finish
