#!/bin/sh
# t210-shim-context: the context in failure and coverage records, checked
# against each scenario's known truth: the peer certificate's fields equal
# the generated certificate's, the peer port equals the test server's, the
# backtrace leads to the test program's own function, a stale error queue
# is flagged, a memory BIO is marked, an SSL reused with SSL_clear() counts
# as a new connection, identical stacks share a stack id,
# the coverage records list what was bound and called, node's says OpenSSL
# is static, and per-connection state does not grow with connections.
. "$(dirname "$0")/lib.sh"
require_shim
need_tool openssl addr2line
make_pki
BENCH=$BUILD/tlsbench
[ -x "$BENCH" ] || fail "'$BENCH' not built"

# nth LOG ACTION N FIELD: field of the Nth record (0-based) of ACTION
nth() {
	"$HPY" - "$@" <<'PY'
import json, sys
log, action, n, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
recs = [json.loads(l) for l in open(log)]
recs = [r for r in recs if r.get("event", {}).get("action") == action]
v = recs[n]
for k in path.split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v if isinstance(v, str) else json.dumps(v))
PY
}
check() {
	[ "$2" = "$3" ] || problem "$1: '$2', want '$3'"
}

# 1. A Python client against a server with an expired certificate.
start_server srv "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"
run_shimmed "$tmp/py.log" python3 "$SRCPROGS/pyclient.py" --port "$srv_port" \
    --host 127.0.0.1 --server-hostname localhost --cafile "$PKI/ca.pem" \
    >"$tmp/py.out" || fail "pyclient failed"
L=$tmp/py.log
want_after=$("$HPY" -c '
import ssl, sys, time
t = ssl.cert_time_to_seconds(sys.argv[1].split("=", 1)[1])
print(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)))' \
    "$(openssl x509 -in "$PKI/expired.pem" -noout -enddate)")
check not_after "$(nth "$L" tls_failure 0 tls.server.x509.not_after)" \
    "$want_after"
want_fp=$(openssl x509 -in "$PKI/expired.pem" -noout -fingerprint -sha256 |
    sed 's/.*=//; s/://g')
check sha256 "$(nth "$L" tls_failure 0 tls.server.hash.sha256)" "$want_fp"
want_serial=$(openssl x509 -in "$PKI/expired.pem" -noout -serial |
    sed 's/.*=//')
check serial "$(nth "$L" tls_failure 0 tls.server.x509.serial_number)" \
    "$want_serial"
check subject \
    "$(nth "$L" tls_failure 0 tls.server.x509.subject.distinguished_name)" \
    "$(openssl x509 -in "$PKI/expired.pem" -noout -subject \
    -nameopt RFC2253 | sed 's/^subject=//')"
check issuer \
    "$(nth "$L" tls_failure 0 tls.server.x509.issuer.distinguished_name)" \
    "$(openssl x509 -in "$PKI/expired.pem" -noout -issuer \
    -nameopt RFC2253 | sed 's/^issuer=//')"
check sans "$(nth "$L" tls_failure 0 tls.server.x509.alternative_names)" \
    '["DNS:localhost", "IP:127.0.0.1"]'
check port "$(nth "$L" tls_failure 0 destination.port)" "$srv_port"
check peer_ip "$(nth "$L" tls_failure 0 destination.ip)" 127.0.0.1
check source_ip "$(nth "$L" tls_failure 0 source.ip)" 127.0.0.1
check sni "$(nth "$L" tls_failure 0 tls.client.server_name)" localhost
check check_host "$(nth "$L" tls_failure 0 tlsdiag.check_host)" localhost
check version "$(nth "$L" tls_failure 0 tls.version)" 1.3
check role "$(nth "$L" tls_failure 0 tlsdiag.role)" client
check transport "$(nth "$L" tls_failure 0 tlsdiag.transport)" socket
check verify_depth "$(nth "$L" tls_failure 0 tlsdiag.verify_depth)" 0
check verify_subject "$(nth "$L" tls_failure 0 tlsdiag.verify_subject)" \
    CN=localhost
check start_lib "$(nth "$L" tlsdiag_start 0 \
    tlsdiag.coverage.libraries.0.version)" "$(openssl version |
    sed 's/ (Library.*//')"
check exit_failures "$(nth "$L" tlsdiag_exit 0 tlsdiag.coverage.failures)" \
    '{"SSLCertVerificationError": 1}'
check exit_called "$(nth "$L" tlsdiag_exit 0 tlsdiag.coverage.called)" \
    '["SSL_do_handshake", "SSL_get_verify_result"]'
check exit_seen "$(nth "$L" tlsdiag_exit 0 tlsdiag.coverage.tls_seen)" true
bytes=$(nth "$L" tls_failure 0 tlsdiag.bytes.read)
[ "$bytes" -gt 500 ] || problem "bytes.read $bytes: the server's flight is larger"

# 2. The backtrace leads to the function of the program that called.
run_shimmed "$tmp/mb.log" "$PROGS/membio" verify-fail \
    "$PKI/selfsigned.pem" "$PKI/selfsigned.key" >/dev/null ||
    fail "membio failed"
