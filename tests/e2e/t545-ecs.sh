#!/bin/sh
# t545-ecs: ECS conformance.  Installs npm @elastic/ecs (pinned to the
# release common/logformat.h names as ecs.version) into a scratch
# directory, dumps its ecs_flat table, and checks every field outside
# tlsdiag.* of real shim records against it: the field exists in ECS and
# its value has the ECS type.  The records cover every kind the shim
# writes: failures (client and server side, a certificate failure with
# the peer's certificate, an OSError), warnings (a masked abrupt EOF, an
# unseeded generator), a RAND failure, tlsdiag_start, tlsdiag_suppressed
# and tlsdiag_exit.  Skips when npm (or the install) is not available.
. "$(dirname "$0")/lib.sh"
require_shim
require_pythons
command -v npm >/dev/null 2>&1 ||
    skip "npm is missing: cannot fetch @elastic/ecs for the ECS field table"
command -v node >/dev/null 2>&1 ||
    skip "node is missing: cannot read @elastic/ecs's ecs_flat table"

ecs=$(sed -n 's/^#define LOGFORMAT_ECS_VERSION "\(.*\)"$/\1/p' \
    "$TOP/common/logformat.h")
[ -n "$ecs" ] || fail "no LOGFORMAT_ECS_VERSION in common/logformat.h"
mkdir -p "$tmp/npm"
if ! timeout 300 npm install --prefix "$tmp/npm" --no-audit --no-fund \
    --no-save --silent "@elastic/ecs@$ecs" >"$tmp/npm.log" 2>&1; then
	skip "npm install @elastic/ecs@$ecs failed: $(tail -3 "$tmp/npm.log")"
fi
(cd "$tmp/npm" && node -e '
const m = require("@elastic/ecs");
const fields = {};
for (const [k, v] of Object.entries(m.EcsFlat)) fields[k] = v.type;
process.stdout.write(JSON.stringify({version: m.EcsVersion, fields}));
') >"$tmp/ecs.json" || fail "cannot read ecs_flat from @elastic/ecs@$ecs"

make_pki
start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"
start_server rst "$HPY" "$SRCPROGS/tlsserver.py" --mode rst-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"
start_server fin "$HPY" "$SRCPROGS/tlsserver.py" --mode fin-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"

# client side: certificate failure, an OSError (3.13 model), a masked EOF
run_shimmed "$tmp/cert.log" "$PY_PYENV" "$SRCPROGS/pyclient.py" \
    --port "$exp_port" --cafile "$PKI/ca.pem" >/dev/null
run_shimmed "$tmp/rst.log" TLSDIAG_PYTHON=3.13 "$PY_PYENV" \
    "$SRCPROGS/pyclient.py" --port "$rst_port" --cafile "$PKI/ca.pem" \
    >/dev/null
run_shimmed "$tmp/fin.log" "$PY_DEBIAN" "$SRCPROGS/pyclient.py" \
    --port "$fin_port" --cafile "$PKI/ca.pem" >/dev/null
# server side: a client resets mid-handshake
start_server srv env LD_PRELOAD="$SHIM" TLSDIAG_LOG="$tmp/srv.log" \
    "$PY_PYENV" "$SRCPROGS/tlsserver.py" --mode ok --count 1 \
    --cert "$PKI/good.pem" --key "$PKI/good.key"
"$HPY" "$SRCPROGS/dropclient.py" --port "$srv_port" --mode rst </dev/null ||
    fail "dropclient failed"
wait_server srv
# the random generator fails
printf '%s\n' 'openssl_conf = openssl_init' '[openssl_init]' \
    'random = random_sect' '[random_sect]' 'random = NO-SUCH-DRBG' \
    >"$tmp/rand.cnf"
run_shimmed "$tmp/rand.log" OPENSSL_CONF="$tmp/rand.cnf" "$PROGS/randcall" \
    >/dev/null
# a storm held back by the rate limit
run_shimmed "$tmp/storm.log" TLSDIAG_RATE=1 "$PROGS/failer" storm 2000 \
    >/dev/null 2>&1 || problem "failer storm failed"

logs="$tmp/cert.log $tmp/rst.log $tmp/fin.log $tmp/srv.log $tmp/rand.log
$tmp/storm.log"
# shellcheck disable=SC2086
"$HPY" "$SRCPROGS/ecscheck.py" "$tmp/ecs.json" $logs >"$tmp/check" ||
    problem "records do not conform to ECS $ecs"
cat "$tmp/check"
# the checker itself: a record breaking each rule must be caught
printf '%s\n' "{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"ecs.version\":\"$ecs\",\"destination\":{\"port\":\"443\",\"ip\":\"not-an-ip\"},\"tls\":{\"resumed\":1,\"no_such_field\":\"x\"},\"tlsdiag\":{\"schema\":1}}" \
    >"$tmp/bad.log"
if "$HPY" "$SRCPROGS/ecscheck.py" "$tmp/ecs.json" "$tmp/bad.log" \
    >"$tmp/bad.check"; then
	problem "ecscheck accepted a nonconforming record"
fi
for f in destination.port destination.ip tls.resumed tls.no_such_field; do
	grep -q "NONCONFORMING: .*: $f" "$tmp/bad.check" ||
	    problem "ecscheck did not flag $f"
done
for want in "tls_failure/error" "tls_failure/warning" "tlsdiag_start/info" \
    "tlsdiag_exit/info" "tlsdiag_suppressed/"; do
	grep -q "^  $want" "$tmp/check" ||
	    problem "no $want record among those checked"
done
for f in tls.server.x509.not_after destination.ip source.port \
    tls.client.server_name error.type process.thread.id; do
	grep -q "^  $f " "$tmp/check" || problem "no record has $f"
done
finish
