#!/bin/sh
# t225-shim-lazy-lookup: the failure path's functions (OSSL_HELPERS and
# OSSL_OPTIONAL in shim/shim.h) are looked up in a libssl copy at its
# first failure, not at its first call: a process whose TLS never fails
# does not pay those 63 dlsym calls (issue 12 item 6, start-up cost).
# Seen through the loader's own trace (LD_DEBUG=symbols): SSL_get0_param
# and SSL_get_peer_finished, which neither tlsbench nor OpenSSL itself
# binds, are looked up only when a failure is recorded, and then the
# record carries what they give (the verified host name, the finished
# flag behind the handshake phase).
. "$(dirname "$0")/lib.sh"
require_shim

BENCH=$BUILD/tlsbench
[ -x "$BENCH" ] || fail "'$BENCH' not built (make e2e builds it)"
sh "$SRCPROGS/mkcerts.sh" "$tmp/pki" >/dev/null
PKI=$tmp/pki

# lookups NAME DIR: how many times the loader looked NAME up
lookups() {
	cat "$2"/ld.* 2>/dev/null | grep -c "symbol=$1;" || true
}

# 1. Handshakes and 64-byte records, verified: no failure, many
#    SSL_ERROR_WANT_READ retries (a BIO pair), nothing looked up.
mkdir "$tmp/ok"
run_shimmed "$tmp/ok.log" LD_DEBUG=symbols LD_DEBUG_OUTPUT="$tmp/ok/ld" \
    "$BENCH" small mem 50 "$PKI/good.pem" "$PKI/good.key" "$PKI/ca.pem" \
    >/dev/null || fail "tlsbench small failed"
grep -q '"tlsdiag_start"' "$tmp/ok.log" ||
    fail "no start record: the shim saw no TLS call"
for f in SSL_get0_param SSL_get_peer_finished; do
	n=$(lookups "$f" "$tmp/ok")
	[ "$n" -eq 0 ] || problem "no failure, yet $f was looked up ($n)"
done
grep -q '"tls_failure"' "$tmp/ok.log" && problem "a failure was recorded"

# 2. Handshakes failing verification: looked up once, at the first.
mkdir "$tmp/vf"
run_shimmed "$tmp/vf.log" TLSDIAG_RATE=0 LD_DEBUG=symbols \
    LD_DEBUG_OUTPUT="$tmp/vf/ld" "$BENCH" verifyfail mem 3 \
    "$PKI/selfsigned.pem" "$PKI/selfsigned.key" >/dev/null ||
    fail "tlsbench verifyfail failed"
for f in SSL_get0_param SSL_get_peer_finished; do
	n=$(lookups "$f" "$tmp/vf")
	[ "$n" -eq 1 ] || problem "$f looked up $n times for 3 failures (want 1)"
done
n=$(grep -c '"tls_failure"' "$tmp/vf.log" || true)
[ "$n" -eq 3 ] || problem "$n failure records for 3 failures"
grep '"tls_failure"' "$tmp/vf.log" | grep -q '"SSLCertVerificationError"' ||
    problem "the failure is not classified: $(head -c 400 "$tmp/vf.log")"
finish
