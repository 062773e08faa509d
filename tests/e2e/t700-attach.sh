#!/bin/sh
# t700-attach: "tlsdiag attach" joins a Python client loop that runs
# without the preload and fails verification every 0.1 s.  Its records
# are those the preload writes for the same failure (every field but the
# times, the pid and the client's port); the client's own output does not
# change; a second attach wraps nothing twice; after "detach" no record is added while it
# keeps running, the exit record is written (with what attaching cannot
# reach), and the GOT slots of _ssl
# hold their old values again (read from /proc/PID/mem).  "tlsdiag
# status" before, during and after.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attach.sh"
require_shim
make_pki
need_tool readelf

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"

# the truth: the same client under the preload.  Records are compared
# from the 20th attempt on: CPython 3.11 specializes its bytecode during
# the first ones, and the backtrace of a later attempt differs from the
# first one's.
run_shimmed "$tmp/pre.jsonl" python3 "$SRCPROGS/pyloop.py" "$exp_port" \
    --cafile "$PKI/ca.pem" --count 20 >"$tmp/pre.out" || :

start_ready loop python3 "$SRCPROGS/pyloop.py" "$exp_port" \
    --cafile "$PKI/ca.pem"
pid=$loop_pid
slots() {
	"$HPY" "$SRCPROGS/gotslots.py" "$pid" _ssl SSL_do_handshake SSL_read \
	    SSL_write SSL_read_ex SSL_write_ex SSL_shutdown
}
slots >"$tmp/slots.before"
grep -q 'libssl' "$tmp/slots.before" || fail "no _ssl slot bound to libssl"

"$TLSDIAG" status "$pid" >"$tmp/status.before"
grep -q "^$pid	.*	none$" "$tmp/status.before" ||
    problem "status before: $(cat "$tmp/status.before")"

log=$tmp/att.jsonl
"$TLSDIAG" attach -o "$log" "$pid" >"$tmp/attach.out" ||
    fail "attach: $(cat "$tmp/attach.out")"
grep -q "^tlsdiag: attached $pid .*slots patched" "$tmp/attach.out" ||
    problem "attach said: $(cat "$tmp/attach.out")"
st=0
"$TLSDIAG" attach -o "$log" "$pid" >"$tmp/attach2.out" 2>&1 || st=$?
[ "$st" = 0 ] && grep -q 'already attached' "$tmp/attach2.out" ||
    problem "second attach: status $st: $(cat "$tmp/attach2.out")"
slots >"$tmp/slots.during"
if grep -v ' libtlsdiag\.so$' "$tmp/slots.during" | grep -q .; then
	problem "slots not patched: $(cat "$tmp/slots.during")"
fi

i=0
until [ "$(jcount "$log")" -ge 3 ] &&
    [ "$(wc -l <"$tmp/loop.out")" -ge 22 ]; do
	i=$((i + 1))
	[ "$i" -le 150 ] || fail "no records after the attach"
	sleep 0.1
done
"$TLSDIAG" status "$pid" >"$tmp/status.during"
grep -q "^$pid	python3[.0-9]*	attached	log=$log	records=[1-9]" \
    "$tmp/status.during" || problem "status during: $(cat "$tmp/status.during")"

"$HPY" - "$tmp/pre.jsonl" "$log" <<'PY' || problem "attach != preload"
import json, sys

def last(path):
    rec = None
    for line in open(path):
        r = json.loads(line)
        if r["event"]["action"] == "tls_failure":
            rec = r
    return rec

def clean(path):
    r = last(path)
    if r is None:
        sys.exit(f"no record in {path}")
    del r["@timestamp"], r["process"]["pid"]
    del r["process"]["thread"]
    del r["source"]["port"]  # the client's ephemeral port
    del r["tlsdiag"]["age_s"]  # a time too
    return r

a, b = clean(sys.argv[1]), clean(sys.argv[2])
def flat(r, pre=""):
    if isinstance(r, dict):
        out = {}
        for k, v in r.items():
            out.update(flat(v, pre + k + "."))
        return out
    return {pre[:-1]: json.dumps(r)}

fa, fb = flat(a), flat(b)
bad = [k for k in sorted(set(fa) | set(fb)) if fa.get(k) != fb.get(k)]
for k in bad:
    print(f"{k}: preload {fa.get(k)} attach {fb.get(k)}", file=sys.stderr)
sys.exit(1 if bad else 0)
PY

"$TLSDIAG" detach "$pid" >"$tmp/detach.out" ||
    fail "detach: $(cat "$tmp/detach.out")"
[ "$(jget "$log" -1 event.action)" = tlsdiag_exit ] ||
    problem "no exit record at the detach"
jget "$log" -1 message | grep -q '^python3[.0-9]* detaching: [1-9]' ||
    problem "exit record: $(jget "$log" -1 message)"
[ "$(jget "$log" -1 tlsdiag.coverage.attach.unreachable)" = \
    '["dlsym", "static_openssl", "rpath_dlopen", "exec"]' ] ||
    problem "exit record: $(jget "$log" -1 tlsdiag.coverage.attach)"
[ "$(jget "$log" -1 tlsdiag.coverage.attach.slots)" -gt 0 ] ||
    problem "exit record: no slots"
n=$(wc -l <"$log")
lines=$(wc -l <"$tmp/loop.out")
sleep 1
[ "$(wc -l <"$log")" = "$n" ] || problem "records after the detach"
[ "$(wc -l <"$tmp/loop.out")" -gt $((lines + 3)) ] ||
    problem "the client stalled after the detach"
slots >"$tmp/slots.after"
diff -u "$tmp/slots.before" "$tmp/slots.after" ||
    problem "slots not restored"
"$TLSDIAG" status "$pid" >"$tmp/status.after"
grep -q "^$pid	.*	detached	" "$tmp/status.after" ||
    problem "status after: $(cat "$tmp/status.after")"
# the client saw the same failure every time, before, during and after
[ "$(sort -u "$tmp/loop.out")" = SSLCertVerificationError ] ||
    problem "the client's output changed: $(sort -u "$tmp/loop.out")"
[ "$(sort -u "$tmp/pre.out")" = SSLCertVerificationError ] ||
    problem "the preloaded client printed $(sort -u "$tmp/pre.out")"
finish