frames=$("$HPY" - "$tmp/mb.log" "$PROGS/membio" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["event"]["action"] != "tls_failure":
        continue
    for f in r["tlsdiag"]["backtrace"]:
        if f.get("module") == sys.argv[2]:
            print("%x" % (f["offset"] - 1))
PY
)
[ -n "$frames" ] || problem "no frame of membio in the backtrace"
# shellcheck disable=SC2086
funcs=$(addr2line -f -e "$PROGS/membio" $frames | sed -n 'p;n')
case " $(echo $funcs) " in
*" handshake main "*) ;;
*) problem "backtrace functions '$(echo $funcs)', want handshake then main" ;;
esac
check membio_transport "$(nth "$tmp/mb.log" tls_failure 0 \
    tlsdiag.transport)" memory
check membio_bio "$(nth "$tmp/mb.log" tls_failure 0 tlsdiag.bio)" "BIO pair"

# 3. The phantom error: a stale queue turns a retry into SSL_ERROR_SSL.
run_shimmed "$tmp/st.log" "$PROGS/membio" stale "$PKI/selfsigned.pem" \
    "$PKI/selfsigned.key" >/dev/null || fail "membio stale failed"
check stale "$(nth "$tmp/st.log" tls_failure 1 tlsdiag.stale_queue)" true
check stale_call "$(nth "$tmp/st.log" tls_failure 1 tlsdiag.call)" \
    SSL_read_ex
check not_stale "$(nth "$tmp/mb.log" tls_failure 0 tlsdiag.stale_queue)" \
    false

# 3b. One SSL reused with SSL_clear() for a second connection: the first
# connection's "already failed" must not swallow the second's failure.
run_shimmed "$tmp/ru.log" "$PROGS/membio" reuse "$PKI/selfsigned.pem" \
    "$PKI/selfsigned.key" >/dev/null || fail "membio reuse failed"
check reuse_records "$(jcount "$tmp/ru.log")" 2
check reuse_followups "$(nth "$tmp/ru.log" tlsdiag_exit 0 \
    tlsdiag.coverage.followups)" 0

# 4. Identical stacks, identical ids (three failures from one call site).
run_shimmed "$tmp/vf.log" TLSDIAG_RATE=0 "$BENCH" verifyfail mem 3 \
    "$PKI/selfsigned.pem" "$PKI/selfsigned.key" >/dev/null ||
    fail "tlsbench verifyfail failed"
ids=$(for i in 0 1 2; do nth "$tmp/vf.log" tls_failure $i tlsdiag.stack_id; done |
    sort -u | wc -l)
check stack_ids "$ids" 1

# 4b. A Unix socket (a socketpair: unnamed on both ends) and its address.
run_shimmed "$tmp/ux.log" TLSDIAG_RATE=0 "$BENCH" verifyfail sock 1 \
    "$PKI/selfsigned.pem" "$PKI/selfsigned.key" >/dev/null ||
    fail "tlsbench verifyfail sock failed"
check unix_transport "$(nth "$tmp/ux.log" tls_failure 0 tlsdiag.transport)" \
    socket
check unix_peer "$(nth "$tmp/ux.log" tls_failure 0 destination.address)" \
    "unix:(unnamed)"
check unix_local "$(nth "$tmp/ux.log" tls_failure 0 source.address)" \
    "unix:(unnamed)"

# 5. node carries its own OpenSSL and exports it: its entry points are
# hooked (t350), and the exit record says so, though no TLS call came.
if command -v node >/dev/null 2>&1 && ! ldd "$(command -v node)" |
    grep -q libssl; then
	run_shimmed "$tmp/node.log" node -e 'process.exit(0)' ||
	    fail "node failed under the shim"
	check node_static "$(nth "$tmp/node.log" tlsdiag_exit 0 \
	    tlsdiag.coverage.static_openssl)" false
	check node_seen "$(nth "$tmp/node.log" tlsdiag_exit 0 \
	    tlsdiag.coverage.tls_seen)" false
	check node_message "$(nth "$tmp/node.log" tlsdiag_exit 0 message)" \
	    "node links OpenSSL statically: 12 of its entry points hooked, no TLS call reached them"
	# its copy, registered before main, is no library "no call reached"
	check node_libraries "$(nth "$tmp/node.log" tlsdiag_exit 0 \
	    tlsdiag.coverage.libraries)" '[]'
else
	echo "node with a static OpenSSL not installed: step 5 not run"
fi

# 6. Per-connection state lives with the SSL: ten times the connections,
# (almost) the same peak memory.  Records go to /dev/null, no rate limit.
# Under make asan, freed memory waits in ASan's quarantine (256 MiB) and
# would be counted as growth: it is turned off for this step only.
asan_mem=
[ -z "${TLSDIAG_ASAN_PRELOAD:-}" ] ||
    asan_mem="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
rss() {
	# shellcheck disable=SC2086
	run_shimmed /dev/null $asan_mem TLSDIAG_RATE=0 TLSDIAG_BACKTRACE=4 \
	    "$BENCH" eof mem "$1" "$PKI/good.pem" "$PKI/good.key" |
	    awk '{print $6}'
}
small=$(rss 2000)
big=$(rss 20000)
grow=$((big - small))
echo "peak RSS: 2000 connections $small KiB, 20000 connections $big KiB"
[ "$grow" -lt 1024 ] || problem "peak RSS grew by $grow KiB over 18000 connections"
finish
