#!/bin/sh
# t130-py-cert: certificate verification failures (expired, not yet valid,
# self-signed, unknown CA, hostname and IP mismatch): the shim's record
# equals Python's SSLCertVerificationError, including verify_code and
# verify_message (CPython's own wording for 62 and 64).  Both interpreters
# and both models agree: verification is OpenSSL's, and the classification
# (SSL_ERROR_SSL with CERTIFICATE_VERIFY_FAILED) has not changed.
. "$(dirname "$0")/lib.sh"
require_shim
require_pythons
make_pki

for c in expired notyet selfsigned untrusted wronghost ipmismatch; do
	start_server "$c" "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
	    --cert "$PKI/$c.pem" --key "$PKI/$c.key"
done

py_table <<'TABLE'
# id          python server     flags                        expect                             d311 d313
expired       pyenv  expired    -                            raise:SSLCertVerificationError:10  -    -
expired       debian expired    -                            raise:SSLCertVerificationError:10  -    -
expired-to    pyenv  expired    --timeout=5                  raise:SSLCertVerificationError:10  -    -
notyet        pyenv  notyet     -                            raise:SSLCertVerificationError:9   -    -
notyet        debian notyet     -                            raise:SSLCertVerificationError:9   -    -
selfsigned    pyenv  selfsigned -                            raise:SSLCertVerificationError:18  -    -
selfsigned    debian selfsigned -                            raise:SSLCertVerificationError:18  -    -
untrusted     pyenv  untrusted  -                            raise:SSLCertVerificationError:20  -    -
untrusted     debian untrusted  -                            raise:SSLCertVerificationError:20  -    -
wronghost     pyenv  wronghost  -                            raise:SSLCertVerificationError:62  -    -
wronghost     debian wronghost  -                            raise:SSLCertVerificationError:62  -    -
ipmismatch    pyenv  ipmismatch --server-hostname=127.0.0.1  raise:SSLCertVerificationError:64  -    -
ipmismatch    debian ipmismatch --server-hostname=127.0.0.1  raise:SSLCertVerificationError:64  -    -
TABLE
finish
