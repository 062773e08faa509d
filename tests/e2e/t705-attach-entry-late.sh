#!/bin/sh
# t705-attach-entry-late: after "tlsdiag attach", a shared object that
# carries OpenSSL inside, exports it and calls it directly (-Bsymbolic,
# build/progs/libembed_sym.so) is dlopen()ed: the patched dlopen slot
# hooks its entries while no other thread runs, its failure is recorded
# once with the object as tlsdiag.openssl.path (and once in a child
# forked after), and the exit record at the detach lists it hooked.
# When another thread runs at the dlopen, nothing is patched: no record,
# the client unharmed, the exit record says why.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attach.sh"
require_shim
make_pki
lib=$PROGS/libembed_sym.so
for p in "$PROGS/latecall" "$lib"; do
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
finish
