#!/bin/sh
# t350-node: Node.js as installed here carries its own, statically linked
# OpenSSL, so none of its TLS calls can reach the shim.  A failing https
# request (expired certificate) must behave exactly as without the shim,
# nothing may be recorded as a failure, and the exit record must say why:
# static_openssl true, tls_seen false, nothing bound or called, a warning.
# 'tlsdiag run' passes node's output and status through and says the same
# on stderr: OpenSSL is statically linked, and its summary says that
# nothing could be hooked (not "no TLS activity seen").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
need_tool node
require_shim
make_pki
[ -x "$TLSDIAG" ] || fail "'$TLSDIAG' not built (run make)"

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"
cat >"$tmp/get.js" <<'END'
const fs = require("fs");
const https = require("https");
const req = https.get({host: "127.0.0.1", servername: "localhost",
    port: Number(process.argv[2]), ca: fs.readFileSync(process.argv[3]),
    path: "/"}, (res) => { console.log("status", res.statusCode); });
req.on("error", (e) => {
	console.log("error", e.code, e.message);
	process.exitCode = 4;
});
END

same_run node node "$tmp/get.js" "$exp_port" "$PKI/ca.pem"
[ "$status" -eq 4 ] || problem "node: status $status, want 4"
grep -q '^error CERT_HAS_EXPIRED' "$tmp/node.out" ||
    problem "node did not fail on the certificate: $(cat "$tmp/node.out")"
want_records node "$tmp/node.log" error.type </dev/null
want_coverage node "$tmp/node.log" static_openssl true
want_coverage node "$tmp/node.log" tls_seen false
want_coverage node "$tmp/node.log" libraries '[]'
want_coverage node "$tmp/node.log" called '[]'
[ "$(jget "$tmp/node.log" -1 log.level)" = warning ] ||
    problem "node: the exit record is not a warning"
[ "$(jget "$tmp/node.log" -1 process.pid)" = "$pid" ] ||
    problem "node: the exit record is not from node's pid $pid"

status=0
# RUN_ENV: the ASan runtime, which node needs (lib.sh)
# shellcheck disable=SC2086
timeout "$CLIENT_TIMEOUT" env $RUN_ENV "$TLSDIAG" run -o "$tmp/run.log" -- \
    node "$tmp/get.js" "$exp_port" "$PKI/ca.pem" \
    >"$tmp/run.out" 2>"$tmp/run.err" </dev/null || status=$?
[ "$status" -eq 4 ] || problem "tlsdiag run: status $status, want 4"
diff -u "$tmp/node.plain.out" "$tmp/run.out" >&2 ||
    problem "tlsdiag run changed node's stdout"
grep -qi 'openssl.*static' "$tmp/run.err" ||
    problem "tlsdiag run does not say OpenSSL is static: $(cat "$tmp/run.err")"
grep -qx 'tlsdiag: node carries its own OpenSSL (statically linked): nothing could be hooked' \
    "$tmp/run.err" ||
    problem "tlsdiag run's summary does not say why nothing was seen: $(cat "$tmp/run.err")"
! grep -q 'no TLS activity seen' "$tmp/run.err" ||
    problem "tlsdiag run says 'no TLS activity seen' for node"
want_coverage run "$tmp/run.log" static_openssl true
finish
