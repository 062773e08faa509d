#!/bin/sh
# t150-curl-expired: curl (libcurl, non-blocking SSL_connect) against
# 'openssl s_server' serving an expired certificate.  curl fails with its
# own error 60; the shim records one SSLCertVerificationError for
# SSL_connect, the same in both models (expectation checked in under
# data/), and curl's output and status are unchanged by the shim.  The same
# curl against a good server records nothing.
. "$(dirname "$0")/lib.sh"
need_tool curl openssl
require_shim
# curl links libp11-kit: under make asan, without the ASan runtime (lib.sh)
SHIM=$SHIM_P11
make_pki

start_server ss openssl s_server -accept 127.0.0.1:0 -www \
    -cert "$PKI/expired.pem" -key "$PKI/expired.key"

start_server good "$HPY" "$SRCPROGS/tlsserver.py" --mode ok \
    --cert "$PKI/good.pem" --key "$PKI/good.key"

curl_expired() {
	"$@" curl -sS --max-time 10 --cacert "$PKI/ca.pem" \
	    --resolve "localhost:$ss_port:127.0.0.1" "https://localhost:$ss_port/"
}

expect_fail curl_expired run_plain >"$tmp/plain.out" 2>"$tmp/plain.err"
[ "$status" -eq 60 ] || fail "curl without the shim exited $status, want 60"
grep -q 'certificate has expired' "$tmp/plain.err" ||
    fail "curl did not see an expired certificate: $(cat "$tmp/plain.err")"

for model in 3.11 3.13; do
	env=
	[ "$model" = 3.11 ] && env=TLSDIAG_PYTHON=3.11
	log=$tmp/log.$model
	# shellcheck disable=SC2086
	expect_fail curl_expired run_shimmed "$log" $env \
	    >"$tmp/$model.out" 2>"$tmp/$model.err"
	[ "$status" -eq 60 ] ||
	    problem "model $model: curl exited $status under the shim, want 60"
	for f in out err; do
		diff -u "$tmp/plain.$f" "$tmp/$model.$f" ||
		    problem "model $model: curl's std$f changed under the shim"
	done
	"$HPY" "$SRCPROGS/e2ecompare.py" project "$log" error.type \
	    error.message tlsdiag.call tlsdiag.library tlsdiag.reason \
	    tlsdiag.verify_code tlsdiag.verify_message tlsdiag.exc_errno \
	    tlsdiag.role tlsdiag.phase process.name >"$tmp/$model.rec"
	if diff -u "$TOP/tests/e2e/data/t150-curl-expired.expected" \
	    "$tmp/$model.rec"; then
		echo "model $model: record as expected"
	else
		problem "model $model: record differs (log: $(cat "$log" 2>&1))"
	fi
done

run_shimmed "$tmp/good.log" curl -sS --max-time 10 --cacert "$PKI/ca.pem" \
    --resolve "localhost:$good_port:127.0.0.1" "https://localhost:$good_port/" \
    >"$tmp/good.out" 2>"$tmp/good.err" ||
    problem "curl against the good server failed: $(cat "$tmp/good.err")"
[ "$(cat "$tmp/good.out")" = ok ] ||
    problem "curl got '$(cat "$tmp/good.out")' from the good server"
n=$(jcount "$tmp/good.log")
[ "$n" -eq 0 ] ||
    problem "$n tls_failure record(s) for a good curl connection: \
$(cat "$tmp/good.log")"
finish
