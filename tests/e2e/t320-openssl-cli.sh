#!/bin/sh
# t320-openssl-cli: both sides of a failing handshake, both processes
# under the shim: 'openssl s_server' serves an expired certificate and
# 'openssl s_client -verify_return_error' refuses it.  The client records
# SSLCertVerificationError (s_client drives the handshake from SSL_write,
# so that is the call named); the server records the certificate_expired
# alert it received, from SSL_accept.  Both programs' output (minus the
# thread id OpenSSL puts in front of error lines) and status are the same
# as without the shim.  (s_client prints its socket's descriptor number,
# CONNECTED(0000000N): this also checks that the shim leaves the process's
# descriptors alone.)
#
# s_server reads its stdin and stops at EOF, so it gets an open, silent
# FIFO instead.  Its -www mode is not used: that path runs the handshake
# inside BIO_f_ssl, inside libssl, and is not seen (docs/compatibility.md).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
need_tool openssl
require_shim
make_pki

mkfifo "$tmp/fifo"
exec 3<>"$tmp/fifo"
# Thread ids and the server's ephemeral port differ from run to run.
SAME_FILTER='s/^[0-9A-F]\{8,\}:error:/THREAD:error:/;s/^ACCEPT .*/ACCEPT/'

# pair plain|shim: one handshake, server and client as MODE says.
pair() {
	if [ "$1" = shim ]; then
		set -- env LD_PRELOAD="$SHIM" TLSDIAG_LOG="$tmp/server.log"
	else
		set -- env
	fi
	# shellcheck disable=SC2016
	start_server srv sh -c 'exec "$@" <&3' sh "$@" openssl s_server \
	    -accept 127.0.0.1:0 -naccept 1 \
	    -cert "$PKI/expired.pem" -key "$PKI/expired.key"
}

pair plain
run_plain openssl s_client -connect "127.0.0.1:$srv_port" \
    -servername localhost -verify_return_error -CAfile "$PKI/ca.pem" \
    >"$tmp/cl.plain.out" 2>"$tmp/cl.plain.err" </dev/null && cs=0 || cs=$?
wait_server srv
[ "$cs" -eq 1 ] || fail "s_client without the shim exited $cs, want 1"
grep -q 'certificate has expired' "$tmp/cl.plain.out" ||
    fail "s_client did not see the expired certificate"
mv "$tmp/srv.out" "$tmp/sv.plain.out"
mv "$tmp/srv.err" "$tmp/sv.plain.err"

pair shim
spid=$srv_pid
status=0
# shellcheck disable=SC2016
run_shimmed "$tmp/client.log" sh -c 'echo $$ >"$0"; exec "$@"' \
    "$tmp/cl.pid" openssl s_client -connect "127.0.0.1:$srv_port" \
    -servername localhost -verify_return_error -CAfile "$PKI/ca.pem" \
    >"$tmp/cl.out" 2>"$tmp/cl.err" </dev/null || status=$?
wait_server srv
[ "$status" -eq "$cs" ] || problem "s_client exited $status under the shim"
for f in cl.out cl.err srv.out srv.err; do
	case $f in
	srv.*) p=$tmp/sv.plain.${f#srv.} ;;
	*) p=$tmp/cl.plain.${f#cl.} ;;
	esac
	sed -e "$SAME_FILTER" "$p" >"$tmp/a"
	sed -e "$SAME_FILTER" "$tmp/$f" >"$tmp/b"
	diff -u "$tmp/a" "$tmp/b" >&2 || problem "$f changed under the shim"
done

want_records client "$tmp/client.log" error.type tlsdiag.call tlsdiag.role \
    tlsdiag.phase tlsdiag.verify_code process.name process.pid <<END
error.type=SSLCertVerificationError
tlsdiag.call=SSL_write
tlsdiag.role=client
tlsdiag.phase=handshake
tlsdiag.verify_code=10
process.name=openssl
process.pid=$(cat "$tmp/cl.pid")
--
END
want_records server "$tmp/server.log" error.type error.message \
    tlsdiag.call tlsdiag.role tlsdiag.phase process.name process.pid <<END
error.type=SSLError
error.message=[SSL: SSLV3_ALERT_CERTIFICATE_EXPIRED] sslv3 alert certificate expired
tlsdiag.call=SSL_accept
tlsdiag.role=server
tlsdiag.phase=handshake
process.name=openssl
process.pid=$spid
--
END
finish
