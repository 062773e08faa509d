#!/bin/sh
# t360-c-linked: a C client linked with libssl the ordinary way
# (build/progs/sslclient, lazy binding) and the same source linked with
# -Wl,-z,now (znow_sslclient: every PLT slot bound at startup, before any
# TLS call).  Both must be interposed alike: an expired certificate
# (SSLCertVerificationError from SSL_connect) and a server dropping
# mid-response (SSLEOFError from SSL_read) recorded with the client's pid
# and name, a good exchange recorded as nothing, and the program's output
# and status the same as without the shim.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
require_shim
make_pki
[ -x "$PROGS/znow_sslclient" ] || fail "build/progs/znow_sslclient not built"
readelf -d "$PROGS/znow_sslclient" | grep -q 'BIND_NOW' ||
    fail "znow_sslclient is not linked with -z now"

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"
start_server drop "$HPY" "$SRCPROGS/tlsserver.py" --mode fin-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"
start_server ok "$HPY" "$SRCPROGS/tlsserver.py" --mode ok \
    --cert "$PKI/good.pem" --key "$PKI/good.key"

for prog in sslclient znow_sslclient; do
	same_run "$prog-exp" "$PROGS/$prog" "$exp_port" "$PKI/ca.pem"
	[ "$status" -eq 1 ] || problem "$prog-exp: status $status, want 1"
	want_records "$prog-exp" "$tmp/$prog-exp.log" error.type tlsdiag.call \
	    tlsdiag.verify_code tlsdiag.role tlsdiag.phase process.name \
	    process.pid tlsdiag.openssl.path <<END
error.type=SSLCertVerificationError
tlsdiag.call=SSL_connect
tlsdiag.verify_code=10
tlsdiag.role=client
tlsdiag.phase=handshake
process.name=$prog
process.pid=$pid
tlsdiag.openssl.path=/lib/x86_64-linux-gnu/libssl.so.3
--
END
	want_coverage "$prog-exp" "$tmp/$prog-exp.log" failures \
	    '{"SSLCertVerificationError": 1}'

	same_run "$prog-drop" "$PROGS/$prog" "$drop_port" "$PKI/ca.pem" get
	[ "$status" -eq 2 ] || problem "$prog-drop: status $status, want 2"
	want_records "$prog-drop" "$tmp/$prog-drop.log" error.type \
	    tlsdiag.call tlsdiag.reason tlsdiag.role tlsdiag.phase \
	    process.pid <<END
error.type=SSLEOFError
tlsdiag.call=SSL_read
tlsdiag.reason=UNEXPECTED_EOF_WHILE_READING
tlsdiag.role=client
tlsdiag.phase=data
process.pid=$pid
--
END

	same_run "$prog-ok" "$PROGS/$prog" "$ok_port" "$PKI/ca.pem" get
	[ "$status" -eq 0 ] || problem "$prog-ok: status $status, want 0"
	want_records "$prog-ok" "$tmp/$prog-ok.log" error.type </dev/null
	want_coverage "$prog-ok" "$tmp/$prog-ok.log" tls_seen true
	want_coverage "$prog-ok" "$tmp/$prog-ok.log" failures '{}'
done
finish
