#!/bin/sh
# t362-dlsym: a program not linked with libssl dlopens libssl.so.3
# (RTLD_LOCAL, then RTLD_GLOBAL) and calls it only through dlsym pointers,
# which point into libssl itself, not at the preloaded wrappers.  What the
# shim still sees is what libssl calls of its own exports through its PLT
# (bound to the wrappers like any other reference): SSL_connect calls
# SSL_do_handshake, so a certificate failure is recorded, under the call
# name SSL_do_handshake; SSL_read calls nothing exported, so a server
# dropping mid-response is NOT recorded.  The exit record shows it: only
# SSL_do_handshake was ever called.  The program's output and status are
# unchanged throughout.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
require_shim
make_pki

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"
start_server drop "$HPY" "$SRCPROGS/tlsserver.py" --mode fin-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"

for mode in local global; do
	n=$mode-exp
	same_run "$n" "$PROGS/nolink_dlsym" "$mode" "$exp_port" "$PKI/ca.pem"
	[ "$status" -eq 1 ] || problem "$n: status $status, want 1"
	want_records "$n" "$tmp/$n.log" error.type tlsdiag.call \
	    tlsdiag.verify_code tlsdiag.role process.name process.pid \
	    tlsdiag.openssl.path <<END
error.type=SSLCertVerificationError
tlsdiag.call=SSL_do_handshake
tlsdiag.verify_code=10
tlsdiag.role=client
process.name=nolink_dlsym
process.pid=$pid
tlsdiag.openssl.path=/lib/x86_64-linux-gnu/libssl.so.3
--
END
	want_coverage "$n" "$tmp/$n.log" called '["SSL_do_handshake"]'

	n=$mode-drop
	same_run "$n" "$PROGS/nolink_dlsym" "$mode" "$drop_port" \
	    "$PKI/ca.pem" get
	[ "$status" -eq 2 ] || problem "$n: status $status, want 2"
	grep -q 'unexpected eof while reading' "$tmp/$n.out" ||
	    problem "$n: the client did not see the drop: $(cat "$tmp/$n.out")"
	want_records "$n" "$tmp/$n.log" error.type </dev/null
	want_coverage "$n" "$tmp/$n.log" tls_seen true
	want_coverage "$n" "$tmp/$n.log" called '["SSL_do_handshake"]'
	want_coverage "$n" "$tmp/$n.log" failures '{}'
done
finish
