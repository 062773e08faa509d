#!/bin/sh
# t704-attach-entry: "tlsdiag attach" to a running program that carries
# OpenSSL inside and exports it (build/progs/exported_sslloop: libssl.a,
# -rdynamic, as node is built), with no libssl loaded: the attach is not
# refused, the entries are hooked while the injector holds every thread
# (shim/entryhook.h), its failures are recorded as the preload records
# them, and the exit record at the detach lists the hooked functions.
# After the detach the hooks stay in place, idle: no record is added and
# the client keeps running with the same output.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attach.sh"
require_shim
make_pki
prog=$PROGS/exported_sslloop
[ -x "$prog" ] || fail "build/progs/exported_sslloop not built"
[ -z "${TLSDIAG_ASAN_PRELOAD:-}" ] ||
    skip "attach injects the plain library; ASan's runtime must come first"

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"

start_ready loop "$prog" "$exp_port" "$PKI/ca.pem"
pid=$loop_pid
grep -q 'libssl\.so' "/proc/$pid/maps" && fail "a libssl is loaded"

log=$tmp/att.jsonl
"$TLSDIAG" attach -o "$log" "$pid" >"$tmp/attach.out" 2>&1 ||
    fail "attach: $(cat "$tmp/attach.out")"
i=0
until [ "$(jcount "$log")" -ge 2 ]; do
	i=$((i + 1))
	[ "$i" -le 100 ] || fail "no records after the attach"
	sleep 0.1
done
"$HPY" - "$log" "$pid" "$prog" <<'PY' || problem "records differ"
import json, sys
log, pid, prog = sys.argv[1], int(sys.argv[2]), sys.argv[3]
bad = []
n = 0
for line in open(log):
    r = json.loads(line)
    if r["event"]["action"] != "tls_failure":
        continue
    t = r["tlsdiag"]
    got = (r["error"]["type"], t["call"], t["verify_code"], t["phase"],
           r["process"]["pid"], t["openssl"]["path"])
    want = ("SSLCertVerificationError", "SSL_connect", 10, "handshake", pid,
            prog)
    # A thread already inside SSL_connect when the entries were patched
    # finishes it unobserved, but libssl's own call of the (now hooked)
    # SSL_get_verify_result inside it is seen: the first record only.
    if n == 0 and got[1] == "SSL_get_verify_result":
        want = want[:1] + ("SSL_get_verify_result",) + want[2:]
    n += 1
    if got != want:
        bad.append(got)
if bad:
    sys.exit(f"unexpected: {bad[:2]}")
PY

"$TLSDIAG" detach "$pid" >"$tmp/detach.out" 2>&1 ||
    fail "detach: $(cat "$tmp/detach.out")"
[ "$(jget "$log" -1 event.action)" = tlsdiag_exit ] ||
    problem "no exit record at the detach"
"$HPY" - "$log" <<'PY' || problem "exit record: entry hooks"
import json, sys
rec = [json.loads(l) for l in open(sys.argv[1])][-1]
hooks = rec["tlsdiag"]["coverage"].get("entry_hooks", [])
if not hooks or "SSL_connect" not in hooks[0]["hooked"]:
    sys.exit(f"entry_hooks: {hooks}")
PY
n=$(wc -l <"$log")
lines=$(wc -l <"$tmp/loop.out")
sleep 1
[ "$(wc -l <"$log")" = "$n" ] || problem "records after the detach"
[ "$(wc -l <"$tmp/loop.out")" -gt $((lines + 3)) ] ||
    problem "the client stalled after the detach"
kill -0 "$pid" || problem "the client died"
finish
