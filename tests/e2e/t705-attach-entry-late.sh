#!/bin/sh
# t705-attach-entry-late: after "tlsdiag attach", a shared object that
# carries OpenSSL inside, exports it and calls it directly (-Bsymbolic,
# build/progs/libembed_sym.so) is dlopen()ed: the patched dlopen slot
# hooks its entries while no other thread runs, its failure is recorded
# once with the object as tlsdiag.openssl.path (and once in a child
# forked after), and the exit record at the detach lists it hooked.
# When another thread runs at the dlopen, nothing is patched: no record,
# the client unharmed, the exit record says why.  Attached to a client
# loop whose only OpenSSL is that object, linked (embed_sym_sslloop: no
# libssl loaded, the attach is not refused), the executable's calls
# reach the wrappers through the GOT slots the attach patches, and the
# object's own inner calls through its patched entries: one record per
# failure, never a second nor a loop between the two.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attach.sh"
require_shim
make_pki
lib=$PROGS/libembed_sym.so
for p in "$PROGS/latecall" "$lib" "$PROGS/embed_sym_sslloop"; do
	[ -e "$p" ] || fail "$p missing (make e2e)"
done
[ -z "${TLSDIAG_ASAN_PRELOAD:-}" ] ||
    skip "attach injects the plain library; ASan's runtime must come first"

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"

# hooks LOG: the entry_hooks member of the last exit record
hooks() {
	"$HPY" - "$1" <<'PY'
import json, sys
rec = [json.loads(l) for l in open(sys.argv[1])][-1]
if rec["event"]["action"] != "tlsdiag_exit":
    sys.exit("no exit record last")
for o in rec["tlsdiag"]["coverage"].get("entry_hooks", []):
    print("object", o["path"], "hooked", len(o["hooked"]))
    for n in o["not_hooked"][:1]:
        print("not_hooked", n["function"], n["reason"])
PY
}

for mode in local thread; do
	go=$tmp/$mode.go
	start_ready "p_$mode" "$PROGS/latecall" "$go" "$mode" "$lib" \
	    "$exp_port" "$PKI/ca.pem"
	eval "pid=\$p_${mode}_pid"
	"$TLSDIAG" attach -o "$tmp/$mode.%p.jsonl" "$pid" >"$tmp/$mode.att" ||
	    fail "$mode: attach failed: $(cat "$tmp/$mode.att")"
	: >"$go"
	wait_grep "$tmp/p_$mode.out" '^done$'
	grep -q '^run: status 1$' "$tmp/p_$mode.out" ||
	    problem "$mode: the client did not fail: $(cat "$tmp/p_$mode.out")"
	grep -q '^child: status 1$' "$tmp/p_$mode.out" ||
	    problem "$mode: the child: $(cat "$tmp/p_$mode.out")"
	log=$tmp/$mode.$pid.jsonl
	child=$(ls "$tmp/$mode".*.jsonl | grep -v "\.$pid\.jsonl" || :)
	case $mode in
	local)
		for l in "$log" $child; do
			"$HPY" "$SRCPROGS/e2ecompare.py" project "$l" \
			    error.type tlsdiag.verify_code tlsdiag.call \
			    tlsdiag.openssl.path >"$tmp/$mode.got" || :
			printf '%s\n' error.type=SSLCertVerificationError \
			    tlsdiag.verify_code=10 tlsdiag.call=SSL_connect \
			    "tlsdiag.openssl.path=$lib" -- |
			    diff -u - "$tmp/$mode.got" >&2 ||
			    problem "$mode: $l: not one record of the failure"
		done
		[ -n "$child" ] || problem "$mode: no log from the child"
		want="object $lib hooked 11"
		;;
	thread)
		[ "$(jcount "$log")" = 0 ] ||
		    problem "$mode: $(jcount "$log") records, want none"
		want=$(printf '%s\n' "object $lib hooked 0" \
		    "not_hooked SSL_read loaded while other threads ran: not patched")
		;;
	esac
	"$TLSDIAG" detach "$pid" >/dev/null || problem "$mode: detach failed"
	hooks "$log" >"$tmp/$mode.hooks" || problem "$mode: exit record"
	echo "$want" | diff -u - "$tmp/$mode.hooks" >&2 ||
	    problem "$mode: the exit record's entry_hooks"
	kill -0 "$pid" || problem "$mode: the client died"
done

start_ready loop "$PROGS/embed_sym_sslloop" "$exp_port" "$PKI/ca.pem"
pid=$loop_pid
! grep -q 'libssl\.so' "/proc/$pid/maps" || fail "a libssl is loaded"
log=$tmp/loop.jsonl
before=$(grep -c '^verify result' "$tmp/loop.out" || :)
"$TLSDIAG" attach -o "$log" "$pid" >"$tmp/loop.att" 2>&1 ||
    fail "loop: attach failed: $(cat "$tmp/loop.att")"
i=0
until [ "$(jcount "$log")" -ge 3 ]; do
	i=$((i + 1))
	[ "$i" -le 100 ] || fail "loop: no records after the attach"
	sleep 0.1
done
"$TLSDIAG" detach "$pid" >/dev/null || problem "loop: detach failed"
after=$(grep -c '^verify result' "$tmp/loop.out" || :)
# at most one record per failed handshake seen while attached (the
# rate limit may hold some back; two per failure would pass this)
n=$(grep -c '"action":"tls_failure"' "$log" || :)
echo "loop: $n failure records for $((after - before)) failed handshakes"
[ "$n" -ge 2 ] && [ "$n" -le $((after - before + 1)) ] ||
    problem "loop: $n failure records for $((after - before)) failures"
"$HPY" - "$log" "$lib" <<'PY' || problem "loop: records differ"
import json, sys
log, lib = sys.argv[1], sys.argv[2]
bad, conns = [], set()
for line in open(log):
    r = json.loads(line)
    if r["event"]["action"] != "tls_failure":
        continue
    t = r["tlsdiag"]
    got = (r["error"]["type"], t["call"], t["verify_code"],
           t["openssl"]["path"])
    if got != ("SSLCertVerificationError", "SSL_connect", 10, lib):
        bad.append(got)
if bad:
    sys.exit(f"unexpected: {bad[:2]}")
PY
hooks "$log" | sed -n 1p >"$tmp/loop.hooks"
echo "object $lib hooked 11" | diff -u - "$tmp/loop.hooks" >&2 ||
    problem "loop: the exit record's entry_hooks"
kill -0 "$pid" || problem "loop: the client died"
finish
