#!/bin/sh
# t310-curl: curl (libcurl, OpenSSL flavour) beyond t150's expired
# certificate: a self-signed certificate, a certificate for another host,
# and a server dropping mid-response (FIN, then RST).  curl's own output
# and status must be unchanged by the shim.
#
# Wrong host: curl checks the name itself, after a handshake that OpenSSL
# completed successfully (curl does not hand the name to OpenSSL's
# verifier), so OpenSSL never fails and nothing is recorded: the exit
# record says TLS was seen with no failure.  The table in
# docs/compatibility.md states this.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
need_tool curl
require_shim
# curl links libp11-kit: under make asan, without the ASan runtime (lib.sh)
SHIM=$SHIM_P11
make_pki

start_server self "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/selfsigned.pem" --key "$PKI/selfsigned.key"
start_server wrong "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/wronghost.pem" --key "$PKI/wronghost.key"
start_server fin "$HPY" "$SRCPROGS/tlsserver.py" --mode fin-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"
start_server rst "$HPY" "$SRCPROGS/tlsserver.py" --mode rst-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"

# run_curl NAME PORT: curl https://localhost:PORT/ with and without the shim.
run_curl() {
	same_run "$1" curl -sS --max-time 10 --cacert "$PKI/ca.pem" \
	    --resolve "localhost:$2:127.0.0.1" "https://localhost:$2/"
}

F='error.type tlsdiag.call tlsdiag.verify_code tlsdiag.role process.name
process.pid'

run_curl self "$self_port"
[ "$status" -eq 60 ] || problem "self: curl exited $status, want 60"
grep -q 'self-signed certificate' "$tmp/self.err" ||
    problem "self: curl said: $(cat "$tmp/self.err")"
# shellcheck disable=SC2086
want_records self "$tmp/self.log" $F <<END
error.type=SSLCertVerificationError
tlsdiag.call=SSL_connect
tlsdiag.verify_code=18
tlsdiag.role=client
process.name=curl
process.pid=$pid
--
END

run_curl wrong "$wrong_port"
[ "$status" -eq 60 ] || problem "wrong: curl exited $status, want 60"
grep -q 'no alternative certificate subject name matches' "$tmp/wrong.err" ||
    problem "wrong: curl said: $(cat "$tmp/wrong.err")"
want_records wrong "$tmp/wrong.log" error.type </dev/null
want_coverage wrong "$tmp/wrong.log" tls_seen true
want_coverage wrong "$tmp/wrong.log" failures '{}'

run_curl fin "$fin_port"
[ "$status" -eq 18 ] || problem "fin: curl exited $status, want 18"
# shellcheck disable=SC2086
want_records fin "$tmp/fin.log" $F tlsdiag.phase <<END
error.type=SSLEOFError
tlsdiag.call=SSL_read
tlsdiag.verify_code=(absent)
tlsdiag.role=client
process.name=curl
process.pid=$pid
tlsdiag.phase=data
--
END

run_curl rst "$rst_port"
[ "$status" -eq 56 ] || problem "rst: curl exited $status, want 56"
# shellcheck disable=SC2086
want_records rst "$tmp/rst.log" $F tlsdiag.phase tlsdiag.errno <<END
error.type=ConnectionResetError
tlsdiag.call=SSL_read
tlsdiag.verify_code=(absent)
tlsdiag.role=client
process.name=curl
process.pid=$pid
tlsdiag.phase=data
tlsdiag.errno=104
--
END
finish
