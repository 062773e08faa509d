#!/bin/sh
# t361-dlopen-local: a program not linked with libssl dlopens, with
# RTLD_LOCAL, a helper library that is (libtlshelper.so, the way CPython
# loads _ssl).  libssl is then only in the helper's local scope, not the
# global one; the helper's SSL_* references still bind to the preloaded
# wrappers, which must find the helper's libssl: failures are recorded
# exactly as for a linked program.  The same helper loaded RTLD_GLOBAL
# too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
require_shim
make_pki
helper=$PROGS/libtlshelper.so

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"
start_server drop "$HPY" "$SRCPROGS/tlsserver.py" --mode fin-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"

for mode in local global; do
	n=$mode
	same_run "$n" "$PROGS/nolink_helper" \
	    "$mode" "$helper" "$exp_port" "$PKI/ca.pem" -- \
	    "$mode" "$helper" "$drop_port" "$PKI/ca.pem" get
	[ "$status" -eq 1 ] || problem "$n: status $status, want 1"
	grep -q '^run 2: status 2$' "$tmp/$n.out" ||
	    problem "$n: the second run did not end in a failed read"
	want_records "$n" "$tmp/$n.log" error.type tlsdiag.call \
	    tlsdiag.verify_code tlsdiag.role process.name process.pid \
	    tlsdiag.openssl.path <<END
error.type=SSLCertVerificationError
tlsdiag.call=SSL_connect
tlsdiag.verify_code=10
tlsdiag.role=client
process.name=nolink_helper
process.pid=$pid
tlsdiag.openssl.path=/lib/x86_64-linux-gnu/libssl.so.3
--
error.type=SSLEOFError
tlsdiag.call=SSL_read
tlsdiag.verify_code=(absent)
tlsdiag.role=client
process.name=nolink_helper
process.pid=$pid
tlsdiag.openssl.path=/lib/x86_64-linux-gnu/libssl.so.3
--
END
	want_coverage "$n" "$tmp/$n.log" failures \
	    '{"SSLCertVerificationError": 1, "SSLEOFError": 1}'
done
finish
